// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * rn_check.c - run the checker core (libluoconform) on a state image a
 * producer wrote, and keep what a test report needs: the IDs of the
 * violated requirements and the first error in words.
 */
#include <stdlib.h>
#include <string.h>

#include "rn.h"
#include "luoc_image.h"

static void add_req(struct rn_check *c, const char *req)
{
	size_t len = strlen(c->reqs);

	if (rn_check_has(c, req) || len + strlen(req) + 2 >= sizeof(c->reqs))
		return;
	snprintf(c->reqs + len, sizeof(c->reqs) - len, "%s%s", len ? "," : "", req);
}

bool rn_check_has(const struct rn_check *c, const char *req)
{
	const char *p = c->reqs;
	size_t n = strlen(req);

	while ((p = strstr(p, req))) {
		if ((p == c->reqs || p[-1] == ',') && (p[n] == ',' || !p[n]))
			return true;
		p += n;
	}
	return false;
}

static void on_finding(void *ctx, const struct luoc_finding *f)
{
	struct rn_check *c = ctx;

	if (f->severity == LUOC_SEV_WARNING)
		c->warnings++;
	if (f->severity != LUOC_SEV_ERROR)
		return;
	c->errors++;
	add_req(c, f->req);
	if (!c->first[0])
		snprintf(c->first, sizeof(c->first), "%s at %s: %s", f->req,
			 f->where ? f->where : "?", f->msg ? f->msg : "");
}

void rn_check_image(const char *path, const struct luoc_profile *p, struct rn_check *c)
{
	struct luoc_image *img = NULL;
	const struct luoc_image_info *info;
	struct luoc_config cfg = { 0 };
	struct luoc_mem mem;
	struct luoc_visitor vis = { .finding = on_finding, .ctx = c };
	struct luoc_result res;
	uint64_t ov;
	int ret;

	memset(c, 0, sizeof(*c));
	ret = luoc_image_open(path, &img, c->error, sizeof(c->error));
	if (ret)
		return;
	info = luoc_image_info(img);
	if (!info->has_note) {
		snprintf(c->error, sizeof(c->error), "the image has no LUO note");
		goto out;
	}
	cfg.profile = p;
	cfg.kho_root = info->kho_root;
	cfg.kho_root_size = info->kho_root_size;
	cfg.page_size = info->page_size;
	cfg.big_endian = info->big_endian;
	cfg.workspace_size = luoc_workspace_hint(info->mem_bytes);
	cfg.workspace = malloc(cfg.workspace_size);
	if (!cfg.workspace) {
		snprintf(c->error, sizeof(c->error), "out of memory");
		goto out;
	}
	mem.map = luoc_image_map;
	mem.ctx = img;
	ret = luoc_check(&cfg, &mem, &vis, &res);
	free(cfg.workspace);
	if (ret) {
		snprintf(c->error, sizeof(c->error), "checker: %s", luoc_strerror(ret));
		goto out;
	}
	c->ran = true;
	c->outcome = res.outcome;
	/* the image container is part of what a producer writes (LUO-IMG-004) */
	if (luoc_image_overlap(img, &ov) >= 0) {
		c->errors++;
		add_req(c, "LUO-IMG-004");
	}
out:
	luoc_image_close(img);
}
