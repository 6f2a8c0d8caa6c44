// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * fz_common.c - memory runs, the checking visitor and the KHO root
 * builder shared by the fuzz targets (see fz.h).
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libfdt.h>
#include <sys/mman.h>

#include "fz.h"

void fz_fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("fuzz: broken promise: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	abort();
}

/* ---- memory ---------------------------------------------------------------- */

/*
 * FZ_MAX_BYTES of zeros, read-only, followed by an inaccessible guard
 * page, mapped once.  A zero run is the tail of it: a mutated record may
 * ask for megabytes of zeros, and a fresh calloc, its page faults and
 * hashing it after the check cost more than the check itself.  Writes
 * fault (read-only) and so do reads past the run's end (the guard).
 */
static const uint8_t *zero_view(uint64_t len)
{
	static uint8_t *base;
	const size_t guard = 65536;	/* at least a page of any host */

	if (!base) {
		void *p = mmap(NULL, FZ_MAX_BYTES + guard, PROT_READ,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

		if (p == MAP_FAILED || mprotect((uint8_t *)p + FZ_MAX_BYTES, guard, PROT_NONE))
			fz_fail("cannot map the zero view");
		base = p;
	}
	return base + FZ_MAX_BYTES - len;
}

int fz_mem_add(struct fz_mem *m, uint64_t phys, const void *data, uint64_t len)
{
	struct fz_run *r;
	uint64_t end;

	if (!len || m->n == FZ_MAX_RUNS || __builtin_add_overflow(phys, len, &end) ||
	    len > FZ_MAX_BYTES - m->bytes)
		return -1;
	r = &m->run[m->n];
	r->zero = !data;
	r->buf = data ? malloc(len) : (uint8_t *)zero_view(len);
	if (!r->buf)
		return -1;
	if (data)
		memcpy(r->buf, data, len);
	r->phys = phys;
	r->len = len;
	m->bytes += len;
	m->n++;
	return 0;
}

int fz_mem_seal(struct fz_mem *m)
{
	unsigned int i, j, out = 0;

	/* insertion sort (stable, n small); where runs overlap, the later-sorted one wins */
	for (i = 1; i < m->n; i++) {
		struct fz_run r = m->run[i];

		for (j = i; j > 0 && m->run[j - 1].phys > r.phys; j--)
			m->run[j] = m->run[j - 1];
		m->run[j] = r;
	}
	for (i = 0; i < m->n; i = j) {
		uint64_t start = m->run[i].phys, end = start + m->run[i].len;
		struct fz_run merged;

		for (j = i + 1; j < m->n && m->run[j].phys <= end; j++)
			if (m->run[j].phys + m->run[j].len > end)
				end = m->run[j].phys + m->run[j].len;
		if (j == i + 1) {
			m->run[out++] = m->run[i];
			continue;
		}
		merged.phys = start;
		merged.len = end - start;
		merged.zero = true;
		for (unsigned int k = i; k < j; k++)
			merged.zero &= m->run[k].zero;
		if (merged.zero) {
			merged.buf = (uint8_t *)zero_view(merged.len);
			m->run[out++] = merged;
			continue;
		}
		merged.buf = calloc(1, merged.len);
		if (!merged.buf)
			return -1;
		for (unsigned int k = i; k < j; k++) {
			memcpy(merged.buf + (m->run[k].phys - start), m->run[k].buf, m->run[k].len);
			if (!m->run[k].zero)
				free(m->run[k].buf);
		}
		m->run[out++] = merged;
	}
	m->n = out;
	return 0;
}

void fz_mem_free(struct fz_mem *m)
{
	unsigned int i;

	for (i = 0; i < m->n; i++)
		if (!m->run[i].zero)
			free(m->run[i].buf);
	m->n = 0;
	m->bytes = 0;
}

const void *fz_mem_map(void *ctx, uint64_t phys, uint64_t len)
{
	const struct fz_mem *m = ctx;
	unsigned int lo = 0, hi = m->n;

	/* the last run starting at or below phys (runs are sorted, disjoint) */
	while (lo < hi) {
		unsigned int mid = (lo + hi) / 2;

		if (m->run[mid].phys <= phys)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return NULL;
	lo--;
	if (phys - m->run[lo].phys > m->run[lo].len ||
	    len > m->run[lo].len - (phys - m->run[lo].phys))
		return NULL;
	return m->run[lo].buf + (phys - m->run[lo].phys);
}

/*
 * Not instrumented: coverage callbacks on every word would cost more than
 * the check.  Zero runs are left out: they are read-only, a write faults.
 */
__attribute__((no_sanitize("coverage")))
static uint64_t mem_hash(const struct fz_mem *m)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	unsigned int i;

	for (i = 0; i < m->n; i++) {
		const uint8_t *b = m->run[i].buf;
		uint64_t k, w;

		if (m->run[i].zero)
			continue;

		for (k = 0; k + 8 <= m->run[i].len; k += 8) {
			memcpy(&w, b + k, 8);
			h = (h ^ w) * 0x100000001b3ULL;
		}
		for (; k < m->run[i].len; k++)
			h = (h ^ b[k]) * 0x100000001b3ULL;
	}
	return h;
}

/* ---- the checking visitor ------------------------------------------------------- */

struct fz_seen {
	unsigned int findings, sessions, files, flbs;
	uint64_t folios;
};

static void bounded(const char *s, size_t max, const char *what)
{
	if (!s)
		fz_fail("%s is NULL", what);
	if (strnlen(s, max) == max)
		fz_fail("%s is longer than %zu bytes", what, max - 1);
}

static void on_finding(void *ctx, const struct luoc_finding *f)
{
	struct fz_seen *s = ctx;

	bounded(f->req, 24, "finding req");
	if (strncmp(f->req, "LUO-", 4))
		fz_fail("finding req '%s' is not a requirement ID", f->req);
	bounded(f->where, 96, "finding where");
	bounded(f->msg, 256, "finding msg");
	if ((unsigned int)f->severity > LUOC_SEV_NOTE)
		fz_fail("finding severity %d", (int)f->severity);
	if (f->code >= 0 || f->code < -LUOC_EINVAL)
		fz_fail("finding code %d", f->code);
	s->findings++;
}

static void on_session(void *ctx, uint32_t idx, const char *name, uint64_t nr_files)
{
	struct fz_seen *s = ctx;

	(void)nr_files;
	bounded(name, 65, "session name");
	if (idx != s->sessions)
		fz_fail("session %u reported as %u", s->sessions, idx);
	s->sessions++;
}

static void on_file(void *ctx, uint32_t sidx, uint32_t fidx, const char *compat,
		    uint64_t token, uint64_t data)
{
	struct fz_seen *s = ctx;

	(void)sidx; (void)fidx; (void)token; (void)data;
	bounded(compat, 65, "file compatible");
	s->files++;
}

static void on_memfd(void *ctx, uint32_t sidx, uint32_t fidx, const struct luoc_memfd_info *info)
{
	(void)ctx; (void)sidx; (void)fidx;
	if (!info)
		fz_fail("memfd info is NULL");
}

static void on_folio(void *ctx, uint32_t sidx, uint32_t fidx, uint64_t index, uint64_t phys,
		     uint64_t bytes, uint32_t flags)
{
	struct fz_seen *s = ctx;

	(void)sidx; (void)fidx; (void)index; (void)phys; (void)flags;
	if (!bytes || (bytes & (bytes - 1)))
		fz_fail("folio of %llu bytes", (unsigned long long)bytes);
	s->folios++;
}

static void on_flb(void *ctx, uint32_t idx, const char *name, uint64_t data, uint64_t count)
{
	struct fz_seen *s = ctx;

	(void)data; (void)count;
	bounded(name, 65, "FLB name");
	if (idx != s->flbs)
		fz_fail("FLB %u reported as %u", s->flbs, idx);
	s->flbs++;
}

static void on_progress(void *ctx, uint64_t done, uint64_t total)
{
	(void)ctx;
	if (done > total)
		fz_fail("progress %llu of %llu", (unsigned long long)done, (unsigned long long)total);
}

/*
 * The workspace: an allocation of exactly the size asked for (so ASan
 * sees a write past it).  Hinted sizes are rounded up to a power of two
 * and each size's buffer is kept: a fresh megabyte per input costs an
 * mmap and page faults, most of the time of a small input.
 */
static void *ws_get(size_t size, bool *keep)
{
	static void *cache[64];
	unsigned int k;

	*keep = size && !(size & (size - 1));
	if (!*keep)
		return size ? malloc(size) : NULL;
	k = (unsigned int)__builtin_ctzll(size);
	if (!cache[k])
		cache[k] = malloc(size);
	return cache[k];
}

static size_t pow2_at_least(size_t v)
{
	size_t p = 1;

	while (p < v && p << 1)
		p <<= 1;
	return p < v ? v : p;
}

unsigned int fz_check_mem(const struct luoc_config *cfg_in, const struct luoc_mem *mem,
			  uint64_t bytes, size_t ws_size)
{
	struct fz_seen seen = { 0 };
	const struct luoc_visitor vis = {
		.finding = on_finding, .session = on_session, .file = on_file,
		.memfd = on_memfd, .folio = on_folio, .flb = on_flb,
		.progress = on_progress, .ctx = &seen,
	};
	struct luoc_config cfg = *cfg_in;
	struct luoc_result res;
	char why[LUOC_REASON_MAX];
	bool keep;
	void *ws;
	int rc;

	if (ws_size == (size_t)-1)
		ws_size = pow2_at_least(luoc_workspace_hint(bytes));
	ws = ws_get(ws_size, &keep);
	cfg.workspace = ws;
	cfg.workspace_size = ws ? ws_size : 0;
	rc = luoc_check(&cfg, mem, &vis, &res);
	if (rc)
		fz_fail("luoc_check returned %d for a valid configuration", rc);
	if (res.errors + res.warnings + res.notes != seen.findings)
		fz_fail("result counts %u findings, the visitor saw %u",
			res.errors + res.warnings + res.notes, seen.findings);
	if (res.sessions != seen.sessions || res.files != seen.files || res.flbs != seen.flbs ||
	    res.folios != seen.folios)
		fz_fail("result counts differ from the visitor's");
	if (!res.profile || !res.detect_reason)
		fz_fail("no profile or detection reason in the result");
	bounded(res.detect_reason, LUOC_REASON_MAX, "detect reason");
	if (!strcmp(luoc_outcome_name(res.outcome), "?"))
		fz_fail("outcome %d has no name", (int)res.outcome);
	/* detection on its own, as luo-conform runs it */
	if (luoc_detect_r(&cfg, mem, why, sizeof(why)))
		bounded(why, sizeof(why), "detect_r reason");
	if (!keep)
		free(ws);
	return res.errors;
}

unsigned int fz_check(const struct luoc_config *cfg, struct fz_mem *m, size_t ws_size)
{
	const struct luoc_mem mem = { .map = fz_mem_map, .ctx = m };
	uint64_t before = mem_hash(m);
	unsigned int errors = fz_check_mem(cfg, &mem, m->bytes, ws_size);

	if (mem_hash(m) != before)
		fz_fail("the checker wrote to the state it checked");
	return errors;
}

/* ---- a KHO root for the LUO FDT target -------------------------------------------- */

int fz_kho_root(const struct luoc_profile *p, void *buf, int size, uint64_t luo_phys,
		uint64_t blob_size)
{
	uint64_t zero = 0;
	int err = 0;

	/* u64 properties in the writer's (here: the host's) byte order */
	err |= fdt_create(buf, size);
	err |= fdt_finish_reservemap(buf);
	err |= fdt_begin_node(buf, "");
	err |= fdt_property_string(buf, "compatible", p->kho_compat);
	err |= fdt_property(buf, p->kho_map_prop, &zero, 8);
	err |= fdt_begin_node(buf, p->luo_entry);
	err |= fdt_property(buf, p->kho_sub_addr_prop, &luo_phys, 8);
	if (p->kho_sub_size_prop)
		err |= fdt_property(buf, p->kho_sub_size_prop, &blob_size, 8);
	err |= fdt_end_node(buf);
	err |= fdt_end_node(buf);
	err |= fdt_finish(buf);
	return err ? -1 : 0;
}
