// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * fuzz_luo_fdt.c - the input is the LUO FDT, behind a valid KHO root
 * (empty preserved-memory map) whose LUO sub-node points at it; the rest
 * of memory is empty.  The input's length picks the profile (size modulo
 * the profile count; bytes past the FDT's totalsize are never read), which
 * checks it as its own and then detects, so the fuzzer reaches every
 * profile's rules at a third of the cost of checking all of them each time.
 * Then the input alone, as a bare LUO FDT (luoc_config.input), detected.
 */
#include "fz.h"

#define ROOT_PHYS	0x100000ULL
#define LUO_PHYS	0x200000ULL
#define ROOT_SIZE	512

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t root[ROOT_SIZE];
	static struct fz_mem m;
	/* blob-size as a writer would set it: the FDT's totalsize */
	uint64_t blob = size >= 8 ? be32(data + 4) : size;
	const struct luoc_profile *p;
	struct luoc_config cfg = { .kho_root = ROOT_PHYS, .page_size = 4096 };

	if (!size)
		return 0;
	p = &luoc_profiles[size % luoc_n_profiles];
	if (fz_kho_root(p, root, ROOT_SIZE, LUO_PHYS, blob))
		fz_fail("cannot build the KHO root for %s", p->name);
	if (!fz_mem_add(&m, ROOT_PHYS, root, ROOT_SIZE) && !fz_mem_add(&m, LUO_PHYS, data, size) &&
	    !fz_mem_seal(&m)) {
		cfg.profile = p;
		fz_check(&cfg, &m, (size_t)-1);
		cfg.profile = NULL;
		fz_check(&cfg, &m, (size_t)-1);
		cfg.input = LUOC_INPUT_LUO_FDT;
		cfg.kho_root = LUO_PHYS;
		fz_check(&cfg, &m, (size_t)-1);
	}
	fz_mem_free(&m);
	return 0;
}
