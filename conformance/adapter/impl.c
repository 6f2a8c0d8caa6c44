// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * impl.c - load an implementation and call it, isolated in a child process
 * unless it is the built-in reference.
 *
 * A shared object's result crosses from the child as the protocol's JSON
 * (state_json.c), so both out-of-process forms share one parser and one
 * set of failure modes: crash, timeout, bad output.
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "impl.h"
#include "state.h"

#define OUT_MAX		(64u << 20)	/* bytes of output accepted from a child */
#define ERR_MAX		2048u

struct luoc_impl {
	enum luoc_impl_kind kind;
	const struct luoc_adapter *ops;	/* BUILTIN, SO */
	void *dl;
	char *path;			/* SO, EXEC */
	char label[256];
	char name[128], version[64];
	char **profiles;		/* EXEC: from "info" */
	bool can_restore, can_preserve;
	unsigned int timeout;
	bool isolate;
};

const char *luoc_impl_status_name(enum luoc_impl_status s)
{
	static const char *const n[] = {
		[LUOC_IMPL_OK] = "ok",
		[LUOC_IMPL_FAILED] = "failed",
		[LUOC_IMPL_CRASHED] = "crashed",
		[LUOC_IMPL_TIMEOUT] = "timeout",
		[LUOC_IMPL_BADOUTPUT] = "bad output",
		[LUOC_IMPL_UNSUPPORTED] = "unsupported",
	};

	return (unsigned int)s < sizeof(n) / sizeof(n[0]) ? n[s] : "?";
}

/* --- child processes --------------------------------------------------------- */

struct child_io {
	char *out;
	size_t len;
	char err[ERR_MAX];
	size_t err_len;
	int wstatus;
	bool timed_out, too_big;
};

typedef int (*child_fn)(void *ctx);

static int drain(int fd, char **buf, size_t *len, size_t cap, bool *too_big)
{
	char tmp[65536];
	ssize_t n = read(fd, tmp, sizeof(tmp));

	if (n <= 0)
		return n == 0 || (errno != EINTR && errno != EAGAIN) ? 1 : 0;
	if (*len + (size_t)n > cap) {
		*too_big = true;
		return 1;
	}
	if (buf) {
		char *nb = realloc(*buf, *len + (size_t)n + 1);

		if (!nb)
			return 1;
		*buf = nb;
		memcpy(nb + *len, tmp, (size_t)n);
		nb[*len + (size_t)n] = 0;
	}
	*len += (size_t)n;
	return 0;
}

/* Keep the first ERR_MAX bytes of stderr; read the rest so the child never blocks. */
static bool drain_err(int fd, struct child_io *io)
{
	char tmp[1024];
	ssize_t n = read(fd, tmp, sizeof(tmp));
	size_t room = sizeof(io->err) - 1 - io->err_len;

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return false;
	if (n <= 0)
		return true;
	if ((size_t)n > room)
		n = (ssize_t)room;
	memcpy(io->err + io->err_len, tmp, (size_t)n);
	io->err_len += (size_t)n;
	io->err[io->err_len] = 0;
	return false;
}

/*
 * Run fn(ctx) in a child (argv == NULL) or exec argv, collecting stdout and
 * stderr, and give up after 'timeout' seconds.
 */
static int run_child(unsigned int timeout, child_fn fn, void *ctx, char *const argv[],
		     struct child_io *io)
{
	int po[2], pe[2];
	pid_t pid;
	struct timespec t0, t;
	bool out_open = true, err_open = true;

	memset(io, 0, sizeof(*io));
	if (pipe(po) || pipe(pe))
		return -errno;
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		int fd = open("/dev/null", O_RDONLY);

