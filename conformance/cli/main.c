// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * luo-conform - check LUO handover states against the luo-v1 spec.
 *
 * main() only dispatches to a subcommand; each lives in its own file
 * (check and capture here in conformance/cli).  run and matrix are a
 * separate program, luo-conform-runner (conformance/runner), which this
 * one execs (runner_exec.c), so that check does not load the runner's
 * libraries.
 */
#include <stdio.h>
#include <string.h>

#include "conform.h"

struct cf_command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

static const struct cf_command commands[] = {
	{ "check", cf_cmd_check, "check state images (ELF cores) for conformance" },
	{ "capture", cf_cmd_capture, "make a state image from a memory dump (QEMU dump-guest-memory)" },
	{ "run", cf_cmd_runner, "run the suite against an implementation" },
	{ "matrix", cf_cmd_runner, "writer x reader compatibility of implementations and profiles" },
};

#define N_COMMANDS	(sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *out)
{
	size_t i;

	fputs("Usage: luo-conform COMMAND [OPTION]... [ARG]...\n"
	      "Check Live Update Orchestrator (LUO) handover states against the\n"
	      "luo-v1 specification.\n\nCommands:\n", out);
	for (i = 0; i < N_COMMANDS; i++)
		fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].summary);
	fputs("\nOptions:\n"
	      "  -h, --help     show this help ('luo-conform COMMAND --help' for a command)\n"
	      "  -V, --version  show the version\n"
	      "\nExit status: 0 conformant, 1 not conformant, 2 usage or I/O error.\n", out);
}

int main(int argc, char **argv)
{
	size_t i;

	if (argc < 2) {
		usage(stderr);
		return LUOC_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		usage(stdout);
		return LUOC_EXIT_OK;
	}
	if (!strcmp(argv[1], "-V") || !strcmp(argv[1], "--version")) {
		printf("luo-conform %s (checker API %d)\n", LUOC_VERSION, LUOC_API_VERSION);
		return LUOC_EXIT_OK;
	}
	for (i = 0; i < N_COMMANDS; i++) {
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	}
	fprintf(stderr, "luo-conform: unknown command '%s'\nTry 'luo-conform --help'.\n", argv[1]);
	return LUOC_EXIT_USAGE;
}
