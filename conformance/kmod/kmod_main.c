// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * kmod_main.c - luoc.ko: the luo-v1 checker core running in the kernel.
 *
 *   insmod luoc.ko images=a.img,b.img
 *   insmod luoc.ko index=list.txt      (a file naming one image per line)
 *
 * loads each named state image through the firmware loader (so from
 * /lib/firmware, e.g. in an initramfs), checks it with the unchanged core
 * (conformance/lib) and writes the result to the kernel log as one KTAP
 * document, with the lines "luo-conform check --format=ktap a.img b.img"
 * prints (each prefixed "luoc: " by printk).  Loading succeeds whatever
 * the verdicts are; a non-conformant image is a finding, not an error of
 * the module.  The module keeps nothing after init.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/firmware.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "kmod.h"

static char *images;
module_param(images, charp, 0444);
MODULE_PARM_DESC(images, "comma-separated state images to check (names under /lib/firmware)");

/* A string parameter holds at most 1024 bytes: long lists come in a file. */
static char *index_file;
module_param_named(index, index_file, charp, 0444);
MODULE_PARM_DESC(index, "a file under /lib/firmware naming one state image per line");

#define INDEX_MAX	(1 << 20)	/* bytes of an index file */
#define SEPARATORS	",\n"

static unsigned int count_names(const char *s)
{
	unsigned int n = 0;
	bool in_name = false;

	for (; *s; s++) {
		if (strchr(SEPARATORS, *s))
			in_name = false;
		else if (!in_name)
			in_name = true, n++;
	}
	return n;
}

/* The names to check, as one string: the images= list or the index file. */
static char *name_list(void)
{
	const struct firmware *fw;
	char *list;

	if (!index_file)
		return images ? kstrdup(images, GFP_KERNEL) : NULL;
	if (request_firmware(&fw, index_file, NULL))
		return NULL;
	list = fw->size <= INDEX_MAX ? kmemdup_nul(fw->data, fw->size, GFP_KERNEL) : NULL;
	release_firmware(fw);
	return list;
}

/* Load one image and check it; true when it is conformant. */
static bool check_one(const char *name, unsigned int num)
{
	const struct firmware *fw;
	char err[64];
	bool ok;
	int ret = request_firmware(&fw, name, NULL);

	if (ret) {
		/* luo-conform's words; the loader refuses an empty file with -EINVAL */
		if (ret == -ENOENT)
			snprintf(err, sizeof(err), "cannot open: No such file or directory");
		else if (ret == -EINVAL)
			snprintf(err, sizeof(err), "empty file, not an ELF file (LUO-IMG-001)");
		else
			snprintf(err, sizeof(err), "cannot open: error %d", ret);
		kmod_report_failed(name, num, err);
		return false;
	}
	ok = kmod_check_image(name, fw->data, fw->size, num);
	release_firmware(fw);
	return ok;
}

static int __init luoc_kmod_init(void)
{
	unsigned int n, num = 0, pass = 0;
	char *list, *cur, *name;

	if (!images == !index_file) {
		pr_err("give either images=NAME[,NAME]... or index=FILE\n");
		return -EINVAL;
	}
	list = name_list();
	if (!list) {
		pr_err("cannot read the list of images\n");
		return -ENOENT;
	}
	n = count_names(list);
	pr_info("KTAP version 1\n");
	pr_info("1..%u\n", n);
	cur = list;
	while ((name = strsep(&cur, SEPARATORS)) != NULL) {
		if (!*name)
			continue;
		pass += check_one(name, ++num);
	}
	pr_info("# Totals: pass:%u fail:%u xfail:0 xpass:0 skip:0 error:0\n", pass, num - pass);
	kfree(list);
	return 0;
}

static void __exit luoc_kmod_exit(void)
{
}

module_init(luoc_kmod_init);
module_exit(luoc_kmod_exit);

MODULE_DESCRIPTION("luo-v1 handover state checker (luo-conformance core in the kernel)");
MODULE_LICENSE("Dual BSD/GPL");
