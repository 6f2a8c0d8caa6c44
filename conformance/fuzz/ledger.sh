#!/bin/bash
# ledger.sh add LEDGER TARGET LOG SECONDS | report LEDGER TARGET...
#
# The fuzz campaign ledger: one line per run of `make fuzz` and target
# (date, target, seconds, executions, crashes, commit), so that runs add
# up across sessions.  `report` prints each target's total executions,
# crashes and the share of the 10 million executions the hardening goal
# asks for.
set -euo pipefail
cmd=$1 ledger=$2; shift 2
case $cmd in
add)
	t=$1 log=$2 secs=$3
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | awk '{ s += $1 } END { print s + 0 }')
	crashes=$(grep -c 'Test unit written\|^==[0-9]*==ERROR' "$log" || true)
	commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
	[ -s "$ledger" ] || printf '# date\ttarget\tseconds\texecutions\tcrashes\tcommit\n' >"$ledger"
	printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%FT%TZ)" "$t" "$secs" "$execs" "$crashes" \
		"$commit" >>"$ledger"
	echo "fuzz: $t: $execs executions, $crashes crashes this run"
	;;
report)
	[ -s "$ledger" ] || { echo "fuzz-report: no campaign yet ($ledger)"; exit 0; }
	for t in "$@"; do
		awk -F'\t' -v t="$t" '$2 == t { r++; s += $3; e += $4; c += $5 }
			END { printf "fuzz-report: %-9s %3d runs %8.1f h %12d executions %3d crashes  %5.1f%% of 10M\n",
				t, r, s / 3600, e, c, e / 1e5 }' "$ledger"
	done
	;;
*) echo "usage: ledger.sh add|report ..." >&2; exit 2 ;;
esac
