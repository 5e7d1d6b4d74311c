/*
 * mtasts_fetch.c -- the policy fetch (RFC 8461 3.3) with libcurl's multi
 * interface under the run's deadline (facts only).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "mtasts.h"
#include "mtasts_fetch.h"
#include "pkix.h"

/* Longest wait in one curl_multi_poll(), milliseconds: the deadline is checked after. */
#define POLL_SLICE_MS 200

/* Most addresses pinned for the policy host (CURLOPT_RESOLVE), and room for one. */
#define RESOLVE_ADDRS     8
#define RESOLVE_ADDR_ROOM 72

/* What the callbacks fill while curl runs. */
struct transfer {
	struct mtasts_fetch *r;
	uint8_t *body; /* MTASTS_POLICY_MAX bytes */
};

/* Keep a raw header value (after "Name:", blanks and the line end cut). */
static void
keep_value(const char *line, size_t len, size_t name_len, char *dst, size_t *dst_len)
{
	size_t s = name_len + 1, e = len;

	while (s < e && (line[s] == ' ' || line[s] == '\t'))
		s++;
	while (e > s && (line[e - 1] == '\r' || line[e - 1] == '\n' || line[e - 1] == ' ' ||
			 line[e - 1] == '\t'))
		e--;
	if (e - s > MTASTS_FETCH_VALUE_MAX - 1)
		e = s + MTASTS_FETCH_VALUE_MAX - 1;
	memcpy(dst, line + s, e - s);
	dst[e - s] = '\0';
	*dst_len = e - s;
}

/* Does a header line start with "name:" (case-insensitive)? */
static bool
header_is(const char *line, size_t len, const char *name)
{
	size_t n = strlen(name);

	return len > n && line[n] == ':' && strncasecmp(line, name, n) == 0;
}

/* Every header line of every response (a status line starts the next one). */
static size_t
on_header(char *line, size_t size, size_t n, void *arg)
{
	struct transfer *t = arg;
	struct mtasts_fetch *r = t->r;
	size_t len = size * n;

	r->headers++;
	r->header_bytes += len;
	if (r->headers > MTASTS_FETCH_HEADERS_MAX ||
	    r->header_bytes > MTASTS_FETCH_HEADER_BYTES_MAX) {
		r->headers_exceeded = true;
		return 0; /* stops the transfer */
	}
	if (len >= 5 && strncmp(line, "HTTP/", 5) == 0) {
		/* a new response (after a 1xx): its headers replace the last ones */
		r->has_content_type = false;
		r->content_type[0] = r->location[0] = '\0';
		r->content_type_len = r->location_len = 0;
	} else if (header_is(line, len, "Content-Type")) {
		keep_value(line, len, strlen("Content-Type"), r->content_type,
			   &r->content_type_len);
		r->has_content_type = true;
	} else if (header_is(line, len, "Location")) {
		keep_value(line, len, strlen("Location"), r->location, &r->location_len);
	}
	return len;
}

/* The body: kept up to the bound, counted beyond it, and the transfer stopped. */
static size_t
on_body(char *data, size_t size, size_t n, void *arg)
{
	struct transfer *t = arg;
	struct mtasts_fetch *r = t->r;
	size_t len = size * n, room = MTASTS_POLICY_MAX - r->body_len;

	r->body_received += len;
	if (len > room) {
		memcpy(t->body + r->body_len, data, room);
		r->body_len += room;
		r->body_exceeded = true;
		return 0; /* stops the transfer */
	}
	memcpy(t->body + r->body_len, data, len);
	r->body_len += len;
	return len;
}

/* "host:port:addr1,[addr2],..." for CURLOPT_RESOLVE. */
static struct curl_slist *
resolve_list(const struct mtasts_fetch_params *p)
{
	char entry[MX_NAME_MAX + 16 + RESOLVE_ADDRS * RESOLVE_ADDR_ROOM];
	size_t i, o;
	int k;

	k = snprintf(entry, sizeof(entry), "%s:%u:", p->host, p->port);
	if (k < 0 || (size_t)k >= sizeof(entry))
		return NULL;
	o = (size_t)k;
	for (i = 0; i < p->naddrs && i < RESOLVE_ADDRS; i++) {
		bool v6 = p->addrs[i].ss.ss_family == AF_INET6;

		k = snprintf(entry + o, sizeof(entry) - o, "%s%s%s%s", i ? "," : "", v6 ? "[" : "",
			     p->addrs[i].text, v6 ? "]" : "");
		if (k < 0 || (size_t)k >= sizeof(entry) - o)
			return NULL;
		o += (size_t)k;
	}
	return curl_slist_append(NULL, entry);
}

