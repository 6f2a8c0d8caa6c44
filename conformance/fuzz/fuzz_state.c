// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * fuzz_state.c - the input is a whole state: a configuration header and
 * memory records (format in fz.h).  The seeds are the golden vectors, so
 * the fuzzer starts from complete, valid states of every profile and
 * mutates sessions, file arrays, memfd states, folio arrays and KHO maps.
 */
#include <string.h>

#include "fz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint64_t le(const uint8_t *p, unsigned int n)
{
	uint64_t v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

static size_t ws_bytes(uint8_t sel)
{
	if (!sel)
		return (size_t)-1;
	if (sel == FZ_STATE_WS_NONE)
		return 0;
	return (size_t)sel * 64;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint32_t page_sizes[4] = { 4096, 16384, 65536, 4096 };
	static struct fz_mem m;
	struct luoc_config cfg = { 0 };
	size_t off = FZ_STATE_HDR;
	uint8_t prof;

	if (size < FZ_STATE_HDR)
		return 0;
	cfg.big_endian = data[0] & FZ_STATE_BE;
	cfg.page_size = page_sizes[(data[0] >> 1) & 3];
	prof = data[1];
	cfg.profile = prof ? &luoc_profiles[(prof - 1u) % luoc_n_profiles] : NULL;
	cfg.kho_root_size = le(data + 4, 4);
	if (cfg.kho_root_size < 40)	/* luoc_check() refuses smaller (-LUOC_EINVAL) */
		cfg.kho_root_size = 0;
	cfg.kho_root = le(data + 8, 8);
	while (size - off >= FZ_STATE_REC) {
		uint64_t phys = le(data + off, 8), len = le(data + off + 8, 4);
		bool zeros = le(data + off + 12, 4) != 0;

		off += FZ_STATE_REC;
		if (!zeros && len > size - off)
			len = size - off;
		if (len && fz_mem_add(&m, phys, zeros ? NULL : data + off, len))
			break;
		if (!zeros)
			off += len;
	}
	if (!fz_mem_seal(&m))
		fz_check(&cfg, &m, ws_bytes(data[2]));
	fz_mem_free(&m);
	return 0;
}
