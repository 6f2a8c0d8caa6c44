#!/bin/bash
# test_runner.sh - TAP tests of luo-conform run and matrix (through the
# runner's dispatcher), the adapter forms, the broken sample adapters,
# the report formats, the bundle and the installed suite.
#
# Environment: B (build dir), DRIVER, REF_SO, LUO_REF, BROKEN_DIR,
# INSTALL_ROOT (a DESTDIR with the suite installed under INSTALL_PREFIX).
set -u
B=${B:-build}
DRIVER=${DRIVER:-$B/tests/runner/luoc-runner}
REF_SO=${REF_SO:-$B/libluocref.so}
LUO_REF=${LUO_REF:-$B/luo-ref}
BROKEN_DIR=${BROKEN_DIR:-$B/ref/broken}
INSTALL_ROOT=${INSTALL_ROOT:-}
INSTALL_PREFIX=${INSTALL_PREFIX:-/opt/luo-conformance}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
n=0

ok() {		# ok CONDITION-STATUS NAME [DIAGNOSTIC]
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		[ -n "${3:-}" ] && printf '%s\n' "$3" | sed 's/^/# /'
	fi
}

# run ARGS... -> $T/out.json, status in $rc
run_json() {
	"$DRIVER" run -q --format=json "$@" >"$T/out.json" 2>"$T/err"
	rc=$?
}

failed_reqs() { jq -r '.summary.failed_requirements | join(",")' "$T/out.json"; }

# --- the reference passes everything, in every packaging ----------------------
run_json --seed 7 --random 12
ok $(( rc != 0 || $(jq '.summary.failed' "$T/out.json") != 0 )) \
	"reference (built in) passes every test of every profile" \
	"rc=$rc failed: $(jq -r '[.tests[]|select(.status=="fail")|.name+" "+.message][:5][]' "$T/out.json" 2>/dev/null)"
total=$(jq '.tests | length' "$T/out.json")
for p in series-v6 v6.19 v7.0 v7.1 v7.2; do
	for k in producer consumer; do
		c=$(jq --arg p "$p" --arg k "$k" '[.tests[]|select(.profile==$p and .kind==$k)]|length' "$T/out.json")
		ok $(( c < 20 )) "reference: $k tests ran for $p ($c)"
	done
done
vec=$(jq '[.tests[]|select(.name|test("/vector/"))]|length' "$T/out.json")
if [ -f vectors/manifest.yaml ]; then
	ok $(( vec == 0 )) "consumer tests include the vector manifest ($vec)"
fi

run_json --seed 7 --random 12 --impl "$REF_SO"
ok $(( rc != 0 || $(jq '.tests|length' "$T/out.json") != total )) \
	"reference as a shared object passes the same $total tests" "rc=$rc $(failed_reqs)"
run_json --seed 7 --random 4 --impl "$LUO_REF" --profile v7.1
ok $rc "reference as a subprocess (luo-ref) passes v7.1" "$(failed_reqs) $(cat "$T/err")"

# --- seeds ----------------------------------------------------------------------
run_json --seed 42 --random 6 --only=producer --profile v7.0
jq -S '[.tests[]|{name,status,message}]' "$T/out.json" >"$T/a"
seed=$(jq '.seed' "$T/out.json")
run_json --seed 42 --random 6 --only=producer --profile v7.0
jq -S '[.tests[]|{name,status,message}]' "$T/out.json" >"$T/b"
ok $(( seed != 42 )) "the seed is reported"
cmp -s "$T/a" "$T/b"
ok $? "the same seed gives the same run"
"$DRIVER" run -q --random 1 --only=producer --profile v7.0 >"$T/k" 2>/dev/null
grep -q '^# seed [0-9]* (reproduce with --seed' "$T/k"
ok $? "KTAP output prints the seed of an unseeded run"

# --- broken samples fail with the right requirement IDs --------------------------
expect_broken() {	# NAME ID [ARGS...]
	local name=$1 id=$2
	shift 2
	run_json --seed 3 --random 8 --impl "$BROKEN_DIR/libluocref-$name.so" "$@"
	local reqs
	reqs=$(failed_reqs)
	[ "$rc" -eq 1 ] && [[ ",$reqs," == *",$id,"* ]]
	ok $? "broken sample '$name' is non-conformant with $id${*:+ ($*)}" "rc=$rc requirements: $reqs"
}
expect_broken no-flb LUO-FLB-001
expect_broken be-u64 LUO-FDT-004
expect_broken unpreserved-folio LUO-KMAP-002
expect_broken any-compat LUO-FDT-002
expect_broken any-compat LUO-FDT-002 --no-vectors
expect_broken name-no-nul LUO-SESS-005
expect_broken silent LUO-PROF-103
run_json --seed 3 --random 8 --impl "$BROKEN_DIR/libluocref-no-flb.so" --profile v6.19
ok $rc "broken sample 'no-flb' is conformant for v6.19, which has no /luo-flb" "$(failed_reqs)"
run_json --seed 3 --impl "$BROKEN_DIR/libluocref-any-compat.so" --only=producer
ok $rc "a reader defect does not fail producer tests" "$(failed_reqs)"

