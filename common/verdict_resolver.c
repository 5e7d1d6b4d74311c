/*
 * verdict_resolver.c -- the verdicts of check_dnssec_resolver on its
 * resolvers' answers (see verdict_resolver.h).
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

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
	if (ask->critical != NULL && range_alerts(ask->critical, a->rtt))
		return STATE_CRITICAL;
	if (ask->warning != NULL && range_alerts(ask->warning, a->rtt))
		return STATE_WARNING;
	return STATE_OK;
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
	char range[64];

	if (ask->warning != NULL) {
		range_format(ask->warning, range, sizeof(range));
		finding_param_str(f, "warning", range);
	}
	if (ask->critical != NULL) {
		range_format(ask->critical, range, sizeof(range));
		finding_param_str(f, "critical", range);
	}
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
static void
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
			return;
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
		return;
	case DNS_BOGUS:
		judged_add(out, j, STATE_CRITICAL, FC_RESOLVER_SIGNED_NAME_FAILS,
			   "%s fails to validate the signed name %s: %s; check the resolver's "
			   "trust anchor and clock",
			   j->resolver, j->name, what);
		return;
	case DNS_ERROR:
	default:
		judged_add(out, j, STATE_CRITICAL, FC_RESOLVER_NO_ANSWER,
			   "%s: no answer for %s SOA: %s", j->resolver, j->name, what);
		return;
	}
}

/* Verdict on the bogus-name answer. */
static void
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
		return;
	case DNS_SECURE:
	case DNS_INSECURE:
		f = judged_add(out, j, STATE_CRITICAL, FC_RESOLVER_ACCEPTS_BOGUS,
			       "%s returned bogus data for %s A (%s): it does not reject data "
			       "that fails validation",
			       j->resolver, j->name, what);
		add_records(out, f, j);
		return;
	case DNS_NONEXISTENT:
		judged_add(out, j, STATE_WARNING, FC_RESOLVER_BOGUS_INCONCLUSIVE,
			   "bogus probe inconclusive: %s answered %s A with %s; use a name whose "
			   "data exists but does not validate",
			   j->resolver, j->name, what);
		return;
	case DNS_ERROR:
	default:
		if (a->error == DNS_ERR_SERVFAIL)
			judged_add(out, j, STATE_WARNING, FC_RESOLVER_BOGUS_INCONCLUSIVE,
				   "%s: bogus probe inconclusive for %s A: %s", j->resolver,
				   j->name, what);
		else
			judged_add(out, j, STATE_CRITICAL, FC_RESOLVER_NO_ANSWER,
				   "%s: no answer for %s A: %s", j->resolver, j->name, what);
		return;
	}
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

/* One resolver's answers (q: its queries): findings and perfdata. Returns
 * true when every signed name validated. */
static bool
judge_resolver(const struct verdict_resolver_ask *ask, const char *resolver,
	       const struct dns_query *q, size_t nresolvers, struct output *out)
{
	bool others = false, all = true;
	struct judged j = {.ask = ask, .resolver = resolver};
	size_t k;

	for (k = 0; k < ask->nsigned; k++)
		if (q[k].answer.cls != DNS_ERROR && q[k].answer.secure)
			others = true;
	for (k = 0; k < ask->nsigned; k++) {
		j.name = ask->signed_names[k];
		j.qtype = "SOA";
		j.a = &q[k].answer;
		judge_signed(out, &j, others);
		add_perf(out, &j, "time", k > 0 ? j.name : NULL, nresolvers);
		if (j.a->cls == DNS_ERROR || !j.a->secure)
			all = false;
	}
	if (ask->bogus_name != NULL) {
		j.name = ask->bogus_name;
		j.qtype = "A";
		j.a = &q[k].answer;
		judge_bogus(out, &j);
		add_perf(out, &j, "bogus_time", NULL, nresolvers);
	}
	return all;
}

void
verdict_resolver(const struct verdict_resolver_ask *ask, const struct dns_resolver *res,
		 const struct dns_query *queries, struct output *out)
{
	size_t per = verdict_resolver_nqueries(ask), i;
	bool all_ok = true;
	char took[32];

	for (i = 0; i < res->nservers; i++)
		if (!judge_resolver(ask, res->servers[i].name, &queries[i * per], res->nservers,
				    out))
			all_ok = false;
	if (output_state(out) != STATE_OK || !all_ok)
		return;
	if (res->nservers == 1)
		output_summary(out, "%s validates DNSSEC (%s SOA with AD in %s%s%s)",
			       res->servers[0].name, ask->signed_names[0],
			       text_duration(queries[0].answer.rtt, took, sizeof(took)),
			       ask->nsigned > 1 ? ", and every other -q name" : "",
			       ask->bogus_name ? ", bogus data rejected" : "");
	else
		output_summary(out, "all %zu resolvers validate DNSSEC%s", res->nservers,
			       ask->bogus_name ? " and reject bogus data" : "");
}
