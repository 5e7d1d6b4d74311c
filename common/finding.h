/*
 * finding.h -- a finding: one typed verdict of a plugin run,
 *
 *	{state, code, subject, params, text, findings}
 *
 * code is the stable machine name (finding_codes.h), subject says what it is
 * about (domain, MX host, address, port, certificate type, TLSA record,
 * nameserver, ...), params are the facts behind it (the record that would
 * match, days left, an EDE code, ...), text is the line an operator reads,
 * and findings are the details below it. The tree of findings is the result
 * of a run: output.h renders it as the plugin's text or as JSON.
 *
 * Only the verdict layer (verdict_*.c, and opts.c/plugin.c for the command
 * line and the run itself) makes findings: the fact layers below return
 * codes and facts, never sentences. The words of a code come from one place.
 *
 * Ownership: findings are made with finding_add() and belong to the output
 * they were added to (output_free() frees them). Every string given to a
 * setter is copied. A setter given NULL (a finding_add() that ran out of
 * memory) does nothing; a setter that runs out of memory marks the finding,
 * and the run then reports "out of memory" (UNKNOWN).
 */
#ifndef DANE_FINDING_H
#define DANE_FINDING_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "finding_codes.h"
#include "state.h"

struct output;

/**
 * What a finding is about. Every field is optional (NULL, port 0). Strings
 * from the network are fine: they are sanitized when rendered.
 */
struct finding_subject {
	const char *domain;     /* the mail domain (-D), "example.org." */
	const char *host;       /* an MX host, "mx1.example.org." */
	const char *address;    /* an IP address of the host or nameserver, "192.0.2.1" */
	unsigned int port;      /* the port (SMTP, DNS), 0: none */
	const char *cert_type;  /* the certificate type asked for: "ECDSA", "RSA", "Ed25519" */
	const char *tlsa;       /* one TLSA record, "3 1 1 <hex>" */
	const char *nameserver; /* an authoritative server's name */
	const char *zone;       /* a DNS zone */
	const char *resolver;   /* the resolver asked, "127.0.0.1@53" */
	const char *name;       /* a DNS name asked (a -q or -b name, a TLSA owner) */
	const char *file;       /* a local file (--cert, --next-key, --issuers) */
};

/** The type of a parameter's value. */
enum finding_param_type {
	FINDING_PARAM_STRING,
	FINDING_PARAM_INTEGER,
	FINDING_PARAM_NUMBER,
	FINDING_PARAM_BOOL,
};

/** One fact behind a finding: a key (static string) and a typed value. */
struct finding_param {
	const char *key; /* [a-z0-9_]+, a string literal (not copied) */
	enum finding_param_type type;
	char *string;  /* FINDING_PARAM_STRING: owned, NUL-terminated, may hold any byte */
	size_t length; /* its length in bytes (it may hold NULs) */
	long long integer;
	double number;
	bool boolean;
};

/**
 * A node of the result tree. Read the fields; change them only through the
 * functions below.
 */
struct finding {
	state_t state;                  /* its own state (finding_state(): with its children) */
	enum finding_code code;         /* FC_NONE only for the root */
	char *text;                     /* the line, unsanitized (sanitized when rendered) */
	int level;                      /* shown in text from this many -v on */
	struct finding_subject subject; /* owned copies */
	struct finding_param *params;
	size_t nparams, params_cap;
	bool oom; /* a setter or a child ran out of memory */
	struct finding *first_child, *last_child, *next;
};

/**
 * Add a finding under parent (NULL: top level of out) with a state, a code
 * and a printf-style text. Returns it, or NULL when out of memory (the
 * output then reports UNKNOWN).
 */
struct finding *finding_add(struct output *out, struct finding *parent, state_t state,
			    enum finding_code code, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/** As finding_add() with a va_list. */
struct finding *finding_vadd(struct output *out, struct finding *parent, state_t state,
			     enum finding_code code, const char *fmt, va_list ap)
    __attribute__((format(printf, 5, 0)));

/** Set the subject: every field given (non-NULL, port non-zero) replaces the one held. */
void finding_subject(struct finding *f, const struct finding_subject *subject);

/** Add a string parameter (copied). NULL value: nothing is added. */
void finding_param_str(struct finding *f, const char *key, const char *value);

struct range;

/** Add a range parameter in the guidelines' syntax ("10", "@10:20"). NULL r: nothing is added. */
void finding_param_range(struct finding *f, const char *key, const struct range *r);

/** Add a string parameter of len raw bytes (server text: may hold NULs; cut at 1024). */
void finding_param_bytes(struct finding *f, const char *key, const char *value, size_t len);

/** Add an integer parameter. */
void finding_param_int(struct finding *f, const char *key, long long value);

/** Add a number parameter (NaN and infinities are not added). */
void finding_param_num(struct finding *f, const char *key, double value);

/** Add a boolean parameter. */
void finding_param_bool(struct finding *f, const char *key, bool value);

/**
 * Show this finding (and its children) in the text output only from the
 * given number of -v on. Its state still counts when it is hidden; JSON
 * always has it, with its level.
 */
void finding_set_level(struct finding *f, int level);

/** Raise a finding's own state to at least state. */
void finding_raise(struct finding *f, state_t state);

/** The state of a finding: the worst of its own and its children's. */
state_t finding_state(const struct finding *f);

/** The parameter of that key, or NULL. */
const struct finding_param *finding_param(const struct finding *f, const char *key);

/** Does f or any finding below it hold a code? (tests, summaries) */
bool finding_tree_has(const struct finding *f, enum finding_code code);

/** Did a setter or an add below f run out of memory? */
bool finding_tree_oom(const struct finding *f);

/** Make root an empty root finding (code FC_NONE, state OK). */
void finding_root_init(struct finding *root);

/** Free everything below root and what root holds; root can be initialized again. */
void finding_root_clear(struct finding *root);

#endif /* DANE_FINDING_H */
