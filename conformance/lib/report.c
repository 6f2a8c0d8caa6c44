// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * report.c - findings: render the location, format the message, count,
 * fold the incoming kernel's outcome, and hand it to the visitor.
 *
 * The strings handed out live in the context and are valid only during
 * the callback, as luoc.h documents.
 */
#include "luoc_int.h"

void luoc_render_loc(const struct luoc_ctx *c, const struct luoc_loc *loc,
		     char *buf, size_t size)
{
	const struct luoc_profile *p = c->p;
	unsigned int s = loc->s, f = loc->f;
	unsigned long long i = loc->i;

	switch (loc->kind) {
	case LK_KHO_ROOT:
		luoc_snprintf(buf, size, "kho:/");
		break;
	case LK_KHO_LUO:
		luoc_snprintf(buf, size, "kho:/%s", p->luo_entry);
		break;
	case LK_KMAP:
		luoc_snprintf(buf, size, "kmap");
		break;
	case LK_LUO_ROOT:
		luoc_snprintf(buf, size, p->luo_form == LUOC_LUO_RAW ? "luo_ser" : "luo:/");
		break;
	case LK_LUO_SESS:
		if (p->luo_form == LUOC_LUO_RAW)
			luoc_snprintf(buf, size, "luo_ser.sessions");
		else
			luoc_snprintf(buf, size, "luo:/%s", p->sess_node);
		break;
	case LK_LUO_FLB:
		if (p->luo_form == LUOC_LUO_RAW)
			luoc_snprintf(buf, size, "luo_ser.flbs");
		else
			luoc_snprintf(buf, size, "luo:/%s", p->flb_node ? p->flb_node : "");
		break;
	case LK_SBLOCK:
		luoc_snprintf(buf, size, "sessions.block[%llu]", i);
		break;
	case LK_FBLOCK:
		luoc_snprintf(buf, size, "session[%u].files.block[%llu]", s, i);
		break;
	case LK_SESSION:
		luoc_snprintf(buf, size, "session[%u]", s);
		break;
	case LK_FILE:
		luoc_snprintf(buf, size, "session[%u].file[%u]", s, f);
		break;
	case LK_MEMFD:
		luoc_snprintf(buf, size, "session[%u].file[%u].memfd", s, f);
		break;
	case LK_VMCHUNK:
		luoc_snprintf(buf, size, "session[%u].file[%u].memfd.folios.chunk[%llu]", s, f, i);
		break;
	case LK_VMPAGE:
		luoc_snprintf(buf, size, "session[%u].file[%u].memfd.folios.page[%llu]", s, f, i);
		break;
	case LK_FOLIO:
		luoc_snprintf(buf, size, "session[%u].file[%u].memfd.folio[%llu]", s, f, i);
		break;
	case LK_FLB:
		luoc_snprintf(buf, size, "flb[%llu]", i);
		break;
	case LK_WORKSPACE:
		luoc_snprintf(buf, size, "workspace");
		break;
	default:
		luoc_snprintf(buf, size, "state");
		break;
	}
}

enum luoc_stage luoc_stage_enter(struct luoc_ctx *c, enum luoc_stage s)
{
	enum luoc_stage old = c->stage;

	c->stage = s;
	return old;
}

/*
 * The profile's outcome row for req.  Findings come in runs of one
 * requirement (a hostile array repeats one defect thousands of times), so
 * the last lookup is kept, keyed by the ID's address: every call site
 * passes a string literal.
 */
static bool row_of(struct luoc_ctx *c, const char *req, enum luoc_outcome *o)
{
	if (c->row_memo.p != c->p || c->row_memo.req != req || !req) {
		c->row_memo.p = c->p;
		c->row_memo.req = req;
		c->row_memo.found = luoc_outcome_row(c->p, req, &c->row_memo.o);
	}
	*o = c->row_memo.o;
	return c->row_memo.found;
}

