// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * kmod_check.c - check one state image with the core and print it as one
 * KTAP test, line for line what "luo-conform check --format=ktap" prints
 * for the same image (conformance/cli: check_image.c, output_ktap.c):
 *
 *   # profile P (REASON); incoming kernel: OUTCOME
 *   # SEVERITY: REQ at WHERE (0xPHYS): MESSAGE      (one per finding)
 *   ok|not ok N NAME
 *
 * The profile line comes first but needs the outcome of the whole check,
 * and the core keeps no findings; so the core runs twice over the same
 * read-only bytes: once for the result, once streaming the findings.  The
 * core is deterministic, so both runs see the same state.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/printk.h>
#include <linux/slab.h>

#include "kmod.h"
#include "luoc/luoc.h"

struct kcheck {
	struct kimg img;
	struct luoc_config cfg;
	struct luoc_mem mem;
	struct luoc_result res;
	char error[320];		/* set: the image cannot be checked */
	char reason[LUOC_REASON_MAX + 32];
};

static const char *sev_name(enum luoc_severity s)
{
	switch (s) {
	case LUOC_SEV_ERROR: return "error";
	case LUOC_SEV_WARNING: return "warning";
	case LUOC_SEV_NOTE: return "note";
	}
	return "unknown";
}

static void print_finding(void *ctx, const struct luoc_finding *f)
{
	char phys[24] = "";

	if (f->phys != LUOC_NO_PHYS)
		snprintf(phys, sizeof(phys), " (0x%llx)", f->phys);
	pr_info("# %s: %s%s%s%s: %s\n", sev_name(f->severity), f->req ? f->req : "",
		f->where && f->where[0] ? " at " : "", f->where ? f->where : "", phys,
		f->msg ? f->msg : "");
}

static bool valid_page_size(u64 ps)
{
	return ps == 4096 || ps == 16384 || ps == 65536;
}

/* LUO-IMG-002: the checker configuration comes from the note. */
static bool make_config(struct kcheck *k)
{
	const struct kimg_note *n = &k->img.note;

	if (!n->present) {
		snprintf(k->error, sizeof(k->error),
			 "no LUO note in the image and no --kho-root (LUO-IMG-002)");
		return false;
	}
	if (n->flags) {
		snprintf(k->error, sizeof(k->error), "LUO note flags are 0x%x, not 0 (LUO-IMG-002)",
			 n->flags);
		return false;
	}
	if (!valid_page_size(n->page_size)) {
		snprintf(k->error, sizeof(k->error),
			 "LUO note page size %u is not 4096, 16384 or 65536 (LUO-IMG-002)",
			 n->page_size);
		return false;
	}
	k->cfg.kho_root = n->kho_root;
	k->cfg.kho_root_size = n->kho_root_size;
	k->cfg.page_size = n->page_size;
	k->cfg.big_endian = k->img.big_endian;
	return true;
}

/* The note's profile, else detection (workspace not yet set, as in the CLI). */
static bool choose_profile(struct kcheck *k)
{
	const char *name = k->img.note.profile;
	char text[LUOC_REASON_MAX] = "";

	if (name[0]) {
		k->cfg.profile = luoc_profile_find(name);
		if (!k->cfg.profile) {
			snprintf(k->error, sizeof(k->error),
				 "the LUO note names unknown profile '%s' (LUO-IMG-002)", name);
			return false;
		}
		snprintf(k->reason, sizeof(k->reason), "named by the image's LUO note");
		return true;
	}
	k->cfg.profile = luoc_detect_r(&k->cfg, &k->mem, text, sizeof(text));
	snprintf(k->reason, sizeof(k->reason), "%s%s",
		 k->cfg.profile ? "detected: " : "detection failed: ",
		 text[0] ? text : "no reason given");
	return true;
}

static bool run_core(struct kcheck *k)
{
	const struct luoc_visitor quiet = { 0 };
	const struct luoc_visitor loud = { .finding = print_finding };
	const struct luoc_profile *p;
	size_t ws = luoc_workspace_hint(k->img.mem_bytes);
	int ret;

	k->cfg.workspace = ws ? kvmalloc(ws, GFP_KERNEL) : NULL;
	k->cfg.workspace_size = k->cfg.workspace ? ws : 0;
	ret = luoc_check(&k->cfg, &k->mem, &quiet, &k->res);
	if (ret) {
		snprintf(k->error, sizeof(k->error),
			 "the checker refused the configuration: %s", luoc_strerror(ret));
	} else {
		p = k->res.profile ? k->res.profile : k->cfg.profile;
		pr_info("# profile %s (%s); incoming kernel: %s\n", p ? p->name : "none",
			k->reason, luoc_outcome_name(k->res.outcome));
		luoc_check(&k->cfg, &k->mem, &loud, &k->res);
	}
	kvfree(k->cfg.workspace);
	return !ret;
}

/* LUO-IMG-004 is a property of the container: reported after the core's. */
static void check_overlap(struct kcheck *k)
{
	const struct luoc_finding f = {
		.req = "LUO-IMG-004", .severity = LUOC_SEV_ERROR, .code = -LUOC_EOVERLAP,
		.where = "image", .phys = k->img.overlap_phys,
		.msg = "PT_LOAD segments overlap in physical memory at",
	};

	if (k->img.overlap_idx < 0)
		return;
	pr_info("# %s: %s at %s (0x%llx): %s 0x%llx\n", sev_name(f.severity), f.req, f.where,
		f.phys, f.msg, f.phys);
	k->res.errors++;
}

/* KTAP test names end at '#' (a directive) and at the line end. */
static void print_result(bool ok, unsigned int num, const char *name)
{
	char *s = kstrdup(name, GFP_KERNEL), *c;

	if (s)
		for (c = s; *c; c++)
			if (*c == '#' || *c == '\n' || *c == '\r')
				*c = '_';
	pr_info("%s %u %s\n", ok ? "ok" : "not ok", num, s ? s : "?");
	kfree(s);
}

void kmod_report_failed(const char *name, unsigned int num, const char *error)
{
	pr_info("# error: %s\n", error);
	print_result(false, num, name);
}

bool kmod_check_image(const char *name, const u8 *data, size_t size, unsigned int num)
{
	struct kcheck *k = kzalloc(sizeof(*k), GFP_KERNEL);
	bool ok = false;
	int ret;

	if (!k) {
		kmod_report_failed(name, num, "out of memory");
		return false;
	}
	ret = kimg_open(&k->img, data, size, k->error, sizeof(k->error));
	if (ret) {
		/* -EINVAL: the bytes are there but are no state image */
		if (ret == -EINVAL)
			strlcat(k->error, " (LUO-IMG-001)", sizeof(k->error));
		kmod_report_failed(name, num, k->error);
		kfree(k);
		return false;
	}
	k->mem.map = kimg_map;
	k->mem.ctx = &k->img;
	if (make_config(k) && choose_profile(k) && run_core(k)) {
		check_overlap(k);
		ok = !k->res.errors;
		print_result(ok, num, name);
	} else {
		kmod_report_failed(name, num, k->error);
	}
	kimg_close(&k->img);
	kfree(k);
	return ok;
}
