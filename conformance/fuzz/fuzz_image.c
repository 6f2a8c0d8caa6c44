// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * fuzz_image.c - the input is a state image file: it goes through the
 * libelf reader (conformance/image, from a memfd) and, when the reader
 * accepts it and its LUO note gives a usable configuration, through the
 * checker core the way luo-conform check runs it.  The reader maps the
 * file read-only, so a write by the core would fault.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <stdbool.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fz.h"
#include "luoc_image.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int memfd = -1;
static char path[64];

/*
 * Every byte the reader says a segment holds must map, and no byte past
 * it.  Where segments overlap (LUO-IMG-004) a byte has no one owner and
 * map() may serve another segment's shorter run: then only the bounds
 * are promised, whatever map() returns must be readable.
 */
static void segments(struct luoc_image *img)
{
	volatile uint8_t sink = 0;
	uint64_t phys, len, end;
	bool overlap = luoc_image_overlap(img, &phys) >= 0;
	unsigned int i;

	for (i = 0; luoc_image_segment(img, i, &phys, &len); i++) {
		const uint8_t *p;

		if (!len)
			continue;
		p = luoc_image_map(img, phys, len);
		if (!p && !overlap)
			fz_fail("segment %u [0x%llx, +0x%llx) does not map", i,
				(unsigned long long)phys, (unsigned long long)len);
		if (p)
			sink ^= p[0] ^ p[len - 1];
		if (!__builtin_add_overflow(phys, len, &end) && end != 0)
			(void)luoc_image_map(img, end - 1, 2);
	}
	(void)sink;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct luoc_image_info *info;
	struct luoc_config cfg = { 0 };
	struct luoc_image *img;
	struct luoc_mem mem;
	char err[256];

	if (memfd < 0) {
		memfd = memfd_create("fuzz-image", MFD_CLOEXEC);
		if (memfd < 0)
			fz_fail("memfd_create failed");
		snprintf(path, sizeof(path), "/proc/self/fd/%d", memfd);
	}
	if (ftruncate(memfd, 0) || (size && pwrite(memfd, data, size, 0) != (ssize_t)size))
		fz_fail("cannot write the memfd");
	if (luoc_image_open(path, &img, err, sizeof(err))) {
		if (!memchr(err, '\0', sizeof(err)) || !err[0])
			fz_fail("the reader refused without a reason");
		return 0;
	}
	info = luoc_image_info(img);
	segments(img);
	if (info->has_note && !info->flags &&
	    (info->page_size == 4096 || info->page_size == 16384 || info->page_size == 65536) &&
	    (!info->kho_root_size || info->kho_root_size >= 40)) {
		cfg.kho_root = info->kho_root;
		cfg.kho_root_size = info->kho_root_size;
		cfg.page_size = info->page_size;
		cfg.big_endian = info->big_endian;
		cfg.profile = info->profile[0] ? luoc_profile_find(info->profile) : NULL;
		mem.map = luoc_image_map;
		mem.ctx = img;
		if (!info->profile[0] || cfg.profile)
			fz_check_mem(&cfg, &mem, info->mem_bytes, (size_t)-1);
	}
	luoc_image_close(img);
	return 0;
}
