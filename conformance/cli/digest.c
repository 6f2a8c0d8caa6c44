// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * digest.c - SHA-256 of each memfd's logical content, so a restore can be
 * compared with what was preserved without shipping the bytes: 'size'
 * bytes in which each folio's bytes sit at index * PAGE_SIZE and holes
 * read as zero.  Where folios overlap (a non-conformant state) the one
 * with the lower index wins.  Hashing uses nettle's sha256 (a small
 * library: loading OpenSSL cost luo-conform check more than checking a
 * small image).
 */
#include <nettle/sha2.h>
#include <stdlib.h>
#include <string.h>

#include "conform.h"

#define CHUNK	(64u * 1024)

static const unsigned char zeros[CHUNK];

static int folio_cmp(const void *a, const void *b)
{
	const struct cf_folio *x = a, *y = b;

	return x->index < y->index ? -1 : x->index > y->index;
}

static void hash_zeros(struct sha256_ctx *md, uint64_t n)
{
	while (n) {
		size_t k = n < CHUNK ? (size_t)n : CHUNK;

		sha256_update(md, k, zeros);
		n -= k;
	}
}

/* Hash n bytes of memory at phys, a chunk at a time (any run boundary is fine). */
static bool hash_mem(struct sha256_ctx *md, void *img, uint64_t phys, uint64_t n)
{
	while (n) {
		size_t k = n < CHUNK ? (size_t)n : CHUNK;
		const void *p = luoc_image_map(img, phys, k);

		if (!p)
			return false;
		sha256_update(md, k, p);
		phys += k;
		n -= k;
	}
	return true;
}

/* Feed one folio at *pos (the next content byte not yet hashed). */
static bool feed_folio(struct sha256_ctx *md, void *img, const struct cf_folio *fo,
		       uint64_t start, uint64_t size, uint64_t *pos)
{
	uint64_t skip, n;

	if (start > *pos) {
		hash_zeros(md, start - *pos);
		*pos = start;
	}
	skip = *pos - start;
	if (skip >= fo->bytes)
		return true;
	n = fo->bytes - skip;
	if (n > size - *pos)
		n = size - *pos;
	if (!hash_mem(md, img, fo->phys + skip, n))
		return false;
	*pos += n;
	return true;
}

static const char *hash_file(struct sha256_ctx *md, struct cf_file *f, void *img, uint64_t ps)
{
	uint64_t size = f->memfd.size, pos = 0;
	size_t i;

	if (f->n_folios)	/* qsort(NULL, 0, ...) is undefined (nonnull argument) */
		qsort(f->folios, f->n_folios, sizeof(*f->folios), folio_cmp);
	for (i = 0; i < f->n_folios; i++) {
		const struct cf_folio *fo = &f->folios[i];

		if (fo->index >= UINT64_MAX / ps || fo->index * ps >= size)
			break;
		if (!feed_folio(md, img, fo, fo->index * ps, size, &pos))
			return "folio bytes are not in the image";
	}
	hash_zeros(md, size - pos);
	return NULL;
}

static void hex(const unsigned char *d, unsigned int n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	unsigned int i;

	for (i = 0; i < n; i++) {
		out[2 * i] = digits[d[i] >> 4];
		out[2 * i + 1] = digits[d[i] & 15];
	}
	out[2 * n] = '\0';
}

static void digest_file(struct cf_file *f, void *img, uint32_t page_size)
{
	unsigned char d[SHA256_DIGEST_SIZE];
	struct sha256_ctx md;

	if (f->memfd.size > CF_DIGEST_MAX_BYTES) {
		f->no_digest = "memfd larger than 1 GiB: not hashed";
		return;
	}
	sha256_init(&md);
	f->no_digest = hash_file(&md, f, img, page_size);
	if (f->no_digest)
		return;
	sha256_digest(&md, sizeof(d), d);
	hex(d, sizeof(d), f->sha256);
}

void cf_digest_memfds(struct cf_state *s, void *img, uint32_t page_size)
{
	size_t i, j;

	for (i = 0; i < s->n_sessions; i++) {
		for (j = 0; j < s->sessions[i].n_files; j++) {
			struct cf_file *f = &s->sessions[i].files[j];

			if (f->has_memfd)
				digest_file(f, img, page_size);
		}
	}
}
