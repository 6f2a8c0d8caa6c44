// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * detect.c - which profile does a state speak?
 *
 * The luo-v1 profiles share the LUO root string, so the choice rests on
 * the tuple of the other strings: the KHO root compatible, the session
 * node compatible, whether /luo-flb exists, and the handler strings in the
 * file entries.  A LUO blob that is no FDT is read as a raw struct
 * luo_ser (luo-v5), whose one compatible string stands for the session
 * and FLB parts, and whose chains are scanned (boundedly) for handlers.  Each profile of the table is scored against that tuple
 * (KHO root first, then session, FLB, handlers); the best score wins and
 * ties go to the newer profile.  Detection reads quietly: it reports
 * nothing, the check that follows does.
 */
#include "luoc_int.h"

enum {
	M_KHO = 8,
	M_SESS = 4,
	M_FLB = 2,
	M_HNDL = 1,
	M_ALL = 15,
};

/* Bounds of the handler scan of a luo-v5 state (detection needs one string). */
#define DETECT_BLOCKS	16	/* blocks read of any chain */
#define DETECT_FILES	4096	/* file entries read in all */

struct tuple {
	char kho[32], sess[32], luo[16];
	bool have_luo, luo_ok, flb;
	bool raw;		/* the LUO blob is no FDT: a struct luo_ser */
	bool bare;		/* the input is the LUO FDT alone: no KHO root */
	bool kho_only;		/* the input is the KHO root alone: no LUO blob */
	uint32_t raw_match;	/* bit k: profile k's luo_ser compatible */
	uint32_t memfd_seen;	/* bit k: profile k's memfd string in a file */
	uint32_t memfd_known;	/* bit k: profile k has a handler at all */
};

/* The profiles a tuple's masks can name: all of them (the table holds fewer than 32). */
static unsigned int n_masked(void)
{
	return luoc_n_profiles < 32 ? luoc_n_profiles : 32;
}

static void first_string(const void *fdt, int node, char *dst, size_t size)
{
	int len;
	const char *v = node >= 0 ? fdt_getprop(fdt, node, LUOC_PROP_COMPATIBLE, &len) : NULL;

	dst[0] = '\0';
	if (v && len > 0)
		luoc_show_name(dst, size, (const uint8_t *)v, (size_t)len);
}

/* The LUO FDT's address from whichever sub-node property a profile uses. */
static bool luo_addr(struct luoc_ctx *c, const void *fdt, uint64_t *phys)
{
	unsigned int i;
	int node = -1, len;

	for (i = 0; i < luoc_n_profiles && node < 0; i++)
		node = luoc_fdt_node(fdt, 0, luoc_profiles[i].luo_entry);
	if (node < 0)
		return false;
	for (i = 0; i < luoc_n_profiles; i++) {
		const void *v = fdt_getprop(fdt, node, luoc_profiles[i].kho_sub_addr_prop, &len);

		if (v && len == 8) {
			*phys = luoc_ld(c, v, 8);
			return true;
		}
	}
	return false;
}

/* Profiles whose memfd handler string the compatible field names. */
static void handler_seen(const uint8_t *compat, size_t size, struct tuple *t)
{
	size_t cl = strnlen((const char *)compat, size);
	unsigned int k;

	for (k = 0; k < n_masked(); k++) {
		const struct luoc_memfd_desc *md = luoc_profiles[k].memfd;

		if (md && cl == strlen(md->compat) && !memcmp(compat, md->compat, cl))
			t->memfd_seen |= 1u << k;
	}
}

/* Handler strings of files in the block chains of a luo-v5 state (bounded). */
static void raw_handlers(struct luoc_ctx *c, const struct luoc_profile *q, uint64_t sessions,
			 struct tuple *t)
{
	const struct luoc_loc loc = { .kind = LK_LUO_SESS };
	struct luoc_chain sc, fc;
	struct luoc_seq ss, fs;
	uint64_t i, j, at, seen = 0;
	const uint8_t *e, *f;

	luoc_chain_init(&sc, &q->sess_area, sessions, &loc, false);
	luoc_chain_open(c, &sc, DETECT_BLOCKS, false);
	luoc_seq_chain(&ss, &sc);
	for (i = 0; seen < DETECT_FILES && (e = luoc_seq_at(c, &ss, i, &at)); i++) {
		luoc_chain_init(&fc, &q->file_area, luoc_rd(c, e, q->sess_files), &loc, true);
		luoc_chain_open(c, &fc, DETECT_BLOCKS, false);
		luoc_seq_chain(&fs, &fc);
		for (j = 0; seen < DETECT_FILES && (f = luoc_seq_at(c, &fs, j, &at)); j++, seen++)
			handler_seen(f + q->file_compat.off, q->file_compat.size, t);
	}
}

