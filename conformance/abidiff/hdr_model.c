// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * hdr_model.c - kernel ABI headers -> model, by asking the compiler.
 *
 * The headers (include/linux/kho/abi/{kexec_handover,memfd,luo}.h) are
 * linked into a private include tree and compiled in a small translation
 * unit against the shim in conformance/abidiff/shim/ (the few kernel
 * types and helpers they use: u64, __packed, PAGE_SIZE, BIT(), ...):
 *
 *   gcc -E -dD      which macros each header defines   (hdr_macros.c)
 *   gcc -E -P       what each macro expands to          (hdr_macros.c)
 *   gcc -g -c  x3   layouts, enumerators and integer macro values from
 *                   DWARF at 4, 16 and 64 KiB pages     (hdr_dwarf.c)
 *
 * Nothing in the headers is parsed by hand; a macro that is not an
 * integer constant expression simply drops out of the probes.
 */
#define _GNU_SOURCE
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hdr.h"

#ifndef ABIDIFF_SHIM
#define ABIDIFF_SHIM "conformance/abidiff/shim"
#endif

#define PROBE_ROUNDS 8

static const int page_shifts[AD_NPS] = { 12, 14, 16 };

struct build {
	const char *dir;	/* as given */
	bool kernel;
	char *tmp;		/* private work directory */
	char *shim, *fallback;
	char *kinc;		/* kernel tree include/ (kernel mode) */
	char *found[HDR_NFILES];
	char *includes;		/* the #include lines of the unit */
	int ninc;		/* lines they take */
};

static const char *env_or(const char *name, const char *def)
{
	const char *v = getenv(name);

	return v && *v ? v : def;
}

static char *header_path(const struct build *b, const char *name)
{
	const char *forms[] = { "%s/include/linux/kho/abi/%s", "%s/linux/kho/abi/%s", "%s/%s" };
	size_t i, n = b->kernel ? 1 : 3;

	for (i = 0; i < n; i++) {
		char *p = ad_printf(forms[i], b->dir, name);

		if (ad_is_file(p))
			return p;
		free(p);
	}
	return NULL;
}

/* Link the headers found into tmp/inc/linux/kho/abi/ so that every form
 * of DIR is seen through the same include path. */
static int stage(struct build *b)
{
	char *abi = ad_printf("%s/inc/linux/kho/abi", b->tmp), real[PATH_MAX];
	const char *parts[] = { "inc", "inc/linux", "inc/linux/kho", "inc/linux/kho/abi" };
	int i, found = 0;

	for (i = 0; i < 4; i++) {
		char *d = ad_printf("%s/%s", b->tmp, parts[i]);

		mkdir(d, 0755);
		free(d);
	}
	/* what every kernel file has at hand, whatever the headers include */
	b->includes = ad_strdup("#include <linux/types.h>\n#include <linux/bits.h>\n"
				"#include <linux/math.h>\n#include <linux/log2.h>\n"
				"#include <asm/page.h>\n");
	b->ninc = 5;
	for (i = 0; i < HDR_NFILES; i++) {
		char *link, *inc;

		b->found[i] = header_path(b, hdr_files[i]);
		if (!b->found[i] || !realpath(b->found[i], real))
			continue;
		link = ad_printf("%s/%s", abi, hdr_files[i]);
		if (symlink(real, link) < 0) {
			ad_err("%s: cannot link %s", link, real);
			free(link);
			free(abi);
			return -1;
		}
		free(link);
		inc = ad_printf("%s#include <linux/kho/abi/%s>\n", b->includes, hdr_files[i]);
		free(b->includes);
		b->includes = inc;
		b->ninc++;
		found++;
	}
	free(abi);
	if (!found) {
		ad_err("%s: no kernel ABI header (include/linux/kho/abi/{kexec_handover,memfd,luo}.h)",
		       b->dir);
		return -1;
	}
	return 0;
}

