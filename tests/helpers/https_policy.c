/*
 * https_policy -- the lab's HTTPS server for MTA-STS policies (check_mta_sts).
 *
 * Usage: https_policy [-t LIFETIME_SECONDS] [-P PIDFILE] -c KEYCHAIN_PEM -d DIR ADDR PORT
 *
 * Listens on ADDR:PORT (PORT 0: an ephemeral port, printed on stdout), TLS with
 * the key and chain of KEYCHAIN_PEM (the lab's NAME.keychain.pem), writes its
 * pid to PIDFILE once it listens, and serves every connection in a child
 * process: one HTTP/1.1 request, one response, close. The response for
 * "GET /.well-known/mta-sts.txt" with "Host: NAME[:PORT]" is the file
 * DIR/NAME (lower case); any other path or name gets a 404.
 *
 * A response file is the status line and header lines, a blank line, then
 * the body (LF line ends; headers are sent with CRLF, Content-Length and
 * Connection: close are added). Header lines starting with "X-Lab-" are not
 * sent; they twist the response (tests/lab/mta-sts/README):
 *   X-Lab-Crlf: 1            the body's LF become CRLF
 *   X-Lab-Unescape: 1        \xNN in the body becomes the byte NN, \\ a backslash
 *   X-Lab-Repeat: N          the body is sent N times
 *   X-Lab-Endless-Headers: 1 after the status line, header lines without end
 *   X-Lab-Slow-Body: MS      one byte of the body every MS milliseconds
 *   X-Lab-No-Length: 1       no Content-Length (the close ends the body)
 * Everything ends after LIFETIME_SECONDS (default 60); a connection after 30 s.
 */
#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "helper.h"

#define CONN_SECONDS 30
#define REQUEST_MAX  8192
#define FILE_MAX     (1024 * 1024)
#define POLICY_PATH  "/.well-known/mta-sts.txt"

/* A response as the file describes it. */
struct response {
	char head[8192]; /* status line and headers, CRLF-terminated, sent as they are */
	size_t head_len;
	bool has_length, no_length, crlf, unescape, endless;
	long repeat, slow_ms;
	char *body;
	size_t body_len;
};

static void
die(const char *what)
{
	fprintf(stderr, "https_policy: %s: %s\n", what, strerror(errno));
	exit(2);
}

