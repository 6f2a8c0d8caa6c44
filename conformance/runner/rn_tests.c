// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * rn_tests.c - the producer and consumer tests of luo-conform run.
 *
 * Producer: the implementation lays out an abstract state; the checker
 * core must find the image conformant, and the reference reader must give
 * back the state (round trip).
 *
 * Consumer: the implementation restores (a) every test vector of the
 * manifest, for every profile the manifest gives an outcome for, (b) the
 * fixed states as the reference writes them, and (c) states the reference
 * writes with one known defect.  The verdict must match what a conformant
 * reader does (rn_judge).
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rn.h"

void rn_tmp_path(struct rn_ctx *c, char *buf, size_t len, const char *what)
{
	snprintf(buf, len, "%s/%lu-%s.img", c->tmpdir, ++c->serial, what);
}

/* --- judging a restore ------------------------------------------------------- */

/*
 * Writer defects the kernels accept but a conformant reader must refuse
 * (reader requirements that are stricter than the outcome table).
 */
static const char *const must_refuse[] = {
	"LUO-SESS-005",		/* LUO-SESS-103: a name without NUL */
};

static bool lists(const char *reqs, const char *req)
{
	size_t n = strlen(req);
	const char *p = reqs;

	while (p && (p = strstr(p, req))) {
		if ((p == reqs || p[-1] == ',' || p[-1] == ' ') && (!p[n] || p[n] == ','))
			return true;
		p += n;
	}
	return false;
}

static bool refusal_required(const char *reqs)
{
	size_t i;

	for (i = 0; i < sizeof(must_refuse) / sizeof(must_refuse[0]); i++)
		if (lists(reqs, must_refuse[i]))
			return true;
	return false;
}

static const char *oname(int o)
{
	return o < 0 ? "unknown" : luoc_adapter_outcome_name((enum luoc_outcome)o);
}

void rn_judge(struct rn_result *r, const struct luoc_impl_result *got, int outcome, bool valid,
	      const char *reqs, const struct luoc_state *exp, unsigned int cmp_flags)
{
	rn_judge_foreign(r, got, outcome, valid, reqs, exp, cmp_flags, false);
}

