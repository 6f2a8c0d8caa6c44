// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * oot_adapter.c - a minimal adapter built out of tree against an installed
 * suite, in one line:
 *     cc -shared -fPIC -o oot.so oot_adapter.c $(pkg-config --cflags --libs luoconform)
 * It restores v7.0 only and refuses everything except an image the
 * installed checker core finds conformant, which it "accepts" as empty.
 * It exists to prove the installed headers, libraries and pkg-config file
 * work together; it is not a useful implementation.
 */
#include <stdlib.h>
#include <string.h>

#include <luoc/adapter.h>
#include <luoc/luoc.h>
#include <luoc/luoc_image.h>

static const char *const profiles[] = { "v7.0", NULL };

static int restore(const char *profile, const struct luoc_restore_in *in,
		   struct luoc_restore_out *out)
{
	struct luoc_config cfg = { 0 };
	struct luoc_result res;
	struct luoc_image *img;
	struct luoc_mem mem;
	const struct luoc_image_info *info;
	char err[128];

	memset(out, 0, sizeof(*out));
	if (luoc_image_open(in->image_path, &img, err, sizeof(err)))
		return -22;
	info = luoc_image_info(img);
	cfg.profile = luoc_profile_find(profile);
	cfg.kho_root = info->kho_root;
	cfg.kho_root_size = info->kho_root_size;
	cfg.page_size = info->page_size;
	cfg.big_endian = info->big_endian;
	cfg.workspace_size = luoc_workspace_hint(info->mem_bytes);
	cfg.workspace = malloc(cfg.workspace_size);
	mem.map = luoc_image_map;
	mem.ctx = img;
	if (cfg.workspace && !luoc_check(&cfg, &mem, &(struct luoc_visitor){ 0 }, &res) && !res.errors && !res.sessions) {
		out->verdict = LUOC_VERDICT_ACCEPT;
		out->outcome = LUOC_OUT_ACCEPT;
		out->state.liveupdate_number = 1;
	} else {
		out->verdict = LUOC_VERDICT_REJECT;
		out->outcome = LUOC_OUT_PANIC;
	}
	strcpy(out->message, "oot-adapter");
	free(cfg.workspace);
	luoc_image_close(img);
	return 0;
}

static void restore_free(struct luoc_restore_out *out)
{
	(void)out;
}

static const struct luoc_adapter adapter = {
	.abi = LUOC_ADAPTER_ABI,
	.size = sizeof(adapter),
	.name = "oot-adapter",
	.version = "0.0",
	.profiles = profiles,
	.restore = restore,
	.restore_free = restore_free,
};

const struct luoc_adapter *luoc_adapter_get(void)
{
	return &adapter;
}