/* Send all of buf; returns 0, or -1 when the client is gone. */
static int
send_all(SSL *ssl, const char *buf, size_t len)
{
	while (len > 0) {
		int n = SSL_write(ssl, buf, len > 16384 ? 16384 : (int)len);

		if (n <= 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Add a header line (without line end) to the response head. */
static void
add_head(struct response *r, const char *line, size_t len)
{
	if (r->head_len + len + 2 < sizeof(r->head)) {
		memcpy(r->head + r->head_len, line, len);
		memcpy(r->head + r->head_len + len, "\r\n", 2);
		r->head_len += len + 2;
	}
}

/* \xNN and \\ in place; returns the new length. */
static size_t
unescape(char *s, size_t len)
{
	size_t i, o = 0;
	unsigned int byte;

	for (i = 0; i < len; i++) {
		if (s[i] == '\\' && i + 1 < len && s[i + 1] == '\\') {
			s[o++] = '\\';
			i++;
		} else if (s[i] == '\\' && i + 3 < len && s[i + 1] == 'x' &&
			   sscanf(s + i + 2, "%2x", &byte) == 1) {
			s[o++] = (char)byte;
			i += 3;
		} else {
			s[o++] = s[i];
		}
	}
	return o;
}

/* Read the response file into r; -1 when there is none. */
static int
load_response(const char *path, struct response *r)
{
	FILE *f = fopen(path, "rb");
	char *data, *sep, *line, *end;
	size_t n;

	memset(r, 0, sizeof(*r));
	r->repeat = 1;
	if (f == NULL)
		return -1;
	data = malloc(FILE_MAX + 1);
	if (data == NULL)
		exit(2);
	n = fread(data, 1, FILE_MAX, f);
	fclose(f);
	data[n] = '\0';
	sep = strstr(data, "\n\n");
	if (sep == NULL) {
		sep = data + n;
	} else {
		r->body = sep + 2;
		r->body_len = (size_t)(data + n - r->body);
	}
	*sep = '\0';
	for (line = data; line != NULL && *line != '\0'; line = end != NULL ? end + 1 : NULL) {
		end = strchr(line, '\n');
		if (end != NULL)
			*end = '\0';
		if (strncasecmp(line, "X-Lab-Crlf:", 11) == 0)
			r->crlf = true;
		else if (strncasecmp(line, "X-Lab-Unescape:", 15) == 0)
			r->unescape = true;
		else if (strncasecmp(line, "X-Lab-Repeat:", 13) == 0)
			r->repeat = atol(line + 13);
		else if (strncasecmp(line, "X-Lab-Endless-Headers:", 22) == 0)
			r->endless = true;
		else if (strncasecmp(line, "X-Lab-Slow-Body:", 16) == 0)
			r->slow_ms = atol(line + 16);
		else if (strncasecmp(line, "X-Lab-No-Length:", 16) == 0)
			r->no_length = true;
		else {
			if (strncasecmp(line, "Content-Length:", 15) == 0)
				r->has_length = true;
			add_head(r, line, strlen(line));
		}
	}
	if (r->body != NULL && r->unescape)
		r->body_len = unescape(r->body, r->body_len);
	if (r->body != NULL && r->crlf) {
		char *b = malloc(2 * r->body_len + 1);
		size_t i, o = 0;

		if (b == NULL)
			exit(2);
		for (i = 0; i < r->body_len; i++) {
			if (r->body[i] == '\n' && (i == 0 || r->body[i - 1] != '\r'))
				b[o++] = '\r';
			b[o++] = r->body[i];
		}
		r->body = b;
		r->body_len = o;
	}
	return 0;
}

/* Header lines without end, as fast as the client reads them. */
static void
send_endless(SSL *ssl)
{
	char line[160];
	unsigned long i;

	for (i = 0;; i++) {
		int n = snprintf(line, sizeof(line), "X-Filler-%lu: %0100lu\r\n", i, i);

		if (send_all(ssl, line, (size_t)n) != 0)
			return;
	}
}

static void
send_response(SSL *ssl, struct response *r)
{
	char len[64];
	long k;
	size_t i;
	int n;

	if (r->endless) {
		/* the status line only, then headers forever */
		char *eol = memchr(r->head, '\n', r->head_len);

		if (eol != NULL && send_all(ssl, r->head, (size_t)(eol - r->head) + 1) == 0)
			send_endless(ssl);
		return;
	}
	if (!r->has_length && !r->no_length) {
		n = snprintf(len, sizeof(len), "Content-Length: %zu",
			     r->body_len * (size_t)(r->repeat > 0 ? r->repeat : 0));
		add_head(r, len, (size_t)n);
	}
	add_head(r, "Connection: close", 17);
	add_head(r, "", 0);
	if (send_all(ssl, r->head, r->head_len) != 0)
		return;
	for (k = 0; k < r->repeat; k++) {
		if (r->slow_ms > 0) {
			for (i = 0; i < r->body_len; i++) {
				if (send_all(ssl, r->body + i, 1) != 0)
					return;
				usleep((useconds_t)r->slow_ms * 1000);
			}
		} else if (send_all(ssl, r->body, r->body_len) != 0) {
			return;
		}
	}
}

/* One connection: the handshake, the request, the response. */
static void
serve(SSL_CTX *ctx, int fd, const char *dir)
{
	char req[REQUEST_MAX + 1], host[256] = "", path[512], file[1024], *h, *e;
	struct response r;
	size_t got = 0, i;
	struct stat st;
	SSL *ssl;
	int n;

	alarm(CONN_SECONDS);
	ssl = SSL_new(ctx);
	if (ssl == NULL || SSL_set_fd(ssl, fd) != 1 || SSL_accept(ssl) != 1)
		return;
	while (got < REQUEST_MAX) {
		n = SSL_read(ssl, req + got, (int)(REQUEST_MAX - got));
		if (n <= 0)
			return;
		got += (size_t)n;
		req[got] = '\0';
		if (strstr(req, "\r\n\r\n") != NULL)
			break;
	}
	if (sscanf(req, "GET %511s HTTP/1.", path) != 1)
		path[0] = '\0';
	h = strcasestr(req, "\r\nHost:");
	if (h != NULL) {
		h += 7;
		while (*h == ' ')
			h++;
		for (i = 0; i + 1 < sizeof(host) && h[i] != '\0' && h[i] != '\r' && h[i] != ':' &&
			    h[i] != '/';
		     i++)
			host[i] = (char)tolower((unsigned char)h[i]);
		host[i] = '\0';
	}
	e = host[0] != '\0' && host[0] != '.' ? host : NULL;
	snprintf(file, sizeof(file), "%s/%s", dir, e != NULL ? e : "-");
	if (strcmp(path, POLICY_PATH) != 0 || e == NULL || stat(file, &st) != 0 ||
	    !S_ISREG(st.st_mode) || load_response(file, &r) != 0) {
		static const char nf[] =
		    "HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\n"
		    "Content-Length: 10\r\nConnection: close\r\n\r\nnot found\n";

		send_all(ssl, nf, sizeof(nf) - 1);
	} else {
		send_response(ssl, &r);
	}
	SSL_shutdown(ssl);
	SSL_free(ssl);
}

int
main(int argc, char **argv)
{
	const char *pidfile = NULL, *keychain = NULL, *dir = NULL;
	struct sockaddr_storage ss;
	socklen_t len;
	SSL_CTX *ctx;
	int opt, lfd, one = 1;
	long lifetime = 60;
	time_t end;

	while ((opt = getopt(argc, argv, "t:P:c:d:")) != -1) {
		switch (opt) {
		case 't':
			lifetime = atol(optarg);
			break;
		case 'P':
			pidfile = optarg;
			break;
		case 'c':
			keychain = optarg;
			break;
		case 'd':
			dir = optarg;
			break;
		default:
			goto usage;
		}
	}
	if (argc - optind != 2 || keychain == NULL || dir == NULL || lifetime <= 0 ||
	    helper_parse_addr(argv[optind], helper_parse_port(argv[optind + 1]), &ss, &len) != 0)
		goto usage;
	signal(SIGPIPE, SIG_IGN);
	signal(SIGCHLD, SIG_IGN); /* children are reaped automatically */
	ctx = SSL_CTX_new(TLS_server_method());
	if (ctx == NULL || SSL_CTX_use_certificate_chain_file(ctx, keychain) != 1 ||
	    SSL_CTX_use_PrivateKey_file(ctx, keychain, SSL_FILETYPE_PEM) != 1) {
		ERR_print_errors_fp(stderr);
		fprintf(stderr, "https_policy: cannot use %s\n", keychain);
		return 2;
	}
	lfd = socket(ss.ss_family, SOCK_STREAM, 0);
	if (lfd < 0)
		die("socket");
	(void)setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (ss.ss_family == AF_INET6)
		(void)setsockopt(lfd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (bind(lfd, (struct sockaddr *)&ss, len) != 0 || listen(lfd, 64) != 0)
		die("bind/listen");
	if (getsockname(lfd, (struct sockaddr *)&ss, &len) != 0)
		die("getsockname");
	printf("%u\n", ntohs(ss.ss_family == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port
						     : ((struct sockaddr_in6 *)&ss)->sin6_port));
	fflush(stdout);
	if (pidfile != NULL && helper_write_pidfile(pidfile) != 0)
		die("pidfile");
	end = time(NULL) + lifetime;
	while (time(NULL) < end) {
		struct pollfd p = {lfd, POLLIN, 0};
		int c;

		if (poll(&p, 1, 1000) <= 0)
			continue;
		c = accept(lfd, NULL, NULL);
		if (c < 0)
			continue;
		if (fork() == 0) {
			close(lfd);
			serve(ctx, c, dir);
			close(c);
			_exit(0);
		}
		close(c);
	}
	return 0;
usage:
	fprintf(
	    stderr,
	    "usage: https_policy [-t LIFETIME] [-P PIDFILE] -c KEYCHAIN_PEM -d DIR ADDR PORT\n");
	return 2;
}
