// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * state_json.c - the JSON form of states and restore results, used by the
 * subprocess protocol (PROTOCOL.rst).  Built on json-c; this file only maps
 * fields.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "state.h"

/* --- emit --------------------------------------------------------------------- */

static void add_u64(json_object *o, const char *k, uint64_t v)
{
	json_object_object_add(o, k, json_object_new_uint64(v));
}

static bool printable(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			return false;
	return true;
}

/* Names are bytes; JSON strings are UTF-8: anything else goes as hex. */
static void add_name(json_object *o, const char *k, const char *s)
{
	char key[32], *hex;
	size_t n;

	if (!s)
		s = "";
	if (printable(s)) {
		json_object_object_add(o, k, json_object_new_string(s));
		return;
	}
	n = strlen(s);
	hex = malloc(2 * n + 1);
	if (!hex)
		return;
	luoc_hex((const uint8_t *)s, n, hex);
	snprintf(key, sizeof(key), "%s_hex", k);
	json_object_object_add(o, key, json_object_new_string(hex));
	free(hex);
}

static json_object *memfd_to_json(const struct luoc_st_memfd *m)
{
	json_object *o = json_object_new_object(), *c, *fa;
	uint32_t i;

	add_u64(o, "size", m->size);
	add_u64(o, "pos", m->pos);
	add_u64(o, "seals", m->seals);
	add_u64(o, "flags", m->flags);
	if (m->content == LUOC_CONTENT_PATTERN) {
		c = json_object_new_object();
		add_u64(c, "pattern", m->pattern);
		json_object_object_add(o, "content", c);
	} else if (m->content == LUOC_CONTENT_BYTES && m->bytes) {
		char *hex = malloc(2 * m->n_bytes + 1);

		if (hex) {
			luoc_hex(m->bytes, m->n_bytes, hex);
			c = json_object_new_object();
			json_object_object_add(c, "hex", json_object_new_string(hex));
			json_object_object_add(o, "content", c);
			free(hex);
		}
	}
	if (m->n_folios) {
		fa = json_object_new_array();
		for (i = 0; i < m->n_folios; i++) {
			json_object *f = json_object_new_array();

			json_object_array_add(f, json_object_new_uint64(m->folios[i].index));
			json_object_array_add(f, json_object_new_uint64(m->folios[i].order));
			json_object_array_add(f, json_object_new_uint64(m->folios[i].flags));
			json_object_array_add(fa, f);
		}
		json_object_object_add(o, "folios", fa);
	}
	if (m->has_digest) {
		char hex[65];

		luoc_hex(m->sha256, 32, hex);
		json_object_object_add(o, "sha256", json_object_new_string(hex));
	}
	return o;
}

json_object *luoc_state_to_json(const struct luoc_state *st)
{
	json_object *o = json_object_new_object(), *ss = json_object_new_array();
	json_object *fl = json_object_new_array();
	uint32_t i, j;

	add_u64(o, "liveupdate_number", st->liveupdate_number);
	for (i = 0; i < st->n_sessions; i++) {
		const struct luoc_st_session *s = &st->sessions[i];
		json_object *so = json_object_new_object(), *fa = json_object_new_array();

		add_name(so, "name", s->name);
		for (j = 0; j < s->n_files; j++) {
			const struct luoc_st_file *f = &s->files[j];
			json_object *fo = json_object_new_object();

			add_name(fo, "compatible", f->compatible);
			add_u64(fo, "token", f->token);
			if (f->is_memfd)
				json_object_object_add(fo, "memfd", memfd_to_json(&f->memfd));
			else
				add_u64(fo, "data", f->data);
			json_object_array_add(fa, fo);
		}
		json_object_object_add(so, "files", fa);
		json_object_array_add(ss, so);
	}
	json_object_object_add(o, "sessions", ss);
	for (i = 0; i < st->n_flbs; i++) {
		json_object *f = json_object_new_object();

		add_name(f, "name", st->flbs[i].name);
		add_u64(f, "data", st->flbs[i].data);
		add_u64(f, "count", st->flbs[i].count);
		json_object_array_add(fl, f);
	}
	json_object_object_add(o, "flbs", fl);
	return o;
}