/* A luo-v5 blob: which raw profiles' compatible it carries, and its handlers. */
static void read_raw(struct luoc_ctx *c, uint64_t phys, struct tuple *t)
{
	unsigned int k;

	for (k = 0; k < n_masked(); k++) {
		const struct luoc_profile *q = &luoc_profiles[k];
		const uint8_t *ser;

		if (q->luo_form != LUOC_LUO_RAW || !(ser = luoc_peek(c, phys, q->ser_size)))
			continue;
		t->luo_ok = t->raw = true;
		luoc_show_name(t->luo, sizeof(t->luo), ser + q->ser_compat.off,
			       q->ser_compat.size);
		if (strnlen((const char *)ser + q->ser_compat.off, q->ser_compat.size) !=
		    strlen(q->luo_compat) ||
		    memcmp(ser + q->ser_compat.off, q->luo_compat, strlen(q->luo_compat)))
			continue;
		t->raw_match |= 1u << k;
		raw_handlers(c, q, luoc_rd(c, ser, q->ser_sessions), t);
	}
}

/* The session node name of the FDT profiles (the same in each). */
static const char *sess_node_name(void)
{
	const char *name = NULL;
	unsigned int i;

	for (i = 0; i < luoc_n_profiles; i++)	/* the first profile's that has one */
		if (!name)
			name = luoc_profiles[i].sess_node;
	return name;
}

/* Handler strings of every file, read with the layout of profile q. */
static void handlers(struct luoc_ctx *c, const void *fdt, const struct luoc_profile *q,
		     struct tuple *t)
{
	const struct luoc_area *a = &q->sess_area;
	int node = luoc_fdt_node(fdt, 0, q->sess_node), len;
	const void *v = node >= 0 ? fdt_getprop(fdt, node, q->sess_hdr_prop, &len) : NULL;
	const uint8_t *area;
	uint64_t n, i, hdr;

	if (!v || len != 8)
		return;
	hdr = luoc_ld(c, v, 8);
	area = luoc_peek(c, hdr, (uint64_t)a->pages * c->ps);
	if (!area)
		return;
	n = luoc_rd(c, area, a->hdr_count);
	if (n > luoc_area_max(a, c->ps))
		n = luoc_area_max(a, c->ps);
	for (i = 0; i < n; i++) {
		const uint8_t *e = area + a->hdr_size + i * a->entry_size;
		uint64_t files = luoc_rd(c, e, q->sess_files), cnt = luoc_rd(c, e, q->sess_count), f;
		const uint8_t *arr = luoc_peek(c, files, (uint64_t)q->file_area.pages * c->ps);

		if (!arr)
			continue;
		if (cnt > luoc_area_max(&q->file_area, c->ps))
			cnt = luoc_area_max(&q->file_area, c->ps);
		for (f = 0; f < cnt; f++)
			handler_seen(arr + f * q->file_area.entry_size + q->file_compat.off,
				     q->file_compat.size, t);
	}
}

static void read_luo(struct luoc_ctx *c, uint64_t phys, struct tuple *t)
{
	const struct luoc_loc loc = { .kind = LK_LUO_ROOT };
	const char *flb = luoc_flb_node_name(), *sn = sess_node_name();
	const uint8_t *h = luoc_peek(c, phys, FDT_V17_SIZE);
	const struct luoc_profile *q = NULL;
	const void *fdt;
	unsigned int i;
	int node;

	/* not even an FDT header: a raw LUO root (luo-v5), or nothing */
	if (!h || luoc_fdt_hdr32(h, offsetof(struct fdt_header, magic)) != FDT_MAGIC) {
		read_raw(c, phys, t);
		return;
	}
	if (luoc_fdt_open(c, &loc, R_FDT_001, phys, c->ps, &fdt))
		return;
	t->luo_ok = true;
	node = sn ? luoc_fdt_node(fdt, 0, sn) : -1;
	first_string(fdt, node, t->sess, sizeof(t->sess));
	t->flb = flb && luoc_fdt_node(fdt, 0, flb) >= 0;
	for (i = 0; i < luoc_n_profiles; i++)
		if (luoc_profiles[i].sess_compat && !strcmp(t->sess, luoc_profiles[i].sess_compat))
			q = &luoc_profiles[i];
	if (q)
		handlers(c, fdt, q, t);
}

