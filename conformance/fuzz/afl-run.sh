#!/bin/bash
# afl-run.sh TARGET SECONDS [BUILDDIR] - run the AFL++ build of a fuzz target
# (make fuzz-afl) from its seeds (make fuzz-corpus) for SECONDS.  Findings go
# to BUILDDIR/fuzz/afl-out/TARGET (crashes/ holds crashers: replay them with
# the libFuzzer build, BUILDDIR/fuzz/bin/fuzz_TARGET FILE, and keep them under
# conformance/fuzz/regress/TARGET/).
set -eu
t=$1 secs=$2 B=${3:-build}
case $t in adapter) dict=json ;; *) dict=fdt ;; esac
out=$B/fuzz/afl-out/$t
mkdir -p "$out"
# AFL++ wants seeds of at most 1 MB; the state seeds are far smaller
AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 \
AFL_SKIP_BIN_CHECK=0 ASAN_OPTIONS=abort_on_error=1:symbolize=0:detect_leaks=0 \
	afl-fuzz -V "$secs" -m none -t 20000 -x "$B/fuzz/dict/$dict.dict" \
	-i "$B/fuzz/seed/$t" -o "$out" -- "$B/fuzz/afl/fuzz_$t"
echo "afl-run: $t: $(ls "$out"/default/crashes 2>/dev/null | grep -vc README || true) crashers in $out/default/crashes"
