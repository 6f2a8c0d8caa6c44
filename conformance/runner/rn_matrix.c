// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * rn_matrix.c - luo-conform matrix: which (implementation, profile) can
 * hand over to which.
 *
 * Every writer (an implementation that preserves, in one of its profiles)
 * lays out a few states; every reader restores each of them in its
 * profile.  A cell is the worst result over the states:
 *
 *   compatible        accepted, and decoded as written
 *   rejected          refused cleanly (enoent, eio, retrieve-error)
 *   would-panic       refused with a panic
 *   silent-loss       dropped without an error: a fresh start, or an
 *                     accepted state with sessions, files or FLBs missing
 *   decoded-wrongly   accepted, but decoded into something else
 *   error             an implementation failed, crashed or hung
 *
 * A cell whose two profiles use the same compatible string for every
 * component the writer emits, yet is not compatible, is flagged as an ABI
 * violation: the versioning should have told the reader.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "rn.h"
#include "runner.h"

enum cell {
	C_OK,
	C_REJECT,
	C_PANIC,
	C_LOSS,
	C_WRONG,
	C_ERROR,
	C_NONE,		/* not run */
};

static const char *const cell_name[] = {
	"compatible", "rejected", "would-panic", "silent-loss", "decoded-wrongly", "error", "n/a",
};
static const char *const cell_short[] = { "ok", "rejected", "panic", "loss", "WRONG", "ERROR", "-" };
static const char *const cell_color[] = {
	"#b7e1a1", "#d9d9d9", "#f4a582", "#f9e07f", "#d6604d", "#b2182b", "#ffffff",
};

struct part {
	struct luoc_impl *impl;
	const struct luoc_profile *p;
	char label[160];
};

struct st_res {
	const char *state;
	enum cell c;
	char outcome[20];
	char req[24];
	char msg[256];
};

struct mcell {
	enum cell c;
	bool abi_violation;
	struct st_res *st;
	size_t n_st;
};

struct matrix {
	struct part *parts;
	size_t n;
	struct mcell *cells;	/* n x n, writer-major */
	const char *states[8];
	size_t n_states;
};

static const char *const matrix_states[] = { "empty", "memfd-partial-sealed", "multi" };

/* Both profiles name every component the writer emits with the same string. */
static bool same_strings(const struct luoc_profile *w, const struct luoc_profile *r)
{
	if (strcmp(w->kho_compat, r->kho_compat) || strcmp(w->luo_compat, r->luo_compat) ||
	    strcmp(w->memfd->compat, r->memfd->compat) || w->luo_form != r->luo_form)
		return false;
	/* luo-v5: the LUO root string versions sessions and FLBs too */
	if (w->luo_form == LUOC_LUO_RAW)
		return true;
	if (strcmp(w->sess_compat, r->sess_compat))
		return false;
	return !w->flb_node || (r->flb_node && !strcmp(w->flb_compat, r->flb_compat));
}

static enum cell classify(const struct luoc_impl_result *res, const struct luoc_state *exp,
			  struct st_res *sr)
{
	const struct luoc_restore_out *o = &res->out;

	if (res->status != LUOC_IMPL_OK) {
		snprintf(sr->msg, sizeof(sr->msg), "%s: %.200s", luoc_impl_status_name(res->status),
			 res->detail);
		return C_ERROR;
	}
	snprintf(sr->outcome, sizeof(sr->outcome), "%s", luoc_adapter_outcome_name(o->outcome));
	snprintf(sr->req, sizeof(sr->req), "%s", o->req);
	if (o->verdict == LUOC_VERDICT_REJECT) {
		snprintf(sr->msg, sizeof(sr->msg), "%s", o->message);
		if (o->outcome == LUOC_OUT_PANIC)
			return C_PANIC;
		return o->outcome == LUOC_OUT_FRESH_START ? C_LOSS : C_REJECT;
	}
	switch (luoc_state_compare(exp, &o->state, 0, sr->msg, sizeof(sr->msg))) {
	case LUOC_CMP_EQUAL:
		return C_OK;
	case LUOC_CMP_SUBSET:
		return C_LOSS;
	default:
		return C_WRONG;
	}
}

