// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * rn_manifest.c - read the test-vector manifest (vectors/manifest.yaml)
 * with libyaml.  The YAML document becomes a json-c tree (plain scalars
 * that read as integers or booleans become numbers and booleans), so the
 * expected decoded state of a vector goes through the same parser as the
 * subprocess protocol's JSON.
 *
 * Per vector: id, profile, file (image path relative to the manifest),
 * verdict (valid / invalid), requirements, outcomes {profile: outcome},
 * state (the decoded state, PROTOCOL.rst form).  A manifest written as
 * JSON is YAML too and reads the same way.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>
#include <openssl/evp.h>
#include <yaml.h>

#include "rn.h"

#define YAML_DEPTH_MAX	64

static json_object *scalar(const yaml_node_t *n)
{
	const char *s = (const char *)n->data.scalar.value;
	char *end;

	if (n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
		if (!strcmp(s, "true") || !strcmp(s, "false"))
			return json_object_new_boolean(s[0] == 't');
		if (!strcmp(s, "null") || !strcmp(s, "~") || !s[0])
			return NULL;
		if (s[0] >= '0' && s[0] <= '9') {
			unsigned long long v;

			errno = 0;
			v = strtoull(s, &end, 0);
			if (!*end && !errno)
				return json_object_new_uint64(v);
		}
	}
	return json_object_new_string(s);
}

static json_object *to_json(yaml_document_t *d, yaml_node_t *n, int depth)
{
	json_object *o;
	yaml_node_item_t *it;
	yaml_node_pair_t *pr;

	if (!n || depth > YAML_DEPTH_MAX)
		return NULL;
	switch (n->type) {
	case YAML_SCALAR_NODE:
		return scalar(n);
	case YAML_SEQUENCE_NODE:
		o = json_object_new_array();
		for (it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++)
			json_object_array_add(o, to_json(d, yaml_document_get_node(d, *it), depth + 1));
		return o;
	case YAML_MAPPING_NODE:
		o = json_object_new_object();
		for (pr = n->data.mapping.pairs.start; pr < n->data.mapping.pairs.top; pr++) {
			yaml_node_t *k = yaml_document_get_node(d, pr->key);

			if (k && k->type == YAML_SCALAR_NODE)
				json_object_object_add(o, (const char *)k->data.scalar.value,
						       to_json(d, yaml_document_get_node(d, pr->value),
							       depth + 1));
		}
		return o;
	default:
		return NULL;
	}
}

static json_object *load_yaml(const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	yaml_parser_t p;
	yaml_document_t d;
	json_object *o = NULL;

	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	yaml_parser_initialize(&p);
	yaml_parser_set_input_file(&p, f);
	if (!yaml_parser_load(&p, &d)) {
		snprintf(err, errlen, "%s:%zu: %s", path, p.problem_mark.line + 1,
			 p.problem ? p.problem : "YAML error");
	} else {
		o = to_json(&d, yaml_document_get_root_node(&d), 0);
		yaml_document_delete(&d);
		if (!o)
			snprintf(err, errlen, "%s: empty document", path);
	}
	yaml_parser_delete(&p);
	fclose(f);
	return o;
}

static const char *str(json_object *o, const char *const *keys)
{
	json_object *x;

	for (; *keys; keys++)
		if (json_object_object_get_ex(o, *keys, &x) && json_object_is_type(x, json_type_string))
			return json_object_get_string(x);
	return NULL;
}

static json_object *obj(json_object *o, const char *const *keys)
{
	json_object *x;

	for (; *keys; keys++)
		if (json_object_object_get_ex(o, *keys, &x) && x)
			return x;
	return NULL;
}

static char *sdup(struct luoc_st_arena *a, const char *s)
{
	return s ? luoc_st_strdup(a, s) : NULL;
}

static const char *const K_ID[] = { "id", "name", NULL };
static const char *const K_PROFILE[] = { "profile", NULL };
static const char *const K_FILE[] = { "file", "image", "path", NULL };
static const char *const K_VERDICT[] = { "verdict", NULL };
static const char *const K_REQS[] = { "requirements", "reqs", NULL };
static const char *const K_OUT[] = { "outcomes", "outcome", NULL };
static const char *const K_STATE[] = { "state", "decoded", "expected_state", NULL };
static const char *const K_VECTORS[] = { "vectors", NULL };
static const char *const K_EXIT[] = { "exit", NULL };
static const char *const K_WARNS[] = { "warnings", NULL };

/* A YAML list (or one string) of requirement IDs, as "A,B,C". */
static char *id_list(struct rn_manifest *m, json_object *reqs)
{
	size_t i, len = 0, n;
	char *buf;

	if (reqs && json_object_is_type(reqs, json_type_string))
		return sdup(m->arena, json_object_get_string(reqs));
	if (!reqs || !json_object_is_type(reqs, json_type_array))
		return luoc_st_strdup(m->arena, "");
	n = json_object_array_length(reqs);
	buf = luoc_st_alloc(m->arena, n * 32 + 1);
	for (i = 0; buf && i < n; i++) {
		const char *r = json_object_get_string(json_object_array_get_idx(reqs, i));

		if (r && len + strlen(r) + 2 < n * 32 + 1)
			len += (size_t)sprintf(buf + len, "%s%s", len ? "," : "", r);
	}
	return buf ? buf : luoc_st_strdup(m->arena, "");
}

/*
 * An image path is relative to the manifest's directory, or (as the
 * generated manifest writes it) to the directory above it, the tree's root.
 */
