/*
 * hostergen.c -- the DNS of a hosting provider for tests/bench/hoster.sh,
 * made and signed at bench time: N customer domains, each its own zone
 * (delegated, with a DS, from the parent "example."), whose MX records point
 * at 2 of the 3 shared MX hosts mx1..mx3.hoster.example., which have an
 * address each and a TLSA record at _PORT._tcp. Zones are signed with NSEC
 * (ECDSAP256SHA256, KSK + ZSK, inception an hour ago, expiring in 30 days).
 *
 * One KSK and one ZSK sign every zone, each zone with its own DNSKEY owner
 * and DS: a validating resolver does the same work per zone as with keys of
 * its own (it fetches and checks the DS, the DNSKEY RRset and the data of
 * each zone), and the generator saves 2 N key generations.
 *
 * Usage: hostergen DIR N PORT "U S M HEX" NS_ADDR MX1_ADDR MX2_ADDR MX3_ADDR
 * Writes, in DIR: zones/<zone>signed for every zone, nsd-zones.conf (zone:
 * entries for nsd), example.anchor (the DS of the parent's KSK, unbound's
 * trust-anchor-file format) and domains (the customer domains, one a line).
 * Exits 0, or 1 with a message on stderr.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <ldns/ldns.h>

#define PARENT  "example."
#define HOSTER  "hoster.example."
#define NS_NAME "ns.example."
#define TTL     3600

/* What every zone is made with. */
struct gen {
	const char *dir;
	ldns_key *ksk, *zsk;
	ldns_key_list *keys;
	uint32_t serial;
};

static void
die(const char *what)
{
	fprintf(stderr, "hostergen: %s\n", what);
	exit(1);
}

