/*
 * helper.c -- what the lab's helper servers share.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helper.h"

long
helper_parse_port(const char *s)
{
	char *end;
	long p;

	errno = 0;
	p = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno != 0 || p < 0 || p > 65535)
		return -1;
	return p;
}

int
helper_parse_addr(const char *addr, long port, struct sockaddr_storage *ss, socklen_t *len)
{
	if (port < 0 || port > 65535)
		return -1;
	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, addr, &((struct sockaddr_in *)ss)->sin_addr) == 1) {
		ss->ss_family = AF_INET;
		((struct sockaddr_in *)ss)->sin_port = htons((unsigned short)port);
		*len = sizeof(struct sockaddr_in);
		return 0;
	}
	if (inet_pton(AF_INET6, addr, &((struct sockaddr_in6 *)ss)->sin6_addr) == 1) {
		ss->ss_family = AF_INET6;
		((struct sockaddr_in6 *)ss)->sin6_port = htons((unsigned short)port);
		*len = sizeof(struct sockaddr_in6);
		return 0;
	}
	return -1;
}

int
helper_write_pidfile(const char *path)
{
	char tmp[4096];
	FILE *f;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
		return -1;
	f = fopen(tmp, "w");
	if (f == NULL)
		return -1;
	fprintf(f, "%ld\n", (long)getpid());
	if (fclose(f) != 0)
		return -1;
	return rename(tmp, path);
}
