/*
 * plugin.c -- parse -> deadline -> run -> print, and the MX plugins' set-up.
 */
#include "config.h"

#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "dns_validator.h"
#include "plugin.h"
#include "verdict_validation.h"

/* What the backstop needs to render the timeout. */
struct backstop_ctx {
	const char *service;
	enum output_format format;
};

char *
plugin_timeout_render(const char *service, enum output_format format, unsigned int seconds,
		      const char *stage, double elapsed)
{
	struct output *out = output_new(service);
	struct finding *f;
	char *text;

	if (out == NULL)
		return NULL;
	output_set_format(out, format);
	f = finding_add(out, NULL, STATE_CRITICAL, FC_PLUGIN_TIMEOUT,
			"timed out after %u s while %s", seconds, stage);
	finding_param_int(f, "timeout", seconds);
	finding_param_str(f, "stage", stage);
	output_perfdata(out, &(struct perfdata){
				 .label = "time", .value = elapsed, .uom = "s", .has_min = true});
	text = output_render(out);
	output_free(out);
	return text;
}

/*
 * The backstop (deadline.h), in the timer's own thread: the run outlived -t,
 * so its result is a timeout, rendered by the same renderer as every result
 * (a new output: the run's tree may be half-built), written with write(2),
 * and the process ends CRITICAL at once.
 */
static void
backstop(const struct deadline *dl, const char *stage, void *ctx)
{
	const struct backstop_ctx *b = ctx;
	char *text =
	    plugin_timeout_render(b->service, b->format, dl->seconds, stage, deadline_elapsed(dl));
	const char *s = text != NULL ? text : "CRITICAL - timed out\n";
	ssize_t w;

	w = write(STDOUT_FILENO, s, strlen(s));
	(void)w;
	_exit(STATE_CRITICAL);
}

int
plugin_main(const struct plugin *p, void *config, const struct opts_common *common, int argc,
	    char **argv)
{
	struct output *out = output_new(p->service);
	struct backstop_ctx bctx = {p->service, OUTPUT_MULTI_LINE};
	struct deadline dl;
	int rc;

	/*
	 * OpenSSL, before its first use: no configuration file, no table of
	 * legacy cipher names, no cleanup at exit. What a sender elsewhere
	 * negotiates does not depend on this machine's openssl.cnf (versions,
	 * ciphers and security level are the library's compiled defaults, as
	 * Debian builds them); reading it cost ~0.8 M instructions a run.
	 * libssl fetches its ciphers from the provider and DANE needs only the
	 * digests, so registering every cipher by name (~2.2 M) is not needed.
	 * The process ends right after the output: freeing OpenSSL's tables
	 * first cost ~1.4 M more, and a probe thread still inside OpenSSL when
	 * the deadline ends the run must not see them freed under it.
	 */
	OPENSSL_init_crypto(OPENSSL_INIT_NO_LOAD_CONFIG | OPENSSL_INIT_NO_ADD_ALL_CIPHERS |
				OPENSSL_INIT_NO_ATEXIT,
			    NULL);
	if (out == NULL)
		return output_finish(NULL);
	if (p->parse(argc, argv, config, out) != 0)
		goto finish;
	if (p->ignore_sigpipe)
		signal(SIGPIPE, SIG_IGN); /* a peer that closes must not kill us mid-write */
	deadline_start(&dl, common->timeout);
	bctx.format = common->format;
	deadline_arm_backstop(&dl, backstop, &bctx);
	p->run(config, &dl, out);
	deadline_disarm_backstop(&dl);
finish:
	rc = output_finish(out);
	if (p->config_free != NULL)
		p->config_free(config);
	return rc;
}

int
plugin_mx_target(const struct opts_common *c, struct output *out)
{
	if ((c->domain == NULL) == (c->nhosts == 0)) {
		output_unknown(out, FC_PLUGIN_USAGE,
			       "give either -D DOMAIN or -H HOST (see --help)");
		return -1;
	}
	return 0;
}

int
plugin_mx_resolver(const struct opts_common *c, struct dns_resolver *res, struct output *out)
{
	char err[256];

	memset(res, 0, sizeof(*res));
	/* --recursive asks the authoritative servers: no resolver, resolv.conf not needed */
	if (!(c->validate_local && c->recursive) &&
	    dns_resolver_setup(res, c->resolver, PLUGIN_RESOLV_CONF, err, sizeof(err)) != 0) {
		output_unknown(out, FC_PLUGIN_USAGE, "%s", err);
		return -1;
	}
	return plugin_validator(c, res, out);
}

int
plugin_validator(const struct opts_common *c, struct dns_resolver *res, struct output *out)
{
	const struct dns_validator_config cfg = {.trust_anchor = c->trust_anchor,
						 .recursive = c->recursive,
						 .root_hints = c->root_hints};
	struct dns_validator_failure why;

	res->validator = NULL;
	if (!c->validate_local)
		return 0;
	res->validator = dns_validator_new(&cfg, res, &why);
	if (res->validator == NULL) {
		verdict_validation_setup(&why, out);
		return -1;
	}
	return 0;
}

void
plugin_resolver_free(struct dns_resolver *res)
{
	dns_validator_free(res->validator);
	res->validator = NULL;
}

state_t
plugin_threshold_state(const struct opts_common *c, double value)
{
	if (c->has_critical && range_alerts(&c->critical, value))
		return STATE_CRITICAL;
	if (c->has_warning && range_alerts(&c->warning, value))
		return STATE_WARNING;
	return STATE_OK;
}
