// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * state.c - owning, hashing and comparing struct luoc_state.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "state.h"

static int copy_memfd(struct luoc_st_arena *a, const struct luoc_st_memfd *s,
		      struct luoc_st_memfd *d)
{
	*d = *s;
	if (s->n_folios) {
		d->folios = luoc_st_alloc(a, s->n_folios * sizeof(*d->folios));
		if (!d->folios)
			return -1;
		memcpy(d->folios, s->folios, s->n_folios * sizeof(*d->folios));
	}
	if (s->bytes && s->n_bytes) {
		uint8_t *b = luoc_st_alloc(a, s->n_bytes);

		if (!b)
			return -1;
		memcpy(b, s->bytes, s->n_bytes);
		d->bytes = b;
	}
	return 0;
}

int luoc_state_copy(struct luoc_st_arena *a, const struct luoc_state *src, struct luoc_state *dst)
{
	uint32_t i, j;

	*dst = *src;
	dst->sessions = luoc_st_alloc(a, (src->n_sessions + 1) * sizeof(*dst->sessions));
	dst->flbs = luoc_st_alloc(a, (src->n_flbs + 1) * sizeof(*dst->flbs));
	if (!dst->sessions || !dst->flbs)
		return -1;
	for (i = 0; i < src->n_flbs; i++) {
		dst->flbs[i] = src->flbs[i];
		dst->flbs[i].name = luoc_st_strdup(a, src->flbs[i].name ? src->flbs[i].name : "");
		if (!dst->flbs[i].name)
			return -1;
	}
	for (i = 0; i < src->n_sessions; i++) {
		const struct luoc_st_session *s = &src->sessions[i];
		struct luoc_st_session *d = &dst->sessions[i];

		*d = *s;
		d->name = luoc_st_strdup(a, s->name ? s->name : "");
		d->files = luoc_st_alloc(a, (s->n_files + 1) * sizeof(*d->files));
		if (!d->name || !d->files)
			return -1;
		for (j = 0; j < s->n_files; j++) {
			d->files[j] = s->files[j];
			d->files[j].compatible = luoc_st_strdup(a, s->files[j].compatible ?
								s->files[j].compatible : "");
			if (!d->files[j].compatible ||
			    copy_memfd(a, &s->files[j].memfd, &d->files[j].memfd))
				return -1;
		}
	}
	return 0;
}

/* --- digest ------------------------------------------------------------------ */

static uint8_t content_at(const struct luoc_st_memfd *m, uint64_t off)
{
	if (m->content == LUOC_CONTENT_PATTERN)
		return luoc_pattern_byte(m->pattern, off);
	if (m->content == LUOC_CONTENT_BYTES && m->bytes && off < m->n_bytes)
		return m->bytes[off];
	return 0;
}

static bool covered(const struct luoc_st_memfd *m, uint64_t page, uint32_t *hint)
{
	uint32_t i;

	if (!m->n_folios)
		return true;
	for (i = *hint; i < m->n_folios; i++) {
		uint64_t end = m->folios[i].index + (1ull << m->folios[i].order);

		if (page < m->folios[i].index)
			return false;
		if (page < end) {
			*hint = i;
			return true;
		}
	}
	return false;
}

int luoc_memfd_digest(const struct luoc_st_memfd *m, uint32_t ps, uint8_t out[32])
{
	EVP_MD_CTX *md;
	uint8_t buf[4096];
	uint64_t off = 0;
	uint32_t hint = 0;
	int ret = 0;

	if (m->size > LUOC_DIGEST_MAX || !ps)
		return -1;
	md = EVP_MD_CTX_new();
	if (!md || !EVP_DigestInit_ex(md, EVP_sha256(), NULL)) {
		EVP_MD_CTX_free(md);
		return -1;
	}
	while (off < m->size) {
		uint64_t n = m->size - off, i;
		bool in = covered(m, off / ps, &hint);

		if (n > sizeof(buf))
			n = sizeof(buf);
		/* stay within one page so a page is either covered or not */
		if (n > ps - off % ps)
			n = ps - off % ps;
		for (i = 0; i < n; i++)
			buf[i] = in ? content_at(m, off + i) : 0;
		if (!EVP_DigestUpdate(md, buf, n)) {
			ret = -1;
			break;
		}
		off += n;
	}
	if (!ret && !EVP_DigestFinal_ex(md, out, NULL))
		ret = -1;
	EVP_MD_CTX_free(md);
	return ret;
}

