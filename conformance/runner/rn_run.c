// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * rn_run.c - luo-conform run: options, then the producer and consumer
 * tests for every profile the implementation speaks.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "rn.h"
#include "runner.h"

#ifndef LUOC_DATADIR
#define LUOC_DATADIR "/usr/local/share/luo-conformance"
#endif

struct run_opts {
	const char *impl, *profile, *format, *bundle, *vectors, *output, *only, *tmpdir;
	uint64_t seed;
	bool seed_set, quiet, no_vectors;
	unsigned long n_random;
	unsigned int timeout;
};

static void usage(FILE *f)
{
	fputs("Usage: luo-conform run [OPTION]...\n"
	      "Test an implementation of the luo-v1 handover: consumer tests (test vectors and\n"
	      "states the reference writes go through its restore) and producer tests (abstract\n"
	      "states go through its preserve; the checker must find the image conformant and\n"
	      "the reference reader must give the state back).\n\n"
	      "  --impl=PATH        the implementation: a shared object exporting\n"
	      "                     luoc_adapter_get() or an executable speaking the subprocess\n"
	      "                     protocol (so:PATH / exec:PATH force one); default: the\n"
	      "                     built-in reference\n"
	      "  --profile=NAME     only this profile (default: every profile it speaks)\n"
	      "  --seed=N           seed of the random producer states (default: from the clock;\n"
	      "                     printed, so a run can be repeated)\n"
	      "  --random=N         random states per profile (default 8)\n"
	      "  --vectors=PATH     the vector manifest (default: $LUOC_VECTORS, then\n"
	      "                     " LUOC_DATADIR "/vectors/manifest.yaml,\n"
	      "                     then ./vectors/manifest.yaml)\n"
	      "  --no-vectors       skip the vector tests\n"
	      "  --only=KIND        producer or consumer tests only\n"
	      "  --format=FORMAT    ktap (default), junit or json\n"
	      "  -o, --output=FILE  write the report there instead of stdout\n"
	      "  --bundle=FILE.tar  also write results, suite version, manifest hash and\n"
	      "                     environment into a tar file\n"
	      "  --timeout=SEC      per call of the implementation (default 60)\n"
	      "  -q, --quiet        no progress on the terminal\n"
	      "  -h, --help         this help\n\n"
	      "Exit status: 0 every test passed, 1 a test failed, 2 usage or I/O error.\n", f);
}