json_object *luoc_restore_to_json(const struct luoc_restore_out *out)
{
	json_object *o;

	if (out->verdict == LUOC_VERDICT_ACCEPT) {
		o = luoc_state_to_json(&out->state);
	} else {
		o = json_object_new_object();
		json_object_object_add(o, "reject",
				       json_object_new_string(luoc_adapter_outcome_name(out->outcome)));
		if (out->req[0])
			json_object_object_add(o, "requirement", json_object_new_string(out->req));
	}
	json_object_object_add(o, "message", json_object_new_string(out->message));
	return o;
}

json_object *luoc_preserve_req_to_json(const struct luoc_state *st,
				       const struct luoc_preserve_opts *opt)
{
	json_object *o = luoc_state_to_json(st);

	add_u64(o, "page_size", opt && opt->page_size ? opt->page_size : 4096);
	json_object_object_add(o, "big_endian", json_object_new_boolean(opt && opt->big_endian));
	add_u64(o, "seed", opt ? opt->seed : 0);
	return o;
}

/* --- parse -------------------------------------------------------------------- */

struct pctx {
	struct luoc_st_arena *a;
	char *err;
	size_t errlen;
};

static int perr(struct pctx *c, const char *fmt, const char *what)
{
	if (c->err && c->errlen)
		snprintf(c->err, c->errlen, fmt, what);
	return -EINVAL;
}

static int get_u64(struct pctx *c, json_object *o, const char *k, uint64_t *v, bool need)
{
	json_object *x;

	if (!json_object_object_get_ex(o, k, &x)) {
		*v = 0;
		return need ? perr(c, "missing \"%s\"", k) : 0;
	}
	if (!json_object_is_type(x, json_type_int))
		return perr(c, "\"%s\" is not an integer", k);
	errno = 0;
	*v = json_object_get_uint64(x);
	if (json_object_get_int64(x) < 0)
		return perr(c, "\"%s\" is negative", k);
	return 0;
}

static int unhex(const char *h, uint8_t *out, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned int v;

		if (sscanf(h + 2 * i, "%2x", &v) != 1)
			return -1;
		out[i] = (uint8_t)v;
	}
	return 0;
}

static int get_name(struct pctx *c, json_object *o, const char *k, const char **out, bool need)
{
	json_object *x;
	char key[32];

	*out = NULL;
	if (json_object_object_get_ex(o, k, &x)) {
		if (!json_object_is_type(x, json_type_string))
			return perr(c, "\"%s\" is not a string", k);
		*out = luoc_st_strdup(c->a, json_object_get_string(x));
		return *out ? 0 : -ENOMEM;
	}
	snprintf(key, sizeof(key), "%s_hex", k);
	if (json_object_object_get_ex(o, key, &x) && json_object_is_type(x, json_type_string)) {
		const char *h = json_object_get_string(x);
		size_t n = strlen(h) / 2;
		char *s = luoc_st_alloc(c->a, n + 1);

		if (!s || strlen(h) % 2 || unhex(h, (uint8_t *)s, n) || memchr(s, 0, n))
			return perr(c, "bad \"%s\"", key);
		*out = s;
		return 0;
	}
	return need ? perr(c, "missing \"%s\"", k) : 0;
}

static int parse_content(struct pctx *c, json_object *o, struct luoc_st_memfd *m)
{
	json_object *x, *y;
	uint64_t v;

	m->content = LUOC_CONTENT_ZERO;
	if (!json_object_object_get_ex(o, "content", &x) || json_object_is_type(x, json_type_string))
		return 0;	/* absent or "zero" */
	if (!json_object_is_type(x, json_type_object))
		return perr(c, "bad \"%s\"", "content");
	if (json_object_object_get_ex(x, "pattern", &y)) {
		if (get_u64(c, x, "pattern", &v, true))
			return -EINVAL;
		m->content = LUOC_CONTENT_PATTERN;
		m->pattern = (uint32_t)v;
		return 0;
	}
	if (json_object_object_get_ex(x, "hex", &y) && json_object_is_type(y, json_type_string)) {
		const char *h = json_object_get_string(y);
		size_t n = strlen(h) / 2;
		uint8_t *b = luoc_st_alloc(c->a, n ? n : 1);

		if (!b || strlen(h) % 2 || unhex(h, b, n))
			return perr(c, "bad \"%s\"", "content.hex");
		m->content = LUOC_CONTENT_BYTES;
		m->bytes = b;
		m->n_bytes = n;
		return 0;
	}
	return perr(c, "bad \"%s\"", "content");
}

