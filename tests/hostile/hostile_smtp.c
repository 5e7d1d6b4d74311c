/*
 * hostile_smtp -- a misbehaving SMTP server for the hostile-peer tests of
 * check_dane_smtp (tests/hostile/test_hostile_smtp.sh, issue 7).
 *
 *   hostile_smtp [-l SECONDS] [-k KEYFILE] ADDR PORT MODE
 *
 * Listens on ADDR (a loopback address) and PORT (0: any free port), prints
 * the port on stdout, then serves every connection in the given MODE, each in
 * its own thread (as a real server serves the plugin's concurrent connections,
 * one per certificate type), until it is killed or its lifetime (-l, default
 * 20 s) ends: an alarm ends the process whatever a client does. Writes
 * nothing on stderr unless it cannot start (exit 1). `hostile_smtp -L` lists
 * the modes.
 *
 * The TLS modes make their certificates at start with the OpenSSL API: the
 * leaf uses the key of -k (tests/hostile/hostile.key, which the lab zone
 * hostile.test publishes as TLSA 3 1 1) where a mode is meant to verify, and
 * a fresh key where it is not. Loopback only: ADDR must be in 127.0.0.0/8
 * or ::1.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#define HOST          "peer.hostile.test"
#define IO_TIMEOUT_S  5
#define CHAIN_LENGTH  50
#define BIG_NAME_SIZE (64 * 1024)

/* What happens after the client's STARTTLS, or before. */
enum kind {
	K_SILENT,        /* never says anything */
	K_RAW_GREETING,  /* sends greeting text (below), then reads until closed */
	K_SLOW_GREETING, /* greeting one byte per second */
	K_NUMBERED,      /* a 554 greeting naming the connection's number: words differ */
	K_HUGE_GREETING, /* a 1 MiB greeting line */
	K_MANY_LINES,    /* 100 000 continuation lines */
	K_RAW_EHLO,      /* good greeting, EHLO answered with text (below) */
	K_RAW_STARTTLS,  /* good dialogue, STARTTLS answered with text (below) */
	K_AFTER_220,     /* STARTTLS answered with 220, then the action (below) */
	K_TLS,           /* a real TLS server with certificates (below) */
};

enum after {
	A_NONE,
	A_GARBAGE,    /* reads the ClientHello, answers with non-TLS bytes */
	A_ALERT,      /* reads the ClientHello, answers with a fatal alert */
	A_CLOSE_MID,  /* half of the real server flight, then FIN */
	A_RESET,      /* reads the ClientHello, then RST */
	A_SILENT,     /* reads the ClientHello, never answers */
	A_CLOSE_NOW,  /* closes right after the 220, before the ClientHello */
	A_HALF_CLOSE, /* FIN right after the 220, then reads on: the client sees EOF */
	A_RST_UNREAD, /* waits for the ClientHello, closes without reading it: RST */
};

enum certs {
	C_GOOD,           /* self-signed leaf, fixed key, valid now */
	C_EXPIRED,        /* fixed key, expired a month ago */
	C_NOT_YET,        /* fixed key, valid from next month */
	C_CHAIN50,        /* fixed-key leaf + 49 CA certificates */
	C_CHAIN50_WRONG,  /* the same with a fresh leaf key */
	C_BIG_SUBJECT,    /* fixed key, 64 KiB subject, small issuer */
	C_BIG_WRONG,      /* the same with a fresh key */
	C_BIG_SELFSIGNED, /* 64 KiB subject and issuer: over OpenSSL's 100 KiB list limit */
	C_FORGED_NAMES,   /* fresh key, CN and SANs with '|', newlines, ESC, NUL */
};

enum post {
	P_NORMAL,  /* answers QUIT with 221 */
	P_HANG,    /* never answers QUIT */
	P_GARBAGE, /* raw garbage on the socket after the handshake */
};

struct mode {
	const char *name;
	enum kind kind;
	const char *text; /* K_RAW_*: what is sent */
	size_t textlen;   /* its length (T() gives both) */
	enum after after;
	enum certs certs;
	enum post post;
	const char *what; /* one line for -L */
};

#define T(s) s, sizeof(s) - 1

