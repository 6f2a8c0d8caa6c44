// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * fz_seed.c - seed corpora for the fuzz targets, cut from state images
 * (the golden vectors):
 *
 *   fz-seed OUTDIR IMAGE...
 *
 * writes, per image, OUTDIR/kho_root/NAME (the KHO root FDT),
 * OUTDIR/luo_fdt/NAME (the LUO FDT the root's LUO sub-node points at),
 * OUTDIR/state/NAME (the whole state in fuzz_state's format, fz.h, with
 * zero pages as zero records, and memfd folio contents, which the checker
 * never reads, blanked so a seed carries only the structures) and
 * OUTDIR/image/NAME (the image file
 * itself, when it is small enough to fuzz).  NAME is the image path with
 * '/' as '_'.  Images the reader refuses only give an image seed.
 */
#include <errno.h>
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fz.h"
#include "luoc_image.h"

#define GRAIN		4096
#define IMAGE_MAX	(512 * 1024)

static int write_file(const char *dir, const char *sub, const char *name,
		      const void *a, size_t alen, const void *b, size_t blen)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, sub);
	if (mkdir(path, 0755) && errno != EEXIST)
		return -1;
	snprintf(path, sizeof(path), "%s/%s/%s", dir, sub, name);
	f = fopen(path, "wb");
	if (!f)
		return -1;
	if ((alen && fwrite(a, 1, alen, f) != alen) || (blen && fwrite(b, 1, blen, f) != blen)) {
		fclose(f);
		return -1;
	}
	return fclose(f);
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* An FDT at phys: its bytes (totalsize of them), or NULL. */
static const uint8_t *fdt_at(struct luoc_image *img, uint64_t phys, size_t *len)
{
	const uint8_t *h = luoc_image_map(img, phys, 40);

	if (!h || be32(h) != FDT_MAGIC)
		return NULL;
	*len = be32(h + 4);
	return luoc_image_map(img, phys, *len);
}

static void put_le(uint8_t *p, uint64_t v, unsigned int n)
{
	while (n--) {
		*p++ = (uint8_t)v;
		v >>= 8;
	}
}

static bool all_zero(const uint8_t *p, size_t n)
{
	while (n--)
		if (*p++)
			return false;
	return true;
}

/* Folio data ranges (found by the core's own walk), blanked in state seeds. */
#define MAX_BLANK	4096

struct blanks {
	uint64_t start[MAX_BLANK], end[MAX_BLANK];
	unsigned int n;
};

static void on_folio(void *ctx, uint32_t s, uint32_t f, uint64_t index, uint64_t phys,
		     uint64_t bytes, uint32_t flags)
{
	struct blanks *b = ctx;

	(void)s; (void)f; (void)index; (void)flags;
	if (phys && b->n < MAX_BLANK) {
		b->start[b->n] = phys;
		b->end[b->n++] = phys + bytes;
	}
}

static void find_folios(struct luoc_image *img, struct blanks *b)
{
	const struct luoc_image_info *info = luoc_image_info(img);
	struct luoc_config cfg = {
		.kho_root = info->kho_root, .kho_root_size = info->kho_root_size,
		.page_size = info->page_size, .big_endian = info->big_endian,
		.profile = luoc_profile_find(info->profile),
	};
	struct luoc_visitor vis = { .folio = on_folio, .ctx = b };
	struct luoc_mem mem = { .map = luoc_image_map, .ctx = img };
	struct luoc_result res;

	b->n = 0;
	cfg.workspace_size = luoc_workspace_hint(info->mem_bytes);
	cfg.workspace = malloc(cfg.workspace_size);
	if (cfg.workspace)
		(void)luoc_check(&cfg, &mem, &vis, &res);
	free(cfg.workspace);
}

/* A grain is blank when it is all zero or lies inside a folio. */
static bool blank(const struct blanks *b, const uint8_t *p, uint64_t phys, uint64_t n)
{
	unsigned int i;

	for (i = 0; i < b->n; i++)
		if (phys >= b->start[i] && phys + n <= b->end[i])
			return true;
	return all_zero(p, n);
}