void luoc_hex(const uint8_t *b, size_t n, char *buf)
{
	static const char x[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		buf[2 * i] = x[b[i] >> 4];
		buf[2 * i + 1] = x[b[i] & 15];
	}
	buf[2 * n] = 0;
}

/* --- compare ----------------------------------------------------------------- */

#define DIFF(...) do { if (msg && msglen) snprintf(msg, msglen, __VA_ARGS__); } while (0)

static const char *nz(const char *s)
{
	return s ? s : "";
}

static bool memfd_equal(const struct luoc_st_memfd *e, const struct luoc_st_memfd *g,
			unsigned int flags, const char *where, char *msg, size_t msglen)
{
	uint32_t k;

	if (e->size != g->size || e->pos != g->pos || e->seals != g->seals || e->flags != g->flags) {
		DIFF("%s: memfd size/pos/seals/flags %llu/%llu/%#x/%#x, expected %llu/%llu/%#x/%#x",
		     where, (unsigned long long)g->size, (unsigned long long)g->pos, g->seals,
		     g->flags, (unsigned long long)e->size, (unsigned long long)e->pos,
		     e->seals, e->flags);
		return false;
	}
	if (e->has_digest && g->has_digest && memcmp(e->sha256, g->sha256, 32)) {
		DIFF("%s: memfd content differs (SHA-256)", where);
		return false;
	}
	if (e->has_digest != g->has_digest) {
		DIFF("%s: memfd content digest %s", where, g->has_digest ? "unexpected" : "missing");
		return false;
	}
	if (!(flags & LUOC_CMP_FOLIOS))
		return true;
	if (e->n_folios != g->n_folios) {
		DIFF("%s: %u folios, expected %u", where, g->n_folios, e->n_folios);
		return false;
	}
	for (k = 0; k < e->n_folios; k++)
		if (e->folios[k].index != g->folios[k].index ||
		    e->folios[k].order != g->folios[k].order ||
		    e->folios[k].flags != g->folios[k].flags) {
			DIFF("%s: folio %u is index %llu order %u flags %#x, expected %llu/%u/%#x",
			     where, k, (unsigned long long)g->folios[k].index, g->folios[k].order,
			     g->folios[k].flags, (unsigned long long)e->folios[k].index,
			     e->folios[k].order, e->folios[k].flags);
			return false;
		}
	return true;
}

static bool file_equal(const struct luoc_st_file *e, const struct luoc_st_file *g,
		       unsigned int flags, const char *where, char *msg, size_t msglen)
{
	/*
	 * The data word of a file no handler took is opaque (for memfd it
	 * is an address), so it is not compared.
	 */
	if (strcmp(nz(e->compatible), nz(g->compatible)) || e->token != g->token ||
	    e->is_memfd != g->is_memfd) {
		DIFF("%s: \"%s\" token %llu, expected \"%s\" token %llu", where, nz(g->compatible),
		     (unsigned long long)g->token, nz(e->compatible), (unsigned long long)e->token);
		return false;
	}
	return !e->is_memfd || memfd_equal(&e->memfd, &g->memfd, flags, where, msg, msglen);
}

/* Sessions and FLBs are matched by name; their order carries no meaning. */
static const struct luoc_st_session *find_session(const struct luoc_state *st, const char *name)
{
	uint32_t i;

	for (i = 0; i < st->n_sessions; i++)
		if (!strcmp(nz(st->sessions[i].name), name))
			return &st->sessions[i];
	return NULL;
}

