// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * rn_states.c - the abstract states producer tests hand to an
 * implementation, and the decoded state each must come back as.
 *
 * Fixed states cover the shapes the spec names (no sessions, a session
 * without files, empty and partial memfds, explicit folio layouts with
 * holes and higher orders, a full file array, a folio array over two
 * pages, the FLB limit, page sizes and byte orders); random states come
 * from a seed, so a failure is reproduced with --seed.
 */
#include <stdlib.h>
#include <string.h>

#include "rn.h"

struct sb {
	const struct luoc_profile *p;
	struct luoc_st_arena *a;
	struct rn_state *v;
	size_t n, cap;
};

static struct rn_state *new_state(struct sb *b, const char *name, uint32_t n_sessions,
				  uint32_t n_flbs)
{
	struct rn_state *s;

	if (b->n == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 32;
		struct rn_state *nv = realloc(b->v, cap * sizeof(*nv));

		if (!nv)
			return NULL;
		b->v = nv;
		b->cap = cap;
	}
	s = &b->v[b->n++];
	memset(s, 0, sizeof(*s));
	snprintf(s->name, sizeof(s->name), "%s", name);
	s->page_size = 4096;
	s->st.liveupdate_number = 1;
	s->st.n_sessions = n_sessions;
	s->st.sessions = luoc_st_alloc(b->a, (n_sessions + 1) * sizeof(*s->st.sessions));
	if (!rn_has_flb(b->p))
		n_flbs = 0;
	s->st.n_flbs = n_flbs;
	s->st.flbs = luoc_st_alloc(b->a, (n_flbs + 1) * sizeof(*s->st.flbs));
	return s;
}

static struct luoc_st_file *files(struct sb *b, struct luoc_st_session *s, const char *name,
				  uint32_t n)
{
	s->name = luoc_st_strdup(b->a, name);
	s->n_files = n;
	s->files = luoc_st_alloc(b->a, (n + 1) * sizeof(*s->files));
	return s->files;
}

static void memfd(struct luoc_st_file *f, uint64_t token, uint64_t size, uint32_t pattern)
{
	f->token = token;
	f->is_memfd = true;
	f->compatible = "";
	f->memfd.size = size;
	f->memfd.content = pattern ? LUOC_CONTENT_PATTERN : LUOC_CONTENT_ZERO;
	f->memfd.pattern = pattern;
}

static void flb(struct luoc_st_flb *f, struct luoc_st_arena *a, const char *name,
		uint64_t data, uint64_t count)
{
	f->name = luoc_st_strdup(a, name);
	f->data = data;
	f->count = count;
}

static void add_multi(struct sb *b, const char *name, uint32_t ps, bool be)
{
	struct rn_state *s = new_state(b, name, 3, 2);
	struct luoc_st_file *f;

	s->page_size = ps;
	s->big_endian = be;
	s->st.liveupdate_number = 3;
	files(b, &s->st.sessions[0], "idle", 0);
	f = files(b, &s->st.sessions[1], "vm-qemu-1", 2);
	memfd(&f[0], 1, 3 * (uint64_t)ps + 17, 11);
	f[0].memfd.pos = 100;
	f[0].memfd.seals = 0x1;
	memfd(&f[1], 2, 0, 0);
	f = files(b, &s->st.sessions[2], "vm-qemu-2", 3);
	memfd(&f[0], 0x8000000000000001ull, (uint64_t)ps, 12);
	memfd(&f[1], 7, 2 * (uint64_t)ps, 13);
	f[1].memfd.seals = 0x3f;
	memfd(&f[2], 9, 1, 14);
	if (s->st.n_flbs) {
		flb(&s->st.flbs[0], b->a, "iommu-domain-v1", 0x1234, 2);
		flb(&s->st.flbs[1], b->a, "kvm-guest-memfd-v1", 0, 0);
	}
}

size_t rn_fixed_states(const struct luoc_profile *p, struct luoc_st_arena *a,
		       struct rn_state **out)
{
	struct sb b = { .p = p, .a = a };
	struct rn_state *s;
	struct luoc_st_file *f;
	uint32_t i, nmax = (uint32_t)luoc_area_max(&p->file_area, 4096);
	static const char text[] = "luo-conformance: explicit memfd bytes\n";

