// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * luo-guest: drives /dev/liveupdate of a real kernel for the real-kernel
 * producer test (conformance/tests/realkernel).
 *
 *   luo-guest preserve SET KERNEL INITRD CMDLINE
 *       creates the sessions and memfds of scenario SET (below), preserves
 *       every memfd with its token, prints the expected state as one JSON
 *       line per session ("RK-EXPECT {...}"), then kexecs (kexec_file_load
 *       + reboot) into KERNEL with every descriptor still open: the
 *       outgoing kernel serializes what is open at that moment.
 *   luo-guest retrieve SET
 *       in the new kernel: retrieves every session and memfd of SET,
 *       compares size, position, seals and content with the scenario, and
 *       prints one "RK OK ..." or "RK FAIL ..." line each, then
 *       "RK-DONE ok=N fail=M".
 *
 * Both modes build the same scenario, so nothing but the scenario name
 * crosses the kexec.  Contents come from a position-addressed pattern, so
 * even a 64 MiB memfd is written, hashed and compared in 1 MiB chunks.
 *
 * Built against the tested tree's include/uapi/linux/liveupdate.h (ioctl
 * numbers and structs come from there).  RK_MEMFD_SEALS=0 is for kernels
 * whose memfd handler does not carry seals (memfd-v1: v6.19, v7.0): a
 * retrieved memfd then has F_SEAL_SEAL only.  Static: the guest has only
 * busybox.
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

#ifndef RK_MEMFD_SEALS
#define RK_MEMFD_SEALS 1
#endif
/* Newer than the C library headers of the build machine. */
#ifndef F_SEAL_FUTURE_WRITE
#define F_SEAL_FUTURE_WRITE 0x0010
#endif
#ifndef F_SEAL_EXEC
#define F_SEAL_EXEC 0x0020
#endif
#ifndef MFD_NOEXEC_SEAL
#define MFD_NOEXEC_SEAL 0x0008U
#endif

#define KIB 1024ull
#define MIB (1024ull * 1024ull)
#define RK_CHUNK (1024 * 1024)	/* write/hash/compare granule */
#define RK_RUN 4096		/* bytes of data at each stride of a sparse memfd */

struct rk_file {
	uint64_t token;
	uint64_t size;		/* i_size */
	uint64_t pos;		/* file position left at preserve time */
	uint64_t stride;	/* sparse: data only in the first RK_RUN bytes of
				 * every stride; 0: data everywhere */
	unsigned int seed;	/* content pattern; 0: nothing written (holes) */
	unsigned int mfd_flags;	/* memfd_create flags */
	unsigned int add_seals;	/* F_ADD_SEALS after filling */
};

struct rk_session {
	char name[LIVEUPDATE_SESSION_NAME_LENGTH];
	int nfiles;
	struct rk_file *files;
};

struct rk_set {
	int nsessions;
	struct rk_session *sessions;
};

static unsigned char rk_buf[RK_CHUNK], rk_want[RK_CHUNK];

static void *rk_grow(void *p, size_t n, size_t size)
{
	p = realloc(p, n * size);
	if (!p) {
		printf("RK FAIL out of memory\n");
		exit(1);
	}
	memset((char *)p + (n - 1) * size, 0, size);
	return p;
}

static struct rk_session *rk_session(struct rk_set *set, const char *name)
{
	struct rk_session *s;

	set->sessions = rk_grow(set->sessions, ++set->nsessions, sizeof(*s));
	s = &set->sessions[set->nsessions - 1];
	snprintf(s->name, sizeof(s->name), "%s", name);
	return s;
}

static struct rk_file *rk_file(struct rk_session *s, uint64_t token,
			       uint64_t size, unsigned int seed)
{
	struct rk_file *f;

	s->files = rk_grow(s->files, ++s->nfiles, sizeof(*f));
	f = &s->files[s->nfiles - 1];
	f->token = token;
	f->size = size;
	f->seed = seed;
	return f;
}

static struct rk_file *rk_sealed(struct rk_session *s, uint64_t token,
				 uint64_t size, unsigned int seed,
				 unsigned int seals)
{
	struct rk_file *f = rk_file(s, token, size, seed);

	f->mfd_flags = MFD_ALLOW_SEALING;
	f->add_seals = seals;
	return f;
}

