#!/bin/bash
# run-tap.sh SUITE COMMAND [ARGS...]
#
# Runs a test program that speaks TAP (cmocka with CMOCKA_MESSAGE_OUTPUT=TAP,
# or any of our own test scripts), shows its output, and closes with one
# line that .ci/run adds up:
#     RESULT SUITE: N passed, N failed
# Exits non-zero when a test failed, the program crashed, or it ran no test.
set -o pipefail
suite=$1; shift
log=$(mktemp)
trap 'rm -f "$log"' EXIT
CMOCKA_MESSAGE_OUTPUT=TAP "$@" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
pass=$(grep -cE '^ok [0-9]+' "$log")
fail=$(grep -cE '^not ok [0-9]+' "$log")
if [ "$rc" -ne 0 ] && [ "$fail" -eq 0 ]; then
	echo "# $suite: exited with status $rc"
	fail=1
fi
if [ $((pass + fail)) -eq 0 ]; then
	echo "# $suite: ran no test"
	fail=1
fi
echo "RESULT $suite: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