/* gcc with the shim first, then the staged headers, then the tree. */
static int gcc(const struct build *b, const char *const extra[], char **out, char **err)
{
	const char *argv[32];
	char *inc = ad_printf("-I%s/inc", b->tmp), *shim = ad_printf("-I%s", b->shim);
	char *kinc = b->kinc ? ad_printf("-I%s", b->kinc) : NULL;
	int n = 0, rc;

	argv[n++] = env_or("LUO_ABIDIFF_CC", "gcc");
	argv[n++] = "-std=gnu11";
	argv[n++] = shim;
	argv[n++] = inc;
	if (kinc)
		argv[n++] = kinc;
	argv[n++] = "-idirafter";
	argv[n++] = b->fallback;
	while (*extra && n < 31)
		argv[n++] = *extra++;
	argv[n] = NULL;
	rc = ad_run((char *const *)argv, NULL, out, err);
	free(inc);
	free(shim);
	free(kinc);
	return rc;
}

static int write_unit(const struct build *b, const char *name, const char *body, char **path)
{
	char *text = ad_printf("%s%s", b->includes, body);
	int rc;

	*path = ad_printf("%s/%s", b->tmp, name);
	rc = ad_write_file(*path, text);
	free(text);
	if (rc < 0)
		ad_err("%s: cannot write", *path);
	return rc;
}

static int read_macros(struct build *b, struct hdr_macros *ms)
{
	char *unit, *out = NULL, *err = NULL, *body = ad_strdup(""), *t;
	int rc = -1;
	size_t i;

	if (write_unit(b, "tu.c", "", &unit) < 0)
		goto out;
	{
		const char *args[] = { "-E", "-dD", unit, NULL };

		if (gcc(b, args, &out, &err) != 0) {
			ad_err("%s: the ABI headers do not preprocess:\n%s", b->dir, err);
			goto out;
		}
	}
	hdr_macros_scan(out, ms);
	free(out);
	free(err);
	out = err = NULL;
	for (i = 0; i < ms->n; i++) {
		t = ad_printf("%sluoc_x_%zu = %s ;\n", body, i, ms->m[i].name);
		free(body);
		body = t;
	}
	free(unit);
	if (write_unit(b, "str.c", body, &unit) < 0)
		goto out;
	{
		const char *args[] = { "-E", "-P", unit, NULL };

		if (gcc(b, args, &out, &err) != 0) {
			ad_err("%s: cannot expand the header macros:\n%s", b->dir, err);
			goto out;
		}
	}
	hdr_macros_expand(out, ms);
	rc = 0;
out:
	free(unit);
	free(out);
	free(err);
	free(body);
	return rc;
}

/* One probe struct per integer macro; returns the line -> macro map. */
static char *probe_body(const struct hdr_macros *ms, size_t *line_of, int first_line)
{
	char *body = ad_strdup(""), *t;
	int line = first_line;
	size_t i;

	for (i = 0; i < ms->n; i++) {
		const char *nm = ms->m[i].name;

		line_of[i] = 0;
		if (!ms->m[i].probe)
			continue;
		t = ad_printf("%sstruct luoc_m_%zu { char q0[(((unsigned long long)(%s)) >> 0 & 0xffffULL) + 1]; "
			      "char q1[(((unsigned long long)(%s)) >> 16 & 0xffffULL) + 1]; "
			      "char q2[(((unsigned long long)(%s)) >> 32 & 0xffffULL) + 1]; "
			      "char q3[(((unsigned long long)(%s)) >> 48 & 0xffffULL) + 1]; };\n",
			      body, i, nm, nm, nm, nm);
		free(body);
		body = t;
		line_of[i] = (size_t)line++;
	}
	return body;
}

/*
 * Drop the probes gcc refused.  Any mention of a probe's line (the error
 * itself, or "in expansion of macro" when the error is inside a header)
 * means that probe took part in a failure; warnings are off (-w).
 * Returns false when no probe was to blame: the headers themselves fail.
 */
static bool drop_failed(struct hdr_macros *ms, const size_t *line_of, const char *err,
			const char *unit)
{
	const char *p = err;
	size_t ulen = strlen(unit), i;
	bool any = false;

	while ((p = strstr(p, unit))) {
		unsigned long line;
		char *end;

		p += ulen;
		if (*p != ':')
			continue;
		line = strtoul(p + 1, &end, 10);
		if (*end != ':')
			continue;
		for (i = 0; i < ms->n; i++)
			if (line_of[i] == line && ms->m[i].probe) {
				ms->m[i].probe = false;
				any = true;
			}
	}
	return any;
}

