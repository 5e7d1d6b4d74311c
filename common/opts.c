/*
 * opts.c -- common command line options and the help text.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "deadline.h"
#include "opts.h"
#include "text.h"

#define OPTS_MAX_EXTRA 32

/* The getopt values of the long-only common options (below OPTS_EXTRA_BASE). */
enum {
	OPTC_OUTPUT_FORMAT = 200,
	OPTC_HELO,
	OPTC_KEY_TYPES,
	OPTC_VALIDATE,
	OPTC_TRUST_ANCHOR,
	OPTC_RECURSIVE,
	OPTC_ROOT_HINTS,
};

/* One common option: when the plugin takes it (0: always), and its text. */
struct common_opt {
	unsigned int set;
	const char *long_name;
	int short_name; /* a letter, or an OPTC_* value for a long-only option */
	bool has_arg;
	const char *arg_name;
	const char *help; /* NULL: taken from the spec (-H, -p, -w/-c) */
};

static const struct common_opt common_opts[] = {
    {0, "help", 'h', false, NULL, "Print this help and exit (state UNKNOWN, exit code 3)."},
    {0, "version", 'V', false, NULL, "Print the version and exit (state UNKNOWN, exit code 3)."},
    {OPTS_DOMAIN, "domain", 'D', true, "DOMAIN",
     "Mail domain: walk its MX records (RFC 7672 rules)."},
    {OPTS_HOST, "hostname", 'H', true, "HOST", NULL},
    {OPTS_PORT, "port", 'p', true, "PORT", NULL},
    {OPTS_RESOLVER, "resolver", 'r', true, "ADDR[@PORT]",
     "Validating resolver to ask (IPv4 or IPv6 literal, optional port);\n"
     "default: the nameservers of /etc/resolv.conf."},
    {0, "timeout", 't', true, "SECONDS",
     "Hard deadline for the whole plugin, default 10. When it passes the plugin\n"
     "ends with CRITICAL \"timed out after N s while <stage>\"."},
    {OPTS_FAMILY, "ipv4", '4', false, NULL, "Use IPv4 addresses only."},
    {OPTS_FAMILY, "ipv6", '6', false, NULL, "Use IPv6 addresses only."},
    {OPTS_THRESHOLDS, "warning", 'w', true, "RANGE", NULL},
    {OPTS_THRESHOLDS, "critical", 'c', true, "RANGE", NULL},
    {0, "verbose", 'v', false, NULL, "More detail lines; repeat (-vv) for more."},
    {OPTS_HELO, "helo", OPTC_HELO, true, "NAME", "Name sent with EHLO; default: this host's name."},
    {OPTS_KEY_TYPES, "key-types", OPTC_KEY_TYPES, true, "LIST",
     "Certificate types to ask every address for, comma-separated: ecdsa,\n"
     "rsa, ed25519; default: all. One handshake per type: a server with an\n"
     "ECDSA and an RSA certificate presents each to the senders that\n"
     "negotiate it, and each is judged on its own."},
    {OPTS_VALIDATE, "validate", OPTC_VALIDATE, true, "MODE",
     "resolver (default): trust the AD flag of the resolver, which must validate\n"
     "DNSSEC. local: validate DNSSEC here (libunbound), from the trust anchor of\n"
     "--trust-anchor; the resolver (-r, /etc/resolv.conf) then only has to pass\n"
     "DNSSEC data (signatures, DS and DNSKEY answers), as a cloud provider's or\n"
     "systemd-resolved's does."},
    {OPTS_VALIDATE, "trust-anchor", OPTC_TRUST_ANCHOR, true, "FILE",
     "With --validate=local: DS or DNSKEY records (one a line), or unbound's\n"
     "auto-trust-anchor file (read only); default " DNS_DEFAULT_TRUST_ANCHOR ".\n"
     "A file that cannot be read or holds no usable record is UNKNOWN."},
    {OPTS_VALIDATE, "recursive", OPTC_RECURSIVE, false, NULL,
     "With --validate=local: resolve from the root here, asking the\n"
     "authoritative servers (port 53), instead of through a resolver; for\n"
     "resolvers that strip DNSSEC data."},
    {OPTS_VALIDATE, "root-hints", OPTC_ROOT_HINTS, true, "FILE",
     "With --recursive: the root servers (NS and A/AAAA records), for networks\n"
     "with a root of their own; default: libunbound's built-in root hints."},
    {0, "output-format", OPTC_OUTPUT_FORMAT, true, "FORMAT",
     "multi-line (default): the status line, perfdata and detail lines of the\n"
     "Monitoring Plugins guidelines; json: one JSON object with the state, the\n"
     "findings (stable codes, subjects, parameters) and the perfdata (see the\n"
     "man page). The exit code is the same."},
};

