/*
 * dns_resolver.c -- resolver addresses from "ADDR[@PORT]" and resolv.conf.
 */
#include "config.h"

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "dns_resolver.h"
#include "netio.h"
#include "text.h"

/* Parse "ADDR" or "ADDR@PORT" into a server. */
int
dns_resolver_add(struct dns_resolver *res, const char *spec, unsigned int default_port, char *err,
		 size_t errsize)
{
	char host[INET6_ADDRSTRLEN + 16], portstr[16];
	const char *at;
	struct addrinfo hints, *ai = NULL;
	struct dns_server *s;
	unsigned long port = default_port;
	size_t hostlen;
	int rc;

	if (res->nservers >= DNS_MAX_RESOLVERS) {
		snprintf(err, errsize, "too many resolver addresses (at most %d)",
			 DNS_MAX_RESOLVERS);
		return -1;
	}
	at = strchr(spec, '@');
	hostlen = at ? (size_t)(at - spec) : strlen(spec);
	if (hostlen == 0 || hostlen >= sizeof(host)) {
		snprintf(err, errsize, "invalid resolver address '%.60s'", spec);
		return -1;
	}
	memcpy(host, spec, hostlen);
	host[hostlen] = '\0';
	if (at != NULL && text_parse_uint(at + 1, 1, 65535, &port) != 0) {
		snprintf(err, errsize, "invalid port in resolver address '%.60s'", spec);
		return -1;
	}
	snprintf(portstr, sizeof(portstr), "%lu", port);
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_DGRAM;
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
	rc = getaddrinfo(host, portstr, &hints, &ai);
	if (rc != 0 || ai == NULL) {
		snprintf(err, errsize, "invalid resolver address '%.60s' (an IPv4 or IPv6 literal)",
			 spec);
		if (ai != NULL)
			freeaddrinfo(ai);
		return -1;
	}
	s = &res->servers[res->nservers];
	memset(s, 0, sizeof(*s));
	memcpy(&s->addr, ai->ai_addr, ai->ai_addrlen);
	s->addrlen = ai->ai_addrlen;
	if (port == 53)
		snprintf(s->name, sizeof(s->name), "%s", host);
	else
		snprintf(s->name, sizeof(s->name), "%s@%lu", host, port);
	freeaddrinfo(ai);
	res->nservers++;
	return 0;
}

int
dns_resolver_from_resolv_conf(struct dns_resolver *res, const char *path, unsigned int port,
			      int family, char *err, size_t errsize)
{
	FILE *f;
	char line[512], e[128], ebuf[128];
	size_t before = res->nservers;

	f = fopen(path, "r");
	if (f == NULL) {
		snprintf(err, errsize, "cannot read %s: %s", path,
			 netio_strerror(errno, ebuf, sizeof(ebuf)));
		return -1;
	}
	while (fgets(line, sizeof(line), f) != NULL && res->nservers < DNS_MAX_SERVERS) {
		char *p = line, *addr;

		while (*p == ' ' || *p == '\t')
			p++;
		if (strncmp(p, "nameserver", 10) != 0 || (p[10] != ' ' && p[10] != '\t'))
			continue;
		p += 10;
		while (*p == ' ' || *p == '\t')
			p++;
		addr = p;
		while (*p != '\0' && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r' &&
		       *p != '#' && *p != ';')
			p++;
		*p = '\0';
		if (*addr == '\0' || dns_resolver_add(res, addr, port, e, sizeof(e)) != 0)
			continue;
		if (family != AF_UNSPEC &&
		    res->servers[res->nservers - 1].addr.ss_family != family) {
			res->nservers--;
			continue;
		}
	}
	fclose(f);
	if (res->nservers == before) {
		snprintf(err, errsize, "no usable nameserver%s in %s",
			 family == AF_INET    ? " (IPv4)"
			 : family == AF_INET6 ? " (IPv6)"
					      : "",
			 path);
		return -1;
	}
	return 0;
}

int
dns_resolver_setup(struct dns_resolver *res, const char *spec, const char *resolv_conf, char *err,
		   size_t errsize)
{
	memset(res, 0, sizeof(*res));
	if (spec != NULL)
		return dns_resolver_add(res, spec, 53, err, errsize);
	return dns_resolver_from_resolv_conf(res, resolv_conf, 53, AF_UNSPEC, err, errsize);
}

int
dns_resolver_add_addr(struct dns_resolver *res, const struct sockaddr *sa, socklen_t salen,
		      const char *name)
{
	struct dns_server *s;

	if (res->nservers >= DNS_MAX_SERVERS || salen > sizeof(s->addr))
		return -1;
	s = &res->servers[res->nservers++];
	memset(s, 0, sizeof(*s));
	memcpy(&s->addr, sa, salen);
	s->addrlen = salen;
	snprintf(s->name, sizeof(s->name), "%s", name);
	return 0;
}
