// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * rn_report.c - test results of luo-conform run and their three forms:
 * KTAP (kselftest-compatible, the default), JUnit XML and JSON.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "rn.h"

struct rn_result *rn_add(struct rn_report *rep, const char *kind, const char *profile,
			 const char *name)
{
	struct rn_result *r;

	if (rep->n == rep->cap) {
		size_t cap = rep->cap ? rep->cap * 2 : 128;
		struct rn_result *nr = realloc(rep->r, cap * sizeof(*nr));

		if (!nr) {
			fprintf(stderr, "luo-conform: out of memory\n");
			exit(RN_EXIT_USAGE);
		}
		rep->r = nr;
		rep->cap = cap;
	}
	r = &rep->r[rep->n++];
	memset(r, 0, sizeof(*r));
	snprintf(r->kind, sizeof(r->kind), "%s", kind);
	snprintf(r->profile, sizeof(r->profile), "%s", profile);
	if (asprintf(&r->name, "%s/%s/%s", kind, profile, name) < 0)
		r->name = NULL;
	r->reqs = strdup("");
	r->status = RN_PASS;
	rn_progress(rep, r->name);
	return r;
}

static void append(char **dst, const char *text)
{
	size_t a = *dst ? strlen(*dst) : 0, b = strlen(text);
	char *n = realloc(*dst, a + b + 2);

	if (!n)
		return;
	if (a)
		n[a++] = '\n';
	memcpy(n + a, text, b + 1);
	*dst = n;
}

void rn_note(struct rn_result *r, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	append(&r->message, buf);
}

void rn_set(struct rn_result *r, enum rn_status s, const char *reqs, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	/* a failure stays a failure; the first one names the requirements */
	if (r->status == RN_FAIL && s != RN_FAIL)
		return;
	if (!(r->status == RN_FAIL && s == RN_FAIL)) {
		free(r->reqs);
		r->reqs = strdup(reqs ? reqs : "");
	}
	r->status = s;
	if (fmt) {
		va_start(ap, fmt);
		vsnprintf(buf, sizeof(buf), fmt, ap);
		va_end(ap);
		append(&r->message, buf);
	}
}

void rn_progress(struct rn_report *rep, const char *what)
{
	if (!rep->progress)
		return;
	fprintf(stderr, "\r\033[K[%zu/%zu] %.70s", rep->n, rep->planned > rep->n ? rep->planned : rep->n,
		what ? what : "");
	fflush(stderr);
}

size_t rn_count(const struct rn_report *rep, enum rn_status s)
{
	size_t i, n = 0;

	for (i = 0; i < rep->n; i++)
		n += rep->r[i].status == s;
	return n;
}

void rn_report_free(struct rn_report *rep)
{
	size_t i;

	for (i = 0; i < rep->n; i++) {
		free(rep->r[i].name);
		free(rep->r[i].reqs);
		free(rep->r[i].message);
	}
	free(rep->r);
	rep->r = NULL;
	rep->n = rep->cap = 0;
}

/* The requirement IDs of all failures, unique, in first-seen order. */
static void failed_reqs(const struct rn_report *rep, char *buf, size_t len)
{
	size_t i, at = 0;

	buf[0] = 0;
	for (i = 0; i < rep->n; i++) {
		char *copy, *tok, *save = NULL;

		if (rep->r[i].status != RN_FAIL || !rep->r[i].reqs)
			continue;
		copy = strdup(rep->r[i].reqs);
		for (tok = copy ? strtok_r(copy, ",", &save) : NULL; tok; tok = strtok_r(NULL, ",", &save)) {
			char key[40];

			snprintf(key, sizeof(key), "%s,", tok);
			if (strstr(buf, key) || at + strlen(key) + 1 >= len)
				continue;
			at += (size_t)snprintf(buf + at, len - at, "%s", key);
		}
		free(copy);
	}
	if (at)
		buf[at - 1] = 0;
}

void rn_out_summary(FILE *f, const struct rn_report *rep)
{
	char reqs[2048];

	failed_reqs(rep, reqs, sizeof(reqs));
	fprintf(f, "# luo-conform run: %s %s: %zu passed, %zu failed, %zu skipped%s%s\n",
		rep->impl_name, rep->impl_version, rn_count(rep, RN_PASS), rn_count(rep, RN_FAIL),
		rn_count(rep, RN_SKIP), reqs[0] ? "; requirements: " : "", reqs);
}

/* --- KTAP ------------------------------------------------------------------- */

static void ktap_lines(FILE *f, const char *text)
{
	const char *p = text, *nl;

	while (p && *p) {
		nl = strchr(p, '\n');
		fprintf(f, "# %.*s\n", nl ? (int)(nl - p) : (int)strlen(p), p);
		p = nl ? nl + 1 : NULL;
	}
}

