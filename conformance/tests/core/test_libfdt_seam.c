// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * test_libfdt_seam.c - the structure walk (luoc_fdt_struct_ok) against a
 * libfdt other than the one linked.  The core is meant to be built with
 * whatever libfdt its host carries (a kernel's, a bootloader's), and
 * Debian's fdt_next_tag() turns every defect into FDT_END, so two of the
 * walk's refusals are only reachable through another one.  The tests link
 * with -Wl,--wrap=fdt_next_tag: armed, the wrapper answers for the first
 * property tag as such a libfdt could, and the walk must refuse with its
 * reason; unarmed it is the real function.
 */
#include <stdio.h>
#include <string.h>
#include <libfdt.h>

#include "tcore.h"
#include "luoc_int.h"

int __real_fdt_next_tag(const void *fdt, int off, int *next);
int __wrap_fdt_next_tag(const void *fdt, int off, int *next);

static struct {
	bool armed;
	uint32_t tag;		/* answered for the first FDT_PROP */
	int next;		/* and this next offset, if negative */
} seam;

int __wrap_fdt_next_tag(const void *fdt, int off, int *next)
{
	uint32_t tag = (uint32_t)__real_fdt_next_tag(fdt, off, next);

	if (!seam.armed || tag != FDT_PROP)
		return (int)tag;
	seam.armed = false;
	if (seam.next < 0)
		*next = seam.next;
	return (int)seam.tag;
}

/* A root node with one property. */
static void small_fdt(void *buf, int size)
{
	assert_int_equal(fdt_create(buf, size), 0);
	assert_int_equal(fdt_finish_reservemap(buf), 0);
	assert_int_equal(fdt_begin_node(buf, ""), 0);
	assert_int_equal(fdt_property_u32(buf, "a", 1), 0);
	assert_int_equal(fdt_end_node(buf), 0);
	assert_int_equal(fdt_finish(buf), 0);
}

static void walk_expect(uint32_t tag, int next, const char *reason)
{
	uint64_t buf[64];
	char why[128] = "";

	small_fdt(buf, sizeof(buf));
	assert_int_equal(luoc_fdt_struct_ok(buf, why, sizeof(why)), 0);	/* the real one: sound */
	seam.armed = true;
	seam.tag = tag;
	seam.next = next;
	assert_int_equal(luoc_fdt_struct_ok(buf, why, sizeof(why)), -1);
	assert_false(seam.armed);
	if (!strstr(why, reason))
		fail_msg("reason \"%s\", expected \"%s\"", why, reason);
}

/* A libfdt that hands an unknown tag back as it is. */
static void seam_unknown_tag(void **state)
{
	(void)state;
	walk_expect(0x77, 0, "unknown tag 0x77 at structure offset");
}

/* One that reports a failed step with the tag it stopped at. */
static void seam_failed_step(void **state)
{
	(void)state;
	walk_expect(FDT_PROP, -FDT_ERR_BADSTRUCTURE, "bad tag at structure offset");
}

const struct CMUnitTest tc_seam_tests[] = {
	cmocka_unit_test(seam_unknown_tag),
	cmocka_unit_test(seam_failed_step),
};
const size_t tc_seam_n = sizeof(tc_seam_tests) / sizeof(tc_seam_tests[0]);
