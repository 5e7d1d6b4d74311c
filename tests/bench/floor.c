/*
 * floor.c -- the least a DANE check of one SMTP host can do, for
 * tests/bench/bench.sh: the floor that check_dane_smtp -H is measured against.
 *
 * One process with the plugin's libraries loaded (libssl, libcrypto, libldns),
 * one thread, nothing printed on success: ask the resolver for the host's A
 * and TLSA records (DO set, AD required), connect, read the greeting, EHLO,
 * STARTTLS, a TLS handshake verified by OpenSSL's DANE verifier against the
 * TLSA records, QUIT and its reply, exit. No threads, no deadline, no
 * certificate types, no report: what any checker of that host pays (process
 * start and loading, SSL_CTX_new, two cached DNS answers, one SMTP dialogue,
 * one handshake). OpenSSL is started as the plugins start it (no openssl.cnf,
 * no table of legacy cipher names, no cleanup at exit), so the floor is
 * measured the same way as the plugin.
 *
 * Usage: floor HOST RESOLVER_ADDR RESOLVER_PORT SMTP_PORT
 * Exits 0 when the chain matches the TLSA records, 1 otherwise (a message on
 * stderr), 2 on a usage error.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <ldns/ldns.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#define LINE_MAX_BYTES 4096

/* Reads one SMTP reply (all its lines) into buf; returns its code or -1. */
static int
read_reply(int fd, char *buf, size_t size)
{
	size_t len = 0;

	for (;;) {
		char *line = buf, *nl;
		ssize_t n = read(fd, buf + len, size - 1 - len);

		if (n <= 0)
			return -1;
		len += (size_t)n;
		buf[len] = '\0';
		/* the reply ends with a line "NNN " */
		while ((nl = strstr(line, "\r\n")) != NULL) {
			if (nl - line >= 4 && line[3] == ' ')
				return atoi(line);
			line = nl + 2;
		}
		if (len >= size - 1)
			return -1;
	}
}

/* Sends a command and reads the reply; returns its code or -1. */
static int
command(int fd, const char *cmd, char *buf, size_t size)
{
	size_t n = strlen(cmd);

	if (write(fd, cmd, n) != (ssize_t)n)
		return -1;
	return read_reply(fd, buf, size);
}

/* Asks res for name/type with DO; returns the answer when it has AD set. */
static ldns_pkt *
ask_secure(ldns_resolver *res, const char *name, ldns_rr_type type)
{
	ldns_rdf *owner = ldns_dname_new_frm_str(name);
	ldns_pkt *p = NULL;

	if (owner == NULL)
		return NULL;
	if (ldns_resolver_query_status(&p, res, owner, type, LDNS_RR_CLASS_IN, LDNS_RD) !=
		LDNS_STATUS_OK ||
	    p == NULL || !ldns_pkt_ad(p)) {
		ldns_pkt_free(p);
		p = NULL;
	}
	ldns_rdf_deep_free(owner);
	return p;
}

