// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * check_cmd.c - "luo-conform check IMAGE...": options, one check per
 * image, one report in the chosen format, and the exit status.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conform.h"

static const char check_usage[] =
"Usage: luo-conform check [OPTION]... IMAGE...\n"
"Check each state image (an ELF64 core whose PT_LOAD segments hold physical\n"
"memory, with a LUO note naming the KHO root FDT) against the luo-v1 spec.\n"
"An IMAGE that is a bare FDT (the KHO root or the LUO FDT alone, e.g. a copy\n"
"from KHO's debugfs) is checked on its own: the memory it points at is not\n"
"there, so the rules on that memory are not checked.\n"
"\n"
"  --format=FORMAT         text (default), ktap, junit or json\n"
"  --profile=NAME          check against this profile (%s)\n"
"                          default: the note's profile, else detect it\n"
"  --kho-root=ADDR         physical address of the KHO root FDT (overrides the note;\n"
"                          needed for an image without a LUO note)\n"
"  --page-size=N           PAGE_SIZE of the writing kernel (default: the note's, else 4096)\n"
"  --fdt=KIND              a bare FDT is the KHO root (kho) or the LUO FDT (luo);\n"
"                          default: a KHO root string or LUO sub-node says kho\n"
"  --big-endian            a bare FDT's writer was big-endian (an image says so itself)\n"
"  --state                 json: also print the decoded state (sessions, files,\n"
"                          memfd sizes and SHA-256 of their contents, FLBs)\n"
"  -q, --quiet             text: print only errors and warnings; no progress\n"
"  --warnings-as-errors    a warning makes an image non-conformant\n"
"  -h, --help              show this help\n"
"\n"
"Text output has one line per finding:\n"
"  IMAGE: error: LUO-SESS-004 at session[3] (0x100012000): message\n"
"Exit status: 0 every image conformant, 1 some image not conformant,\n"
"2 usage or I/O error (missing file, not an ELF64 core, no LUO note and no\n"
"--kho-root, ...).\n";

enum { O_FORMAT = 256, O_PROFILE, O_ROOT, O_PAGE, O_STATE, O_WERROR, O_FDT, O_BE };

static const struct option check_opts[] = {
	{ "format", required_argument, NULL, O_FORMAT },
	{ "profile", required_argument, NULL, O_PROFILE },
	{ "kho-root", required_argument, NULL, O_ROOT },
	{ "page-size", required_argument, NULL, O_PAGE },
	{ "fdt", required_argument, NULL, O_FDT },
	{ "big-endian", no_argument, NULL, O_BE },
	{ "state", no_argument, NULL, O_STATE },
	{ "quiet", no_argument, NULL, 'q' },
	{ "warnings-as-errors", no_argument, NULL, O_WERROR },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static void profile_names(char *buf, size_t len)
{
	unsigned int i;
	size_t used = 0;

	buf[0] = '\0';
	for (i = 0; i < luoc_n_profiles && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? ", " : "",
					 luoc_profiles[i].name);
}

static int usage_error(const char *fmt, const char *arg)
{
	fputs("luo-conform check: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs("\nTry 'luo-conform check --help'.\n", stderr);
	return LUOC_EXIT_USAGE;
}

static int set_format(struct cf_opts *o, const char *s)
{
	static const char *const names[] = { "text", "ktap", "junit", "json" };
	unsigned int i;

	for (i = 0; i < 4; i++) {
		if (!strcmp(s, names[i])) {
			o->format = (enum cf_format)i;
			return 0;
		}
	}
	return usage_error("unknown format '%s' (text, ktap, junit or json)", s);
}

static int set_profile(struct cf_opts *o, const char *s)
{
	char names[256];

	if (luoc_profile_find(s)) {
		o->profile = s;
		return 0;
	}
	profile_names(names, sizeof(names));
	fprintf(stderr, "luo-conform check: unknown profile '%s' (known: %s)\n", s, names);
	return LUOC_EXIT_USAGE;
}

static int take_opt(struct cf_opts *o, int c, const char *arg)
{
	uint64_t v;

	switch (c) {
	case O_FORMAT: return set_format(o, arg);
	case O_PROFILE: return set_profile(o, arg);
	case O_ROOT:
		o->have_root = true;
		return luoc_parse_u64(arg, &o->kho_root) ? 0 : usage_error("bad --kho-root '%s'", arg);
	case O_PAGE:
		if (!luoc_parse_u64(arg, &v) || (v != 4096 && v != 16384 && v != 65536))
			return usage_error("bad --page-size '%s' (4096, 16384 or 65536)", arg);
		o->have_page_size = true;
		o->page_size = (uint32_t)v;
		return 0;
	case O_FDT:
		if (strcmp(arg, "kho") && strcmp(arg, "luo"))
			return usage_error("bad --fdt '%s' (kho or luo)", arg);
		o->fdt_kind = arg[0] == 'k' ? LUOC_INPUT_KHO_FDT : LUOC_INPUT_LUO_FDT;
		return 0;
	case O_BE: o->big_endian = true; return 0;
	case O_STATE: o->state = true; return 0;
	case 'q': o->quiet = true; return 0;
	case O_WERROR: o->werror = true; return 0;
	}
	return LUOC_EXIT_USAGE;
}

static int parse(int argc, char **argv, struct cf_opts *o)
{
	char names[256];
	int c, ret;

	optind = 1;
	while ((c = getopt_long(argc, argv, "qh", check_opts, NULL)) != -1) {
		if (c == 'h') {
			profile_names(names, sizeof(names));
			printf(check_usage, names);
			return -1;
		}
		if (c == '?') {
			fputs("Try 'luo-conform check --help'.\n", stderr);
			return LUOC_EXIT_USAGE;
		}
		ret = take_opt(o, c, optarg);
		if (ret)
			return ret;
	}
	if (optind >= argc)
		return usage_error("%s", "no image given");
	o->progress = !o->quiet && isatty(STDERR_FILENO);
	return 0;
}

static const cf_output_fn outputs[] = {
	[CF_TEXT] = cf_output_text,
	[CF_KTAP] = cf_output_ktap,
	[CF_JUNIT] = cf_output_junit,
	[CF_JSON] = cf_output_json,
};

static int exit_status(const struct cf_report *reps, size_t n)
{
	int status = LUOC_EXIT_OK;
	size_t i;

	for (i = 0; i < n; i++) {
		if (reps[i].status == CF_FAILED)
			return LUOC_EXIT_USAGE;
		if (!reps[i].conformant)
			status = LUOC_EXIT_NONCONFORM;
	}
	return status;
}

int cf_cmd_check(int argc, char **argv)
{
	struct cf_opts o = { .format = CF_TEXT };
	struct cf_ws ws = { NULL, 0 };
	struct cf_report *reps;
	size_t n, i;
	int ret = parse(argc, argv, &o);

	if (ret)
		return ret < 0 ? LUOC_EXIT_OK : ret;
	n = (size_t)(argc - optind);
	reps = calloc(n, sizeof(*reps));
	if (!reps) {
		fputs("luo-conform: out of memory\n", stderr);
		return LUOC_EXIT_USAGE;
	}
	for (i = 0; i < n; i++)
		cf_check_image(&o, argv[optind + (int)i], &reps[i], &ws);
	cf_ws_free(&ws);
	outputs[o.format](stdout, &o, reps, n);
	fflush(stdout);
	ret = exit_status(reps, n);
	for (i = 0; i < n; i++)
		cf_report_free(&reps[i]);
	free(reps);
	return ret;
}