static unsigned int score(const struct tuple *t, unsigned int k)
{
	const struct luoc_profile *p = &luoc_profiles[k];
	unsigned int s = 0;

	/* a bare LUO blob stands in for the root of the profiles of its form */
	if ((t->bare && (p->luo_form == LUOC_LUO_RAW) == t->raw) || !strcmp(t->kho, p->kho_compat))
		s |= M_KHO;
	if (!t->luo_ok)
		return s;
	/* a raw root carries one string for what the FDT's nodes version */
	if (p->luo_form == LUOC_LUO_RAW && (t->raw_match & (1u << k)))
		s |= M_SESS | M_FLB;
	if (p->luo_form == LUOC_LUO_FDT && !t->raw) {
		if (!strcmp(t->sess, p->sess_compat))
			s |= M_SESS;
		if (t->flb == (p->flb_node != NULL))
			s |= M_FLB;
	}
	/* handlers: none seen, or this profile's string among those seen */
	if (!t->memfd_seen || (t->memfd_seen & (1u << k)))
		s |= M_HNDL;
	return s;
}

/* A given profile that matches as well as the best one: nothing to note. */
static bool given_ties(const struct luoc_config *cfg, const struct tuple *t, unsigned int bs)
{
	unsigned int k;

	for (k = 0; k < n_masked(); k++)
		if (cfg->profile == &luoc_profiles[k])
			return score(t, k) == bs;
	return false;
}

static void reason(char *buf, size_t len, const struct tuple *t, const struct luoc_profile *p,
		   unsigned int s)
{
	const char *hn = "";
	unsigned int k;

	for (k = 0; k < n_masked(); k++)
		if ((t->memfd_seen & (1u << k)) && luoc_profiles[k].memfd)
			hn = luoc_profiles[k].memfd->compat;
	if (t->bare && !t->raw)
		luoc_snprintf(buf, len, "bare LUO FDT, %s, /%s %s: %s%s%s%s%s",
			      t->sess[0] ? t->sess : "no session node",
			      luoc_flb_node_name() ? luoc_flb_node_name() : "flb",
			      t->flb ? "present" : "absent", p->name,
			      s == M_ALL ? "" : " (closest; differs in",
			      s & M_SESS ? "" : " session",
			      s & M_FLB ? "" : " flb", s == M_ALL ? "" : ")");
	else if (t->kho_only)
		luoc_snprintf(buf, len, "bare %s root: %s%s", t->kho[0] ? t->kho : "unknown", p->name,
			      s & M_KHO ? "" : " (closest; the KHO root string is unknown)");
	else if (!t->have_luo)
		luoc_snprintf(buf, len, "%s root, no LUO sub-node: %s%s", t->kho[0] ? t->kho : "unknown",
			      p->name, s & M_KHO ? "" : " (closest; the KHO root string is unknown)");
	else if (t->raw)
		luoc_snprintf(buf, len, "%s%s, luo_ser \"%s\"%s%s: %s%s%s%s%s",
			      t->bare ? "bare" : t->kho[0] ? t->kho : "unknown",
			      t->bare ? "" : " root", t->luo, hn[0] ? ", handler " : "", hn,
			      p->name, s == M_ALL ? "" : " (closest; differs in",
			      s & M_KHO ? "" : " kho",
			      s & M_SESS ? "" : " luo",
			      s == M_ALL ? "" : (s & M_HNDL ? ")" : " handler)"));
	else
		luoc_snprintf(buf, len, "%s root, %s, /%s %s%s%s: %s%s%s%s%s%s",
			      t->kho[0] ? t->kho : "unknown", t->sess[0] ? t->sess : "no session node",
			      luoc_flb_node_name() ? luoc_flb_node_name() : "flb",
			      t->flb ? "present" : "absent", hn[0] ? ", handler " : "", hn, p->name,
			      s == M_ALL ? "" : " (closest; differs in",
			      s & M_KHO ? "" : " kho",
			      s & M_SESS ? "" : " session",
			      s & M_FLB ? "" : " flb",
			      s == M_ALL ? "" : (s & M_HNDL ? ")" : " handler)"));
}

