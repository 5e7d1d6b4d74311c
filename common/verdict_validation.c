/*
 * verdict_validation.c -- --validate=local that cannot be set up.
 */
#include "config.h"

#include "verdict_validation.h"
#include "words_dns.h"

/* A short word for a problem (param "problem"). */
static const char *
problem_word(enum dns_validator_problem p)
{
	switch (p) {
	case DNS_VALIDATOR_UNREADABLE:
		return "unreadable";
	case DNS_VALIDATOR_TOO_BIG:
		return "too_big";
	case DNS_VALIDATOR_SYNTAX:
		return "syntax";
	case DNS_VALIDATOR_NO_ANCHOR:
		return "no_anchor";
	case DNS_VALIDATOR_TOO_MANY:
		return "too_many";
	case DNS_VALIDATOR_NO_HINTS:
		return "no_hints";
	default:
		return "other";
	}
}

void
verdict_validation_setup(const struct dns_validator_failure *f, struct output *out)
{
	char words[DNS_VALIDATOR_FILE_MAX + 256];
	struct finding *finding;

	words_dns_validator_failure(f, words, sizeof(words));
	switch (f->problem) {
	case DNS_VALIDATOR_NO_FORWARDER:
		output_unknown(out, FC_PLUGIN_USAGE, "--validate=local: %s", words);
		return;
	case DNS_VALIDATOR_MEMORY:
	case DNS_VALIDATOR_OK:
		output_unknown(out, FC_PLUGIN_LOCAL_FAILURE, "--validate=local: %s", words);
		return;
	case DNS_VALIDATOR_LIBRARY:
		finding = finding_add(out, NULL, STATE_UNKNOWN, FC_VALIDATION_LIBRARY_UNAVAILABLE,
				      "--validate=local: %s", words);
		finding_subject(finding, &(struct finding_subject){.file = f->lib.library});
		finding_param_str(finding, "library", f->lib.library);
		if (f->lib.problem == UNBOUND_LIB_SYMBOL)
			finding_param_str(finding, "symbol", f->lib.symbol);
		finding_param_str(finding, "error", f->lib.error);
		return;
	default:
		break;
	}
	finding = finding_add(out, NULL, STATE_UNKNOWN, FC_VALIDATION_FILE_UNUSABLE,
			      "--validate=local: %s", words);
	finding_subject(finding, &(struct finding_subject){.file = f->file});
	finding_param_str(finding, "option", f->hints ? "--root-hints" : "--trust-anchor");
	finding_param_str(finding, "problem", problem_word(f->problem));
	if (f->problem == DNS_VALIDATOR_SYNTAX)
		finding_param_int(finding, "line", (long long)f->line);
}
