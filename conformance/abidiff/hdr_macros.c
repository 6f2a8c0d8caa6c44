// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * hdr_macros.c - the macros of the ABI headers, from the preprocessor.
 *
 * "gcc -E -dD" prints every #define where it happens, between line
 * markers naming the file, so each macro is attributed to the header that
 * defines it.  Values are then taken from a second preprocessor run that
 * expands "luoc_x_<n> = NAME ;" lines: a macro whose expansion is a run of
 * string literals (compatible strings, node and property names) gets its
 * string; the others become integer probes (hdr_model.c, hdr_dwarf.c).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "hdr.h"

const char *const hdr_files[HDR_NFILES] = { "kexec_handover.h", "memfd.h", "luo.h" };

static const char *abi_base(const char *path, size_t len)
{
	static char buf[64];
	const char *key = "/linux/kho/abi/";
	char tmp[4096];
	const char *p;
	int i;

	if (len >= sizeof(tmp))
		return NULL;
	memcpy(tmp, path, len);
	tmp[len] = '\0';
	p = strstr(tmp, key);
	if (!p)
		return NULL;
	p += strlen(key);
	for (i = 0; i < HDR_NFILES; i++)
		if (!strcmp(p, hdr_files[i])) {
			strcpy(buf, p);
			return buf;
		}
	return NULL;
}

static char *collapse(const char *s, size_t len)
{
	char *out = ad_xmalloc(len + 1);
	size_t i, n = 0;

	for (i = 0; i < len; i++) {
		if (isspace((unsigned char)s[i])) {
			if (n && out[n - 1] != ' ')
				out[n++] = ' ';
		} else {
			out[n++] = s[i];
		}
	}
	while (n && out[n - 1] == ' ')
		n--;
	out[n] = '\0';
	return out;
}

static struct hdr_macro *find(struct hdr_macros *ms, const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < ms->n; i++)
		if (strlen(ms->m[i].name) == len && !strncmp(ms->m[i].name, name, len))
			return &ms->m[i];
	return NULL;
}

static void forget(struct hdr_macros *ms, struct hdr_macro *m)
{
	free(m->name);
	free(m->file);
	free(m->body);
	free(m->str);
	*m = ms->m[--ms->n];
}

static void define(struct hdr_macros *ms, const char *file, const char *p, const char *end)
{
	const char *name = p;
	struct hdr_macro *m;

	while (p < end && (isalnum((unsigned char)*p) || *p == '_'))
		p++;
	if (p == name || (p < end && *p == '('))
		return;		/* function-like: no value to compare */
	if ((m = find(ms, name, (size_t)(p - name))))
		forget(ms, m);
	ms->m = ad_xrealloc(ms->m, (ms->n + 1) * sizeof(*ms->m));
	m = &ms->m[ms->n++];
	memset(m, 0, sizeof(*m));
	m->name = ad_xmalloc((size_t)(p - name) + 1);
	memcpy(m->name, name, (size_t)(p - name));
	m->file = ad_strdup(file);
	m->body = collapse(p, (size_t)(end - p));
}

void hdr_macros_scan(const char *text, struct hdr_macros *ms)
{
	const char *line = text, *file = NULL;

	while (line && *line) {
		const char *end = strchr(line, '\n'), *q;

		if (!end)
			end = line + strlen(line);
		if (line[0] == '#' && line[1] == ' ' && isdigit((unsigned char)line[2]) &&
		    (q = memchr(line, '"', (size_t)(end - line)))) {
			const char *close = memchr(q + 1, '"', (size_t)(end - q - 1));

			file = close ? abi_base(q + 1, (size_t)(close - q - 1)) : NULL;
		} else if (file && !strncmp(line, "#define ", 8)) {
			define(ms, file, line + 8, end);
		} else if (file && !strncmp(line, "#undef ", 7)) {
			struct hdr_macro *m = find(ms, line + 7, (size_t)(end - line - 7));

			if (m)
				forget(ms, m);
		}
		line = *end ? end + 1 : NULL;
	}
}

/* Concatenate a run of "..." literals; NULL if the text is anything else. */
static char *literals(const char *s)
{
	size_t len = strlen(s), n = 0;
	char *out = ad_xmalloc(len + 1);

	while (*s) {
		if (isspace((unsigned char)*s)) {
			s++;
			continue;
		}
		if (*s != '"')
			goto no;
		for (s++; *s && *s != '"'; s++) {
			if (*s == '\\' && s[1])
				s++;
			out[n++] = *s;
		}
		if (*s != '"')
			goto no;
		s++;
	}
	if (!n && !len)
		goto no;
	out[n] = '\0';
	return out;
no:
	free(out);
	return NULL;
}

void hdr_macros_expand(const char *text, struct hdr_macros *ms)
{
	const char *line = text;

	while (line && *line) {
		const char *end = strchr(line, '\n');
		char *l, *eq, *semi;
		size_t idx;

		if (!end)
			end = line + strlen(line);
		l = collapse(line, (size_t)(end - line));
		if (!strncmp(l, "luoc_x_", 7) && (eq = strstr(l, " = ")) &&
		    (semi = strrchr(l, ';'))) {
			idx = strtoul(l + 7, NULL, 10);
			*semi = '\0';
			if (idx < ms->n && !ms->m[idx].str) {
				ms->m[idx].str = literals(eq + 3);
				ms->m[idx].probe = !ms->m[idx].str && *ms->m[idx].body;
			}
		}
		free(l);
		line = *end ? end + 1 : NULL;
	}
}

void hdr_macros_free(struct hdr_macros *ms)
{
	while (ms->n)
		forget(ms, &ms->m[ms->n - 1]);
	free(ms->m);
	ms->m = NULL;
}
