// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * capture_cmd.c - "luo-conform capture DUMP -o OUT": turn a dump of a
 * machine's physical memory (QEMU dump-guest-memory, /proc/vmcore: an ELF
 * core whose PT_LOADs carry physical memory) into a state image.
 *
 * 1. Locate the KHO root FDT: --kho-root; else the x86 boot protocol's
 *    setup_data chain (type SETUP_KEXEC_KHO, what the next kernel reads),
 *    from --boot-params or from every page carrying the "HdrS" boot
 *    header; else every page-aligned FDT whose root compatible is a
 *    "kho-vN" string.  Several candidates are told apart by checking each:
 *    the one with the fewest errors wins, a tie is refused.
 * 2. Walk the state with the checker core through a luoc_mem whose map()
 *    records every range the core reads (a reference collector): exactly
 *    the bytes a conformance check depends on.
 * 3. Write those ranges, widened to whole pages, with a LUO note naming the
 *    root, through luoc_image_writer.
 * The dump is never modified.  Locating the root: capture_root.c.
 */
#include <getopt.h>
#include <libfdt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "capture.h"

static const char capture_usage[] =
"Usage: luo-conform capture [OPTION]... DUMP -o OUT\n"
"Make a state image from a dump of physical memory (an ELF core whose PT_LOAD\n"
"segments carry physical memory: QEMU dump-guest-memory, /proc/vmcore).\n"
"Keeps only the pages the checker reads from the state, and a LUO note.\n"
"\n"
"  -o, --output=OUT        state image to write\n"
"  --kho-root=ADDR         physical address of the KHO root FDT\n"
"  --boot-params=ADDR      x86: physical address of a boot_params page whose\n"
"                          setup_data chain holds SETUP_KEXEC_KHO (type 10)\n"
"  --page-size=N           PAGE_SIZE of the kernel (4096, 16384, 65536; default 4096)\n"
"  --profile=NAME          walk as this profile and name it in the note (%s);\n"
"                          default: detect it, and leave the note's profile empty\n"
"  -h, --help              show this help\n"
"\n"
"Without --kho-root or --boot-params the root is searched for: first through\n"
"the setup_data chain of every page with the x86 boot header (\"HdrS\"), then\n"
"among page-aligned FDTs whose root compatible is \"kho-vN\".  The output says\n"
"which way it was found.  Exit status: 0 written, 2 usage or I/O error, or no\n"
"(or no unambiguous) KHO root.\n";

enum { O_ROOT = 256, O_BP, O_PAGE, O_PROFILE };

static const struct option capture_opts[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "kho-root", required_argument, NULL, O_ROOT },
	{ "boot-params", required_argument, NULL, O_BP },
	{ "page-size", required_argument, NULL, O_PAGE },
	{ "profile", required_argument, NULL, O_PROFILE },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int usage_error(const char *fmt, const char *arg)
{
	fputs("luo-conform capture: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs("\nTry 'luo-conform capture --help'.\n", stderr);
	return LUOC_EXIT_USAGE;
}

static void profile_names(char *buf, size_t len)
{
	size_t used = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < luoc_n_profiles && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? ", " : "",
					 luoc_profiles[i].name);
}

static int take_opt(struct cap_opts *o, int c, const char *arg)
{
	uint64_t v;

	switch (c) {
	case 'o': o->out = arg; return 0;
	case O_ROOT:
		o->have_root = true;
		return luoc_parse_u64(arg, &o->kho_root) ? 0 : usage_error("bad --kho-root '%s'", arg);
	case O_BP:
		o->have_bp = true;
		return luoc_parse_u64(arg, &o->boot_params) ? 0 :
			usage_error("bad --boot-params '%s'", arg);
	case O_PAGE:
		if (!luoc_parse_u64(arg, &v) || (v != 4096 && v != 16384 && v != 65536))
			return usage_error("bad --page-size '%s' (4096, 16384 or 65536)", arg);
		o->page_size = (uint32_t)v;
		return 0;
	case O_PROFILE:
		if (!luoc_profile_find(arg))
			return usage_error("unknown profile '%s'", arg);
		o->profile = arg;
		return 0;
	}
	return LUOC_EXIT_USAGE;
}

static int parse(int argc, char **argv, struct cap_opts *o)
{
	char names[256];
	int c, ret;

	optind = 1;
	while ((c = getopt_long(argc, argv, "o:h", capture_opts, NULL)) != -1) {
		if (c == 'h') {
			profile_names(names, sizeof(names));
			printf(capture_usage, names);
			return -1;
		}
		if (c == '?') {
			fputs("Try 'luo-conform capture --help'.\n", stderr);
			return LUOC_EXIT_USAGE;
		}
		ret = take_opt(o, c, optarg);
		if (ret)
			return ret;
	}
	if (optind != argc - 1)
		return usage_error("%s", optind >= argc ? "no dump given" : "more than one dump given");
	if (!o->out)
		return usage_error("%s", "no output: give -o OUT");
	if (o->have_root && o->have_bp)
		return usage_error("%s", "give --kho-root or --boot-params, not both");
	o->dump = argv[optind];
	return 0;
}

