// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * unique.c - duplicate names (LUO-SESS-006, LUO-FLB-005) and tokens
 * (LUO-FILE-003).
 *
 * Pairwise comparison is quadratic, and a hostile state with 64 KiB pages
 * may hold 13107 sessions of 2048 files each; so the keys are sorted in
 * borrowed workspace (heapsort: no allocation, no recursion) and equal
 * neighbours reported.  Small sets fall back to pairwise comparison when
 * there is no room.
 */
#include "luoc_int.h"

#define PAIRWISE_MAX	256

struct name_key {
	const uint8_t *name;
	uint32_t idx, len;
};

struct token_key {
	uint64_t token;
	uint64_t idx;
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

void luoc_unique_names(struct luoc_ctx *c, enum luoc_loc_kind kind, const char *req,
		       const uint8_t *first, uint64_t phys, size_t stride,
		       struct luoc_field name, uint64_t n, const char *what)
{
	struct name_key *k = (struct name_key *)c->ws.lo;	/* borrowed */
	uint64_t i, j, g = 0;

	if (n < 2)
		return;
	if (k && luoc_ws_free(c) / sizeof(*k) >= n) {
		for (i = 0; i < n; i++) {
			k[i].name = first + i * stride + name.off;
			k[i].idx = (uint32_t)i;
			k[i].len = name.size;
		}
		luoc_heapsort(k, n, sizeof(*k), cmp_name_key);
		for (i = 1; i < n; i++) {
			if (name_cmp(k[g].name, k[i].name, name.size)) {
				g = i;
				continue;
			}
			report_name(c, kind, 0, req, phys + k[i].idx * stride, k[i].name,
				    name.size, k[i].idx, k[g].idx, what);
		}
		return;
	}
	if (n > PAIRWISE_MAX) {
		luoc_ws_enospc(c, "a uniqueness check");
		return;
	}
	for (i = 1; i < n; i++)
		for (j = 0; j < i; j++)
			if (!name_cmp(first + i * stride + name.off, first + j * stride + name.off,
				      name.size)) {
				report_name(c, kind, 0, req, phys + i * stride,
					    first + i * stride + name.off, name.size, i, j, what);
				break;
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

void luoc_unique_tokens(struct luoc_ctx *c, uint32_t s, const uint8_t *arr, uint64_t phys,
			uint64_t n)
{
	const struct luoc_profile *p = c->p;
	size_t stride = p->file_area.entry_size;
	struct token_key *k = (struct token_key *)c->ws.lo;	/* borrowed */
	uint64_t i, j, g = 0;

	if (n < 2)
		return;
	if (k && luoc_ws_free(c) / sizeof(*k) >= n) {
		for (i = 0; i < n; i++) {
			k[i].token = luoc_rd(c, arr + i * stride, p->file_token);
			k[i].idx = i;
		}
		luoc_heapsort(k, n, sizeof(*k), cmp_token_key);
		for (i = 1; i < n; i++) {
			if (k[i].token != k[g].token) {
				g = i;
				continue;
			}
			report_token(c, s, phys + k[i].idx * stride, k[i].token, k[i].idx, k[g].idx);
		}
		return;
	}
	if (n > PAIRWISE_MAX) {
		luoc_ws_enospc(c, "a uniqueness check");
		return;
	}
	for (i = 1; i < n; i++) {
		uint64_t t = luoc_rd(c, arr + i * stride, p->file_token);

		for (j = 0; j < i; j++)
			if (luoc_rd(c, arr + j * stride, p->file_token) == t) {
				report_token(c, s, phys + i * stride, t, i, j);
				break;
			}
	}
}
