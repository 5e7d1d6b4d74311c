/*
 * dns_validator.c -- --validate=local: libunbound validates, under the run's
 * deadline, in the engine's poll loop (see dns_validator.h).
 */
#include "config.h"

#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unbound.h>

#include "dns_validator.h"
#include "unbound_load.h"

/* The first line of unbound's auto-trust-anchor files (RFC 5011 state). */
#define AUTOTRUST_HEADER "; autotrust trust anchor file"

/* RFC 5011 states of an auto-trust-anchor file whose keys are trusted. */
#define AUTR_STATE_VALID   2
#define AUTR_STATE_MISSING 3

/* DNSKEY flags: zone key, revoked (RFC 5011). */
#define DNSKEY_ZONE   0x0100
#define DNSKEY_REVOKE 0x0080

/* Slot of the context that any forwarder (or the root, --recursive) answers in. */
#define SLOT_ANY DNS_MAX_SERVERS

struct dns_validator {
	struct unbound_lib ub; /* libunbound, opened by dns_validator_new() */
	struct dns_validator_anchors anchors;
	char anchor_file[DNS_VALIDATOR_FILE_MAX];
	char hints_file[DNS_VALIDATOR_FILE_MAX]; /* "" when libunbound's built-in hints */
	bool recursive;
	struct dns_resolver forwarders;
	struct ub_ctx *ctx[DNS_MAX_SERVERS + 1]; /* per forwarder, and SLOT_ANY */
	int ctx_err[DNS_MAX_SERVERS + 1];        /* the context could not be made: UB_* */
};

/* --- files ----------------------------------------------------------------- */

/* Note a failure about file (cut to fit). */
static void
fail_file(struct dns_validator_failure *why, enum dns_validator_problem p, const char *file,
	  bool hints)
{
	memset(why, 0, sizeof(*why));
	why->problem = p;
	why->hints = hints;
	snprintf(why->file, sizeof(why->file), "%s", file);
}

/* The whole file, NUL-terminated, at most DNS_VALIDATOR_MAX_FILE bytes (malloc'd); NULL with
 * why filled. */
static char *
read_file(const char *path, bool hints, struct dns_validator_failure *why)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len;

	if (f == NULL) {
		fail_file(why, DNS_VALIDATOR_UNREADABLE, path, hints);
		why->sys = errno;
		return NULL;
	}
	buf = malloc(DNS_VALIDATOR_MAX_FILE + 2);
	if (buf == NULL) {
		fail_file(why, DNS_VALIDATOR_MEMORY, path, hints);
		goto out;
	}
	len = fread(buf, 1, DNS_VALIDATOR_MAX_FILE + 1, f);
	if (ferror(f)) {
		fail_file(why, DNS_VALIDATOR_UNREADABLE, path, hints);
		why->sys = errno != 0 ? errno : EIO;
		free(buf);
		buf = NULL;
	} else if (len > DNS_VALIDATOR_MAX_FILE) {
		fail_file(why, DNS_VALIDATOR_TOO_BIG, path, hints);
		free(buf);
		buf = NULL;
	} else {
		buf[len] = '\0';
	}
out:
	fclose(f);
	return buf;
}

/* The next line of *p (cut in place), NULL at the end. */
static char *
next_line(char **p)
{
	char *line = *p, *nl;

	if (line == NULL || *line == '\0')
		return NULL;
	nl = strchr(line, '\n');
	if (nl != NULL) {
		*nl = '\0';
		*p = nl + 1;
	} else {
		*p = line + strlen(line);
	}
	line[strcspn(line, "\r")] = '\0';
	return line;
}

/* Does the line hold a record (not blank, a comment or a $ directive)? */
static bool
record_line(const char *line)
{
	while (*line == ' ' || *line == '\t')
		line++;
	return *line != '\0' && *line != ';' && *line != '$';
}

/* Is a DNSSEC algorithm one libunbound validates (RFC 8624 MUST/RECOMMENDED)? */
static bool
algorithm_supported(unsigned int alg)
{
	switch (alg) {
	case LDNS_RSASHA1:
	case LDNS_RSASHA1_NSEC3:
	case LDNS_RSASHA256:
	case LDNS_RSASHA512:
	case LDNS_ECDSAP256SHA256:
	case LDNS_ECDSAP384SHA384:
	case LDNS_ED25519:
	case LDNS_ED448:
		return true;
	default:
		return false;
	}
}

