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

/* What is unique: a name field (sessions, FLBs) or the file token. */
struct uniq {
	const char *req, *what;
	enum luoc_loc_kind kind;
	uint32_t s;			/* session of the files */
	struct luoc_field field;	/* the name, or the token */
	bool token;
};

/* One entry's key; sorted by value, then index (so the first stays first). */
struct key {
	union {
		const uint8_t *name;
		uint64_t token;
	} v;
	uint64_t phys;		/* of the entry */
	uint32_t idx;		/* (2^32 keys would be 96 GiB of workspace) */
	uint32_t len;		/* of a name field; 0 for a token */
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

static int value_cmp(const struct key *a, const struct key *b)
{
	if (a->len)
		return name_cmp(a->v.name, b->v.name, a->len);
	return a->v.token != b->v.token ? (a->v.token < b->v.token ? -1 : 1) : 0;
}

static int cmp_key(const void *x, const void *y)
{
	const struct key *a = x, *b = y;
	int r = value_cmp(a, b);

	if (r)
		return r;
	return a->idx < b->idx ? -1 : a->idx > b->idx;
}

static const struct key *fill(struct luoc_ctx *c, const struct uniq *u, struct key *k,
			      const uint8_t *e, uint64_t i)
{
	k->idx = (uint32_t)i;
	k->len = u->token ? 0 : u->field.size;
	if (u->token)
		k->v.token = luoc_rd(c, e, u->field);
	else
		k->v.name = e + u->field.off;
	return k;
}

/* Entry 'k' repeats the value of the earlier entry 'first'. */
static void report(struct luoc_ctx *c, const struct uniq *u, const struct key *k,
		   const struct key *first)
{
	struct luoc_loc loc = { .kind = u->kind, .s = u->s, .i = k->idx };
	char shown[LUOC_NAME_SHOW + 1];

	if (u->token) {
		loc.f = (uint32_t)k->idx;
		luoc_report(c, &loc, u->req, SEV_E, -LUOC_EDUP, k->phys,
			    "token 0x%llx is also used by file %llu", (unsigned long long)k->v.token,
			    (unsigned long long)first->idx);
		return;
	}
	if (u->kind == LK_SESSION)
		loc.s = (uint32_t)k->idx;
	luoc_show_name(shown, sizeof(shown), k->v.name, k->len);
	luoc_report(c, &loc, u->req, SEV_E, -LUOC_EDUP, k->phys, "%s \"%s\" is also used by entry %llu",
		    u->what, shown, (unsigned long long)first->idx);
}

/* Room for n keys in borrowed workspace, or NULL. */
static struct key *keys(struct luoc_ctx *c, uint64_t n)
{
	if (!c->ws.lo || luoc_ws_free(c) / sizeof(struct key) < n)
		return NULL;
	return (void *)c->ws.lo;
}

/* Without room for the keys: every entry against the ones before it. */
static void pairwise(struct luoc_ctx *c, const struct uniq *u, struct luoc_seq *sq)
{
	struct luoc_seq inner = *sq;
	struct key a, b;
	uint64_t i, j;

	for (i = 1; i < sq->n; i++) {
		const uint8_t *e = luoc_seq_at(c, sq, i, &a.phys);

		if (!e)
			continue;
		fill(c, u, &a, e, i);
		for (j = 0; j < i; j++) {
			const uint8_t *f = luoc_seq_at(c, &inner, j, &b.phys);

			if (f && !value_cmp(&a, fill(c, u, &b, f, j))) {
				report(c, u, &a, &b);
				break;
			}
		}
	}
}

static void unique(struct luoc_ctx *c, const struct uniq *u, struct luoc_seq *sq)
{
	struct key *k = keys(c, sq->n);	/* borrowed */
	uint64_t i, n = 0, g = 0;

	if (sq->n < 2)
		return;
	if (!k) {
		if (sq->n > PAIRWISE_MAX)
			luoc_ws_enospc(c, "a uniqueness check");
		else
			pairwise(c, u, sq);
		return;
	}
	for (i = 0; i < sq->n; i++) {
		const uint8_t *e = luoc_seq_at(c, sq, i, &k[n].phys);

		if (!e)
			break;
		fill(c, u, &k[n++], e, i);
	}
	luoc_heapsort(k, n, sizeof(*k), cmp_key);
	for (i = 1; i < n; i++) {
		if (value_cmp(&k[g], &k[i])) {
			g = i;
			continue;
		}
		report(c, u, &k[i], &k[g]);
	}
}

void luoc_unique_names(struct luoc_ctx *c, enum luoc_loc_kind kind, const char *req,
		       struct luoc_seq *sq, struct luoc_field name, const char *what)
{
	const struct uniq u = { .req = req, .what = what, .kind = kind, .field = name };

	unique(c, &u, sq);
}

void luoc_unique_tokens(struct luoc_ctx *c, uint32_t s, struct luoc_seq *sq)
{
	const struct uniq u = {
		.req = R_FILE_003, .kind = LK_FILE, .s = s, .field = c->p->file_token, .token = true,
	};

	unique(c, &u, sq);
}