static const struct mode modes[] = {
    {"silent", K_SILENT, NULL, 0, A_NONE, C_GOOD, P_NORMAL, "no greeting at all"},
    {"slow-greeting", K_SLOW_GREETING, NULL, 0, A_NONE, C_GOOD, P_NORMAL,
     "greeting at one byte per second"},
    {"huge-greeting", K_HUGE_GREETING, NULL, 0, A_NONE, C_GOOD, P_NORMAL,
     "a greeting line of 1 MiB"},
    {"many-lines", K_MANY_LINES, NULL, 0, A_NONE, C_GOOD, P_NORMAL,
     "a greeting of 100 000 continuation lines"},
    {"numbered-554", K_NUMBERED, NULL, 0, A_NONE, C_GOOD, P_NORMAL,
     "a 554 greeting whose text differs per connection"},
    {"code-abc", K_RAW_GREETING, T("abc hostile.test ESMTP\r\n"), A_NONE, C_GOOD, P_NORMAL,
     "greeting code 'abc'"},
    {"code-2500", K_RAW_GREETING, T("2500 hostile.test ESMTP\r\n"), A_NONE, C_GOOD, P_NORMAL,
     "greeting code '2500'"},
    {"code-25", K_RAW_GREETING, T("25\r\n"), A_NONE, C_GOOD, P_NORMAL, "greeting code '25'"},
    {"code-600", K_RAW_GREETING, T("600 hostile.test\r\n"), A_NONE, C_GOOD, P_NORMAL,
     "greeting code 600"},
    {"empty-lines", K_RAW_GREETING, T("\r\n\r\n\n\n"), A_NONE, C_GOOD, P_NORMAL,
     "empty lines instead of a greeting"},
    {"mixed-codes", K_RAW_GREETING, T("220-first\r\n250-second\r\n220 third\r\n"), A_NONE, C_GOOD,
     P_NORMAL, "greeting lines with different codes"},
    {"banner-newline", K_RAW_GREETING, T("220 x | 'time'=0s\nDANE_SMTP OK - forged\r\n"), A_NONE,
     C_GOOD, P_NORMAL, "220 banner with '|' and a newline forging a status line"},
    {"banner-forge", K_RAW_GREETING,
     T("554 x | 'time'=0s\rDANE_SMTP OK - forged\x1b[2J\x1b]0;title\x07\0nul\\back\xff\xfe\r\n"),
     A_NONE, C_GOOD, P_NORMAL, "554 banner with '|', CR, ANSI escapes, NUL, 8-bit bytes"},
    {"banner-multi-forge", K_RAW_GREETING,
     T("421-x | 'time'=0s\r\n421-\nDANE_SMTP OK - forged\r\n421 \x1b[31mred\0\r\n"), A_NONE, C_GOOD,
     P_NORMAL, "multi-line 421 greeting with forged lines"},
    {"ehlo-mixed", K_RAW_EHLO, T("250-peer.hostile.test\r\n220-STARTTLS\r\n250 OK\r\n"), A_NONE,
     C_GOOD, P_NORMAL, "EHLO reply mixing codes"},
    {"ehlo-forge", K_RAW_EHLO,
     T("550-x | 'time'=0s\r\n550 \x1b]0;DANE_SMTP OK - forged\x07\0|\\ \rDANE_SMTP OK\r\n"), A_NONE,
     C_GOOD, P_NORMAL, "EHLO rejected with forged text"},
    {"ehlo-forge-250", K_RAW_EHLO,
     T("250-x | 'time'=0s\r\n250-DANE_SMTP OK - forged\r\n250-\x1b[31mSTARTTLS\r\n"
       "250-STARTTLS\0\r\n250 8BITMIME|\xff\r\n"),
     A_NONE, C_GOOD, P_NORMAL, "EHLO 250 with junk keywords, no real STARTTLS"},
    {"ehlo-huge", K_RAW_EHLO, NULL, 0, A_NONE, C_GOOD, P_NORMAL,
     "EHLO reply of 70 000 bytes (over the reply limit)"},
    {"starttls-forge", K_RAW_STARTTLS,
     T("454-x | 'time'=0s\r\n454 4.7.0 \rDANE_SMTP OK - forged\x1b[0m\0\r\n"), A_NONE, C_GOOD,
     P_NORMAL, "STARTTLS refused with forged text"},
    {"starttls-inject", K_RAW_STARTTLS, T("220 go ahead\r\n250 injected\r\n"), A_NONE, C_GOOD,
     P_NORMAL, "220 to STARTTLS with more bytes in the same segment"},
    {"starttls-close", K_AFTER_220, NULL, 0, A_CLOSE_NOW, C_GOOD, P_NORMAL,
     "220 to STARTTLS, then close at once"},
    {"starttls-half-close", K_AFTER_220, NULL, 0, A_HALF_CLOSE, C_GOOD, P_NORMAL,
     "220 to STARTTLS, then FIN at once; reads whatever comes (the client sees EOF)"},
    {"starttls-rst-unread", K_AFTER_220, NULL, 0, A_RST_UNREAD, C_GOOD, P_NORMAL,
     "220 to STARTTLS, then close with the ClientHello unread (the client sees a RST)"},
    {"starttls-garbage", K_AFTER_220, NULL, 0, A_GARBAGE, C_GOOD, P_NORMAL,
     "220 to STARTTLS, then garbage instead of a ServerHello"},
    {"tls-alert", K_AFTER_220, NULL, 0, A_ALERT, C_GOOD, P_NORMAL,
     "a fatal TLS alert instead of a ServerHello"},
    {"tls-close-mid", K_AFTER_220, NULL, 0, A_CLOSE_MID, C_GOOD, P_NORMAL,
     "half of the server's handshake flight, then close"},
    {"tls-reset", K_AFTER_220, NULL, 0, A_RESET, C_GOOD, P_NORMAL,
     "connection reset after the ClientHello"},
    {"tls-silent", K_AFTER_220, NULL, 0, A_SILENT, C_GOOD, P_NORMAL,
     "never answers the ClientHello"},
    {"good", K_TLS, NULL, 0, A_NONE, C_GOOD, P_NORMAL, "a correct DANE-EE server (control)"},
    {"chain50", K_TLS, NULL, 0, A_NONE, C_CHAIN50, P_NORMAL,
     "a chain of 50 certificates, the leaf with the published key"},
    {"chain50-wrongkey", K_TLS, NULL, 0, A_NONE, C_CHAIN50_WRONG, P_NORMAL,
     "a chain of 50 certificates, the leaf with another key"},
    {"bigsubject", K_TLS, NULL, 0, A_NONE, C_BIG_SUBJECT, P_NORMAL,
     "a leaf with a 64 KiB subject and the published key"},
    {"bigsubject-wrongkey", K_TLS, NULL, 0, A_NONE, C_BIG_WRONG, P_NORMAL,
     "a leaf with a 64 KiB subject and another key"},
    {"bigsubject-selfsigned", K_TLS, NULL, 0, A_NONE, C_BIG_SELFSIGNED, P_NORMAL,
     "a self-signed leaf with 64 KiB subject and issuer (128 KiB certificate)"},
    {"forged-names", K_TLS, NULL, 0, A_NONE, C_FORGED_NAMES, P_NORMAL,
     "a leaf (another key) whose CN and SANs carry '|', newlines, ESC, NUL"},
    {"expired", K_TLS, NULL, 0, A_NONE, C_EXPIRED, P_NORMAL,
     "an expired leaf with the published key (DANE-EE: verifies)"},
    {"not-yet-valid", K_TLS, NULL, 0, A_NONE, C_NOT_YET, P_NORMAL,
     "a not-yet-valid leaf with the published key (DANE-EE: verifies)"},
    {"quit-hang", K_TLS, NULL, 0, A_NONE, C_GOOD, P_HANG, "verifies, then never answers QUIT"},
    {"post-tls-garbage", K_TLS, NULL, 0, A_NONE, C_GOOD, P_GARBAGE,
     "verifies, then raw garbage on the socket instead of TLS records"},
};

