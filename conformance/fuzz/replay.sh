#!/bin/bash
# replay.sh BINDIR REGRESSDIR TARGET... - run every regression input of
# each fuzz target once (TAP, one test per input).  An input passes when
# the target returns normally: no sanitizer report, no broken promise
# (fz.h), no timeout.
set -u
bindir=$1 regress=$2; shift 2
files=()
for t in "$@"; do
	for f in "$regress/$t"/*; do
		[ -f "$f" ] && files+=("$t:$f")
	done
done
echo "1..${#files[@]}"
n=0 bad=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for tf in "${files[@]}"; do
	t=${tf%%:*} f=${tf#*:}
	n=$((n + 1))
	if ASAN_OPTIONS=abort_on_error=1:detect_leaks=1 timeout 60 "$bindir/fuzz_$t" -timeout=30 "$f" >"$log" 2>&1; then
		echo "ok $n - $t: $(basename "$f")"
	else
		bad=$((bad + 1))
		echo "not ok $n - $t: $(basename "$f")"
		grep -E 'ERROR|SUMMARY|broken promise|runtime error' "$log" | head -5 | sed 's/^/# /'
	fi
done
[ "$bad" -eq 0 ]
