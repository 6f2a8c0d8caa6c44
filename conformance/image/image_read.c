// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * image_read.c - open a LUO state image: check the ELF header, then hand
 * over to the segment and note readers.
 *
 * libelf maps the file itself (ELF_C_READ_MMAP maps it PROT_READ and
 * private), so the input can never be modified; elf_rawfile() gives the
 * mapping from which map() serves memory.
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "image_priv.h"

void luoc_image_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || !errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

static int open_file(struct luoc_image *img, const char *path, char *err, size_t errlen)
{
	struct stat st;

	img->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (img->fd < 0) {
		int e = errno;

		luoc_image_err(err, errlen, "cannot open: %s", strerror(e));
		return -e;
	}
	if (fstat(img->fd, &st) < 0) {
		int e = errno;

		luoc_image_err(err, errlen, "cannot stat: %s", strerror(e));
		return -e;
	}
	if (!S_ISREG(st.st_mode)) {
		luoc_image_err(err, errlen, "not a regular file");
		return -EINVAL;
	}
	if (st.st_size == 0) {
		luoc_image_err(err, errlen, "empty file, not an ELF file");
		return -EINVAL;
	}
	img->file_size = (uint64_t)st.st_size;
	img->info.file_bytes = img->file_size;
	return 0;
}

/* LUO-IMG-001: ELF64, ET_CORE, a byte order we know. */
static int check_ehdr(struct luoc_image *img, char *err, size_t errlen)
{
	GElf_Ehdr eh;
	int cls;

	if (elf_kind(img->elf) != ELF_K_ELF) {
		luoc_image_err(err, errlen, "not an ELF file");
		return -EINVAL;
	}
	cls = gelf_getclass(img->elf);
	if (cls != ELFCLASS64) {
		luoc_image_err(err, errlen, "ELF class is %s, not ELF64",
			       cls == ELFCLASS32 ? "ELF32" : "invalid");
		return -EINVAL;
	}
	if (!gelf_getehdr(img->elf, &eh)) {
		luoc_image_err(err, errlen, "bad ELF header: %s", elf_errmsg(-1));
		return -EINVAL;
	}
	if (eh.e_type != ET_CORE) {
		luoc_image_err(err, errlen, "ELF type is %u, not ET_CORE (4)", eh.e_type);
		return -EINVAL;
	}
	img->info.big_endian = eh.e_ident[EI_DATA] == ELFDATA2MSB;
	img->info.machine = eh.e_machine;
	return 0;
}

static int open_elf(struct luoc_image *img, char *err, size_t errlen)
{
	size_t size = 0;

	if (elf_version(EV_CURRENT) == EV_NONE) {
		luoc_image_err(err, errlen, "libelf: %s", elf_errmsg(-1));
		return -EIO;
	}
	img->elf = elf_begin(img->fd, ELF_C_READ_MMAP, NULL);
	if (!img->elf) {
		luoc_image_err(err, errlen, "not an ELF file (%s)", elf_errmsg(-1));
		return -EINVAL;
	}
	img->file = (const unsigned char *)elf_rawfile(img->elf, &size);
	if (!img->file || size != img->file_size) {
		luoc_image_err(err, errlen, "cannot map the file: %s", elf_errmsg(-1));
		return -EIO;
	}
	return 0;
}

int luoc_image_open(const char *path, struct luoc_image **out, char *err, size_t errlen)
{
	struct luoc_image *img;
	int ret;

	*out = NULL;
	img = calloc(1, sizeof(*img));
	if (!img) {
		luoc_image_err(err, errlen, "out of memory");
		return -ENOMEM;
	}
	img->fd = -1;
	img->overlap_idx = -1;
	ret = open_file(img, path, err, errlen);
	if (!ret)
		ret = open_elf(img, err, errlen);
	if (!ret)
		ret = check_ehdr(img, err, errlen);
	if (!ret)
		ret = luoc_image_load_segs(img, err, errlen);
	if (!ret)
		ret = luoc_image_find_note(img, err, errlen);
	if (ret) {
		luoc_image_close(img);
		return ret;
	}
	*out = img;
	return 0;
}

void luoc_image_close(struct luoc_image *img)
{
	if (!img)
		return;
	if (img->elf)
		elf_end(img->elf);
	if (img->fd >= 0)
		close(img->fd);
	free(img->segs);
	free(img->runs);
	free(img);
}

const struct luoc_image_info *luoc_image_info(const struct luoc_image *img)
{
	return &img->info;
}
