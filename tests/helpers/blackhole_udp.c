/*
 * blackhole_udp -- a "resolver" that reads every datagram and never answers.
 *
 * Usage: blackhole_udp ADDR LIFETIME_SECONDS
 * Binds ADDR on an ephemeral UDP port, prints the port on stdout, then reads
 * and drops datagrams until LIFETIME_SECONDS have passed (so that a test can
 * never leave it running for long).
 */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	struct sockaddr_storage ss;
	socklen_t len;
	char buf[65536];
	int fd, lifetime;
	time_t end;

	if (argc != 3) {
		fprintf(stderr, "usage: blackhole_udp ADDR LIFETIME_SECONDS\n");
		return 2;
	}
	lifetime = atoi(argv[2]);
	memset(&ss, 0, sizeof(ss));
	if (inet_pton(AF_INET, argv[1], &((struct sockaddr_in *)&ss)->sin_addr) == 1) {
		ss.ss_family = AF_INET;
		len = sizeof(struct sockaddr_in);
	} else if (inet_pton(AF_INET6, argv[1], &((struct sockaddr_in6 *)&ss)->sin6_addr) == 1) {
		ss.ss_family = AF_INET6;
		len = sizeof(struct sockaddr_in6);
	} else {
		fprintf(stderr, "blackhole_udp: bad address %s\n", argv[1]);
		return 2;
	}
	fd = socket(ss.ss_family, SOCK_DGRAM, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&ss, len) != 0) {
		perror("blackhole_udp: bind");
		return 2;
	}
	if (getsockname(fd, (struct sockaddr *)&ss, &len) != 0) {
		perror("blackhole_udp: getsockname");
		return 2;
	}
	printf("%u\n", ntohs(ss.ss_family == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port
						     : ((struct sockaddr_in6 *)&ss)->sin6_port));
	fflush(stdout);
	end = time(NULL) + lifetime;
	while (time(NULL) < end) {
		struct pollfd p = {fd, POLLIN, 0};

		if (poll(&p, 1, 200) > 0)
			(void)recv(fd, buf, sizeof(buf), 0);
	}
	return 0;
}