/* One writer: lay out each state once, let every reader restore it. */
static void run_writer(struct matrix *m, size_t w, const char *tmpdir, unsigned long *serial)
{
	const struct part *wp = &m->parts[w];
	struct luoc_st_arena *a = luoc_st_arena_new();
	struct rn_state *fixed = NULL;
	size_t nf = a ? rn_fixed_states(wp->p, a, &fixed) : 0, i, s, r;

	for (s = 0; s < m->n_states; s++) {
		struct luoc_preserve_opts opts = { .page_size = 4096 };
		enum luoc_impl_status ps = LUOC_IMPL_FAILED;
		struct luoc_state exp;
		char path[4200], err[512] = "no such state";

		for (i = 0; i < nf && strcmp(fixed[i].name, m->states[s]); i++)
			;
		snprintf(path, sizeof(path), "%s/%lu.img", tmpdir, ++*serial);
		if (i < nf && !rn_expect(wp->p, &fixed[i], a, &exp))
			ps = luoc_impl_preserve(wp->impl, wp->p->name, &fixed[i].st, &opts, path, err,
						sizeof(err));
		for (r = 0; r < m->n; r++) {
			struct mcell *mc = &m->cells[w * m->n + r];
			struct st_res *sr = &mc->st[mc->n_st++];
			struct luoc_impl_result res;

			sr->state = m->states[s];
			if (!luoc_impl_can_restore(m->parts[r].impl)) {
				sr->c = C_NONE;
				continue;
			}
			if (ps != LUOC_IMPL_OK) {
				sr->c = C_ERROR;
				snprintf(sr->msg, sizeof(sr->msg), "writer: %.200s", err);
				continue;
			}
			luoc_impl_restore(m->parts[r].impl, m->parts[r].p->name, path, &res);
			sr->c = classify(&res, &exp, sr);
			luoc_impl_result_free(&res);
		}
		unlink(path);
	}
	free(fixed);
	luoc_st_arena_free(a);
}

static void finish_cells(struct matrix *m)
{
	size_t w, r, s;

	for (w = 0; w < m->n; w++)
		for (r = 0; r < m->n; r++) {
			struct mcell *mc = &m->cells[w * m->n + r];

			mc->c = mc->n_st ? C_OK : C_NONE;
			for (s = 0; s < mc->n_st; s++)
				if (mc->st[s].c != C_NONE && (mc->c == C_NONE || mc->st[s].c > mc->c))
					mc->c = mc->st[s].c;
			mc->abi_violation = mc->c != C_OK && mc->c != C_NONE &&
					    same_strings(m->parts[w].p, m->parts[r].p);
		}
}

/* The state result that decided a cell. */
static const struct st_res *decisive(const struct mcell *mc)
{
	size_t s;

	for (s = 0; s < mc->n_st; s++)
		if (mc->st[s].c == mc->c)
			return &mc->st[s];
	return NULL;
}

/* --- output --------------------------------------------------------------------- */