static int parse_memfd(struct pctx *c, json_object *o, struct luoc_st_memfd *m)
{
	json_object *x;
	uint64_t v;
	size_t i, n;

	if (get_u64(c, o, "size", &m->size, true) || get_u64(c, o, "pos", &m->pos, false))
		return -EINVAL;
	if (get_u64(c, o, "seals", &v, false))
		return -EINVAL;
	/* NOLINTNEXTLINE(clang-analyzer-core.uninitialized.Assign): get_u64 sets v when it returns 0 */
	m->seals = (uint32_t)v;
	if (get_u64(c, o, "flags", &v, false))
		return -EINVAL;
	m->flags = (uint32_t)v;
	if (parse_content(c, o, m))
		return -EINVAL;
	if (json_object_object_get_ex(o, "folios", &x)) {
		if (!json_object_is_type(x, json_type_array))
			return perr(c, "bad \"%s\"", "folios");
		n = json_object_array_length(x);
		m->folios = luoc_st_alloc(c->a, (n ? n : 1) * sizeof(*m->folios));
		if (!m->folios || n > UINT32_MAX)
			return -ENOMEM;
		for (i = 0; i < n; i++) {
			json_object *f = json_object_array_get_idx(x, i);

			if (!json_object_is_type(f, json_type_array) || json_object_array_length(f) != 3)
				return perr(c, "bad \"%s\"", "folios[]");
			m->folios[i].index = json_object_get_uint64(json_object_array_get_idx(f, 0));
			m->folios[i].order = (uint32_t)json_object_get_uint64(json_object_array_get_idx(f, 1));
			/* a folio is 2^order pages: 64 and above cannot be shifted */
			if (json_object_get_uint64(json_object_array_get_idx(f, 1)) >= 64)
				return perr(c, "bad \"%s\"", "folios[] order");
			m->folios[i].flags = (uint32_t)json_object_get_uint64(json_object_array_get_idx(f, 2));
		}
		m->n_folios = (uint32_t)n;
	}
	if (json_object_object_get_ex(o, "sha256", &x)) {
		const char *h = json_object_get_string(x);

		if (!h || strlen(h) != 64 || unhex(h, m->sha256, 32))
			return perr(c, "bad \"%s\"", "sha256");
		m->has_digest = true;
	}
	return 0;
}

static int parse_files(struct pctx *c, json_object *arr, struct luoc_st_session *s)
{
	size_t i, n = json_object_array_length(arr);

	s->files = luoc_st_alloc(c->a, (n + 1) * sizeof(*s->files));
	if (!s->files || n > UINT32_MAX)
		return -ENOMEM;
	s->n_files = (uint32_t)n;
	for (i = 0; i < n; i++) {
		json_object *f = json_object_array_get_idx(arr, i), *m;
		struct luoc_st_file *d = &s->files[i];

		if (!json_object_is_type(f, json_type_object))
			return perr(c, "bad \"%s\"", "files[]");
		if (get_name(c, f, "compatible", &d->compatible, false) ||
		    get_u64(c, f, "token", &d->token, true) || get_u64(c, f, "data", &d->data, false))
			return -EINVAL;
		if (!d->compatible)
			d->compatible = luoc_st_strdup(c->a, "");
		/* "memfd": null is a file no memfd handler took (unknown handler) */
		if (json_object_object_get_ex(f, "memfd", &m) && m) {
			d->is_memfd = true;
			if (!json_object_is_type(m, json_type_object) || parse_memfd(c, m, &d->memfd))
				return perr(c, "bad \"%s\"", "memfd");
		}
	}
	return 0;
}

