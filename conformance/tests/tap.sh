# conformance/tests/tap.sh - TAP for the shell test scripts (sourced):
# ok DESCRIPTION; notok DESCRIPTION [DIAGNOSTIC-LINE...]; $n counts them,
# for the closing "1..$n".
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); echo "not ok $n - $1"; shift; for l in "$@"; do printf '%s\n' "$l" | sed 's/^/# /'; done; }