# --- implementations that crash or hang ---------------------------------------------
cat >"$T/crasher" <<'SH'
#!/bin/sh
case "$1" in
info) echo '{"name":"crasher","version":"0","profiles":["v7.0"],"preserve":false}' ;;
restore) kill -SEGV $$ ;;
*) exit 2 ;;
esac
SH
cat >"$T/hanger" <<'SH'
#!/bin/sh
case "$1" in
info) echo '{"name":"hanger","version":"0","profiles":["v7.0"],"preserve":false}' ;;
restore) case "$4" in */1-*) exec sleep 20 ;; esac
	echo '{"reject":"panic","message":"no"}' ;;
*) exit 2 ;;
esac
SH
chmod +x "$T/crasher" "$T/hanger"
run_json --no-vectors --impl "$T/crasher"
ok $(( rc != 1 )) "a crashing implementation fails the run, luo-conform survives"
grep -q 'LUO-PROF-102' <<<"$(failed_reqs)" && jq -e '[.tests[]|select(.message|test("crashed: signal 11"))]|length > 0' "$T/out.json" >/dev/null
ok $? "a crash is reported as LUO-PROF-102 with its signal"
start=$(date +%s)
run_json --no-vectors --impl "$T/hanger" --timeout 1
took=$(( $(date +%s) - start ))
jq -e '[.tests[]|select(.message|test("timeout"))]|length == 1' "$T/out.json" >/dev/null
ok $(( $? != 0 || took > 10 )) "a hanging call is killed after --timeout (took ${took}s)"

# --- report formats and the bundle ---------------------------------------------------
"$DRIVER" run -q --seed 5 --random 2 --profile v6.19 --format=junit >"$T/j.xml" 2>/dev/null
cases=$(grep -c '<testcase ' "$T/j.xml")
"$DRIVER" run -q --seed 5 --random 2 --profile v6.19 --format=ktap >"$T/k.ktap" 2>/dev/null
plan=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' "$T/k.ktap")
results=$(grep -cE '^(not )?ok [0-9]+ ' "$T/k.ktap")
head -1 "$T/k.ktap" | grep -qx 'KTAP version 1' && [ "$plan" = "$results" ] && [ "$plan" = "$cases" ] \
	&& grep -q '^# Totals: pass:[0-9]* fail:[0-9]* xfail:0 xpass:0 skip:[0-9]* error:0$' "$T/k.ktap"
ok $? "KTAP (version line, plan $plan = results $results, totals) and JUnit ($cases cases) agree"
"$DRIVER" run -q --seed 5 --random 2 --profile v7.1 --bundle "$T/b.tar" >/dev/null 2>&1
tar -tf "$T/b.tar" | sort >"$T/list"
printf '%s\n' luo-conform-run/environment.txt luo-conform-run/results.json luo-conform-run/results.ktap \
	luo-conform-run/results.xml luo-conform-run/suite.txt | cmp -s - "$T/list"
ok $? "--bundle writes results (three formats), suite and environment"
tar -xOf "$T/b.tar" luo-conform-run/environment.txt | grep -q '^uname: ' &&
	tar -xOf "$T/b.tar" luo-conform-run/suite.txt | grep -q '^suite-version: '
ok $? "the bundle records uname and the suite version"
if [ -f vectors/manifest.yaml ]; then
	want=$(sha256sum vectors/manifest.yaml | cut -d' ' -f1)
	tar -xOf "$T/b.tar" luo-conform-run/suite.txt | grep -qx "manifest-sha256: $want"
	ok $? "the bundle records the vector manifest's SHA-256"
fi