static int parse(int argc, char **argv, struct run_opts *o)
{
	static const struct option lo[] = {
		{ "impl", required_argument, NULL, 'i' },
		{ "profile", required_argument, NULL, 'p' },
		{ "seed", required_argument, NULL, 's' },
		{ "random", required_argument, NULL, 'r' },
		{ "vectors", required_argument, NULL, 'v' },
		{ "no-vectors", no_argument, NULL, 'N' },
		{ "only", required_argument, NULL, 'O' },
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "bundle", required_argument, NULL, 'b' },
		{ "timeout", required_argument, NULL, 't' },
		{ "tmpdir", required_argument, NULL, 'T' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char *end;
	int c;

	o->format = "ktap";
	o->n_random = 8;
	o->timeout = 60;
	optind = 1;
	while ((c = getopt_long(argc, argv, "o:qh", lo, NULL)) != -1) {
		switch (c) {
		case 'i': o->impl = optarg; break;
		case 'p': o->profile = optarg; break;
		case 'v': o->vectors = optarg; break;
		case 'N': o->no_vectors = true; break;
		case 'O': o->only = optarg; break;
		case 'f': o->format = optarg; break;
		case 'o': o->output = optarg; break;
		case 'b': o->bundle = optarg; break;
		case 'T': o->tmpdir = optarg; break;
		case 'q': o->quiet = true; break;
		case 'h': usage(stdout); exit(RN_EXIT_OK);
		case 's':
			errno = 0;
			o->seed = strtoull(optarg, &end, 0);
			if (errno || *end || !optarg[0])
				goto bad;
			o->seed_set = true;
			break;
		case 'r':
			o->n_random = strtoul(optarg, &end, 0);
			if (*end || o->n_random > 100000)
				goto bad;
			break;
		case 't':
			o->timeout = (unsigned int)strtoul(optarg, &end, 0);
			if (*end || !o->timeout)
				goto bad;
			break;
		default:
			goto usage;
		}
	}
	if (optind != argc)
		goto usage;
	if (strcmp(o->format, "ktap") && strcmp(o->format, "junit") && strcmp(o->format, "json")) {
		fprintf(stderr, "luo-conform run: unknown format '%s'\n", o->format);
		return -1;
	}
	if (o->only && strcmp(o->only, "producer") && strcmp(o->only, "consumer")) {
		fprintf(stderr, "luo-conform run: --only takes producer or consumer\n");
		return -1;
	}
	if (o->profile && !luoc_profile_find(o->profile)) {
		fprintf(stderr, "luo-conform run: unknown profile '%s'\n", o->profile);
		return -1;
	}
	return 0;
bad:
	fprintf(stderr, "luo-conform run: bad value '%s'\n", optarg);
	return -1;
usage:
	usage(stderr);
	return -1;
}

static const char *find_manifest(const struct run_opts *o, char *buf, size_t len)
{
	const char *env = getenv("LUOC_VECTORS");

	if (o->no_vectors)
		return NULL;
	if (o->vectors || (env && env[0])) {
		const char *p = o->vectors ? o->vectors : env;
		size_t n = strlen(p);

		/* a directory names its manifest.yaml */
		if (n > 5 && (!strcmp(p + n - 5, ".yaml") || !strcmp(p + n - 5, ".json")))
			snprintf(buf, len, "%s", p);
		else
			snprintf(buf, len, "%s/manifest.yaml", p);
		return buf;
	}
	snprintf(buf, len, "%s/vectors/manifest.yaml", LUOC_DATADIR);
	if (!access(buf, R_OK))
		return buf;
	snprintf(buf, len, "vectors/manifest.yaml");
	return access(buf, R_OK) ? NULL : buf;
}

static void cmdline(struct rn_report *rep, int argc, char **argv)
{
	size_t at = 0;
	int i;

	at += (size_t)snprintf(rep->cmdline, sizeof(rep->cmdline), "luo-conform");
	for (i = 0; i < argc && at < sizeof(rep->cmdline); i++)
		at += (size_t)snprintf(rep->cmdline + at, sizeof(rep->cmdline) - at, " %s", argv[i]);
}

static int write_report(const struct run_opts *o, const struct rn_report *rep)
{
	FILE *f = o->output ? fopen(o->output, "w") : stdout;

	if (!f) {
		fprintf(stderr, "luo-conform run: %s: %s\n", o->output, strerror(errno));
		return -1;
	}
	if (!strcmp(o->format, "junit"))
		rn_out_junit(f, rep);
	else if (!strcmp(o->format, "json"))
		rn_out_json(f, rep);
	else
		rn_out_ktap(f, rep);
	if (o->output)
		fclose(f);
	else
		fflush(f);
	return 0;
}

static int run_all(const struct run_opts *o, struct rn_ctx *c)
{
	unsigned int i, n = 0;

	for (i = 0; i < luoc_n_profiles; i++) {
		const struct luoc_profile *p = &luoc_profiles[i];

		if ((o->profile && strcmp(o->profile, p->name)) || !luoc_impl_speaks(c->impl, p->name))
			continue;
		n++;
		if ((!o->only || !strcmp(o->only, "consumer")) && luoc_impl_can_restore(c->impl))
			rn_consumer_tests(c, p);
		if ((!o->only || !strcmp(o->only, "producer")) && luoc_impl_can_preserve(c->impl))
			rn_producer_tests(c, p);
	}
	return n;
}

int luoc_cmd_run(int argc, char **argv)
{
	struct run_opts o = { 0 };
	struct rn_report rep = { 0 };
	struct rn_manifest man = { 0 };
	struct rn_ctx c = { 0 };
	char err[512], mbuf[4096], tmpl[4096];
	const char *mpath;
	int ret = RN_EXIT_USAGE;

	if (parse(argc, argv, &o))
		return RN_EXIT_USAGE;
	cmdline(&rep, argc, argv);
	if (!o.seed_set)
		o.seed = ((uint64_t)time(NULL) << 16) ^ (uint64_t)getpid();
	c.ref = luoc_impl_builtin(luoc_ref_adapter(), "builtin");
	if (o.impl) {
		if (luoc_impl_open(o.impl, &c.impl, err, sizeof(err))) {
			fprintf(stderr, "luo-conform run: %s: %s\n", o.impl, err);
			goto out;
		}
	} else {
		c.impl = luoc_impl_builtin(luoc_ref_adapter(), "builtin");
	}
	if (!c.ref || !c.impl)
		goto out;
	luoc_impl_set_timeout(c.impl, o.timeout);
	mpath = find_manifest(&o, mbuf, sizeof(mbuf));
	if (mpath && rn_manifest_load(mpath, &man, err, sizeof(err))) {
		fprintf(stderr, "luo-conform run: %s\n", err);
		goto out;
	}
	snprintf(tmpl, sizeof(tmpl), "%s/luo-conform-XXXXXX",
		 /* NOLINTNEXTLINE(clang-analyzer-core.NullDereference): the environment does not change between the calls */
		 o.tmpdir ? o.tmpdir : getenv("TMPDIR") && getenv("TMPDIR")[0] ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(tmpl)) {
		fprintf(stderr, "luo-conform run: %s: %s\n", tmpl, strerror(errno));
		goto out;
	}
	rep.impl_name = luoc_impl_name(c.impl);
	rep.impl_version = luoc_impl_version(c.impl);
	rep.impl_label = luoc_impl_label(c.impl);
	rep.seed = o.seed;
	rep.manifest = mpath;
	if (mpath)
		memcpy(rep.manifest_sha256, man.sha256, sizeof(man.sha256));
	rep.progress = !o.quiet && isatty(2);
	c.rep = &rep;
	c.tmpdir = tmpl;
	c.seed = o.seed;
	c.n_random = o.n_random;
	c.manifest = mpath ? &man : NULL;
	if (!o.quiet)
		fprintf(stderr, "luo-conform run: %s %s, seed %llu%s%s\n", rep.impl_name,
			rep.impl_version, (unsigned long long)o.seed, mpath ? ", vectors " : ", no vectors",
			mpath ? mpath : "");
	if (!run_all(&o, &c)) {
		fprintf(stderr, "luo-conform run: %s speaks none of the profiles asked for\n",
			rep.impl_name);
		rmdir(tmpl);
		goto out;
	}
	rmdir(tmpl);
	if (rep.progress)
		fputs("\r\033[K", stderr);
	if (write_report(&o, &rep))
		goto out;
	if (o.bundle && rn_write_bundle(o.bundle, &rep, err, sizeof(err))) {
		fprintf(stderr, "luo-conform run: bundle: %s\n", err);
		goto out;
	}
	if (o.output || strcmp(o.format, "ktap"))
		rn_out_summary(stderr, &rep);
	ret = rn_count(&rep, RN_FAIL) || !rep.n ? RN_EXIT_FAIL : RN_EXIT_OK;
out:
	rn_manifest_free(&man);
	rn_report_free(&rep);
	luoc_impl_close(c.impl);
	luoc_impl_close(c.ref);
	return ret;
}