int luoc_state_from_json(json_object *o, struct luoc_st_arena *a, struct luoc_state *st,
			 char *err, size_t errlen)
{
	struct pctx c = { a, err, errlen };
	json_object *x;
	size_t i, n;

	memset(st, 0, sizeof(*st));
	if (!json_object_is_type(o, json_type_object))
		return perr(&c, "%s is not a JSON object", "state");
	if (get_u64(&c, o, "liveupdate_number", &st->liveupdate_number, false))
		return -EINVAL;
	if (json_object_object_get_ex(o, "sessions", &x)) {
		if (!json_object_is_type(x, json_type_array))
			return perr(&c, "bad \"%s\"", "sessions");
		n = json_object_array_length(x);
		st->sessions = luoc_st_alloc(a, (n + 1) * sizeof(*st->sessions));
		if (!st->sessions || n > UINT32_MAX)
			return -ENOMEM;
		st->n_sessions = (uint32_t)n;
		for (i = 0; i < n; i++) {
			json_object *s = json_object_array_get_idx(x, i), *f;

			if (!json_object_is_type(s, json_type_object) ||
			    get_name(&c, s, "name", &st->sessions[i].name, true))
				return perr(&c, "bad \"%s\"", "sessions[]");
			if (json_object_object_get_ex(s, "files", &f)) {
				if (!json_object_is_type(f, json_type_array) ||
				    parse_files(&c, f, &st->sessions[i]))
					return -EINVAL;
			}
		}
	}
	if (json_object_object_get_ex(o, "flbs", &x)) {
		if (!json_object_is_type(x, json_type_array))
			return perr(&c, "bad \"%s\"", "flbs");
		n = json_object_array_length(x);
		st->flbs = luoc_st_alloc(a, (n + 1) * sizeof(*st->flbs));
		if (!st->flbs || n > UINT32_MAX)
			return -ENOMEM;
		st->n_flbs = (uint32_t)n;
		for (i = 0; i < n; i++) {
			json_object *f = json_object_array_get_idx(x, i);

			if (!json_object_is_type(f, json_type_object) ||
			    get_name(&c, f, "name", &st->flbs[i].name, true) ||
			    get_u64(&c, f, "data", &st->flbs[i].data, false) ||
			    get_u64(&c, f, "count", &st->flbs[i].count, false))
				return perr(&c, "bad \"%s\"", "flbs[]");
		}
	}
	return 0;
}

int luoc_restore_from_json(json_object *o, struct luoc_st_arena *a,
			   struct luoc_restore_out *out, char *err, size_t errlen)
{
	json_object *x;
	int oc;

	memset(out, 0, sizeof(*out));
	if (!json_object_is_type(o, json_type_object)) {
		snprintf(err, errlen, "restore output is not a JSON object");
		return -EINVAL;
	}
	if (json_object_object_get_ex(o, "message", &x))
		snprintf(out->message, sizeof(out->message), "%s", json_object_get_string(x));
	if (json_object_object_get_ex(o, "reject", &x)) {
		oc = luoc_adapter_outcome_parse(json_object_get_string(x));
		if (oc < 0 || oc == LUOC_OUT_ACCEPT) {
			snprintf(err, errlen, "unknown outcome \"%s\"", json_object_get_string(x));
			return -EINVAL;
		}
		out->verdict = LUOC_VERDICT_REJECT;
		out->outcome = (enum luoc_outcome)oc;
		if (json_object_object_get_ex(o, "requirement", &x))
			snprintf(out->req, sizeof(out->req), "%s", json_object_get_string(x));
		return 0;
	}
	out->verdict = LUOC_VERDICT_ACCEPT;
	out->outcome = LUOC_OUT_ACCEPT;
	return luoc_state_from_json(o, a, &out->state, err, errlen);
}

int luoc_preserve_req_from_json(json_object *o, struct luoc_st_arena *a, struct luoc_state *st,
				struct luoc_preserve_opts *opts, char *err, size_t errlen)
{
	struct pctx c = { a, err, errlen };
	json_object *x;
	uint64_t v;

	memset(opts, 0, sizeof(*opts));
	if (luoc_state_from_json(o, a, st, err, errlen))
		return -EINVAL;
	if (get_u64(&c, o, "page_size", &v, false))
		return -EINVAL;
	opts->page_size = (uint32_t)v;
	if (json_object_object_get_ex(o, "big_endian", &x))
		opts->big_endian = json_object_get_boolean(x);
	return get_u64(&c, o, "seed", &opts->seed, false);
}