static void out_text(FILE *f, const struct matrix *m)
{
	size_t w, r, width = 8;

	for (w = 0; w < m->n; w++)
		if (strlen(m->parts[w].label) > width)
			width = strlen(m->parts[w].label);
	fprintf(f, "luo-conform matrix: writer (rows) -> reader (columns); '!' = ABI violation\n\n");
	fprintf(f, "%-*s", (int)width + 2, "");
	for (r = 0; r < m->n; r++)
		fprintf(f, "%-*s", (int)width + 2, m->parts[r].label);
	fputc('\n', f);
	for (w = 0; w < m->n; w++) {
		fprintf(f, "%-*s", (int)width + 2, m->parts[w].label);
		for (r = 0; r < m->n; r++) {
			const struct mcell *mc = &m->cells[w * m->n + r];
			char buf[32];

			snprintf(buf, sizeof(buf), "%s%s", cell_short[mc->c], mc->abi_violation ? "!" : "");
			fprintf(f, "%-*s", (int)width + 2, buf);
		}
		fputc('\n', f);
	}
	fprintf(f, "\nlegend: ok = compatible, rejected = refused cleanly, panic = reader panics,\n"
		   "loss = state dropped without an error, WRONG = accepted but decoded wrongly,\n"
		   "ERROR = an implementation failed\n\n");
	for (w = 0; w < m->n; w++)
		for (r = 0; r < m->n; r++) {
			const struct mcell *mc = &m->cells[w * m->n + r];
			const struct st_res *d = decisive(mc);

			if (mc->c == C_OK || mc->c == C_NONE || !d)
				continue;
			fprintf(f, "%s -> %s: %s%s; state '%s': %s%s%s%s\n", m->parts[w].label,
				m->parts[r].label, cell_name[mc->c],
				mc->abi_violation ? " [ABI violation: same compatible strings]" : "",
				d->state, d->req[0] ? d->req : "", d->req[0] ? ": " : "", d->msg,
				"");
		}
}

static void out_json(FILE *f, const struct matrix *m)
{
	json_object *o = json_object_new_object(), *parts = json_object_new_array();
	json_object *cells = json_object_new_array();
	size_t w, r, s;

	json_object_object_add(o, "tool", json_object_new_string("luo-conform"));
	json_object_object_add(o, "command", json_object_new_string("matrix"));
	for (w = 0; w < m->n; w++) {
		json_object *p = json_object_new_object();

		json_object_object_add(p, "label", json_object_new_string(m->parts[w].label));
		json_object_object_add(p, "implementation",
				       json_object_new_string(luoc_impl_name(m->parts[w].impl)));
		json_object_object_add(p, "profile", json_object_new_string(m->parts[w].p->name));
		json_object_array_add(parts, p);
	}
	json_object_object_add(o, "participants", parts);
	for (w = 0; w < m->n; w++)
		for (r = 0; r < m->n; r++) {
			const struct mcell *mc = &m->cells[w * m->n + r];
			json_object *c = json_object_new_object(), *sts = json_object_new_array();

			json_object_object_add(c, "writer", json_object_new_string(m->parts[w].label));
			json_object_object_add(c, "reader", json_object_new_string(m->parts[r].label));
			json_object_object_add(c, "writer_profile", json_object_new_string(m->parts[w].p->name));
			json_object_object_add(c, "reader_profile", json_object_new_string(m->parts[r].p->name));
			json_object_object_add(c, "result", json_object_new_string(cell_name[mc->c]));
			json_object_object_add(c, "abi_violation", json_object_new_boolean(mc->abi_violation));
			for (s = 0; s < mc->n_st; s++) {
				json_object *so = json_object_new_object();

				json_object_object_add(so, "state", json_object_new_string(mc->st[s].state));
				json_object_object_add(so, "result", json_object_new_string(cell_name[mc->st[s].c]));
				json_object_object_add(so, "outcome", json_object_new_string(mc->st[s].outcome));
				json_object_object_add(so, "requirement", json_object_new_string(mc->st[s].req));
				json_object_object_add(so, "message", json_object_new_string(mc->st[s].msg));
				json_object_array_add(sts, so);
			}
			json_object_object_add(c, "states", sts);
			json_object_array_add(cells, c);
		}
	json_object_object_add(o, "cells", cells);
	fputs(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
					     JSON_C_TO_STRING_NOSLASHESCAPE), f);
	fputc('\n', f);
	json_object_put(o);
}

