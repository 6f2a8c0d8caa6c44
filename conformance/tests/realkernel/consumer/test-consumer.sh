#!/bin/bash
# test-consumer.sh KERNEL_DIR GUEST LUO_CONFORM MANIFEST RUNDIR [VECTOR_ID...]
#
# The real-kernel consumer test: boots KERNEL_DIR/Image once per vector of
# profile $RKC_PROFILE (default v7.2) of MANIFEST (or only the VECTOR_IDs
# given) with the vector handed over as its incoming KHO state
# (run-vector.sh), then compares each boot's reaction with the manifest's
# expected outcome for that profile's kernel (judge.py).  Prints KTAP and,
# last, "RESULT realkernel-consumer: N passed, N failed"; writes
# RUNDIR/../consumer-summary.json.  Mismatches explained in
# expected-mismatches.txt are reported as "not ok ... # TODO explained" and
# counted apart; only unexplained ones fail the test.
set -uo pipefail

kdir=$(realpath "$1") guest=$(realpath "$2") conform=$(realpath "$3")
manifest=$(realpath "$4") rundir=$(realpath -m "$5")
shift 5
here=$(dirname "$(realpath "$0")")
suite=realkernel-consumer

# RKC_PROFILE: the profile the kernel speaks; its vectors, its outcome column
export RKC_PROFILE=${RKC_PROFILE:-v7.2}
if [ $# -gt 0 ]; then
	ids=("$@")
else
	mapfile -t ids < <(awk -v p="$RKC_PROFILE" '$1 == "-" && $2 == "id:" && index($3, p "/") == 1 { print $3 }' "$manifest")
fi
[ ${#ids[@]} -gt 0 ] || { echo "# $suite: no $RKC_PROFILE vector in $manifest"; echo "RESULT $suite: 0 passed, 1 failed"; exit 1; }

kernel="Linux $(cat "$kdir"/le4k/kernelrelease 2>/dev/null || echo '?') arm64 [$(cd "$kdir" && ls -d */Image 2>/dev/null | sed 's,/Image,,' | tr '\n' ' ' | sed 's/ $//')] from $(cat "$kdir"/le4k/source 2>/dev/null || echo '?')"
echo "# $suite: $kernel, ${#ids[@]} vectors, judged as $RKC_PROFILE"
mkdir -p "$rundir"
start=$(date +%s)
runs=()
for vid in "${ids[@]}"; do
	run=$rundir/${vid//\//_}
	"$here"/run-vector.sh "$kdir" "$guest" "$conform" "$manifest" "$vid" "$run" ||
		echo "# $suite: run-vector.sh failed for $vid"
	runs+=("$run")
done
echo "# $suite: ${#ids[@]} boots in $(( $(date +%s) - start )) s"

out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$here"/judge.py "$here"/expected-mismatches.txt "$(dirname "$rundir")/consumer-summary.json" \
	"$kernel" "${runs[@]}" | tee "$out"
rc=${PIPESTATUS[0]}
pass=$(grep -cE '^ok [0-9]+' "$out")
fail=$(grep -E '^not ok [0-9]+' "$out" | grep -cv '# TODO explained')
known=$(grep -cE '^not ok [0-9]+.*# TODO explained' "$out")
if [ "$rc" -ne 0 ] && [ "$fail" -eq 0 ]; then
	echo "# $suite: judge.py exited with status $rc"
	fail=1
fi
echo "# $suite: $known explained disagreements with the manifest (see conformance/tests/realkernel/consumer/README.rst)"
echo "RESULT $suite: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
