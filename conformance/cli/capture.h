/* SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause) */
/*
 * capture.h - "luo-conform capture" internals shared by capture_cmd.c (the
 * command, the reference collector, the writer) and capture_root.c
 * (locating the KHO root in a dump).
 */
#ifndef LUOC_CAPTURE_H
#define LUOC_CAPTURE_H

#include "conform.h"

#define ROOT_FDT_MAX	(1u << 20)	/* bytes of a plausible KHO root FDT */

struct cap_opts {
	const char *dump, *out, *profile;
	bool have_root, have_bp;
	uint64_t kho_root, boot_params;
	uint32_t page_size;
};

/* A candidate KHO root and how it was found. */
struct cap_cand {
	uint64_t addr;
	uint64_t size;		/* from setup_data, else 0 (a page) */
	char how[200];
};

/* capture_root.c: 0 and *root filled, or -1 with the reason on stderr */
int cap_find_root(const struct cap_opts *o, struct luoc_image *img, struct cap_cand *root);

/* capture_cmd.c */
void cap_config(const struct cap_opts *o, const struct luoc_image_info *info,
		const struct cap_cand *root, struct luoc_config *cfg);
int cap_check_at(struct luoc_config *cfg, const struct luoc_mem *mem, uint64_t mem_bytes,
		 struct luoc_result *res, char *reason, size_t rlen);
void cap_say(const struct cap_opts *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif /* LUOC_CAPTURE_H */