void rn_out_ktap(FILE *f, const struct rn_report *rep)
{
	size_t i;

	fprintf(f, "KTAP version 1\n");
	fprintf(f, "# luo-conform run: implementation %s %s (%s)\n", rep->impl_name,
		rep->impl_version, rep->impl_label);
	fprintf(f, "# seed %llu (reproduce with --seed %llu)\n", (unsigned long long)rep->seed,
		(unsigned long long)rep->seed);
	if (rep->manifest)
		fprintf(f, "# vectors %s sha256 %s\n", rep->manifest, rep->manifest_sha256);
	fprintf(f, "1..%zu\n", rep->n);
	for (i = 0; i < rep->n; i++) {
		const struct rn_result *r = &rep->r[i];

		if (r->status == RN_SKIP)
			fprintf(f, "ok %zu %s # SKIP %s\n", i + 1, r->name,
				r->message ? r->message : "");
		else
			fprintf(f, "%s %zu %s%s%s\n", r->status == RN_PASS ? "ok" : "not ok", i + 1,
				r->name, r->reqs[0] ? " # " : "", r->reqs);
		if (r->status == RN_FAIL)
			ktap_lines(f, r->message);
	}
	fprintf(f, "# Totals: pass:%zu fail:%zu xfail:0 xpass:0 skip:%zu error:0\n",
		rn_count(rep, RN_PASS), rn_count(rep, RN_FAIL), rn_count(rep, RN_SKIP));
	rn_out_summary(f, rep);
}

/* --- JUnit ------------------------------------------------------------------- */

static void xml(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		default:
			if ((unsigned char)*s < 0x20 && *s != '\n' && *s != '\t')
				fputc('?', f);
			else
				fputc(*s, f);
		}
	}
}

void rn_out_junit(FILE *f, const struct rn_report *rep)
{
	size_t i;

	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	fprintf(f, "<testsuites name=\"luo-conform run\" tests=\"%zu\" failures=\"%zu\" skipped=\"%zu\">\n",
		rep->n, rn_count(rep, RN_FAIL), rn_count(rep, RN_SKIP));
	fprintf(f, "  <testsuite name=\"");
	xml(f, rep->impl_name);
	fprintf(f, "\" tests=\"%zu\" failures=\"%zu\" skipped=\"%zu\">\n", rep->n,
		rn_count(rep, RN_FAIL), rn_count(rep, RN_SKIP));
	fprintf(f, "    <properties><property name=\"seed\" value=\"%llu\"/></properties>\n",
		(unsigned long long)rep->seed);
	for (i = 0; i < rep->n; i++) {
		const struct rn_result *r = &rep->r[i];

		fprintf(f, "    <testcase classname=\"%s.%s\" name=\"", r->kind, r->profile);
		xml(f, r->name);
		fprintf(f, "\">");
		if (r->status == RN_FAIL) {
			fprintf(f, "<failure message=\"");
			xml(f, r->reqs[0] ? r->reqs : "failed");
			fprintf(f, "\">");
			xml(f, r->message);
			fprintf(f, "</failure>");
		} else if (r->status == RN_SKIP) {
			fprintf(f, "<skipped message=\"");
			xml(f, r->message);
			fprintf(f, "\"/>");
		}
		fprintf(f, "</testcase>\n");
	}
	fprintf(f, "  </testsuite>\n</testsuites>\n");
}

/* --- JSON --------------------------------------------------------------------- */

static json_object *reqs_array(const char *reqs)
{
	json_object *a = json_object_new_array();
	char *copy = strdup(reqs ? reqs : ""), *tok, *save = NULL;

	for (tok = copy ? strtok_r(copy, ",", &save) : NULL; tok; tok = strtok_r(NULL, ",", &save))
		json_object_array_add(a, json_object_new_string(tok));
	free(copy);
	return a;
}

void rn_out_json(FILE *f, const struct rn_report *rep)
{
	static const char *const st[] = { "pass", "fail", "skip" };
	json_object *o = json_object_new_object(), *impl = json_object_new_object();
	json_object *sum = json_object_new_object(), *tests = json_object_new_array();
	char reqs[2048];
	size_t i;

	json_object_object_add(o, "tool", json_object_new_string("luo-conform"));
	json_object_object_add(o, "command", json_object_new_string("run"));
	json_object_object_add(impl, "name", json_object_new_string(rep->impl_name));
	json_object_object_add(impl, "version", json_object_new_string(rep->impl_version));
	json_object_object_add(impl, "path", json_object_new_string(rep->impl_label));
	json_object_object_add(o, "implementation", impl);
	json_object_object_add(o, "seed", json_object_new_uint64(rep->seed));
	if (rep->manifest) {
		json_object_object_add(o, "manifest", json_object_new_string(rep->manifest));
		json_object_object_add(o, "manifest_sha256", json_object_new_string(rep->manifest_sha256));
	}
	json_object_object_add(sum, "passed", json_object_new_uint64(rn_count(rep, RN_PASS)));
	json_object_object_add(sum, "failed", json_object_new_uint64(rn_count(rep, RN_FAIL)));
	json_object_object_add(sum, "skipped", json_object_new_uint64(rn_count(rep, RN_SKIP)));
	failed_reqs(rep, reqs, sizeof(reqs));
	json_object_object_add(sum, "failed_requirements", reqs_array(reqs));
	json_object_object_add(o, "summary", sum);
	for (i = 0; i < rep->n; i++) {
		const struct rn_result *r = &rep->r[i];
		json_object *t = json_object_new_object();

		json_object_object_add(t, "name", json_object_new_string(r->name));
		json_object_object_add(t, "kind", json_object_new_string(r->kind));
		json_object_object_add(t, "profile", json_object_new_string(r->profile));
		json_object_object_add(t, "status", json_object_new_string(st[r->status]));
		json_object_object_add(t, "requirements", reqs_array(r->reqs));
		json_object_object_add(t, "message", json_object_new_string(r->message ? r->message : ""));
		json_object_array_add(tests, t);
	}
	json_object_object_add(o, "tests", tests);
	fputs(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
					     JSON_C_TO_STRING_NOSLASHESCAPE), f);
	fputc('\n', f);
	json_object_put(o);
}
