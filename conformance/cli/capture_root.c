// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * capture_root.c - locate the KHO root FDT in a memory dump: as given
 * (--kho-root); through the x86 boot protocol's setup_data chain to its
 * SETUP_KEXEC_KHO entry (--boot-params, or every page with the "HdrS" boot
 * header); or among the page-aligned FDTs whose root compatible is a
 * "kho-vN" string.  Several candidates are told apart by checking each.
 * Every read of the dump goes through luoc_image_map(), which bounds-checks
 * it; chains and candidate lists are bounded.
 */
#include <libfdt.h>
#include <stdlib.h>
#include <string.h>

#include "capture.h"

/* x86 boot protocol (Documentation/arch/x86/boot.rst): boot_params fields */
#define BP_MAGIC_OFF		0x202	/* "HdrS" */
#define BP_VERSION_OFF		0x206	/* u16 protocol version */
#define BP_SETUP_DATA_OFF	0x250	/* u64, protocol 2.09+ */
#define BP_SETUP_DATA_VERSION	0x0209
#define BP_SIZE			4096
/* struct setup_data {u64 next; u32 type; u32 len; u8 data[]} */
#define SD_HDR			16
#define SETUP_KEXEC_KHO		10	/* data: struct kho_data {fdt_addr, fdt_size, ...} */
#define SD_CHAIN_MAX		64	/* a chain longer than this is a loop */

#define CAND_MAX		64	/* candidate roots kept from a scan */

struct cap_scan {
	struct cap_cand sd[CAND_MAX], fdt[CAND_MAX];
	unsigned int n_sd, n_fdt;	/* kept */
	unsigned int all_fdt;		/* found (may exceed CAND_MAX) */
	uint64_t pages, bp_pages;
};

static uint64_t le(const unsigned char *p, unsigned int n)
{
	uint64_t v = 0;

	while (n--)
		v = (v << 8) | p[n];
	return v;
}

/*
 * Follow the setup_data chain of the boot_params page at bp to its
 * SETUP_KEXEC_KHO entry.  0 and *cand filled, or -1 with the reason in why.
 */
static int follow_setup_data(struct luoc_image *img, uint64_t bp, struct cap_cand *cand,
			     char *why, size_t whylen)
{
	const unsigned char *page = luoc_image_map(img, bp, BP_SIZE), *sd, *data;
	uint64_t next;
	unsigned int i;

	if (!page || memcmp(page + BP_MAGIC_OFF, "HdrS", 4)) {
		snprintf(why, whylen, "no x86 boot header (\"HdrS\") at 0x%llx", (unsigned long long)bp);
		return -1;
	}
	if (le(page + BP_VERSION_OFF, 2) < BP_SETUP_DATA_VERSION) {
		snprintf(why, whylen, "boot protocol %#llx at 0x%llx has no setup_data",
			 (unsigned long long)le(page + BP_VERSION_OFF, 2), (unsigned long long)bp);
		return -1;
	}
	next = le(page + BP_SETUP_DATA_OFF, 8);
	for (i = 0; next && i < SD_CHAIN_MAX; i++) {
		sd = luoc_image_map(img, next, SD_HDR);
		if (!sd) {
			snprintf(why, whylen, "setup_data at 0x%llx is not in the dump",
				 (unsigned long long)next);
			return -1;
		}
		if (le(sd + 8, 4) == SETUP_KEXEC_KHO) {
			data = le(sd + 12, 4) >= 16 ? luoc_image_map(img, next + SD_HDR, 16) : NULL;
			if (!data) {
				snprintf(why, whylen, "SETUP_KEXEC_KHO at 0x%llx is short or not in the dump",
					 (unsigned long long)next);
				return -1;
			}
			cand->addr = le(data, 8);
			cand->size = le(data + 8, 8);
			snprintf(cand->how, sizeof(cand->how),
				 "setup_data type 10 (SETUP_KEXEC_KHO) at 0x%llx, chain of boot_params at 0x%llx",
				 (unsigned long long)next, (unsigned long long)bp);
			return 0;
		}
		next = le(sd, 8);
	}
	snprintf(why, whylen, next ? "the setup_data chain of boot_params at 0x%llx loops or is too long" :
		 "no SETUP_KEXEC_KHO in the setup_data chain of boot_params at 0x%llx",
		 (unsigned long long)bp);
	return -1;
}

/* The root compatible list holds "kho-v<digits>": copied into ver. */
static bool kho_compatible(const void *fdt, char *ver, size_t verlen)
{
	const char *s;
	int len, i;

	s = fdt_getprop(fdt, 0, "compatible", &len);
	if (!s || len <= 0)
		return false;
	for (i = 0; i < len; i += (int)strnlen(s + i, (size_t)(len - i)) + 1) {
		const char *c = s + i;
		size_t n = strnlen(c, (size_t)(len - i)), d = 5;

		if (n == (size_t)(len - i) || n < 6 || strncmp(c, "kho-v", 5))
			continue;
		while (d < n && c[d] >= '0' && c[d] <= '9')
			d++;
		if (d == n) {
			snprintf(ver, verlen, "%s", c);
			return true;
		}
	}
	return false;
}

/* A page-aligned FDT with a kho-vN root: its compatible, or false. */
static bool fdt_root_at(struct luoc_image *img, uint64_t phys, char *ver, size_t verlen)
{
	const void *hdr = luoc_image_map(img, phys, FDT_V17_SIZE), *fdt;
	uint32_t total;

	if (!hdr || fdt_magic(hdr) != FDT_MAGIC || fdt_check_header(hdr))
		return false;
	total = fdt_totalsize(hdr);
	if (total > ROOT_FDT_MAX)
		return false;
	fdt = luoc_image_map(img, phys, total);
	return fdt && kho_compatible(fdt, ver, verlen);
}