void rn_judge_foreign(struct rn_result *r, const struct luoc_impl_result *got, int outcome,
		      bool valid, const char *reqs, const struct luoc_state *exp,
		      unsigned int cmp_flags, bool foreign)
{
	const struct luoc_restore_out *o = &got->out;
	bool accepted = o->verdict == LUOC_VERDICT_ACCEPT;
	char diff[512];

	if (!reqs)
		reqs = "";
	if (got->status != LUOC_IMPL_OK) {
		/* a reader must end every input in a defined outcome (LUO-PROF-102) */
		bool fatal = got->status == LUOC_IMPL_CRASHED || got->status == LUOC_IMPL_TIMEOUT;

		rn_set(r, RN_FAIL, fatal ? "LUO-PROF-102" : reqs, "restore %s: %s",
		       luoc_impl_status_name(got->status), got->detail);
		return;
	}
	if (!accepted && (o->outcome == LUOC_OUT_ACCEPT || o->outcome == LUOC_OUT_UNDEFINED)) {
		rn_set(r, RN_FAIL, "LUO-PROF-102", "refusal with outcome '%s' is not a defined refusal",
		       oname((int)o->outcome));
		return;
	}
	if (outcome < 0) {
		rn_set(r, RN_SKIP, "", "no outcome for this profile");
		return;
	}
	if (outcome == LUOC_OUT_ACCEPT && (valid || !refusal_required(reqs))) {
		if (!accepted) {
			/*
			 * A valid state with a warning (an unknown handler) may
			 * be refused for that warning's requirement: the reader
			 * requirements make such failures visible (LUO-FILE-101).
			 */
			if (valid && o->req[0] && lists(reqs, o->req))
				rn_note(r, "refused for %s, which this state only warns about: %s",
					o->req, o->message);
			else if (valid)
				rn_set(r, RN_FAIL, o->req, "valid state refused: %s (%s): %s",
				       oname((int)o->outcome), o->req[0] ? o->req : "-", o->message);
			else
				rn_note(r, "refused (%s, %s) where the kernel accepts: stricter reader",
					oname((int)o->outcome), o->req);
			return;
		}
		if (exp && luoc_state_compare(exp, &o->state, cmp_flags, diff, sizeof(diff)) != LUOC_CMP_EQUAL)
			rn_set(r, RN_FAIL, valid ? "" : reqs, "decoded state differs: %s", diff);
		return;
	}
	if (outcome == LUOC_OUT_ACCEPT || outcome == LUOC_OUT_UNDEFINED) {
		/*
		 * The kernel does not check (or tolerates); a conformant reader
		 * refuses.  A reader of another profile may never look at the
		 * defective part (a v6.19 reader and /luo-flb): either is fine.
		 */
		if (accepted && foreign)
			rn_note(r, "accepted by a reader of another profile");
		else if (accepted)
			rn_set(r, RN_FAIL, reqs, "accepted a state violating %s; a conformant reader refuses it",
			       reqs[0] ? reqs : "a writer requirement");
		else
			rn_note(r, "refused: %s (%s)", oname((int)o->outcome), o->req);
		return;
	}
	if (accepted) {
		rn_set(r, RN_FAIL, reqs, "accepted; expected the outcome '%s'%s%s", oname(outcome),
		       reqs[0] ? " for " : "", reqs);
		return;
	}
	if (!o->message[0]) {
		/* a refusal must say which check failed (LUO-PROF-103) */
		rn_set(r, RN_FAIL, "LUO-PROF-103", "refused (%s) without a message naming the failed check",
		       oname((int)o->outcome));
		return;
	}
	if ((int)o->outcome != outcome)
		rn_set(r, RN_FAIL, reqs, "outcome '%s' (%s: %s); expected '%s'", oname((int)o->outcome),
		       o->req[0] ? o->req : "-", o->message, oname(outcome));
}

/* --- producer ------------------------------------------------------------------ */

static void producer_one(struct rn_ctx *c, const struct luoc_profile *p, const struct rn_state *s)
{
	struct rn_result *r = rn_add(c->rep, "producer", p->name, s->name);
	struct luoc_preserve_opts opts = { .page_size = s->page_size, .big_endian = s->big_endian };
	struct luoc_st_arena *a = luoc_st_arena_new();
	struct luoc_impl_result res;
	struct luoc_state exp;
	struct rn_check chk;
	enum luoc_impl_status st;
	char path[512], err[512], diff[512];

	rn_tmp_path(c, path, sizeof(path), "producer");
	st = luoc_impl_preserve(c->impl, p->name, &s->st, &opts, path, err, sizeof(err));
	if (st != LUOC_IMPL_OK) {
		rn_set(r, RN_FAIL, "", "preserve %s: %s", luoc_impl_status_name(st), err);
		goto out;
	}
	rn_check_image(path, p, &chk);
	if (!chk.ran) {
		rn_set(r, RN_FAIL, "LUO-IMG-001", "not a state image: %s", chk.error);
		goto out;
	}
	if (chk.errors)
		rn_set(r, RN_FAIL, chk.reqs, "checker: %u error(s): %s", chk.errors, chk.first);
	luoc_impl_restore(c->ref, p->name, path, &res);
	if (res.status != LUOC_IMPL_OK) {
		rn_set(r, RN_FAIL, "", "reference reader: %s", res.detail);
	} else if (res.out.verdict != LUOC_VERDICT_ACCEPT) {
		rn_set(r, RN_FAIL, res.out.req, "reference reader refuses (%s): %s",
		       luoc_adapter_outcome_name(res.out.outcome), res.out.message);
	} else if (!a || rn_expect(p, s, a, &exp)) {
		rn_set(r, RN_FAIL, "", "out of memory");
	} else if (luoc_state_compare(&exp, &res.out.state, s->folios_given ? LUOC_CMP_FOLIOS : 0,
				      diff, sizeof(diff)) != LUOC_CMP_EQUAL) {
		rn_set(r, RN_FAIL, "", "round trip: %s", diff);
	}
	luoc_impl_result_free(&res);
out:
	luoc_st_arena_free(a);
	unlink(path);
}