static void esc(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '<')
			fputs("&lt;", f);
		else if (*s == '>')
			fputs("&gt;", f);
		else if (*s == '&')
			fputs("&amp;", f);
		else if (*s == '"')
			fputs("&quot;", f);
		else
			fputc(*s, f);
	}
}

static void cell_title(FILE *f, const struct matrix *m, size_t w, size_t r)
{
	const struct mcell *mc = &m->cells[w * m->n + r];
	size_t s;

	esc(f, m->parts[w].label);
	fputs(" -> ", f);
	esc(f, m->parts[r].label);
	fprintf(f, ": %s%s", cell_name[mc->c], mc->abi_violation ? " (ABI violation)" : "");
	for (s = 0; s < mc->n_st; s++) {
		fprintf(f, "&#10;%s: %s", mc->st[s].state, cell_name[mc->st[s].c]);
		if (mc->st[s].req[0] || mc->st[s].msg[0]) {
			fputs(" (", f);
			esc(f, mc->st[s].req);
			fputs(mc->st[s].req[0] ? " " : "", f);
			esc(f, mc->st[s].msg);
			fputs(")", f);
		}
	}
}

static void out_html(FILE *f, const struct matrix *m)
{
	size_t w, r, i;

	fputs("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">\n"
	      "<title>luo-v1 compatibility matrix</title>\n<style>\n"
	      "table.luoc-matrix{border-collapse:collapse;font-family:sans-serif;font-size:90%}\n"
	      ".luoc-matrix th,.luoc-matrix td{border:1px solid #888;padding:4px 8px;text-align:center}\n"
	      ".luoc-matrix td.abi{outline:3px solid #000;outline-offset:-3px;font-weight:bold}\n"
	      "</style></head><body>\n"
	      "<table class=\"luoc-matrix\">\n"
	      "<caption>luo-v1 handover: writer (rows) &#8594; reader (columns)</caption>\n"
	      "<tr><th>writer \\ reader</th>", f);
	for (r = 0; r < m->n; r++) {
		fputs("<th>", f);
		esc(f, m->parts[r].label);
		fputs("</th>", f);
	}
	fputs("</tr>\n", f);
	for (w = 0; w < m->n; w++) {
		fputs("<tr><th>", f);
		esc(f, m->parts[w].label);
		fputs("</th>", f);
		for (r = 0; r < m->n; r++) {
			const struct mcell *mc = &m->cells[w * m->n + r];

			fprintf(f, "<td%s style=\"background:%s\" title=\"", mc->abi_violation ? " class=\"abi\"" : "",
				cell_color[mc->c]);
			cell_title(f, m, w, r);
			fprintf(f, "\">%s%s</td>", cell_name[mc->c], mc->abi_violation ? " &#9888; ABI violation" : "");
		}
		fputs("</tr>\n", f);
	}
	fputs("</table>\n<p>", f);
	for (i = 0; i < C_NONE; i++)
		fprintf(f, "<span style=\"background:%s;padding:2px 6px;margin-right:6px\">%s</span>",
			cell_color[i], cell_name[i]);
	fputs("<br>&#9888; ABI violation: both profiles use the same compatible strings for everything "
	      "the writer emits, yet the handover does not work.</p>\n</body></html>\n", f);
}