/* The first byte of rdata field i of rr, -1 when missing. */
static int
rdf_byte(const ldns_rr *rr, size_t i)
{
	const ldns_rdf *f = ldns_rr_rdf(rr, i);

	return f != NULL && ldns_rdf_size(f) >= 1 ? ldns_rdf_data(f)[0] : -1;
}

/* Can a DS or DNSKEY record be a trust anchor for libunbound? */
static bool
anchor_usable(const ldns_rr *rr)
{
	if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_DS) {
		int alg = rdf_byte(rr, 1), digest = rdf_byte(rr, 2);

		return alg >= 0 && algorithm_supported((unsigned int)alg) &&
		       (digest == LDNS_SHA1 || digest == LDNS_SHA256 || digest == LDNS_SHA384);
	} else {
		const ldns_rdf *flags = ldns_rr_rdf(rr, 0);
		uint16_t fl;
		int alg = rdf_byte(rr, 2);

		if (flags == NULL || ldns_rdf_size(flags) != 2 || alg < 0)
			return false;
		fl = ldns_rdf2native_int16(flags);
		return (fl & DNSKEY_ZONE) != 0 && (fl & DNSKEY_REVOKE) == 0 &&
		       algorithm_supported((unsigned int)alg);
	}
}

/* The RFC 5011 state of an auto-trust-anchor file's line (";;state=N"), -1 when none. */
static int
autr_state(const char *line)
{
	const char *s = strstr(line, ";;state=");

	return s != NULL && s[8] >= '0' && s[8] <= '9' ? s[8] - '0' : -1;
}

/* Keep rr (taken) as an anchor. Returns 0, or -1 with why filled. */
static int
anchor_keep(struct dns_validator_anchors *out, ldns_rr *rr, const char *path,
	    struct dns_validator_failure *why)
{
	char *text, *p;

	if (out->n == DNS_VALIDATOR_MAX_ANCHORS) {
		ldns_rr_free(rr);
		fail_file(why, DNS_VALIDATOR_TOO_MANY, path, false);
		return -1;
	}
	text = ldns_rr2str(rr);
	out->owner[out->n] = ldns_rdf_clone(ldns_rr_owner(rr));
	ldns_rr_free(rr);
	if (text == NULL || out->owner[out->n] == NULL) {
		free(text);
		ldns_rdf_deep_free(out->owner[out->n]);
		out->owner[out->n] = NULL;
		fail_file(why, DNS_VALIDATOR_MEMORY, path, false);
		return -1;
	}
	for (p = text; *p != '\0'; p++)
		if (*p == '\t' || *p == '\n')
			*p = ' ';
	ldns_dname2canonical(out->owner[out->n]);
	out->text[out->n++] = text;
	return 0;
}

int
dns_validator_read_anchors(const char *path, struct dns_validator_anchors *out,
			   struct dns_validator_failure *why)
{
	char *buf = read_file(path, false, why), *p = buf, *line;
	unsigned long lineno = 0;
	bool autotrust = false;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (buf == NULL)
		return -1;
	autotrust = strncmp(buf, AUTOTRUST_HEADER, strlen(AUTOTRUST_HEADER)) == 0;
	while ((line = next_line(&p)) != NULL) {
		ldns_rr *rr = NULL;
		ldns_rr_type type;

		lineno++;
		if (!record_line(line))
			continue;
		if (ldns_rr_new_frm_str(&rr, line, 3600, NULL, NULL) != LDNS_STATUS_OK ||
		    rr == NULL) {
			fail_file(why, DNS_VALIDATOR_SYNTAX, path, false);
			why->line = lineno;
			goto out;
		}
		type = ldns_rr_get_type(rr);
		if (type != LDNS_RR_TYPE_DS && type != LDNS_RR_TYPE_DNSKEY) {
			ldns_rr_free(rr);
			continue;
		}
		if (!anchor_usable(rr) || (autotrust && type == LDNS_RR_TYPE_DNSKEY &&
					   autr_state(line) != AUTR_STATE_VALID &&
					   autr_state(line) != AUTR_STATE_MISSING)) {
			out->unusable++;
			ldns_rr_free(rr);
			continue;
		}
		if (anchor_keep(out, rr, path, why) != 0)
			goto out;
	}
	if (out->n == 0) {
		fail_file(why, DNS_VALIDATOR_NO_ANCHOR, path, false);
		why->unusable = out->unusable;
		goto out;
	}
	rc = 0;
out:
	free(buf);
	if (rc != 0)
		dns_validator_anchors_clear(out);
	return rc;
}

