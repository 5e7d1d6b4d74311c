/*
 * delay_proxy -- a TCP relay that holds back the server's first bytes.
 *
 * Usage: delay_proxy [-d DELAY_MS] [-t LIFETIME_SECONDS] [-l PORT] [-P PIDFILE]
 *                    BACKEND_ADDR BACKEND_PORT LISTEN_ADDR [LISTEN_ADDR ...]
 *
 * Listens on every LISTEN_ADDR, all on the same PORT (-l; default 0: an
 * ephemeral port, the same for all addresses), and prints that port on stdout.
 * Writes its pid to PIDFILE (if given) once it listens. For each connection
 * it accepts, a child process connects to BACKEND_ADDR:BACKEND_PORT and relays
 * both ways; nothing the backend sends reaches the client before DELAY_MS
 * (default 500) milliseconds have passed since the connection was accepted.
 * With an SMTP server as backend, the client sees its greeting DELAY_MS late.
 * If the backend cannot be reached, the client connection is closed at once.
 * Everything (listener and relays) ends after LIFETIME_SECONDS (default 60),
 * and a relay also ends after 300 s without traffic.
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

#define MAX_LISTEN   16
#define IDLE_TIMEOUT 300000 /* ms */

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static long
parse_num(const char *s, const char *what)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno != 0 || v < 0) {
		fprintf(stderr, "delay_proxy: bad %s: %s\n", what, s);
		exit(2);
	}
	return v;
}

static int
write_all(int fd, const char *buf, ssize_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, buf, (size_t)n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		buf += w;
		n -= w;
	}
	return 0;
}

/* the child: relay between client C and the backend; never returns */
static void
relay(int c, const struct sockaddr_storage *backend, socklen_t blen, long long accepted,
      long delay_ms, long long end_ms)
{
	long long release = accepted + delay_ms, last = now_ms(), now;
	int b, c_eof = 0, b_eof = 0;
	char buf[16384];

	b = socket(backend->ss_family, SOCK_STREAM, 0);
	if (b < 0 || connect(b, (const struct sockaddr *)backend, blen) != 0)
		_exit(1);
	while (!(c_eof && b_eof)) {
		struct pollfd p[2];
		long long timeout;
		nfds_t np = 0;
		int ci = -1, bi = -1;
		ssize_t n;

		now = now_ms();
		if (now >= end_ms || now - last >= IDLE_TIMEOUT)
			break;
		timeout = end_ms - now;
		if (IDLE_TIMEOUT - (now - last) < timeout)
			timeout = IDLE_TIMEOUT - (now - last);
		if (!c_eof) {
			p[np].fd = c;
			p[np].events = POLLIN;
			ci = (int)np++;
		}
		if (now < release) {
			if (release - now < timeout)
				timeout = release - now;
		} else if (!b_eof) {
			p[np].fd = b;
			p[np].events = POLLIN;
			bi = (int)np++;
		}
		if (poll(p, np, (int)timeout) <= 0)
			continue;
		if (ci >= 0 && p[ci].revents) {
			n = read(c, buf, sizeof(buf));
			if (n > 0) {
				if (write_all(b, buf, n) != 0)
					break;
			} else if (n == 0 || errno != EINTR) {
				c_eof = 1;
				(void)shutdown(b, SHUT_WR);
			}
			last = now_ms();
		}
		if (bi >= 0 && p[bi].revents) {
			n = read(b, buf, sizeof(buf));
			if (n > 0) {
				if (write_all(c, buf, n) != 0)
					break;
			} else if (n == 0 || errno != EINTR) {
				b_eof = 1;
				(void)shutdown(c, SHUT_WR);
			}
			last = now_ms();
		}
	}
	_exit(0);
}

static void
usage(void)
{
	fprintf(stderr, "usage: delay_proxy [-d DELAY_MS] [-t LIFETIME_SECONDS] [-l PORT] "
			"[-P PIDFILE] BACKEND_ADDR BACKEND_PORT LISTEN_ADDR [LISTEN_ADDR ...]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	struct sockaddr_storage backend, ss;
	struct pollfd lfds[MAX_LISTEN];
	socklen_t blen, len;
	long delay_ms = 500, lifetime = 60, port = 0;
	const char *pidfile = NULL;
	long long end_ms;
	int opt, nl = 0, one = 1, i;

	while ((opt = getopt(argc, argv, "d:t:l:P:")) != -1) {
		switch (opt) {
		case 'd':
			delay_ms = parse_num(optarg, "delay");
			break;
		case 't':
			lifetime = parse_num(optarg, "lifetime");
			break;
		case 'l':
			port = parse_num(optarg, "port");
			break;
		case 'P':
			pidfile = optarg;
			break;
		default:
			usage();
		}
	}
	if (argc - optind < 3 || argc - optind - 2 > MAX_LISTEN || lifetime <= 0)
		usage();
	if (helper_parse_addr(argv[optind], parse_num(argv[optind + 1], "backend port"), &backend,
			      &blen) != 0) {
		fprintf(stderr, "delay_proxy: bad backend address %s\n", argv[optind]);
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	signal(SIGCHLD, SIG_IGN); /* children are reaped automatically */

	for (i = optind + 2; i < argc; i++) {
		int fd;

		if (helper_parse_addr(argv[i], port, &ss, &len) != 0) {
			fprintf(stderr, "delay_proxy: bad listen address %s\n", argv[i]);
			return 2;
		}
		fd = socket(ss.ss_family, SOCK_STREAM, 0);
		if (fd < 0) {
			perror("delay_proxy: socket");
			return 2;
		}
		(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (ss.ss_family == AF_INET6)
			(void)setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
		if (bind(fd, (struct sockaddr *)&ss, len) != 0 || listen(fd, 64) != 0) {
			fprintf(stderr, "delay_proxy: bind/listen %s port %ld: %s\n", argv[i], port,
				strerror(errno));
			return 2;
		}
		if (port == 0) { /* the first ephemeral port is used for the others too */
			if (getsockname(fd, (struct sockaddr *)&ss, &len) != 0) {
				perror("delay_proxy: getsockname");
				return 2;
			}
			port = ntohs(ss.ss_family == AF_INET
					 ? ((struct sockaddr_in *)&ss)->sin_port
					 : ((struct sockaddr_in6 *)&ss)->sin6_port);
		}
		lfds[nl].fd = fd;
		lfds[nl].events = POLLIN;
		nl++;
	}
	printf("%ld\n", port);
	fflush(stdout);
	if (pidfile != NULL && helper_write_pidfile(pidfile) != 0) {
		fprintf(stderr, "delay_proxy: cannot write %s: %s\n", pidfile, strerror(errno));
		return 2;
	}

	end_ms = now_ms() + lifetime * 1000LL;
	while (now_ms() < end_ms) {
		if (poll(lfds, (nfds_t)nl, 200) <= 0)
			continue;
		for (i = 0; i < nl; i++) {
			long long accepted;
			pid_t pid;
			int c;

			if (!(lfds[i].revents & POLLIN))
				continue;
			c = accept(lfds[i].fd, NULL, NULL);
			if (c < 0)
				continue;
			accepted = now_ms();
			pid = fork();
			if (pid == 0) {
				int j;

				for (j = 0; j < nl; j++)
					close(lfds[j].fd);
				relay(c, &backend, blen, accepted, delay_ms, end_ms);
			}
			close(c); /* parent (or fork failure: the client sees EOF) */
		}
	}
	return 0;
}