		dup2(fd, 0);
		dup2(po[1], 1);
		dup2(pe[1], 2);
		close(po[0]);
		close(pe[0]);
		if (argv) {
			execv(argv[0], argv);
			dprintf(2, "cannot run %s: %s", argv[0], strerror(errno));
			_exit(127);
		}
		_exit(fn(ctx));
	}
	close(po[1]);
	close(pe[1]);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (out_open || err_open) {
		struct pollfd pf[2] = { { po[0], POLLIN, 0 }, { pe[0], POLLIN, 0 } };
		long left;

		clock_gettime(CLOCK_MONOTONIC, &t);
		left = (long)timeout * 1000 - ((t.tv_sec - t0.tv_sec) * 1000 +
					      (t.tv_nsec - t0.tv_nsec) / 1000000);
		if (left <= 0) {
			io->timed_out = true;
			break;
		}
		if (!out_open)
			pf[0].fd = -1;
		if (!err_open)
			pf[1].fd = -1;
		if (poll(pf, 2, (int)left) < 0 && errno != EINTR)
			break;
		if (out_open && (pf[0].revents & (POLLIN | POLLHUP | POLLERR)) &&
		    drain(po[0], &io->out, &io->len, OUT_MAX, &io->too_big))
			out_open = false;
		if (io->too_big)
			break;
		if (err_open && (pf[1].revents & (POLLIN | POLLHUP | POLLERR)) && drain_err(pe[0], io))
			err_open = false;
	}
	if (io->timed_out || io->too_big)
		kill(pid, SIGKILL);
	close(po[0]);
	close(pe[0]);
	while (waitpid(pid, &io->wstatus, 0) < 0 && errno == EINTR)
		;
	return 0;
}

/* Map a finished child to a status; 'what' names the call for messages. */
static enum luoc_impl_status child_status(const struct child_io *io, char *detail, size_t len)
{
	const char *msg = io->err_len ? io->err : "";

	if (io->timed_out) {
		snprintf(detail, len, "no answer in time (killed)");
		return LUOC_IMPL_TIMEOUT;
	}
	if (io->too_big) {
		snprintf(detail, len, "more than %u bytes of output", OUT_MAX);
		return LUOC_IMPL_BADOUTPUT;
	}
	if (WIFSIGNALED(io->wstatus)) {
		snprintf(detail, len, "crashed: signal %d (%s)", WTERMSIG(io->wstatus),
			 strsignal(WTERMSIG(io->wstatus)));
		return LUOC_IMPL_CRASHED;
	}
	if (!WIFEXITED(io->wstatus) || WEXITSTATUS(io->wstatus)) {
		snprintf(detail, len, "exit status %d%s%.200s",
			 WIFEXITED(io->wstatus) ? WEXITSTATUS(io->wstatus) : -1,
			 msg[0] ? ": " : "", msg);
		return LUOC_IMPL_FAILED;
	}
	return LUOC_IMPL_OK;
}

/* --- opening ------------------------------------------------------------------ */

static bool ends_with_so(const char *p)
{
	size_t n = strlen(p);

	return (n > 3 && !strcmp(p + n - 3, ".so")) || strstr(p, ".so.");
}

static int open_so(struct luoc_impl *impl, char *err, size_t errlen)
{
	luoc_adapter_get_fn get;
	const struct luoc_adapter *a;

	impl->dl = dlopen(impl->path, RTLD_NOW | RTLD_LOCAL);
	if (!impl->dl) {
		snprintf(err, errlen, "%s", dlerror());
		return -ENOEXEC;
	}
	get = (luoc_adapter_get_fn)dlsym(impl->dl, LUOC_ADAPTER_SYMBOL);
	if (!get) {
		snprintf(err, errlen, "%s: no symbol %s", impl->path, LUOC_ADAPTER_SYMBOL);
		return -ENOEXEC;
	}
	a = get();
	if (!a || a->abi != LUOC_ADAPTER_ABI || a->size < sizeof(struct luoc_adapter)) {
		snprintf(err, errlen, "%s: adapter ABI %u, luo-conform speaks %u", impl->path,
			 a ? (unsigned int)a->abi : 0u, (unsigned int)LUOC_ADAPTER_ABI);
		return -EPROTO;
	}
	impl->ops = a;
	snprintf(impl->name, sizeof(impl->name), "%s", a->name ? a->name : "?");
	snprintf(impl->version, sizeof(impl->version), "%s", a->version ? a->version : "");
	impl->can_restore = a->restore != NULL;
	impl->can_preserve = a->preserve != NULL;
	return 0;
}