/* "basic": one block of everything; a memfd of each common kind. */
static void rk_set_basic(struct rk_set *set)
{
	struct rk_session *s;

	s = rk_session(set, "rk-alpha");
	rk_file(s, 0x1001, 0, 0);
	rk_file(s, 0x1002, 13, 7)->pos = 5;
	rk_file(s, 0x1003, 3 * MIB, 11);
	s = rk_session(set, "rk-sealed");
	rk_sealed(s, 0x2001, 8192, 23,
		  F_SEAL_WRITE | F_SEAL_SHRINK | F_SEAL_GROW)->pos = 4096;
	rk_sealed(s, 0x2002, 100000, 0, F_SEAL_SEAL);
	rk_session(set, "rk-empty");
	s = rk_session(set, "rk-one");
	rk_file(s, 0xfeedfacecafe0001ull, 64 * KIB + 17, 31);
}

#define RK_FILES_IN_CHAIN 70	/* > 63 file entries per 4 KiB block */
#define RK_FILLER_SESSIONS 60	/* with the 4 below: 64 > 51 per block */

/*
 * "chains": a session chain and a file chain longer than one block, empty
 * sessions, a 64 MiB memfd, sparse and all-hole memfds, and every seal the
 * memfd handler carries.
 */
static void rk_set_chains(struct rk_set *set)
{
	struct rk_session *s;
	struct rk_file *f;
	char name[LIVEUPDATE_SESSION_NAME_LENGTH];
	int i;

	s = rk_session(set, "rk-files");
	for (i = 0; i < RK_FILES_IN_CHAIN; i++) {
		f = rk_file(s, 0x70000 + i, i % 10 ? 1 + i * 61ull : 0, 100 + i);
		f->pos = f->size ? (uint64_t)(i % 7) : 0;
	}
	s = rk_session(set, "rk-large");
	f = rk_file(s, 0x6400000, 64 * MIB, 0x64);
	f->pos = f->size;
	s = rk_session(set, "rk-sparse");
	f = rk_file(s, 0x5001, 16 * MIB, 51);
	f->stride = 4 * MIB;
	f->pos = 12345;
	rk_file(s, 0x5002, MIB + 100, 0);
	rk_sealed(s, 0x5003, 0, 0, F_SEAL_GROW);
	s = rk_session(set, "rk-seals");
	rk_sealed(s, 0x5e01, 8193, 61, F_SEAL_SEAL | F_SEAL_SHRINK |
		  F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_FUTURE_WRITE);
	rk_file(s, 0x5e02, 4096, 62)->mfd_flags = MFD_NOEXEC_SEAL;
	rk_sealed(s, 0x5e03, 100, 63, 0);
	rk_sealed(s, 0x5e04, 5000, 64, F_SEAL_FUTURE_WRITE);
	for (i = 0; i < RK_FILLER_SESSIONS; i++) {
		if (i == RK_FILLER_SESSIONS - 1)	/* longest name allowed */
			snprintf(name, sizeof(name), "rk-%0*d", (int)sizeof(name) - 4, i);
		else
			snprintf(name, sizeof(name), "rk-s%02d", i);
		s = rk_session(set, name);
		if (i % 3 == 0)
			continue;	/* empty session */
		rk_file(s, 0x100000 + (i << 8) + 1, 100 + i, 200 + i);
		if (i % 5 == 0)
			rk_file(s, 0x100000 + (i << 8) + 2, 4096 * (i % 4 + 1), 300 + i);
	}
}

static int rk_build(const char *name, struct rk_set *set)
{
	memset(set, 0, sizeof(*set));
	if (!strcmp(name, "basic"))
		rk_set_basic(set);
	else if (!strcmp(name, "chains"))
		rk_set_chains(set);
	else
		return -1;
	return 0;
}

static uint64_t rk_mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

