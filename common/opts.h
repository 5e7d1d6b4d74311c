/*
 * opts.h -- the common command line options of every plugin and their help
 * text (one source for the text: the option table in opts.c).
 *
 * A plugin describes itself in a struct opts_spec (which common options it
 * takes, what -H, -p and -w/-c mean for it, its own options, examples) and
 * calls opts_parse(). Its own options are handed to a callback.
 */
#ifndef DANE_OPTS_H
#define DANE_OPTS_H

#include <stdbool.h>
#include <stddef.h>

#include "output.h"
#include "probe.h"
#include "range.h"

/** Common options a plugin can take (bit mask in struct opts_spec). */
enum opts_common_set {
	OPTS_DOMAIN = 1 << 0,     /* -D, --domain */
	OPTS_HOST = 1 << 1,       /* -H, --hostname (repeatable) */
	OPTS_PORT = 1 << 2,       /* -p, --port */
	OPTS_RESOLVER = 1 << 3,   /* -r, --resolver */
	OPTS_FAMILY = 1 << 4,     /* -4, -6 */
	OPTS_THRESHOLDS = 1 << 5, /* -w, -c */
	OPTS_HELO = 1 << 6,       /* --helo NAME (default: this host's name) */
	OPTS_KEY_TYPES = 1 << 7,  /* --key-types LIST (default: every type) */
	OPTS_VALIDATE = 1 << 8,   /* --validate=resolver|local, --trust-anchor FILE, --recursive,
				     --root-hints FILE */
};

/**
 * The first value a plugin may give its own long-only options (struct
 * opts_extra.value): short options use their letter, long-only ones an enum
 * starting here.
 */
#define OPTS_EXTRA_BASE 256

/** Most -H options accepted. */
#define OPTS_MAX_HOSTS 16

/** Default for -t, in seconds. */
#define OPTS_DEFAULT_TIMEOUT 10

/** The values of the common options after parsing. */
struct opts_common {
	const char *domain;                /* -D, or NULL */
	const char *hosts[OPTS_MAX_HOSTS]; /* -H, in the order given */
	size_t nhosts;
	unsigned int port;              /* -p, or the plugin's default */
	const char *resolver;           /* -r ADDR[@PORT], or NULL */
	unsigned int timeout;           /* -t seconds */
	int family;                     /* AF_UNSPEC, AF_INET (-4), AF_INET6 (-6) */
	struct range warning, critical; /* -w, -c */
	bool has_warning, has_critical;
	int verbose;               /* number of -v */
	enum output_format format; /* --output-format */
	char helo[256];            /* --helo, or this host's name (OPTS_HELO) */
	struct probe_types types;  /* --key-types, default every type (OPTS_KEY_TYPES) */
	bool validate_local;       /* --validate=local (OPTS_VALIDATE) */
	const char *trust_anchor;  /* --trust-anchor FILE, or NULL (the default anchor) */
	bool recursive;            /* --recursive */
	const char *root_hints;    /* --root-hints FILE, or NULL (libunbound's built-in) */
};

/** A plugin's own option. */
struct opts_extra {
	int value;             /* handed to the callback: short_name, or OPTS_EXTRA_BASE + n */
	const char *long_name; /* without "--" */
	int short_name;        /* a letter, or 0 for long-only */
	bool has_arg;
	const char *arg_name; /* e.g. "NAME", for the help text */
	const char *help;     /* one or more lines, without indentation */
};

/** How a plugin presents itself and which options it takes. */
struct opts_spec {
	const char *program;   /* "check_dnssec_resolver" */
	const char *purpose;   /* one paragraph: what it checks */
	unsigned int common;   /* OPTS_* bits */
	const char *host_help; /* meaning of -H for this plugin */
	const char *port_help; /* meaning of -p, with its default */
	unsigned int default_port;
	const char *threshold_help; /* meaning of -w/-c */
	const struct opts_extra *extra;
	size_t nextra;
	const char *usage_args; /* e.g. "-H ADDR [-q NAME] [-b NAME]" */
	const char *notes;      /* states, perfdata labels; may be NULL */
	const char *examples;   /* example command lines; may be NULL */
};

/**
 * Called for each of the plugin's own options: opt is the option's value
 * (struct opts_extra.value); arg is NULL without an argument. Return 0, or
 * -1 with a message in err.
 */
typedef int (*opts_extra_fn)(void *ctx, int opt, const char *arg, char *err, size_t errsize);

/** Result of opts_parse(). */
enum opts_result {
	OPTS_CONTINUE = 0, /* run the check */
	OPTS_STOP = 1,     /* help, version or an error is in the output: finish */
};

/**
 * Parse argv into c (defaults first) and the plugin's callback. The output
 * format (--output-format) is read first and set on out, so that even a
 * usage error is printed in it. On -h/-V the help/version text is put into
 * out; on a bad option or value an UNKNOWN result with the short usage.
 * Either way OPTS_STOP is returned and main() finishes with output_finish()
 * (exit 3).
 */
enum opts_result opts_parse(const struct opts_spec *spec, int argc, char **argv,
			    struct opts_common *c, opts_extra_fn fn, void *ctx, struct output *out);

/**
 * A usage error: an UNKNOWN result saying msg, then the short usage, one
 * detail line per usage line. Returns OPTS_STOP.
 */
enum opts_result opts_usage_error(const struct opts_spec *spec, struct output *out,
				  const char *msg);

/** The full --help text (malloc'd), or NULL when out of memory. */
char *opts_help(const struct opts_spec *spec);

/** The one-line usage text (malloc'd), or NULL when out of memory. */
char *opts_usage(const struct opts_spec *spec);

/**
 * Parse a port number 1..65535, strictly (digits only). Returns 0 or -1.
 */
int opts_parse_port(const char *text, unsigned int *port);

/**
 * The EHLO name: arg (from --helo) when given, checked to be one word of
 * printable ASCII; else this host's name, or "localhost". Returns 0, or -1
 * for an invalid arg.
 */
int opts_helo_name(const char *arg, char *dst, size_t dstsize);

#endif /* DANE_OPTS_H */