static int compile_at(struct build *b, struct hdr_macros *ms, int k, json_object **dw, bool retry)
{
	size_t *line_of = ad_xmalloc((ms->n + 1) * sizeof(*line_of));
	char *unit = NULL, *obj = ad_printf("%s/probe-%d.so", b->tmp, k), *err = NULL;
	char *def = ad_printf("-DLUOC_SHIM_PAGE_SHIFT=%d", page_shifts[k]);
	int round, rc = -1;

	for (round = 0; round < PROBE_ROUNDS; round++) {
		char *body = probe_body(ms, line_of, b->ninc + 1);
		/* linked (-shared), so the DWARF's relocations are applied */
		const char *args[] = { "-g", "-O0", "-shared", "-nostdlib", "-w", "-gdwarf-5",
				       "-fno-eliminate-unused-debug-types", def, NULL, "-o", obj, NULL };

		free(unit);
		if (write_unit(b, "probe.c", body, &unit) < 0) {
			free(body);
			goto out;
		}
		free(body);
		args[8] = unit;
		free(err);
		err = NULL;
		if (gcc(b, args, NULL, &err) == 0) {
			rc = ad_dwarf_read(obj, dw);
			goto out;
		}
		if (!retry || !drop_failed(ms, line_of, err, unit))
			break;
	}
	ad_err("%s: the ABI headers do not compile at %d KiB pages:\n%s", b->dir,
	       1 << (page_shifts[k] - 10), err ? err : "");
out:
	free(line_of);
	free(unit);
	free(obj);
	free(err);
	free(def);
	return rc;
}

static void probe_values(struct hdr_macros *ms, json_object *dw[AD_NPS])
{
	size_t i;
	int k;

	for (i = 0; i < ms->n; i++) {
		char key[32];

		snprintf(key, sizeof(key), "%zu", i);
		ms->m[i].have_val = ms->m[i].probe;
		for (k = 0; k < AD_NPS; k++) {
			json_object *v = ad_jobj(ad_jobj(dw[k], "macros"), key);

			if (!v)
				ms->m[i].have_val = false;
			else
				ms->m[i].val[k] = json_object_get_int64(v);
		}
	}
}

static int setup(struct build *b, const char *dir, bool kernel)
{
	memset(b, 0, sizeof(*b));
	b->dir = dir;
	b->kernel = kernel;
	b->shim = ad_strdup(env_or("LUO_ABIDIFF_SHIM", ABIDIFF_SHIM));
	b->fallback = ad_printf("%s/fallback", b->shim);
	if (!ad_is_dir(dir)) {
		ad_err("%s: no such directory", dir);
		return -1;
	}
	/* the tree's other headers (uapi/linux/liveupdate.h) come after the shim */
	b->kinc = ad_printf("%s/include", dir);
	if (!ad_is_dir(b->kinc)) {
		if (kernel) {
			ad_err("%s: not a kernel source tree (no include/)", dir);
			return -1;
		}
		free(b->kinc);
		b->kinc = NULL;
	}
	if (!ad_is_dir(b->shim)) {
		ad_err("%s: shim directory missing (set LUO_ABIDIFF_SHIM)", b->shim);
		return -1;
	}
	b->tmp = ad_mkdtemp();
	return b->tmp ? stage(b) : -1;
}

static void teardown(struct build *b)
{
	int i;

	ad_rmtree(b->tmp);
	free(b->tmp);
	free(b->shim);
	free(b->fallback);
	free(b->kinc);
	free(b->includes);
	for (i = 0; i < HDR_NFILES; i++)
		free(b->found[i]);
}

int ad_headers_model(const char *dir, bool kernel_tree, json_object **doc)
{
	json_object *dw[AD_NPS] = { NULL, NULL, NULL };
	struct hdr_macros ms = { NULL, 0 };
	struct build b;
	int k, rc = -1;

	*doc = NULL;
	if (setup(&b, dir, kernel_tree) < 0 || read_macros(&b, &ms) < 0)
		goto out;
	for (k = 0; k < AD_NPS; k++)
		if (compile_at(&b, &ms, k, &dw[k], k == 0) < 0)
			goto out;
	probe_values(&ms, dw);
	*doc = hdr_build_model(&ms, dw, dir);
	rc = *doc ? 0 : -1;
out:
	for (k = 0; k < AD_NPS; k++)
		if (dw[k])
			json_object_put(dw[k]);
	hdr_macros_free(&ms);
	teardown(&b);
	return rc;
}
