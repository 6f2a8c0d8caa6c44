#!/bin/bash
# TAP tests of the fuzz campaign ledger (conformance/fuzz/ledger.sh): a
# run's executions and crashes are read from libFuzzer's log, runs add up
# per target, and the clean count starts again after a run that crashed.
set -u
top=$(cd "$(dirname "$0")/../../.." && pwd)
cd "$top"
. "$top/conformance/tests/tap.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
ledger=$work/ledger.tsv
L=conformance/fuzz/ledger.sh

# log EXECS [CRASHED]: a libFuzzer log as -print_final_stats=1 ends it
log() {
	{ echo "#1 INITED cov: 3"; [ -n "${2:-}" ] && echo "==42==ERROR: AddressSanitizer: heap-buffer-overflow" \
		&& echo "artifact_prefix='x/'; Test unit written to x/crash-1"
	  echo "stat::number_of_executed_units: $1"; echo "stat::average_exec_per_sec:     100"; } >"$work/log"
}
report() { "$L" report "$ledger" "$1" | sed 's/  */ /g'; }
expect() {
	if [ "$2" = "$3" ]; then ok "$1"; else notok "$1" "got:      $2" "expected: $3"; fi
}

log 4000000
"$L" add "$ledger" image "$work/log" 100 >/dev/null
expect "one run: its executions, no crash" "$(report image)" \
	"fuzz-report: image 1 runs 0.0 h 4000000 executions 0 crashes, 4000000 clean 40.0% of 10M"
log 500000 crashed
"$L" add "$ledger" image "$work/log" 20 >/dev/null
log 7000000
"$L" add "$ledger" image "$work/log" 3480 >/dev/null
expect "a crashing run: counted, and the clean count starts after it" "$(report image)" \
	"fuzz-report: image 3 runs 1.0 h 11500000 executions 1 crashes, 7000000 clean 70.0% of 10M"
expect "another target's runs are its own" "$(report adapter)" \
	"fuzz-report: adapter 0 runs 0.0 h 0 executions 0 crashes, 0 clean 0.0% of 10M"
log 100
echo "==7==ERROR: libFuzzer: out-of-memory (malloc(1))" >>"$work/log"
"$L" add "$ledger" state "$work/log" 1 >/dev/null
expect "a crash without a written input is counted by its ERROR line" "$(report state)" \
	"fuzz-report: state 1 runs 0.0 h 100 executions 1 crashes, 0 clean 0.0% of 10M"
expect "the ledger has a header and one line a run" "$(grep -c . "$ledger") $(head -1 "$ledger")" \
	"5 # date	target	seconds	executions	crashes	commit"
# the docs page from the same ledger (report.py): the clean count, and a
# missing input said so
printf '%s\n' "lines: 99.0% (99 out of 100)" "branches: 95.5% (191 out of 200)" >"$work/cov.txt"
/usr/bin/python3 conformance/tests/hardening/report.py --ledger "$ledger" --coverage "$work/cov.txt" \
	--mutate "$work/none.tap" --mutants conformance/tests/hardening/mutants.def --out "$work/r.rst"
got=$(grep -A7 '^   \* - ``image``' "$work/r.rst" | sed -E 's/^ *(\* )?- //' | tr '\n' '|')
expect "the docs page: image's runs, executions, crashes, clean count and goal" "$got" \
	"\`\`image\`\`|3|1.0|11,500,000|1|7,000,000|not yet|$(awk -F'\t' '$2 == "image" { d = substr($1, 1, 10) " (" $6 ")" } END { print d }' "$ledger")|"
if grep -q '^   \* - checker core (conformance/lib)$' "$work/r.rst" && grep -q '99 of 100' "$work/r.rst" &&
   grep -q 'No mutation run (``.*none.tap``): run ``make mutate``.' "$work/r.rst"; then
	ok "the docs page: coverage from the summary, the missing mutation run named"
else
	notok "the docs page: coverage from the summary, the missing mutation run named" "$(cat "$work/r.rst")"
fi
echo "1..$n"
