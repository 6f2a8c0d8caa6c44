// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * luo-ref - the reference implementation as an executable speaking the
 * subprocess protocol (conformance/adapter/PROTOCOL.rst):
 *
 *   luo-ref info
 *   luo-ref restore --profile P IMAGE          (decoded state or rejection, JSON)
 *   luo-ref preserve --profile P STATE.json OUT.img
 *
 * It is also the worked example of that protocol for other implementations.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "ref.h"
#include "state.h"

static int usage(void)
{
	fprintf(stderr, "usage: luo-ref info\n"
		"       luo-ref restore --profile P IMAGE\n"
		"       luo-ref preserve --profile P STATE.json OUT.img\n");
	return 2;
}

static int cmd_info(const struct luoc_adapter *a)
{
	json_object *o = json_object_new_object(), *p = json_object_new_array();
	const char *const *n;

	json_object_object_add(o, "name", json_object_new_string(a->name));
	json_object_object_add(o, "version", json_object_new_string(a->version));
	json_object_object_add(o, "protocol", json_object_new_int(LUOC_ADAPTER_ABI));
	for (n = a->profiles; *n; n++)
		json_object_array_add(p, json_object_new_string(*n));
	json_object_object_add(o, "profiles", p);
	json_object_object_add(o, "restore", json_object_new_boolean(1));
	json_object_object_add(o, "preserve", json_object_new_boolean(1));
	puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY));
	json_object_put(o);
	return 0;
}

static int cmd_restore(const struct luoc_adapter *a, const char *profile, const char *image)
{
	struct luoc_restore_in in = { .image_path = image };
	struct luoc_restore_out out;
	json_object *o;
	int ret = a->restore(profile, &in, &out);

	if (ret) {
		fprintf(stderr, "luo-ref: %s\n", out.message[0] ? out.message : strerror(-ret));
		return 1;
	}
	o = luoc_restore_to_json(&out);
	puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY));
	json_object_put(o);
	a->restore_free(&out);
	return 0;
}

static int cmd_preserve(const struct luoc_adapter *a, const char *profile, const char *req,
			const char *image)
{
	struct luoc_st_arena *ar = luoc_st_arena_new();
	json_object *o = json_object_from_file(req);
	struct luoc_preserve_opts opts;
	struct luoc_state st;
	char err[256] = "";
	int ret = 1;

	if (!o || !ar) {
		fprintf(stderr, "luo-ref: %s: not a JSON file\n", req);
		goto out;
	}
	if (luoc_preserve_req_from_json(o, ar, &st, &opts, err, sizeof(err))) {
		fprintf(stderr, "luo-ref: %s: %s\n", req, err);
		goto out;
	}
	if (a->preserve(profile, &st, &opts, image, err, sizeof(err))) {
		fprintf(stderr, "luo-ref: %s\n", err);
		goto out;
	}
	ret = 0;
out:
	json_object_put(o);
	luoc_st_arena_free(ar);
	return ret;
}

int main(int argc, char **argv)
{
	const struct luoc_adapter *a = luoc_ref_adapter();

	if (argc == 2 && !strcmp(argv[1], "info"))
		return cmd_info(a);
	if (argc == 5 && !strcmp(argv[1], "restore") && !strcmp(argv[2], "--profile"))
		return cmd_restore(a, argv[3], argv[4]);
	if (argc == 6 && !strcmp(argv[1], "preserve") && !strcmp(argv[2], "--profile"))
		return cmd_preserve(a, argv[3], argv[4], argv[5]);
	return usage();
}
