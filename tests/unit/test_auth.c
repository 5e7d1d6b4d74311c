/*
 * test_auth.c -- comparing authoritative servers' RRsets (issue 12): order does
 * not matter, owner names compare without case, TTL differences are not data
 * differences, what one server lacks and has in addition is named; planning
 * the questions of zones.
 */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"

/* An RR list from presentation lines (NULL-terminated). */
static ldns_rr_list *
rrs(const char *const *lines)
{
	ldns_rr_list *l = ldns_rr_list_new();
	size_t i;

	ck_assert_ptr_nonnull(l);
	for (i = 0; lines[i] != NULL; i++) {
		ldns_rr *rr = NULL;

		ck_assert_msg(ldns_rr_new_frm_str(&rr, lines[i], 0, NULL, NULL) == LDNS_STATUS_OK,
			      "%s", lines[i]);
		ldns_rr_list_push_rr(l, rr);
	}
	return l;
}

#define T1                                                                                         \
	"_25._tcp.mx.example. 3600 IN TLSA 3 1 1 "                                                 \
	"0101010101010101010101010101010101010101010101010101010101010101"
#define T2                                                                                         \
	"_25._tcp.mx.example. 3600 IN TLSA 3 1 1 "                                                 \
	"0202020202020202020202020202020202020202020202020202020202020202"
#define T3                                                                                         \
	"_25._tcp.mx.example. 3600 IN TLSA 2 0 1 "                                                 \
	"0303030303030303030303030303030303030303030303030303030303030303"

START_TEST(the_same_records_in_another_order_do_not_differ)
{
	const char *a[] = {T1, T2, T3, NULL}, *b[] = {T3, T1, T2, NULL};
	ldns_rr_list *ra = rrs(a), *rb = rrs(b);
	struct auth_diff d;

	ck_assert(!auth_rrset_diff(ra, rb, &d));
	ck_assert_uint_eq(d.lacks, 0);
	ck_assert_uint_eq(d.extra, 0);
	ck_assert(!d.ttl_differs);
	ldns_rr_list_deep_free(ra);
	ldns_rr_list_deep_free(rb);
}
END_TEST

START_TEST(a_missing_record_is_named_as_lacking)
{
	const char *a[] = {T1, T2, NULL}, *b[] = {T1, NULL};
	ldns_rr_list *ra = rrs(a), *rb = rrs(b);
	struct auth_diff d;

	ck_assert(auth_rrset_diff(ra, rb, &d));
	ck_assert_uint_eq(d.lacks, 1);
	ck_assert_uint_eq(d.extra, 0);
	ck_assert_str_eq(d.lacks_text,
			 "3 1 1 0202020202020202020202020202020202020202020202020202020202020202");
	ldns_rr_list_deep_free(ra);
	ldns_rr_list_deep_free(rb);
}
END_TEST

START_TEST(records_only_the_other_has_are_extra)
{
	const char *a[] = {T1, NULL}, *b[] = {T1, T2, T3, NULL};
	ldns_rr_list *ra = rrs(a), *rb = rrs(b);
	struct auth_diff d;

	ck_assert(auth_rrset_diff(ra, rb, &d));
	ck_assert_uint_eq(d.lacks, 0);
	ck_assert_uint_eq(d.extra, 2);
	ck_assert_str_eq(d.extra_text,
			 "3 1 1 0202020202020202020202020202020202020202020202020202020202020202; "
			 "2 0 1 0303030303030303030303030303030303030303030303030303030303030303");
	ldns_rr_list_deep_free(ra);
	ldns_rr_list_deep_free(rb);
}
END_TEST

START_TEST(a_ttl_difference_is_not_a_data_difference)
{
	const char *a[] = {T1, NULL},
		   *b[] = {"_25._tcp.mx.example. 300 IN TLSA 3 1 1 "
			   "0101010101010101010101010101010101010101010101010101010101010101",
			   NULL};
	ldns_rr_list *ra = rrs(a), *rb = rrs(b);
	struct auth_diff d;

	ck_assert(!auth_rrset_diff(ra, rb, &d));
	ck_assert(d.ttl_differs);
	ck_assert_uint_eq(d.ttl_ref, 3600);
	ck_assert_uint_eq(d.ttl_other, 300);
	ldns_rr_list_deep_free(ra);
	ldns_rr_list_deep_free(rb);
}
END_TEST

