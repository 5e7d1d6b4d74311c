/*
 * plugin.h -- the skeleton every plugin shares: main() (parse the command
 * line into the plugin's config, start the deadline, run the check on the
 * config, read-only from then on, print the result, return the exit code)
 * and the steps the plugins would otherwise each repeat: -D or -H, the
 * resolver, the state of a value against -w/-c.
 *
 * A plugin keeps its own config struct, filled by its process_arguments()
 * (monitoring-plugins 3.x style), and hands plugin_main() its callbacks:
 *
 *	static const struct plugin plugin = {SERVICE, false, process_arguments,
 *					     run_check, NULL};
 *	struct config cfg = {0};
 *
 *	return plugin_main(&plugin, &cfg, &cfg.common, argc, argv);
 */
#ifndef DANE_PLUGIN_H
#define DANE_PLUGIN_H

#include <stdbool.h>

#include "deadline.h"
#include "dns.h"
#include "opts.h"
#include "output.h"

/** The resolver configuration read when -r is not given. */
#define PLUGIN_RESOLV_CONF "/etc/resolv.conf"

/** What a plugin hands to plugin_main(). */
struct plugin {
	const char *service; /* upper-case service name of the status line ("TLSA") */
	bool ignore_sigpipe; /* it writes to peers that may close: SIGPIPE must not kill it */
	/** Fill config from argv (defaults first). Returns 0, or -1 when out says why. */
	int (*parse)(int argc, char **argv, void *config, struct output *out);
	/** The check: facts -> verdicts -> out, within dl. */
	void (*run)(const void *config, struct deadline *dl, struct output *out);
	/** Free what parse() loaded into config; NULL when there is nothing. */
	void (*config_free)(void *config);
};

/**
 * A plugin's whole run: the output, p->parse(), the deadline from -t (read
 * from common, the common options inside config), p->run() with the
 * backstop armed, then the result is printed (output_finish()) and config
 * freed. Returns the exit code for main() to return.
 */
int plugin_main(const struct plugin *p, void *config, const struct opts_common *common, int argc,
		char **argv);

/**
 * The MX-based plugins check a domain (-D) or hosts (-H), not both, not
 * neither. Returns 0, or -1 with an UNKNOWN line in out.
 */
int plugin_mx_target(const struct opts_common *c, struct output *out);

/**
 * Set up the resolver of an MX-based plugin: -r when given, else the
 * nameservers of PLUGIN_RESOLV_CONF (none with --validate=local
 * --recursive), then plugin_validator(). Returns 0, or -1 with an UNKNOWN
 * line in out. Free with plugin_resolver_free().
 */
int plugin_mx_resolver(const struct opts_common *c, struct dns_resolver *res, struct output *out);

/**
 * With --validate=local: make res->validator (its trust anchor and root
 * hints files are read now; res's servers become its forwarders). Without:
 * nothing. Returns 0, or -1 with an UNKNOWN line in out (the file that
 * cannot be used: validation.file_unusable).
 */
int plugin_validator(const struct opts_common *c, struct dns_resolver *res, struct output *out);

/** Free what plugin_validator() made for res (the plugins' config_free). */
void plugin_resolver_free(struct dns_resolver *res);

/**
 * The state of a value against -w and -c: CRITICAL when -c is given and
 * alerts, else WARNING when -w is given and alerts, else OK.
 */
state_t plugin_threshold_state(const struct opts_common *c, double value);

/**
 * The result of a run that the deadline's backstop ended: CRITICAL "timed
 * out after SECONDS s while STAGE" (code plugin.timeout) and the 'time'
 * perfdata, rendered in format. Returns a malloc'd string, or NULL when out
 * of memory.
 */
char *plugin_timeout_render(const char *service, enum output_format format, unsigned int seconds,
			    const char *stage, double elapsed);

#endif /* DANE_PLUGIN_H */
