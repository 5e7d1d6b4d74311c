/*
 * rollover_files.h -- the local files check_dane_rollover judges: the
 * deployed chain (--cert), the staged next certificates and keys
 * (--next-cert, --next-key) and the CAs a renewal may be issued from
 * (--issuers), named while the options are parsed, loaded once, with one
 * owner.
 */
#ifndef DANE_ROLLOVER_FILES_H
#define DANE_ROLLOVER_FILES_H

#include <stdbool.h>
#include <stddef.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "cert.h"

/** Most --next-cert files, and most --next-key files. */
#define ROLLOVER_FILES_MAX_STAGED 8

/** Most certificates kept of --issuers (the others are counted). */
#define ROLLOVER_FILES_MAX_ISSUERS 64

/** The files and what they hold. Zeroed: no file. */
struct rollover_files {
	const char *cert_file;       /* --cert, or NULL */
	STACK_OF(X509) * cert_chain; /* its certificates, leaf first */
	const char *next_cert_files[ROLLOVER_FILES_MAX_STAGED];
	STACK_OF(X509) * next_chains[ROLLOVER_FILES_MAX_STAGED]; /* leaf first */
	size_t nnext_certs;
	const char *next_key_files[ROLLOVER_FILES_MAX_STAGED];
	EVP_PKEY *next_keys[ROLLOVER_FILES_MAX_STAGED]; /* the public part */
	size_t nnext_keys;
	const char *issuers_file; /* --issuers, or NULL */
	STACK_OF(X509) * issuers; /* its first ROLLOVER_FILES_MAX_ISSUERS certificates */
	size_t issuers_total;     /* certificates in the file */
};

/**
 * Name a staged file: a key (--next-key) when key, else a certificate
 * (--next-cert). Returns 0, or -1 with err when ROLLOVER_FILES_MAX_STAGED
 * of that kind are named already.
 */
int rollover_files_stage(struct rollover_files *f, bool key, const char *path, char *err,
			 size_t errsize);

/**
 * Load every file named. Returns CERT_LOAD_OK, or for the first file that
 * cannot be used its status (CERT_LOAD_PEM for the chains and keys), with
 * *option ("--cert", "--next-cert", "--next-key", "--issuers"), *file and
 * err saying why.
 */
enum cert_load_status rollover_files_load(struct rollover_files *f, const char **option,
					  const char **file, char *err, size_t errsize);

/** Free what the files hold (the names are not owned). */
void rollover_files_clear(struct rollover_files *f);

#endif /* DANE_ROLLOVER_FILES_H */
