// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * state_json.c - with --state, keep what the core decodes (sessions, their
 * files, memfd state and folios, FLBs) and print it as JSON:
 *   {"sessions": [{"name", "files": [{"compatible", "token", "data",
 *      "memfd": {"size", "pos", "seals", "flags", "nr_folios", "sha256"}}]}],
 *    "flbs": [{"name", "data", "count"}]}
 * The visitor's ctx is the image's struct cf_report.
 */
#include <stdlib.h>
#include <string.h>

#include "conform.h"

#define NAME_MAX_KEPT	256

/* Make room for one more element of *arr (n used, *cap allocated). */
static bool more(void **arr, size_t n, size_t *cap, size_t size)
{
	void *p;
	size_t c;

	if (n < *cap)
		return true;
	c = *cap ? *cap * 2 : 8;
	p = realloc(*arr, c * size);
	if (!p)
		return false;
	*arr = p;
	*cap = c;
	return true;
}

static struct cf_session *find_session(struct cf_state *s, uint32_t idx)
{
	size_t i = s->n_sessions;

	while (i--)
		if (s->sessions[i].idx == idx)
			return &s->sessions[i];
	return NULL;
}

static struct cf_file *find_file(struct cf_state *s, uint32_t sidx, uint32_t fidx)
{
	struct cf_session *ss = find_session(s, sidx);
	size_t i;

	if (!ss)
		return NULL;
	i = ss->n_files;
	while (i--)
		if (ss->files[i].idx == fidx)
			return &ss->files[i];
	return NULL;
}

static void on_session(void *ctx, uint32_t idx, const char *name, uint64_t nr_files)
{
	struct cf_state *s = ((struct cf_report *)ctx)->state;
	struct cf_session *ss;

	(void)nr_files;
	if (!more((void **)&s->sessions, s->n_sessions, &s->cap_sessions, sizeof(*ss))) {
		s->incomplete = true;
		return;
	}
	ss = &s->sessions[s->n_sessions];
	memset(ss, 0, sizeof(*ss));
	ss->idx = idx;
	ss->name = strndup(name ? name : "", NAME_MAX_KEPT);
	s->n_sessions += ss->name != NULL;
}

static void on_file(void *ctx, uint32_t sidx, uint32_t fidx, const char *compat,
		    uint64_t token, uint64_t data)
{
	struct cf_state *s = ((struct cf_report *)ctx)->state;
	struct cf_session *ss = find_session(s, sidx);
	struct cf_file *f;

	if (!ss || !more((void **)&ss->files, ss->n_files, &ss->cap_files, sizeof(*f))) {
		s->incomplete = true;
		return;
	}
	f = &ss->files[ss->n_files];
	memset(f, 0, sizeof(*f));
	f->idx = fidx;
	f->token = token;
	f->data = data;
	f->compat = strndup(compat ? compat : "", NAME_MAX_KEPT);
	ss->n_files += f->compat != NULL;
}

static void on_memfd(void *ctx, uint32_t sidx, uint32_t fidx, const struct luoc_memfd_info *info)
{
	struct cf_file *f = find_file(((struct cf_report *)ctx)->state, sidx, fidx);

	if (!f)
		return;
	f->has_memfd = true;
	f->memfd = *info;
}

static void on_folio(void *ctx, uint32_t sidx, uint32_t fidx, uint64_t index,
		     uint64_t phys, uint64_t bytes, uint32_t flags)
{
	struct cf_state *s = ((struct cf_report *)ctx)->state;
	struct cf_file *f = find_file(s, sidx, fidx);

	(void)flags;
	if (!f || !more((void **)&f->folios, f->n_folios, &f->cap_folios, sizeof(*f->folios))) {
		s->incomplete = true;
		return;
	}
	f->folios[f->n_folios++] = (struct cf_folio){ index, phys, bytes };
}