/* ---- walking the state: the reference collector ------------------------- */

/* Byte ranges the core read, page-widened and merged lazily. */
struct cap_range {
	uint64_t start, end;
};

struct cap_collect {
	struct luoc_image *img;
	uint64_t ps;
	struct cap_range *r;
	size_t n, cap;
	bool oom;
};

static int range_cmp(const void *a, const void *b)
{
	const struct cap_range *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/* Sort and merge touching ranges; returns the new count. */
static size_t merge_ranges(struct cap_range *r, size_t n)
{
	size_t i, out = 0;

	qsort(r, n, sizeof(*r), range_cmp);
	for (i = 0; i < n; i++) {
		if (out && r[i].start <= r[out - 1].end) {
			if (r[i].end > r[out - 1].end)
				r[out - 1].end = r[i].end;
		} else {
			r[out++] = r[i];
		}
	}
	return out;
}

static void collect_add(struct cap_collect *c, uint64_t phys, uint64_t len)
{
	uint64_t start = phys & ~(c->ps - 1), end = phys + len;
	struct cap_range *r;

	end = end > UINT64_MAX - c->ps ? UINT64_MAX & ~(c->ps - 1) : (end + c->ps - 1) & ~(c->ps - 1);
	if (c->n && start <= c->r[c->n - 1].end && end >= c->r[c->n - 1].start) {
		r = &c->r[c->n - 1];	/* the common case: next to the last read */
		r->start = start < r->start ? start : r->start;
		r->end = end > r->end ? end : r->end;
		return;
	}
	if (c->n == c->cap) {
		c->n = merge_ranges(c->r, c->n);
		if (c->n >= c->cap / 2) {	/* merging freed too little: grow */
			size_t cap = c->cap ? c->cap * 2 : 1024;

			r = realloc(c->r, cap * sizeof(*r));
			if (!r) {
				c->oom = true;
				return;
			}
			c->r = r;
			c->cap = cap;
		}
	}
	c->r[c->n].start = start;
	c->r[c->n].end = end;
	c->n++;
}

/* luoc_mem.map() that remembers what the core read. */
static const void *collect_map(void *ctx, uint64_t phys, uint64_t len)
{
	struct cap_collect *c = ctx;
	const void *p = luoc_image_map(c->img, phys, len);

	if (p && len)
		collect_add(c, phys, len);
	return p;
}

/* The checker configuration for the state at one root. */
void cap_config(const struct cap_opts *o, const struct luoc_image_info *info,
		const struct cap_cand *root, struct luoc_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->kho_root = root->addr;
	/* a size from setup_data is used when the core accepts it */
	cfg->kho_root_size = root->size >= FDT_V17_SIZE && root->size <= ROOT_FDT_MAX ? root->size : 0;
	cfg->page_size = o->page_size;
	cfg->big_endian = info->big_endian;
	cfg->profile = o->profile ? luoc_profile_find(o->profile) : NULL;
}

/* Check the state at one root; 0 or -1 (configuration refused). */
int cap_check_at(struct luoc_config *cfg, const struct luoc_mem *mem, uint64_t mem_bytes,
		 struct luoc_result *res, char *reason, size_t rlen)
{
	size_t ws = luoc_workspace_hint(mem_bytes);
	int ret;

	if (!cfg->profile) {
		cfg->profile = luoc_detect_r(cfg, mem, reason, rlen);
		if (!cfg->profile)
			return -1;
	}
	cfg->workspace = ws ? malloc(ws) : NULL;
	cfg->workspace_size = cfg->workspace ? ws : 0;
	ret = luoc_check(cfg, mem, NULL, res);
	free(cfg->workspace);
	cfg->workspace = NULL;
	cfg->workspace_size = 0;
	return ret ? -1 : 0;
}

/* One line of the report on stdout, prefixed with the dump's name. */
void cap_say(const struct cap_opts *o, const char *fmt, ...)
{
	va_list ap;

	printf("%s: ", o->dump);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* ---- writing the image ---------------------------------------------------- */

/* One merged range, page by page where a page is only partly in the dump. */
static int add_range(struct luoc_image_writer *w, struct luoc_image *img, uint64_t ps,
		     const struct cap_range *r, uint64_t *bytes)
{
	const void *p = luoc_image_map(img, r->start, r->end - r->start);
	uint64_t a;
	int ret = 0;

	if (p) {
		*bytes += r->end - r->start;
		return luoc_image_writer_add(w, r->start, p, r->end - r->start);
	}
	for (a = r->start; a < r->end && !ret; a += ps) {
		p = luoc_image_map(img, a, ps);
		if (p) {
			*bytes += ps;
			ret = luoc_image_writer_add(w, a, p, ps);
		}
	}
	return ret;
}

static int write_image(const struct cap_opts *o, struct luoc_image *img,
		       const struct luoc_config *cfg, struct cap_collect *col)
{
	const struct luoc_image_info *info = luoc_image_info(img);
	struct luoc_image_writer *w = luoc_image_writer_new(info->big_endian, info->machine);
	struct luoc_image_note note = {
		.kho_root = cfg->kho_root,
		.kho_root_size = cfg->kho_root_size ? cfg->kho_root_size : cfg->page_size,
		.page_size = cfg->page_size,
	};
	uint64_t bytes = 0;
	char err[256] = "";
	size_t i;
	int ret = 0;

	if (!w)
		return -1;
	if (o->profile)
		memcpy(note.profile, o->profile, strnlen(o->profile, sizeof(note.profile)));
	luoc_image_writer_set_note(w, &note);
	col->n = merge_ranges(col->r, col->n);
	for (i = 0; i < col->n && !ret; i++)
		ret = add_range(w, img, col->ps, &col->r[i], &bytes);
	if (!ret)
		ret = luoc_image_writer_write(w, o->out, err, sizeof(err));
	luoc_image_writer_free(w);
	if (ret) {
		fprintf(stderr, "luo-conform capture: %s: %s\n", o->out, err[0] ? err : "cannot write");
		return -1;
	}
	cap_say(o, "kept %llu bytes (%llu pages) of %llu dumped, in %zu ranges",
	    (unsigned long long)bytes, (unsigned long long)(bytes / col->ps),
	    (unsigned long long)info->mem_bytes, col->n);
	cap_say(o, "wrote %s", o->out);
	return 0;
}

/* Walk the state once through the collector, then write what it read. */
static int capture(const struct cap_opts *o, struct luoc_image *img, const struct cap_cand *root)
{
	const struct luoc_image_info *info = luoc_image_info(img);
	struct cap_collect col = { .img = img, .ps = o->page_size };
	const struct luoc_mem mem = { .map = collect_map, .ctx = &col };
	char reason[LUOC_REASON_MAX] = "--profile";
	struct luoc_config cfg;
	struct luoc_result res;
	int ret = -1;

	cap_config(o, info, root, &cfg);
	if (cap_check_at(&cfg, &mem, info->mem_bytes, &res, reason, sizeof(reason))) {
		fprintf(stderr, "luo-conform capture: %s: no profile fits the state at 0x%llx (%s)\n",
			o->dump, (unsigned long long)root->addr, reason);
	} else if (col.oom) {
		fputs("luo-conform capture: out of memory\n", stderr);
	} else {
		cap_say(o, "profile %s (%s%s)", cfg.profile->name, o->profile ? "" : "detected: ", reason);
		cap_say(o, "checked while walking: %u error(s), %u warning(s), %u note(s); "
		    "incoming kernel: %s", res.errors, res.warnings, res.notes,
		    luoc_outcome_name(res.outcome));
		ret = write_image(o, img, &cfg, &col);
	}
	free(col.r);
	return ret;
}

int cf_cmd_capture(int argc, char **argv)
{
	struct cap_opts o = { .page_size = 4096 };
	struct luoc_image *img;
	struct cap_cand root;
	char err[256] = "";
	int ret = parse(argc, argv, &o);

	if (ret)
		return ret < 0 ? LUOC_EXIT_OK : ret;
	if (luoc_image_open(o.dump, &img, err, sizeof(err))) {
		fprintf(stderr, "luo-conform capture: %s: %s\n", o.dump, err[0] ? err : "cannot open");
		return LUOC_EXIT_USAGE;
	}
	ret = cap_find_root(&o, img, &root);
	if (!ret && !luoc_image_map(img, root.addr, FDT_V17_SIZE)) {
		fprintf(stderr, "luo-conform capture: %s: the KHO root at 0x%llx (%s) is not in the dump\n",
			o.dump, (unsigned long long)root.addr, root.how);
		ret = -1;
	}
	if (!ret) {
		cap_say(&o, "KHO root at 0x%llx: %s", (unsigned long long)root.addr, root.how);
		ret = capture(&o, img, &root);
	}
	luoc_image_close(img);
	return ret ? LUOC_EXIT_USAGE : LUOC_EXIT_OK;
}
