// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * load.c - turn an operand into a model.
 *
 *   DIR            a spec/abi directory: exported by abijson.py
 *   DIR:PROFILE    the same, restricted to one profile's components
 *   FILE.json      a model abijson.py wrote earlier (or --format=json of
 *                  the header reader, see hdr_model.c)
 *
 * YAML is read in one place only (conformance/tools/luoabi.py), so the tool
 * runs abijson.py instead of parsing YAML itself.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "abidiff.h"

#ifndef ABIDIFF_ABIJSON
#define ABIDIFF_ABIJSON "conformance/tools/abijson.py"
#endif
#ifndef ABIDIFF_PYTHON
#define ABIDIFF_PYTHON "/usr/bin/python3"
#endif

static const char *env_or(const char *name, const char *def)
{
	const char *v = getenv(name);

	return v && *v ? v : def;
}

static int parse_model(const char *text, const char *name, json_object **doc)
{
	enum json_tokener_error jerr;

	*doc = json_tokener_parse_verbose(text, &jerr);
	if (!*doc) {
		ad_err("%s: bad JSON: %s", name, json_tokener_error_desc(jerr));
		return -1;
	}
	if (!ad_model_ok(*doc, name)) {
		json_object_put(*doc);
		*doc = NULL;
		return -1;
	}
	return 0;
}

int ad_load_abi_dir(const char *dir, json_object **doc)
{
	char *argv[] = { (char *)env_or("LUO_PYTHON", ABIDIFF_PYTHON),
			 (char *)env_or("LUO_ABIJSON", ABIDIFF_ABIJSON),
			 (char *)"--abi", (char *)dir, NULL };
	char *out = NULL, *err = NULL;
	int rc, ret = -1;

	rc = ad_run(argv, NULL, &out, &err);
	if (rc != 0) {
		ad_err("%s: cannot export the ABI description (%s %s exited %d)%s%s", dir,
		       argv[0], argv[1], rc, err && *err ? ":\n" : "", err ? err : "");
	} else {
		ret = parse_model(out, dir, doc);
	}
	free(out);
	free(err);
	return ret;
}

static int load_path(const char *path, json_object **doc)
{
	char *text;
	int ret;

	if (ad_is_dir(path)) {
		char *c = ad_printf("%s/components", path);
		char *p = ad_printf("%s/profiles", path);
		bool ok = ad_is_dir(c) && ad_is_dir(p);

		free(c);
		free(p);
		if (!ok) {
			ad_err("%s: not an ABI description (no components/ and profiles/)", path);
			return -1;
		}
		return ad_load_abi_dir(path, doc);
	}
	text = ad_read_file(path, 64u << 20);
	if (!text) {
		ad_err("%s: cannot read", path);
		return -1;
	}
	ret = parse_model(text, path, doc);
	free(text);
	return ret;
}

int ad_load_operand(const char *arg, struct ad_side *side)
{
	const char *colon = strrchr(arg, ':');
	char *path;

	memset(side, 0, sizeof(*side));
	side->name = ad_strdup(arg);
	if (colon && !ad_is_dir(arg) && !ad_is_file(arg)) {
		path = ad_strdup(arg);
		path[colon - arg] = '\0';
		side->profile = ad_strdup(colon + 1);
	} else {
		path = ad_strdup(arg);
	}
	if (load_path(path, &side->doc) < 0) {
		free(path);
		return -1;
	}
	free(path);
	if (side->profile && !ad_jobj(ad_jobj(side->doc, "profiles"), side->profile)) {
		ad_err("%s: no profile %s in the description", arg, side->profile);
		return -1;
	}
	return 0;
}

void ad_side_free(struct ad_side *side)
{
	if (side->doc)
		json_object_put(side->doc);
	free(side->name);
	free(side->profile);
	memset(side, 0, sizeof(*side));
}