void rn_producer_tests(struct rn_ctx *c, const struct luoc_profile *p)
{
	struct luoc_st_arena *a = luoc_st_arena_new();
	struct rn_state *fixed = NULL, *rnd = NULL;
	size_t nf, nr, i;

	if (!a)
		return;
	nf = rn_fixed_states(p, a, &fixed);
	nr = rn_random_states(p, c->seed, c->n_random, a, &rnd);
	for (i = 0; i < nf; i++)
		producer_one(c, p, &fixed[i]);
	for (i = 0; i < nr; i++)
		producer_one(c, p, &rnd[i]);
	free(fixed);
	free(rnd);
	luoc_st_arena_free(a);
}

/* --- consumer -------------------------------------------------------------------- */

/*
 * A vector that is not a readable state image (bad ELF, bad note): any
 * reader must refuse it, as an error or a rejection, without crashing
 * (LUO-IMG-101, LUO-IMG-102).
 */
static void judge_not_image(struct rn_result *r, const struct luoc_impl_result *got,
			    const char *reqs)
{
	if (got->status == LUOC_IMPL_CRASHED || got->status == LUOC_IMPL_TIMEOUT)
		rn_set(r, RN_FAIL, "LUO-IMG-101", "restore %s: %s", luoc_impl_status_name(got->status),
		       got->detail);
	else if (got->status == LUOC_IMPL_OK && got->out.verdict == LUOC_VERDICT_ACCEPT)
		rn_set(r, RN_FAIL, reqs, "accepted an image that is not a valid state image");
	else
		rn_note(r, "refused: %s", got->status == LUOC_IMPL_OK ? got->out.message : got->detail);
}

static void consumer_vectors(struct rn_ctx *c, const struct luoc_profile *p)
{
	size_t i;

	for (i = 0; c->manifest && i < c->manifest->n; i++) {
		const struct rn_vector *v = &c->manifest->v[i];
		int outcome = rn_vector_outcome(v, p->name);
		bool home = v->profile && !strcmp(v->profile, p->name);
		struct luoc_impl_result res;
		struct rn_result *r;
		char name[256];

		if (outcome < 0 && !home)
			continue;
		if (outcome < 0)
			outcome = v->valid ? LUOC_OUT_ACCEPT : -1;
		snprintf(name, sizeof(name), "vector/%s", v->id);
		r = rn_add(c->rep, "consumer", p->name, name);
		if (access(v->image, R_OK)) {
			rn_set(r, RN_FAIL, "", "vector image %s is missing", v->image);
			continue;
		}
		luoc_impl_restore(c->impl, p->name, v->image, &res);
		if (v->not_image)
			judge_not_image(r, &res, v->reqs);
		else
			rn_judge_foreign(r, &res, outcome, v->valid && home,
					 v->valid && home ? v->warns : v->reqs,
					 home && v->has_state ? &v->state : NULL, 0, !home);
		luoc_impl_result_free(&res);
	}
}

static void consumer_state(struct rn_ctx *c, const struct luoc_profile *p, const struct rn_state *s,
			   unsigned int defect, const char *req, const char *label)
{
	struct rn_result *r = rn_add(c->rep, "consumer", p->name, label);
	struct luoc_preserve_opts opts = { .page_size = s->page_size, .big_endian = s->big_endian };
	struct luoc_st_arena *a = luoc_st_arena_new();
	struct luoc_impl_result res;
	struct luoc_state exp;
	struct rn_check chk;
	char path[512], err[512];
	int outcome = LUOC_OUT_ACCEPT;

	rn_tmp_path(c, path, sizeof(path), "consumer");
	if (!a || ref_preserve(p->name, &s->st, &opts, defect, path, err, sizeof(err))) {
		rn_set(r, RN_FAIL, "", "the reference could not write the state: %s", err);
		goto out;
	}
	if (defect) {
		/* make sure the state breaks what it is meant to break */
		rn_check_image(path, p, &chk);
		if (!chk.ran || !rn_check_has(&chk, req)) {
			rn_set(r, RN_SKIP, "", "suite error: the checker does not report %s (%s)", req,
			       chk.ran ? chk.reqs : chk.error);
			goto out;
		}
		outcome = (int)luoc_outcome_for(p, req);
	} else if (rn_expect(p, s, a, &exp)) {
		rn_set(r, RN_FAIL, "", "out of memory");
		goto out;
	}
	luoc_impl_restore(c->impl, p->name, path, &res);
	rn_judge(r, &res, outcome, !defect, defect ? req : "", defect ? NULL : &exp,
		 s->folios_given ? LUOC_CMP_FOLIOS : 0);
	luoc_impl_result_free(&res);
out:
	luoc_st_arena_free(a);
	unlink(path);
}

