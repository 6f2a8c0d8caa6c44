// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * cli_util.c - number parsing and file reading for the command-line tools.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli_util.h"

static unsigned int suffix_shift(char c)
{
	switch (c) {
	case 'K': case 'k': return 10;
	case 'M': case 'm': return 20;
	case 'G': case 'g': return 30;
	default: return 0;
	}
}

bool luoc_parse_u64(const char *s, uint64_t *v)
{
	unsigned long long x;
	unsigned int shift = 0;
	char *end;

	if (!s || !*s || *s == '-' || *s == '+' || *s == ' ')
		return false;
	errno = 0;
	x = strtoull(s, &end, 0);
	if (errno || end == s)
		return false;
	if (*end) {
		shift = suffix_shift(*end);
		if (!shift || end[1])
			return false;
	}
	if (shift && x > (UINT64_MAX >> shift))
		return false;
	*v = (uint64_t)x << shift;
	return true;
}

bool luoc_parse_assign(const char *s, uint64_t *phys, const char **rest)
{
	const char *eq = strchr(s, '=');
	char num[64];
	size_t n;

	if (!eq || !eq[1])
		return false;
	n = (size_t)(eq - s);
	if (n == 0 || n >= sizeof(num))
		return false;
	memcpy(num, s, n);
	num[n] = '\0';
	*rest = eq + 1;
	return luoc_parse_u64(num, phys);
}

static int read_all(int fd, unsigned char *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		ssize_t r = read(fd, buf + done, len - done);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (r == 0)
			return -EIO;	/* the file shrank under us */
		done += (size_t)r;
	}
	return 0;
}

int luoc_read_file(const char *path, unsigned char **buf, size_t *len)
{
	struct stat st;
	int fd, ret;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = fstat(fd, &st) < 0 ? -errno : S_ISREG(st.st_mode) ? 0 : -EINVAL;
	if (ret) {
		close(fd);
		return ret;
	}
	*len = (size_t)st.st_size;
	*buf = malloc(*len ? *len : 1);
	ret = *buf ? read_all(fd, *buf, *len) : -ENOMEM;
	close(fd);
	if (ret) {
		free(*buf);
		*buf = NULL;
	}
	return ret;
}