/* Is this a short option letter (not an OPTC_* value)? */
static bool
is_letter(int opt)
{
	return opt > 0 && opt < 128;
}

#define NCOMMON (sizeof(common_opts) / sizeof(common_opts[0]))

static bool
common_taken(const struct opts_spec *spec, const struct common_opt *o)
{
	return o->set == 0 || (spec->common & o->set) != 0;
}

static const char *
common_help(const struct opts_spec *spec, const struct common_opt *o)
{
	if (o->help != NULL)
		return o->help;
	switch (o->short_name) {
	case 'H':
		return spec->host_help ? spec->host_help : "Host to check.";
	case 'p':
		return spec->port_help ? spec->port_help : "Port.";
	case 'w':
		return spec->threshold_help ? spec->threshold_help
					    : "Warning threshold range (see THRESHOLDS).";
	case 'c':
		return spec->threshold_help ? "Critical threshold range, as -w."
					    : "Critical threshold range (see THRESHOLDS).";
	default:
		return "";
	}
}

/* Print help text lines indented by 4 spaces. */
static void
put_indented(FILE *f, const char *text)
{
	const char *p = text, *nl;

	while (*p != '\0') {
		nl = strchr(p, '\n');
		if (nl == NULL)
			nl = p + strlen(p);
		fprintf(f, "    %.*s\n", (int)(nl - p), p);
		p = *nl ? nl + 1 : nl;
	}
}

static void
put_option(FILE *f, int short_name, const char *long_name, const char *arg_name, const char *help)
{
	if (is_letter(short_name))
		fprintf(f, " -%c, --%s", short_name, long_name);
	else
		fprintf(f, "     --%s", long_name);
	if (arg_name != NULL)
		fprintf(f, "=%s", arg_name);
	fputc('\n', f);
	put_indented(f, help);
}

char *
opts_usage(const struct opts_spec *spec)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (f == NULL)
		return NULL;
	fprintf(f, "Usage: %s %s [-t SECONDS] [-v]%s%s%s\n       %s -h | -V\n", spec->program,
		spec->usage_args ? spec->usage_args : "",
		(spec->common & OPTS_FAMILY) ? " [-4|-6]" : "",
		(spec->common & OPTS_THRESHOLDS) ? " [-w RANGE] [-c RANGE]" : "",
		(spec->common & OPTS_VALIDATE) ? " [--validate=local [--trust-anchor FILE] "
						 "[--recursive [--root-hints FILE]]]"
					       : "",
		spec->program);
	if (fclose(f) != 0) {
		free(text);
		return NULL;
	}
	return text;
}

char *
opts_help(const struct opts_spec *spec)
{
	char *text = NULL, *usage;
	size_t len = 0, i;
	FILE *f;

	usage = opts_usage(spec);
	if (usage == NULL)
		return NULL;
	f = open_memstream(&text, &len);
	if (f == NULL) {
		free(usage);
		return NULL;
	}
	fprintf(f, "%s (%s) %s\n\n%s\n\n%s\nOptions:\n", spec->program, PACKAGE_NAME,
		PACKAGE_VERSION, spec->purpose, usage);
	free(usage);
	for (i = 0; i < NCOMMON; i++) {
		const struct common_opt *o = &common_opts[i];

		if (common_taken(spec, o))
			put_option(f, o->short_name, o->long_name, o->has_arg ? o->arg_name : NULL,
				   common_help(spec, o));
	}
	for (i = 0; i < spec->nextra; i++) {
		const struct opts_extra *e = &spec->extra[i];

		put_option(f, e->short_name, e->long_name, e->has_arg ? e->arg_name : NULL,
			   e->help);
	}
	if (spec->common & OPTS_THRESHOLDS)
		fputs("\nTHRESHOLDS (Monitoring Plugins ranges; alert when the value is...):\n"
		      "    10      outside 0..10        10:     below 10\n"
		      "    ~:10    above 10             10:20   outside 10..20\n"
		      "    @10:20  inside 10..20 (inclusive)\n",
		      f);
	fputs("\nSTATES: OK (0), WARNING (1), CRITICAL (2), UNKNOWN (3: bad arguments or a\n"
	      "local failure). Network failures and timeouts are CRITICAL. Nothing is written\n"
	      "to stderr.\n",
	      f);
	if (spec->notes != NULL)
		fprintf(f, "\n%s\n", spec->notes);
	if (spec->examples != NULL)
		fprintf(f, "\nExamples:\n%s\n", spec->examples);
	if (fclose(f) != 0) {
		free(text);
		return NULL;
	}
	return text;
}

