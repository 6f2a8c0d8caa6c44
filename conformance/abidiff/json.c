// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * json.c - typed, NULL-tolerant access to the model (json-c objects).
 *
 * A model may come from an old revision or a hand-written file, so every
 * accessor checks the type and answers NULL/false instead of trusting it.
 */
#include <string.h>

#include "abidiff.h"

const long ad_page_sizes[AD_NPS] = { 4096, 16384, 65536 };

const char *ad_jstr(json_object *o, const char *key)
{
	json_object *v;

	if (!o || !json_object_is_type(o, json_type_object) ||
	    !json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

json_object *ad_jobj(json_object *o, const char *key)
{
	json_object *v;

	if (!o || !json_object_is_type(o, json_type_object) ||
	    !json_object_object_get_ex(o, key, &v) || json_object_is_type(v, json_type_null))
		return NULL;
	return v;
}

/* An object member that is itself an object, else an empty one, so that
 * json_object_object_foreach() can walk whatever the model holds. */
json_object *ad_jmap(json_object *o, const char *key)
{
	static json_object *empty;
	json_object *v = key ? ad_jobj(o, key) : o;

	if (v && json_object_is_type(v, json_type_object))
		return v;
	if (!empty)
		empty = json_object_new_object();
	return empty;
}

size_t ad_jlen(json_object *arr)
{
	if (!arr || !json_object_is_type(arr, json_type_array))
		return 0;
	return json_object_array_length(arr);
}

json_object *ad_jat(json_object *arr, size_t i)
{
	return i < ad_jlen(arr) ? json_object_array_get_idx(arr, i) : NULL;
}

/* A number per page size: a list of AD_NPS integers, or one integer. */
bool ad_jpages(json_object *o, const char *key, long long v[AD_NPS])
{
	json_object *x = ad_jobj(o, key);
	size_t i;

	if (!x)
		return false;
	if (json_object_is_type(x, json_type_int)) {
		for (i = 0; i < AD_NPS; i++)
			v[i] = json_object_get_int64(x);
		return true;
	}
	if (ad_jlen(x) != AD_NPS)
		return false;
	for (i = 0; i < AD_NPS; i++) {
		json_object *e = ad_jat(x, i);

		if (!json_object_is_type(e, json_type_int))
			return false;
		v[i] = json_object_get_int64(e);
	}
	return true;
}

/* The element of an array of objects whose member key equals val. */
json_object *ad_jfind(json_object *arr, const char *key, const char *val)
{
	size_t i;

	for (i = 0; i < ad_jlen(arr); i++) {
		const char *s = ad_jstr(ad_jat(arr, i), key);

		if (s && val && !strcmp(s, val))
			return ad_jat(arr, i);
	}
	return NULL;
}

json_object *ad_component(json_object *doc, const char *id)
{
	return id ? ad_jobj(ad_jobj(doc, "components"), id) : NULL;
}

bool ad_model_ok(json_object *doc, const char *name)
{
	json_object *ps = ad_jobj(doc, "page_sizes");
	const char *fmt = ad_jstr(doc, "format");
	size_t i;

	if (!fmt || strcmp(fmt, "luo-abi-json") || !ad_jobj(doc, "version") ||
	    json_object_get_int(ad_jobj(doc, "version")) != 1) {
		ad_err("%s: not a luo-abi-json model of version 1", name);
		return false;
	}
	if (ad_jlen(ps) != AD_NPS)
		goto bad_ps;
	for (i = 0; i < AD_NPS; i++)
		if (json_object_get_int64(ad_jat(ps, i)) != ad_page_sizes[i])
			goto bad_ps;
	if (ad_jmap(doc, "components") != ad_jobj(doc, "components") ||
	    ad_jmap(doc, "profiles") != ad_jobj(doc, "profiles")) {
		ad_err("%s: model has no components or profiles", name);
		return false;
	}
	return true;
bad_ps:
	ad_err("%s: model is not evaluated at 4, 16 and 64 KiB pages", name);
	return false;
}
