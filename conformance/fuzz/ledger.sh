#!/bin/bash
# ledger.sh add LEDGER TARGET LOG SECONDS | report LEDGER TARGET...
#
# The fuzz campaign ledger: one line per run of `make fuzz` and target
# (date, target, seconds, executions, crashes, commit), so that runs add
# up across sessions.  `report` prints each target's total executions,
# crashes, the executions since its last crash and their share of the 10
# million executions without a crash the hardening goal asks for.
set -euo pipefail
cmd=$1 ledger=$2; shift 2
case $cmd in
add)
	t=$1 log=$2 secs=$3
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | awk '{ s += $1 } END { print s + 0 }')
	# a crash writes its input ("Test unit written"); one that could not
	# still printed its sanitizer or libFuzzer ERROR line
	crashes=$(grep -c 'Test unit written' "$log" || true)
	[ "$crashes" -gt 0 ] || crashes=$(grep -c '^==[0-9]*== *ERROR' "$log" || true)
	commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
	[ -s "$ledger" ] || printf '# date\ttarget\tseconds\texecutions\tcrashes\tcommit\n' >"$ledger"
	printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%FT%TZ)" "$t" "$secs" "$execs" "$crashes" \
		"$commit" >>"$ledger"
	echo "fuzz: $t: $execs executions, $crashes crashes this run"
	;;
report)
	[ -s "$ledger" ] || { echo "fuzz-report: no campaign yet ($ledger)"; exit 0; }
	# "clean": the executions since the last run that crashed (its fix
	# came before the runs after it), the figure the 10M goal is about
	for t in "$@"; do
		awk -F'\t' -v t="$t" '$2 == t { r++; s += $3; e += $4; c += $5; k = $5 ? 0 : k + $4 }
			END { printf "fuzz-report: %-9s %3d runs %8.1f h %12d executions %3d crashes, %12d clean  %5.1f%% of 10M\n",
				t, r, s / 3600, e, c, k, k / 1e5 }' "$ledger"
	done
	;;
*) echo "usage: ledger.sh add|report ..." >&2; exit 2 ;;
esac
