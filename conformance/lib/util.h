/* SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause) */
/*
 * util.h - loads in the writing CPU's byte order, and small arithmetic.
 *
 * LUO and KHO write u64 FDT properties and struct fields in the native
 * order of the outgoing CPU, which may differ from ours; and FDT property
 * values are only 4-byte aligned.  Every multi-byte read of the state goes
 * through luoc_ld(): a byte copy (never an aligned dereference) and a swap
 * when the writer's order differs from the host's.  __builtin_memcpy keeps
 * the copy inline under -ffreestanding.  These are inline because the
 * folio loop runs them millions of times.
 *
 * Included by luoc_int.h after struct luoc_ctx is complete.
 */
#ifndef LUOC_UTIL_H
#define LUOC_UTIL_H

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define LUOC_HOST_BE true
#else
#define LUOC_HOST_BE false
#endif

static inline uint64_t luoc_ld(const struct luoc_ctx *c, const void *p, unsigned int size)
{
	bool swap = c->be != LUOC_HOST_BE;

	switch (size) {
	case 1:
		return *(const uint8_t *)p;
	case 2: {
		uint16_t v;

		__builtin_memcpy(&v, p, 2);
		return swap ? __builtin_bswap16(v) : v;
	}
	case 4: {
		uint32_t v;

		__builtin_memcpy(&v, p, 4);
		return swap ? __builtin_bswap32(v) : v;
	}
	case 8: {
		uint64_t v;

		__builtin_memcpy(&v, p, 8);
		return swap ? __builtin_bswap64(v) : v;
	}
	}
	return 0;
}

/* A field of a struct described by the profile table (size 0: absent). */
static inline uint64_t luoc_rd(const struct luoc_ctx *c, const void *base, struct luoc_field f)
{
	if (!f.size)
		return 0;
	return luoc_ld(c, (const uint8_t *)base + f.off, f.size);
}

static inline uint64_t luoc_bits(uint64_t v, struct luoc_bits b)
{
	if (b.width >= 64)
		return v >> b.lsb;
	return (v >> b.lsb) & (((uint64_t)1 << b.width) - 1);
}

/* true when a + b wraps: hostile addresses and lengths are checked first. */
static inline bool luoc_add_ovf(uint64_t a, uint64_t b, uint64_t *sum)
{
	return __builtin_add_overflow(a, b, sum);
}

static inline bool luoc_aligned(uint64_t v, uint64_t a)
{
	return (v & (a - 1)) == 0;
}

/*
 * Of the bits from, from + step, ..., last (step a power of two up to 64),
 * those in word wi of a bitmap: the runs of folios every step pages test
 * and claim a word at a time (kmap.c, folio_claim.c).
 */
static inline uint64_t luoc_step_mask(uint64_t from, uint64_t last, uint64_t step, uint64_t wi)
{
	uint64_t m = (step >= 64 ? 1 : ~(uint64_t)0 / (((uint64_t)1 << step) - 1)) << (from % step);

	if (wi == from / 64)
		m &= ~(uint64_t)0 << (from % 64);
	if (wi == last / 64)
		m &= ~(uint64_t)0 >> (63 - last % 64);
	return m;
}

#endif /* LUOC_UTIL_H */