/*
 * The incoming kernel's reaction to this finding, folded into its stage:
 * an error counts with its row (or the profile default), a warning only
 * through a row of its own (an unknown handler fails the open, an extra
 * node does nothing), a note never.
 */
static void fold(struct luoc_ctx *c, const char *req, enum luoc_severity sev)
{
	enum luoc_outcome o;

	if (c->outcome_override >= 0) {
		o = (enum luoc_outcome)c->outcome_override;
	} else if (sev == LUOC_SEV_ERROR) {
		if (!row_of(c, req, &o))	/* luoc_outcome_for()'s default */
			o = c->p ? c->p->out_default : LUOC_OUT_UNDEFINED;
	} else if (sev != LUOC_SEV_WARNING || !row_of(c, req, &o)) {
		return;
	}
	if (sev == LUOC_SEV_NOTE)
		return;
	if (o > c->stage_out[c->stage])
		c->stage_out[c->stage] = o;
}

/* Stage by stage: a stage that stops the kernel hides the later ones. */
enum luoc_outcome luoc_outcome_fold(const struct luoc_ctx *c)
{
	enum luoc_outcome acc = LUOC_OUT_ACCEPT;
	unsigned int s;

	for (s = 0; s < ST_COUNT; s++) {
		enum luoc_outcome o = c->stage_out[s];

		if (o > acc)
			acc = o;
		if (o == LUOC_OUT_FRESH_START || o == LUOC_OUT_ENOENT ||
		    o == LUOC_OUT_PANIC || o == LUOC_OUT_EIO)
			break;
	}
	return acc;
}

void luoc_report(struct luoc_ctx *c, const struct luoc_loc *loc, const char *req,
		 enum luoc_severity sev, int code, uint64_t phys, const char *fmt, ...)
{
	struct luoc_result *res = c->res;
	struct luoc_finding fi;
	va_list ap;

	if (c->quiet)
		return;
	fold(c, req, sev);
	if (sev == LUOC_SEV_ERROR)
		res->errors++;
	else if (sev == LUOC_SEV_WARNING)
		res->warnings++;
	else
		res->notes++;
	if (!c->vis || !c->vis->finding)
		return;
	luoc_render_loc(c, loc, c->where, sizeof(c->where));
	va_start(ap, fmt);
	luoc_vsnprintf(c->msg, sizeof(c->msg), fmt, ap);
	va_end(ap);
	fi.req = req;
	fi.severity = sev;
	fi.code = code;
	fi.phys = phys;
	fi.where = c->where;
	fi.msg = c->msg;
	c->vis->finding(c->vis->ctx, &fi);
}

/*
 * A fixed-size name field as text: up to the first NUL, non-printable
 * bytes as '?', so a hostile name can neither run past its field nor put
 * control characters into a report.
 */
void luoc_show_name(char *dst, size_t size, const uint8_t *src, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len && src[i] && n + 1 < size; i++)
		dst[n++] = (src[i] >= 0x20 && src[i] < 0x7f && src[i] != '"') ? (char)src[i] : '?';
	if (size)
		dst[n] = '\0';
}

/* A compatible property (a string list) as "a","b" for a message. */
void luoc_show_strlist(char *dst, size_t size, const char *src, int len)
{
	size_t n = 0;
	int i;

	if (!size)
		return;
	if (n + 1 < size)
		dst[n++] = '"';
	for (i = 0; i < len && n + 4 < size; i++) {
		unsigned char ch = (unsigned char)src[i];

		if (ch == '\0') {
			if (i == len - 1)
				break;
			dst[n++] = '"';
			dst[n++] = ',';
			dst[n++] = '"';
		} else {
			dst[n++] = (ch >= 0x20 && ch < 0x7f && ch != '"') ? (char)ch : '?';
		}
	}
	if (n + 1 < size)
		dst[n++] = '"';
	dst[n] = '\0';
}
