/*
 * pkix.c -- WebPKI validation of a presented chain for a host name, with
 * OpenSSL's verifier (facts only).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include "pkix.h"
#include "sslerr.h"

/* The trusted roots. */
struct pkix_store {
	X509_STORE *store;  /* --ca-file, or the system's hashed directory (read by subject) */
	bool system;        /* no --ca-file: the bundle below may be needed */
	X509_STORE *bundle; /* the system's default paths, file and directory: NULL until needed */
};

const char *
pkix_system_dir(void)
{
	const char *dir = getenv(X509_get_default_cert_dir_env());

	return dir != NULL && dir[0] != '\0' ? dir : X509_get_default_cert_dir();
}

bool
pkix_root_may_be_elsewhere(long error)
{
	return error == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY ||
	       error == X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN ||
	       error == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT;
}

struct pkix_store *
pkix_store_new(const char *ca_file, char *err, size_t errsize)
{
	struct pkix_store *s = calloc(1, sizeof(*s));

	ERR_clear_error();
	if (s == NULL) {
		snprintf(err, errsize, "out of memory");
		return NULL;
	}
	s->store = X509_STORE_new();
	if (s->store == NULL) {
		snprintf(err, errsize, "out of memory");
		goto fail;
	}
	if (ca_file != NULL) {
		if (X509_STORE_load_file(s->store, ca_file) != 1) {
			sslerr_text(err, errsize, "cannot read the CA file");
			goto fail;
		}
	} else {
		/* nothing is read now: a lookup reads the root of that subject */
		s->system = true;
		if (X509_STORE_load_path(s->store, pkix_system_dir()) != 1) {
			sslerr_text(err, errsize, "cannot use the system's trusted certificates");
			goto fail;
		}
	}
	ERR_clear_error();
	return s;
fail:
	ERR_clear_error();
	pkix_store_free(s);
	return NULL;
}

void
pkix_store_free(struct pkix_store *store)
{
	if (store == NULL)
		return;
	X509_STORE_free(store->store);
	X509_STORE_free(store->bundle);
	free(store);
}

/* The outcome of an X509_V_ERR_* code. */
static enum pkix_outcome
outcome_of(int error)
{
	switch (error) {
	case X509_V_OK:
		return PKIX_OK;
	case X509_V_ERR_HOSTNAME_MISMATCH:
		return PKIX_NAME_MISMATCH;
	case X509_V_ERR_CERT_HAS_EXPIRED:
		return PKIX_EXPIRED;
	case X509_V_ERR_CERT_NOT_YET_VALID:
		return PKIX_NOT_YET_VALID;
	case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
	case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
	case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
	case X509_V_ERR_CERT_UNTRUSTED:
		return PKIX_UNTRUSTED;
	case X509_V_ERR_OUT_OF_MEM:
		return PKIX_LOCAL;
	default:
		return PKIX_INVALID;
	}
}

/* Verify chain for name at now against roots; fills r (not its outcome on local failures). */
static void
verify_with(X509_STORE *roots, STACK_OF(X509) * chain, const char *name, size_t len, time_t now,
	    struct pkix_result *r)
{
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	X509_VERIFY_PARAM *param;
	int ret;

	r->outcome = PKIX_LOCAL;
	r->error = X509_V_OK;
	r->depth = -1;
	ERR_clear_error();
	if (ctx == NULL || X509_STORE_CTX_init(ctx, roots, sk_X509_value(chain, 0), chain) != 1)
		goto out;
	/* purpose and trust of a TLS server, as a TLS client verifies it */
	if (X509_STORE_CTX_set_default(ctx, "ssl_server") != 1)
		goto out;
	param = X509_STORE_CTX_get0_param(ctx);
	X509_VERIFY_PARAM_set_time(param, now);
	X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
	if (X509_VERIFY_PARAM_set1_host(param, name, len) != 1)
		goto out;
	ret = X509_verify_cert(ctx);
	r->error = X509_STORE_CTX_get_error(ctx);
	r->depth = X509_STORE_CTX_get_error_depth(ctx);
	if (ret == 1 && r->error == X509_V_OK) {
		r->outcome = PKIX_OK;
		r->depth = -1;
	} else if (r->error == X509_V_OK) {
		r->outcome = PKIX_LOCAL; /* failed without saying why: an internal error */
	} else {
		r->outcome = outcome_of(r->error);
	}
out:
	X509_STORE_CTX_free(ctx);
	ERR_clear_error();
}

/* The system's bundle file (and directory), loaded on first need; NULL when it cannot be. */
static X509_STORE *
bundle_of(struct pkix_store *store)
{
	if (store->bundle == NULL) {
		store->bundle = X509_STORE_new();
		if (store->bundle != NULL && X509_STORE_set_default_paths(store->bundle) != 1) {
			X509_STORE_free(store->bundle);
			store->bundle = NULL;
		}
		ERR_clear_error();
	}
	return store->bundle;
}

enum pkix_outcome
pkix_verify(struct pkix_store *store, STACK_OF(X509) * chain, const char *host, time_t now,
	    struct pkix_result *r)
{
	char name[256];
	size_t len = host != NULL ? strlen(host) : 0;
	X509_STORE *bundle;

	memset(r, 0, sizeof(*r));
	r->depth = -1;
	r->outcome = PKIX_LOCAL;
	if (chain == NULL || sk_X509_num(chain) < 1) {
		r->outcome = PKIX_NO_CHAIN;
		return r->outcome;
	}
	if (store == NULL || len == 0)
		return r->outcome;
	if (host[len - 1] == '.')
		len--;
	if (len == 0 || len >= sizeof(name))
		return r->outcome;
	memcpy(name, host, len);
	name[len] = '\0';
	verify_with(store->store, chain, name, len, now, r);
	/* no root in the hashed directory: the bundle file may have it */
	if (store->system && r->outcome == PKIX_UNTRUSTED && pkix_root_may_be_elsewhere(r->error) &&
	    (bundle = bundle_of(store)) != NULL)
		verify_with(bundle, chain, name, len, now, r);
	return r->outcome;
}

const char *
pkix_outcome_name(enum pkix_outcome outcome)
{
	switch (outcome) {
	case PKIX_OK:
		return "ok";
	case PKIX_NO_CHAIN:
		return "no-chain";
	case PKIX_UNTRUSTED:
		return "untrusted";
	case PKIX_NAME_MISMATCH:
		return "name-mismatch";
	case PKIX_EXPIRED:
		return "expired";
	case PKIX_NOT_YET_VALID:
		return "not-yet-valid";
	case PKIX_INVALID:
		return "invalid";
	case PKIX_LOCAL:
	default:
		return "local";
	}
}
