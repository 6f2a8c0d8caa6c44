// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * check_image.c - check one state image: open it, derive the checker
 * configuration from its LUO note (or the options), choose the profile,
 * run the core, and keep what it reports.  A bare FDT goes to
 * check_fdt.c instead.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "conform.h"

struct cf_run {
	const struct cf_opts *o;
	struct cf_report *r;
	struct cf_ws *ws;
	struct luoc_image *img;
	const struct luoc_image_info *info;
	struct luoc_config cfg;
	struct luoc_mem mem;
};

/*
 * The workspace, kept from one image to the next: a fresh buffer per
 * image cost a heap grow and trim and new zero pages each time, more than
 * checking a small image.  The core needs no zeroed memory.
 */
static bool ws_get(struct cf_ws *ws, size_t size)
{
	if (size <= ws->size)
		return true;
	free(ws->buf);
	ws->buf = malloc(size);
	ws->size = ws->buf ? size : 0;
	return ws->buf != NULL;
}

void cf_ws_free(struct cf_ws *ws)
{
	free(ws->buf);
	ws->buf = NULL;
	ws->size = 0;
}

/* The input cannot be checked: exit status 2, one line on stderr. */
void cf_fail(struct cf_report *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->error, sizeof(r->error), fmt, ap);
	va_end(ap);
	r->status = CF_FAILED;
	r->conformant = false;
	fprintf(stderr, "luo-conform: %s: %s\n", r->path, r->error);
}

static bool valid_page_size(uint64_t ps)
{
	return ps == 4096 || ps == 16384 || ps == 65536;
}

/* LUO-IMG-002: the note, or the options standing in for it. */
static bool make_config(struct cf_run *c)
{
	const struct luoc_image_info *i = c->info;

	if (!c->o->have_root && !i->has_note) {
		cf_fail(c->r, "no LUO note in the image and no --kho-root (LUO-IMG-002)");
		return false;
	}
	if (i->has_note && i->flags) {
		cf_fail(c->r, "LUO note flags are 0x%x, not 0 (LUO-IMG-002)", i->flags);
		return false;
	}
	if (!c->o->have_page_size && i->has_note && !valid_page_size(i->page_size)) {
		cf_fail(c->r, "LUO note page size %u is not 4096, 16384 or 65536 (LUO-IMG-002)",
		     i->page_size);
		return false;
	}
	c->cfg.kho_root = c->o->have_root ? c->o->kho_root : i->kho_root;
	c->cfg.page_size = c->o->have_page_size ? c->o->page_size :
			   i->has_note ? i->page_size : 4096;
	c->cfg.kho_root_size = i->has_note ? i->kho_root_size : 0;
	c->cfg.big_endian = i->big_endian;
	return true;
}

static bool choose_profile(struct cf_run *c)
{
	const char *name = c->o->profile, *why = "--profile";
	char text[LUOC_REASON_MAX] = "";

	if (!name && c->info->profile[0]) {
		name = c->info->profile;
		why = "named by the image's LUO note";
	}
	if (name) {
		c->cfg.profile = luoc_profile_find(name);
		if (!c->cfg.profile) {
			cf_fail(c->r, "the LUO note names unknown profile '%s' (LUO-IMG-002)", name);
			return false;
		}
		snprintf(c->r->reason, sizeof(c->r->reason), "%s", why);
		return true;
	}
	c->cfg.profile = luoc_detect_r(&c->cfg, &c->mem, text, sizeof(text));
	snprintf(c->r->reason, sizeof(c->r->reason), "%s%s",
		 c->cfg.profile ? "detected: " : "detection failed: ", text[0] ? text : "no reason given");
	return true;
}