static int resolve(char *path, size_t len, const char *dir, const char *file)
{
	char up[PATH_MAX], *slash;

	if (file[0] == '/')
		return snprintf(path, len, "%s", file) >= (int)len;
	if (snprintf(path, len, "%s/%s", dir, file) >= (int)len)
		return -1;
	if (!access(path, F_OK))
		return 0;
	snprintf(up, sizeof(up), "%s", dir);
	slash = strrchr(up, '/');
	if (slash)
		*slash = 0;
	else
		snprintf(up, sizeof(up), ".");
	if (!strcmp(dir, "."))
		snprintf(up, sizeof(up), "..");
	if (snprintf(path, len, "%s/%s", up, file) >= (int)len)
		return -1;
	return 0;
}

static int vector(struct rn_manifest *m, json_object *o, const char *dir, struct rn_vector *v,
		  char *err, size_t errlen)
{
	const char *id = str(o, K_ID), *file = str(o, K_FILE), *verdict = str(o, K_VERDICT);
	json_object *reqs = obj(o, K_REQS), *out = obj(o, K_OUT), *st = obj(o, K_STATE);
	char path[PATH_MAX];

	if (!id || !file) {
		snprintf(err, errlen, "a vector lacks id or file");
		return -EINVAL;
	}
	v->id = sdup(m->arena, id);
	v->profile = sdup(m->arena, str(o, K_PROFILE));
	if (resolve(path, sizeof(path), dir, file)) {
		snprintf(err, errlen, "vector %s: path too long", id);
		return -EINVAL;
	}
	if (obj(o, K_EXIT))
		v->not_image = json_object_get_int64(obj(o, K_EXIT)) == 2;
	v->image = sdup(m->arena, path);
	v->valid = verdict && (!strcmp(verdict, "valid") || !strcmp(verdict, "conformant"));
	v->reqs = id_list(m, reqs);
	v->warns = id_list(m, obj(o, K_WARNS));
	if (out && json_object_is_type(out, json_type_object)) {
		json_object_object_foreach(out, key, val) {
			if (v->n_outcomes >= sizeof(v->outcomes) / sizeof(v->outcomes[0]))
				break;
			snprintf(v->outcomes[v->n_outcomes].profile, sizeof(v->outcomes[0].profile), "%s", key);
			v->outcomes[v->n_outcomes].outcome =
				luoc_adapter_outcome_parse(val ? json_object_get_string(val) : NULL);
			v->n_outcomes++;
		}
	} else if (out && json_object_is_type(out, json_type_string) && v->profile) {
		snprintf(v->outcomes[0].profile, sizeof(v->outcomes[0].profile), "%s", v->profile);
		v->outcomes[0].outcome = luoc_adapter_outcome_parse(json_object_get_string(out));
		v->n_outcomes = 1;
	}
	if (st && json_object_is_type(st, json_type_object)) {
		if (luoc_state_from_json(st, m->arena, &v->state, err, errlen)) {
			char tmp[256];

			snprintf(tmp, sizeof(tmp), "vector %s: state: %s", id, err);
			snprintf(err, errlen, "%s", tmp);
			return -EINVAL;
		}
		v->has_state = true;
	}
	return 0;
}

int rn_manifest_load(const char *path, struct rn_manifest *m, char *err, size_t errlen)
{
	json_object *root, *vec;
	char dir[PATH_MAX], *slash;
	size_t i, n;
	int ret = 0;

	memset(m, 0, sizeof(*m));
	if (rn_file_sha256(path, m->sha256)) {
		snprintf(err, errlen, "%s: cannot read", path);
		return -ENOENT;
	}
	root = load_yaml(path, err, errlen);
	if (!root)
		return -EINVAL;
	vec = json_object_is_type(root, json_type_array) ? root : obj(root, K_VECTORS);
	if (!vec || !json_object_is_type(vec, json_type_array)) {
		snprintf(err, errlen, "%s: no list of vectors", path);
		json_object_put(root);
		return -EINVAL;
	}
	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (slash)
		*slash = 0;
	else
		snprintf(dir, sizeof(dir), ".");
	n = json_object_array_length(vec);
	m->arena = luoc_st_arena_new();
	m->v = calloc(n ? n : 1, sizeof(*m->v));
	if (!m->arena || !m->v) {
		json_object_put(root);
		return -ENOMEM;
	}
	for (i = 0; i < n && !ret; i++) {
		json_object *o = json_object_array_get_idx(vec, i);

		if (!o || !json_object_is_type(o, json_type_object))
			continue;
		ret = vector(m, o, dir, &m->v[m->n], err, errlen);
		if (!ret)
			m->n++;
	}
	json_object_put(root);
	if (ret)
		rn_manifest_free(m);
	return ret;
}

void rn_manifest_free(struct rn_manifest *m)
{
	free(m->v);
	luoc_st_arena_free(m->arena);
	m->v = NULL;
	m->arena = NULL;
	m->n = 0;
}

int rn_vector_outcome(const struct rn_vector *v, const char *profile)
{
	unsigned int i;

	for (i = 0; i < v->n_outcomes; i++)
		if (!strcmp(v->outcomes[i].profile, profile))
			return v->outcomes[i].outcome;
	return -1;
}

int rn_file_sha256(const char *path, char hex[65])
{
	FILE *f = fopen(path, "rb");
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	unsigned char buf[65536], d[32];
	size_t n;
	int ret = -1;

	if (!f || !md || !EVP_DigestInit_ex(md, EVP_sha256(), NULL))
		goto out;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		if (!EVP_DigestUpdate(md, buf, n))
			goto out;
	if (!ferror(f) && EVP_DigestFinal_ex(md, d, NULL)) {
		luoc_hex(d, 32, hex);
		ret = 0;
	}
out:
	if (f)
		fclose(f);
	EVP_MD_CTX_free(md);
	return ret;
}
