// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * unique.c - duplicate names (LUO-SESS-006, LUO-FLB-005) and tokens
 * (LUO-FILE-003).
 *
 * Pairwise comparison is quadratic, and a hostile state may hold 13107
 * sessions of 2048 files each (luo-v1, 64 KiB pages), or far more in
 * block chains (luo-v5); so the keys are sorted in borrowed workspace
 * (heapsort: no allocation, no recursion) and equal neighbours reported.
 * Small sets fall back to pairwise comparison when there is no room.  The
 * entries are read through a struct luoc_seq, so an area and a chain of
 * blocks are checked alike.
 */
#include "luoc_int.h"

#define PAIRWISE_MAX	256

struct name_key {
	const uint8_t *name;
	uint64_t phys;		/* of the entry */
	uint32_t idx, len;
};

struct token_key {
	uint64_t token;
	uint64_t idx;
	uint64_t phys;
};

/* Name fields compare as the kernel's strncmp over the field does. */
static int name_cmp(const uint8_t *a, const uint8_t *b, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
		if (!a[i])
			return 0;
	}
	return 0;
}

static int cmp_name_key(const void *x, const void *y)
{
	const struct name_key *a = x, *b = y;
	int r = name_cmp(a->name, b->name, a->len);

	if (r)
		return r;
	return a->idx < b->idx ? -1 : a->idx > b->idx;
}

static int cmp_token_key(const void *x, const void *y)
{
	const struct token_key *a = x, *b = y;

	if (a->token != b->token)
		return a->token < b->token ? -1 : 1;
	return a->idx < b->idx ? -1 : a->idx > b->idx;
}

static void report_name(struct luoc_ctx *c, enum luoc_loc_kind kind, uint32_t s,
			const char *req, uint64_t phys, const uint8_t *name, size_t len,
			uint64_t i, uint64_t j, const char *what)
{
	struct luoc_loc loc = { .kind = kind, .s = kind == LK_SESSION ? (uint32_t)i : s, .i = i };
	char shown[LUOC_NAME_SHOW + 1];

	luoc_show_name(shown, sizeof(shown), name, len);
	luoc_report(c, &loc, req, SEV_E, -LUOC_EDUP, phys, "%s \"%s\" is also used by entry %llu",
		    what, shown, (unsigned long long)j);
}

/* Room for n keys of 'size' bytes in borrowed workspace, or NULL. */
static void *keys(struct luoc_ctx *c, uint64_t n, size_t size)
{
	if (!c->ws.lo || luoc_ws_free(c) / size < n)
		return NULL;
	return c->ws.lo;
}

static void names_pairwise(struct luoc_ctx *c, enum luoc_loc_kind kind, const char *req,
			   struct luoc_seq *sq, struct luoc_field name, const char *what)
{
	struct luoc_seq inner = *sq;
	uint64_t i, j, pi, pj;

	for (i = 1; i < sq->n; i++) {
		const uint8_t *a = luoc_seq_at(c, sq, i, &pi);

		for (j = 0; a && j < i; j++) {
			const uint8_t *b = luoc_seq_at(c, &inner, j, &pj);

			if (b && !name_cmp(a + name.off, b + name.off, name.size)) {
				report_name(c, kind, 0, req, pi, a + name.off, name.size, i, j, what);
				break;
			}
		}
	}
}

void luoc_unique_names(struct luoc_ctx *c, enum luoc_loc_kind kind, const char *req,
		       struct luoc_seq *sq, struct luoc_field name, const char *what)
{
	struct name_key *k = keys(c, sq->n, sizeof(*k));	/* borrowed */
	uint64_t i, n = 0, g = 0;

	if (sq->n < 2)
		return;
	if (!k) {
		if (sq->n > PAIRWISE_MAX)
			luoc_ws_enospc(c, "a uniqueness check");
		else
			names_pairwise(c, kind, req, sq, name, what);
		return;
	}
	for (i = 0; i < sq->n; i++) {
		const uint8_t *e = luoc_seq_at(c, sq, i, &k[n].phys);

		if (!e)
			break;
		k[n].name = e + name.off;
		k[n].idx = (uint32_t)i;
		k[n].len = name.size;
		n++;
	}
	luoc_heapsort(k, n, sizeof(*k), cmp_name_key);
	for (i = 1; i < n; i++) {
		if (name_cmp(k[g].name, k[i].name, name.size)) {
			g = i;
			continue;
		}
		report_name(c, kind, 0, req, k[i].phys, k[i].name, name.size, k[i].idx,
			    k[g].idx, what);
	}
}

static void report_token(struct luoc_ctx *c, uint32_t s, uint64_t phys, uint64_t token,
			 uint64_t i, uint64_t j)
{
	const struct luoc_loc loc = { .kind = LK_FILE, .s = s, .f = (uint32_t)i };

	luoc_report(c, &loc, R_FILE_003, SEV_E, -LUOC_EDUP, phys,
		    "token 0x%llx is also used by file %llu", (unsigned long long)token,
		    (unsigned long long)j);
}

static void tokens_pairwise(struct luoc_ctx *c, uint32_t s, struct luoc_seq *sq)
{
	struct luoc_field tok = c->p->file_token;
	struct luoc_seq inner = *sq;
	uint64_t i, j, pi, pj;

	for (i = 1; i < sq->n; i++) {
		const uint8_t *a = luoc_seq_at(c, sq, i, &pi);
		uint64_t t = a ? luoc_rd(c, a, tok) : 0;

		for (j = 0; a && j < i; j++) {
			const uint8_t *b = luoc_seq_at(c, &inner, j, &pj);

			if (b && luoc_rd(c, b, tok) == t) {
				report_token(c, s, pi, t, i, j);
				break;
			}
		}
	}
}

void luoc_unique_tokens(struct luoc_ctx *c, uint32_t s, struct luoc_seq *sq)
{
	struct token_key *k = keys(c, sq->n, sizeof(*k));	/* borrowed */
	uint64_t i, n = 0, g = 0;

	if (sq->n < 2)
		return;
	if (!k) {
		if (sq->n > PAIRWISE_MAX)
			luoc_ws_enospc(c, "a uniqueness check");
		else
			tokens_pairwise(c, s, sq);
		return;
	}
	for (i = 0; i < sq->n; i++) {
		const uint8_t *e = luoc_seq_at(c, sq, i, &k[n].phys);

		if (!e)
			break;
		k[n].token = luoc_rd(c, e, c->p->file_token);
		k[n].idx = i;
		n++;
	}
	luoc_heapsort(k, n, sizeof(*k), cmp_token_key);
	for (i = 1; i < n; i++) {
		if (k[i].token != k[g].token) {
			g = i;
			continue;
		}
		report_token(c, s, k[i].phys, k[i].token, k[i].idx, k[g].idx);
	}
}