/* The status of a transfer that curl ended with code. */
static enum mtasts_fetch_status
status_of(const struct mtasts_fetch *r, CURLcode code)
{
	if (r->headers_exceeded)
		return MTASTS_FETCH_HEADERS;
	if (r->body_exceeded || code == CURLE_FILESIZE_EXCEEDED)
		return MTASTS_FETCH_TOO_LARGE;
	switch (code) {
	case CURLE_OK:
		break;
	case CURLE_COULDNT_CONNECT:
	case CURLE_COULDNT_RESOLVE_HOST:
		return MTASTS_FETCH_CONNECT;
	case CURLE_PEER_FAILED_VERIFICATION:
		return MTASTS_FETCH_CERT;
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_SSL_INVALIDCERTSTATUS:
	case CURLE_SSL_SHUTDOWN_FAILED:
		return MTASTS_FETCH_TLS;
	case CURLE_OPERATION_TIMEDOUT:
		return MTASTS_FETCH_TIMEOUT;
	case CURLE_OUT_OF_MEMORY:
	case CURLE_FAILED_INIT:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ENGINE_INITFAILED:
	case CURLE_NOT_BUILT_IN:
	case CURLE_UNSUPPORTED_PROTOCOL:
		return MTASTS_FETCH_LOCAL;
	default:
		return MTASTS_FETCH_PROTOCOL;
	}
	if (r->http_status >= 300 && r->http_status < 400)
		return MTASTS_FETCH_REDIRECT;
	if (r->http_status != 200)
		return MTASTS_FETCH_STATUS;
	if (!r->has_content_type || !mtasts_is_text_plain(r->content_type, r->content_type_len))
		return MTASTS_FETCH_CONTENT_TYPE;
	return MTASTS_FETCH_OK;
}

/* Set the options of the one transfer; returns 0, or -1 when curl refuses one. */
static int
set_options(CURL *e, const struct mtasts_fetch_params *p, struct curl_slist *resolve,
	    struct transfer *t, char *errbuf, long budget_ms)
{
	CURLcode c = CURLE_OK;

#define SET(opt, val)                                                                              \
	do {                                                                                       \
		if (c == CURLE_OK)                                                                 \
			c = curl_easy_setopt(e, opt, val);                                         \
	} while (0)
	SET(CURLOPT_URL, t->r->url);
	SET(CURLOPT_PROTOCOLS_STR, "https");
	SET(CURLOPT_REDIR_PROTOCOLS_STR, "https");
	SET(CURLOPT_FOLLOWLOCATION, 0L);
	SET(CURLOPT_NOSIGNAL, 1L);
	SET(CURLOPT_VERBOSE, 0L);
	SET(CURLOPT_NOPROGRESS, 1L);
	SET(CURLOPT_ERRORBUFFER, errbuf);
	SET(CURLOPT_RESOLVE, resolve);
	SET(CURLOPT_PROXY, ""); /* senders use no proxy, nor do we (https_proxy ignored) */
	SET(CURLOPT_NOPROXY, "*");
	SET(CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
	SET(CURLOPT_SSL_VERIFYPEER, 1L);
	SET(CURLOPT_SSL_VERIFYHOST, 2L);
	SET(CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)MTASTS_POLICY_MAX);
	SET(CURLOPT_WRITEFUNCTION, on_body);
	SET(CURLOPT_WRITEDATA, t);
	SET(CURLOPT_HEADERFUNCTION, on_header);
	SET(CURLOPT_HEADERDATA, t);
	SET(CURLOPT_USERAGENT, PACKAGE_NAME "/" PACKAGE_VERSION " (check_mta_sts)");
	SET(CURLOPT_FRESH_CONNECT, 1L);
	SET(CURLOPT_FORBID_REUSE, 1L);
	/* curl's own bounds, behind the poll loop's: never past the deadline */
	SET(CURLOPT_TIMEOUT_MS, budget_ms);
	SET(CURLOPT_CONNECTTIMEOUT_MS, budget_ms);
	if (p->ca_file != NULL) {
		SET(CURLOPT_CAINFO, p->ca_file);
		SET(CURLOPT_CAPATH, (char *)NULL);
	}
#undef SET
	return c == CURLE_OK ? 0 : -1;
}

/* Drive the transfer until curl ends it or the deadline passes. Returns curl's code. */
static CURLcode
run_multi(CURLM *m, CURL *e, const struct deadline *dl, bool *timed_out)
{
	CURLMsg *msg;
	int running = 1, left, queued;

	*timed_out = false;
	while (running > 0) {
		if (curl_multi_perform(m, &running) != CURLM_OK)
			return CURLE_FAILED_INIT;
		if (running == 0)
			break;
		left = deadline_ms_left(dl);
		if (left <= 0) {
			*timed_out = true;
			return CURLE_OPERATION_TIMEDOUT;
		}
		if (curl_multi_poll(m, NULL, 0, left < POLL_SLICE_MS ? left : POLL_SLICE_MS,
				    NULL) != CURLM_OK)
			return CURLE_FAILED_INIT;
	}
	while ((msg = curl_multi_info_read(m, &queued)) != NULL)
		if (msg->msg == CURLMSG_DONE && msg->easy_handle == e)
			return msg->data.result;
	return CURLE_FAILED_INIT;
}

