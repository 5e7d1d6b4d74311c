/*
 * unbound_load.c -- dlopen() libunbound, dlsym() what dns_validator.c calls
 * (see unbound_load.h).
 */
#include "config.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#include "unbound_load.h"

/* Note dlerror()'s text (or "unknown error") in why, cut to fit. */
static void
note_dlerror(struct unbound_lib_failure *why)
{
	const char *e = dlerror();

	if (e == NULL)
		e = "unknown error";
	why->error_cut = strlen(e) >= sizeof(why->error);
	snprintf(why->error, sizeof(why->error), "%s", e);
}

/* The address of the function name in lib, NULL with why filled. */
static void *
symbol(struct unbound_lib *lib, const char *name, struct unbound_lib_failure *why)
{
	void *p;

	if (why->problem != UNBOUND_LIB_OK)
		return NULL; /* an earlier one is missing: that one is named */
	dlerror();
	p = dlsym(lib->handle, name);
	if (p == NULL) {
		why->problem = UNBOUND_LIB_SYMBOL;
		snprintf(why->symbol, sizeof(why->symbol), "%s", name);
		note_dlerror(why);
	}
	return p;
}

/*
 * lib->field = the function fn, typed as <unbound.h> declares fn: the
 * assignment does not compile when the field has another type. POSIX lets
 * dlsym()'s void * be converted to a function pointer.
 */
#define LOAD(lib, field, fn, why) ((lib)->field = (__typeof__(&fn))symbol((lib), #fn, (why)))

int
unbound_lib_init(struct unbound_lib *lib, const char *name, struct unbound_lib_failure *why)
{
	memset(lib, 0, sizeof(*lib));
	memset(why, 0, sizeof(*why));
	if (name == NULL)
		name = UNBOUND_SONAME;
	snprintf(why->library, sizeof(why->library), "%s", name);
	dlerror();
	lib->handle = dlopen(name, RTLD_NOW | RTLD_LOCAL);
	if (lib->handle == NULL) {
		why->problem = UNBOUND_LIB_OPEN;
		note_dlerror(why);
		return -1;
	}
	LOAD(lib, ctx_create, ub_ctx_create, why);
	LOAD(lib, ctx_delete, ub_ctx_delete, why);
	LOAD(lib, ctx_debugout, ub_ctx_debugout, why);
	LOAD(lib, ctx_debuglevel, ub_ctx_debuglevel, why);
	LOAD(lib, ctx_async, ub_ctx_async, why);
	LOAD(lib, ctx_set_option, ub_ctx_set_option, why);
	LOAD(lib, ctx_set_fwd, ub_ctx_set_fwd, why);
	LOAD(lib, ctx_add_ta, ub_ctx_add_ta, why);
	LOAD(lib, resolve_async, ub_resolve_async, why);
	LOAD(lib, resolve_free, ub_resolve_free, why);
	LOAD(lib, cancel, ub_cancel, why);
	LOAD(lib, fd, ub_fd, why);
	LOAD(lib, process, ub_process, why);
	if (why->problem != UNBOUND_LIB_OK) {
		unbound_lib_clear(lib);
		return -1;
	}
	return 0;
}

void
unbound_lib_clear(struct unbound_lib *lib)
{
	if (lib->handle != NULL)
		dlclose(lib->handle);
	memset(lib, 0, sizeof(*lib));
}
