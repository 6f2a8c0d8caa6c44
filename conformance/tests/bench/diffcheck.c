// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * diffcheck.c - print everything luoc_check() reports on a state image,
 * one line per finding and per folio, then the counts.
 *
 *   diffcheck [--folios] IMAGE...
 *
 * The workspace is luoc_workspace_hint()'s size, or LUOC_DIFFCHECK_WS
 * bytes (a small one sends the folio check down its fallback paths).
 * Built twice by tests.mk: against the core as it is, and against the core
 * compiled with LUOC_FOLIO_FAST_OFF (every folio entry checked one by one).
 * test_bench.sh damages generated images in many ways and requires the two
 * outputs to be identical: the folio fast path must not change a finding,
 * a location, a folio the visitor sees, or a count.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "luoc/luoc.h"
#include "luoc_image.h"

static void on_finding(void *ctx, const struct luoc_finding *f)
{
	(void)ctx;
	printf("finding %s %d %d 0x%llx %s: %s\n", f->req, f->severity, f->code,
	       (unsigned long long)f->phys, f->where, f->msg);
}

static void on_folio(void *ctx, uint32_t s, uint32_t f, uint64_t index, uint64_t phys,
		     uint64_t bytes, uint32_t flags)
{
	(void)ctx;
	printf("folio %u %u %llu 0x%llx %llu %u\n", s, f, (unsigned long long)index,
	       (unsigned long long)phys, (unsigned long long)bytes, flags);
}

static int check(const char *path, bool folios)
{
	struct luoc_visitor v = { .finding = on_finding, .folio = folios ? on_folio : NULL };
	const struct luoc_image_info *in;
	struct luoc_config cfg;
	struct luoc_result res;
	struct luoc_image *img;
	struct luoc_mem mem;
	const char *ws;
	char err[256];
	int rc;

	if (luoc_image_open(path, &img, err, sizeof(err))) {
		fprintf(stderr, "diffcheck: %s: %s\n", path, err);
		return 2;
	}
	in = luoc_image_info(img);
	memset(&cfg, 0, sizeof(cfg));
	cfg.profile = luoc_profile_find(in->profile);
	cfg.kho_root = in->kho_root;
	cfg.kho_root_size = in->kho_root_size;
	cfg.page_size = in->page_size;
	cfg.big_endian = in->big_endian;
	ws = getenv("LUOC_DIFFCHECK_WS");
	cfg.workspace_size = ws && *ws ? strtoull(ws, NULL, 0) : luoc_workspace_hint(in->mem_bytes);
	cfg.workspace = malloc(cfg.workspace_size);
	mem.map = luoc_image_map;
	mem.ctx = img;
	rc = luoc_check(&cfg, &mem, &v, &res);
	printf("result %s rc %d: %u errors, %u warnings, %u notes, %u sessions, %u files, "
	       "%llu folios, outcome %s\n", path, rc, res.errors, res.warnings, res.notes,
	       res.sessions, res.files, (unsigned long long)res.folios,
	       luoc_outcome_name(res.outcome));
	free(cfg.workspace);
	luoc_image_close(img);
	return rc ? 1 : 0;
}

int main(int argc, char **argv)
{
	bool folios = argc > 1 && !strcmp(argv[1], "--folios");
	int i, bad = 0;

	for (i = folios ? 2 : 1; i < argc; i++)
		bad |= check(argv[i], folios);
	return bad;
}
