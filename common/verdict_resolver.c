/*
 * verdict_resolver.c -- the verdicts of check_dnssec_resolver on its
 * resolvers' answers (see verdict_resolver.h).
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dns_sentinel.h"
#include "text.h"
#include "verdict_resolver.h"
#include "words_dns.h"

/* Room for the words of an answer, Extended DNS Errors included. */
#define DETAIL_MAX 640

/* Records of an answer listed below its finding, at most. */
#define RECORDS_MAX 20

/* What one answer is judged by: who was asked what, and the answer. */
struct judged {
	const struct verdict_resolver_ask *ask;
	const char *resolver; /* "ADDR[@PORT]", as printed */
	const char *name;     /* the name asked */
	const char *qtype;    /* "SOA" (a signed name) or "A" (the bogus name) */
	const struct dns_answer *a;
};

size_t
verdict_resolver_nqueries(const struct verdict_resolver_ask *ask)
{
	return verdict_resolver_nlocal(ask) + 2 * ask->nroot_keys;
}

size_t
verdict_resolver_nlocal(const struct verdict_resolver_ask *ask)
{
	return ask->nsigned + (ask->bogus_name != NULL ? 1 : 0);
}

/* A short word for why there is no usable answer (param "error"). */
static const char *
error_word(enum dns_error e)
{
	switch (e) {
	case DNS_ERR_TIMEOUT:
		return "timeout";
	case DNS_ERR_UNREACHABLE:
		return "unreachable";
	case DNS_ERR_REFUSED:
		return "refused";
	case DNS_ERR_SERVFAIL:
		return "servfail";
	case DNS_ERR_RCODE:
		return "rcode";
	case DNS_ERR_MALFORMED:
		return "malformed";
	case DNS_ERR_LOCAL:
		return "local";
	case DNS_ERR_NONE:
	default:
		return "none";
	}
}

/* The state of an answer's response time against -w/-c (no answer: OK). */
static state_t
time_state(const struct verdict_resolver_ask *ask, const struct dns_answer *a)
{
	if (a->cls == DNS_ERROR)
		return STATE_OK;
	return range_state(ask->warning, ask->critical, a->rtt);
}

/* The facts of an answer as params: rcode, AD, the rcode of the CD re-ask,
 * the signing algorithm, the time, the first Extended DNS Error. */
static void
answer_params(struct finding *f, const struct judged *j)
{
	const struct dns_answer *a = j->a;
	ldns_lookup_table *t;
	int alg = dns_answer_algorithm(a);

	finding_param_str(f, "qtype", j->qtype);
	if (a->rcode >= 0)
		finding_param_str(f, "rcode", dns_answer_rcode_name(a->rcode));
	if (a->cls == DNS_ERROR) {
		finding_param_str(f, "error", error_word(a->error));
		/* these queries go without CD: a SERVFAIL error is one also with CD */
		if (a->error == DNS_ERR_SERVFAIL)
			finding_param_str(f, "cd_rcode", "SERVFAIL");
	} else {
		finding_param_bool(f, "ad", a->secure);
		finding_param_num(f, "rtt", a->rtt);
		if (a->cls == DNS_BOGUS && a->pkt != NULL)
			finding_param_str(f, "cd_rcode",
					  dns_answer_rcode_name(ldns_pkt_get_rcode(a->pkt)));
	}
	if (alg >= 0) {
		finding_param_int(f, "algorithm", alg);
		t = ldns_lookup_by_id(ldns_algorithms, alg);
		if (t != NULL)
			finding_param_str(f, "algorithm_name", t->name);
	}
	if (a->ede.n > 0) {
		char ede[4 * DNS_EDE_TEXT_MAX + 4];

		finding_param_int(f, "ede_code", a->ede.ede[0].code);
		if (words_dns_ede_text(&a->ede.ede[0], ede, sizeof(ede)) > 0)
			finding_param_str(f, "ede_text", ede);
	}
}

