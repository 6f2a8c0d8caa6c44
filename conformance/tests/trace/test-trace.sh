#!/bin/bash
# TAP tests of conformance/tools/trace.py: the real tree passes its
# consistency rules, and a copy broken in each way the rules exist for is
# refused with a message that names the defect.
#
# usage: test-trace.sh [SCRATCH_DIR]   (default: a temporary directory)
set -u
top=$(cd "$(dirname "$0")/../../.." && pwd)
if [ $# -ge 1 ]; then
	mkdir -p "$1"
	work=$(mktemp -d "$(cd "$1" && pwd)/run.XXXXXX")
else
	work=$(mktemp -d)
fi
trap 'rm -rf "$work"' EXIT
trace="/usr/bin/python3 $top/conformance/tools/trace.py"
. "$top/conformance/tests/tap.sh"

# fresh: a copy of the parts of the tree trace.py reads.
fresh() {
	rm -rf "$work/t" && mkdir -p "$work/t/conformance"
	cp -r "$top/spec" "$top/schemas" "$work/t/"
	cp -r "$top/conformance/tools" "$work/t/conformance/"
	[ -d "$top/conformance/lib" ] && cp -r "$top/conformance/lib" "$work/t/conformance/"
	[ -d "$top/conformance/tests" ] && cp -r "$top/conformance/tests" "$work/t/conformance/"
	rm -rf "$work/t/vectors" && mkdir -p "$work/t/vectors"
	[ -f "$top/vectors/manifest.yaml" ] && cp "$top/vectors/manifest.yaml" "$work/t/vectors/"
	[ -f "$top/vectors/manifest.json" ] && cp "$top/vectors/manifest.json" "$work/t/vectors/"
	return 0
}

# edit FILE 'OLD=>NEW': replace the first OLD in a file of the copy.
edit() {
	/usr/bin/python3 - "$work/t/$1" "$2" <<'PY'
import sys
path, expr = sys.argv[1], sys.argv[2]
old, new = expr.split("=>", 1)
text = open(path).read()
if old not in text:
    sys.exit("test edit %r not found in %s" % (old, path))
open(path, "w").write(text.replace(old, new, 1))
PY
}

# run [ARGS]: trace.py on the copy; output in $work/out.
run() {
	$trace --root "$work/t" --build "$work/b" "$@" >"$work/out" 2>&1
}

# refused DESC WANT [ARGS]: the copy must fail with a message containing WANT.
refused() {
	local desc=$1 want=$2; shift 2
	if run --no-dtschema "$@"; then
		notok "$desc: accepted"; sed 's/^/# /' "$work/out"
	elif grep -qF -- "$want" "$work/out"; then
		ok "$desc"
	else
		notok "$desc: failed without '$want'"; sed 's/^/# /' "$work/out"
	fi
}

echo "TAP version 13"

# 1. The real tree.
fresh
if run; then
	ok "the tree passes every consistency rule (with dt-doc-validate)"
else
	notok "the tree passes every consistency rule"; sed 's/^/# /' "$work/out"
fi
if grep -qE '^requirements: [0-9]+ \(writer [0-9]+, reader [0-9]+\), covered: [0-9]+ \([0-9]+%\)$' "$work/out" &&
   [ -s "$work/b/trace/requirements.json" ] && [ -s "$work/b/trace/requirements.rst" ]; then
	ok "coverage line, requirements.json and requirements.rst are produced"
else
	notok "coverage line, requirements.json and requirements.rst are produced"; sed 's/^/# /' "$work/out"
fi

# 2. Requirements in the spec.
fresh
/usr/bin/python3 - "$work/t/spec/structs.rst" <<'PY'
import re, sys
path = sys.argv[1]
text = open(path).read()
new = re.sub(r"\.\. req:: LUO-SESS-004\n(?:   .*\n|\n)*?(?=\S)", "", text, count=1)
assert new != text
open(path, "w").write(new)
PY
refused "an ID deleted from the spec (cited by the outcome tables)" \
	"outcome table cites unknown LUO-SESS-004"

fresh
edit spec/history.rst "Revision history
================
=>Revision history
================

.. req:: LUO-SESS-006
   :role: writer
   :profiles: all

   Again.
"
refused "an ID defined twice" "LUO-SESS-006 is defined twice"

fresh
edit spec/structs.rst ".. req:: LUO-SESS-005
   :role: writer=>.. req:: LUO-SESS-005
   :role: reader"
refused "a writer number with the reader role" "its number says 'writer'"

fresh
edit spec/structs.rst ".. req:: LUO-SESS-005
   :role: writer
   :profiles: all=>.. req:: LUO-SESS-005
   :role: writer
   :profiles: v6.20"
refused "an unknown profile" "is not 'all' or a list of"

fresh
edit spec/scope.rst "Non-goals
---------
=>Non-goals
---------

See :req:\`LUO-SESS-999\`.
"
refused "a :req: reference to an undefined ID" "reference to undefined LUO-SESS-999"

# 3. Citations from outside the spec.
fresh
cat >"$work/t/vectors/manifest.yaml" <<'YML'
vectors:
  - name: fake-vector
    requirements: [LUO-SESS-004, LUO-ZZZ-123]
YML
refused "an unknown ID cited by a vector manifest" "vector fake-vector cites unknown LUO-ZZZ-123"

fresh
printf '{"vectors": [{"id": "json-vector", "requirements": ["LUO-QQQ-001"]}]}\n' \
	>"$work/t/vectors/manifest.json"
refused "an unknown ID cited by a JSON manifest" "vector json-vector cites unknown LUO-QQQ-001"

fresh
mkdir -p "$work/t/conformance/lib"
printf 'static const char *r = "LUO-SESS-777";\n' >"$work/t/conformance/lib/fake.c"
refused "an unknown ID cited by checker code" "checker cites unknown LUO-SESS-777"

fresh
mkdir -p "$work/t/conformance/tests/fake"
printf '# exercises LUO-FLB-555\n' >"$work/t/conformance/tests/fake/t.sh"
refused "an unknown ID cited by a test" "test cites unknown LUO-FLB-555"

fresh
edit spec/abi/profiles/v7.0.yaml "    LUO-FLB-001: panic=>    LUO-FLB-001: panic
    LUO-FLB-042: panic"
refused "an unknown ID in a profile's outcome table" "outcome table cites unknown LUO-FLB-042"

# 4. Tables.
fresh
edit spec/structs.rst "Requirements on sessions
~~~~~~~~~~~~~~~~~~~~~~~~=>.. list-table::
   :header-rows: 1

   * - Offset
     - Field
   * - 0
     - luo_session_ser.name

Requirements on sessions
~~~~~~~~~~~~~~~~~~~~~~~~"
refused "a hand-typed layout table" "hand-typed table names struct luo_session_ser"

fresh
edit spec/limits.rst "FLB
---=>.. list-table::

   * - LUO_FLB_MAX
     - 64

FLB
---"
refused "a hand-typed constant that contradicts spec/abi" "table gives LUO_FLB_MAX as [64]"

fresh
edit spec/limits.rst "FLB
---=>.. list-table::

   * - \`\`luo-flb-header\`\`
     - 4 bytes

FLB
---"
refused "a hand-typed property size that contradicts spec/abi" "table gives property luo-flb-header a size of [4] bytes"

fresh
edit spec/structs.rst ".. include:: gen/struct-luo-flb-v1-luo_flb_ser.rst=>"
refused "a generated table left out of the spec" "gen/struct-luo-flb-v1-luo_flb_ser.rst (from spec/abi) is not included"

fresh
edit spec/structs.rst ".. include:: gen/struct-luo-flb-v1-luo_flb_ser.rst=>.. include:: gen/struct-luo-flb-v1-luo_flb_ser.rst

.. include:: gen/struct-luo-flb-v1-nothing.rst"
refused "an include of a table that is not generated" "abirst.py does not generate"

# 5. Schemas against spec/abi.
fresh
edit schemas/luo-session-v2.yaml "    items:
      - minimum: 0=>    items:
      - minimum: 0
      - minimum: 0"
refused "a property size edited in a schema only (two u64)" \
	"luo-session-header is exactly one 8-byte value in spec/abi"

fresh
edit schemas/luo-v1.yaml "  liveupdate-number:
    description:
      Live updates since the last cold boot (1 after the first); one u64 in
      CPU-native byte order.
    \$ref: /schemas/types.yaml#/definitions/uint64-array=>  liveupdate-number:
    description: a u32 now
    \$ref: /schemas/types.yaml#/definitions/uint32-array"
refused "a property type edited in a schema only (u32)" \
	"liveupdate-number is exactly one 8-byte value in spec/abi"

fresh
edit schemas/memfd-v1-fdt.yaml "    minItems: 16
    maxItems: 16=>    minItems: 8
    maxItems: 8"
refused "a raw-bytes property size edited in a schema only" "folios is 16 raw bytes in spec/abi"

fresh
edit schemas/luo-flb-v1.yaml "  compatible:
    const: luo-flb-v1=>  compatible:
    const: luo-flb-v2"
refused "a compatible string edited in a schema only" "compatible must be const 'luo-flb-v1'"

fresh
edit spec/abi/components/luo-session-v2.yaml "{name: luo-session-header, type: phys, size: 8,=>{name: luo-session-hdr, type: phys, size: 8,"
refused "a property renamed in spec/abi only" "property luo-session-hdr is missing"

fresh
edit schemas/kho-v3.yaml "      - preserved-data
      - blob-size=>      - preserved-data"
refused "a required property dropped from a schema" "spec/abi says ['blob-size', 'preserved-data']"

fresh
rm "$work/t/schemas/luo-flb-v1.yaml"
refused "an FDT component without a schema" "luo-flb-v1 has FDT nodes but no schemas/luo-flb-v1.yaml"

fresh
edit schemas/luo-v1.yaml "maintainers:
  - luo-conformance project <luo-conformance@invalid>
=>"
if run; then
	notok "a binding dt-doc-validate rejects: accepted"; sed 's/^/# /' "$work/out"
elif grep -q "schemas/luo-v1.yaml: dt-doc-validate: .*maintainers" "$work/out"; then
	ok "a binding dt-doc-validate rejects"
else
	notok "a binding dt-doc-validate rejects: wrong message"; sed 's/^/# /' "$work/out"
fi

# 6. Coverage.
fresh
run --no-dtschema >/dev/null
/usr/bin/python3 - "$work/b/trace/requirements.json" "$work/t/vectors/manifest.yaml" <<'PY'
import json, sys
idx = json.load(open(sys.argv[1]))
left_out = sorted(r for r in idx if not idx[r]["tests"] and idx[r]["role"] == "writer")[0]
with open(sys.argv[2], "w") as f:
    f.write("vectors:\n")
    for i, rid in enumerate(r for r in sorted(idx) if r != left_out):
        f.write("  - name: v%d\n    requirements: [%s]\n" % (i, rid))

PY
# the requirement left out must be a writer requirement no unit test cites
# either (a reader requirement is also covered through the writer
# requirements it governs)
first=$(/usr/bin/python3 -c "import json,sys; idx=json.load(open(sys.argv[1])); print(sorted(r for r in idx if not idx[r]['tests'] and idx[r]['role'] == 'writer')[0])" "$work/b/trace/requirements.json")
if run --no-dtschema --check coverage; then
	notok "coverage fails when one requirement has no vector or test"
elif grep -qF "coverage: $first (" "$work/out" && grep -q '^RESULT coverage: [0-9]* passed, 1 failed' "$work/out"; then
	ok "coverage fails when one requirement has no vector or test"
else
	notok "coverage: wrong report"; sed 's/^/# /' "$work/out"
fi
printf '  - name: last\n    requirements: [%s]\n' "$first" >>"$work/t/vectors/manifest.yaml"
if run --no-dtschema --check coverage && grep -q ', covered: [0-9]* (100%)' "$work/out"; then
	ok "coverage passes when every requirement is cited"
else
	notok "coverage passes when every requirement is cited"; sed 's/^/# /' "$work/out"
fi

echo "1..$n"