static int open_exec(struct luoc_impl *impl, char *err, size_t errlen)
{
	char *argv[] = { impl->path, "info", NULL };
	struct child_io io;
	json_object *o, *x;
	size_t i, n;
	int ret = -EPROTO;

	if (run_child(impl->timeout, NULL, NULL, argv, &io))
		return -errno;
	if (child_status(&io, err, errlen) != LUOC_IMPL_OK)
		goto out;
	o = io.out ? json_tokener_parse(io.out) : NULL;
	if (!o || !json_object_object_get_ex(o, "profiles", &x) ||
	    !json_object_is_type(x, json_type_array)) {
		snprintf(err, errlen, "%s info: no JSON object with \"profiles\"", impl->path);
		json_object_put(o);
		goto out;
	}
	n = json_object_array_length(x);
	impl->profiles = calloc(n + 1, sizeof(char *));
	for (i = 0; impl->profiles && i < n; i++)
		impl->profiles[i] = strdup(json_object_get_string(json_object_array_get_idx(x, i)));
	if (json_object_object_get_ex(o, "name", &x))
		snprintf(impl->name, sizeof(impl->name), "%s", json_object_get_string(x));
	if (json_object_object_get_ex(o, "version", &x))
		snprintf(impl->version, sizeof(impl->version), "%s", json_object_get_string(x));
	impl->can_restore = !json_object_object_get_ex(o, "restore", &x) || json_object_get_boolean(x);
	impl->can_preserve = !json_object_object_get_ex(o, "preserve", &x) || json_object_get_boolean(x);
	json_object_put(o);
	ret = impl->profiles ? 0 : -ENOMEM;
out:
	free(io.out);
	return ret;
}

int luoc_impl_open(const char *spec, struct luoc_impl **out, char *err, size_t errlen)
{
	struct luoc_impl *impl = calloc(1, sizeof(*impl));
	enum luoc_impl_kind kind;
	const char *path = spec;
	struct stat st;
	int ret;

	if (!impl)
		return -ENOMEM;
	impl->timeout = 60;
	if (!strncmp(spec, "so:", 3)) {
		kind = LUOC_IMPL_SO;
		path += 3;
	} else if (!strncmp(spec, "exec:", 5)) {
		kind = LUOC_IMPL_EXEC;
		path += 5;
	} else if (stat(spec, &st) == 0 && !ends_with_so(spec) && (st.st_mode & S_IXUSR)) {
		kind = LUOC_IMPL_EXEC;
	} else {
		kind = LUOC_IMPL_SO;
	}
	impl->kind = kind;
	/* dlopen searches the library path for a bare name; make a path explicit */
	impl->path = strchr(path, '/') ? strdup(path) : malloc(strlen(path) + 3);
	if (impl->path && !strchr(path, '/'))
		sprintf(impl->path, "./%s", path);
	if (!impl->path) {
		free(impl);
		return -ENOMEM;
	}
	snprintf(impl->label, sizeof(impl->label), "%s", path);
	ret = kind == LUOC_IMPL_SO ? open_so(impl, err, errlen) : open_exec(impl, err, errlen);
	if (ret) {
		luoc_impl_close(impl);
		return ret;
	}
	*out = impl;
	return 0;
}

struct luoc_impl *luoc_impl_builtin(const struct luoc_adapter *a, const char *label)
{
	struct luoc_impl *impl = calloc(1, sizeof(*impl));

	if (!impl)
		return NULL;
	impl->kind = LUOC_IMPL_BUILTIN;
	impl->ops = a;
	impl->timeout = 60;
	snprintf(impl->label, sizeof(impl->label), "%s", label ? label : "builtin");
	snprintf(impl->name, sizeof(impl->name), "%s", a->name);
	snprintf(impl->version, sizeof(impl->version), "%s", a->version ? a->version : "");
	impl->can_restore = a->restore != NULL;
	impl->can_preserve = a->preserve != NULL;
	return impl;
}

void luoc_impl_close(struct luoc_impl *impl)
{
	char **p;

	if (!impl)
		return;
	if (impl->dl)
		dlclose(impl->dl);
	for (p = impl->profiles; p && *p; p++)
		free(*p);
	free(impl->profiles);
	free(impl->path);
	free(impl);
}