	new_state(&b, "empty", 0, 0);
	s = new_state(&b, "session-without-files", 1, 0);
	files(&b, &s->st.sessions[0], "idle", 0);
	s = new_state(&b, "memfd-empty", 1, 0);
	memfd(files(&b, &s->st.sessions[0], "s", 1), 42, 0, 0);
	s = new_state(&b, "memfd-one-page", 1, 0);
	memfd(files(&b, &s->st.sessions[0], "s", 1), 1, 4096, 1);
	s = new_state(&b, "memfd-partial-sealed", 1, 0);
	f = files(&b, &s->st.sessions[0], "db", 1);
	memfd(f, 77, 10000, 2);
	f->memfd.pos = 1234;
	f->memfd.seals = 0x9;	/* F_SEAL_SEAL | F_SEAL_WRITE */
	add_multi(&b, "multi", 4096, false);
	s = new_state(&b, "long-session-name", 1, 0);
	memfd(files(&b, &s->st.sessions[0],
		    "a-session-name-that-is-longer-than-the-64-byte-field-of-the-session-entry", 1),
	      5, 100, 3);
	s = new_state(&b, "folios-explicit-with-holes", 1, 0);
	s->folios_given = true;
	f = files(&b, &s->st.sessions[0], "thp", 1);
	memfd(f, 3, 8 * 4096 + 5, 4);
	f->memfd.n_folios = 4;
	f->memfd.folios = luoc_st_alloc(a, 4 * sizeof(*f->memfd.folios));
	f->memfd.folios[0] = (struct luoc_st_folio){ 0, 2, 3 };
	f->memfd.folios[1] = (struct luoc_st_folio){ 4, 0, 1 };
	f->memfd.folios[2] = (struct luoc_st_folio){ 6, 1, 2 };
	f->memfd.folios[3] = (struct luoc_st_folio){ 8, 0, 0 };
	s = new_state(&b, "file-array-full", 1, 0);
	f = files(&b, &s->st.sessions[0], "many", nmax);
	for (i = 0; i < nmax; i++)
		memfd(&f[i], 1000 + i, i % 3 ? 0 : 4096, i % 3 ? 0 : i + 1);
	s = new_state(&b, "folio-array-two-pages", 1, 0);
	memfd(files(&b, &s->st.sessions[0], "big", 1), 8, 300 * 4096, 5);
	s = new_state(&b, "memfd-bytes", 1, 0);
	f = files(&b, &s->st.sessions[0], "txt", 1);
	memfd(f, 4, sizeof(text) - 1 + 4096, 0);
	f->memfd.content = LUOC_CONTENT_BYTES;
	f->memfd.bytes = (const uint8_t *)text;
	f->memfd.n_bytes = sizeof(text) - 1;
	if (p->luo_form == LUOC_LUO_RAW) {
		/* luo-v5: sets over several blocks (51 sessions, 63 files a block at 4 KiB) */
		uint32_t ns = 2 * (uint32_t)luoc_area_max(&p->sess_area, 4096) + 3;
		char name[32];

		s = new_state(&b, "session-chain-three-blocks", ns, 0);
		for (i = 0; i < ns; i++) {
			snprintf(name, sizeof(name), "chain-%u", i);
			files(&b, &s->st.sessions[i], name, 0);
		}
		s = new_state(&b, "file-chain-three-blocks", 1, 0);
		f = files(&b, &s->st.sessions[0], "many", 2 * nmax + 1);
		for (i = 0; i < 2 * nmax + 1; i++)
			memfd(&f[i], 2000 + i, i % 5 ? 0 : 4096, i % 5 ? 0 : i + 1);
	}
	if (rn_has_flb(p)) {
		uint32_t fmax = (uint32_t)luoc_area_max(&p->flb_area, 4096);
		char name[48];

		s = new_state(&b, "flb-area-full", 0, fmax);
		for (i = 0; i < fmax; i++) {
			snprintf(name, sizeof(name), "flb-%u", i);
			flb(&s->st.flbs[i], a, name, i, i % 5);
		}
	}
	add_multi(&b, "multi-16k", 16384, false);
	add_multi(&b, "multi-64k", 65536, false);
	add_multi(&b, "multi-big-endian", 4096, true);
	*out = b.v;
	return b.n;
}

/* --- random states ----------------------------------------------------------- */

