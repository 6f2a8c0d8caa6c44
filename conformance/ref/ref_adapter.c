// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * ref_adapter.c - the reference implementation behind the adapter
 * interface: embedded in luo-conform as its default implementation
 * (luoc_ref_adapter) and exported from libluocref.so (luoc_adapter_get).
 *
 * The broken sample adapters are this file built with -DLUOC_REF_DEFECT
 * (one REF_DEF_* bit) and -DLUOC_REF_NAME.
 */
#include "ref.h"

#ifndef LUOC_REF_NAME
#define LUOC_REF_NAME "luoc-ref"
#endif
#ifndef LUOC_SUITE_VERSION
#define LUOC_SUITE_VERSION "0"
#endif

static int adapter_restore(const char *profile, const struct luoc_restore_in *in,
			   struct luoc_restore_out *out)
{
	return ref_restore(profile, in, LUOC_REF_DEFECT, out);
}

static int adapter_preserve(const char *profile, const struct luoc_state *state,
			    const struct luoc_preserve_opts *opts, const char *out_path,
			    char *err, size_t errlen)
{
	return ref_preserve(profile, state, opts, LUOC_REF_DEFECT, out_path, err, errlen);
}

static struct luoc_adapter ref_adapter = {
	.abi = LUOC_ADAPTER_ABI,
	.size = sizeof(struct luoc_adapter),
	.name = LUOC_REF_NAME,
	.version = LUOC_SUITE_VERSION,
	.restore = adapter_restore,
	.restore_free = ref_restore_free,
	.preserve = adapter_preserve,
};

const struct luoc_adapter *luoc_ref_adapter(void)
{
	ref_adapter.profiles = ref_profile_names();
	return &ref_adapter;
}

#ifdef LUOC_REF_SHARED
__attribute__((visibility("default")))
const struct luoc_adapter *luoc_adapter_get(void)
{
	return luoc_ref_adapter();
}
#endif
