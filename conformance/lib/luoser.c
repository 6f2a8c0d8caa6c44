// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * luoser.c - the raw LUO root of luo-v5: struct luo_ser (LUO-SER-001..003),
 * its place in memory, and the two addresses it hands on.
 *
 * The kernel reads the first sizeof(struct luo_ser) bytes of the blob the
 * LUO sub-node locates once blob-size says they are there, compares the
 * compatible field with strncmp over its 8 bytes, and follows sessions_pa
 * and flbs_pa (0 meaning none).  A larger blob-size is accepted on purpose
 * (room for the struct to grow), so the checker reports it with the
 * outcome accept; so is a compatible that strncmp accepts although bytes
 * after its NUL are not zero.
 */
#include "luoc_int.h"

/* LUO-SER-001: blob-size is sizeof(struct luo_ser). */
static void blob_size(struct luoc_ctx *c, const struct luoc_kho_out *kho)
{
	const struct luoc_loc loc = { .kind = LK_KHO_LUO };
	uint64_t want = c->p->ser_size;
	enum luoc_stage old;

	if (!kho->have_blob_size || kho->blob_size == want)
		return;
	old = luoc_stage_enter(c, ST_ENTRY);
	if (kho->blob_size > want)
		c->outcome_override = LUOC_OUT_ACCEPT;
	luoc_report(c, &loc, R_SER_001, SEV_E, -LUOC_ESIZE, kho->luo_phys,
		    "%s %llu, expected sizeof(struct luo_ser) = %llu%s", c->p->kho_sub_size_prop,
		    (unsigned long long)kho->blob_size, (unsigned long long)want,
		    kho->blob_size > want ? " (a larger blob is accepted)" : "");
	c->outcome_override = -1;
	c->stage = old;
}

/* LUO-SER-002: "luo-v5" NUL-padded to the field; false when the kernel refuses it. */
static bool compat_ok(struct luoc_ctx *c, const uint8_t *ser, uint64_t phys)
{
	const struct luoc_loc loc = { .kind = LK_LUO_ROOT };
	const struct luoc_field f = c->p->ser_compat;
	const char *want = c->p->luo_compat;
	size_t wl = strlen(want);
	const uint8_t *v = ser + f.off;
	char shown[LUOC_NAME_SHOW + 1];
	bool kern;

	/* strncmp(field, want, size): equal up to want's NUL inside the field */
	kern = wl < f.size && !memcmp(v, want, wl) && !v[wl];
	if (kern && luoc_all_zero(v + wl, f.size - wl))
		return true;
	luoc_show_name(shown, sizeof(shown), v, f.size);
	if (kern)
		c->outcome_override = LUOC_OUT_ACCEPT;
	luoc_report(c, &loc, R_SER_002, SEV_E, -LUOC_ECOMPAT, phys + f.off,
		    "compatible is \"%s\"%s, expected \"%s\" NUL-padded to %u bytes", shown,
		    kern ? " with non-zero bytes after its NUL (strncmp accepts it)" : "",
		    want, f.size);
	c->outcome_override = -1;
	return kern;
}

/* LUO-SER-003: liveupdate_num >= 1 (LUO-FDT-004 when it only fits swapped). */
static void number(struct luoc_ctx *c, const uint8_t *ser)
{
	const struct luoc_loc loc = { .kind = LK_LUO_ROOT };
	uint64_t n = luoc_rd(c, ser, c->p->ser_num), sw = __builtin_bswap64(n);

	if (n >> 32 && !(sw >> 32))	/* n >> 32: sw is not 0 either */
		luoc_report(c, &loc, R_FDT_004, SEV_E, -LUOC_EBYTEORDER, LUOC_NO_PHYS,
			    "liveupdate_num is 0x%llx, which is %llu byte-swapped: written in the wrong byte order",
			    (unsigned long long)n, (unsigned long long)sw);
	else if (!n)
		luoc_report(c, &loc, R_SER_003, SEV_E, -LUOC_ERANGE, LUOC_NO_PHYS,
			    "liveupdate_num is 0, expected >= 1");
}

int luoc_luo_ser_check(struct luoc_ctx *c, const struct luoc_kho_out *kho,
		       struct luoc_ser_out *out)
{
	const struct luoc_loc loc = { .kind = LK_LUO_ROOT };
	uint64_t phys = kho->luo_phys;
	const uint8_t *ser;

	__builtin_memset(out, 0, sizeof(*out));
	blob_size(c, kho);
	if (kho->have_blob_size && kho->blob_size < c->p->ser_size)
		return -LUOC_ESIZE;	/* the kernel reads nothing of it */
	if (!luoc_aligned(phys, c->ps))
		luoc_report(c, &loc, R_MEM_003, SEV_E, -LUOC_EALIGN, phys,
			    "struct luo_ser at 0x%llx is not page aligned", (unsigned long long)phys);
	ser = luoc_need(c, &loc, R_KHO_004, phys, c->p->ser_size, "struct luo_ser");
	/* allocated as one preserved page: the rest of the page is its own */
	luoc_rset_add(c, &c->st, &loc, phys, c->ps, false);
	luoc_kmap_require(c, &loc, phys, c->p->ser_size, "struct luo_ser");
	if (!ser)
		return -LUOC_EABSENT;
	if (!compat_ok(c, ser, phys)) {
		luoc_report(c, &loc, R_SER_002, SEV_N, -LUOC_ECOMPAT, phys,
			    "sessions and FLBs are not decoded: the layout is not %s's",
			    c->p->luo_compat);
		return -LUOC_ECOMPAT;
	}
	number(c, ser);
	out->sessions = luoc_rd(c, ser, c->p->ser_sessions);
	out->flbs = luoc_rd(c, ser, c->p->ser_flbs);
	return 0;
}