#define NMODES (sizeof(modes) / sizeof(modes[0]))

static const struct mode *mode;
static SSL_CTX *server_ctx;

#define HUGE_EHLO_BYTES 70000

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

static void
die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "hostile_smtp: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void
die_ssl(const char *what)
{
	fprintf(stderr, "hostile_smtp: %s\n", what);
	ERR_print_errors_fp(stderr);
	exit(1);
}

/* --- plain socket helpers ---------------------------------------------- */

static bool
send_bytes(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len > 0) {
		ssize_t n = send(fd, p, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		p += n;
		len -= (size_t)n;
	}
	return true;
}

static bool
send_str(int fd, const char *s)
{
	return send_bytes(fd, s, strlen(s));
}

/* Read one line (up to LF) into buf, byte by byte: never reads past it. */
static bool
read_line(int fd, char *buf, size_t size)
{
	size_t o = 0;

	for (;;) {
		char ch;
		ssize_t n = recv(fd, &ch, 1, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		if (ch == '\n')
			break;
		if (ch != '\r' && o + 1 < size)
			buf[o++] = ch;
	}
	buf[o] = '\0';
	return true;
}

/* Read and drop everything until the client closes (the lifetime alarm bounds it). */
static void
drain(int fd)
{
	char buf[4096];
	ssize_t n;

	while ((n = recv(fd, buf, sizeof(buf), 0)) != 0) {
		if (n < 0 && errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK)
			break;
	}
}

/* Read one whole TLS record (the ClientHello) into buf; returns its length, 0 on failure. */
static size_t
read_record(int fd, unsigned char *buf, size_t size)
{
	size_t got = 0, need = 5;

	while (got < need) {
		ssize_t n = recv(fd, buf + got, need - got, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return 0;
		got += (size_t)n;
		if (got == 5 && need == 5) {
			need = 5 + (((size_t)buf[3] << 8) | buf[4]);
			if (need > size)
				return 0;
		}
	}
	return got;
}

static bool
starts_with_ci(const char *s, const char *prefix)
{
	return strncasecmp(s, prefix, strlen(prefix)) == 0;
}

/* The usual dialogue up to the client's STARTTLS: false if it went elsewhere. */
static bool
dialogue_to_starttls(int fd, const char *ehlo_reply, size_t ehlo_len)
{
	char line[1024];

	if (!send_str(fd, "220 " HOST " ESMTP hostile\r\n"))
		return false;
	if (!read_line(fd, line, sizeof(line)) || !starts_with_ci(line, "EHLO"))
		return false;
	if (ehlo_reply != NULL) {
		/* a reply that is not meant to lead to STARTTLS */
		send_bytes(fd, ehlo_reply, ehlo_len);
		return false;
	}
	if (!send_str(fd, "250-" HOST "\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n"
			  "250-STARTTLS\r\n250 8BITMIME\r\n"))
		return false;
	return read_line(fd, line, sizeof(line)) && starts_with_ci(line, "STARTTLS");
}

/* --- certificates ------------------------------------------------------- */

static EVP_PKEY *
new_key(void)
{
	EVP_PKEY *k = EVP_EC_gen("P-256");

	if (k == NULL)
		die_ssl("cannot make a key");
	return k;
}

static EVP_PKEY *
load_key(const char *path)
{
	FILE *f = fopen(path, "r");
	EVP_PKEY *k;

	if (f == NULL)
		die("cannot read %s", path);
	k = PEM_read_PrivateKey(f, NULL, NULL, NULL);
	fclose(f);
	if (k == NULL)
		die_ssl("cannot read the key");
	return k;
}

/* A name with one attribute (type given as an OID text) of value len bytes. */
static X509_NAME *
make_name(const char *oid, const unsigned char *value, int len)
{
	X509_NAME *n = X509_NAME_new();

	/*
	 * A plain string type (not MBSTRING_*) skips OpenSSL's length limits
	 * for known attributes (commonName: 64): this is how a hostile peer
	 * makes a 64 KiB subject.
	 */
	if (n == NULL ||
	    X509_NAME_add_entry_by_txt(n, oid, V_ASN1_UTF8STRING, value, len, -1, 0) != 1)
		die_ssl("cannot make a name");
	return n;
}

static void
add_ext(X509 *cert, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509_EXTENSION *ext;

	X509V3_set_ctx(&ctx, issuer, cert, NULL, NULL, 0);
	ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
	if (ext == NULL || X509_add_ext(cert, ext, -1) != 1)
		die_ssl("cannot add an extension");
	X509_EXTENSION_free(ext);
}

/*
 * A certificate for key with subject, signed by issuer_key with issuer_name
 * (the subject when NULL), valid from now + from_days to now + to_days.
 */
static X509 *
make_cert(EVP_PKEY *key, X509_NAME *subject, EVP_PKEY *issuer_key, X509_NAME *issuer_name,
	  long from_days, long to_days, bool ca, long serial)
{
	X509 *x = X509_new();

	if (x == NULL || X509_set_version(x, 2) != 1 ||
	    ASN1_INTEGER_set(X509_get_serialNumber(x), serial) != 1 ||
	    X509_set_subject_name(x, subject) != 1 ||
	    X509_set_issuer_name(x, issuer_name != NULL ? issuer_name : subject) != 1 ||
	    X509_gmtime_adj(X509_getm_notBefore(x), from_days * 86400) == NULL ||
	    X509_gmtime_adj(X509_getm_notAfter(x), to_days * 86400) == NULL ||
	    X509_set_pubkey(x, key) != 1)
		die_ssl("cannot make a certificate");
	add_ext(x, x, NID_basic_constraints, ca ? "critical,CA:TRUE" : "CA:FALSE");
	if (!ca)
		add_ext(x, x, NID_subject_alt_name, "DNS:" HOST);
	if (X509_sign(x, issuer_key, EVP_sha256()) <= 0)
		die_ssl("cannot sign a certificate");
	return x;
}

static X509_NAME *
cn_name(const char *cn)
{
	return make_name("CN", (const unsigned char *)cn, (int)strlen(cn));
}

/* Leaf with a SAN list holding hostile bytes (set with the raw API: no escaping). */
static X509 *
forged_names_cert(EVP_PKEY *key)
{
	static const char cn[] = "x | 'time'=0s\nDANE_SMTP OK - forged\x1b[31m\0nul|";
	static const struct {
		const char *s;
		size_t n;
	} sans[] = {{T("a|b.hostile.test")},
		    {T("line\nDANE_SMTP OK - forged")},
		    {T("\x1b]0;title\x07.hostile.test")},
		    {T("nul\0byte.hostile.test")}};
	X509_NAME *name = make_name("CN", (const unsigned char *)cn, (int)sizeof(cn) - 1);
	GENERAL_NAMES *gens = GENERAL_NAMES_new();
	X509 *x;
	size_t i;

	x = make_cert(key, name, key, NULL, -1, 365, false, 7);
	/* replace the SAN made by make_cert */
	X509_EXTENSION_free(X509_delete_ext(x, X509_get_ext_by_NID(x, NID_subject_alt_name, -1)));
	for (i = 0; i < sizeof(sans) / sizeof(sans[0]); i++) {
		GENERAL_NAME *g = GENERAL_NAME_new();
		ASN1_IA5STRING *s = ASN1_IA5STRING_new();

		if (g == NULL || s == NULL || ASN1_STRING_set(s, sans[i].s, (int)sans[i].n) != 1)
			die_ssl("cannot make a SAN");
		GENERAL_NAME_set0_value(g, GEN_DNS, s);
		sk_GENERAL_NAME_push(gens, g);
	}
	if (X509_add1_ext_i2d(x, NID_subject_alt_name, gens, 0, X509V3_ADD_DEFAULT) != 1 ||
	    X509_sign(x, key, EVP_sha256()) <= 0)
		die_ssl("cannot sign the forged-names certificate");
	GENERAL_NAMES_free(gens);
	X509_NAME_free(name);
	return x;
}

/* The server context with the mode's certificates. */
static SSL_CTX *
make_server_ctx(EVP_PKEY *fixed)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
	EVP_PKEY *key = fixed, *ca_key = NULL;
	X509 *leaf = NULL;
	X509_NAME *name = NULL, *ca_name = NULL;
	unsigned char *big = NULL;
	int i;

	if (ctx == NULL)
		die_ssl("cannot make a TLS server context");
	/* the peer does not judge its own certificates */
	SSL_CTX_set_security_level(ctx, 0);
	switch (mode->certs) {
	case C_GOOD:
	case C_EXPIRED:
	case C_NOT_YET:
		name = cn_name(HOST);
		leaf = make_cert(key, name, key, NULL,
				 mode->certs == C_EXPIRED   ? -60
				 : mode->certs == C_NOT_YET ? 30
							    : -1,
				 mode->certs == C_EXPIRED   ? -30
				 : mode->certs == C_NOT_YET ? 60
							    : 365,
				 false, 1);
		break;
	case C_CHAIN50:
	case C_CHAIN50_WRONG: {
		/* CA 49 (self-signed root) signs CA 48 ... CA 1 signs the leaf */
		EVP_PKEY *keys[CHAIN_LENGTH];
		X509_NAME *names[CHAIN_LENGTH];
		X509 *cas[CHAIN_LENGTH];
		char cn[64];

		if (mode->certs == C_CHAIN50_WRONG)
			key = new_key();
		for (i = 1; i < CHAIN_LENGTH; i++) {
			snprintf(cn, sizeof(cn), "Hostile CA %d", i);
			keys[i] = new_key();
			names[i] = cn_name(cn);
		}
		for (i = CHAIN_LENGTH - 1; i >= 1; i--) {
			int up = i == CHAIN_LENGTH - 1 ? i : i + 1;

			cas[i] = make_cert(keys[i], names[i], keys[up], names[up], -1, 365, true,
					   100 + i);
		}
		name = cn_name(HOST);
		leaf = make_cert(key, name, keys[1], names[1], -1, 365, false, 1);
		for (i = 1; i < CHAIN_LENGTH; i++) {
			if (SSL_CTX_add0_chain_cert(ctx, cas[i]) != 1)
				die_ssl("cannot add a chain certificate");
			EVP_PKEY_free(keys[i]);
			X509_NAME_free(names[i]);
		}
		break;
	}
	case C_BIG_SUBJECT:
	case C_BIG_WRONG:
	case C_BIG_SELFSIGNED:
		if (mode->certs != C_BIG_SUBJECT)
			key = new_key();
		big = malloc(BIG_NAME_SIZE);
		if (big == NULL)
			die("out of memory");
		memset(big, 'A', BIG_NAME_SIZE);
		memcpy(big, "big.", 4);
		name = make_name("CN", big, BIG_NAME_SIZE);
		if (mode->certs == C_BIG_SELFSIGNED) {
			leaf = make_cert(key, name, key, NULL, -1, 365, false, 1);
		} else {
			ca_key = new_key();
			ca_name = cn_name("Hostile small CA");
			leaf = make_cert(key, name, ca_key, ca_name, -1, 365, false, 1);
		}
		free(big);
		break;
	case C_FORGED_NAMES:
		key = new_key();
		leaf = forged_names_cert(key);
		break;
	}
	if (SSL_CTX_use_certificate(ctx, leaf) != 1 || SSL_CTX_use_PrivateKey(ctx, key) != 1)
		die_ssl("cannot use the certificate");
	X509_free(leaf);
	X509_NAME_free(name);
	X509_NAME_free(ca_name);
	EVP_PKEY_free(ca_key);
	if (key != fixed)
		EVP_PKEY_free(key);
	return ctx;
}

/* --- the modes ----------------------------------------------------------- */

/* Answer the ClientHello as the mode says (the plain socket after the 220). */
static void
after_220(int fd)
{
	static const unsigned char alert[] = {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28};
	static const char garbage[] = "HTTP/1.0 400 Bad Request\r\n\r\n\x16\x03\x03\xff\xff"
				      "\x00\x01\x02 not a ServerHello | DANE_SMTP OK\n";
	unsigned char hello[16384 + 5];
	size_t n;
	struct linger lg = {1, 0};

	if (mode->after == A_CLOSE_NOW)
		return;
	if (mode->after == A_HALF_CLOSE) {
		shutdown(fd, SHUT_WR);
		drain(fd);
		return;
	}
	if (mode->after == A_RST_UNREAD) {
		struct pollfd pfd = {fd, POLLIN, 0};

		/* data unread in the receive queue: close() sends RST, not FIN */
		(void)poll(&pfd, 1, 5000);
		return;
	}
	n = read_record(fd, hello, sizeof(hello));
	if (n == 0)
		return;
	switch (mode->after) {
	case A_GARBAGE:
		send_bytes(fd, garbage, sizeof(garbage) - 1);
		drain(fd);
		break;
	case A_ALERT:
		send_bytes(fd, alert, sizeof(alert));
		drain(fd);
		break;
	case A_RESET:
		setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
		break;
	case A_SILENT:
		drain(fd);
		break;
	case A_CLOSE_MID: {
		/* the real server flight from OpenSSL, cut in the middle */
		SSL *ssl = SSL_new(server_ctx);
		BIO *rb = BIO_new(BIO_s_mem()), *wb = BIO_new(BIO_s_mem());
		char *out = NULL;
		long len;

		if (ssl == NULL || rb == NULL || wb == NULL)
			die_ssl("cannot make a TLS server");
		BIO_write(rb, hello, (int)n);
		SSL_set_bio(ssl, rb, wb);
		SSL_set_accept_state(ssl);
		(void)SSL_do_handshake(ssl); /* wants the client's next flight */
		len = BIO_get_mem_data(wb, &out);
		if (len > 1)
			send_bytes(fd, out, (size_t)len / 2);
		SSL_free(ssl);
		ERR_clear_error();
		break;
	}
	case A_NONE:
	case A_CLOSE_NOW:
	case A_HALF_CLOSE:
	case A_RST_UNREAD:
		break;
	}
}

/* A real TLS server on fd; then the mode's behaviour after the handshake. */
static void
serve_tls(int fd)
{
	static const char garbage[] = "\x17\x03\x03\x00\x10garbage|DANE_SMTP OK\n\0\x1b[2J";
	SSL *ssl = SSL_new(server_ctx);
	char buf[1024];
	int n;

	if (ssl == NULL || SSL_set_fd(ssl, fd) != 1)
		die_ssl("cannot make a TLS server");
	if (SSL_accept(ssl) != 1)
		goto out;
	switch (mode->post) {
	case P_NORMAL:
		while ((n = SSL_read(ssl, buf, sizeof(buf) - 1)) > 0) {
			buf[n] = '\0';
			if (starts_with_ci(buf, "QUIT")) {
				SSL_write(ssl, "221 2.0.0 bye\r\n", 15);
				break;
			}
			SSL_write(ssl, "502 5.5.2 what?\r\n", 17);
		}
		SSL_shutdown(ssl);
		break;
	case P_HANG:
		drain(fd);
		break;
	case P_GARBAGE:
		send_bytes(fd, garbage, sizeof(garbage) - 1);
		drain(fd);
		break;
	}
out:
	SSL_free(ssl);
	ERR_clear_error();
}

static void
serve(int fd)
{
	char *big;
	size_t i, o;

	switch (mode->kind) {
	case K_SILENT:
		drain(fd);
		return;
	case K_RAW_GREETING:
		if (send_bytes(fd, mode->text, mode->textlen))
			drain(fd);
		return;
	case K_SLOW_GREETING: {
		static const char g[] = "220 " HOST " ESMTP slow\r\n";

		for (i = 0; i < sizeof(g) - 1; i++) {
			if (!send_bytes(fd, g + i, 1))
				return;
			sleep(1);
		}
		drain(fd);
		return;
	}
	case K_NUMBERED: {
		static unsigned int connections;
		char g[64];

		snprintf(g, sizeof(g), "554 5.3.2 refused, connection %u\r\n",
			 __atomic_add_fetch(&connections, 1, __ATOMIC_SEQ_CST));
		if (send_str(fd, g))
			drain(fd);
		return;
	}
	case K_HUGE_GREETING:
		big = malloc(1024 * 1024 + 8);
		if (big == NULL)
			return;
		memcpy(big, "220 ", 4);
		memset(big + 4, 'A', 1024 * 1024);
		memcpy(big + 4 + 1024 * 1024, "\r\n", 2);
		if (send_bytes(fd, big, 1024 * 1024 + 6))
			drain(fd);
		free(big);
		return;
	case K_MANY_LINES:
		big = malloc(100000 * 32 + 64);
		if (big == NULL)
			return;
		for (i = 0, o = 0; i < 100000; i++)
			o += (size_t)sprintf(big + o, "220-continuation line %zu\r\n", i);
		o += (size_t)sprintf(big + o, "220 last line\r\n");
		if (send_bytes(fd, big, o))
			drain(fd);
		free(big);
		return;
	case K_RAW_EHLO:
		if (mode->text == NULL) {
			/* 70 000 bytes in lines of 70: over SMTP_REPLY_BYTES_MAX, under 1000 lines
			 */
			big = malloc(HUGE_EHLO_BYTES);
			if (big == NULL)
				return;
			for (o = 0; o + 72 < HUGE_EHLO_BYTES;) {
				memcpy(big + o, "250-", 4);
				memset(big + o + 4, 'X', 66);
				memcpy(big + o + 70, "\r\n", 2);
				o += 72;
			}
			if (!dialogue_to_starttls(fd, big, o))
				drain(fd);
			free(big);
			return;
		}
		if (!dialogue_to_starttls(fd, mode->text, mode->textlen))
			drain(fd);
		return;
	case K_RAW_STARTTLS:
		if (dialogue_to_starttls(fd, NULL, 0) && send_bytes(fd, mode->text, mode->textlen))
			drain(fd);
		return;
	case K_AFTER_220:
		if (dialogue_to_starttls(fd, NULL, 0) && send_str(fd, "220 2.0.0 go ahead\r\n"))
			after_220(fd);
		return;
	case K_TLS:
		if (dialogue_to_starttls(fd, NULL, 0) && send_str(fd, "220 2.0.0 go ahead\r\n"))
			serve_tls(fd);
		return;
	}
}

static bool
loopback(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *sin = (const struct sockaddr_in *)ss;

		return (ntohl(sin->sin_addr.s_addr) >> 24) == 127;
	}
	if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)ss;

		return IN6_IS_ADDR_LOOPBACK(&sin6->sin6_addr);
	}
	return false;
}

