/*
 * rollover_files.c -- the local files check_dane_rollover judges, loaded.
 */
#include "config.h"

#include <stdio.h>

#include "rollover_files.h"

int
rollover_files_stage(struct rollover_files *f, bool key, const char *path, char *err,
		     size_t errsize)
{
	size_t *n = key ? &f->nnext_keys : &f->nnext_certs;

	if (*n >= ROLLOVER_FILES_MAX_STAGED) {
		snprintf(err, errsize, "at most %d --next-key and --next-cert each",
			 ROLLOVER_FILES_MAX_STAGED);
		return -1;
	}
	(key ? f->next_key_files : f->next_cert_files)[(*n)++] = path;
	return 0;
}

enum cert_load_status
rollover_files_load(struct rollover_files *f, const char **option, const char **file, char *err,
		    size_t errsize)
{
	size_t i;

	*option = "--cert";
	*file = f->cert_file;
	if (f->cert_file != NULL &&
	    cert_load_chain_pem(f->cert_file, &f->cert_chain, err, errsize) != 0)
		return CERT_LOAD_PEM;
	*option = "--next-cert";
	for (i = 0; i < f->nnext_certs; i++) {
		*file = f->next_cert_files[i];
		if (cert_load_chain_pem(*file, &f->next_chains[i], err, errsize) != 0)
			return CERT_LOAD_PEM;
	}
	*option = "--next-key";
	for (i = 0; i < f->nnext_keys; i++) {
		*file = f->next_key_files[i];
		if (cert_load_pubkey_pem(*file, &f->next_keys[i], err, errsize) != 0)
			return CERT_LOAD_PEM;
	}
	*option = "--issuers";
	*file = f->issuers_file;
	if (f->issuers_file == NULL)
		return CERT_LOAD_OK;
	return cert_load_issuers(f->issuers_file, ROLLOVER_FILES_MAX_ISSUERS, &f->issuers,
				 &f->issuers_total, err, errsize);
}

void
rollover_files_clear(struct rollover_files *f)
{
	size_t i;

	if (f->cert_chain != NULL)
		sk_X509_pop_free(f->cert_chain, X509_free);
	f->cert_chain = NULL;
	for (i = 0; i < ROLLOVER_FILES_MAX_STAGED; i++) {
		if (f->next_chains[i] != NULL)
			sk_X509_pop_free(f->next_chains[i], X509_free);
		f->next_chains[i] = NULL;
		EVP_PKEY_free(f->next_keys[i]);
		f->next_keys[i] = NULL;
	}
	if (f->issuers != NULL)
		sk_X509_pop_free(f->issuers, X509_free);
	f->issuers = NULL;
}
