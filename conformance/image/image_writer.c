// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * image_writer.c - collect the memory of a state image before it is
 * written: merged ranges (luoc_image_writer_add/_add_zero) and raw
 * segments that are kept apart (luoc_image_writer_add_raw), so malformed
 * vectors can carry overlapping PT_LOADs.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "image_writer_priv.h"

struct luoc_image_writer *luoc_image_writer_new(bool big_endian, uint16_t machine)
{
	struct luoc_image_writer *w = calloc(1, sizeof(*w));

	if (!w)
		return NULL;
	w->big_endian = big_endian;
	w->machine = machine;
	return w;
}

void luoc_image_writer_free(struct luoc_image_writer *w)
{
	unsigned int i;

	if (!w)
		return;
	for (i = 0; i < w->n; i++)
		free(w->segs[i].data);
	free(w->segs);
	free(w);
}

void luoc_image_writer_set_note(struct luoc_image_writer *w, const struct luoc_image_note *n)
{
	w->note = *n;
	w->has_note = true;
}

static int grow(struct luoc_image_writer *w)
{
	struct luoc_wseg *s;
	unsigned int cap;

	if (w->n < w->cap)
		return 0;
	if (w->cap >= LUOC_IMAGE_MAX_SEGS)
		return -E2BIG;
	cap = w->cap ? w->cap * 2 : 16;
	s = realloc(w->segs, cap * sizeof(*s));
	if (!s)
		return -ENOMEM;
	w->segs = s;
	w->cap = cap;
	return 0;
}

/* Reject ranges that wrap or cannot be held in memory. */
static int check_range(uint64_t phys, uint64_t len)
{
	if (phys + len - 1 < phys || len > SIZE_MAX / 2)
		return -EINVAL;
	return 0;
}

static int push(struct luoc_image_writer *w, uint64_t phys, unsigned char *buf,
		uint64_t len, bool raw)
{
	struct luoc_wseg *s;
	int ret = grow(w);

	if (ret) {
		free(buf);
		return ret;
	}
	s = &w->segs[w->n++];
	s->phys = phys;
	s->len = len;
	s->data = buf;
	s->raw = raw;
	s->seq = w->seq++;
	return 0;
}

int luoc_image_writer_add_raw(struct luoc_image_writer *w, uint64_t phys,
			      const void *data, uint64_t len)
{
	unsigned char *buf;

	if (!len)
		return 0;
	if (check_range(phys, len))
		return -EINVAL;
	buf = malloc(len);
	if (!buf)
		return -ENOMEM;
	memcpy(buf, data, len);
	return push(w, phys, buf, len, true);
}

/* Touching or overlapping [lo, hi] (inclusive), so it merges with it. */
static bool touches(const struct luoc_wseg *s, uint64_t lo, uint64_t hi)
{
	uint64_t last = s->phys + s->len - 1;

	return !s->raw && (hi == UINT64_MAX || s->phys <= hi + 1) &&
	       (last == UINT64_MAX || last + 1 >= lo);
}

/* Widen [*lo, *hi] to cover every mergeable segment. */
static void merge_bounds(const struct luoc_image_writer *w, uint64_t *lo, uint64_t *hi)
{
	unsigned int i;

	for (i = 0; i < w->n; i++) {
		const struct luoc_wseg *s = &w->segs[i];

		if (!touches(s, *lo, *hi))
			continue;
		if (s->phys < *lo)
			*lo = s->phys;
		if (s->phys + s->len - 1 > *hi)
			*hi = s->phys + s->len - 1;
	}
}

/* Move the old bytes of merged segments into buf and drop those segments. */
static void absorb(struct luoc_image_writer *w, unsigned char *buf, uint64_t lo, uint64_t hi)
{
	unsigned int i = 0;

	while (i < w->n) {
		struct luoc_wseg *s = &w->segs[i];

		if (!touches(s, lo, hi)) {
			i++;
			continue;
		}
		/* NOLINTNEXTLINE(clang-analyzer-unix.Malloc): s is refilled from the end or the loop ends */
		memcpy(buf + (s->phys - lo), s->data, s->len);
		free(s->data);
		*s = w->segs[--w->n];
	}
}

/* data NULL: zero bytes. */
static int add_merged(struct luoc_image_writer *w, uint64_t phys, const void *data, uint64_t len)
{
	uint64_t lo = phys, hi = phys + len - 1;
	unsigned char *buf;

	if (!len)
		return 0;
	if (check_range(phys, len))
		return -EINVAL;
	merge_bounds(w, &lo, &hi);
	if (hi - lo >= SIZE_MAX / 2)
		return -E2BIG;
	buf = calloc(1, hi - lo + 1);
	if (!buf)
		return -ENOMEM;
	absorb(w, buf, lo, hi);
	if (data)
		memcpy(buf + (phys - lo), data, len);
	else
		memset(buf + (phys - lo), 0, len);
	return push(w, lo, buf, hi - lo + 1, false);
}

int luoc_image_writer_add(struct luoc_image_writer *w, uint64_t phys, const void *data, uint64_t len)
{
	if (!data && len)
		return -EINVAL;
	return add_merged(w, phys, data, len);
}

int luoc_image_writer_add_zero(struct luoc_image_writer *w, uint64_t phys, uint64_t len)
{
	return add_merged(w, phys, NULL, len);
}
