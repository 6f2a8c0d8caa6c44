// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * luo-guest: drives /dev/liveupdate of a real kernel for the real-kernel
 * producer test (conformance/tests/realkernel).
 *
 *   luo-guest preserve KERNEL INITRD CMDLINE
 *       creates the sessions and memfds of the table below, preserves
 *       every memfd with its token, prints the expected state as one JSON
 *       line ("RK-EXPECT {...}"), then kexecs (kexec_file_load + reboot)
 *       into KERNEL with every descriptor still open: the outgoing kernel
 *       serializes what is open at that moment.
 *   luo-guest retrieve
 *       in the new kernel: retrieves every session and memfd, compares
 *       size, seals and content with the table, and prints one
 *       "RK OK ..." or "RK FAIL ..." line each, then "RK-DONE ok=N fail=M".
 *
 * Both modes use the same table, so the contents need not be passed across
 * the kexec.  Static: the guest has only busybox.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/liveupdate.h>
#include <linux/reboot.h>

#include <openssl/evp.h>

#define MIB (1024u * 1024u)

struct rk_file {
	uint64_t token;
	size_t size;		/* bytes of content */
	unsigned int seed;	/* content pattern; 0 = zero-filled */
	int sealing;		/* created with MFD_ALLOW_SEALING */
	int add_seals;		/* F_ADD_SEALS after filling (sealing only) */
	off_t pos;		/* file position left at preserve time */
};

struct rk_session {
	const char *name;
	int nfiles;
	struct rk_file files[4];
};

static const struct rk_session rk_sessions[] = {
	{ "rk-alpha", 3, {
		{ 0x1001, 0, 0, 0, 0, 0 },
		{ 0x1002, 13, 7, 0, 0, 5 },
		{ 0x1003, 3 * MIB, 11, 0, 0, 0 },
	} },
	{ "rk-sealed", 2, {
		{ 0x2001, 8192, 23, 1,
		  F_SEAL_WRITE | F_SEAL_SHRINK | F_SEAL_GROW, 4096 },
		{ 0x2002, 100000, 0, 1, F_SEAL_SEAL, 0 },
	} },
	{ "rk-empty", 0, { { 0 } } },
	{ "rk-one", 1, {
		{ 0xfeedfacecafe0001ull, 65536 + 17, 31, 0, 0, 0 },
	} },
};

#define RK_NSESSIONS (int)(sizeof(rk_sessions) / sizeof(rk_sessions[0]))

/* Deterministic content, so both kernels can rebuild it from the table. */
static void rk_fill(unsigned char *buf, size_t len, unsigned int seed)
{
	uint32_t x = seed * 2654435761u + 1;
	size_t i;

	for (i = 0; i < len; i++) {
		if (!seed) {
			buf[i] = 0;
			continue;
		}
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		buf[i] = (unsigned char)x;
	}
}

/* Seals the kernel reports: without MFD_ALLOW_SEALING it sets F_SEAL_SEAL. */
static int rk_expected_seals(const struct rk_file *f)
{
	return f->sealing ? f->add_seals : F_SEAL_SEAL;
}

static void rk_hex(const unsigned char *d, char *out)
{
	int i;

	for (i = 0; i < 32; i++)
		sprintf(out + 2 * i, "%02x", d[i]);
}

/* SHA-256 from libcrypto (linked statically: the guest has no shared libraries). */
static void rk_sha256(const void *data, size_t len, unsigned char out[32])
{
	unsigned int n = 32;

	if (!EVP_Digest(data, len, out, &n, EVP_sha256(), NULL))
		memset(out, 0, 32);
}

static int rk_content_sha(const struct rk_file *f, char *hex)
{
	unsigned char *buf = malloc(f->size ? f->size : 1);
	unsigned char d[32];

	if (!buf)
		return -1;
	rk_fill(buf, f->size, f->seed);
	rk_sha256(buf, f->size, d);
	rk_hex(d, hex);
	free(buf);
	return 0;
}