void
dns_validator_anchors_clear(struct dns_validator_anchors *a)
{
	size_t i;

	for (i = 0; i < a->n; i++) {
		free(a->text[i]);
		ldns_rdf_deep_free(a->owner[i]);
	}
	memset(a, 0, sizeof(*a));
}

int
dns_validator_check_hints(const char *path, struct dns_validator_failure *why)
{
	char *buf = read_file(path, true, why), *p = buf, *line;
	unsigned long lineno = 0;
	bool ns = false, addr = false;

	if (buf == NULL)
		return -1;
	while ((line = next_line(&p)) != NULL) {
		ldns_rr *rr = NULL;

		lineno++;
		if (!record_line(line))
			continue;
		if (ldns_rr_new_frm_str(&rr, line, 3600, NULL, NULL) != LDNS_STATUS_OK ||
		    rr == NULL) {
			fail_file(why, DNS_VALIDATOR_SYNTAX, path, true);
			why->line = lineno;
			free(buf);
			return -1;
		}
		if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_NS &&
		    ldns_dname_label_count(ldns_rr_owner(rr)) == 0)
			ns = true;
		if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_A ||
		    ldns_rr_get_type(rr) == LDNS_RR_TYPE_AAAA)
			addr = true;
		ldns_rr_free(rr);
	}
	free(buf);
	if (!ns || !addr) {
		fail_file(why, DNS_VALIDATOR_NO_HINTS, path, true);
		return -1;
	}
	return 0;
}

/* --- the validator --------------------------------------------------------- */

struct dns_validator *
dns_validator_new(const struct dns_validator_config *cfg, const struct dns_resolver *forwarders,
		  struct dns_validator_failure *why)
{
	const char *anchor =
	    cfg->trust_anchor != NULL ? cfg->trust_anchor : DNS_VALIDATOR_DEFAULT_ANCHOR;
	struct dns_validator *v = calloc(1, sizeof(*v));

	memset(why, 0, sizeof(*why));
	if (v == NULL) {
		fail_file(why, DNS_VALIDATOR_MEMORY, anchor, false);
		return NULL;
	}
	if (dns_validator_read_anchors(anchor, &v->anchors, why) != 0)
		goto fail;
	snprintf(v->anchor_file, sizeof(v->anchor_file), "%s", anchor);
	v->recursive = cfg->recursive;
	if (cfg->recursive && cfg->root_hints != NULL) {
		if (dns_validator_check_hints(cfg->root_hints, why) != 0)
			goto fail;
		snprintf(v->hints_file, sizeof(v->hints_file), "%s", cfg->root_hints);
	}
	if (!cfg->recursive) {
		if (forwarders == NULL || forwarders->nservers == 0) {
			fail_file(why, DNS_VALIDATOR_NO_FORWARDER, anchor, false);
			goto fail;
		}
		v->forwarders = *forwarders;
		v->forwarders.validator = NULL;
	}
	/* last: what the command line names is judged first, then this host's library */
	if (unbound_lib_init(&v->ub, cfg->library, &why->lib) != 0) {
		why->problem = DNS_VALIDATOR_LIBRARY;
		goto fail;
	}
	return v;
fail:
	dns_validator_free(v);
	return NULL;
}

void
dns_validator_free(struct dns_validator *v)
{
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; i <= SLOT_ANY; i++)
		if (v->ctx[i] != NULL)
			v->ub.ctx_delete(v->ctx[i]);
	/* every context deleted: no thread of libunbound is left (unbound_load.h) */
	unbound_lib_clear(&v->ub);
	dns_validator_anchors_clear(&v->anchors);
	free(v);
}

bool
dns_validator_recursive(const struct dns_validator *v)
{
	return v->recursive;
}

const char *
dns_validator_anchor_file(const struct dns_validator *v)
{
	return v->anchor_file;
}

const char *
dns_validator_anchor_of(const struct dns_validator *v, const char *name, char *dst, size_t dstsize)
{
	ldns_rdf *n = NULL;
	const ldns_rdf *best = NULL;
	size_t i;
	char *text;

	if (ldns_str2rdf_dname(&n, name) != LDNS_STATUS_OK || n == NULL)
		return NULL;
	ldns_dname2canonical(n);
	for (i = 0; i < v->anchors.n; i++) {
		const ldns_rdf *o = v->anchors.owner[i];

		if ((ldns_dname_compare(o, n) == 0 || ldns_dname_is_subdomain(n, o)) &&
		    (best == NULL || ldns_dname_label_count(o) > ldns_dname_label_count(best)))
			best = o;
	}
	ldns_rdf_deep_free(n);
	if (best == NULL || (text = ldns_rdf2str(best)) == NULL)
		return NULL;
	snprintf(dst, dstsize, "%s", text);
	free(text);
	return dst;
}

