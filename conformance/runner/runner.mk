# luo-conform run / matrix (conformance/runner): luoc_cmd_run() and
# luoc_cmd_matrix() in $(LUOC_RUNNER_LIB), linked into their own program,
# $(LUO_CONFORM_RUNNER) (rn_main.c), which luo-conform execs
# (conformance/cli/runner_exec.c): "luo-conform check" then loads only
# libfdt and libelf, not the runner's libraries below.
DEB_PKGS += libyaml-dev libarchive-dev libjson-c-dev libssl-dev jq

PREFIX ?= /usr/local
LUOC_DATADIR ?= $(PREFIX)/share/luo-conformance
LUOC_RUNNER_SRC := $(filter-out conformance/runner/rn_main.c,$(sort $(wildcard conformance/runner/*.c)))
LUOC_RUNNER_OBJ := $(patsubst conformance/runner/%.c,$(B)/runner/%.o,$(LUOC_RUNNER_SRC))
LUO_CONFORM_RUNNER := $(B)/luo-conform-runner
LUOC_RUNNER_LIB := $(B)/libluocrunner.a
LUOC_RUNNER_LIBS := $(LUOC_RUNNER_LIB) $(B)/libluocref.a $(B)/libluocadapter.a
LUOC_RUNNER_LDLIBS := -lyaml -larchive -ljson-c -lcrypto -ldl -lfdt -lelf
LUOC_RUNNER_CPPFLAGS := -D_GNU_SOURCE -Iconformance/runner -Iconformance/adapter \
	-Iconformance/ref -Iconformance/image \
	-DLUOC_SUITE_VERSION='"$(VERSION)"' -DLUOC_DATADIR='"$(LUOC_DATADIR)"'

$(B)/runner/%.o: conformance/runner/%.c $(GEN_H) $(DEPS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(WARN) $(CPPFLAGS_LUOC) $(LUOC_RUNNER_CPPFLAGS) -MMD -MP -c -o $@ $<

$(LUOC_RUNNER_LIB): $(LUOC_RUNNER_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(LUO_CONFORM_RUNNER): $(B)/runner/rn_main.o $(LUOC_RUNNER_LIBS) $(B)/libluoconform.a $(B)/libluocimage.a
	$(CC) $(CFLAGS) -o $@ $(B)/runner/rn_main.o $(LUOC_RUNNER_LIBS) $(B)/libluoconform.a \
		$(B)/libluocimage.a $(LUOC_RUNNER_LDLIBS)

-include $(LUOC_RUNNER_OBJ:.o=.d) $(B)/runner/rn_main.d

ALL += $(LUOC_RUNNER_LIB) $(LUO_CONFORM_RUNNER)

# luo-conform finds the runner next to itself in $(B): whoever needs
# luo-conform needs it up to date (order-only: luo-conform does not link it).
$(LUO_CONFORM): | $(LUO_CONFORM_RUNNER)

# The runner's tests drive it through luo-conform itself.
RUNNER_DRIVER := $(LUO_CONFORM)

ifndef LUOC_INSTALL_MK
include conformance/install.mk
endif

# The compatibility matrix of the reference profiles, for the docs:
#   make matrix-docs  ->  $(B)/matrix/matrix.{html,svg,json,txt}
LUOC_MATRIX_DOCS := $(addprefix $(B)/matrix/matrix.,html svg json txt)
$(B)/matrix/matrix.%: $(RUNNER_DRIVER) $(DEPS)
	@mkdir -p $(@D)
	$(RUNNER_DRIVER) matrix --format=$(if $(filter txt,$*),text,$*) -o $@

matrix-docs: $(LUOC_MATRIX_DOCS)
.PHONY: matrix-docs

# make conform: the whole suite against the bundled reference implementation,
# with a fixed seed so two runs print the same report.
conform-ref: $(LUO_CONFORM) $(DEPS)
	@$(LUO_CONFORM) run --seed=1 -q -o $(B)/conform-ref.ktap; rc=$$?; \
	 echo "reference implementation: full KTAP report in $(B)/conform-ref.ktap"; exit $$rc

CONFORM += conform-ref
.PHONY: conform-ref