/* Content of f at [off, off + len): a function of (seed, offset) only. */
static void rk_gen(const struct rk_file *f, uint64_t off, unsigned char *buf,
		   size_t len)
{
	uint64_t w = 0, wi = UINT64_MAX;
	size_t i;

	for (i = 0; i < len; i++) {
		uint64_t p = off + i;

		if (!f->seed || (f->stride && p % f->stride >= RK_RUN)) {
			buf[i] = 0;
			continue;
		}
		if (p >> 3 != wi) {
			wi = p >> 3;
			w = rk_mix(((uint64_t)f->seed << 40) ^ wi);
		}
		buf[i] = (unsigned char)(w >> (8 * (p & 7)));
	}
}

/* Seals the memfd has after preserve_fd's caller set it up. */
static unsigned int rk_seals(const struct rk_file *f)
{
	unsigned int s = f->add_seals;

	if (f->mfd_flags & MFD_NOEXEC_SEAL)
		s |= F_SEAL_EXEC;
	else if (!(f->mfd_flags & MFD_ALLOW_SEALING))
		s |= F_SEAL_SEAL;	/* set by the kernel */
	return s;
}

/* Seals after retrieve: memfd-v1 does not carry them. */
static unsigned int rk_retrieved_seals(const struct rk_file *f)
{
	return RK_MEMFD_SEALS ? rk_seals(f) : F_SEAL_SEAL;
}

static void rk_hex(const unsigned char *d, char *out)
{
	int i;

	for (i = 0; i < 32; i++)
		sprintf(out + 2 * i, "%02x", d[i]);
}

/* SHA-256 of f's expected content (libcrypto, linked statically). */
static int rk_content_sha(const struct rk_file *f, char *hex)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned char d[32];
	unsigned int n = 32;
	uint64_t off;
	int ok;

	ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
	for (off = 0; ok && off < f->size; off += RK_CHUNK) {
		size_t len = f->size - off < RK_CHUNK ? f->size - off : RK_CHUNK;

		rk_gen(f, off, rk_buf, len);
		ok = EVP_DigestUpdate(ctx, rk_buf, len);
	}
	ok = ok && EVP_DigestFinal_ex(ctx, d, &n);
	EVP_MD_CTX_free(ctx);
	if (ok)
		rk_hex(d, hex);
	return ok ? 0 : -1;
}

/* Size first, then only the data: untouched ranges stay holes. */
static int rk_fill(int fd, const struct rk_file *f)
{
	uint64_t step = f->stride ? f->stride : RK_CHUNK, off;

	if (ftruncate(fd, f->size) < 0)
		return -1;
	for (off = 0; f->seed && off < f->size; off += step) {
		size_t len = f->stride ? RK_RUN : RK_CHUNK;

		if (len > f->size - off)
			len = f->size - off;
		rk_gen(f, off, rk_buf, len);
		if (pwrite(fd, rk_buf, len, off) != (ssize_t)len)
			return -1;
	}
	return 0;
}

