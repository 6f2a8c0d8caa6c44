// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * rn_bundle.c - luo-conform run --bundle FILE.tar: everything needed to
 * judge or reproduce a run, in one tar (libarchive): the results in all
 * three formats, the suite version, the vector manifest's hash and the
 * environment (uname, compiler, command line).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>

#include <archive.h>
#include <archive_entry.h>

#include "rn.h"

#ifndef LUOC_SUITE_VERSION
#define LUOC_SUITE_VERSION "0"
#endif

static int add(struct archive *a, const char *name, const char *data, size_t len, time_t now)
{
	struct archive_entry *e = archive_entry_new();
	int ret;

	if (!e)
		return -1;
	archive_entry_set_pathname(e, name);
	archive_entry_set_size(e, (la_int64_t)len);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_mtime(e, now, 0);
	ret = archive_write_header(a, e);
	if (ret == ARCHIVE_OK && len && archive_write_data(a, data, len) != (la_ssize_t)len)
		ret = ARCHIVE_FATAL;
	archive_entry_free(e);
	return ret == ARCHIVE_OK ? 0 : -1;
}

static char *render(void (*fn)(FILE *, const struct rn_report *), const struct rn_report *rep,
		    size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	if (!f)
		return NULL;
	fn(f, rep);
	fclose(f);
	return buf;
}

/* First line of "cc --version": the compiler a user would build adapters with. */
static void cc_version(char *buf, size_t len)
{
	FILE *p = popen("cc --version 2>/dev/null", "r");

	buf[0] = 0;
	if (p) {
		if (!fgets(buf, (int)len, p))
			buf[0] = 0;
		pclose(p);
	}
	buf[strcspn(buf, "\n")] = 0;
}

static char *environment(const struct rn_report *rep, time_t now, size_t *len)
{
	struct utsname u;
	char *buf = NULL, cc[256], when[64];
	FILE *f = open_memstream(&buf, len);

	if (!f)
		return NULL;
	if (uname(&u) == 0)
		fprintf(f, "uname: %s %s %s %s %s\n", u.sysname, u.nodename, u.release, u.version,
			u.machine);
	fprintf(f, "built-with: %s\n", __VERSION__);
	cc_version(cc, sizeof(cc));
	fprintf(f, "cc: %s\n", cc[0] ? cc : "(none)");
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
	fprintf(f, "date: %s\n", when);
	fprintf(f, "command: %s\n", rep->cmdline);
	fclose(f);
	return buf;
}

static char *suite(const struct rn_report *rep, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	if (!f)
		return NULL;
	fprintf(f, "suite-version: %s\n", LUOC_SUITE_VERSION);
	fprintf(f, "adapter-abi: %d\n", LUOC_ADAPTER_ABI);
	fprintf(f, "checker-api: %d\n", LUOC_API_VERSION);
	fprintf(f, "implementation: %s %s (%s)\n", rep->impl_name, rep->impl_version, rep->impl_label);
	fprintf(f, "seed: %llu\n", (unsigned long long)rep->seed);
	fprintf(f, "manifest: %s\n", rep->manifest ? rep->manifest : "(none)");
	fprintf(f, "manifest-sha256: %s\n", rep->manifest ? rep->manifest_sha256 : "");
	fprintf(f, "passed: %zu\nfailed: %zu\nskipped: %zu\n", rn_count(rep, RN_PASS),
		rn_count(rep, RN_FAIL), rn_count(rep, RN_SKIP));
	fclose(f);
	return buf;
}

int rn_write_bundle(const char *path, const struct rn_report *rep, char *err, size_t errlen)
{
	struct archive *a = archive_write_new();
	time_t now = time(NULL);
	struct { const char *name; char *data; size_t len; } parts[5];
	size_t i;
	int ret = 0;

	parts[0].name = "results.ktap";
	parts[0].data = render(rn_out_ktap, rep, &parts[0].len);
	parts[1].name = "results.json";
	parts[1].data = render(rn_out_json, rep, &parts[1].len);
	parts[2].name = "results.xml";
	parts[2].data = render(rn_out_junit, rep, &parts[2].len);
	parts[3].name = "environment.txt";
	parts[3].data = environment(rep, now, &parts[3].len);
	parts[4].name = "suite.txt";
	parts[4].data = suite(rep, &parts[4].len);
	if (!a || archive_write_set_format_pax_restricted(a) != ARCHIVE_OK ||
	    archive_write_open_filename(a, path) != ARCHIVE_OK) {
		snprintf(err, errlen, "%s: %s", path, a ? archive_error_string(a) : "out of memory");
		ret = -1;
		goto out;
	}
	for (i = 0; i < 5 && !ret; i++) {
		char name[128];

		snprintf(name, sizeof(name), "luo-conform-run/%s", parts[i].name);
		if (!parts[i].data || add(a, name, parts[i].data, parts[i].len, now)) {
			snprintf(err, errlen, "%s: %s", path, archive_error_string(a));
			ret = -1;
		}
	}
	if (archive_write_close(a) != ARCHIVE_OK && !ret) {
		snprintf(err, errlen, "%s: %s", path, archive_error_string(a));
		ret = -1;
	}
out:
	for (i = 0; i < 5; i++)
		free(parts[i].data);
	if (a)
		archive_write_free(a);
	return ret;
}
