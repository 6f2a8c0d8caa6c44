// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * json.c - JSON scalars.  Strings from a state are hostile bytes: control
 * characters and bytes that are not UTF-8 text are escaped, so the output
 * always parses (bytes >= 0x80 become \u00XX, i.e. Latin-1).
 */
#include "conform.h"

void cf_json_str(FILE *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");

	fputc('"', out);
	for (; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(out, "\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", out);
		else if (*p < 0x20 || *p >= 0x7f)
			fprintf(out, "\\u%04x", *p);
		else
			fputc(*p, out);
	}
	fputc('"', out);
}

void cf_json_hex(FILE *out, uint64_t v)
{
	fprintf(out, "\"0x%llx\"", (unsigned long long)v);
}