/* Append the record in presentation format text to list. */
static void add(ldns_rr_list *list, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
add(ldns_rr_list *list, const char *fmt, ...)
{
	char text[512];
	ldns_rr *rr = NULL;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (ldns_rr_new_frm_str(&rr, text, TTL, NULL, NULL) != LDNS_STATUS_OK)
		die(text);
	ldns_rr_list_push_rr(list, rr);
}

/* A new key of flags, valid from an hour ago for 30 days. */
static ldns_key *
new_key(uint16_t flags)
{
	ldns_key *k = ldns_key_new_frm_algorithm(LDNS_SIGN_ECDSAP256SHA256, 256);
	ldns_rr *rr;
	time_t now = time(NULL);

	if (k == NULL)
		die("cannot make a key");
	ldns_key_set_flags(k, flags);
	ldns_key_set_inception(k, (uint32_t)(now - 3600));
	ldns_key_set_expiration(k, (uint32_t)(now + 30 * 86400));
	ldns_key_set_pubkey_owner(k, ldns_dname_new_frm_str(PARENT));
	rr = ldns_key2rr(k);
	if (rr == NULL)
		die("cannot make a DNSKEY record");
	ldns_key_set_keytag(k, ldns_calc_keytag(rr));
	ldns_rr_free(rr);
	return k;
}

/* Make both keys the keys of zone; returns the DNSKEY record of the KSK (caller frees). */
static ldns_rr *
keys_for(struct gen *g, const char *zone)
{
	ldns_key *k[2] = {g->ksk, g->zsk};
	size_t i;

	for (i = 0; i < 2; i++) {
		ldns_rdf *old = ldns_key_pubkey_owner(k[i]);

		ldns_key_set_pubkey_owner(k[i], ldns_dname_new_frm_str(zone));
		ldns_rdf_deep_free(old);
	}
	return ldns_key2rr(g->ksk);
}

/* Sign the records of zone (the SOA and NS are added) into DIR/zones/<zone>signed. */
static void
sign(struct gen *g, const char *zone, ldns_rr_list *rrs)
{
	ldns_dnssec_zone *dz = ldns_dnssec_zone_new();
	ldns_rr_list *added = ldns_rr_list_new();
	char path[1024];
	FILE *fp;
	size_t i;

	add(rrs, "%s SOA " NS_NAME " hostmaster." PARENT " %u 3600 900 604800 300", zone,
	    g->serial);
	add(rrs, "%s NS " NS_NAME, zone);
	ldns_rr_list_push_rr(rrs, keys_for(g, zone));
	ldns_rr_list_push_rr(rrs, ldns_key2rr(g->zsk));
	for (i = 0; i < ldns_rr_list_rr_count(rrs); i++)
		if (ldns_dnssec_zone_add_rr(dz, ldns_rr_list_rr(rrs, i)) != LDNS_STATUS_OK)
			die("cannot add a record to a zone");
	if (ldns_dnssec_zone_sign(dz, added, g->keys, ldns_dnssec_default_replace_signatures,
				  NULL) != LDNS_STATUS_OK)
		die("cannot sign a zone");
	snprintf(path, sizeof(path), "%s/zones/%ssigned", g->dir, zone);
	fp = fopen(path, "w");
	if (fp == NULL)
		die(strerror(errno));
	ldns_dnssec_zone_print(fp, dz);
	if (fclose(fp) != 0)
		die(strerror(errno));
	ldns_dnssec_zone_free(dz);
	ldns_rr_list_deep_free(added);
	ldns_rr_list_deep_free(rrs);
}

/* Delegate zone from the parent's records: NS and the DS of its KSK. */
static void
delegate(struct gen *g, ldns_rr_list *parent, const char *zone)
{
	ldns_rr *dnskey = keys_for(g, zone);
	ldns_rr *ds = ldns_key_rr2ds(dnskey, LDNS_SHA256);

	if (ds == NULL)
		die("cannot make a DS record");
	add(parent, "%s NS " NS_NAME, zone);
	ldns_rr_list_push_rr(parent, ds);
	ldns_rr_free(dnskey);
}

int
main(int argc, char **argv)
{
	struct gen g = {0};
	ldns_rr_list *parent, *rrs;
	ldns_rr *dnskey, *ds;
	char zone[64], path[1024];
	FILE *conf, *domains, *anchor;
	long n, i;
	int k;

	if (argc != 9 || (n = strtol(argv[2], NULL, 10)) < 1 || n > 99999)
		die("usage: hostergen DIR N PORT \"U S M HEX\" NS_ADDR MX1_ADDR MX2_ADDR MX3_ADDR");
	g.dir = argv[1];
	g.serial = (uint32_t)time(NULL);
	g.ksk = new_key(LDNS_KEY_ZONE_KEY | LDNS_KEY_SEP_KEY);
	g.zsk = new_key(LDNS_KEY_ZONE_KEY);
	g.keys = ldns_key_list_new();
	ldns_key_list_push_key(g.keys, g.ksk);
	ldns_key_list_push_key(g.keys, g.zsk);

	snprintf(path, sizeof(path), "%s/nsd-zones.conf", g.dir);
	conf = fopen(path, "w");
	snprintf(path, sizeof(path), "%s/domains", g.dir);
	domains = fopen(path, "w");
	if (conf == NULL || domains == NULL)
		die(strerror(errno));
	parent = ldns_rr_list_new();

	/* the hoster's zone: three MX hosts, an address and a TLSA record each */
	rrs = ldns_rr_list_new();
	for (k = 1; k <= 3; k++) {
		add(rrs, "mx%d." HOSTER " A %s", k, argv[5 + k]);
		add(rrs, "_%s._tcp.mx%d." HOSTER " TLSA %s", argv[3], k, argv[4]);
	}
	sign(&g, HOSTER, rrs);
	delegate(&g, parent, HOSTER);
	fprintf(conf, "zone:\n    name: \"%s\"\n    zonefile: \"%ssigned\"\n", HOSTER, HOSTER);

	/* the customers: MX 10 and MX 20 on two of the three hosts, in turn */
	for (i = 1; i <= n; i++) {
		snprintf(zone, sizeof(zone), "c%05ld." PARENT, i);
		rrs = ldns_rr_list_new();
		add(rrs, "%s MX 10 mx%ld." HOSTER, zone, i % 3 + 1);
		add(rrs, "%s MX 20 mx%ld." HOSTER, zone, (i + 1) % 3 + 1);
		sign(&g, zone, rrs);
		delegate(&g, parent, zone);
		fprintf(conf, "zone:\n    name: \"%s\"\n    zonefile: \"%ssigned\"\n", zone, zone);
		fprintf(domains, "%s\n", zone);
	}

	/* the parent: the name server's address, every delegation; its DS is the anchor */
	add(parent, NS_NAME " A %s", argv[5]);
	sign(&g, PARENT, parent);
	fprintf(conf, "zone:\n    name: \"%s\"\n    zonefile: \"%ssigned\"\n", PARENT, PARENT);
	dnskey = keys_for(&g, PARENT);
	ds = ldns_key_rr2ds(dnskey, LDNS_SHA256);
	snprintf(path, sizeof(path), "%s/example.anchor", g.dir);
	anchor = fopen(path, "w");
	if (ds == NULL || anchor == NULL)
		die("cannot write the trust anchor");
	ldns_rr_print(anchor, ds);
	if (fclose(anchor) != 0 || fclose(conf) != 0 || fclose(domains) != 0)
		die(strerror(errno));
	ldns_rr_free(ds);
	ldns_rr_free(dnskey);
	ldns_key_list_free(g.keys); /* and the keys in it */
	return 0;
}