enum luoc_impl_kind luoc_impl_kind(const struct luoc_impl *impl) { return impl->kind; }
const char *luoc_impl_name(const struct luoc_impl *impl) { return impl->name; }
const char *luoc_impl_version(const struct luoc_impl *impl) { return impl->version; }
const char *luoc_impl_label(const struct luoc_impl *impl) { return impl->label; }
bool luoc_impl_can_restore(const struct luoc_impl *impl) { return impl->can_restore; }
bool luoc_impl_can_preserve(const struct luoc_impl *impl) { return impl->can_preserve; }
void luoc_impl_set_timeout(struct luoc_impl *impl, unsigned int s) { impl->timeout = s ? s : 1; }
void luoc_impl_set_isolate(struct luoc_impl *impl, bool on) { impl->isolate = on; }

bool luoc_impl_speaks(const struct luoc_impl *impl, const char *profile)
{
	const char *const *p = impl->ops ? impl->ops->profiles : (const char *const *)impl->profiles;

	for (; p && *p; p++)
		if (!strcmp(*p, profile))
			return true;
	return false;
}

/* --- restore -------------------------------------------------------------------- */

struct call_ctx {
	const struct luoc_adapter *ops;
	const char *profile, *image, *out_path;
	const struct luoc_state *st;
	const struct luoc_preserve_opts *opts;
};

static int child_restore(void *vctx)
{
	struct call_ctx *c = vctx;
	struct luoc_restore_in in = { .image_path = c->image };
	struct luoc_restore_out out;
	json_object *o;
	int ret = c->ops->restore(c->profile, &in, &out);

	if (ret) {
		fprintf(stderr, "restore failed (%d): %s", ret, out.message);
		return 3;
	}
	o = luoc_restore_to_json(&out);
	fputs(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN), stdout);
	fflush(stdout);
	json_object_put(o);
	if (c->ops->restore_free)
		c->ops->restore_free(&out);
	return 0;
}

/* Parse a child's JSON answer into res; the state lives in an arena. */
static void parse_answer(const struct child_io *io, struct luoc_impl_result *res)
{
	struct luoc_st_arena *a = luoc_st_arena_new();
	json_tokener *tok = json_tokener_new();
	json_object *o = NULL;
	char err[200] = "";

	if (a && tok && io->out) {
		o = json_tokener_parse_ex(tok, io->out, (int)io->len);
		if (o && tok->char_offset < (int)io->len &&
		    strspn(io->out + tok->char_offset, " \t\r\n") != io->len - (size_t)tok->char_offset) {
			json_object_put(o);
			o = NULL;
		}
	}
	if (!o) {
		res->status = LUOC_IMPL_BADOUTPUT;
		snprintf(res->detail, sizeof(res->detail), "output is not one JSON object");
	} else if (luoc_restore_from_json(o, a, &res->out, err, sizeof(err))) {
		res->status = LUOC_IMPL_BADOUTPUT;
		snprintf(res->detail, sizeof(res->detail), "output: %s", err);
	} else {
		res->owner = a;
		a = NULL;
	}
	json_object_put(o);
	if (tok)
		json_tokener_free(tok);
	luoc_st_arena_free(a);
}

void luoc_impl_restore(struct luoc_impl *impl, const char *profile, const char *image,
		       struct luoc_impl_result *res)
{
	struct call_ctx c = { .ops = impl->ops, .profile = profile, .image = image };
	struct child_io io;
	int ret;