/* "ADDR@PORT" of a forwarder, as libunbound's forward-addr reads it. */
static int
forward_addr(const struct dns_server *s, char *dst, size_t dstsize)
{
	char host[NI_MAXHOST], port[NI_MAXSERV];

	if (getnameinfo((const struct sockaddr *)&s->addr, s->addrlen, host, sizeof(host), port,
			sizeof(port), NI_NUMERICHOST | NI_NUMERICSERV) != 0)
		return -1;
	snprintf(dst, dstsize, "%s@%s", host, port);
	return 0;
}

/* Options of every context: silent, no local answers for test. (RFC 6761 names stay local
 * otherwise), no trust anchor signaling queries. Returns 0 or a UB_* error. */
static int
context_options(const struct unbound_lib *ub, struct ub_ctx *ctx)
{
	static const char *const options[][2] = {
	    {"use-syslog:", "no"},
	    {"verbosity:", "0"},
	    {"trust-anchor-signaling:", "no"},
	    /* unbound answers test. itself (RFC 6761); "transparent" hands it to the DNS */
	    {"local-zone:", "test. transparent"},
	};
	size_t i;
	int rc;

	for (i = 0; i < sizeof(options) / sizeof(options[0]); i++)
		if ((rc = ub->ctx_set_option(ctx, options[i][0], options[i][1])) != 0)
			return rc;
	return 0;
}

/* Make the context of slot: forward to servers[slot] (or to all of them, SLOT_ANY), or
 * resolve from the root. Returns 0 or a UB_* error. */
static int
context_make(struct dns_validator *v, size_t slot)
{
	struct ub_ctx *ctx = v->ub.ctx_create();
	char addr[NI_MAXHOST + NI_MAXSERV + 2];
	size_t i;
	int rc;

	if (ctx == NULL)
		return UB_NOMEM;
	/* before anything else: libunbound logs to stderr until told otherwise */
	v->ub.ctx_debugout(ctx, NULL);
	v->ub.ctx_debuglevel(ctx, 0);
	if ((rc = v->ub.ctx_async(ctx, 1)) != 0 || (rc = context_options(&v->ub, ctx)) != 0)
		goto fail;
	if (v->recursive && v->hints_file[0] != '\0' &&
	    (rc = v->ub.ctx_set_option(ctx, "root-hints:", v->hints_file)) != 0)
		goto fail;
	for (i = 0; !v->recursive && i < v->forwarders.nservers; i++) {
		if (slot != SLOT_ANY && i != slot)
			continue;
		if (forward_addr(&v->forwarders.servers[i], addr, sizeof(addr)) != 0) {
			rc = UB_SYNTAX;
			goto fail;
		}
		if ((rc = v->ub.ctx_set_fwd(ctx, addr)) != 0)
			goto fail;
	}
	for (i = 0; i < v->anchors.n; i++)
		if ((rc = v->ub.ctx_add_ta(ctx, v->anchors.text[i])) != 0)
			goto fail;
	v->ctx[slot] = ctx;
	return 0;
fail:
	v->ub.ctx_delete(ctx);
	return rc;
}

/* --- answers ---------------------------------------------------------------- */