static int rk_make_memfd(const struct rk_file *f)
{
	unsigned char *buf;
	int fd;

	fd = memfd_create("rk", f->sealing ? MFD_ALLOW_SEALING : 0);
	if (fd < 0)
		return -1;
	buf = malloc(f->size ? f->size : 1);
	if (!buf)
		return -1;
	rk_fill(buf, f->size, f->seed);
	if (f->size && write(fd, buf, f->size) != (ssize_t)f->size) {
		free(buf);
		return -1;
	}
	free(buf);
	if (lseek(fd, f->pos, SEEK_SET) != f->pos)
		return -1;
	if (f->sealing && f->add_seals &&
	    fcntl(fd, F_ADD_SEALS, f->add_seals) < 0)
		return -1;
	return fd;
}

static int rk_create_session(int lu, const char *name)
{
	struct liveupdate_ioctl_create_session cs;

	memset(&cs, 0, sizeof(cs));
	cs.size = sizeof(cs);
	snprintf((char *)cs.name, sizeof(cs.name), "%s", name);
	if (ioctl(lu, LIVEUPDATE_IOCTL_CREATE_SESSION, &cs) < 0)
		return -1;
	return cs.fd;
}

static int rk_preserve(int sfd, int fd, uint64_t token)
{
	struct liveupdate_session_preserve_fd p;

	memset(&p, 0, sizeof(p));
	p.size = sizeof(p);
	p.fd = fd;
	p.token = token;
	return ioctl(sfd, LIVEUPDATE_SESSION_PRESERVE_FD, &p);
}

static void rk_print_expect(void)
{
	char hex[65];
	int s, i;

	printf("RK-EXPECT {\"sessions\": [");
	for (s = 0; s < RK_NSESSIONS; s++) {
		const struct rk_session *ss = &rk_sessions[s];

		printf("%s{\"name\": \"%s\", \"files\": [", s ? ", " : "",
		       ss->name);
		for (i = 0; i < ss->nfiles; i++) {
			const struct rk_file *f = &ss->files[i];

			if (rk_content_sha(f, hex))
				hex[0] = 0;
			printf("%s{\"token\": %llu, \"size\": %zu, \"pos\": %lld, "
			       "\"seals\": %d, \"sha256\": \"%s\"}",
			       i ? ", " : "", (unsigned long long)f->token,
			       f->size, (long long)f->pos,
			       rk_expected_seals(f), hex);
		}
		printf("]}");
	}
	printf("]}\n");
	fflush(stdout);
}

static int rk_kexec(const char *kernel, const char *initrd, const char *cmd)
{
	int kfd = open(kernel, O_RDONLY);
	int ifd = open(initrd, O_RDONLY);

	if (kfd < 0 || ifd < 0) {
		perror("open kernel/initrd");
		return 1;
	}
	if (syscall(SYS_kexec_file_load, kfd, ifd, strlen(cmd) + 1, cmd,
		    0UL) < 0) {
		perror("kexec_file_load");
		return 1;
	}
	printf("RK-KEXEC loaded\n");
	fflush(stdout);
	sync();
	reboot(LINUX_REBOOT_CMD_KEXEC);
	perror("reboot(KEXEC)");
	return 1;
}

static int do_preserve(const char *kernel, const char *initrd, const char *cmd)
{
	int lu, s, i;

	lu = open("/dev/liveupdate", O_RDWR);
	if (lu < 0) {
		perror("open /dev/liveupdate");
		return 1;
	}
	for (s = 0; s < RK_NSESSIONS; s++) {
		const struct rk_session *ss = &rk_sessions[s];
		int sfd = rk_create_session(lu, ss->name);

		if (sfd < 0) {
			printf("RK FAIL create session %s: %s\n", ss->name,
			       strerror(errno));
			return 1;
		}
		for (i = 0; i < ss->nfiles; i++) {
			const struct rk_file *f = &ss->files[i];
			int fd = rk_make_memfd(f);

			if (fd < 0 || rk_preserve(sfd, fd, f->token) < 0) {
				printf("RK FAIL preserve %s/%#llx: %s\n",
				       ss->name, (unsigned long long)f->token,
				       strerror(errno));
				return 1;
			}
		}
	}
	rk_print_expect();
	return rk_kexec(kernel, initrd, cmd);
}

