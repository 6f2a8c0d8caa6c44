#!/bin/bash
# test-realkernel.sh CONFORM BZIMAGE SYSTEM_MAP GUEST QMP_PY WORKDIR PROFILE SUMMARY
#
# Producer side of "real Linux end to end": a real Linux kernel writes the
# handover state, and luo-conform checks it against PROFILE.  One boot per
# luo-guest scenario (RK_SETS, default "basic chains"):
#   basic   4 sessions (one empty), 6 memfds: empty, small, 3 MiB, sealed;
#   chains  64 sessions (20 empty, one with a 63-byte name), one session
#           of 70 memfds, a 64 MiB memfd, a 16 MiB sparse memfd, an
#           all-hole memfd, empty and sealed memfds (every seal).
# Per scenario:
#   1. QEMU (TCG) boots BZIMAGE halted under its gdbstub; gdb puts a
#      hardware breakpoint on machine_kexec (System.map; nokaslr);
#   2. the guest preserves the scenario, prints what it preserved
#      (RK-PRESERVED, one RK-EXPECT line per session) and kexecs; at the
#      breakpoint QMP dump-guest-memory writes physical memory to a file;
#   3. luo-conform capture makes a state image; luo-conform check must find
#      it conformant to PROFILE and its decoded state must equal RK-EXPECT
#      (names, tokens, handler, size, pos, seals, sha256 of the contents);
#      for "chains", both the session chain and a file chain must be longer
#      than one block;
#   4. gdb detaches, the new kernel boots and the guest retrieves and
#      verifies everything (RK OK / RK FAIL, RK-DONE);
#   5. the root the capture found by scanning must be the address the new
#      kernel got in boot setup_data type 10 (RK-KHO-SETUP).
# Last, SUMMARY (json) gets the figures.  Prints KTAP; run-tap.sh adds the
# RESULT line.
set -uo pipefail

conform=$1 bzimage=$2 sysmap=$3 guest=$4 qmp=$5 work=$6 profile=$7 summary=$8
here=$(cd "$(dirname "$0")" && pwd)
sets=${RK_SETS:-basic chains}
rm -rf "$work" && mkdir -p "$work"
cmdline_common="console=ttyS0 kho=on liveupdate=on nokaslr panic=-1"
# How many test lines a scenario prints.
set_tests() { if [ "$1" = chains ]; then echo 9; else echo 8; fi; }
ntests=2
for s in $sets; do ntests=$((ntests + $(set_tests "$s"))); done
n=0 failed=0 qemu_pid= rundir=$work

ok() { n=$((n + 1)); echo "ok $n $1"; }
not_ok() {
	n=$((n + 1)); failed=1; echo "not ok $n $1"
	shift
	for f in "$@"; do [ -f "$f" ] && tail -25 "$f" | sed 's/^/# /'; done
}
# Ends the scenario early: the test lines it did not reach fail.
skip_to() {
	while [ $n -lt "$1" ]; do n=$((n + 1)); failed=1; echo "not ok $n $2 # not reached"; done
}
# The guest halts at the end (tinyconfig has no ACPI power-off): QMP quit,
# which QEMU may drop when the client hangs up first; then a signal.
stop_qemu() {
	if [ -n "$qemu_pid" ] && kill -0 "$qemu_pid" 2>/dev/null; then
		/usr/bin/python3 "$qmp" "$rundir/qmp.sock" quit >/dev/null 2>&1
		for _ in $(seq 25); do kill -0 "$qemu_pid" 2>/dev/null || break; sleep 0.2; done
		kill "$qemu_pid" 2>/dev/null
	fi
	[ -n "$qemu_pid" ] && wait "$qemu_pid" 2>/dev/null
	qemu_pid=
	rm -f "$rundir/dump.elf"
}
trap stop_qemu EXIT

echo "KTAP version 1"
echo "1..$ntests"

if "$here/make-initramfs.sh" "$work/initrd" "$guest" "$bzimage" \
	"$cmdline_common rkmode=retrieve" >"$work/initramfs.log" 2>&1; then
	ok "initramfs built (busybox-static, luo-guest, bzImage for kexec)"
else
	not_ok "initramfs built" "$work/initramfs.log"
fi
addr=$(awk '$3 == "machine_kexec" { print "0x" $1 }' "$sysmap")