/* What the tuple says, read from the input of c (quiet, c->p the newest). */
static const struct luoc_profile *detect(struct luoc_ctx *c, char *buf, size_t len, bool guess,
					 unsigned int *scorep)
{
	const struct luoc_loc loc = { .kind = LK_KHO_ROOT };
	const struct luoc_config *cfg = c->cfg;
	struct tuple t;
	const void *fdt;
	unsigned int k, best = 0, bs = 0;
	uint64_t luo = 0;

	__builtin_memset(&t, 0, sizeof(t));
	if (cfg->input == LUOC_INPUT_LUO_FDT) {
		t.bare = t.have_luo = true;
		luo = cfg->kho_root;
	} else if (luoc_fdt_open(c, &loc, R_KHO_001, cfg->kho_root,
				 cfg->kho_root_size ? cfg->kho_root_size : c->ps, &fdt)) {
		luoc_snprintf(buf, len, "KHO root FDT at 0x%llx unreadable",
			      (unsigned long long)cfg->kho_root);
		return guess ? c->p : NULL;
	} else {
		first_string(fdt, 0, t.kho, sizeof(t.kho));
		/* a bare KHO root: the LUO blob it names is not in the input */
		t.have_luo = luo_addr(c, fdt, &luo) && !c->bare;
		t.kho_only = c->bare;
	}
	if (t.have_luo)
		read_luo(c, luo, &t);
	if (t.have_luo && !t.luo_ok && !guess) {
		luoc_snprintf(buf, len, "%s root, LUO FDT at 0x%llx unreadable", t.kho,
			      (unsigned long long)luo);
		return NULL;
	}
	for (k = 0; k < n_masked(); k++) {
		unsigned int s = score(&t, k);

		if (s >= bs) {
			bs = s;
			best = k;
		}
	}
	reason(buf, len, &t, &luoc_profiles[best], bs);
	if (scorep)
		*scorep = given_ties(cfg, &t, bs) ? 0 : t.have_luo ? bs : (bs & M_KHO ? M_ALL : 0);
	return &luoc_profiles[best];
}

/* Not inlined: its frame is the detection's, apart from the context's. */
__attribute__((__noinline__))	/* (the kernel defines "noinline" as a macro) */
const struct luoc_profile *luoc_detect_ctx(struct luoc_ctx *c, char *buf, size_t len,
					   bool guess, unsigned int *scorep)
{
	const struct luoc_profile *p = c->p, *found;
	const struct luoc_ws ws = c->ws;	/* the FDT copies detection makes go */
	enum luoc_stage stage = c->stage;
	bool quiet = c->quiet;

	c->quiet = true;
	c->p = &luoc_profiles[luoc_n_profiles - 1];
	found = detect(c, buf, len, guess, scorep);
	c->p = p;
	c->quiet = quiet;
	c->stage = stage;
	c->ws = ws;
	return found;
}

const struct luoc_profile *luoc_detect_buf(const struct luoc_config *cfg,
					   const struct luoc_mem *mem,
					   char *buf, size_t len, bool guess, unsigned int *scorep)
{
	struct luoc_result res;
	struct luoc_ctx c;

	luoc_ctx_init(&c, cfg, mem, NULL, &res);
	return luoc_detect_ctx(&c, buf, len, guess, scorep);
}

const struct luoc_profile *luoc_detect_r(const struct luoc_config *cfg,
					 const struct luoc_mem *mem, char *buf, size_t len)
{
	if (luoc_cfg_check(cfg, mem) || !buf || !len)
		return NULL;
	return luoc_detect_buf(cfg, mem, buf, len, false, NULL);
}

const struct luoc_profile *luoc_detect(const struct luoc_config *cfg,
				       const struct luoc_mem *mem,
				       const char **why)
{
	char buf[LUOC_REASON_MAX];
	const struct luoc_profile *p;
	unsigned int s = 0;

	if (luoc_cfg_check(cfg, mem)) {
		if (why)
			*why = "bad configuration";
		return NULL;
	}
	p = luoc_detect_buf(cfg, mem, buf, sizeof(buf), false, &s);
	if (why)	/* static text; luoc_detect_r() names the strings seen */
		*why = !p ? "KHO root or LUO FDT unreadable" :
		       s == M_ALL ? "every component string of the state matches this profile" :
		       "closest profile: some component strings of the state differ";
	return p;
}