/* LUO-IMG-004 is a property of the container, so the CLI reports it. */
static void check_overlap(struct cf_run *c)
{
	struct luoc_finding f = {
		.req = "LUO-IMG-004", .severity = LUOC_SEV_ERROR, .code = -LUOC_EOVERLAP,
		.where = "image",
	};
	char msg[128];
	int i = luoc_image_overlap(c->img, &f.phys);

	if (i < 0)
		return;
	snprintf(msg, sizeof(msg), "PT_LOAD segments overlap in physical memory at 0x%llx",
		 (unsigned long long)f.phys);
	f.msg = msg;
	cf_report_add(c->r, &f);
	c->r->res.errors++;
}

static void finding_cb(void *ctx, const struct luoc_finding *f)
{
	cf_report_add(ctx, f);
}

/* The state visitor collects into r->state, fresh for each pass. */
static void state_reset(struct cf_report *r, struct luoc_visitor *v)
{
	if (r->state) {
		cf_state_free(r->state);
		free(r->state);
	}
	r->state = calloc(1, sizeof(*r->state));
	if (r->state)
		cf_state_visitor(v);
}

int cf_core_pass(const struct cf_opts *o, struct cf_report *r, struct cf_ws *ws,
		 struct luoc_config *cfg, const struct luoc_mem *mem, size_t wsz)
{
	struct luoc_visitor v = { .finding = finding_cb, .ctx = r };

	cf_report_clear(r);
	if (o->state)
		state_reset(r, &v);
	if (o->progress)
		v.progress = cf_progress;
	cfg->workspace = wsz && ws_get(ws, wsz) ? ws->buf : NULL;
	cfg->workspace_size = cfg->workspace ? wsz : 0;
	return luoc_check(cfg, mem, &v, &r->res);
}

/*
 * Workspace sized from the metadata (the bytes the image stores); only a
 * state that needs more, to locate overlapping folios, is checked again
 * with the room any state in the image's memory can need.
 */
static void run_core(struct cf_run *c)
{
	size_t full = luoc_workspace_hint(c->info->mem_bytes);
	size_t ws = luoc_workspace_hint_meta(c->info->file_bytes, c->info->mem_bytes);
	int ret = cf_core_pass(c->o, c->r, c->ws, &c->cfg, &c->mem, ws);

	/* no room for the second pass: the first one's findings stand */
	if (!ret && c->r->ws_short && ws < full && ws_get(c->ws, full))
		ret = cf_core_pass(c->o, c->r, c->ws, &c->cfg, &c->mem, full);
	if (c->o->progress)
		cf_progress_done(c->r->path);
	if (ret) {
		cf_fail(c->r, "the checker refused the configuration: %s", luoc_strerror(ret));
		return;
	}
	if (c->r->state)
		cf_digest_memfds(c->r->state, c->img, c->cfg.page_size);
}

void cf_verdict(const struct cf_opts *o, struct cf_report *r, const struct luoc_config *cfg)
{
	const struct luoc_result *res = &r->res;

	r->profile = res->profile ? res->profile->name :
		     cfg->profile ? cfg->profile->name : NULL;
	r->conformant = !res->errors && !(o->werror && res->warnings);
}

void cf_check_image(const struct cf_opts *o, const char *path, struct cf_report *r,
		    struct cf_ws *ws)
{
	struct cf_run c = { .o = o, .r = r, .ws = ws };
	char err[256] = "";
	int ret;

	if (cf_check_fdt(o, path, r, ws))
		return;
	r->path = path;
	r->status = CF_CHECKED;
	ret = luoc_image_open(path, &c.img, err, sizeof(err));
	if (ret) {
		/* -EINVAL: the file is there but is no state image */
		cf_fail(r, "%s%s", err[0] ? err : "cannot open the image",
		     ret == -EINVAL ? " (LUO-IMG-001)" : "");
		return;
	}
	c.info = luoc_image_info(c.img);
	c.mem.map = luoc_image_map;
	c.mem.ctx = c.img;
	if (make_config(&c) && choose_profile(&c)) {
		run_core(&c);
		if (r->status == CF_CHECKED) {
			check_overlap(&c);
			cf_verdict(o, r, &c.cfg);
		}
	}
	luoc_image_close(c.img);
}