static const struct luoc_st_file *find_file(const struct luoc_st_session *s, uint64_t token)
{
	uint32_t i;

	for (i = 0; i < s->n_files; i++)
		if (s->files[i].token == token)
			return &s->files[i];
	return NULL;
}

static const struct luoc_st_flb *find_flb(const struct luoc_state *st, const char *name)
{
	uint32_t i;

	for (i = 0; i < st->n_flbs; i++)
		if (!strcmp(nz(st->flbs[i].name), name))
			return &st->flbs[i];
	return NULL;
}

enum luoc_cmp luoc_state_compare(const struct luoc_state *exp, const struct luoc_state *got,
				 unsigned int flags, char *msg, size_t msglen)
{
	bool missing = false, files_missing = false;
	char where[160];
	uint32_t i, j;

	if (msg && msglen)
		msg[0] = 0;
	/* everything decoded must be expected and equal */
	for (i = 0; i < got->n_sessions; i++) {
		const struct luoc_st_session *g = &got->sessions[i];
		const struct luoc_st_session *e = find_session(exp, nz(g->name));

		if (!e) {
			DIFF("unexpected session \"%s\"", nz(g->name));
			return LUOC_CMP_DIFFERENT;
		}
		for (j = 0; j < g->n_files; j++) {
			const struct luoc_st_file *ef = find_file(e, g->files[j].token);

			snprintf(where, sizeof(where), "session \"%.64s\" token %llu", nz(g->name),
				 (unsigned long long)g->files[j].token);
			if (!ef) {
				DIFF("%s: unexpected file", where);
				return LUOC_CMP_DIFFERENT;
			}
			if (!file_equal(ef, &g->files[j], flags, where, msg, msglen))
				return LUOC_CMP_DIFFERENT;
		}
		files_missing |= g->n_files < e->n_files;
	}
	for (i = 0; i < got->n_flbs; i++) {
		const struct luoc_st_flb *g = &got->flbs[i], *e = find_flb(exp, nz(g->name));

		if (!e || e->data != g->data || e->count != g->count) {
			DIFF("FLB \"%s\" data %llu count %llu: %s", nz(g->name),
			     (unsigned long long)g->data, (unsigned long long)g->count,
			     e ? "expected other values" : "not expected");
			return LUOC_CMP_DIFFERENT;
		}
	}
	if (exp->n_sessions > got->n_sessions || exp->n_flbs > got->n_flbs || files_missing)
		missing = true;
	if (missing) {
		DIFF("decoded %u of %u sessions and %u of %u FLBs%s", got->n_sessions,
		     exp->n_sessions, got->n_flbs, exp->n_flbs,
		     files_missing ? "; files of a session missing" : "");
		return LUOC_CMP_SUBSET;
	}
	/* liveupdate-number 0 in an expected state: not given, not compared */
	if (got->n_sessions != exp->n_sessions || got->n_flbs != exp->n_flbs ||
	    (exp->liveupdate_number && got->liveupdate_number != exp->liveupdate_number)) {
		DIFF("liveupdate-number %llu, expected %llu",
		     (unsigned long long)got->liveupdate_number,
		     (unsigned long long)exp->liveupdate_number);
		return LUOC_CMP_DIFFERENT;
	}
	return LUOC_CMP_EQUAL;
}

/* --- outcome names ------------------------------------------------------------ */

/* generated from the outcome list of spec/abi (luoc_outcome_gen.h) */
static const char *const outcome_names[LUOC_N_OUTCOMES] = LUOC_OUTCOME_NAMES;

const char *luoc_adapter_outcome_name(enum luoc_outcome o)
{
	if ((unsigned int)o < sizeof(outcome_names) / sizeof(outcome_names[0]))
		return outcome_names[o];
	return "?";
}

int luoc_adapter_outcome_parse(const char *name)
{
	unsigned int i;

	for (i = 0; name && i < sizeof(outcome_names) / sizeof(outcome_names[0]); i++)
		if (!strcmp(outcome_names[i], name))
			return (int)i;
	return -1;
}
