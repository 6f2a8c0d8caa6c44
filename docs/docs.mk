# The documentation site and the man pages (Sphinx, furo, graphviz).
#
#   make docs         the HTML site in $(DOCS_HTML) (default docs/_build/html)
#   make man          man pages luo-conform(1), luo-mkimage(1), luo-abi-diff(1)
#                     in $(B)/man
#   make install-man  install them under $(DESTDIR)$(MANDIR)/man1 (part of
#                     "make install")
#   make check-docs   the site builds with -W -n, every internal link and
#                     anchor resolves, the main pages load in headless
#                     Chromium without console errors or missing images
#                     (screenshots in $(B)/docs-shots), each tool's --help
#                     and man page list the same options, and the example
#                     adapter builds and runs (part of "make check")
#
# The site's sources are staged in $(B)/docs-src: docs/*.rst and its
# directories (guides, man, examples, bench, hardening), the specification exactly as spec/spec.mk stages it (its
# spec_stage macro: spec/*.rst plus the tables abirst.py generates) under
# spec/, CHANGELOG.md, and the pages conformance/tools/docgen.py generates
# under ref/ (diagrams from spec/abi, dt-schemas, the requirement index with
# coverage, the vector catalog, the compatibility matrix).  docs/conf.py
# serves all three Sphinx builds (LUO_DOCS_MODE).  Everything runs offline.

DEB_PKGS += furo graphviz python3-myst-parser chromium

# A package list that grew must reach a build directory made before.
$(B)/.deps-ok: docs/docs.mk

DOCS_HTML   ?= docs/_build/html
DOCS_SRC    := $(B)/docs-src
DOCS_STAMP  := $(B)/docs-html.stamp
DOCS_TRACE  := $(B)/docs-trace/trace/requirements.json
DOCS_SHOTS  := $(B)/docs-shots
DOCS_ENV     = LUO_DOCS_MODE=site LUO_SPEC_SRC=$(abspath $(DOCS_SRC)/spec) \
	LUO_DOCS_STATIC=$(abspath $(B)/docs-static)
DOCGEN      := $(addprefix conformance/tools/,docgen.py docgen_dot.py docgen_vec.py \
		docgen_pages.py abirst.py luoabi.py vecbuild.py vecenc.py)
DOCS_IN     := $(sort $(wildcard docs/*.rst docs/*/*.rst docs/_static/* \
		docs/examples/*/* docs/matrix-snapshot.json)) docs/conf.py docs/ext/luoreq.py \
		CHANGELOG.md VERSION conformance/adapter/PROTOCOL.rst
DOCS_VEC    := $(wildcard vectors/manifest.yaml vectors/README.rst vectors/*/*/state.yaml \
		vectors/*/*/*.dts vectors/*/*/*.img)
# The compatibility matrix: "luo-conform matrix" (an order-only prerequisite,
# after $(DEPS)) run at staging time when
# the binary has that command, else the output of "make matrix-docs" when
# present, else docs/matrix-snapshot.json; the page says so when there is
# none of them (docgen.py).
DOCS_MATRIX := $(B)/docs-matrix

# The requirement index (trace.py) for the coverage page.  The consistency
# verdict is check-trace's business: the docs only need the JSON.
DOCS_TRACE_IN := $(SPEC_RST) $(ABI_SRC) $(wildcard vectors/manifest.yaml conformance/lib/*.[ch] \
		conformance/tests/*/* conformance/tests/*/*/*) conformance/tools/trace.py
$(DOCS_TRACE): $(DOCS_TRACE_IN) $(DEPS)
	@mkdir -p $(B)/docs-trace
	@$(PYTHON) conformance/tools/trace.py --no-dtschema --build $(B)/docs-trace \
		>$(B)/docs-trace/trace.log 2>&1 || true
	@test -s $@ || { cat $(B)/docs-trace/trace.log; echo "docs: trace.py wrote no $@"; exit 1; }