int
opts_parse_port(const char *text, unsigned int *port)
{
	unsigned long v;

	if (text_parse_uint(text, 1, 65535, &v) != 0)
		return -1;
	*port = (unsigned int)v;
	return 0;
}

/* Report a usage error: UNKNOWN, the message, and the short usage. */
enum opts_result
opts_usage_error(const struct opts_spec *spec, struct output *out, const char *msg)
{
	char *usage = opts_usage(spec);

	output_unknown(out, FC_PLUGIN_USAGE, "%s", msg);
	if (usage != NULL) {
		char *nl;
		char *line = usage;

		/* one detail line per usage line ('|' may not appear in detail lines) */
		for (nl = usage; *nl != '\0'; nl++)
			if (*nl == '|')
				*nl = '/';
		while ((nl = strchr(line, '\n')) != NULL) {
			*nl = '\0';
			finding_add(out, NULL, STATE_UNKNOWN, FC_PLUGIN_USAGE_LINE, "%s", line);
			line = nl + 1;
		}
		free(usage);
	}
	return OPTS_STOP;
}

/* The getopt_long() tables for the options the plugin takes. */
static void
getopt_tables(const struct opts_spec *spec, struct option *longopts, char *shortopts)
{
	size_t nlong = 0, ns = 0, i;

	shortopts[ns++] = ':'; /* report missing arguments as ':' */
	for (i = 0; i < NCOMMON; i++) {
		const struct common_opt *o = &common_opts[i];

		if (!common_taken(spec, o))
			continue;
		longopts[nlong++] =
		    (struct option){o->long_name, o->has_arg ? required_argument : no_argument,
				    NULL, o->short_name};
		if (!is_letter(o->short_name))
			continue;
		shortopts[ns++] = (char)o->short_name;
		if (o->has_arg)
			shortopts[ns++] = ':';
	}
	for (i = 0; i < spec->nextra; i++) {
		const struct opts_extra *e = &spec->extra[i];

		longopts[nlong++] = (struct option){
		    e->long_name, e->has_arg ? required_argument : no_argument, NULL, e->value};
		if (e->short_name) {
			shortopts[ns++] = (char)e->short_name;
			if (e->has_arg)
				shortopts[ns++] = ':';
		}
	}
	longopts[nlong] = (struct option){NULL, 0, NULL, 0};
	shortopts[ns] = '\0';
}

/* -h and -V: the help or version text is the whole output. */
static enum opts_result
help_or_version(const struct opts_spec *spec, int opt, struct output *out)
{
	char version[256], *help;

	if (opt == 'V') {
		snprintf(version, sizeof(version), "%s (%s) %s\n", spec->program, PACKAGE_NAME,
			 PACKAGE_VERSION);
		output_text(out, version);
		return OPTS_STOP;
	}
	help = opts_help(spec);
	if (help == NULL) {
		output_unknown(out, FC_PLUGIN_LOCAL_FAILURE, "out of memory");
	} else {
		output_text(out, help);
		free(help);
	}
	return OPTS_STOP;
}

/*
 * A common option with a value: store it in c. Returns 0, or -1 with the
 * reason in err.
 */