static void on_flb(void *ctx, uint32_t idx, const char *name, uint64_t data, uint64_t count)
{
	struct cf_state *s = ((struct cf_report *)ctx)->state;
	struct cf_flb *b;

	(void)idx;
	if (!more((void **)&s->flbs, s->n_flbs, &s->cap_flbs, sizeof(*b))) {
		s->incomplete = true;
		return;
	}
	b = &s->flbs[s->n_flbs];
	b->data = data;
	b->count = count;
	b->name = strndup(name ? name : "", NAME_MAX_KEPT);
	s->n_flbs += b->name != NULL;
}

void cf_state_visitor(struct luoc_visitor *v)
{
	v->session = on_session;
	v->file = on_file;
	v->memfd = on_memfd;
	v->folio = on_folio;
	v->flb = on_flb;
}

void cf_state_free(struct cf_state *s)
{
	size_t i, j;

	for (i = 0; i < s->n_sessions; i++) {
		for (j = 0; j < s->sessions[i].n_files; j++) {
			free(s->sessions[i].files[j].compat);
			free(s->sessions[i].files[j].folios);
		}
		free(s->sessions[i].files);
		free(s->sessions[i].name);
	}
	free(s->sessions);
	for (i = 0; i < s->n_flbs; i++)
		free(s->flbs[i].name);
	free(s->flbs);
}

/* --- JSON --- */

static void memfd_json(FILE *out, const struct cf_file *f)
{
	const struct luoc_memfd_info *m = &f->memfd;

	fprintf(out, "{\"size\": %llu, \"pos\": %llu, \"seals\": %u, \"flags\": %u, "
		"\"nr_folios\": %llu, \"sha256\": ", (unsigned long long)m->size,
		(unsigned long long)m->pos, m->seals, m->flags,
		(unsigned long long)m->nr_folios);
	if (f->sha256[0]) {
		cf_json_str(out, f->sha256);
	} else {
		fputs("null, \"sha256_missing\": ", out);
		cf_json_str(out, f->no_digest ? f->no_digest : "not computed");
	}
	fputc('}', out);
}

static void file_json(FILE *out, const struct cf_file *f, const char *in, bool last)
{
	fprintf(out, "%s      {\"compatible\": ", in);
	cf_json_str(out, f->compat);
	fprintf(out, ", \"token\": %llu, \"data\": ", (unsigned long long)f->token);
	cf_json_hex(out, f->data);
	fputs(", \"memfd\": ", out);
	if (f->has_memfd)
		memfd_json(out, f);
	else
		fputs("null", out);
	fprintf(out, "}%s\n", last ? "" : ",");
}

static void session_json(FILE *out, const struct cf_session *ss, const char *in, bool last)
{
	size_t i;

	fprintf(out, "%s    {\"name\": ", in);
	cf_json_str(out, ss->name);
	fputs(", \"files\": [\n", out);
	for (i = 0; i < ss->n_files; i++)
		file_json(out, &ss->files[i], in, i + 1 == ss->n_files);
	fprintf(out, "%s    ]}%s\n", in, last ? "" : ",");
}

static void flb_json(FILE *out, const struct cf_flb *b, const char *in, bool last)
{
	fprintf(out, "%s    {\"name\": ", in);
	cf_json_str(out, b->name);
	fputs(", \"data\": ", out);
	cf_json_hex(out, b->data);
	fprintf(out, ", \"count\": %llu}%s\n", (unsigned long long)b->count, last ? "" : ",");
}

void cf_state_json(FILE *out, const struct cf_state *s, const char *in)
{
	size_t i;

	fprintf(out, "{\n%s  \"sessions\": [\n", in);
	for (i = 0; i < s->n_sessions; i++)
		session_json(out, &s->sessions[i], in, i + 1 == s->n_sessions);
	fprintf(out, "%s  ],\n%s  \"flbs\": [\n", in, in);
	for (i = 0; i < s->n_flbs; i++)
		flb_json(out, &s->flbs[i], in, i + 1 == s->n_flbs);
	fprintf(out, "%s  ],\n%s  \"incomplete\": %s\n%s}", in, in, s->incomplete ? "true" : "false", in);
}