/* The whole state as fuzz_state reads it. */
static int write_state(const char *dir, const char *name, struct luoc_image *img)
{
	const struct luoc_image_info *info = luoc_image_info(img);
	size_t cap = 1 << 20, len = FZ_STATE_HDR;
	uint8_t *out = malloc(cap);
	static struct blanks b;
	uint64_t phys, seglen;
	unsigned int i, k;
	int rc;

	if (!out)
		return -1;
	find_folios(img, &b);
	memset(out, 0, FZ_STATE_HDR);
	out[0] = (info->big_endian ? FZ_STATE_BE : 0) |
		 (info->page_size == 16384 ? 2 : info->page_size == 65536 ? 4 : 0);
	for (k = 0; k < luoc_n_profiles; k++)
		if (!strcmp(info->profile, luoc_profiles[k].name))
			out[1] = (uint8_t)(k + 1);
	put_le(out + 4, info->kho_root_size, 4);
	put_le(out + 8, info->kho_root, 8);
	for (i = 0; luoc_image_segment(img, i, &phys, &seglen); i++) {
		const uint8_t *seg = luoc_image_map(img, phys, seglen);
		uint64_t off = 0;

		while (seg && off < seglen) {
			uint64_t n = seglen - off < GRAIN ? seglen - off : GRAIN;
			bool zero = blank(&b, seg + off, phys + off, n);

			/* extend over following grains of the same kind */
			while (off + n < seglen) {
				uint64_t m = seglen - off - n < GRAIN ? seglen - off - n : GRAIN;

				if (blank(&b, seg + off + n, phys + off + n, m) != zero)
					break;
				n += m;
			}
			while (len + FZ_STATE_REC + (zero ? 0 : n) > cap) {
				uint8_t *bigger = realloc(out, cap * 2);

				if (!bigger) {
					free(out);
					return -1;
				}
				out = bigger;
				cap *= 2;
			}
			put_le(out + len, phys + off, 8);
			put_le(out + len + 8, n, 4);
			put_le(out + len + 12, zero, 4);
			len += FZ_STATE_REC;
			if (!zero) {
				memcpy(out + len, seg + off, n);
				len += n;
			}
			off += n;
		}
	}
	rc = write_file(dir, "state", name, out, len, NULL, 0);
	free(out);
	return rc;
}

/* The LUO FDT's address from whichever sub-node property the profiles use. */
static bool luo_addr(struct luoc_image *img, const uint8_t *root, uint64_t *luo)
{
	bool be = luoc_image_info(img)->big_endian;
	unsigned int k, b;

	if (fdt_check_header(root))
		return false;
	for (k = 0; k < luoc_n_profiles; k++) {
		const struct luoc_profile *q = &luoc_profiles[k];
		int node = fdt_subnode_offset(root, 0, q->luo_entry), len;
		const uint8_t *v = node >= 0 ? fdt_getprop(root, node, q->kho_sub_addr_prop, &len) : NULL;

		if (!v || len != 8)
			continue;
		*luo = 0;
		for (b = 0; b < 8; b++)	/* the writer's byte order */
			*luo = *luo << 8 | v[be ? b : 7 - b];
		return true;
	}
	return false;
}

static int copy_image(const char *dir, const char *name, const char *path)
{
	struct stat st;
	uint8_t *buf;
	size_t got = 0;
	FILE *f;
	int rc = 0;

	if (stat(path, &st) || st.st_size > IMAGE_MAX)
		return 0;
	f = fopen(path, "rb");
	buf = malloc((size_t)st.st_size + 1);
	if (f && buf)
		got = fread(buf, 1, (size_t)st.st_size, f);
	if (f)
		fclose(f);
	if (got == (size_t)st.st_size)
		rc = write_file(dir, "image", name, buf, got, NULL, 0);
	free(buf);
	return rc;
}

static int seed_one(const char *dir, const char *path)
{
	struct luoc_image *img;
	char name[512], err[256];
	const uint8_t *root, *luo;
	size_t rlen = 0, llen = 0;
	uint64_t luo_phys;
	int rc = 0;
	char *p;

	snprintf(name, sizeof(name), "%s", path);
	for (p = name; *p; p++)
		if (*p == '/')
			*p = '_';
	if (copy_image(dir, name, path))
		return -1;
	if (luoc_image_open(path, &img, err, sizeof(err)))
		return 0;	/* a refused image is a seed for the image target only */
	root = fdt_at(img, luoc_image_info(img)->kho_root, &rlen);
	if (root)
		rc |= write_file(dir, "kho_root", name, root, rlen, NULL, 0);
	if (root && luo_addr(img, root, &luo_phys)) {
		luo = fdt_at(img, luo_phys, &llen);
		if (luo)
			rc |= write_file(dir, "luo_fdt", name, luo, llen, NULL, 0);
	}
	rc |= write_state(dir, name, img);
	luoc_image_close(img);
	return rc;
}

int main(int argc, char **argv)
{
	int i, bad = 0;

	if (argc < 3) {
		fprintf(stderr, "usage: fz-seed OUTDIR IMAGE...\n");
		return 2;
	}
	if (mkdir(argv[1], 0755) && errno != EEXIST) {
		perror(argv[1]);
		return 2;
	}
	for (i = 2; i < argc; i++)
		if (seed_one(argv[1], argv[i])) {
			fprintf(stderr, "fz-seed: %s: cannot write its seeds\n", argv[i]);
			bad = 1;
		}
	return bad;
}
