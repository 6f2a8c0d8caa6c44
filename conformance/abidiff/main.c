// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * main.c - luo-abi-diff: command line, modes and exit status.
 *
 * The options here and in docs/man/luo-abi-diff.rst must be the same; the
 * test suite (conformance/tests/abidiff) compares the two lists.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abidiff.h"

#ifndef ABIDIFF_VERSION
#define ABIDIFF_VERSION "unknown"
#endif

enum mode { M_ABI, M_HEADERS, M_KERNEL, M_GIT };

static const char usage_text[] =
	"usage: luo-abi-diff [OPTION]... OLD NEW\n"
	"       luo-abi-diff [OPTION]... --headers OLD_DIR NEW_DIR\n"
	"       luo-abi-diff [OPTION]... --kernel OLD_TREE NEW_TREE\n"
	"       luo-abi-diff [OPTION]... --git REV1 REV2 [PATH]\n"
	"\n"
	"Compare two descriptions of the LUO/KHO handover ABI, print every change,\n"
	"and check that each breaking change comes with a bump of the compatible\n"
	"string that versions it.\n"
	"\n"
	"OLD and NEW are spec/abi directories, DIR:PROFILE (the components of one\n"
	"profile), or JSON models written by conformance/tools/abijson.py.\n"
	"\n"
	"Options:\n"
	"  --headers          OLD_DIR and NEW_DIR hold kernel ABI headers\n"
	"                     (include/linux/kho/abi/{luo,memfd,kexec_handover}.h)\n"
	"  --kernel           OLD_TREE and NEW_TREE are kernel source trees\n"
	"  --git              compare PATH (default spec/abi) at revisions REV1 and\n"
	"                     REV2 of the current repository; \".\" is the work tree\n"
	"  --format=FORMAT    report as text (default) or json\n"
	"  -q, --quiet        print only the verdicts and the result line\n"
	"  -h, --help         print this help and exit\n"
	"  -V, --version      print the version and exit\n"
	"\n"
	"Exit status: 0 no violation (warnings allowed), 1 a violation, 2 an error.\n";

struct opts {
	enum mode mode;
	bool json, quiet;
};

static int parse_args(int argc, char **argv, struct opts *o)
{
	static const struct option lopts[] = {
		{ "headers", no_argument, NULL, 'H' },
		{ "kernel", no_argument, NULL, 'K' },
		{ "git", no_argument, NULL, 'G' },
		{ "format", required_argument, NULL, 'f' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c, modes = 0;

	memset(o, 0, sizeof(*o));
	while ((c = getopt_long(argc, argv, "qhV", lopts, NULL)) != -1) {
		switch (c) {
		case 'H':
			o->mode = M_HEADERS;
			modes++;
			break;
		case 'K':
			o->mode = M_KERNEL;
			modes++;
			break;
		case 'G':
			o->mode = M_GIT;
			modes++;
			break;
		case 'f':
			if (strcmp(optarg, "text") && strcmp(optarg, "json")) {
				ad_err("--format: %s is not text or json", optarg);
				return -1;
			}
			o->json = !strcmp(optarg, "json");
			break;
		case 'q':
			o->quiet = true;
			break;
		case 'h':
			fputs(usage_text, stdout);
			exit(AD_EXIT_OK);
		case 'V':
			printf("luo-abi-diff %s\n", ABIDIFF_VERSION);
			exit(AD_EXIT_OK);
		default:
			return -1;
		}
	}
	if (modes > 1) {
		ad_err("--headers, --kernel and --git exclude each other");
		return -1;
	}
	if (argc - optind != 2 && !(o->mode == M_GIT && argc - optind == 3)) {
		ad_err("expected two operands (see --help)");
		return -1;
	}
	return 0;
}

static bool is_abi_dir(const char *dir)
{
	char *c = ad_printf("%s/components", dir);
	bool yes = ad_is_dir(c);

	free(c);
	return yes;
}

static int load_headers(const char *dir, bool kernel, const char *name, struct ad_side *s)
{
	memset(s, 0, sizeof(*s));
	s->name = ad_strdup(name);
	s->profile = ad_strdup("headers");
	if (ad_headers_model(dir, kernel, &s->doc) < 0)
		return -1;
	/* the model read from the headers, for checking the reader itself */
	if (getenv("LUO_ABIDIFF_DUMP"))
		fprintf(stderr, "%s\n", json_object_to_json_string_ext(s->doc, JSON_C_TO_STRING_PRETTY));
	return 0;
}

/* --git: the two revisions of PATH, as ABI descriptions or header sets. */
static int load_git(char **argv, struct ad_side *o, struct ad_side *n, char **tmp)
{
	const char *path = argv[2] ? argv[2] : "spec/abi";
	struct ad_side *side[2] = { o, n };
	int i;

	for (i = 0; i < 2; i++) {
		char *dir, *name = ad_printf("%s:%s", argv[i], path);
		int rc;

		if (ad_git_extract(argv[i], path, &dir, &tmp[i]) < 0) {
			free(name);
			return -1;
		}
		if (is_abi_dir(dir)) {
			memset(side[i], 0, sizeof(*side[i]));
			side[i]->name = ad_strdup(name);
			rc = ad_load_abi_dir(dir, &side[i]->doc);
		} else {
			rc = load_headers(dir, false, name, side[i]);
		}
		free(dir);
		free(name);
		if (rc < 0)
			return -1;
	}
	return 0;
}

static int load_sides(const struct opts *op, char **argv, struct ad_side *o,
		      struct ad_side *n, char **tmp)
{
	switch (op->mode) {
	case M_GIT:
		return load_git(argv, o, n, tmp);
	case M_HEADERS:
	case M_KERNEL:
		if (load_headers(argv[0], op->mode == M_KERNEL, argv[0], o) < 0)
			return -1;
		return load_headers(argv[1], op->mode == M_KERNEL, argv[1], n);
	case M_ABI:
		break;
	}
	if (ad_load_operand(argv[0], o) < 0)
		return -1;
	return ad_load_operand(argv[1], n);
}

int main(int argc, char **argv)
{
	struct ad_side o = { 0 }, n = { 0 };
	struct ad_report r = { 0 };
	char *tmp[2] = { NULL, NULL };
	struct opts op;
	int rc = AD_EXIT_ERROR;
	size_t i;

	if (parse_args(argc, argv, &op) < 0) {
		fputs("Try 'luo-abi-diff --help'.\n", stderr);
		return AD_EXIT_ERROR;
	}
	if (load_sides(&op, argv + optind, &o, &n, tmp) < 0 ||
	    ad_compare_models(&r, &o, &n) < 0)
		goto out;
	r.old_name = o.name;
	r.new_name = n.name;
	ad_report_count(&r);
	if (op.json)
		ad_print_json(&r);
	else
		ad_print_text(&r, op.quiet);
	rc = r.violations ? AD_EXIT_VIOLATION : AD_EXIT_OK;
out:
	for (i = 0; i < r.ncmp; i++)
		ad_cmp_free(r.cmp[i]);
	free(r.cmp);
	ad_side_free(&o);
	ad_side_free(&n);
	for (i = 0; i < 2; i++) {
		ad_rmtree(tmp[i]);
		free(tmp[i]);
	}
	return rc;
}
