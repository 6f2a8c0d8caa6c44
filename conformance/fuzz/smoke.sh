#!/bin/bash
# smoke.sh FUZZDIR SECONDS TARGET:MAXLEN:DICT... - a short fuzz run of each
# target from its seeds (TAP, one test per target).  New inputs go to a
# scratch corpus; a crasher is kept under FUZZDIR/smoke-artifacts/TARGET/
# and fails the test (copy it to conformance/fuzz/regress/TARGET/ once the
# bug is fixed).
set -u
dir=$1 secs=$2; shift 2
echo "1..$#"
n=0 bad=0
for spec in "$@"; do
	IFS=: read -r t maxlen dict <<<"$spec"
	n=$((n + 1))
	work=$(mktemp -d)
	art=$dir/smoke-artifacts/$t
	mkdir -p "$art"
	ASAN_OPTIONS=abort_on_error=1:detect_leaks=1 \
		"$dir/bin/fuzz_$t" -max_total_time="$secs" -max_len="$maxlen" \
		-dict="$dir/dict/$dict.dict" -timeout=20 -rss_limit_mb=2560 -print_final_stats=1 \
		-artifact_prefix="$art/" "$work" "$dir/seed/$t" >"$work.log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work.log")
	speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$work.log")
	cov=$(grep -oE 'cov: [0-9]+' "$work.log" | tail -1)
	if [ "$rc" -eq 0 ] && [ -n "$execs" ]; then
		echo "ok $n - $t: $execs executions in ${secs} s ($speed/s, $cov)"
	else
		bad=$((bad + 1))
		echo "not ok $n - $t: status $rc"
		grep -E 'ERROR|SUMMARY|broken promise|runtime error|Test unit written' "$work.log" | head -8 | sed 's/^/# /'
	fi
	rm -rf "$work" "$work.log"
done
[ "$bad" -eq 0 ]
