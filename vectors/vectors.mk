# Test vectors: state images with readable sources and a manifest.
#
#   make vectors-sources   regenerate the sources (vectors/<profile>/<name>/
#                          state.yaml + *.dts) and vectors/manifest.yaml from
#                          conformance/tools/vecgen.py
#   make vectors           build every image from its sources into the tree
#                          (committed, for users without the toolchain), print
#                          the counts by profile and verdict, and check that a
#                          second build into $(B)/vectors is byte-identical
#   make check-vectors          luo-conform on every vector == the manifest
#   make check-vectors-schema   dt-schema verdict of every vector's FDTs
#   make check-vectors-repro    sources == generator output, images rebuild
#                               identical, every writer requirement covered
#
# See vectors/README.rst.

VEC_TOOLS := $(addprefix conformance/tools/,vecgen.py vecmodel.py vecenc.py vecbuild.py luoabi.py)
VEC_SRC := vectors/manifest.yaml $(wildcard vectors/*/*/state.yaml vectors/*/*/*.dts)
VEC_MKIMAGE := $(B)/luo-mkimage
VEC_CONFORM := $(B)/luo-conform
VEC_WORK := $(B)/vectors-work
VEC_REBUILT := $(B)/vectors
VEC_SCHEMA := $(B)/vectors-schema.json

vectors-sources: $(DEPS)
	$(PYTHON) conformance/tools/vecgen.py --out vectors

vectors: $(VEC_MKIMAGE) $(DEPS)
	$(PYTHON) conformance/tools/vecbuild.py --mkimage $(VEC_MKIMAGE) --work $(VEC_WORK)-tree vectors
	@$(PYTHON) conformance/tools/vecrepro.py --summary vectors/manifest.yaml
	@rm -rf $(VEC_REBUILT) && $(MAKE) --no-print-directory $(VEC_REBUILT)/.stamp
	@n=0; bad=0; for f in vectors/*/*/*.img; do n=$$((n + 1)); \
		cmp -s "$$f" "$(VEC_REBUILT)/$${f#vectors/}" || { bad=$$((bad + 1)); echo "differs: $$f"; }; \
	done; echo "vectors: rebuild into $(VEC_REBUILT): $$((n - bad)) of $$n images byte-identical"; \
	du -sh --apparent-size vectors | sed 's/\t.*/ of images and sources in vectors\//;s/^/vectors: /'; \
	[ $$bad -eq 0 ]

# The rebuild (also the FDT blobs the schema check reads).
$(VEC_REBUILT)/.stamp: $(VEC_SRC) $(VEC_TOOLS) $(VEC_MKIMAGE) $(DEPS)
	@rm -rf $(VEC_REBUILT) $(VEC_WORK)
	$(PYTHON) conformance/tools/vecbuild.py --mkimage $(VEC_MKIMAGE) --work $(VEC_WORK) \
		--images $(VEC_REBUILT) vectors
	@touch $@

$(VEC_SCHEMA): $(wildcard schemas/*.yaml) conformance/tools/schemacheck.sh $(DEPS)
	conformance/tools/schemacheck.sh --mk-schema $@

check-vectors: $(VEC_CONFORM) $(DEPS)
	@conformance/tools/run-tap.sh vectors $(PYTHON) conformance/tools/veccheck.py \
		--conform $(VEC_CONFORM) vectors/manifest.yaml

check-vectors-schema: $(VEC_REBUILT)/.stamp $(VEC_SCHEMA) $(DEPS)
	@conformance/tools/run-tap.sh vectors-schema $(PYTHON) conformance/tools/vecschema.py \
		--work $(VEC_WORK) --schema $(VEC_SCHEMA) vectors/manifest.yaml

check-vectors-repro: $(VEC_REBUILT)/.stamp $(DEPS)
	@conformance/tools/run-tap.sh vectors-repro $(PYTHON) conformance/tools/vecrepro.py \
		--rebuilt $(VEC_REBUILT) --tmp $(B)/vectors-gen vectors

CHECKS += check-vectors check-vectors-schema check-vectors-repro

.PHONY: vectors vectors-sources check-vectors check-vectors-schema check-vectors-repro
CONFORM += check-vectors