static void out_svg(FILE *f, const struct matrix *m)
{
	const int cw = 118, ch = 34, lw = 150, top = 60;
	int width = lw + cw * (int)m->n + 10, height = top + ch * (int)m->n + 60;
	size_t w, r, i;

	fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
		"font-family=\"sans-serif\" font-size=\"11\">\n", width, height);
	fprintf(f, "<text x=\"4\" y=\"16\" font-size=\"13\">"
		"luo-v1 handover: writer (rows) &#8594; reader (columns)</text>\n");
	for (r = 0; r < m->n; r++) {
		fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">", lw + cw * (int)r + cw / 2, top - 8);
		esc(f, m->parts[r].label);
		fputs("</text>\n", f);
	}
	for (w = 0; w < m->n; w++) {
		int y = top + ch * (int)w;

		fprintf(f, "<text x=\"4\" y=\"%d\">", y + ch / 2 + 4);
		esc(f, m->parts[w].label);
		fputs("</text>\n", f);
		for (r = 0; r < m->n; r++) {
			const struct mcell *mc = &m->cells[w * m->n + r];
			int x = lw + cw * (int)r;

			fprintf(f, "<g><title>");
			cell_title(f, m, w, r);
			fprintf(f, "</title><rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\" "
				"stroke=\"%s\" stroke-width=\"%d\"/>", x, y, cw, ch, cell_color[mc->c],
				mc->abi_violation ? "#000" : "#888", mc->abi_violation ? 3 : 1);
			fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\"%s>%s%s</text></g>\n",
				x + cw / 2, y + ch / 2 + 4, mc->abi_violation ? " font-weight=\"bold\"" : "",
				cell_name[mc->c], mc->abi_violation ? " &#9888;" : "");
		}
	}
	for (i = 0; i < C_NONE; i++) {
		int x = 4 + (int)i * 110, y = top + ch * (int)m->n + 20;

		fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\" stroke=\"#888\"/>"
			"<text x=\"%d\" y=\"%d\">%s</text>\n", x, y, cell_color[i], x + 16, y + 10, cell_name[i]);
	}
	fprintf(f, "<text x=\"4\" y=\"%d\">"
		"&#9888; ABI violation: same compatible strings, not compatible</text>\n",
		top + ch * (int)m->n + 50);
	fputs("</svg>\n", f);
}

/* --- the command ------------------------------------------------------------------- */

static void usage(FILE *f)
{
	fputs("Usage: luo-conform matrix [OPTION]...\n"
	      "Writer x reader compatibility of every pair of (implementation, profile): each\n"
	      "writer lays out a few states, each reader restores them.\n\n"
	      "  --impl=PATH        add an implementation (repeatable); the built-in reference\n"
	      "                     is always included\n"
	      "  --profile=NAME     only this profile (repeatable)\n"
	      "  --format=FORMAT    text (default), json, html or svg\n"
	      "  -o, --output=FILE  write there instead of stdout\n"
	      "  --timeout=SEC      per call of an implementation (default 60)\n"
	      "  -h, --help         this help\n\n"
	      "Exit status: 0 the matrix was produced, 2 usage or I/O error.\n", f);
}

static bool wanted(const char *const *profiles, size_t n, const char *name)
{
	size_t i;

	if (!n)
		return true;
	for (i = 0; i < n; i++)
		if (!strcmp(profiles[i], name))
			return true;
	return false;
}

static int add_parts(struct matrix *m, struct luoc_impl *impl, const char *const *profiles,
		     size_t n_prof, bool builtin)
{
	unsigned int i;

	for (i = 0; i < luoc_n_profiles; i++) {
		const struct luoc_profile *p = &luoc_profiles[i];
		struct part *np;

		if (!luoc_impl_speaks(impl, p->name) || !wanted(profiles, n_prof, p->name))
			continue;
		np = realloc(m->parts, (m->n + 1) * sizeof(*np));
		if (!np)
			return -ENOMEM;
		m->parts = np;
		np[m->n].impl = impl;
		np[m->n].p = p;
		snprintf(np[m->n].label, sizeof(np[m->n].label), "%s:%s",
			 builtin ? "ref" : luoc_impl_name(impl), p->name);
		m->n++;
	}
	return 0;
}

