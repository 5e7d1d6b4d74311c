/*
 * silent_tcp -- a TCP "server" that accepts connections and never says a word.
 *
 * Usage: silent_tcp ADDR PORT LIFETIME_SECONDS [PIDFILE]
 * Listens on ADDR:PORT (PORT 0: an ephemeral port), prints the port on stdout,
 * writes its pid to PIDFILE (if given) once it listens, then accepts every
 * connection, reads and drops what the client sends, and never writes. A
 * connection is closed when its client closes it. Everything ends after
 * LIFETIME_SECONDS, so that a test can never leave it running for long.
 * Used by the lab (tests/lab/lab.sh) for an SMTP server that never greets.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "helper.h"

#define MAX_CONN 500

int
main(int argc, char **argv)
{
	struct sockaddr_storage ss;
	struct pollfd fds[MAX_CONN + 1];
	socklen_t len;
	char buf[4096];
	int lfd, lifetime, n = 1, one = 1, i;
	time_t end;

	if (argc != 4 && argc != 5) {
		fprintf(stderr, "usage: silent_tcp ADDR PORT LIFETIME_SECONDS [PIDFILE]\n");
		return 2;
	}
	if (helper_parse_addr(argv[1], helper_parse_port(argv[2]), &ss, &len) != 0) {
		fprintf(stderr, "silent_tcp: bad address or port: %s %s\n", argv[1], argv[2]);
		return 2;
	}
	lifetime = atoi(argv[3]);
	if (lifetime <= 0) {
		fprintf(stderr, "silent_tcp: bad lifetime %s\n", argv[3]);
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	lfd = socket(ss.ss_family, SOCK_STREAM, 0);
	if (lfd < 0) {
		perror("silent_tcp: socket");
		return 2;
	}
	(void)setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (ss.ss_family == AF_INET6)
		(void)setsockopt(lfd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (bind(lfd, (struct sockaddr *)&ss, len) != 0 || listen(lfd, 64) != 0) {
		fprintf(stderr, "silent_tcp: bind/listen %s %s: %s\n", argv[1], argv[2],
			strerror(errno));
		return 2;
	}
	if (getsockname(lfd, (struct sockaddr *)&ss, &len) != 0) {
		perror("silent_tcp: getsockname");
		return 2;
	}
	printf("%u\n", ntohs(ss.ss_family == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port
						     : ((struct sockaddr_in6 *)&ss)->sin6_port));
	fflush(stdout);
	if (argc == 5 && helper_write_pidfile(argv[4]) != 0) {
		fprintf(stderr, "silent_tcp: cannot write %s: %s\n", argv[4], strerror(errno));
		return 2;
	}

	fds[0].fd = lfd;
	fds[0].events = POLLIN;
	end = time(NULL) + lifetime;
	while (time(NULL) < end) {
		/* a full table: stop accepting (clients wait in the backlog) */
		fds[0].fd = n <= MAX_CONN ? lfd : -1;
		if (poll(fds, (nfds_t)n, 200) <= 0)
			continue;
		if (fds[0].fd >= 0 && (fds[0].revents & POLLIN)) {
			int c = accept(lfd, NULL, NULL);

			if (c >= 0) {
				fds[n].fd = c;
				fds[n].events = POLLIN;
				fds[n].revents = 0;
				n++;
			}
		}
		for (i = 1; i < n; i++) {
			if (fds[i].revents == 0)
				continue;
			if (read(fds[i].fd, buf, sizeof(buf)) > 0)
				continue;
			close(fds[i].fd); /* the client is gone */
			fds[i] = fds[--n];
			i--;
		}
	}
	return 0;
}