static int rk_make_memfd(const struct rk_file *f)
{
	int fd = memfd_create("rk", f->mfd_flags);

	if (fd < 0)
		return -1;
	if (rk_fill(fd, f) < 0 ||
	    lseek(fd, f->pos, SEEK_SET) != (off_t)f->pos ||
	    (f->add_seals && fcntl(fd, F_ADD_SEALS, f->add_seals) < 0))
		return -1;
	if (fcntl(fd, F_GET_SEALS) != (int)rk_seals(f)) {
		errno = EPROTO;	/* the scenario's seal arithmetic is wrong */
		return -1;
	}
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

/*
 * One line per session: the console stays readable and no line gets long
 * enough for kernel messages to land inside it.  Seals are null when the
 * handler does not carry them.
 */
static int rk_print_expect(const struct rk_set *set)
{
	char hex[65], seals[16];
	int s, i;

	for (s = 0; s < set->nsessions; s++) {
		const struct rk_session *ss = &set->sessions[s];

		printf("RK-EXPECT {\"name\": \"%s\", \"files\": [", ss->name);
		for (i = 0; i < ss->nfiles; i++) {
			const struct rk_file *f = &ss->files[i];

			if (rk_content_sha(f, hex))
				return -1;
			if (RK_MEMFD_SEALS)
				snprintf(seals, sizeof(seals), "%u", rk_seals(f));
			else
				snprintf(seals, sizeof(seals), "null");
			printf("%s{\"token\": %llu, \"size\": %llu, \"pos\": %llu, "
			       "\"seals\": %s, \"sha256\": \"%s\"}",
			       i ? ", " : "", (unsigned long long)f->token,
			       (unsigned long long)f->size,
			       (unsigned long long)f->pos, seals, hex);
		}
		printf("]}\n");
	}
	fflush(stdout);
	return 0;
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

static int do_preserve(const struct rk_set *set, const char *kernel,
		       const char *initrd, const char *cmd)
{
	int lu, s, i, nfiles = 0;

	lu = open("/dev/liveupdate", O_RDWR);
	if (lu < 0) {
		perror("open /dev/liveupdate");
		return 1;
	}
	for (s = 0; s < set->nsessions; s++) {
		const struct rk_session *ss = &set->sessions[s];
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
			nfiles++;
		}
	}
	printf("RK-PRESERVED sessions=%d files=%d\n", set->nsessions, nfiles);
	if (rk_print_expect(set)) {
		printf("RK FAIL sha256\n");
		return 1;
	}
	return rk_kexec(kernel, initrd, cmd);
}

#define RK_FAIL(ss, f, fmt, ...) \
	printf("RK FAIL %s/%#llx " fmt "\n", (ss)->name, \
	       (unsigned long long)(f)->token, ##__VA_ARGS__)

/* Reads the whole file back, compares it with the pattern, hashes it. */
static int rk_check_content(int fd, const struct rk_session *ss,
			    const struct rk_file *f, char *hex)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned char d[32];
	unsigned int n = 32;
	uint64_t off;
	int ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);

	for (off = 0; ok && off < f->size; off += RK_CHUNK) {
		size_t len = f->size - off < RK_CHUNK ? f->size - off : RK_CHUNK;

		if (pread(fd, rk_buf, len, off) != (ssize_t)len) {
			RK_FAIL(ss, f, "read at %llu", (unsigned long long)off);
			ok = 0;
			break;
		}
		rk_gen(f, off, rk_want, len);
		if (memcmp(rk_buf, rk_want, len)) {
			RK_FAIL(ss, f, "content differs in [%llu, %llu)",
				(unsigned long long)off,
				(unsigned long long)(off + len));
			ok = 0;
			break;
		}
		ok = EVP_DigestUpdate(ctx, rk_buf, len);
	}
	ok = ok && EVP_DigestFinal_ex(ctx, d, &n);
	EVP_MD_CTX_free(ctx);
	if (ok)
		rk_hex(d, hex);
	return ok ? 0 : -1;
}

static int rk_notes;

/*
 * Observed on 7.2.13, and what its memfd_luo_retrieve() does: the new file
 * is created executable (mode 0777) and the preserved seals are added in
 * one F_ADD_SEALS; F_SEAL_EXEC on an executable file implies the write
 * seals.  So a memfd made with MFD_NOEXEC_SEAL (seals F_SEAL_EXEC, mode
 * 0666) comes back executable and write-sealed.  The state carries the
 * right seals (the producer check compares them); here this one known
 * widening is reported as a note instead of a failure.
 */
static int rk_exec_seal_widened(const struct rk_session *ss,
				const struct rk_file *f, int seals, mode_t mode)
{
	unsigned int want = rk_retrieved_seals(f);
	unsigned int wide = want | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE |
			    F_SEAL_FUTURE_WRITE;

	if (!(want & F_SEAL_EXEC) || seals != (int)wide || !(mode & 0111))
		return 0;
	printf("RK NOTE %s/%#llx seals %#x want %#x, mode %#o: F_SEAL_EXEC "
	       "re-added to an executable file implies the write seals\n",
	       ss->name, (unsigned long long)f->token, seals, want,
	       (unsigned int)(mode & 07777));
	rk_notes++;
	return 1;
}