/* Add the finding of one answer: code, state, text, subject and params. */
static struct finding *judged_add(struct output *out, const struct judged *j, state_t state,
				  enum finding_code code, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static struct finding *
judged_add(struct output *out, const struct judged *j, state_t state, enum finding_code code,
	   const char *fmt, ...)
{
	struct finding *f;
	va_list ap;

	va_start(ap, fmt);
	f = finding_vadd(out, NULL, state, code, fmt, ap);
	va_end(ap);
	finding_subject(f, &(struct finding_subject){.resolver = j->resolver, .name = j->name});
	answer_params(f, j);
	return f;
}

/* A slow answer: the -w/-c ranges as params. */
static void
slow_params(struct finding *f, const struct verdict_resolver_ask *ask)
{
	finding_param_range(f, "warning", ask->warning);
	finding_param_range(f, "critical", ask->critical);
}

/* The answer's records below its finding, shown from -v on. */
static void
add_records(struct output *out, struct finding *parent, const struct judged *j)
{
	ldns_rr_list *rrs;
	size_t i;

	if (parent == NULL || j->a->pkt == NULL)
		return;
	rrs = ldns_pkt_answer(j->a->pkt);
	for (i = 0; rrs != NULL && i < ldns_rr_list_rr_count(rrs) && i < RECORDS_MAX; i++) {
		char *text = dns_rr_line(ldns_rr_list_rr(rrs, i));
		struct finding *c;

		if (text == NULL)
			continue;
		c = finding_add(out, parent, STATE_OK, FC_RESOLVER_ANSWER_RECORD, "%s", text);
		finding_subject(
		    c, &(struct finding_subject){.resolver = j->resolver, .name = j->name});
		finding_param_str(c, "record", text);
		finding_set_level(c, 1);
		free(text);
	}
}

/* The signing algorithm of the answer's first RRSIG: "ECDSAP256SHA256 (13)"; "" if none. */
static const char *
algorithm_text(const struct dns_answer *a, char *dst, size_t dstsize)
{
	int alg = dns_answer_algorithm(a);

	if (alg < 0)
		dst[0] = '\0';
	else
		words_dns_algorithm(alg, dst, dstsize);
	return dst;
}

/*
 * Verdict on one signed-name answer. others_validate: another signed name
 * came back validated from the same resolver, so an unvalidated signed answer
 * means this algorithm is the one it does not validate.
 */
static struct finding *
judge_signed(struct output *out, const struct judged *j, bool others_validate)
{
	const struct dns_answer *a = j->a;
	char what[DETAIL_MAX], alg[64], took[32], signed_with[96] = "";
	state_t st;
	struct finding *f;

	words_dns_answer_failure(a, what, sizeof(what));
	text_duration(a->rtt, took, sizeof(took));
	if (algorithm_text(a, alg, sizeof(alg))[0] != '\0')
		snprintf(signed_with, sizeof(signed_with), ", signed with %s", alg);
	switch (a->cls) {
	case DNS_SECURE:
	case DNS_NONEXISTENT:
		if (a->secure) {
			st = time_state(j->ask, a);
			f = judged_add(out, j, st,
				       st != STATE_OK ? FC_RESOLVER_SLOW : FC_RESOLVER_VALIDATES,
				       "%s validates: asked %s SOA, got %s%s in %s%s", j->resolver,
				       j->name, what, signed_with, took,
				       st != STATE_OK ? " (response time threshold)" : "");
			if (st != STATE_OK)
				slow_params(f, j->ask);
			add_records(out, f, j);
			return f;
		}
		/* FALLTHROUGH */
	case DNS_INSECURE:
		if (others_validate && alg[0] != '\0')
			f = judged_add(
			    out, j, STATE_CRITICAL, FC_RESOLVER_ALGORITHM_NOT_VALIDATED,
			    "%s does not validate algorithm %s: asked %s SOA, got %s in "
			    "%s: the name is signed but comes back unvalidated while other "
			    "names validate (a crypto policy that disables the algorithm?)",
			    j->resolver, alg, j->name, what, took);
		else
			f = judged_add(out, j, STATE_CRITICAL, FC_RESOLVER_NO_AD,
				       "%s does not validate DNSSEC: asked %s SOA, got %s%s in %s "
				       "(is %s signed?)",
				       j->resolver, j->name, what, signed_with, took, j->name);
		add_records(out, f, j);
		return f;
	case DNS_BOGUS:
		return judged_add(out, j, STATE_CRITICAL, FC_RESOLVER_SIGNED_NAME_FAILS,
				  "%s fails to validate the signed name %s: %s; check the "
				  "resolver's trust anchor and clock",
				  j->resolver, j->name, what);
	case DNS_ERROR:
	default:
		return judged_add(out, j, STATE_CRITICAL, FC_RESOLVER_NO_ANSWER,
				  "%s: no answer for %s SOA: %s", j->resolver, j->name, what);
	}
}

/* Verdict on the bogus-name answer. */
static struct finding *
judge_bogus(struct output *out, const struct judged *j)
{
	const struct dns_answer *a = j->a;
	char what[DETAIL_MAX], took[32];
	struct finding *f;
	state_t st;

	words_dns_answer_failure(a, what, sizeof(what));
	text_duration(a->rtt, took, sizeof(took));
	switch (a->cls) {
	case DNS_BOGUS:
		st = time_state(j->ask, a);
		f = judged_add(out, j, st,
			       st != STATE_OK ? FC_RESOLVER_SLOW : FC_RESOLVER_REJECTS_BOGUS,
			       "%s rejects bogus data: asked %s A, got %s in %s", j->resolver,
			       j->name, what, took);
		if (st != STATE_OK)
			slow_params(f, j->ask);
		return f;
	case DNS_SECURE:
	case DNS_INSECURE:
		f = judged_add(out, j, STATE_CRITICAL, FC_RESOLVER_ACCEPTS_BOGUS,
			       "%s returned bogus data for %s A (%s): it does not reject data "
			       "that fails validation",
			       j->resolver, j->name, what);
		add_records(out, f, j);
		return f;
	case DNS_NONEXISTENT:
		return judged_add(out, j, STATE_WARNING, FC_RESOLVER_BOGUS_INCONCLUSIVE,
				  "bogus probe inconclusive: %s answered %s A with %s; use a name "
				  "whose data exists but does not validate",
				  j->resolver, j->name, what);
	case DNS_ERROR:
	default:
		if (a->error == DNS_ERR_SERVFAIL)
			return judged_add(out, j, STATE_WARNING, FC_RESOLVER_BOGUS_INCONCLUSIVE,
					  "%s: bogus probe inconclusive for %s A: %s", j->resolver,
					  j->name, what);
		return judged_add(out, j, STATE_CRITICAL, FC_RESOLVER_NO_ANSWER,
				  "%s: no answer for %s A: %s", j->resolver, j->name, what);
	}
}

/* What an answer says about the data, to compare the resolver with local validation. */
enum opinion {
	OP_SECURE,   /* data or a denial, validated */
	OP_INSECURE, /* data or a denial, not validated (not signed) */
	OP_REJECTED, /* bogus: SERVFAIL from a resolver, or bogus here */
	OP_NONE,     /* no answer to compare */
};

static enum opinion
opinion_of(const struct dns_answer *a)
{
	switch (a->cls) {
	case DNS_SECURE:
		return OP_SECURE;
	case DNS_INSECURE:
		return OP_INSECURE;
	case DNS_NONEXISTENT:
		return a->secure ? OP_SECURE : OP_INSECURE;
	case DNS_BOGUS:
		return OP_REJECTED;
	case DNS_ERROR:
	default:
		/* a resolver's SERVFAIL also with CD: it rejects what it cannot validate */
		return !a->local && a->error == DNS_ERR_SERVFAIL ? OP_REJECTED : OP_NONE;
	}
}

/* The resolver's opinion in words (param "resolver_says"). */
static const char *
resolver_says(enum opinion o)
{
	switch (o) {
	case OP_SECURE:
		return "secure";
	case OP_INSECURE:
		return "insecure";
	case OP_REJECTED:
		return "bogus";
	case OP_NONE:
	default:
		return "none";
	}
}

/* The state of a disagreement (resolver r, local l, r != l, both answered). */
static state_t
disagreement_state(enum opinion r, enum opinion l)
{
	/* insecure here but vouched for (or rejected) there: a trust anchor of the resolver's
	 * own, or a negative one; not an alarm about the resolver's validation */
	if (l == OP_INSECURE && (r == OP_SECURE || r == OP_REJECTED))
		return STATE_WARNING;
	return STATE_CRITICAL;
}

/* The second opinion on one answer (j: the resolver's; la: local validation's), under parent
 * when it agrees. */
static void
judge_local(struct output *out, const struct judged *j, const struct dns_answer *la,
	    struct finding *parent)
{
	enum opinion r = opinion_of(j->a), l = opinion_of(la);
	char what[DETAIL_MAX];
	struct finding *f;

	words_dns_answer_failure(la, what, sizeof(what));
	if (l == OP_NONE || r == OP_NONE) {
		if (l != OP_NONE || r == OP_NONE)
			return; /* the resolver's failure is its own finding */
		f = finding_add(out, NULL, STATE_WARNING, FC_RESOLVER_LOCAL_FAILED,
				"%s: no second opinion on %s %s: local validation got %s",
				j->resolver, j->name, j->qtype, what);
	} else if (r == l) {
		f = finding_add(out, parent, STATE_OK, FC_RESOLVER_LOCAL_AGREES,
				"local validation agrees: %s", what);
		finding_set_level(f, 1);
	} else if (r == OP_SECURE && l == OP_REJECTED) {
		f = finding_add(out, NULL, STATE_CRITICAL, FC_RESOLVER_LOCAL_BOGUS,
				"%s says %s %s is secure, local validation says bogus (%s): the "
				"resolver vouches for data that does not validate",
				j->resolver, j->name, j->qtype, what);
	} else {
		f = finding_add(out, NULL, disagreement_state(r, l), FC_RESOLVER_LOCAL_DISAGREES,
				"%s says %s %s is %s, local validation says %s (%s): %s",
				j->resolver, j->name, j->qtype, resolver_says(r), resolver_says(l),
				what,
				l == OP_INSECURE   ? "the resolver has a trust anchor for it that "
						     "--trust-anchor lacks?"
				: r == OP_INSECURE ? "the resolver does not validate it"
						   : "check the resolver's trust anchor and clock");
	}
	finding_subject(f, &(struct finding_subject){.resolver = j->resolver, .name = j->name});
	finding_param_str(f, "qtype", j->qtype);
	finding_param_str(f, "resolver_says", resolver_says(r));
	finding_param_str(f, "local_says", resolver_says(l));
	if (l == OP_REJECTED && la->why_bogus[0] != '\0') {
		char why[4 * DNS_WHY_BOGUS_MAX + 4];

		text_sanitize(why, sizeof(why), la->why_bogus,
			      strnlen(la->why_bogus, sizeof(la->why_bogus)), DNS_WHY_BOGUS_MAX,
			      TEXT_ESCAPE);
		finding_param_str(f, "why_bogus", why);
	}
}

/* A resolver shown not to pass DNSSEC data (--validate=local). Returns true if so. */
static bool
judge_forwarder(struct output *out, const char *resolver, const struct dns_trust_result *t)
{
	char why[WORDS_DNS_TRUST_MAX];
	struct finding *f;

	if (t == NULL || !t->judged || t->verdict != DNS_TRUST_NO_DNSSEC_DATA)
		return false;
	words_dns_trust(t, why, sizeof(why));
	f = finding_add(out, NULL, STATE_CRITICAL, FC_RESOLVER_STRIPS_DNSSEC_DATA,
			"%s does not pass DNSSEC data (%s): validating clients behind it fail, and "
			"local validation through it cannot judge its answers",
			resolver, why);
	finding_subject(f, &(struct finding_subject){.resolver = resolver, .name = t->name});
	finding_param_str(f, "query", t->fault_type == LDNS_RR_TYPE_DS ? "DS" : "DNSKEY");
	return true;
}

/* The root key sentinel for tag (RFC 8509): is-ta and not-ta answers of one resolver. */
static void
judge_sentinel(struct output *out, const char *resolver, unsigned int tag,
	       const struct dns_query *is_ta, const struct dns_query *not_ta)
{
	const char *kname = dns_sentinel_key_name(tag);
	char key[48], isw[DETAIL_MAX], notw[DETAIL_MAX];
	struct finding *f;

	if (kname != NULL)
		snprintf(key, sizeof(key), "%u (%s)", tag, kname);
	else
		snprintf(key, sizeof(key), "%u", tag);
	words_dns_answer_failure(&is_ta->answer, isw, sizeof(isw));
	words_dns_answer_failure(&not_ta->answer, notw, sizeof(notw));
	switch (dns_sentinel_read(&is_ta->answer, &not_ta->answer)) {
	case DNS_SENTINEL_TRUSTED:
		f = finding_add(out, NULL, STATE_OK, FC_RESOLVER_TRUSTS_ROOT_KEY,
				"%s trusts root key %s (root key sentinel, RFC 8509: %s answered, "
				"%s SERVFAIL)",
				resolver, key, is_ta->name, not_ta->name);
		break;
	case DNS_SENTINEL_NOT_TRUSTED:
		f = finding_add(
		    out, NULL, STATE_CRITICAL, FC_RESOLVER_ROOT_KEY_NOT_TRUSTED,
		    "%s does not trust root key %s: its trust anchor is out of date (root "
		    "key sentinel, RFC 8509: %s SERVFAIL, %s answered)",
		    resolver, key, is_ta->name, not_ta->name);
		break;
	case DNS_SENTINEL_UNSUPPORTED:
		f = finding_add(
		    out, NULL, STATE_OK, FC_RESOLVER_NO_SENTINEL,
		    "%s does not support the root key sentinel (RFC 8509): both %s and %s "
		    "answered, so whether it trusts root key %s cannot be told",
		    resolver, is_ta->name, not_ta->name, key);
		break;
	case DNS_SENTINEL_INCONCLUSIVE:
	default:
		f = finding_add(out, NULL, STATE_WARNING, FC_RESOLVER_SENTINEL_INCONCLUSIVE,
				"%s: the root key sentinel for root key %s proves nothing: %s: %s; "
				"%s: %s; use a signed -q name with a wildcard A record",
				resolver, key, is_ta->name, isw, not_ta->name, notw);
		break;
	}
	finding_subject(f, &(struct finding_subject){.resolver = resolver, .name = is_ta->name});
	finding_param_int(f, "key_tag", tag);
	if (kname != NULL)
		finding_param_str(f, "key_name", kname);
}

/* Perfdata of one answer: label, then "_<name>" (a further signed name),
 * "_<resolver>" (several resolvers). */
static void
add_perf(struct output *out, const struct judged *j, const char *label, const char *name,
	 size_t nresolvers)
{
	char full[384];

	snprintf(full, sizeof(full), "%s%s%s%s%s", label, name != NULL ? "_" : "",
		 name != NULL ? name : "", nresolvers > 1 ? "_" : "",
		 nresolvers > 1 ? j->resolver : "");
	output_perfdata(out, &(struct perfdata){.label = full,
						.value = j->a->rtt,
						.unknown = j->a->cls == DNS_ERROR,
						.uom = "s",
						.warn = j->ask->warning,
						.crit = j->ask->critical,
						.has_min = true});
}

/* One resolver's answers (q: its queries; lq: local validation's, or NULL; fwd: whether it
 * passes DNSSEC data, or NULL): findings and perfdata. Returns true when every signed name
 * validated. */
static bool
judge_resolver(const struct verdict_resolver_ask *ask, const char *resolver,
	       const struct dns_query *q, const struct dns_query *lq,
	       const struct dns_trust_result *fwd, size_t nresolvers, struct output *out)
{
	bool others = false, all = true;
	struct judged j = {.ask = ask, .resolver = resolver};
	struct finding *f;
	size_t k, t;

	if (lq != NULL && judge_forwarder(out, resolver, fwd))
		lq = NULL; /* through it, local validation cannot judge */
	for (k = 0; k < ask->nsigned; k++)
		if (q[k].answer.cls != DNS_ERROR && q[k].answer.secure)
			others = true;
	for (k = 0; k < ask->nsigned; k++) {
		j.name = ask->signed_names[k];
		j.qtype = "SOA";
		j.a = &q[k].answer;
		f = judge_signed(out, &j, others);
		if (lq != NULL)
			judge_local(out, &j, &lq[k].answer, f);
		add_perf(out, &j, "time", k > 0 ? j.name : NULL, nresolvers);
		if (j.a->cls == DNS_ERROR || !j.a->secure)
			all = false;
	}
	if (ask->bogus_name != NULL) {
		j.name = ask->bogus_name;
		j.qtype = "A";
		j.a = &q[k].answer;
		f = judge_bogus(out, &j);
		if (lq != NULL)
			judge_local(out, &j, &lq[k].answer, f);
		add_perf(out, &j, "bogus_time", NULL, nresolvers);
		k++;
	}
	for (t = 0; t < ask->nroot_keys; t++, k += 2)
		judge_sentinel(out, resolver, ask->root_keys[t], &q[k], &q[k + 1]);
	return all;
}

/* Does every one of nres resolvers trust root key number t of ask (the sentinel)? */
static bool
all_trust(const struct verdict_resolver_ask *ask, size_t nres, const struct dns_query *queries,
	  size_t t)
{
	size_t per = verdict_resolver_nqueries(ask), i, k = verdict_resolver_nlocal(ask) + 2 * t;

	for (i = 0; i < nres; i++)
		if (dns_sentinel_read(&queries[i * per + k].answer,
				      &queries[i * per + k + 1].answer) != DNS_SENTINEL_TRUSTED)
			return false;
	return true;
}

void
verdict_resolver(const struct verdict_resolver_ask *ask, const struct dns_resolver *res,
		 const struct dns_query *queries, const struct verdict_resolver_local *local,
		 struct output *out)
{
	size_t per = verdict_resolver_nqueries(ask), nl = verdict_resolver_nlocal(ask), i;
	bool all_ok = true;
	char took[32], extra[160] = "";

	for (i = 0; i < res->nservers; i++) {
		const struct dns_query *lq = NULL;

		if (local != NULL)
			lq = &local->queries[local->shared ? 0 : i * nl];
		if (!judge_resolver(ask, res->servers[i].name, &queries[i * per], lq,
				    local != NULL && local->forwarder != NULL ? &local->forwarder[i]
									      : NULL,
				    res->nservers, out))
			all_ok = false;
	}
	if (output_state(out) != STATE_OK || !all_ok)
		return;
	if (local != NULL)
		snprintf(extra, sizeof(extra), ", local validation agrees");
	for (i = 0; i < ask->nroot_keys && strlen(extra) + 40 < sizeof(extra); i++)
		if (all_trust(ask, res->nservers, queries, i))
			snprintf(extra + strlen(extra), sizeof(extra) - strlen(extra),
				 ", trusts root key %u", ask->root_keys[i]);
	if (res->nservers == 1)
		output_summary(out, "%s validates DNSSEC (%s SOA with AD in %s%s%s%s)",
			       res->servers[0].name, ask->signed_names[0],
			       text_duration(queries[0].answer.rtt, took, sizeof(took)),
			       ask->nsigned > 1 ? ", and every other -q name" : "",
			       ask->bogus_name ? ", bogus data rejected" : "", extra);
	else
		output_summary(out, "all %zu resolvers validate DNSSEC%s%s", res->nservers,
			       ask->bogus_name ? " and reject bogus data" : "", extra);
}
