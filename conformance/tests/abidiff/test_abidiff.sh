#!/bin/bash
# TAP tests of luo-abi-diff (conformance/abidiff) and its CI gate.
#
# Fixtures (fixtures/abi: spec/abi-format descriptions; fixtures/headers:
# kernel ABI header sets) replay steps of the ABI's real history; each test
# asserts the verdict and the changes that justify it, from the JSON report.
set -u
top=$(cd "$(dirname "$0")/../../.." && pwd)
tool=${LUO_ABI_DIFF:-$top/build/luo-abi-diff}
case $tool in /*) ;; *) tool=$top/$tool ;; esac
fx=$top/conformance/tests/abidiff/fixtures
py=/usr/bin/python3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
. "$top/conformance/tests/tap.sh"

# run NAME ARGS...: the JSON report in $work/NAME.json, exit status in $rc
run() {
	local name=$1; shift
	"$tool" --format=json "$@" >"$work/$name.json" 2>"$work/$name.err"
	rc=$?
}

# check DESC WANT_RC NAME PYTHON-CONDITION: d is the report, plus helpers
#   verdict(owner) -> verdict string or None
#   changes(**k)   -> changes whose fields equal k (what may be a prefix)
check() {
	local desc=$1 want=$2 name=$3 cond=$4
	if [ "$rc" != "$want" ]; then
		notok "$desc: exit $rc, expected $want"
		sed 's/^/# /' "$work/$name.err" | head -20
		return
	fi
	if $py - "$work/$name.json" "$cond" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
def verdict(owner):
    for c in d["comparisons"]:
        for v in c["verdicts"]:
            if v["owner"] == owner:
                return v["verdict"]
    return None
def changes(**k):
    out = []
    for c in d["comparisons"]:
        for ch in c["changes"]:
            if all((ch.get(f) or "").startswith(v) if f == "what" else ch.get(f) == v
                   for f, v in k.items()):
                out.append(ch)
    return out
sys.exit(0 if eval(sys.argv[2]) else 1)
PY
	then
		ok "$desc"
	else
		notok "$desc: condition failed: $cond"
		"$tool" "${last_args[@]}" 2>&1 | sed 's/^/# /' | head -40
	fi
}

# case DESC WANT_RC CONDITION ARGS...
case_() {
	local desc=$1 want=$2 cond=$3; shift 3
	last_args=("$@")
	run case$n "$@"
	check "$desc" "$want" case$n "$cond"
}

echo "TAP version 13"
A=$fx/abi
H=$fx/headers

# --- spec/abi-format descriptions ---------------------------------------
case_ "session v1 -> v2 with the bump: OK" 0 \
	'verdict("session") == "OK" and changes(what="field removed", subject="luo_session_header_ser.pgcnt") and changes(what="struct size", subject="luo_session_ser", old="88", new="80") and d["violations"] == 0' \
	"$A/session-v1-v2/old" "$A/session-v1-v2/new"
case_ "mandatory /luo-flb (v6.19 -> v7.0) without a root bump: violation" 1 \
	'verdict("luo") == "VIOLATION" and changes(what="node added", subject="/luo-flb", owner="luo", new="required") and d["violations"] == 1' \
	"$A/flb-v6.19-v7.0/old" "$A/flb-v6.19-v7.0/new"
case_ "the same step with the profile recording it (unbumped: [luo]): accepted" 0 \
	'verdict("luo") == "ACCEPTED" and d["accepted"] == 1 and d["violations"] == 0' \
	"$A/flb-recorded/old" "$A/flb-recorded/new"
case_ "kho-v1 -> kho-v3 (sub-node properties, radix-tree map): OK" 0 \
	'verdict("kho") == "OK" and changes(what="property renamed", old="fdt", new="preserved-data") and changes(what="property added", subject="/*:blob-size") and changes(what="memory-map format", old="bitmap-chunks", new="radix-tree")' \
	"$A/kho-v1-v3/old" "$A/kho-v1-v3/new"
case_ "memfd-v1 -> memfd-v2 (seals and flags inserted): OK" 0 \
	'verdict("handler:memfd") == "OK" and changes(what="field added", subject="memfd_luo_ser.seals") and changes(what="field offset", subject="memfd_luo_ser.nr_folios", old="16", new="24") and changes(what="struct size", old="40", new="48")' \
	"$A/memfd-v1-v2/old" "$A/memfd-v1-v2/new"
case_ "radix depth changed under kho-v3 without a bump: violation, 16 KiB only" 1 \
	'verdict("kho") == "VIOLATION" and [c for c in changes(subject="memory_map.depth") if c["page_sizes"] == [16384] and c["page_size_dependent"] and c["old"] == "4" and c["new"] == "5"]' \
	"$A/kho-v3-depth/old" "$A/kho-v3-depth/new"
"$tool" "$A/kho-v3-depth/old" "$A/kho-v3-depth/new" >"$work/depth.txt" 2>&1
if grep -q "memory_map.depth: 4 -> 5 \[PAGE_SIZE-dependent: differs only at 16 KiB pages\]" "$work/depth.txt"; then
	ok "the text report calls the depth change PAGE_SIZE-dependent"
else
	notok "the text report calls the depth change PAGE_SIZE-dependent"; sed 's/^/# /' "$work/depth.txt"
fi
case_ "v7.1 -> v7.2 (luo-v1 FDT -> luo-v5 struct, kho-v3 -> kho-v4): OK" 0 \
	'verdict("luo") == "OK" and verdict("kho") == "OK" and changes(what="node removed", subject="/luo-session", owner="luo") and changes(what="data format", old="fdt", new="struct:luo_ser") and changes(what="struct added", subject="kho_block_header_ser") and d["violations"] == 0' \
	"$A/v7.1-v7.2/old" "$A/v7.1-v7.2/new"
case_ "a field renamed at the same offset and size: compatible" 0 \
	'changes(what="field renamed", old="files", new="files_pa", **{"class": "compatible"}) and d["breaking"] == 0 and not any(c["verdicts"] for c in d["comparisons"])' \
	"$A/rename/old" "$A/rename/new"
# bits_be: the big-endian placement of bit-fields, optional in spec/abi
cp -rL "$A/rename/old" "$work/be-old" && cp -rL "$A/rename/old" "$work/be-new" && cp -rL "$A/rename/old" "$work/be-flip"
$py - "$work/be-new/components/memfd-v2.yaml" "$work/be-flip/components/memfd-v2.yaml" <<'PY'
import sys
for path, lsbs in zip(sys.argv[1:], ((12, 0), (0, 52))):
    s = open(path).read()
    old = "bits: [{name: pfn, lsb: 0, width: 52}, {name: flags, lsb: 52, width: 12}]"
    assert old in s
    be = "bits_be: [{name: pfn, lsb: %d, width: 52}, {name: flags, lsb: %d, width: 12}]" % lsbs
    open(path, "w").write(s.replace(old, old + ",\n         " + be))
PY
case_ "a big-endian bit placement stated where none was: compatible" 0 \
	'changes(what="field big-endian bit layout stated", **{"class": "compatible"}) and d["breaking"] == 0' \
	"$work/be-old" "$work/be-new"
case_ "a stated big-endian bit placement changed in place: violation" 1 \
	'verdict("handler:memfd") == "VIOLATION" and changes(what="field big-endian bit layout", old="pfn@12:52 flags@0:12")' \
	"$work/be-new" "$work/be-flip"
case_ "a bump without a change: warning" 0 \
	'verdict("handler:memfd") == "WARNING" and d["warnings"] == 1 and d["violations"] == 0' \
	"$A/bump-only/old" "$A/bump-only/new"
case_ "posted series v6 -> v7: memfd format changed under memfd-v1: violation" 1 \
	'verdict("handler:memfd") == "VIOLATION" and verdict("session") == "OK" and changes(what="data format", old="fdt")' \
	"$A/series-v6-v7/old" "$A/series-v6-v7/new"

# --- the real description ----------------------------------------------
# Reported as a violation, or as accepted once profiles/v7.0.yaml records it
# ("unbumped: [luo]"); either way the /luo-flb change owned by luo is shown.
if grep -qE '^unbumped:.*\bluo\b' "$top/spec/abi/profiles/v7.0.yaml"; then
	want_rc=0 want_v=ACCEPTED
else
	want_rc=1 want_v=VIOLATION
fi
case_ "spec/abi:v6.19 -> spec/abi:v7.0 reports the /luo-flb change of luo-v1 ($want_v)" $want_rc \
	"verdict('luo') == '$want_v' and changes(what='node added', subject='/luo-flb', owner='luo')" \
	"$top/spec/abi:v6.19" "$top/spec/abi:v7.0"
case_ "spec/abi:v7.0 -> spec/abi:v7.1: kho and memfd bumped, OK" 0 \
	'verdict("kho") == "OK" and verdict("handler:memfd") == "OK" and d["violations"] == 0' \
	"$top/spec/abi:v7.0" "$top/spec/abi:v7.1"
# luo-v1 (FDT) to luo-v5 (a raw struct): the LUO FDT's nodes go with the
# luo bump, the block ABI with the kho bump; no violation.
case_ "spec/abi:v7.1 -> spec/abi:v7.2: kho-v3 -> kho-v4 and luo-v1 -> luo-v5 bumped, OK" 0 \
	'verdict("kho") == "OK" and verdict("luo") == "OK" and d["violations"] == 0 and changes(what="struct added", subject="kho_block_header_ser", owner="kho") and changes(what="data format", owner="luo") and changes(what="node removed", subject="/luo-session", owner="luo")' \
	"$top/spec/abi:v7.1" "$top/spec/abi:v7.2"
case_ "spec/abi against itself: no change" 0 \
	'd["breaking"] == 0 and d["compatible"] == 0 and not d["comparisons"]' \
	"$top/spec/abi" "$top/spec/abi"
/usr/bin/python3 "$top/conformance/tools/abijson.py" --abi "$top/spec/abi" -o "$work/model.json"
case_ "a model file from abijson.py compares like its directory" 1 \
	'verdict("luo") == "VIOLATION"' "$work/model.json:v6.19" "$top/spec/abi:v7.0"
if $py - "$work/model.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
k = d["components"]["kho-v3"]["memory_map"]["params"]
assert d["page_sizes"] == [4096, 16384, 65536]
assert k["depth"] == [6, 5, 4] and k["table_log2"] == [9, 11, 13], k
s = {x["name"]: x for x in d["components"]["luo-session-v2"]["constants"]}
assert s["LUO_SESSION_MAX"]["value"] == [819, 3276, 13107], s["LUO_SESSION_MAX"]
assert d["profiles"]["v7.0"]["slots"]["flb"] == "luo-flb-v1"
assert d["profiles"]["v6.19"]["slots"]["flb"] is None
PY
then ok "abijson.py evaluates every number at 4, 16 and 64 KiB pages"
else notok "abijson.py evaluates every number at 4, 16 and 64 KiB pages"
fi

# --- kernel ABI headers ----------------------------------------------------
case_ "headers: session v1 -> v2 with the bump: OK" 0 \
	'verdict("session") == "OK" and changes(what="field removed", subject="luo_session_header_ser.pgcnt") and changes(what="struct size", subject="luo_session_ser", old="88", new="80")' \
	--headers "$H/session-v1" "$H/session-v2"
case_ "headers: memfd v1 -> v2 and kho-v1 -> kho-v3 (v7.0 -> v7.1): OK" 0 \
	'verdict("handler:memfd") == "OK" and verdict("kho") == "OK" and changes(what="field added", subject="memfd_luo_ser.flags") and changes(what="field offset", subject="memfd_luo_ser.folios", old="24", new="32") and changes(what="string constant added", subject="KHO_SUB_TREE_SIZE_PROP_NAME", new="blob-size") and not changes(subject="kho_vmalloc.first")' \
	--headers "$H/v7.0" "$H/v7.1"
case_ "headers: FLB node added under luo-v1 (v6.19 -> v7.0): violation" 1 \
	'verdict("luo") == "VIOLATION" and changes(what="node added", subject="/luo-flb", owner="luo")' \
	--headers "$H/v6.19" "$H/v7.0"
case_ "headers: KHO_TREE_MAX_DEPTH changed only at 16 KiB under kho-v3: violation" 1 \
	'verdict("kho") == "VIOLATION" and [c for c in changes(subject="KHO_TREE_MAX_DEPTH") if c["page_sizes"] == [16384] and c["old"] == "4" and c["new"] == "5"]' \
	--headers "$H/v7.1-rc5" "$H/v7.1"
case_ "headers: field renamed at the same offset and size, u64 spelt as a KHOSER union: compatible" 0 \
	'changes(what="field renamed", subject="luo_file_set_ser.files", new="files_pa") and d["breaking"] == 0 and not changes(subject="luo_file_ser.data")' \
	--headers "$H/v7.1" "$H/v7.1-rename"
case_ "headers: memfd bumped without a change: warning" 0 \
	'verdict("handler:memfd") == "WARNING" and d["warnings"] == 1' \
	--headers "$H/v7.1" "$H/v7.1-memfd-v3"
mkdir -p "$work/tree-a" "$work/tree-b"
cp -rL "$H/v7.1-rc5/include" "$work/tree-a/" && cp -rL "$H/v7.1/include" "$work/tree-b/"
case_ "--kernel reads include/linux/kho/abi of two trees" 1 \
	'verdict("kho") == "VIOLATION"' --kernel "$work/tree-a" "$work/tree-b"
"$tool" --kernel "$A/rename/old" "$work/tree-b" >/dev/null 2>&1; rc=$?
if [ "$rc" = 2 ]; then ok "--kernel refuses a directory that is no kernel tree (exit 2)"
else notok "--kernel refuses a directory that is no kernel tree: exit $rc"; fi

# --- git revisions --------------------------------------------------------
g=$work/repo
mkdir -p "$g" && (
	cd "$g" && git init -q && git config user.email t@t && git config user.name t &&
	mkdir -p spec && cp -rL "$A/flb-v6.19-v7.0/old" spec/abi && git add -A && git commit -qm v6.19 &&
	rm -rf spec/abi && cp -rL "$A/flb-v6.19-v7.0/new" spec/abi && git add -A && git commit -qm v7.0 &&
	mkdir -p hdr && cp -rL "$H/v7.1-rc5/include" hdr/ && git add -A && git commit -qm rc5 &&
	rm -rf hdr/include && cp -rL "$H/v7.1/include" hdr/ && git add -A && git commit -qm v7.1
) >/dev/null 2>&1
cd "$g" || exit 1
case_ "--git HEAD~3 HEAD~2: the /luo-flb violation between two commits" 1 \
	'verdict("luo") == "VIOLATION"' --git HEAD~3 HEAD~2
case_ "--git with the same revision twice: no change" 0 \
	'not d["comparisons"]' --git HEAD HEAD
case_ "--git REV . compares with the work tree" 0 \
	'd["breaking"] == 0' --git HEAD .
case_ "--git over header directories (PATH hdr)" 1 \
	'verdict("kho") == "VIOLATION"' --git HEAD~1 HEAD hdr
"$tool" --git no-such-rev HEAD >/dev/null 2>&1; rc=$?
if [ "$rc" = 2 ]; then ok "--git with an unknown revision exits 2"
else notok "--git with an unknown revision: exit $rc"; fi
cd "$top" || exit 1

# --- the CI gate ------------------------------------------------------------
gate() {	# gate DESC WANT_RC: run check-abi-bump.sh in $g
	local out rc
	out=$(cd "$g" && LUO_ABI_DIFF=$tool bash "$top/conformance/abidiff/check-abi-bump.sh" 2>&1)
	rc=$?
	if [ "$rc" = "$2" ] && grep -q '^RESULT abi-bump: ' <<<"$out"; then ok "$1"
	else notok "$1: exit $rc"; sed 's/^/# /' <<<"$out"; fi
}
g=$work/gate
mkdir -p "$g" && (
	cd "$g" && git init -q && git config user.email t@t && git config user.name t &&
	mkdir -p spec && cp -rL "$A/rename/old" spec/abi &&
	printf '# Changelog\n\n## [Unreleased]\n\n- first\n\n## [0.1.0]\n\n- old\n' >CHANGELOG.md &&
	git add -A && git commit -qm one
) >/dev/null 2>&1
gate "gate: a repository with one commit is skipped, not failed" 0
(cd "$g" && echo >>CHANGELOG.md && git commit -qam two) >/dev/null 2>&1
gate "gate: spec/abi unchanged: passes" 0
rm -rf "$g/spec/abi" && cp -rL "$A/rename/new" "$g/spec/abi"
gate "gate: a compatible change without a CHANGELOG line fails" 1
sed -i 's/^- first$/- first\n- luo_session_ser.files renamed files_pa/' "$g/CHANGELOG.md"
gate "gate: a compatible change with a CHANGELOG line passes" 0
sed -i 's/{name: files_pa, offset: 64, size: 8, type: phys}/{name: files_pa, offset: 64, size: 8, type: u64}/' \
	"$g/spec/abi/components/luo-session-v2.yaml"
gate "gate: a breaking change in place without a bump fails" 1

# --- command line -------------------------------------------------------------
"$tool" --format=json "$A/flb-v6.19-v7.0/old" "$A/flb-v6.19-v7.0/new" >"$work/j.json"
if $py -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["result"] == "violation"' "$work/j.json"; then
	ok "--format=json writes one JSON document with the result"
else notok "--format=json writes one JSON document with the result"; fi
"$tool" -q "$A/flb-v6.19-v7.0/old" "$A/flb-v6.19-v7.0/new" >"$work/q.txt"
if grep -q VIOLATION "$work/q.txt" && ! grep -q '^  breaking' "$work/q.txt"; then
	ok "--quiet prints verdicts, not changes"
else notok "--quiet prints verdicts, not changes"; sed 's/^/# /' "$work/q.txt"; fi
errs=0
for args in "$work/nonexistent $A/rename/new" "$top/spec/abi:nope $top/spec/abi:v7.0" \
	    "$top/spec/abi:v7.0 $top/spec/abi" "--format=xml $A/rename/old $A/rename/new" \
	    "--headers --git a b" "only-one"; do
	# shellcheck disable=SC2086
	"$tool" $args >/dev/null 2>&1
	[ $? = 2 ] || { errs=$((errs + 1)); echo "# not exit 2: $args"; }
done
if [ "$errs" = 0 ]; then ok "bad operands and options exit 2"; else notok "bad operands and options exit 2"; fi

# --help and the man page list the same options
opts() { grep -oE '^ *(-[A-Za-z], )?--[a-z][a-z-]*' | sed 's/^ *//; s/, /\n/' | sort -u; }
"$tool" --help | sed -n '/^Options:/,/^$/p' | opts >"$work/help.opts"
sed -n '/^OPTIONS$/,/^[A-Z][A-Z ]*$/p' "$top/docs/man/luo-abi-diff.rst" | opts >"$work/man.opts"
if [ -s "$work/help.opts" ] && diff -u "$work/man.opts" "$work/help.opts" >"$work/opts.diff"; then
	ok "--help lists exactly the options of docs/man/luo-abi-diff.rst ($(wc -l <"$work/help.opts"))"
else
	notok "--help lists exactly the options of docs/man/luo-abi-diff.rst"; sed 's/^/# /' "$work/opts.diff"
fi
echo "1..$n"
