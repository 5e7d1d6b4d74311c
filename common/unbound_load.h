/*
 * unbound_load.h -- libunbound, opened at run time for --validate=local only.
 *
 * The plugins do not link libunbound: loading it (and what it needs:
 * libevent, nettle, hogweed, gmp) and relocating their symbols cost every
 * run 1.75 to 1.92 M instructions, also in the default mode, which never
 * calls it. dns_validator_new() opens it with dlopen() instead, and calls it
 * only through the table below, which lives in the validator (no global
 * state) and is closed by dns_validator_free().
 *
 * The library opened is UNBOUND_SONAME (config.h): configure reads it from
 * what the linker records for -lunbound, i.e. the library that belongs to the
 * <unbound.h> the build compiles against (Debian 12: "libunbound.so.8", the
 * package libunbound8; ./configure --with-unbound-soname=NAME sets another).
 * Every pointer has the type of its function in <unbound.h> (__typeof__): the
 * compiler checks every call, and the loader an assignment of another type.
 *
 * dlclose(): unbound_lib_clear() closes the library. libunbound keeps no
 * thread after ub_ctx_delete() (it stops its worker thread and joins it) and
 * registers no atexit() handler or thread-specific data destructor, so nothing
 * of it runs after the last context is deleted; dns_validator_free() deletes
 * them all first. A run that the deadline's backstop ends never gets here:
 * _exit() with libunbound still loaded is fine.
 */
#ifndef DANE_UNBOUND_LOAD_H
#define DANE_UNBOUND_LOAD_H

#include <stdbool.h>

#include <unbound.h>

/** Room for the library's name and dlerror()'s text in struct unbound_lib_failure. */
#define UNBOUND_LIB_NAME_MAX  128
#define UNBOUND_LIB_ERROR_MAX 256

/** Why libunbound could not be loaded (struct unbound_lib_failure.problem). */
enum unbound_lib_problem {
	UNBOUND_LIB_OK = 0,
	UNBOUND_LIB_OPEN,   /* dlopen() failed: not installed, unreadable, another ELF class */
	UNBOUND_LIB_SYMBOL, /* it has no function of this name (another libunbound) */
};

/** The facts of a failed load; words_dns_validator_failure() says them. */
struct unbound_lib_failure {
	enum unbound_lib_problem problem;
	char library[UNBOUND_LIB_NAME_MAX]; /* the name given to dlopen() (cut to fit) */
	char symbol[32];                    /* UNBOUND_LIB_SYMBOL: the missing function */
	char error[UNBOUND_LIB_ERROR_MAX];  /* dlerror()'s text, cut to fit (not sanitized) */
	bool error_cut;                     /* dlerror()'s text was longer */
};

/**
 * libunbound's functions that dns_validator.c calls, as loaded by
 * unbound_lib_init(); each does what its namesake in <unbound.h> does.
 */
struct unbound_lib {
	void *handle; /* dlopen()'s handle; NULL when nothing is open */
	/** ub_ctx_create(): a new context with default options (NULL: out of memory). */
	__typeof__(ub_ctx_create) *ctx_create;
	/** ub_ctx_delete(): stop the context's worker thread, join it, free everything. */
	__typeof__(ub_ctx_delete) *ctx_delete;
	/** ub_ctx_debugout(): where the context logs (NULL: nowhere). */
	__typeof__(ub_ctx_debugout) *ctx_debugout;
	/** ub_ctx_debuglevel(): how much the context logs (0: errors only). */
	__typeof__(ub_ctx_debuglevel) *ctx_debuglevel;
	/** ub_ctx_async(): resolve in a thread (1) rather than a forked process. */
	__typeof__(ub_ctx_async) *ctx_async;
	/** ub_ctx_set_option(): one unbound.conf option ("name:", "value"). */
	__typeof__(ub_ctx_set_option) *ctx_set_option;
	/** ub_ctx_set_fwd(): forward every query to "ADDR@PORT" (repeatable). */
	__typeof__(ub_ctx_set_fwd) *ctx_set_fwd;
	/** ub_ctx_add_ta(): a trust anchor, a DS or DNSKEY record in presentation format. */
	__typeof__(ub_ctx_add_ta) *ctx_add_ta;
	/** ub_resolve_async(): start a query; its callback runs inside ub_process(). */
	__typeof__(ub_resolve_async) *resolve_async;
	/** ub_resolve_free(): free a result handed to the callback. */
	__typeof__(ub_resolve_free) *resolve_free;
	/** ub_cancel(): forget a started query (its callback never runs). */
	__typeof__(ub_cancel) *cancel;
	/** ub_fd(): the pipe that becomes readable when answers are waiting. */
	__typeof__(ub_fd) *fd;
	/** ub_process(): run the callbacks of the answers waiting in the pipe. */
	__typeof__(ub_process) *process;
};

/**
 * Open the libunbound named name (NULL: UNBOUND_SONAME; tests name others)
 * with dlopen(RTLD_NOW | RTLD_LOCAL) and look up every function of lib.
 * Returns 0, or -1 with why filled and lib zeroed (nothing left open).
 */
int unbound_lib_init(struct unbound_lib *lib, const char *name, struct unbound_lib_failure *why);

/** Close what unbound_lib_init() opened (every context must be deleted) and zero lib. */
void unbound_lib_clear(struct unbound_lib *lib);

#endif /* DANE_UNBOUND_LOAD_H */
