// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * luo-consume: /init of the real-kernel consumer test
 * (conformance/tests/realkernel/consumer).  The kernel has just booted with a
 * test vector's pages placed in memory and handed to it as an incoming KHO
 * state; this program asks /dev/liveupdate for what the vector holds and
 * prints the kernel's answers as machine-readable "LC" lines on the console:
 *
 *   LC-BEGIN
 *   LC-OPEN ok | LC-OPEN err=EIO ...
 *   LC-SESSION <hexname> ok [truncated] | err=ENOENT ...
 *   LC-FILE <hexname> <token> ok size=N seals=0xS sha256=H | err=EINVAL ...
 *   LC-FINISH <hexname> ok | err=...
 *   LC-END
 *
 * What to ask for comes from /expect in the initramfs, one line each:
 *   S <hexname>                         a session (name hex-encoded: any bytes)
 *   F <token> <size> <seals> <sha256>   a memfd of the last session
 * The comparison with the expectation happens on the host; this program only
 * reports.  It runs as PID 1 and powers the machine off at the end.
 * Static, no shared libraries: the initramfs holds nothing else.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/liveupdate.h>

#include "sha256.h"

#define LC_NAME_LEN LIVEUPDATE_SESSION_NAME_LENGTH

/* Symbolic errno names: the host compares them, not numbers. */
static const char *lc_errname(int e)
{
	switch (e) {
	case ENOENT: return "ENOENT";
	case EIO: return "EIO";
	case EINVAL: return "EINVAL";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case ENOMEM: return "ENOMEM";
	case EBUSY: return "EBUSY";
	case EEXIST: return "EEXIST";
	case ENODEV: return "ENODEV";
	case ENXIO: return "ENXIO";
	case EFAULT: return "EFAULT";
	case EPERM: return "EPERM";
	case EAGAIN: return "EAGAIN";
	case ENOSPC: return "ENOSPC";
	default: return "E?";
	}
}

static void lc_print_err(const char *prefix, int e)
{
	printf("%s err=%s errno=%d\n", prefix, lc_errname(e), e);
}

static int lc_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Decodes a hex name into a zeroed LC_NAME_LEN buffer; returns its length. */
static int lc_unhex(const char *hex, char *name)
{
	int n = 0;

	memset(name, 0, LC_NAME_LEN);
	while (hex[0] && hex[1] && n < LC_NAME_LEN) {
		int hi = lc_hexval(hex[0]), lo = lc_hexval(hex[1]);

		if (hi < 0 || lo < 0)
			break;
		name[n++] = (char)(hi << 4 | lo);
		hex += 2;
	}
	return n;
}

static int lc_retrieve_session(int lu, const char *name)
{
	struct liveupdate_ioctl_retrieve_session rs;

	memset(&rs, 0, sizeof(rs));
	rs.size = sizeof(rs);
	memcpy(rs.name, name, LC_NAME_LEN);
	if (ioctl(lu, LIVEUPDATE_IOCTL_RETRIEVE_SESSION, &rs) < 0)
		return -errno;
	return rs.fd;
}

/*
 * Opens session HEX.  A name that fills all 64 bytes has no NUL; the kernel
 * keeps such a name cut to 63 bytes (it copies it with strscpy), so that form
 * is tried too, and the line says "truncated".
 */
static int lc_open_session(int lu, const char *hex)
{
	char name[LC_NAME_LEN], line[200];
	int len = lc_unhex(hex, name);
	int fd = lc_retrieve_session(lu, name);

	if (fd == -ENOENT && len == LC_NAME_LEN) {
		name[LC_NAME_LEN - 1] = 0;
		fd = lc_retrieve_session(lu, name);
		if (fd >= 0) {
			printf("LC-SESSION %s ok truncated\n", hex);
			return fd;
		}
	}
	snprintf(line, sizeof(line), "LC-SESSION %s", hex);
	if (fd < 0)
		lc_print_err(line, -fd);
	else
		printf("%s ok\n", line);
	return fd;
}

