/*
 * dns_resolver.h -- which resolvers to ask: "ADDR[@PORT]" literals and the
 * nameservers of a resolv.conf file, as addresses ready for connect(2).
 *
 * A struct dns_resolver is a plain value that the caller owns, fills once here
 * and hands to the query engine (dns.h). Its one pointer, validator, is not
 * owned by it: with --validate=local the plugin sets it to the validator it
 * made (dns_validator.h) and frees that itself; copies share it.
 */
#ifndef DANE_DNS_RESOLVER_H
#define DANE_DNS_RESOLVER_H

#include <stddef.h>
#include <sys/socket.h>

/** Most resolver addresses taken from -r or resolv.conf. */
#define DNS_MAX_RESOLVERS 8

/** Most server addresses in one struct dns_resolver (authoritative servers: auth.h). */
#define DNS_MAX_SERVERS 16

/** One resolver address. */
struct dns_server {
	struct sockaddr_storage addr;
	socklen_t addrlen;
	char name[96]; /* "192.0.2.1", "2001:db8::1@5353" */
};

struct dns_validator;

/** The resolvers to ask, in order. */
struct dns_resolver {
	struct dns_server servers[DNS_MAX_SERVERS];
	size_t nservers;
	/* --validate=local: queries go to this validator (libunbound), the servers are its
	 * forwarders; NULL: to the servers, whose AD flag says what validated. Not owned. */
	struct dns_validator *validator;
};

/**
 * Add a resolver address "ADDR" or "ADDR@PORT" (IPv4 or IPv6 literal).
 * Returns 0, or -1 with a message in err.
 */
int dns_resolver_add(struct dns_resolver *res, const char *spec, unsigned int default_port,
		     char *err, size_t errsize);

/**
 * Add a server address (port included) named name (for the output, cut to
 * fit), e.g. an authoritative server of a zone. Returns 0, or -1 when res
 * holds DNS_MAX_SERVERS already.
 */
int dns_resolver_add_addr(struct dns_resolver *res, const struct sockaddr *sa, socklen_t salen,
			  const char *name);

/**
 * Fill res from the "nameserver" lines of a resolv.conf file, keeping only
 * addresses of the given family (AF_UNSPEC: all). Returns 0, or -1 with a
 * message in err (unreadable file, no nameserver).
 */
int dns_resolver_from_resolv_conf(struct dns_resolver *res, const char *path, unsigned int port,
				  int family, char *err, size_t errsize);

/**
 * The resolver a plugin asks: spec ("ADDR[@PORT]", from -r) when given,
 * else the nameservers of resolv_conf. Returns 0, or -1 with err.
 */
int dns_resolver_setup(struct dns_resolver *res, const char *spec, const char *resolv_conf,
		       char *err, size_t errsize);

#endif /* DANE_DNS_RESOLVER_H */