# --- matrix ---------------------------------------------------------------------------
"$DRIVER" matrix --format=json >"$T/m.json" 2>"$T/err"
ok $? "matrix runs" "$(cat "$T/err")"
cell() { jq -r --arg w "$1" --arg r "$2" '.cells[]|select(.writer==$w and .reader==$r)|"\(.result) \(.abi_violation)"' "$T/m.json"; }
want_cell() {	# WRITER READER "RESULT ABI" WHY
	local got
	got=$(cell "$1" "$2")
	[ "$got" = "$3" ]
	ok $? "matrix $1 -> $2: $3 ($4)" "got: $got"
}
for p in series-v6 v6.19 v7.0 v7.1 v7.2; do
	want_cell "ref:$p" "ref:$p" "compatible false" "same profile"
done
want_cell ref:v6.19 ref:v7.0 "would-panic true" "both luo-v1, the reader needs /luo-flb"
want_cell ref:v6.19 ref:v7.1 "silent-loss false" "kho-v1 state, kho-v3 reader"
want_cell ref:v7.0 ref:v7.1 "silent-loss false" "KHO revival off, LUO starts fresh"
want_cell ref:v7.1 ref:v7.0 "silent-loss false" "kho-v3 state, kho-v1 reader"
want_cell ref:series-v6 ref:v6.19 "would-panic false" "luo-session-v1 is refused"
want_cell ref:v6.19 ref:series-v6 "rejected false" "the series disables live update"
want_cell ref:v7.0 ref:v6.19 "silent-loss false" "the v6.19 reader ignores /luo-flb"
want_cell ref:v7.1 ref:v7.2 "silent-loss false" "luo-v1 on kho-v3, a kho-v4 reader"
want_cell ref:v7.2 ref:v7.1 "silent-loss false" "luo-v5 on kho-v4, a kho-v3 reader"
v=$(jq '[.cells[]|select(.abi_violation)]|length' "$T/m.json")
ok $(( v != 1 )) "exactly one ABI violation among the reference profiles ($v)"
"$DRIVER" matrix --format=json --impl "$BROKEN_DIR/libluocref-no-flb.so" --profile v7.0 >"$T/m.json" 2>"$T/err"
want_cell luoc-ref-no-flb:v7.0 ref:v7.0 "would-panic true" "a v7.0 writer that omits /luo-flb"
"$DRIVER" matrix --format=html >"$T/m.html" 2>/dev/null
grep -q '<table class="luoc-matrix">' "$T/m.html" && [ "$(grep -o '<td' "$T/m.html" | wc -l)" -eq 25 ] &&
	grep -q 'ABI violation' "$T/m.html"
ok $? "matrix HTML: a 5x5 table with the ABI violation marked"
"$DRIVER" matrix --format=svg >"$T/m.svg" 2>/dev/null
head -1 "$T/m.svg" | grep -q '^<svg ' && tail -1 "$T/m.svg" | grep -qx '</svg>' &&
	[ "$(grep -c '<rect x=' "$T/m.svg")" -ge 25 ]
ok $? "matrix SVG: a grid of 25 cells"
"$DRIVER" matrix >"$T/m.txt" 2>/dev/null
grep -q '^ref:v6.19 .* panic! ' "$T/m.txt"
ok $? "matrix text marks the ABI violation"

# --- the installed suite: an out-of-tree adapter in one line -----------------------------
if [ -n "$INSTALL_ROOT" ]; then
	export PKG_CONFIG_PATH=$INSTALL_ROOT$INSTALL_PREFIX/lib/pkgconfig PKG_CONFIG_SYSROOT_DIR=$INSTALL_ROOT
	cc -shared -fPIC -o "$T/oot.so" conformance/tests/runner/oot_adapter.c $(pkg-config --cflags --libs luoconform) 2>"$T/err"
	ok $? "out-of-tree adapter builds with pkg-config --cflags --libs luoconform" "$(cat "$T/err")"
	run_json --no-vectors --impl "$T/oot.so"
	[ "$(jq -r '.implementation.name' "$T/out.json")" = oot-adapter ] &&
		jq -e '[.tests[]|select(.name=="consumer/v7.0/ref-state/empty" and .status=="pass")]|length == 1' "$T/out.json" >/dev/null
	ok $? "luo-conform runs the out-of-tree adapter (its empty-state test passes)"
	for f in bin/luo-conform libexec/luo-conformance/luo-conform-runner lib/libluoconform.a \
		lib/libluocimage.a include/luoc/adapter.h \
		include/luoc/luoc_abi_gen.h lib/pkgconfig/luoconform.pc lib/libluocref.so; do
		[ -e "$INSTALL_ROOT$INSTALL_PREFIX/$f" ] || { echo "# missing $f"; false; }
	done
	ok $? "make install puts binaries (the runner in libexec), libraries, headers (with the generated one) and luoconform.pc in place"
fi

echo "1..$n"