void
dns_validator_answer(struct dns_answer *a, ldns_rr_type qtype, int err, const struct ub_result *r,
		     bool recursive)
{
	ldns_pkt *pkt = NULL;
	struct dns_failure f = {.local = true, .recursive = recursive};

	a->local = true;
	a->qtype = qtype;
	a->server = -1;
	if (err != 0 || r == NULL) {
		f.kind = DNS_FAIL_VALIDATOR;
		f.ub_err = err != 0 ? err : UB_NOMEM;
		dns_answer_fail(a, DNS_ERR_LOCAL, &f);
		return;
	}
	a->rcode = r->rcode;
	if (r->answer_packet != NULL && r->answer_len > 0 &&
	    ldns_wire2pkt(&pkt, r->answer_packet, (size_t)r->answer_len) != LDNS_STATUS_OK)
		pkt = NULL;
	if (pkt != NULL) {
		a->pkt = pkt;
		a->aa = ldns_pkt_aa(pkt);
		dns_ede_from_pkt(pkt, &a->ede);
	}
	if (r->bogus) {
		/* the data that failed validation is there (libunbound passes it on) */
		a->cls = DNS_BOGUS;
		a->secure = false;
		if (r->why_bogus != NULL) {
			size_t len = strlen(r->why_bogus);

			a->why_bogus_cut = len >= sizeof(a->why_bogus);
			snprintf(a->why_bogus, sizeof(a->why_bogus), "%s", r->why_bogus);
		}
		return;
	}
	switch (r->rcode) {
	case LDNS_RCODE_NOERROR:
	case LDNS_RCODE_NXDOMAIN:
		break;
	case LDNS_RCODE_SERVFAIL:
		f.kind = DNS_FAIL_SERVFAIL;
		f.rcode = r->rcode;
		dns_answer_fail(a, DNS_ERR_SERVFAIL, &f);
		return;
	default:
		f.kind = DNS_FAIL_RCODE;
		f.rcode = r->rcode;
		dns_answer_fail(a, r->rcode == LDNS_RCODE_REFUSED ? DNS_ERR_REFUSED : DNS_ERR_RCODE,
				&f);
		return;
	}
	a->secure = r->secure != 0;
	if (r->rcode == LDNS_RCODE_NXDOMAIN) {
		a->cls = DNS_NONEXISTENT;
		a->nxdomain = true;
	} else {
		ldns_rr_list *rrs = dns_answer_rrs(a, qtype);

		a->cls = rrs != NULL ? (a->secure ? DNS_SECURE : DNS_INSECURE) : DNS_NONEXISTENT;
		ldns_rr_list_deep_free(rrs);
	}
}

/* --- a batch ---------------------------------------------------------------- */

/* A query handed to libunbound. */
struct pending {
	const struct unbound_lib *ub; /* to free the result */
	struct dns_query *q;
	size_t slot;    /* its context */
	int id;         /* libunbound's id, to cancel it */
	bool asked;     /* ub_resolve_async() took it */
	bool done;      /* answered (or failed) */
	bool recursive; /* for the words of a failure */
	double t0;      /* deadline_now() when asked */
};

/* libunbound's callback (inside ub_process(), in this thread). */
static void
on_result(void *arg, int err, struct ub_result *r)
{
	struct pending *p = arg;

	dns_validator_answer(&p->q->answer, p->q->type, err, r, p->recursive);
	p->q->answer.rtt = deadline_now() - p->t0;
	p->done = true;
	if (r != NULL)
		p->ub->resolve_free(r);
}

/* End p without libunbound's answer: a local failure ub_err. */
static void
pending_fail_ub(struct pending *p, int ub_err)
{
	dns_answer_fail(
	    &p->q->answer, DNS_ERR_LOCAL,
	    &(struct dns_failure){.kind = DNS_FAIL_VALIDATOR, .ub_err = ub_err, .local = true});
	p->q->answer.local = true;
	p->done = true;
}

/* The slot of query q's context, made on first use; -1 with *ub_err when it cannot be made. */
static int
slot_of(struct dns_validator *v, const struct dns_query *q, int *ub_err)
{
	size_t slot = SLOT_ANY;

	if (!v->recursive && q->server >= 0) {
		if ((size_t)q->server >= v->forwarders.nservers) {
			*ub_err = UB_SYNTAX;
			return -1;
		}
		slot = (size_t)q->server;
	}
	if (v->ctx[slot] == NULL && v->ctx_err[slot] == 0)
		v->ctx_err[slot] = context_make(v, slot);
	if (v->ctx[slot] == NULL) {
		*ub_err = v->ctx_err[slot] != 0 ? v->ctx_err[slot] : UB_NOMEM;
		return -1;
	}
	return (int)slot;
}

/* Hand query p to libunbound. */
static void
pending_ask(struct dns_validator *v, struct pending *p)
{
	ldns_rdf *name = NULL;
	int slot, err = 0, rc;

	p->recursive = v->recursive;
	if (ldns_str2rdf_dname(&name, p->q->name) != LDNS_STATUS_OK || name == NULL) {
		struct dns_failure f = {.kind = DNS_FAIL_QUERY_NAME, .local = true};

		snprintf(f.name, sizeof(f.name), "%.100s", p->q->name);
		dns_answer_fail(&p->q->answer, DNS_ERR_LOCAL, &f);
		p->done = true;
		return;
	}
	ldns_rdf_deep_free(name);
	if ((slot = slot_of(v, p->q, &err)) < 0) {
		pending_fail_ub(p, err);
		return;
	}
	p->slot = (size_t)slot;
	p->t0 = deadline_now();
	rc = v->ub.resolve_async(v->ctx[slot], p->q->name, (int)p->q->type, LDNS_RR_CLASS_IN, p,
				 on_result, &p->id);
	if (rc != 0) {
		pending_fail_ub(p, rc);
		return;
	}
	p->asked = true;
}