$(DOCS_SRC)/.staged: $(DOCS_IN) $(SPEC_RST) $(B)/spec-gen/fragments.txt $(DOCGEN) $(DOCS_VEC) \
		$(wildcard schemas/*.yaml) $(DOCS_TRACE) $(ABI_SRC) $(DEPS) $(LUO_CONFORM)
	@rm -rf $(DOCS_SRC) $(DOCS_MATRIX) && mkdir -p $(DOCS_SRC) $(DOCS_MATRIX)
	@if $(LUO_CONFORM) matrix --help >/dev/null 2>&1; then \
		for f in json svg html; do \
			( timeout 300 $(LUO_CONFORM) matrix --format=$$f -o $(DOCS_MATRIX)/matrix.$$f; \
				exit $$? ) >>$(DOCS_MATRIX)/log 2>&1 || rm -f $(DOCS_MATRIX)/matrix.$$f; \
		done; \
	fi; \
	if [ ! -s $(DOCS_MATRIX)/matrix.json ] && [ -s $(B)/matrix/matrix.json ]; then \
		cp $(B)/matrix/matrix.* $(DOCS_MATRIX)/; \
	fi
	@cp docs/*.rst $(DOCS_SRC)/ && cp -R docs/guides docs/man docs/examples docs/bench docs/hardening docs/realkernel $(DOCS_SRC)/
	@$(call spec_stage,$(DOCS_SRC)/spec)
	@cp CHANGELOG.md $(DOCS_SRC)/changelog.md
	@cp conformance/adapter/PROTOCOL.rst $(DOCS_SRC)/guides/adapter-protocol.rst
	$(PYTHON) conformance/tools/docgen.py --stage $(DOCS_SRC) --trace $(DOCS_TRACE) \
		--work $(B)/docs-work --matrix $(DOCS_MATRIX)/matrix.json \
		--matrix-svg $(DOCS_MATRIX)/matrix.svg --matrix-html $(DOCS_MATRIX)/matrix.html
	@touch $@

# -E: every page is read on every build, so -W sees every warning.
$(DOCS_STAMP): $(DOCS_SRC)/.staged
	@rm -rf $(DOCS_HTML) $(B)/docs-doctrees
	$(DOCS_ENV) $(SPHINX) -E -W -n --keep-going -q -j auto -b html -c docs \
		-d $(B)/docs-doctrees $(DOCS_SRC) $(DOCS_HTML)
	@touch $@

docs: $(DOCS_STAMP)
	@echo "docs: $(DOCS_HTML)/index.html"

# --- man pages ---------------------------------------------------------------
MAN_SRC   := $(B)/man-src
MAN_NAMES := luo-conform luo-mkimage luo-abi-diff
MAN_PAGES := $(patsubst %,$(B)/man/%.1,$(MAN_NAMES))
PREFIX    ?= /usr/local
MANDIR    ?= $(PREFIX)/share/man
INSTALL   ?= install

$(MAN_PAGES) &: $(MAN_NAMES:%=docs/man/%.rst) docs/conf.py VERSION $(DEPS)
	@rm -rf $(MAN_SRC) && mkdir -p $(MAN_SRC)/man
	@cp $(MAN_NAMES:%=docs/man/%.rst) $(MAN_SRC)/man/
	@printf 'Manual pages\n============\n\n.. toctree::\n\n%s\n' \
		"$$(printf '   man/%s\n' $(MAN_NAMES))" > $(MAN_SRC)/index.rst
	LUO_DOCS_MODE=man $(SPHINX) -E -W -n -q -b man -c docs -d $(MAN_SRC)/.doctrees \
		$(MAN_SRC) $(B)/man

man: $(MAN_PAGES)

install-man: $(MAN_PAGES)
	$(INSTALL) -d $(DESTDIR)$(MANDIR)/man1
	$(INSTALL) -m 0644 $(MAN_PAGES) $(DESTDIR)$(MANDIR)/man1/

uninstall-man:
	rm -f $(MAN_NAMES:%=$(DESTDIR)$(MANDIR)/man1/%.1)

install: install-man
uninstall: uninstall-man

# check-runner runs "make install" in a sub-make: build the man pages here
# first, so that the two makes never build them at the same time.
ifneq ($(filter check-runner,$(CHECKS)),)
check-runner: $(MAN_PAGES)
endif

# --- the example adapter (docs/examples/adapter) --------------------------------
# Built as the guide says an out-of-tree adapter is built: against the
# headers laid out as "make install" installs them (luoc/*.h), the
# position-independent build of the image library (the objects the installed
# libluocimage.a is made of), -lfdt -lelf, and -lcrypto (its own).
DOCS_EXAMPLE_SO  := $(B)/docs-example/example-adapter.so
DOCS_EXAMPLE_INC := $(B)/docs-example/include
DOCS_EXAMPLE_HDR := $(wildcard conformance/include/luoc/*.h) conformance/image/luoc_image.h

$(DOCS_EXAMPLE_SO): docs/examples/adapter/example_adapter.c $(DOCS_EXAMPLE_HDR) $(GEN_H) \
		$(REF_PIC_IMAGE_OBJ) $(DEPS)
	@rm -rf $(DOCS_EXAMPLE_INC) && mkdir -p $(DOCS_EXAMPLE_INC)/luoc
	@cp $(DOCS_EXAMPLE_HDR) $(GEN_H) $(DOCS_EXAMPLE_INC)/luoc/
	$(CC) $(CFLAGS) $(WARN) -shared -fPIC -Wl,-z,defs -I$(DOCS_EXAMPLE_INC) -o $@ $< \
		$(REF_PIC_IMAGE_OBJ) -lfdt -lelf -lcrypto

# --- checks -------------------------------------------------------------------
check-docs: $(DOCS_STAMP) $(MAN_PAGES) $(LUO_CONFORM) $(LUO_MKIMAGE) $(LUO_ABI_DIFF) \
		$(DOCS_EXAMPLE_SO) $(DEPS)
	@rm -rf $(DOCS_SHOTS) && mkdir -p $(DOCS_SHOTS)
	@HTML=$(DOCS_HTML) SRC=$(DOCS_SRC) MAN=$(B)/man SHOTS=$(DOCS_SHOTS) \
		SPEC_VERSION="$(SPEC_VERSION)" SUITE_VERSION="$(VERSION)" \
		LUO_CONFORM=$(LUO_CONFORM) LUO_MKIMAGE=$(LUO_MKIMAGE) LUO_ABI_DIFF=$(LUO_ABI_DIFF) \
		EXAMPLE_SO=$(DOCS_EXAMPLE_SO) WORK=$(B)/docs-test TRACE=$(DOCS_TRACE) \
		MATRIX_DIR=$(DOCS_MATRIX) \
		conformance/tools/run-tap.sh docs conformance/tests/docs/test-docs.sh

ALL += $(MAN_PAGES)
CHECKS += check-docs
CLEAN += docs/_build
.PHONY: docs man install-man uninstall-man check-docs
