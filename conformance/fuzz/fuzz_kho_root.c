// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * fuzz_kho_root.c - the input is the KHO root FDT; nothing else is in
 * memory.  Checked as written by a little- and by a big-endian CPU, with
 * the profile detected (detection reads only the root here), so every
 * profile's root rules are reachable through the compatible string; and
 * once more as a bare KHO root (luoc_config.input), which it is here.
 */
#include "fz.h"

#define ROOT_PHYS	0x100000ULL

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct luoc_config cfg = { .kho_root = ROOT_PHYS, .page_size = 4096 };
	static struct fz_mem m;

	if (!size || fz_mem_add(&m, ROOT_PHYS, data, size) || fz_mem_seal(&m)) {
		fz_mem_free(&m);
		return 0;
	}
	fz_check(&cfg, &m, (size_t)-1);
	cfg.big_endian = true;
	/* a root larger than a page, as a kho_root_size from an image note allows */
	cfg.kho_root_size = size < 64 ? 64 : size;
	fz_check(&cfg, &m, (size_t)-1);
	cfg.input = LUOC_INPUT_KHO_FDT;
	fz_check(&cfg, &m, (size_t)-1);
	fz_mem_free(&m);
	return 0;
}