/* Size, position, seals and content of a retrieved memfd. */
static int rk_check_fd(int fd, const struct rk_session *ss,
		       const struct rk_file *f)
{
	char hex[65];
	struct stat st;
	off_t pos;
	int seals;

	if (fstat(fd, &st) < 0) {
		RK_FAIL(ss, f, "fstat: %s", strerror(errno));
		return 1;
	}
	if ((uint64_t)st.st_size != f->size) {
		RK_FAIL(ss, f, "size %lld want %llu", (long long)st.st_size,
			(unsigned long long)f->size);
		return 1;
	}
	pos = lseek(fd, 0, SEEK_CUR);
	if (pos < 0 || (uint64_t)pos != f->pos) {
		RK_FAIL(ss, f, "pos %lld want %llu", (long long)pos,
			(unsigned long long)f->pos);
		return 1;
	}
	seals = fcntl(fd, F_GET_SEALS);
	if (seals != (int)rk_retrieved_seals(f) &&
	    !rk_exec_seal_widened(ss, f, seals, st.st_mode)) {
		RK_FAIL(ss, f, "seals %#x want %#x", seals,
			rk_retrieved_seals(f));
		return 1;
	}
	if (rk_check_content(fd, ss, f, hex))
		return 1;
	printf("RK OK %s/%#llx size %llu pos %llu seals %#x sha256 %s\n",
	       ss->name, (unsigned long long)f->token,
	       (unsigned long long)f->size, (unsigned long long)f->pos, seals,
	       hex);
	return 0;
}

static int rk_check_file(int sfd, const struct rk_session *ss,
			 const struct rk_file *f)
{
	struct liveupdate_session_retrieve_fd r;
	int ret;

	memset(&r, 0, sizeof(r));
	r.size = sizeof(r);
	r.token = f->token;
	if (ioctl(sfd, LIVEUPDATE_SESSION_RETRIEVE_FD, &r) < 0) {
		RK_FAIL(ss, f, "retrieve: %s", strerror(errno));
		return 1;
	}
	ret = rk_check_fd(r.fd, ss, f);
	close(r.fd);
	return ret;
}

#ifdef LIVEUPDATE_SESSION_GET_NAME
/* The uAPI of 7.2 and later can name a session fd. */
static int rk_check_name(int sfd, const struct rk_session *ss)
{
	struct liveupdate_session_get_name gn;

	memset(&gn, 0, sizeof(gn));
	gn.size = sizeof(gn);
	if (ioctl(sfd, LIVEUPDATE_SESSION_GET_NAME, &gn) < 0) {
		printf("RK FAIL session %s get_name: %s\n", ss->name,
		       strerror(errno));
		return 1;
	}
	if (strncmp((char *)gn.name, ss->name, sizeof(gn.name))) {
		printf("RK FAIL session %s get_name says %.*s\n", ss->name,
		       (int)sizeof(gn.name), (char *)gn.name);
		return 1;
	}
	return 0;
}
#else
static int rk_check_name(int sfd, const struct rk_session *ss)
{
	(void)sfd;
	(void)ss;
	return 0;
}
#endif

static int do_retrieve(const struct rk_set *set)
{
	int lu, s, i, ok = 0, fail = 0;

	lu = open("/dev/liveupdate", O_RDWR);
	if (lu < 0) {
		printf("RK FAIL open /dev/liveupdate: %s\n", strerror(errno));
		printf("RK-DONE ok=0 fail=1\n");
		return 1;
	}
	for (s = 0; s < set->nsessions; s++) {
		const struct rk_session *ss = &set->sessions[s];
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
		fail += rk_check_name(rs.fd, ss);
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
		close(rs.fd);
	}
	printf("RK-DONE ok=%d fail=%d note=%d\n", ok, fail, rk_notes);
	fflush(stdout);
	return fail != 0;
}

int main(int argc, char **argv)
{
	struct rk_set set;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 6 && !strcmp(argv[1], "preserve") && !rk_build(argv[2], &set))
		return do_preserve(&set, argv[3], argv[4], argv[5]);
	if (argc == 3 && !strcmp(argv[1], "retrieve") && !rk_build(argv[2], &set))
		return do_retrieve(&set);
	fprintf(stderr, "usage: %s preserve basic|chains KERNEL INITRD CMDLINE\n"
		"       %s retrieve basic|chains\n", argv[0], argv[0]);
	return 2;
}