/* End the pending query p with an error: libunbound forgets it (its callback would find p
 * freed). */
static void
pending_end(struct dns_validator *v, struct pending *p, enum dns_error e,
	    const struct dns_failure *f)
{
	if (p->done)
		return;
	if (p->asked)
		v->ub.cancel(v->ctx[p->slot], p->id);
	dns_answer_fail(&p->q->answer, e, f);
	p->q->answer.local = true;
	p->done = true;
}

/* The deadline passed: every pending query ends with a timeout. */
static void
batch_timeout(struct dns_validator *v, struct pending *p, size_t n, struct deadline *dl)
{
	struct dns_failure f = {.kind = DNS_FAIL_TIMEOUT, .seconds = dl->seconds, .local = true};
	size_t i;

	snprintf(f.stage, sizeof(f.stage), "%s", dl->stage);
	for (i = 0; i < n; i++)
		pending_end(v, &p[i], DNS_ERR_TIMEOUT, &f);
}

/* Every pending query of slot (all slots: SLOT_ANY + 1) ends as a local failure f. */
static void
batch_fail(struct dns_validator *v, struct pending *p, size_t n, size_t slot,
	   const struct dns_failure *f)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (slot > SLOT_ANY || p[i].slot == slot)
			pending_end(v, &p[i], DNS_ERR_LOCAL, f);
}

/* The poll set: the pipe of every context with a pending query. Returns how many. */
static size_t
batch_poll_set(const struct dns_validator *v, const struct pending *p, size_t n, struct pollfd *pfd,
	       size_t *slots)
{
	bool want[SLOT_ANY + 1] = {false};
	size_t i, npfd = 0;

	for (i = 0; i < n; i++)
		if (!p[i].done)
			want[p[i].slot] = true;
	for (i = 0; i <= SLOT_ANY; i++) {
		if (!want[i])
			continue;
		pfd[npfd] = (struct pollfd){v->ub.fd(v->ctx[i]), POLLIN, 0};
		slots[npfd++] = i;
	}
	return npfd;
}

/* The poll loop: until every query is answered or the deadline passes. */
static void
batch_run(struct dns_validator *v, struct pending *p, size_t n, struct deadline *dl)
{
	struct pollfd pfd[SLOT_ANY + 1];
	size_t slots[SLOT_ANY + 1], npfd, i;

	for (;;) {
		int left = deadline_ms_left(dl), rc;

		if ((npfd = batch_poll_set(v, p, n, pfd, slots)) == 0)
			return;
		if (left <= 0) {
			batch_timeout(v, p, n, dl);
			return;
		}
		if (poll(pfd, npfd, left) < 0) {
			if (errno == EINTR)
				continue;
			batch_fail(v, p, n, SLOT_ANY + 1,
				   &(struct dns_failure){.kind = DNS_FAIL_POLL, .sys = errno});
			return;
		}
		for (i = 0; i < npfd; i++)
			if (pfd[i].revents != 0 && (rc = v->ub.process(v->ctx[slots[i]])) != 0)
				batch_fail(v, p, n, slots[i],
					   &(struct dns_failure){.kind = DNS_FAIL_VALIDATOR,
								 .ub_err = rc,
								 .local = true});
	}
}

int
dns_validator_batch(struct dns_validator *v, struct dns_query *queries, size_t n,
		    struct deadline *dl)
{
	struct pending *p;
	size_t i;

	if (n == 0)
		return 0;
	p = calloc(n, sizeof(*p));
	if (p == NULL)
		return -1; /* every answer says "out of memory" (dns_query_batch()) */
	for (i = 0; i < n; i++) {
		p[i].ub = &v->ub;
		p[i].q = &queries[i];
		queries[i].answer.error = DNS_ERR_NONE;
		memset(&queries[i].answer.fail, 0, sizeof(queries[i].answer.fail));
		pending_ask(v, &p[i]);
	}
	batch_run(v, p, n, dl);
	free(p);
	return 0;
}