static int rk_check_file(int sfd, const struct rk_session *ss,
			 const struct rk_file *f)
{
	struct liveupdate_session_retrieve_fd r;
	unsigned char *buf, d[32];
	char want[65], got[65];
	struct stat st;
	ssize_t n;
	int seals;

	memset(&r, 0, sizeof(r));
	r.size = sizeof(r);
	r.token = f->token;
	if (ioctl(sfd, LIVEUPDATE_SESSION_RETRIEVE_FD, &r) < 0) {
		printf("RK FAIL %s/%#llx retrieve: %s\n", ss->name,
		       (unsigned long long)f->token, strerror(errno));
		return 1;
	}
	if (fstat(r.fd, &st) < 0 || (size_t)st.st_size != f->size) {
		printf("RK FAIL %s/%#llx size %lld want %zu\n", ss->name,
		       (unsigned long long)f->token, (long long)st.st_size,
		       f->size);
		return 1;
	}
	seals = fcntl(r.fd, F_GET_SEALS);
	if (seals != rk_expected_seals(f)) {
		printf("RK FAIL %s/%#llx seals %#x want %#x\n", ss->name,
		       (unsigned long long)f->token, seals,
		       rk_expected_seals(f));
		return 1;
	}
	buf = malloc(f->size ? f->size : 1);
	n = buf ? pread(r.fd, buf, f->size, 0) : -1;
	if (n != (ssize_t)f->size) {
		printf("RK FAIL %s/%#llx read\n", ss->name,
		       (unsigned long long)f->token);
		free(buf);
		return 1;
	}
	rk_sha256(buf, f->size, d);
	free(buf);
	rk_hex(d, got);
	rk_content_sha(f, want);
	if (strcmp(got, want)) {
		printf("RK FAIL %s/%#llx sha256 %s want %s\n", ss->name,
		       (unsigned long long)f->token, got, want);
		return 1;
	}
	printf("RK OK %s/%#llx size %zu seals %#x sha256 %s\n", ss->name,
	       (unsigned long long)f->token, f->size, seals, got);
	return 0;
}

static int do_retrieve(void)
{
	int lu, s, i, ok = 0, fail = 0;

	lu = open("/dev/liveupdate", O_RDWR);
	if (lu < 0) {
		printf("RK FAIL open /dev/liveupdate: %s\n", strerror(errno));
		printf("RK-DONE ok=0 fail=1\n");
		return 1;
	}
	for (s = 0; s < RK_NSESSIONS; s++) {
		const struct rk_session *ss = &rk_sessions[s];
		struct liveupdate_ioctl_retrieve_session rs;
		struct liveupdate_session_finish fin;

		memset(&rs, 0, sizeof(rs));
		rs.size = sizeof(rs);
		snprintf((char *)rs.name, sizeof(rs.name), "%s", ss->name);
		if (ioctl(lu, LIVEUPDATE_IOCTL_RETRIEVE_SESSION, &rs) < 0) {
			printf("RK FAIL session %s retrieve: %s\n", ss->name,
			       strerror(errno));
			fail++;
			continue;
		}
		for (i = 0; i < ss->nfiles; i++) {
			if (rk_check_file(rs.fd, ss, &ss->files[i]))
				fail++;
			else
				ok++;
		}
		memset(&fin, 0, sizeof(fin));
		fin.size = sizeof(fin);
		if (ioctl(rs.fd, LIVEUPDATE_SESSION_FINISH, &fin) < 0) {
			printf("RK FAIL session %s finish: %s\n", ss->name,
			       strerror(errno));
			fail++;
		} else {
			printf("RK OK session %s finish\n", ss->name);
			ok++;
		}
	}
	printf("RK-DONE ok=%d fail=%d\n", ok, fail);
	fflush(stdout);
	return fail != 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 5 && !strcmp(argv[1], "preserve"))
		return do_preserve(argv[2], argv[3], argv[4]);
	if (argc == 2 && !strcmp(argv[1], "retrieve"))
		return do_retrieve();
	fprintf(stderr, "usage: %s preserve KERNEL INITRD CMDLINE | retrieve\n",
		argv[0]);
	return 2;
}
