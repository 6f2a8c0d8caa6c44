/* SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause) */
/*
 * runner.h - the "run" and "matrix" subcommands of luo-conform.
 *
 *   luo-conform run     drive one implementation (adapter) through the
 *                       consumer tests (vectors and states the reference
 *                       writes) and the producer tests (abstract states it
 *                       must lay out conformantly)
 *   luo-conform matrix  writer x reader compatibility of every pair of
 *                       (implementation, profile)
 *
 * Both return the process exit status: 0 all passed (run) or the matrix
 * was produced, 1 a test failed, 2 usage or I/O error.
 */
#ifndef LUOC_RUNNER_H
#define LUOC_RUNNER_H

int luoc_cmd_run(int argc, char **argv);
int luoc_cmd_matrix(int argc, char **argv);

#endif /* LUOC_RUNNER_H */