int
main(int argc, char **argv)
{
	char buf[LINE_MAX_BYTES], tlsa_name[512];
	ldns_resolver *res = NULL;
	ldns_rdf *ns = NULL;
	ldns_pkt *a = NULL, *tlsa = NULL;
	ldns_rr_list *rrs;
	SSL_CTX *ctx = NULL;
	SSL *ssl = NULL;
	struct sockaddr_in sin;
	int fd = -1, rc = 1;
	size_t i, ntlsa = 0;

	if (argc != 5) {
		fprintf(stderr, "usage: floor HOST RESOLVER_ADDR RESOLVER_PORT SMTP_PORT\n");
		return 2;
	}
	/* OpenSSL started as the plugins start it (common/plugin.c) */
	OPENSSL_init_crypto(OPENSSL_INIT_NO_LOAD_CONFIG | OPENSSL_INIT_NO_ADD_ALL_CIPHERS |
				OPENSSL_INIT_NO_ATEXIT,
			    NULL);
	/* the DNS: the host's address and TLSA records, both secure */
	res = ldns_resolver_new();
	ns = ldns_rdf_new_frm_str(LDNS_RDF_TYPE_A, argv[2]);
	if (res == NULL || ns == NULL || ldns_resolver_push_nameserver(res, ns) != LDNS_STATUS_OK)
		goto out;
	ldns_resolver_set_port(res, (uint16_t)atoi(argv[3]));
	ldns_resolver_set_dnssec(res, true);
	ldns_resolver_set_retry(res, 1);
	snprintf(tlsa_name, sizeof(tlsa_name), "_%s._tcp.%s", argv[4], argv[1]);
	a = ask_secure(res, argv[1], LDNS_RR_TYPE_A);
	tlsa = ask_secure(res, tlsa_name, LDNS_RR_TYPE_TLSA);
	if (a == NULL || tlsa == NULL) {
		fprintf(stderr, "floor: no secure A or TLSA records\n");
		goto out;
	}
	rrs = ldns_pkt_rr_list_by_type(a, LDNS_RR_TYPE_A, LDNS_SECTION_ANSWER);
	if (rrs == NULL) {
		fprintf(stderr, "floor: no address\n");
		goto out;
	}
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)atoi(argv[4]));
	memcpy(&sin.sin_addr, ldns_rdf_data(ldns_rr_rdf(ldns_rr_list_rr(rrs, 0), 0)), 4);
	ldns_rr_list_deep_free(rrs);

	/* TLS: OpenSSL's DANE verifier with the TLSA records */
	ctx = SSL_CTX_new(TLS_client_method());
	if (ctx == NULL || SSL_CTX_dane_enable(ctx) <= 0 ||
	    !SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION))
		goto out;
	ssl = SSL_new(ctx);
	if (ssl == NULL || SSL_dane_enable(ssl, argv[1]) <= 0 ||
	    !SSL_set_tlsext_host_name(ssl, argv[1]))
		goto out;
	rrs = ldns_pkt_rr_list_by_type(tlsa, LDNS_RR_TYPE_TLSA, LDNS_SECTION_ANSWER);
	for (i = 0; rrs != NULL && i < ldns_rr_list_rr_count(rrs); i++) {
		const ldns_rr *rr = ldns_rr_list_rr(rrs, i);
		const ldns_rdf *d = ldns_rr_rdf(rr, 3);

		if (ldns_rr_rd_count(rr) == 4 &&
		    SSL_dane_tlsa_add(ssl, ldns_rdf_data(ldns_rr_rdf(rr, 0))[0],
				      ldns_rdf_data(ldns_rr_rdf(rr, 1))[0],
				      ldns_rdf_data(ldns_rr_rdf(rr, 2))[0], ldns_rdf_data(d),
				      ldns_rdf_size(d)) > 0)
			ntlsa++;
	}
	ldns_rr_list_deep_free(rrs);
	if (ntlsa == 0) {
		fprintf(stderr, "floor: no usable TLSA record\n");
		goto out;
	}

	/* SMTP: greeting, EHLO, STARTTLS, the handshake, QUIT */
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sin, sizeof(sin)) != 0 ||
	    read_reply(fd, buf, sizeof(buf)) != 220 ||
	    command(fd, "EHLO floor.invalid\r\n", buf, sizeof(buf)) != 250 ||
	    command(fd, "STARTTLS\r\n", buf, sizeof(buf)) != 220) {
		fprintf(stderr, "floor: SMTP dialogue failed\n");
		goto out;
	}
	if (!SSL_set_fd(ssl, fd) || SSL_connect(ssl) != 1 ||
	    SSL_get_verify_result(ssl) != X509_V_OK) {
		fprintf(stderr, "floor: handshake or DANE verification failed\n");
		goto out;
	}
	/* QUIT, and its reply (RFC 5321 4.1.1.10: the client SHOULD wait for it) */
	if (SSL_write(ssl, "QUIT\r\n", 6) != 6 || SSL_read(ssl, buf, sizeof(buf) - 1) <= 0 ||
	    strncmp(buf, "221", 3) != 0) {
		fprintf(stderr, "floor: no reply to QUIT\n");
		goto out;
	}
	SSL_shutdown(ssl);
	rc = 0;
out:
	SSL_free(ssl);
	SSL_CTX_free(ctx);
	if (fd >= 0)
		close(fd);
	ldns_pkt_free(a);
	ldns_pkt_free(tlsa);
	ldns_rdf_deep_free(ns);
	ldns_resolver_deep_free(res);
	return rc;
}
