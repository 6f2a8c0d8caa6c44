# dt-schema bindings of every FDT node of the handover (schemas/*.yaml) and
# their examples (schemas/examples/{valid,invalid}/*.dts).
#
#   make check-schemas   dt-doc-validate every binding; validate the examples
#
# conformance/tools/schemacheck.sh validates any .dtb/.dts against the
# bindings (exit 0 clean, 1 findings); the vectors reuse it.

check-schemas: $(DEPS)
	@conformance/tools/run-tap.sh schemas schemas/check-schemas.sh $(B)

CHECKS += check-schemas

.PHONY: check-schemas
