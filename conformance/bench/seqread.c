// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * seqread.c - luo-bench-seqread FILE: the memory-speed baseline of the
 * benchmark.  It maps FILE read-only, as luo-conform does (libelf's
 * ELF_C_READ_MMAP), and reads one 8-byte word of every page in address
 * order, so its time is the cost of faulting the file's pages in; with
 * --all it reads every word (the cost of also moving every byte through
 * the CPU).  The sum is printed so the reads cannot be optimised away.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	const char *path = argv[argc - 1];
	int all = argc == 3 && !strcmp(argv[1], "--all");
	const volatile uint64_t *w;
	uint64_t sum = 0, i, n, step;
	struct stat st;
	void *m;
	int fd;

	if (argc != 2 && !all) {
		fputs("usage: luo-bench-seqread [--all] FILE\n", stderr);
		return 2;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) || st.st_size <= 0) {
		perror(path);
		return 2;
	}
	m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (m == MAP_FAILED) {
		perror("mmap");
		return 2;
	}
	w = m;
	n = (uint64_t)st.st_size / 8;
	step = all ? 1 : 4096 / 8;
	for (i = 0; i < n; i += step)
		sum += w[i];
	printf("%llu\n", (unsigned long long)sum);
	munmap(m, (size_t)st.st_size);
	close(fd);
	return 0;
}
