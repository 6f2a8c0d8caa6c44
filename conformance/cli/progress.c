// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * progress.c - a progress line on stderr, only when stderr is a terminal
 * (check_cmd.c decides), redrawn when the percentage changes.
 */
#include "conform.h"

static unsigned int last_pct = 101;

void cf_progress(void *ctx, uint64_t done, uint64_t total)
{
	const struct cf_report *r = ctx;
	unsigned int pct;

	if (!total)
		return;
	if (done >= total)
		pct = 100;
	else	/* done < total, so done * 100 cannot overflow in the second form */
		pct = (unsigned int)(total > UINT64_MAX / 100 ? done / (total / 100) :
				     done * 100 / total);
	if (pct == last_pct)
		return;
	last_pct = pct;
	fprintf(stderr, "\r\033[Kluo-conform: %s: %u%%", r->path, pct);
	fflush(stderr);
}

void cf_progress_done(const char *path)
{
	(void)path;
	last_pct = 101;
	fputs("\r\033[K", stderr);
	fflush(stderr);
}