	memset(res, 0, sizeof(*res));
	if (!impl->can_restore || !luoc_impl_speaks(impl, profile)) {
		res->status = LUOC_IMPL_UNSUPPORTED;
		snprintf(res->detail, sizeof(res->detail), "%s does not restore %s", impl->name, profile);
		return;
	}
	if (impl->kind == LUOC_IMPL_BUILTIN && !impl->isolate) {
		struct luoc_restore_in in = { .image_path = image };

		ret = impl->ops->restore(profile, &in, &res->out);
		res->status = ret ? LUOC_IMPL_FAILED : LUOC_IMPL_OK;
		if (ret)
			snprintf(res->detail, sizeof(res->detail), "restore failed (%d): %.200s", ret,
				 res->out.message);
		else if (impl->ops->restore_free)
			res->free_ops = impl->ops;	/* free through the adapter */
		return;
	}
	if (impl->kind == LUOC_IMPL_EXEC) {
		char *argv[] = { impl->path, "restore", "--profile", (char *)profile,
				 (char *)image, NULL };

		ret = run_child(impl->timeout, NULL, NULL, argv, &io);
	} else {
		ret = run_child(impl->timeout, child_restore, &c, NULL, &io);
	}
	if (ret) {
		res->status = LUOC_IMPL_FAILED;
		snprintf(res->detail, sizeof(res->detail), "cannot start: %s", strerror(-ret));
		return;
	}
	res->status = child_status(&io, res->detail, sizeof(res->detail));
	if (res->status == LUOC_IMPL_OK)
		parse_answer(&io, res);
	free(io.out);
}

void luoc_impl_result_free(struct luoc_impl_result *res)
{
	/* in-process results belong to the adapter, the rest to an arena */
	if (res->free_ops)
		res->free_ops->restore_free(&res->out);
	else
		luoc_st_arena_free(res->owner);
	res->owner = NULL;
	res->free_ops = NULL;
}

/* --- preserve -------------------------------------------------------------------- */

static int child_preserve(void *vctx)
{
	struct call_ctx *c = vctx;
	char err[256] = "";
	int ret = c->ops->preserve(c->profile, c->st, c->opts, c->out_path, err, sizeof(err));

	if (ret) {
		fprintf(stderr, "%s", err[0] ? err : strerror(-ret));
		return 3;
	}
	return 0;
}

static int write_req(const struct luoc_state *st, const struct luoc_preserve_opts *opts,
		     char *path, size_t len)
{
	const char *tmp = getenv("TMPDIR");
	json_object *o = luoc_preserve_req_to_json(st, opts);
	const char *s = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
	size_t n = strlen(s);
	int fd, ret = 0;

	snprintf(path, len, "%s/luoc-state-XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
	fd = mkstemp(path);
	if (fd < 0 || write(fd, s, n) != (ssize_t)n)
		ret = -errno ? -errno : -EIO;
	if (fd >= 0)
		close(fd);
	json_object_put(o);
	return ret;
}

enum luoc_impl_status luoc_impl_preserve(struct luoc_impl *impl, const char *profile,
					 const struct luoc_state *st,
					 const struct luoc_preserve_opts *opts,
					 const char *out_path, char *err, size_t errlen)
{
	struct call_ctx c = { .ops = impl->ops, .profile = profile, .st = st, .opts = opts,
			      .out_path = out_path };
	enum luoc_impl_status s;
	struct child_io io;
	char req[4096];
	int ret;

	err[0] = 0;
	if (!impl->can_preserve || !luoc_impl_speaks(impl, profile)) {
		snprintf(err, errlen, "%s does not preserve %s", impl->name, profile);
		return LUOC_IMPL_UNSUPPORTED;
	}
	if (impl->kind == LUOC_IMPL_BUILTIN && !impl->isolate)
		return impl->ops->preserve(profile, st, opts, out_path, err, errlen) ?
			LUOC_IMPL_FAILED : LUOC_IMPL_OK;
	if (impl->kind == LUOC_IMPL_EXEC) {
		char *argv[] = { impl->path, "preserve", "--profile", (char *)profile, req,
				 (char *)out_path, NULL };

		ret = write_req(st, opts, req, sizeof(req));
		if (ret) {
			snprintf(err, errlen, "cannot write the state file: %s", strerror(-ret));
			return LUOC_IMPL_FAILED;
		}
		ret = run_child(impl->timeout, NULL, NULL, argv, &io);
		unlink(req);
	} else {
		ret = run_child(impl->timeout, child_preserve, &c, NULL, &io);
	}
	if (ret) {
		snprintf(err, errlen, "cannot start: %s", strerror(-ret));
		return LUOC_IMPL_FAILED;
	}
	s = child_status(&io, err, errlen);
	free(io.out);
	return s;
}