/* Read what curl knows after the transfer. */
static void
read_info(CURL *e, struct mtasts_fetch *r)
{
	char *ip = NULL;

	(void)curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &r->http_status);
	(void)curl_easy_getinfo(e, CURLINFO_OS_ERRNO, &r->os_errno);
	(void)curl_easy_getinfo(e, CURLINFO_SSL_VERIFYRESULT, &r->verify_result);
	if (curl_easy_getinfo(e, CURLINFO_PRIMARY_IP, &ip) == CURLE_OK && ip != NULL)
		snprintf(r->address, sizeof(r->address), "%s", ip);
}

/* Forget what a first attempt received (a second one starts afresh). */
static void
reset_response(struct mtasts_fetch *r)
{
	r->curl_code = 0;
	r->curl_error[0] = r->content_type[0] = r->location[0] = r->address[0] = '\0';
	r->os_errno = r->verify_result = r->http_status = 0;
	r->content_type_len = r->location_len = r->headers = r->header_bytes = 0;
	r->body_len = r->body_received = 0;
	r->has_content_type = r->headers_exceeded = r->body_exceeded = false;
}

/*
 * One transfer into r (roots: --ca-file; else the system's hashed directory,
 * or with bundle curl's default, the bundle file). Returns 0, or -1 when it
 * could not be set up (r->status stays MTASTS_FETCH_LOCAL).
 */
static int
one_transfer(const struct mtasts_fetch_params *p, const struct deadline *dl, struct transfer *t,
	     bool bundle)
{
	char errbuf[CURL_ERROR_SIZE] = "";
	struct mtasts_fetch *r = t->r;
	struct curl_slist *resolve = resolve_list(p);
	CURLM *m = curl_multi_init();
	CURL *e = curl_easy_init();
	bool timed_out = false;
	CURLcode code;
	int rc = -1;

	reset_response(r);
	if (resolve == NULL || e == NULL || m == NULL ||
	    set_options(e, p, resolve, t, errbuf, deadline_ms_left(dl)) != 0)
		goto out;
	/* the system's roots: by subject from the hashed directory, not the whole bundle file */
	if (p->ca_file == NULL && !bundle &&
	    (curl_easy_setopt(e, CURLOPT_CAINFO, (char *)NULL) != CURLE_OK ||
	     curl_easy_setopt(e, CURLOPT_CAPATH, pkix_system_dir()) != CURLE_OK))
		goto out;
	if (curl_multi_add_handle(m, e) != CURLM_OK)
		goto out;
	code = run_multi(m, e, dl, &timed_out);
	r->curl_code = (int)code;
	snprintf(r->curl_error, sizeof(r->curl_error), "%s", errbuf);
	read_info(e, r);
	r->status = timed_out ? MTASTS_FETCH_TIMEOUT : status_of(r, code);
	curl_multi_remove_handle(m, e);
	rc = 0;
out:
	curl_easy_cleanup(e);
	curl_multi_cleanup(m);
	curl_slist_free_all(resolve);
	return rc;
}

void
mtasts_fetch_run(const struct mtasts_fetch_params *p, const struct deadline *dl,
		 struct mtasts_fetch *r)
{
	struct transfer t = {r, NULL};
	double t0 = deadline_now();
	int attempt;

	memset(r, 0, sizeof(*r));
	r->status = MTASTS_FETCH_LOCAL;
	if (p->port == 443)
		snprintf(r->url, sizeof(r->url), "https://%s/.well-known/mta-sts.txt", p->host);
	else
		snprintf(r->url, sizeof(r->url), "https://%s:%u/.well-known/mta-sts.txt", p->host,
			 p->port);
	if (p->naddrs == 0) {
		r->status = MTASTS_FETCH_NO_ADDRESS;
		goto out;
	}
	if (deadline_ms_left(dl) <= 0) {
		r->status = MTASTS_FETCH_TIMEOUT;
		goto out;
	}
	t.body = malloc(MTASTS_POLICY_MAX);
	if (t.body == NULL || curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		goto out;
	/*
	 * A root the hashed directory lacks (a system without hash links, or a
	 * root only in the bundle file): once more with curl's default bundle.
	 */
	for (attempt = 0; attempt < 2; attempt++) {
		if (one_transfer(p, dl, &t, attempt == 1) != 0 || p->ca_file != NULL ||
		    r->status != MTASTS_FETCH_CERT ||
		    !pkix_root_may_be_elsewhere(r->verify_result) || deadline_expired(dl))
			break;
	}
	curl_global_cleanup();
out:
	if (r->body_len > 0) {
		r->body = t.body;
		t.body = NULL;
	}
	free(t.body);
	r->time = deadline_now() - t0;
}

void
mtasts_fetch_clear(struct mtasts_fetch *r)
{
	if (r == NULL)
		return;
	free(r->body);
	r->body = NULL;
	r->body_len = 0;
}