/* SHA-256 of the whole file, read from offset 0. */
static int lc_hash_fd(int fd, off_t size, char hex[65])
{
	static unsigned char buf[1 << 16];
	struct lc_sha256 ctx;
	unsigned char d[32];
	off_t off = 0;
	int i;

	lc_sha256_init(&ctx);
	while (off < size) {
		size_t want = size - off < (off_t)sizeof(buf) ? (size_t)(size - off) : sizeof(buf);
		ssize_t n = pread(fd, buf, want, off);

		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		lc_sha256_update(&ctx, buf, (size_t)n);
		off += n;
	}
	lc_sha256_final(&ctx, d);
	for (i = 0; i < 32; i++)
		sprintf(hex + 2 * i, "%02x", d[i]);
	return 0;
}

static void lc_check_file(int sfd, const char *shex, unsigned long long token)
{
	struct liveupdate_session_retrieve_fd r;
	char prefix[200], hex[65];
	struct stat st;
	int seals, err;

	snprintf(prefix, sizeof(prefix), "LC-FILE %s %#llx", shex, token);
	memset(&r, 0, sizeof(r));
	r.size = sizeof(r);
	r.token = token;
	if (ioctl(sfd, LIVEUPDATE_SESSION_RETRIEVE_FD, &r) < 0) {
		lc_print_err(prefix, errno);
		return;
	}
	if (fstat(r.fd, &st) < 0) {
		lc_print_err(prefix, errno);
		return;
	}
	seals = fcntl(r.fd, F_GET_SEALS);
	err = lc_hash_fd(r.fd, st.st_size, hex);
	if (err) {
		printf("%s read-err=%s\n", prefix, lc_errname(-err));
		return;
	}
	printf("%s ok size=%lld seals=%#x pos=%lld sha256=%s\n", prefix,
	       (long long)st.st_size, seals,
	       (long long)lseek(r.fd, 0, SEEK_CUR), hex);
	/* Kept open: a session can only finish with its files retrieved. */
}

static void lc_finish(int sfd, const char *shex)
{
	struct liveupdate_session_finish fin;
	char prefix[200];

	memset(&fin, 0, sizeof(fin));
	fin.size = sizeof(fin);
	snprintf(prefix, sizeof(prefix), "LC-FINISH %s", shex);
	if (ioctl(sfd, LIVEUPDATE_SESSION_FINISH, &fin) < 0)
		lc_print_err(prefix, errno);
	else
		printf("%s ok\n", prefix);
}

static void lc_run(FILE *expect)
{
	char line[512], shex[2 * LC_NAME_LEN + 1] = "";
	int lu, sfd = -1;

	lu = open("/dev/liveupdate", O_RDWR);
	if (lu < 0) {
		lc_print_err("LC-OPEN", errno);
		return;
	}
	printf("LC-OPEN ok\n");
	while (fgets(line, sizeof(line), expect)) {
		char hex[2 * LC_NAME_LEN + 1], sha[80];
		unsigned long long token, size;
		unsigned int seals;

		if (sscanf(line, "S %128s", hex) == 1) {
			if (sfd >= 0)
				lc_finish(sfd, shex);
			snprintf(shex, sizeof(shex), "%s", hex);
			sfd = lc_open_session(lu, shex);
		} else if (sscanf(line, "F %llx %llu %x %79s", &token, &size,
				  &seals, sha) == 4 && sfd >= 0) {
			lc_check_file(sfd, shex, token);
		}
	}
	if (sfd >= 0)
		lc_finish(sfd, shex);
}

int main(void)
{
	FILE *expect;

	setvbuf(stdout, NULL, _IOLBF, 0);
	mkdir("/dev", 0755);
	mkdir("/proc", 0755);
	if (mount("devtmpfs", "/dev", "devtmpfs", 0, NULL) < 0)
		lc_print_err("LC-MOUNT devtmpfs", errno);
	printf("LC-BEGIN\n");
	expect = fopen("/expect", "r");
	if (!expect)
		lc_print_err("LC-EXPECT", errno);
	else
		lc_run(expect);
	printf("LC-END\n");
	fflush(stdout);
	sync();
	reboot(RB_POWER_OFF);
	return 0;
}