# run_set SET: one boot, capture and retrieval; appends its figures to
# $work/figures.jsonl.
run_set() {
	local set=$1 end=$((n + $(set_tests "$1")))
	local log started conformant=0 equal=0 rk_ok=0 rk_fail=0 rk_note=0 sessions=0 files=0
	rundir=$work/$set log=$work/$set/console.log started=$SECONDS
	mkdir -p "$rundir"
	if [ ! -f "$work/initrd/outer.cpio.gz" ]; then skip_to "$end" "$set"; return; fi

	timeout 600 qemu-system-x86_64 -accel tcg -m 1G -nographic -no-reboot \
		-kernel "$bzimage" -initrd "$work/initrd/outer.cpio.gz" \
		-append "$cmdline_common rkmode=preserve rkset=$set" \
		-serial "file:$log" -monitor none \
		-gdb "unix:$rundir/gdb.sock,server=on,wait=off" -S \
		-qmp "unix:$rundir/qmp.sock,server=on,wait=off" \
		>"$rundir/qemu.log" 2>&1 &
	qemu_pid=$!
	for _ in $(seq 50); do [ -S "$rundir/qmp.sock" ] && [ -S "$rundir/gdb.sock" ] && break; sleep 0.1; done

	# The gdbstub listens on a unix socket: a TCP port (-s) may be taken by
	# another QEMU on the machine, and gdb would then drive that one.  gdb
	# stops at the breakpoint and, while the machine is halted there, runs
	# the QMP dump; then detaches and the machine goes on into the new kernel.
	timeout 400 gdb -q -batch -nx \
		-ex 'set architecture i386:x86-64' \
		-ex "target remote $rundir/gdb.sock" \
		-ex "hbreak *$addr" \
		-ex 'continue' \
		-ex 'printf "RK-GDB-STOP pc=%#lx\n", $pc' \
		-ex "shell /usr/bin/python3 '$qmp' '$rundir/qmp.sock' dump '$rundir/dump.elf' && echo RK-DUMP-DONE" \
		-ex 'delete' \
		-ex 'detach' >"$rundir/gdb.log" 2>&1
	local preserved
	preserved=$(grep -a '^RK-PRESERVED' "$log" | tr -d '\r' | tail -1)
	if grep -q "RK-GDB-STOP pc=$addr" "$rundir/gdb.log" && [ -n "$preserved" ]; then
		ok "$set: guest preserved its state and stopped at machine_kexec ($addr): ${preserved#RK-PRESERVED }"
		sessions=$(echo "$preserved" | sed 's/.*sessions=\([0-9]*\).*/\1/')
		files=$(echo "$preserved" | sed 's/.*files=\([0-9]*\).*/\1/')
	else
		not_ok "$set: guest preserved its state and stopped at machine_kexec ($addr)" "$rundir/gdb.log" "$log"
		stop_qemu; skip_to "$end" "$set"; return
	fi
	if grep -q RK-DUMP-DONE "$rundir/gdb.log" && [ -s "$rundir/dump.elf" ]; then
		ok "$set: QMP dump-guest-memory at the handover point"
	else
		not_ok "$set: QMP dump-guest-memory at the handover point" "$rundir/gdb.log"
		stop_qemu; skip_to "$end" "$set"; return
	fi

	# The dump is as big as the guest's RAM: capture it, then delete it.
	if "$conform" capture --page-size 4096 -o "$rundir/state.img" "$rundir/dump.elf" \
		>"$rundir/capture.log" 2>&1; then
		ok "$set: luo-conform capture:$(sed -n '1s/^[^:]*://p' "$rundir/capture.log");$(sed -n 's/^[^:]*: kept/ kept/p' "$rundir/capture.log")"
	else
		not_ok "$set: luo-conform capture" "$rundir/capture.log"
		stop_qemu; skip_to "$end" "$set"; return
	fi
	rm -f "$rundir/dump.elf"

	"$conform" check --format=json --state --profile "$profile" "$rundir/state.img" \
		>"$rundir/check.json" 2>"$rundir/check.err"
	if [ "$(jq -r '.images[0].verdict' "$rundir/check.json" 2>/dev/null)" = conformant ]; then
		conformant=1
		ok "$set: real state is conformant to $profile ($(jq -r '.images[0].counts | "\(.sessions) sessions, \(.files) files, \(.folios) folios"' "$rundir/check.json"))"
	else
		not_ok "$set: real state is conformant to $profile" "$rundir/check.json" "$rundir/check.err"
	fi

	# The decoded state, reduced to what the guest knows, must equal RK-EXPECT.
	if /usr/bin/python3 "$here/compare-state.py" state "$rundir/check.json" "$log" \
		"$profile" >"$rundir/compare.log" 2>&1; then
		equal=1
		ok "$set: decoded state equals what the guest preserved: $(tail -1 "$rundir/compare.log")"
	else
		not_ok "$set: decoded state equals what the guest preserved" "$rundir/compare.log"
	fi

	if [ "$set" = chains ]; then
		/usr/bin/python3 "$here/compare-state.py" chains "$rundir/check.json" \
			"$profile" rk-files >"$rundir/chains.log" 2>&1
		case $? in
		0) ok "$set: chains longer than one block: $(tail -1 "$rundir/chains.log")" ;;
		77) ok "$set: chains longer than one block # SKIP $(tail -1 "$rundir/chains.log")" ;;
		*) not_ok "$set: chains longer than one block" "$rundir/chains.log" ;;
		esac
	fi

	# The new kernel retrieves, then powers off.
	for _ in $(seq 1500); do grep -aq '^RK-DONE' "$log" && break
		kill -0 "$qemu_pid" 2>/dev/null || break; sleep 0.2; done
	if grep -aq 'luo: Retrieved live update data\|KHO: found kexec handover data' "$log"; then
		ok "$set: new kernel found the handover data"
	else
		not_ok "$set: new kernel found the handover data" "$log"
	fi
	local done_line
	done_line=$(grep -a '^RK-DONE' "$log" | tr -d '\r' | tail -1)
	if [ -n "$done_line" ]; then
		rk_ok=$(echo "$done_line" | sed 's/.*ok=\([0-9]*\).*/\1/')
		rk_fail=$(echo "$done_line" | sed 's/.*fail=\([0-9]*\).*/\1/')
		rk_note=$(echo "$done_line" | sed -n 's/.*note=\([0-9]*\).*/\1/p')
	fi
	if [ -n "$done_line" ] && [ "$rk_fail" = 0 ] && ! grep -aq '^RK FAIL' "$log"; then
		ok "$set: new kernel retrieved every session and memfd intact: ${done_line#RK-DONE }"
		grep -a '^RK NOTE' "$log" | tr -d '\r' | sed 's/^/# /'
	else
		[ -n "$done_line" ] || rk_fail=$((files + sessions))
		not_ok "$set: new kernel retrieved every session and memfd intact" "$log"
		grep -a '^RK FAIL' "$log" | head -10 | sed 's/^/# /'
	fi

	# The root the capture found must be the one the new kernel was given
	# (setup_data type 10, read from /sys/kernel/boot_params in the guest).
	local setup found
	setup=$(sed -n 's/^RK-KHO-SETUP fdt_addr=\(0x[0-9a-f]*\).*/\1/p' "$log" | tr -d '\r' | tail -1)
	found=$(sed -n '1s/.*KHO root at \(0x[0-9a-f]*\).*/\1/p' "$rundir/capture.log")
	if [ -n "$setup" ] && [ -n "$found" ] && [ $((setup)) -eq $((found)) ]; then
		ok "$set: captured KHO root $found is the new kernel's setup_data type 10 root"
	else
		not_ok "$set: captured KHO root ${found:-?} is the new kernel's setup_data type 10 root (${setup:-none})" "$log"
	fi
	stop_qemu

	local bytes=0 largest=0
	if [ -s "$rundir/check.json" ]; then
		bytes=$(jq '[.images[0].state.sessions[].files[].memfd.size // 0] | add // 0' "$rundir/check.json" 2>/dev/null || echo 0)
		largest=$(jq '[.images[0].state.sessions[].files[].memfd.size // 0] | max // 0' "$rundir/check.json" 2>/dev/null || echo 0)
	fi
	jq -cn --arg name "$set" --argjson sessions "${sessions:-0}" --argjson files "${files:-0}" \
		--argjson conformant "$conformant" --argjson equal "$equal" \
		--argjson ok "${rk_ok:-0}" --argjson fail "${rk_fail:-0}" --argjson note "${rk_note:-0}" \
		--argjson bytes "$bytes" --argjson largest "$largest" \
		--argjson seconds $((SECONDS - started)) \
		--arg chains "$(tail -1 "$rundir/chains.log" 2>/dev/null)" \
		'{name: $name, sessions: $sessions, files: $files, memfd_bytes: $bytes,
		  largest_memfd: $largest, conformant: ($conformant == 1),
		  equal: ($equal == 1), retrieved_ok: $ok, retrieved_fail: $fail,
		  retrieved_notes: $note,
		  seconds: $seconds} + (if $chains == "" then {} else {chains: $chains} end)' \
		>>"$work/figures.jsonl"
}

for s in $sets; do run_set "$s"; done

# The kernel that ran, as its banner says.
kernel=$(grep -ah -o 'Linux version [^ ]*' "$work"/*/console.log 2>/dev/null | head -1 | cut -d' ' -f3)
touch "$work/figures.jsonl"
if jq -s --arg kernel "${kernel:-unknown}" --arg profile "$profile" \
	'{kernel: $kernel, profile: $profile, states: length,
	  conformant: (map(select(.conformant)) | length),
	  equal: (map(select(.equal)) | length),
	  sessions: (map(.sessions) | add // 0), files: (map(.files) | add // 0),
	  retrieved_ok: (map(.retrieved_ok) | add // 0),
	  retrieved_fail: (map(.retrieved_fail) | add // 0),
	  retrieved_notes: (map(.retrieved_notes) | add // 0),
	  scenarios: .}' "$work/figures.jsonl" >"$summary.tmp" &&
   [ "$(jq .states "$summary.tmp")" -gt 0 ] && mv "$summary.tmp" "$summary"; then
	ok "producer summary $(basename "$summary"): $(jq -c 'del(.scenarios)' "$summary")"
else
	not_ok "producer summary $(basename "$summary")"
fi
exit $failed
