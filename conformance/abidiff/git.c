// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * git.c - the ABI description (or header directory) at a git revision.
 *
 * "git archive REV -- PATH" into a temporary directory, unpacked with tar;
 * the revision "." stands for the work tree as it is (uncommitted edits
 * included), which is what a pre-commit or CI gate compares with.
 */
#include <stdlib.h>
#include <string.h>

#include "abidiff.h"

static char *toplevel(void)
{
	char *argv[] = { (char *)"git", (char *)"rev-parse", (char *)"--show-toplevel", NULL };
	char *out = NULL, *err = NULL, *nl;
	int rc = ad_run(argv, NULL, &out, &err);

	if (rc != 0) {
		ad_err("not in a git work tree: %s", err && *err ? err : "git rev-parse failed");
		free(out);
		free(err);
		return NULL;
	}
	free(err);
	nl = strchr(out, '\n');
	if (nl)
		*nl = '\0';
	return out;
}

static int verify_rev(const char *top, const char *rev)
{
	char *spec = ad_printf("%s^{commit}", rev);
	char *argv[] = { (char *)"git", (char *)"-C", (char *)top, (char *)"rev-parse",
			 (char *)"--verify", (char *)"--quiet", spec, NULL };
	char *out = NULL;
	int rc = ad_run(argv, NULL, &out, NULL);

	free(out);
	free(spec);
	if (rc != 0)
		ad_err("%s: not a commit in %s", rev, top);
	return rc == 0 ? 0 : -1;
}

int ad_git_extract(const char *rev, const char *path, char **dir, char **tmp)
{
	char *top = toplevel(), *tar = NULL, *err = NULL;
	int rc = -1;

	*dir = *tmp = NULL;
	if (!top)
		return -1;
	if (!strcmp(rev, ".")) {
		*dir = ad_printf("%s/%s", top, path);
		rc = ad_is_dir(*dir) ? 0 : -1;
		if (rc)
			ad_err("%s: no such directory in the work tree", *dir);
		goto out;
	}
	if (verify_rev(top, rev) < 0 || !(*tmp = ad_mkdtemp()))
		goto out;
	tar = ad_printf("%s/tree.tar", *tmp);
	{
		char *archive[] = { (char *)"git", (char *)"-C", top, (char *)"archive",
				    (char *)"--format=tar", (char *)"-o", tar, (char *)rev,
				    (char *)"--", (char *)path, NULL };
		char *untar[] = { (char *)"tar", (char *)"-xf", tar, (char *)"-C", *tmp, NULL };

		if (ad_run(archive, NULL, NULL, &err) != 0) {
			ad_err("%s has no %s (git archive: %s)", rev, path, err ? err : "");
			goto out;
		}
		if (ad_run(untar, NULL, NULL, NULL) != 0) {
			ad_err("cannot unpack %s", tar);
			goto out;
		}
	}
	*dir = ad_printf("%s/%s", *tmp, path);
	rc = ad_is_dir(*dir) ? 0 : -1;
	if (rc)
		ad_err("%s:%s is not a directory", rev, path);
out:
	free(top);
	free(tar);
	free(err);
	return rc;
}