struct defect {
	unsigned int bit;
	const char *req;	/* the requirement it breaks in a luo-v1 profile */
	const char *req5;	/* ... in luo-v5 (NULL: the defect does not exist there) */
	const char *label, *state;
};

static const struct defect defects[] = {
	{ REF_DEF_KHO_COMPAT, "LUO-KHO-002", "LUO-KHO-002", "kho-compatible", "multi" },
	{ REF_DEF_LUO_COMPAT, "LUO-FDT-002", "LUO-SER-002", "luo-compatible", "multi" },
	{ REF_DEF_NO_NUMBER, "LUO-FDT-003", "LUO-SER-003", "no-liveupdate-number", "multi" },
	{ REF_DEF_BE_U64, "LUO-FDT-004", "LUO-FDT-004", "u64-byte-order", "multi" },
	{ REF_DEF_SESS_COMPAT, "LUO-SESS-002", NULL, "session-compatible", "multi" },
	{ REF_DEF_NAME_NO_NUL, "LUO-SESS-005", "LUO-SESS-005", "session-name-without-nul",
	  "long-session-name" },
	{ REF_DEF_DUP_SESSION, "LUO-SESS-006", "LUO-SESS-006", "duplicate-session-name", "multi" },
	{ REF_DEF_NO_FLB, "LUO-FLB-001", NULL, "no-luo-flb", "multi" },
	{ REF_DEF_FOLIO_UNPRES, "LUO-KMAP-002", "LUO-KMAP-002", "folio-not-preserved",
	  "memfd-partial-sealed" },
	{ REF_DEF_SEALS, "LUO-MEMFD-006", "LUO-MEMFD-006", "unknown-seals", "memfd-partial-sealed" },
};

/* The requirement the defect breaks in this profile, or NULL. */
static const char *defect_req(const struct luoc_profile *p, const struct defect *d)
{
	if (d->bit == REF_DEF_NO_FLB && !p->flb_node)
		return NULL;
	if (d->bit == REF_DEF_SEALS && !p->memfd->all_seals)
		return NULL;
	return p->luo_form == LUOC_LUO_RAW ? d->req5 : d->req;
}

void rn_consumer_tests(struct rn_ctx *c, const struct luoc_profile *p)
{
	struct luoc_st_arena *a = luoc_st_arena_new();
	struct rn_state *fixed = NULL;
	char label[128];
	size_t nf, i, j;

	consumer_vectors(c, p);
	if (!a)
		return;
	nf = rn_fixed_states(p, a, &fixed);
	for (i = 0; i < nf; i++) {
		snprintf(label, sizeof(label), "ref-state/%s", fixed[i].name);
		consumer_state(c, p, &fixed[i], 0, NULL, label);
	}
	for (j = 0; j < sizeof(defects) / sizeof(defects[0]); j++) {
		const struct defect *d = &defects[j];
		const char *req = defect_req(p, d);

		if (!req)
			continue;
		for (i = 0; i < nf && strcmp(fixed[i].name, d->state); i++)
			;
		if (i == nf)
			continue;
		snprintf(label, sizeof(label), "ref-defect/%s", d->label);
		consumer_state(c, p, &fixed[i], d->bit, req, label);
	}
	free(fixed);
	luoc_st_arena_free(a);
}