static int
common_value(int opt, const char *arg, struct opts_common *c, char *err, size_t errsize)
{
	switch (opt) {
	case 'D':
		c->domain = arg;
		return 0;
	case 'H':
		if (c->nhosts >= OPTS_MAX_HOSTS) {
			snprintf(err, errsize, "too many -H options (at most %d)", OPTS_MAX_HOSTS);
			return -1;
		}
		c->hosts[c->nhosts++] = arg;
		return 0;
	case 'p':
		if (opts_parse_port(arg, &c->port) != 0) {
			snprintf(err, errsize, "invalid port '%.40s' (expected 1-65535)", arg);
			return -1;
		}
		return 0;
	case 'r':
		c->resolver = arg;
		return 0;
	case 't':
		if (deadline_parse_seconds(arg, &c->timeout) != 0) {
			snprintf(err, errsize,
				 "invalid timeout '%.40s' (expected whole seconds, 1-%d)", arg,
				 DEADLINE_MAX_SECONDS);
			return -1;
		}
		return 0;
	case 'w':
		if (range_parse(arg, &c->warning, err, errsize) != 0)
			return -1;
		c->has_warning = true;
		return 0;
	case 'c':
		if (range_parse(arg, &c->critical, err, errsize) != 0)
			return -1;
		c->has_critical = true;
		return 0;
	case OPTC_HELO:
		if (opts_helo_name(arg, c->helo, sizeof(c->helo)) != 0) {
			snprintf(err, errsize, "invalid --helo name");
			return -1;
		}
		return 0;
	case OPTC_KEY_TYPES: {
		char why[128];

		if (probe_types_parse(arg, &c->types, why, sizeof(why)) != 0) {
			snprintf(err, errsize, "invalid --key-types: %s", why);
			return -1;
		}
		return 0;
	}
	case OPTC_VALIDATE:
		if (strcmp(arg, "local") != 0 && strcmp(arg, "resolver") != 0) {
			snprintf(err, errsize,
				 "invalid --validate '%.40s' (expected resolver or local)", arg);
			return -1;
		}
		c->validate_local = strcmp(arg, "local") == 0;
		return 0;
	case OPTC_TRUST_ANCHOR:
		c->trust_anchor = arg;
		return 0;
	case OPTC_ROOT_HINTS:
		c->root_hints = arg;
		return 0;
	case OPTC_OUTPUT_FORMAT:
		return 0; /* read by output_format_scan() */
	default:
		snprintf(err, errsize, "unexpected option");
		return -1;
	}
}

/* False for a common option's letter that the plugin does not take. */
static bool
common_letter_taken(const struct opts_spec *spec, int opt)
{
	size_t i;

	for (i = 0; i < NCOMMON; i++)
		if (common_opts[i].short_name == opt)
			return common_taken(spec, &common_opts[i]);
	return true;
}

/* A plugin option and its argument (optarg) to fn. */
static enum opts_result
extra_value(opts_extra_fn fn, void *ctx, int opt, const struct opts_spec *spec, struct output *out)
{
	char err[256];

	if (fn == NULL) {
		snprintf(err, sizeof(err), "unexpected option");
		return opts_usage_error(spec, out, err);
	}
	if (fn(ctx, opt, optarg, err, sizeof(err)) != 0)
		return opts_usage_error(spec, out, err);
	return OPTS_CONTINUE;
}

/*
 * One option from getopt_long(): a common option into c, a plugin option to
 * fn. Returns OPTS_CONTINUE, or OPTS_STOP when out has the help, the version
 * or the usage error.
 */
static enum opts_result
one_option(const struct opts_spec *spec, int opt, char **argv, struct opts_common *c,
	   opts_extra_fn fn, void *ctx, struct output *out)
{
	char err[256];

	/* a common letter the plugin does not take may be its own option (-w, -D) */
	if (!common_letter_taken(spec, opt))
		return extra_value(fn, ctx, opt, spec, out);
	switch (opt) {
	case 'h':
	case 'V':
		return help_or_version(spec, opt, out);
	case 'D':
	case 'H':
	case 'p':
	case 'r':
	case 't':
	case 'w':
	case 'c':
	case OPTC_HELO:
	case OPTC_KEY_TYPES:
	case OPTC_VALIDATE:
	case OPTC_TRUST_ANCHOR:
	case OPTC_ROOT_HINTS:
	case OPTC_OUTPUT_FORMAT:
		if (common_value(opt, optarg, c, err, sizeof(err)) != 0)
			return opts_usage_error(spec, out, err);
		return OPTS_CONTINUE;
	case '4':
	case '6':
		c->family = opt == '4' ? AF_INET : AF_INET6;
		return OPTS_CONTINUE;
	case 'v':
		c->verbose++;
		return OPTS_CONTINUE;
	case OPTC_RECURSIVE:
		c->recursive = true;
		return OPTS_CONTINUE;
	case ':':
		snprintf(err, sizeof(err), "option '%.40s' needs an argument", argv[optind - 1]);
		return opts_usage_error(spec, out, err);
	case '?':
		if (is_letter(optopt))
			snprintf(err, sizeof(err), "unknown option '-%c'", optopt);
		else
			snprintf(err, sizeof(err), "unknown option '%.40s'", argv[optind - 1]);
		return opts_usage_error(spec, out, err);
	default:
		return extra_value(fn, ctx, opt, spec, out);
	}
}