int luoc_cmd_matrix(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "impl", required_argument, NULL, 'i' },
		{ "profile", required_argument, NULL, 'p' },
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "timeout", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *format = "text", *output = NULL, *profiles[16], *impls[16];
	struct luoc_impl *loaded[17] = { 0 };
	size_t n_prof = 0, n_impl = 0, n_loaded = 0, w, i;
	unsigned int timeout = 60;
	struct matrix m = { 0 };
	unsigned long serial = 0;
	char tmpl[4096], err[512];
	FILE *f = stdout;
	int c, ret = RN_EXIT_USAGE;

	optind = 1;
	while ((c = getopt_long(argc, argv, "o:h", lo, NULL)) != -1) {
		switch (c) {
		case 'i':
			if (n_impl == 16)
				goto usage;
			impls[n_impl++] = optarg;
			break;
		case 'p':
			if (n_prof == 16 || !luoc_profile_find(optarg)) {
				fprintf(stderr, "luo-conform matrix: unknown profile '%s'\n", optarg);
				return RN_EXIT_USAGE;
			}
			profiles[n_prof++] = optarg;
			break;
		case 'f': format = optarg; break;
		case 'o': output = optarg; break;
		case 't': timeout = (unsigned int)strtoul(optarg, NULL, 0); break;
		case 'h': usage(stdout); return RN_EXIT_OK;
		default: goto usage;
		}
	}
	if (optind != argc || (strcmp(format, "text") && strcmp(format, "json") &&
			       strcmp(format, "html") && strcmp(format, "svg")))
		goto usage;
	loaded[n_loaded++] = luoc_impl_builtin(luoc_ref_adapter(), "builtin");
	for (i = 0; i < n_impl; i++) {
		if (luoc_impl_open(impls[i], &loaded[n_loaded], err, sizeof(err))) {
			fprintf(stderr, "luo-conform matrix: %s: %s\n", impls[i], err);
			goto out;
		}
		luoc_impl_set_timeout(loaded[n_loaded], timeout ? timeout : 60);
		n_loaded++;
	}
	for (i = 0; i < n_loaded; i++)
		if (!loaded[i] || add_parts(&m, loaded[i], profiles, n_prof, i == 0))
			goto out;
	m.cells = calloc(m.n * m.n + 1, sizeof(*m.cells));
	for (i = 0; m.cells && i < m.n * m.n; i++)
		m.cells[i].st = calloc(sizeof(matrix_states) / sizeof(matrix_states[0]), sizeof(struct st_res));
	for (i = 0; i < sizeof(matrix_states) / sizeof(matrix_states[0]); i++)
		m.states[m.n_states++] = matrix_states[i];
	snprintf(tmpl, sizeof(tmpl), "%s/luo-matrix-XXXXXX",
		 /* NOLINTNEXTLINE(clang-analyzer-core.NullDereference): the environment does not change between the calls */
		 getenv("TMPDIR") && getenv("TMPDIR")[0] ? getenv("TMPDIR") : "/tmp");
	if (!m.cells || !mkdtemp(tmpl)) {
		fprintf(stderr, "luo-conform matrix: cannot set up: %s\n", strerror(errno));
		goto out;
	}
	for (w = 0; w < m.n; w++)
		if (luoc_impl_can_preserve(m.parts[w].impl))
			run_writer(&m, w, tmpl, &serial);
	rmdir(tmpl);
	finish_cells(&m);
	if (output && !(f = fopen(output, "w"))) {
		fprintf(stderr, "luo-conform matrix: %s: %s\n", output, strerror(errno));
		goto out;
	}
	if (!strcmp(format, "json"))
		out_json(f, &m);
	else if (!strcmp(format, "html"))
		out_html(f, &m);
	else if (!strcmp(format, "svg"))
		out_svg(f, &m);
	else
		out_text(f, &m);
	if (output)
		fclose(f);
	ret = RN_EXIT_OK;
out:
	for (i = 0; m.cells && i < m.n * m.n; i++)
		free(m.cells[i].st);
	free(m.cells);
	free(m.parts);
	for (i = 0; i < n_loaded; i++)
		luoc_impl_close(loaded[i]);
	return ret;
usage:
	usage(stderr);
	return RN_EXIT_USAGE;
}
