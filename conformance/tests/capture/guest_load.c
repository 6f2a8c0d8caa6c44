// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * guest_load - put a state image's memory into the guest's physical
 * memory, for the capture round trip (conformance/tests/capture).
 *
 *   guest_load FILE...        write every PT_LOAD of each FILE to /dev/mem
 *   guest_load -z PHYS LEN    write LEN zero bytes at PHYS
 *
 * Runs in the guest (static, no libelf there).  Each FILE is a state image
 * with one extra byte in front: so no copy of a state page on the way --
 * the initramfs, the page cache, this program's buffer -- starts on a page
 * boundary, and the only page-aligned copy of the KHO root FDT that
 * "luo-conform capture" can find by scanning is the one written here.
 * The image came from this tree's writer and is read only bounds-checked.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SHIFT	1	/* the padding byte in front of each image */

static int mem_write(int mem, unsigned long long phys, const unsigned char *p, size_t len)
{
	while (len) {
		ssize_t n = pwrite(mem, p, len, (off_t)phys);

		if (n <= 0) {
			fprintf(stderr, "guest_load: /dev/mem at 0x%llx: %s\n", phys,
				n ? strerror(errno) : "short write");
			return -1;
		}
		p += n;
		phys += (unsigned long long)n;
		len -= (size_t)n;
	}
	return 0;
}

static unsigned char *slurp(const char *path, size_t *len)
{
	struct stat st;
	unsigned char *buf;
	int fd = open(path, O_RDONLY);
	size_t got = 0;

	if (fd < 0 || fstat(fd, &st) < 0 || st.st_size < SHIFT + (off_t)sizeof(Elf64_Ehdr)) {
		fprintf(stderr, "guest_load: %s: cannot read or too short\n", path);
		return NULL;
	}
	buf = malloc((size_t)st.st_size);
	while (buf && got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);

		if (n <= 0) {
			free(buf);
			buf = NULL;
			break;
		}
		got += (size_t)n;
	}
	close(fd);
	*len = got;
	return buf;
}

static int load(int mem, const char *path)
{
	size_t len, i;
	unsigned char *buf = slurp(path, &len);
	const unsigned char *img;
	Elf64_Ehdr eh;
	int ret = 0;

	if (!buf)
		return -1;
	img = buf + SHIFT;
	len -= SHIFT;
	memcpy(&eh, img, sizeof(eh));
	if (memcmp(eh.e_ident, ELFMAG, SELFMAG) || eh.e_phentsize != sizeof(Elf64_Phdr) ||
	    eh.e_phoff > len || eh.e_phnum > (len - eh.e_phoff) / sizeof(Elf64_Phdr)) {
		fprintf(stderr, "guest_load: %s: not a little-endian ELF64 state image\n", path);
		free(buf);
		return -1;
	}
	for (i = 0; i < eh.e_phnum && !ret; i++) {
		Elf64_Phdr ph;

		memcpy(&ph, img + eh.e_phoff + i * sizeof(ph), sizeof(ph));
		if (ph.p_type != PT_LOAD || !ph.p_filesz)
			continue;
		if (ph.p_offset > len || ph.p_filesz > len - ph.p_offset) {
			fprintf(stderr, "guest_load: %s: segment %zu past the end\n", path, i);
			ret = -1;
			break;
		}
		ret = mem_write(mem, ph.p_paddr, img + ph.p_offset, ph.p_filesz);
	}
	free(buf);
	return ret;
}

static int zero(int mem, const char *phys_s, const char *len_s)
{
	unsigned long long phys = strtoull(phys_s, NULL, 0), len = strtoull(len_s, NULL, 0);
	static const unsigned char z[65536];

	while (len) {
		size_t n = len < sizeof(z) ? (size_t)len : sizeof(z);

		if (mem_write(mem, phys, z, n))
			return -1;
		phys += n;
		len -= n;
	}
	return 0;
}

int main(int argc, char **argv)
{
	int mem = open("/dev/mem", O_RDWR), i, ret = 0;

	if (mem < 0) {
		perror("guest_load: /dev/mem");
		return 1;
	}
	if (argc == 4 && !strcmp(argv[1], "-z"))
		ret = zero(mem, argv[2], argv[3]);
	else
		for (i = 1; i < argc && !ret; i++)
			ret = load(mem, argv[i]);
	close(mem);
	return ret ? 1 : 0;
}
