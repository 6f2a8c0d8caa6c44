// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * check_fdt.c - check one bare FDT: the KHO root or the LUO FDT alone,
 * as KHO's debugfs shows them or a vector's sources build them.
 *
 * The file is read into memory at physical address 0, zero-padded to the
 * area a kernel gives that FDT, and the core checks it as the whole
 * input: the memory its properties point at is not there, so the rules on
 * that memory are not checked (the summary says so).
 */
#define _GNU_SOURCE	/* memmem */
#include <errno.h>
#include <fcntl.h>
#include <libfdt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conform.h"

/* Larger than any FDT a profile hands over: not a bare FDT of ours. */
#define CF_FDT_MAX	(16u << 20)

struct cf_bare {
	const uint8_t *buf;
	uint64_t size;
};

static const void *bare_map(void *ctx, uint64_t phys, uint64_t len)
{
	const struct cf_bare *b = ctx;

	return phys <= b->size && len <= b->size - phys ? b->buf + phys : NULL;
}

/* Some profile's KHO root string, NUL included, anywhere in the bytes. */
static bool has_kho_string(const uint8_t *buf, uint64_t size)
{
	unsigned int i;

	for (i = 0; i < luoc_n_profiles; i++)
		if (memmem(buf, size, luoc_profiles[i].kho_compat,
			   strlen(luoc_profiles[i].kho_compat) + 1))
			return true;
	return false;
}

/*
 * Which FDT: a root that carries a profile's KHO root string, or a LUO
 * entry sub-node, is a KHO root; anything else is read as a LUO FDT (whose
 * checks then say what is wrong with it).  libfdt looks into it only once
 * fdt_check_full() has found the whole tree sound and inside the buffer;
 * of a tree it cannot walk, only the strings are looked for.
 */
static enum luoc_input fdt_kind(const uint8_t *buf, uint64_t size)
{
	const struct luoc_profile *p;
	unsigned int i;

	if (fdt_check_full(buf, size))
		return has_kho_string(buf, size) ? LUOC_INPUT_KHO_FDT : LUOC_INPUT_LUO_FDT;
	for (i = 0; i < luoc_n_profiles; i++) {
		p = &luoc_profiles[i];
		if (!fdt_node_check_compatible(buf, 0, p->kho_compat) ||
		    fdt_subnode_offset(buf, 0, p->luo_entry) >= 0)
			return LUOC_INPUT_KHO_FDT;
	}
	return LUOC_INPUT_LUO_FDT;
}

/* The whole file in a zeroed buffer of at least 'area' bytes, or NULL. */
static uint8_t *read_padded(int fd, uint64_t file, uint64_t area, uint64_t *sizep)
{
	uint64_t size = file > area ? file : area;
	uint8_t *buf = calloc(1, size);
	uint64_t done = 0;
	ssize_t n;

	if (!buf)
		return NULL;
	while (done < file) {
		n = pread(fd, buf + done, file - done, (off_t)done);
		if (n <= 0) {
			free(buf);
			return NULL;
		}
		done += (uint64_t)n;
	}
	*sizep = size;
	return buf;
}

static void bare_check(const struct cf_opts *o, struct cf_report *r, struct cf_ws *ws,
		       const struct cf_bare *b)
{
	struct luoc_config cfg = {
		.page_size = o->have_page_size ? o->page_size : 4096,
		.big_endian = o->big_endian,
	};
	const struct luoc_mem mem = { .map = bare_map, .ctx = (void *)b };
	char text[LUOC_REASON_MAX] = "";
	int ret;

	cfg.input = o->fdt_kind ? o->fdt_kind : fdt_kind(b->buf, b->size);
	/* a kernel gives the KHO root one page (the image note's kho_root_size) */
	cfg.kho_root_size = cfg.input == LUOC_INPUT_KHO_FDT ? cfg.page_size : 0;
	r->input = cfg.input;
	if (o->profile) {
		cfg.profile = luoc_profile_find(o->profile);
		snprintf(r->reason, sizeof(r->reason), "--profile");
	} else {
		cfg.profile = luoc_detect_r(&cfg, &mem, text, sizeof(text));
		snprintf(r->reason, sizeof(r->reason), "%s%s",
			 cfg.profile ? "detected: " : "detection failed: ", text[0] ? text : "no reason given");
	}
	ret = cf_core_pass(o, r, ws, &cfg, &mem, luoc_workspace_hint(b->size));
	if (ret) {
		cf_fail(r, "the checker refused the configuration: %s", luoc_strerror(ret));
		return;
	}
	cf_verdict(o, r, &cfg);
}

int cf_check_fdt(const struct cf_opts *o, const char *path, struct cf_report *r,
		 struct cf_ws *ws)
{
	const struct luoc_config luo = {
		.input = LUOC_INPUT_LUO_FDT, .page_size = o->have_page_size ? o->page_size : 4096,
	};
	uint8_t magic[4];
	struct cf_bare b = { NULL, 0 };
	uint8_t *buf;
	struct stat st;
	int fd, ret = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;	/* the image reader says why */
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) ||
	    pread(fd, magic, sizeof(magic), 0) != (ssize_t)sizeof(magic) ||
	    ((uint32_t)magic[0] << 24 | (uint32_t)magic[1] << 16 | (uint32_t)magic[2] << 8 |
	     magic[3]) != FDT_MAGIC)
		goto out;
	ret = 1;
	r->path = path;
	r->status = CF_CHECKED;
	if ((uint64_t)st.st_size > CF_FDT_MAX) {
		cf_fail(r, "an FDT of %lld bytes is larger than any KHO or LUO FDT (%u)",
			(long long)st.st_size, CF_FDT_MAX);
		goto out;
	}
	/* a LUO FDT's area is the larger one: it holds a KHO root's page too */
	buf = read_padded(fd, (uint64_t)st.st_size, luoc_bare_area(&luo), &b.size);
	if (!buf) {
		cf_fail(r, "cannot read the FDT: %s", strerror(errno ? errno : EIO));
		goto out;
	}
	b.buf = buf;
	bare_check(o, r, ws, &b);
	free(buf);
out:
	close(fd);
	return ret;
}
