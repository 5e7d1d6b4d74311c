/*
 * verdict_test.c -- helpers of the verdict tests (see verdict_test.h).
 */
#include "config.h"

#include <string.h>

#include "verdict_test.h"

static bool seen[FC_COUNT];

void
vt_seen(enum finding_code code)
{
	if ((unsigned int)code < FC_COUNT)
		seen[code] = true;
}

bool
vt_was_seen(enum finding_code code)
{
	return (unsigned int)code < FC_COUNT && seen[code];
}

static const struct finding *
find_below(const struct finding *f, enum finding_code code)
{
	const struct finding *c, *hit;

	for (c = f->first_child; c != NULL; c = c->next) {
		if (c->code == code)
			return c;
		hit = find_below(c, code);
		if (hit != NULL)
			return hit;
	}
	return NULL;
}

const struct finding *
vt_find(const struct output *out, enum finding_code code)
{
	return find_below(output_root_const(out), code);
}

/* Compare one subject field when the test names it. */
static void
field_eq(const char *what, const char *want, const char *got, enum finding_code code)
{
	if (want == NULL)
		return;
	ck_assert_msg(got != NULL && strcmp(want, got) == 0, "%s: subject %s is '%s', want '%s'",
		      finding_code_name(code), what, got != NULL ? got : "(none)", want);
}

const struct finding *
vt_expect(const struct output *out, enum finding_code code, state_t state,
	  const struct finding_subject *want)
{
	const struct finding *f = vt_find(out, code);
	char *text;

	if (f == NULL) {
		text = output_render_text(out);
		ck_abort_msg("no finding %s in:\n%s", finding_code_name(code),
			     text != NULL ? text : "(out of memory)");
	}
	ck_assert_msg(finding_state(f) == state, "%s: state %s, want %s (%s)",
		      finding_code_name(code), state_name(finding_state(f)), state_name(state),
		      f->text);
	if (want != NULL) {
		field_eq("domain", want->domain, f->subject.domain, code);
		field_eq("host", want->host, f->subject.host, code);
		field_eq("address", want->address, f->subject.address, code);
		field_eq("cert_type", want->cert_type, f->subject.cert_type, code);
		field_eq("tlsa", want->tlsa, f->subject.tlsa, code);
		field_eq("nameserver", want->nameserver, f->subject.nameserver, code);
		field_eq("zone", want->zone, f->subject.zone, code);
		field_eq("resolver", want->resolver, f->subject.resolver, code);
		field_eq("name", want->name, f->subject.name, code);
		field_eq("file", want->file, f->subject.file, code);
		if (want->port != 0)
			ck_assert_msg(f->subject.port == want->port, "%s: port %u, want %u",
				      finding_code_name(code), f->subject.port, want->port);
	}
	vt_seen(code);
	return f;
}