/* The kernel's copy of boot_params leads to the same root: count it once. */
static bool known(const struct cap_cand *c, unsigned int n, uint64_t addr)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (c[i].addr == addr)
			return true;
	return false;
}

static void scan_page(struct luoc_image *img, uint64_t phys, struct cap_scan *s)
{
	const unsigned char *p = luoc_image_map(img, phys, BP_SIZE);
	struct cap_cand *c;
	char ver[64], why[160];

	if (!p)
		return;
	s->pages++;
	if (!memcmp(p + BP_MAGIC_OFF, "HdrS", 4)) {
		s->bp_pages++;
		if (s->n_sd < CAND_MAX &&
		    !follow_setup_data(img, phys, &s->sd[s->n_sd], why, sizeof(why)) &&
		    !known(s->sd, s->n_sd, s->sd[s->n_sd].addr))
			s->n_sd++;
	}
	if (fdt_root_at(img, phys, ver, sizeof(ver))) {
		s->all_fdt++;
		if (s->n_fdt < CAND_MAX) {
			c = &s->fdt[s->n_fdt++];
			c->addr = phys;
			c->size = 0;
			snprintf(c->how, sizeof(c->how),
				 "page-aligned FDT with root compatible \"%s\"", ver);
		}
	}
}

/* Every 4 KiB-aligned page of the dump (KHO roots and boot_params are). */
static void scan_dump(struct luoc_image *img, struct cap_scan *s)
{
	uint64_t phys, len, a;
	unsigned int i;

	for (i = 0; luoc_image_segment(img, i, &phys, &len); i++) {
		a = (phys + BP_SIZE - 1) & ~(uint64_t)(BP_SIZE - 1);
		for (; a >= phys && a - phys + BP_SIZE <= len; a += BP_SIZE)
			scan_page(img, a, s);
	}
}

/*
 * Several candidates: the one whose state checks with the fewest errors
 * (a stale or partial copy has more).  NULL on a tie.
 */
static const struct cap_cand *rank(const struct cap_opts *o, struct luoc_image *img,
				   const struct cap_cand *c, unsigned int n)
{
	const struct luoc_image_info *info = luoc_image_info(img);
	const struct luoc_mem mem = { .map = luoc_image_map, .ctx = img };
	unsigned int i, best = 0, best_err = ~0u, ties = 0;
	struct luoc_config cfg;
	struct luoc_result res;
	char reason[LUOC_REASON_MAX];

	for (i = 0; i < n; i++) {
		cap_config(o, info, &c[i], &cfg);
		if (cap_check_at(&cfg, &mem, info->mem_bytes, &res, reason, sizeof(reason)))
			continue;
		if (res.errors < best_err) {
			best = i;
			best_err = res.errors;
			ties = 0;
		} else if (res.errors == best_err) {
			ties++;
		}
	}
	return best_err != ~0u && !ties ? &c[best] : NULL;
}

static int pick(const struct cap_opts *o, struct luoc_image *img, const struct cap_cand *c,
		unsigned int n, const char *kind, struct cap_cand *root)
{
	const struct cap_cand *best = n == 1 ? c : rank(o, img, c, n);
	unsigned int i;

	if (!best) {
		fprintf(stderr, "luo-conform capture: %s: %u candidate KHO roots (%s) check alike:",
			o->dump, n, kind);
		for (i = 0; i < n && i < 8; i++)
			fprintf(stderr, " 0x%llx", (unsigned long long)c[i].addr);
		fputs("; give --kho-root\n", stderr);
		return -1;
	}
	*root = *best;
	if (n > 1) {
		size_t l = strlen(root->how);

		snprintf(root->how + l, sizeof(root->how) - l,
			 "; the one of %u candidates with the fewest errors", n);
	}
	return 0;
}

int cap_find_root(const struct cap_opts *o, struct luoc_image *img, struct cap_cand *root)
{
	struct cap_scan *s;
	char why[200];
	int ret = -1;

	if (o->have_root) {
		root->addr = o->kho_root;
		root->size = 0;
		snprintf(root->how, sizeof(root->how), "given (--kho-root)");
		return 0;
	}
	if (o->have_bp) {
		if (!follow_setup_data(img, o->boot_params, root, why, sizeof(why)))
			return 0;
		fprintf(stderr, "luo-conform capture: %s: --boot-params: %s\n", o->dump, why);
		return -1;
	}
	s = calloc(1, sizeof(*s));
	if (!s) {
		fputs("luo-conform capture: out of memory\n", stderr);
		return -1;
	}
	scan_dump(img, s);
	if (s->n_sd)
		ret = pick(o, img, s->sd, s->n_sd, "setup_data", root);
	else if (s->n_fdt)
		ret = pick(o, img, s->fdt, s->n_fdt, "FDTs", root);
	else
		fprintf(stderr, "luo-conform capture: %s: no KHO root found in %llu pages (%llu with "
			"an x86 boot header, none with SETUP_KEXEC_KHO; no FDT with a kho-vN root); "
			"give --kho-root\n", o->dump, (unsigned long long)s->pages,
			(unsigned long long)s->bp_pages);
	if (!ret) {
		size_t l = strlen(root->how);

		snprintf(root->how + l, sizeof(root->how) - l, " (found by scanning %llu pages%s)",
			 (unsigned long long)s->pages,
			 s->all_fdt > s->n_fdt ? ", more FDT candidates than kept" : "");
	}
	free(s);
	return ret;
}
