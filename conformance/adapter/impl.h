/* SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause) */
/*
 * impl.h - an implementation under test, however it is packaged: built in
 * (the reference), a shared object exporting luoc_adapter_get(), or an
 * executable speaking PROTOCOL.rst.
 *
 * Calls into a shared object or an executable run in a child process, so a
 * crash, a hang or a leak in the implementation is a test result, not the
 * end of luo-conform.
 */
#ifndef LUOC_IMPL_H
#define LUOC_IMPL_H

#include "luoc/adapter.h"

struct luoc_impl;

enum luoc_impl_kind {
	LUOC_IMPL_BUILTIN,
	LUOC_IMPL_SO,
	LUOC_IMPL_EXEC,
};

enum luoc_impl_status {
	LUOC_IMPL_OK,		/* the call returned a result */
	LUOC_IMPL_FAILED,	/* the implementation reported an error */
	LUOC_IMPL_CRASHED,	/* killed by a signal */
	LUOC_IMPL_TIMEOUT,	/* did not finish in time */
	LUOC_IMPL_BADOUTPUT,	/* output did not follow the protocol */
	LUOC_IMPL_UNSUPPORTED,	/* no such direction or profile */
};

struct luoc_impl_result {
	enum luoc_impl_status status;
	struct luoc_restore_out out;	/* valid with LUOC_IMPL_OK */
	char detail[256];		/* why, when not OK */
	void *owner;			/* internal */
	const struct luoc_adapter *free_ops;	/* internal */
};

/*
 * Open "PATH" (a .so is dlopen()ed, an executable file is run), "so:PATH"
 * or "exec:PATH".  Returns 0 or -errno with a reason in err.
 */
int luoc_impl_open(const char *spec, struct luoc_impl **out, char *err, size_t errlen);
/* Wrap a linked-in adapter (the reference). */
struct luoc_impl *luoc_impl_builtin(const struct luoc_adapter *a, const char *label);
void luoc_impl_close(struct luoc_impl *impl);

enum luoc_impl_kind luoc_impl_kind(const struct luoc_impl *impl);
const char *luoc_impl_name(const struct luoc_impl *impl);
const char *luoc_impl_version(const struct luoc_impl *impl);
const char *luoc_impl_label(const struct luoc_impl *impl);	/* path or "builtin" */
bool luoc_impl_speaks(const struct luoc_impl *impl, const char *profile);
bool luoc_impl_can_restore(const struct luoc_impl *impl);
bool luoc_impl_can_preserve(const struct luoc_impl *impl);
void luoc_impl_set_timeout(struct luoc_impl *impl, unsigned int seconds);
/* Run calls of a built-in adapter in a child as well (off by default). */
void luoc_impl_set_isolate(struct luoc_impl *impl, bool on);

void luoc_impl_restore(struct luoc_impl *impl, const char *profile, const char *image,
		       struct luoc_impl_result *res);
void luoc_impl_result_free(struct luoc_impl_result *res);

/* 0 when out_path was written; otherwise a status with a reason in err. */
enum luoc_impl_status luoc_impl_preserve(struct luoc_impl *impl, const char *profile,
					 const struct luoc_state *st,
					 const struct luoc_preserve_opts *opts,
					 const char *out_path, char *err, size_t errlen);

const char *luoc_impl_status_name(enum luoc_impl_status s);

#endif /* LUOC_IMPL_H */