/*
 * --output-format, read before everything else so that a usage error
 * anywhere on the command line is printed in the format asked for. Accepts
 * "--output-format=F", "--output-format F" and abbreviations down to
 * "--output" (as getopt_long does); stops at "--". Returns 0, or -1 with err
 * for a format it does not know.
 */
static int
output_format_scan(int argc, char **argv, enum output_format *format, char *err, size_t errsize)
{
	static const char name[] = "output-format";
	int i;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *value;
		size_t n;

		if (strcmp(a, "--") == 0)
			break;
		if (strncmp(a, "--", 2) != 0)
			continue;
		a += 2;
		n = strcspn(a, "=");
		if (n < 6 || n > sizeof(name) - 1 || strncmp(a, name, n) != 0)
			continue;
		if (a[n] == '=')
			value = a + n + 1;
		else if (i + 1 < argc)
			value = argv[++i];
		else
			continue; /* getopt says the argument is missing */
		if (strcmp(value, "json") == 0) {
			*format = OUTPUT_JSON;
		} else if (strcmp(value, "multi-line") == 0) {
			*format = OUTPUT_MULTI_LINE;
		} else {
			snprintf(err, errsize,
				 "invalid --output-format '%.40s' (expected multi-line or json)",
				 value);
			return -1;
		}
	}
	return 0;
}

/* The options of --validate go together. Returns 0, or -1 with err. */
static int
validate_options(const struct opts_common *c, char *err, size_t errsize)
{
	if (!c->validate_local && (c->trust_anchor || c->recursive || c->root_hints)) {
		snprintf(err, errsize, "--%s needs --validate=local",
			 c->trust_anchor ? "trust-anchor"
			 : c->recursive  ? "recursive"
					 : "root-hints");
		return -1;
	}
	if (c->root_hints != NULL && !c->recursive) {
		snprintf(err, errsize, "--root-hints needs --recursive");
		return -1;
	}
	if (c->recursive && c->resolver != NULL) {
		snprintf(err, errsize, "--recursive asks no resolver: leave out -r");
		return -1;
	}
	return 0;
}

enum opts_result
opts_parse(const struct opts_spec *spec, int argc, char **argv, struct opts_common *c,
	   opts_extra_fn fn, void *ctx, struct output *out)
{
	struct option longopts[NCOMMON + OPTS_MAX_EXTRA + 1];
	char shortopts[2 * (NCOMMON + OPTS_MAX_EXTRA) + 2];
	char err[256];
	int opt, rc;

	memset(c, 0, sizeof(*c));
	c->port = spec->default_port;
	c->timeout = OPTS_DEFAULT_TIMEOUT;
	c->family = AF_UNSPEC;
	probe_types_all(&c->types);

	rc = output_format_scan(argc, argv, &c->format, err, sizeof(err));
	output_set_format(out, c->format);
	if (rc != 0)
		return opts_usage_error(spec, out, err);
	if (spec->nextra > OPTS_MAX_EXTRA) {
		output_unknown(out, FC_PLUGIN_LOCAL_FAILURE,
			       "internal error: too many plugin options");
		return OPTS_STOP;
	}
	getopt_tables(spec, longopts, shortopts);
	opterr = 0; /* getopt must not write to stderr */
	optind = 0; /* full reset, so that parsing can run more than once */
	while ((opt = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1)
		if (one_option(spec, opt, argv, c, fn, ctx, out) != OPTS_CONTINUE)
			return OPTS_STOP;
	if (optind < argc) {
		snprintf(err, sizeof(err), "unexpected argument '%.40s'", argv[optind]);
		return opts_usage_error(spec, out, err);
	}
	if (validate_options(c, err, sizeof(err)) != 0)
		return opts_usage_error(spec, out, err);
	if ((spec->common & OPTS_HELO) && c->helo[0] == '\0')
		opts_helo_name(NULL, c->helo, sizeof(c->helo));
	output_set_verbosity(out, c->verbose);
	return OPTS_CONTINUE;
}

int
opts_helo_name(const char *arg, char *dst, size_t dstsize)
{
	const char *p;

	if (arg != NULL) {
		if (*arg == '\0' || strlen(arg) >= dstsize)
			return -1;
		for (p = arg; *p != '\0'; p++)
			if (*p <= ' ' || *p >= 0x7f)
				return -1;
		snprintf(dst, dstsize, "%s", arg);
		return 0;
	}
	if (gethostname(dst, dstsize - 1) != 0 || dst[0] == '\0')
		snprintf(dst, dstsize, "localhost");
	dst[dstsize - 1] = '\0';
	return 0;
}