START_TEST(case_of_names_and_hex_does_not_matter)
{
	const char *a[] = {"Example. 3600 IN MX 10 MX.Example.", T1, NULL},
		   *b[] = {"example. 3600 IN MX 10 mx.example.",
			   "_25._TCP.MX.EXAMPLE. 3600 IN TLSA 3 1 1 "
			   "0101010101010101010101010101010101010101010101010101010101010101",
			   NULL};
	ldns_rr_list *ra = rrs(a), *rb = rrs(b);
	struct auth_diff d;

	ck_assert(!auth_rrset_diff(ra, rb, &d));
	ldns_rr_list_deep_free(ra);
	ldns_rr_list_deep_free(rb);
}
END_TEST

START_TEST(no_records_against_records_lacks_them_all)
{
	const char *a[] = {T1, T2, NULL};
	ldns_rr_list *ra = rrs(a);
	struct auth_diff d;

	ck_assert(auth_rrset_diff(ra, NULL, &d));
	ck_assert_uint_eq(d.lacks, 2);
	ck_assert(auth_rrset_diff(NULL, ra, &d));
	ck_assert_uint_eq(d.extra, 2);
	ck_assert(!auth_rrset_diff(NULL, NULL, &d));
	ldns_rr_list_deep_free(ra);
}
END_TEST

START_TEST(rdata_text_is_lower_case_presentation)
{
	const char *a[] = {
	    "x. 1 IN TLSA 3 1 1 ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789",
	    NULL};
	ldns_rr_list *ra = rrs(a);
	char *t = auth_rdata_text(ldns_rr_list_rr(ra, 0));

	ck_assert_str_eq(t,
			 "3 1 1 abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789");
	free(t);
	ldns_rr_list_deep_free(ra);
}
END_TEST

START_TEST(planning_asks_the_soa_first_and_each_question_once)
{
	struct auth_result a;

	memset(&a, 0, sizeof(a));
	ck_assert_int_eq(auth_plan(&a, "example.", "example.", LDNS_RR_TYPE_MX), 0);
	ck_assert_int_eq(auth_plan(&a, "EXAMPLE.", "_25._tcp.mx.example.", LDNS_RR_TYPE_TLSA), 0);
	ck_assert_int_eq(auth_plan(&a, "example.", "example.", LDNS_RR_TYPE_MX), 0);
	ck_assert_int_eq(auth_plan(&a, "other.", "_25._tcp.mx.other.", LDNS_RR_TYPE_TLSA), 0);
	ck_assert_uint_eq(a.nzones, 2);
	ck_assert_uint_eq(a.zones[0].nq, 3);
	ck_assert_int_eq(a.zones[0].q[0].type, LDNS_RR_TYPE_SOA);
	ck_assert_str_eq(a.zones[0].q[0].name, "example.");
	ck_assert_int_eq(a.zones[0].q[1].type, LDNS_RR_TYPE_MX);
	ck_assert_int_eq(a.zones[0].q[2].type, LDNS_RR_TYPE_TLSA);
	ck_assert_uint_eq(a.zones[1].nq, 2);
	ck_assert_int_eq(auth_plan(&a, "", "x.", LDNS_RR_TYPE_TLSA), -1);
	auth_result_free(&a);
}
END_TEST

START_TEST(planning_counts_zones_beyond_the_limit)
{
	struct auth_result a;
	char zone[32];
	int i;

	memset(&a, 0, sizeof(a));
	for (i = 0; i < AUTH_MAX_ZONES + 3; i++) {
		snprintf(zone, sizeof(zone), "z%d.example.", i);
		auth_plan(&a, zone, zone, LDNS_RR_TYPE_MX);
	}
	ck_assert_uint_eq(a.nzones, AUTH_MAX_ZONES);
	ck_assert_uint_eq(a.zones_left_out, 3);
	auth_result_free(&a);
}
END_TEST

static Suite *
auth_suite(void)
{
	Suite *s = suite_create("auth");
	TCase *tc = tcase_create("auth");

	tcase_add_test(tc, the_same_records_in_another_order_do_not_differ);
	tcase_add_test(tc, a_missing_record_is_named_as_lacking);
	tcase_add_test(tc, records_only_the_other_has_are_extra);
	tcase_add_test(tc, a_ttl_difference_is_not_a_data_difference);
	tcase_add_test(tc, case_of_names_and_hex_does_not_matter);
	tcase_add_test(tc, no_records_against_records_lacks_them_all);
	tcase_add_test(tc, rdata_text_is_lower_case_presentation);
	tcase_add_test(tc, planning_asks_the_soa_first_and_each_question_once);
	tcase_add_test(tc, planning_counts_zones_beyond_the_limit);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(auth_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