static uint64_t rnd(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static char *rnd_name(struct luoc_st_arena *a, uint64_t *r, unsigned int idx, unsigned int maxlen)
{
	static const char al[] = "abcdefghijklmnopqrstuvwxyz0123456789-_.";
	unsigned int len = 1 + (unsigned int)(rnd(r) % maxlen), i;
	char *s = luoc_st_alloc(a, len + 16);

	/* a distinct prefix keeps names unique after truncation */
	snprintf(s, 16, "%u-", idx);
	for (i = (unsigned int)strlen(s); i < len + 3; i++)
		s[i] = al[rnd(r) % (sizeof(al) - 1)];
	return s;
}

static void rnd_memfd(struct luoc_st_arena *a, uint64_t *r, struct luoc_st_memfd *m,
		      const struct luoc_profile *p)
{
	uint64_t pages = rnd(r) % 7, i, idx;

	m->size = rnd(r) % 5 == 0 ? 0 : pages * 4096 + rnd(r) % 4096;
	m->pos = m->size ? rnd(r) % (m->size + 1) : 0;
	m->seals = p->memfd->all_seals ? (uint32_t)(rnd(r) & p->memfd->all_seals) : 0;
	m->content = LUOC_CONTENT_PATTERN;
	m->pattern = (uint32_t)rnd(r);
	if (rnd(r) % 10 == 0 && m->size) {
		uint64_t n = 1 + rnd(r) % 300;
		uint8_t *bb = luoc_st_alloc(a, n);

		for (i = 0; i < n; i++)
			bb[i] = (uint8_t)rnd(r);
		m->content = LUOC_CONTENT_BYTES;
		m->bytes = bb;
		m->n_bytes = n;
	}
	pages = (m->size + 4095) / 4096;
	if (pages && rnd(r) % 3 == 0) {
		/* explicit folios: random orders and holes, never past the file */
		m->folios = luoc_st_alloc(a, pages * sizeof(*m->folios));
		for (idx = 0; idx < pages;) {
			uint32_t order = (uint32_t)(rnd(r) % 3);

			while (order && (idx % (1u << order) || idx + (1u << order) > pages))
				order--;
			if (rnd(r) % 4) {
				m->folios[m->n_folios].index = idx;
				m->folios[m->n_folios].order = order;
				m->folios[m->n_folios].flags = (uint32_t)(rnd(r) % 4);
				m->n_folios++;
			}
			idx += 1u << order;
		}
	}
}

size_t rn_random_states(const struct luoc_profile *p, uint64_t seed, size_t n,
			struct luoc_st_arena *a, struct rn_state **out)
{
	struct sb b = { .p = p, .a = a };
	size_t k;
	uint32_t i, j;

	for (k = 0; k < n; k++) {
		uint64_t r = seed ^ (0x5851f42d4c957f2dull * (k + 1));
		uint32_t ns = (uint32_t)(rnd(&r) % 5), nf = (uint32_t)(rnd(&r) % 4);
		char name[64];
		struct rn_state *s;

		snprintf(name, sizeof(name), "random-%zu", k);
		s = new_state(&b, name, ns, nf);
		if (!s)
			break;
		s->st.liveupdate_number = 1 + rnd(&r) % 1000;
		s->folios_given = true;
		for (i = 0; i < ns; i++) {
			struct luoc_st_session *se = &s->st.sessions[i];
			uint32_t cnt = (uint32_t)(rnd(&r) % 5);

			se->name = rnd_name(a, &r, i, 70);
			se->n_files = cnt;
			se->files = luoc_st_alloc(a, (cnt + 1) * sizeof(*se->files));
			for (j = 0; j < cnt; j++) {
				struct luoc_st_file *f = &se->files[j];

				f->is_memfd = true;
				f->compatible = "";
				f->token = (rnd(&r) & ~0xffull) | j;	/* unique in the session */
				rnd_memfd(a, &r, &f->memfd, p);
				if (!f->memfd.n_folios)
					s->folios_given = s->folios_given && !f->memfd.size;
			}
		}
		for (i = 0; i < s->st.n_flbs; i++) {
			s->st.flbs[i].name = rnd_name(a, &r, i, 40);
			s->st.flbs[i].data = rnd(&r);
			s->st.flbs[i].count = rnd(&r) % 100;
		}
	}
	*out = b.v;
	return b.n;
}

/* --- expected decoded state ---------------------------------------------------- */

static int expect_memfd(const struct luoc_profile *p, const struct luoc_st_memfd *in,
			uint32_t ps, struct luoc_st_arena *a, struct luoc_st_memfd *e)
{
	uint64_t pages = (in->size + ps - 1) / ps, i;

	*e = *in;
	e->seals = p->memfd->all_seals ? in->seals : 0;
	e->flags = 0;
	e->bytes = NULL;
	e->n_bytes = 0;
	if (!in->n_folios && pages) {
		e->folios = luoc_st_alloc(a, pages * sizeof(*e->folios));
		if (!e->folios)
			return -1;
		for (i = 0; i < pages; i++)
			e->folios[i] = (struct luoc_st_folio){ i, 0, LUOC_FOLIO_DIRTY | LUOC_FOLIO_UPTODATE };
		e->n_folios = (uint32_t)pages;
	}
	e->has_digest = luoc_memfd_digest(in, ps, e->sha256) == 0;
	return 0;
}

int rn_expect(const struct luoc_profile *p, const struct rn_state *in,
	      struct luoc_st_arena *a, struct luoc_state *exp)
{
	size_t name_max = p->sess_name.size - 1;
	uint32_t i, j;

	if (luoc_state_copy(a, &in->st, exp))
		return -1;
	if (!exp->liveupdate_number)
		exp->liveupdate_number = 1;
	if (!rn_has_flb(p))
		exp->n_flbs = 0;
	for (i = 0; i < exp->n_sessions; i++) {
		struct luoc_st_session *s = &exp->sessions[i];

		/* the kernel keeps the first LIVEUPDATE_SESSION_NAME_LENGTH - 1 bytes */
		if (strlen(s->name) > name_max)
			((char *)s->name)[name_max] = 0;
		for (j = 0; j < s->n_files; j++) {
			struct luoc_st_file *f = &s->files[j];

			if (!f->is_memfd)
				continue;
			f->compatible = p->memfd->compat;
			if (expect_memfd(p, &in->st.sessions[i].files[j].memfd, in->page_size, a,
					 &f->memfd))
				return -1;
		}
	}
	return 0;
}