/* One connection's thread: serve it, close it. */
static void *
serve_thread(void *arg)
{
	int fd = (int)(intptr_t)arg;

	serve(fd);
	close(fd);
	return NULL;
}

static void
usage(void)
{
	fprintf(stderr, "usage: hostile_smtp [-l SECONDS] [-k KEYFILE] ADDR PORT MODE\n"
			"       hostile_smtp -L   (list the modes)\n");
	exit(1);
}

int
main(int argc, char **argv)
{
	struct sockaddr_storage ss;
	socklen_t sslen;
	const char *keyfile = NULL;
	unsigned int lifetime = 20;
	EVP_PKEY *fixed = NULL;
	struct timeval tv = {IO_TIMEOUT_S, 0};
	pthread_attr_t attr;
	pthread_t t;
	char *end;
	long port;
	size_t i;
	int opt, fd, one = 1;

	while ((opt = getopt(argc, argv, "l:k:L")) != -1) {
		switch (opt) {
		case 'l':
			lifetime = (unsigned int)strtoul(optarg, &end, 10);
			if (*end != '\0' || lifetime < 1 || lifetime > 600)
				usage();
			break;
		case 'k':
			keyfile = optarg;
			break;
		case 'L':
			for (i = 0; i < NMODES; i++)
				printf("%-22s %s\n", modes[i].name, modes[i].what);
			return 0;
		default:
			usage();
		}
	}
	if (argc - optind != 3)
		usage();
	for (i = 0; i < NMODES; i++)
		if (strcmp(modes[i].name, argv[optind + 2]) == 0)
			mode = &modes[i];
	if (mode == NULL)
		die("unknown mode '%s' (-L lists them)", argv[optind + 2]);
	port = strtol(argv[optind + 1], &end, 10);
	if (*end != '\0' || port < 0 || port > 65535)
		die("bad port '%s'", argv[optind + 1]);

	memset(&ss, 0, sizeof(ss));
	if (inet_pton(AF_INET, argv[optind], &((struct sockaddr_in *)&ss)->sin_addr) == 1) {
		ss.ss_family = AF_INET;
		((struct sockaddr_in *)&ss)->sin_port = htons((uint16_t)port);
		sslen = sizeof(struct sockaddr_in);
	} else if (inet_pton(AF_INET6, argv[optind], &((struct sockaddr_in6 *)&ss)->sin6_addr) ==
		   1) {
		ss.ss_family = AF_INET6;
		((struct sockaddr_in6 *)&ss)->sin6_port = htons((uint16_t)port);
		sslen = sizeof(struct sockaddr_in6);
	} else {
		die("bad address '%s'", argv[optind]);
	}
	if (!loopback(&ss))
		die("'%s' is not a loopback address", argv[optind]);

	/* bounded lifetime whatever the client does: SIGALRM's default action ends us */
	signal(SIGPIPE, SIG_IGN);
	alarm(lifetime);

	if (mode->kind == K_TLS || mode->after == A_CLOSE_MID) {
		if (keyfile == NULL)
			die("mode %s needs -k KEYFILE", mode->name);
		fixed = load_key(keyfile);
		server_ctx = make_server_ctx(fixed);
	}

	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0 ||
	    bind(fd, (struct sockaddr *)&ss, sslen) != 0 || listen(fd, 16) != 0)
		die("cannot listen: %s", strerror(errno));
	sslen = sizeof(ss);
	if (getsockname(fd, (struct sockaddr *)&ss, &sslen) != 0)
		die("getsockname: %s", strerror(errno));
	printf("%u\n", ntohs(ss.ss_family == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port
						     : ((struct sockaddr_in6 *)&ss)->sin6_port));
	fflush(stdout);

	for (;;) {
		int c = accept(fd, NULL, NULL);

		if (c < 0) {
			if (errno == EINTR)
				continue;
			die("accept: %s", strerror(errno));
		}
		setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		setsockopt(c, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
		if (pthread_create(&t, &attr, serve_thread, (void *)(intptr_t)c) != 0) {
			serve(c); /* no thread to be had: this one, then the next */
			close(c);
		}
	}
}
