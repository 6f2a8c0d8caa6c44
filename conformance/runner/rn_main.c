// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * rn_main.c - luo-conform-runner, the program behind "luo-conform run" and
 * "luo-conform matrix".  luo-conform execs it as
 *     luo-conform-runner run|matrix [OPTION]...
 * (conformance/cli/runner_exec.c), so that "luo-conform check" does not
 * load the libraries only the runner needs.  Users call luo-conform.
 */
#include <stdio.h>
#include <string.h>

#include "runner.h"

int main(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "run"))
		return luoc_cmd_run(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "matrix"))
		return luoc_cmd_matrix(argc - 1, argv + 1);
	fputs("luo-conform-runner: the program behind 'luo-conform run' and "
	      "'luo-conform matrix'; use those.\n", stderr);
	return 2;
}
