#!/bin/bash
# test-realkernel.sh CONFORM BZIMAGE SYSTEM_MAP GUEST QMP_PY WORKDIR
#
# Producer side of "real Linux end to end": a real Linux 7.2 kernel writes
# the handover state, and luo-conform checks it.
#   1. initramfs: busybox-static, GUEST (luo-guest), BZIMAGE and a second,
#      smaller initramfs for the kexec'd kernel;
#   2. QEMU (TCG) boots BZIMAGE halted under its gdbstub; gdb puts a
#      hardware breakpoint on machine_kexec (System.map; nokaslr);
#   3. the guest preserves sessions and memfds, prints the expected state
#      (RK-EXPECT) and kexecs; at the breakpoint QMP dump-guest-memory
#      writes physical memory to an ELF file;
#   4. luo-conform capture makes a state image, luo-conform check must
#      find it conformant to v7.2 and its decoded state must equal RK-EXPECT;
#   5. gdb detaches, the new kernel boots and the guest retrieves and
#      verifies everything (RK OK / RK FAIL, RK-DONE);
#   6. the root the capture found by scanning must be the address the new
#      kernel got in boot setup_data type 10 (RK-KHO-SETUP).
# Prints KTAP; run-tap.sh adds the RESULT line.
set -uo pipefail

conform=$1 bzimage=$2 sysmap=$3 guest=$4 qmp=$5 work=$6
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$work" && mkdir -p "$work"
log=$work/console.log
ntests=9 n=0 failed=0

ok() { n=$((n + 1)); echo "ok $n $1"; }
not_ok() {
	n=$((n + 1)); failed=1; echo "not ok $n $1"
	shift
	for f in "$@"; do [ -f "$f" ] && tail -25 "$f" | sed 's/^/# /'; done
}
skip_rest() {
	while [ $n -lt $ntests ]; do n=$((n + 1)); echo "not ok $n $1 # not reached"; done
	
# The root the capture found must be the one the new kernel was given
# (setup_data type 10, read from /sys/kernel/boot_params in the guest).
setup=$(sed -n 's/^RK-KHO-SETUP fdt_addr=\(0x[0-9a-f]*\).*/\1/p' "$log" | tr -d '\r' | tail -1)
found=$(sed -n '1s/.*KHO root at \(0x[0-9a-f]*\).*/\1/p' "$work/capture.log")
if [ -n "$setup" ] && [ -n "$found" ] && [ $((setup)) -eq $((found)) ]; then
	ok "captured KHO root $found is the new kernel's setup_data type 10 root"
else
	not_ok "captured KHO root ${found:-?} is the new kernel's setup_data type 10 root (${setup:-none})" "$log"
fi
finish
}
qemu_pid=
finish() {
	if [ -n "$qemu_pid" ] && kill -0 "$qemu_pid" 2>/dev/null; then
		/usr/bin/python3 "$qmp" "$work/qmp.sock" quit >/dev/null 2>&1 || kill "$qemu_pid"
		wait "$qemu_pid" 2>/dev/null
	fi
	rm -f "$work/dump.elf"
	exit $failed
}

echo "KTAP version 1"
echo "1..$ntests"

# 1. initramfs
cmdline_common="console=ttyS0 kho=on liveupdate=on nokaslr panic=-1"
if "$here/make-initramfs.sh" "$work/initrd" "$guest" "$bzimage" \
	"$cmdline_common rkmode=retrieve" >"$work/initramfs.log" 2>&1; then
	ok "initramfs built (busybox-static, luo-guest, bzImage for kexec)"
else
	not_ok "initramfs built" "$work/initramfs.log"; skip_rest "realkernel"
fi

# 2./3. boot halted, break on machine_kexec
addr=$(awk '$3 == "machine_kexec" { print "0x" $1 }' "$sysmap")
timeout 300 qemu-system-x86_64 -accel tcg -m 1G -nographic -no-reboot \
	-kernel "$bzimage" -initrd "$work/initrd/outer.cpio.gz" \
	-append "$cmdline_common rkmode=preserve" \
	-serial "file:$log" -monitor none \
	-gdb "unix:$work/gdb.sock,server=on,wait=off" -S -qmp "unix:$work/qmp.sock,server=on,wait=off" \
	>"$work/qemu.log" 2>&1 &
qemu_pid=$!
for _ in $(seq 50); do [ -S "$work/qmp.sock" ] && [ -S "$work/gdb.sock" ] && break; sleep 0.1; done

# The gdbstub listens on a unix socket: a TCP port (-s) may be taken by
# another QEMU on the machine, and gdb would then drive that one.
# gdb stops at the breakpoint and, while the machine is halted there, runs
# the QMP dump; then detaches and the machine goes on into the new kernel.
timeout 240 gdb -q -batch -nx \
	-ex 'set architecture i386:x86-64' \
	-ex "target remote $work/gdb.sock" \
	-ex "hbreak *$addr" \
	-ex 'continue' \
	-ex 'printf "RK-GDB-STOP pc=%#lx\n", $pc' \
	-ex "shell /usr/bin/python3 '$qmp' '$work/qmp.sock' dump '$work/dump.elf' && echo RK-DUMP-DONE" \
	-ex 'delete' \
	-ex 'detach' >"$work/gdb.log" 2>&1
expect=$(sed -n 's/^RK-EXPECT //p' "$log" | tr -d '\r' | tail -1)
if grep -q "RK-GDB-STOP pc=$addr" "$work/gdb.log" && [ -n "$expect" ]; then
	ok "guest preserved its state and stopped at machine_kexec ($addr)"
else
	not_ok "guest preserved its state and stopped at machine_kexec ($addr)" "$work/gdb.log" "$log"
	skip_rest "realkernel"
fi
if grep -q RK-DUMP-DONE "$work/gdb.log" && [ -s "$work/dump.elf" ]; then
	ok "QMP dump-guest-memory at the handover point"
else
	not_ok "QMP dump-guest-memory at the handover point" "$work/gdb.log"
	skip_rest "realkernel"
fi

# 4. capture and check (the dump is 1 GiB: capture it, then delete it)
if "$conform" capture --page-size 4096 -o "$work/state.img" "$work/dump.elf" \
	>"$work/capture.log" 2>&1; then
	ok "luo-conform capture:$(sed -n '1s/^[^:]*://p' "$work/capture.log")"
else
	not_ok "luo-conform capture" "$work/capture.log"; skip_rest "realkernel"
fi
rm -f "$work/dump.elf"

"$conform" check --format=json --state --profile v7.2 "$work/state.img" \
	>"$work/check.json" 2>"$work/check.err"
if [ "$(jq -r '.images[0].verdict' "$work/check.json")" = conformant ]; then
	ok "real 7.2 state is conformant to v7.2"
else
	not_ok "real 7.2 state is conformant to v7.2" "$work/check.json" "$work/check.err"
fi

# The decoded state, reduced to what the guest knows, must equal RK-EXPECT.
echo "$expect" > "$work/expect.json"
if /usr/bin/python3 "$here/compare-state.py" "$work/check.json" "$work/expect.json" \
	>"$work/compare.log" 2>&1; then
	ok "decoded state equals what the guest preserved: $(tail -1 "$work/compare.log")"
else
	not_ok "decoded state equals what the guest preserved" "$work/compare.log"
fi

# 5. the new kernel retrieves
for _ in $(seq 600); do grep -q '^RK-DONE' "$log" && break
	kill -0 "$qemu_pid" 2>/dev/null || break; sleep 0.2; done
if grep -q 'luo: Retrieved live update data\|KHO: found kexec handover data' "$log"; then
	ok "new kernel found the handover data"
else
	not_ok "new kernel found the handover data" "$log"
fi
done_line=$(grep '^RK-DONE' "$log" | tr -d '\r' | tail -1)
if [ -n "$done_line" ] && [ "$done_line" != "${done_line/fail=0/}" ] &&
   ! grep -q '^RK FAIL' "$log"; then
	ok "new kernel retrieved every session and memfd intact: ${done_line#RK-DONE }"
else
	not_ok "new kernel retrieved every session and memfd intact" "$log"
fi

# The root the capture found must be the one the new kernel was given
# (setup_data type 10, read from /sys/kernel/boot_params in the guest).
setup=$(sed -n 's/^RK-KHO-SETUP fdt_addr=\(0x[0-9a-f]*\).*/\1/p' "$log" | tr -d '\r' | tail -1)
found=$(sed -n '1s/.*KHO root at \(0x[0-9a-f]*\).*/\1/p' "$work/capture.log")
if [ -n "$setup" ] && [ -n "$found" ] && [ $((setup)) -eq $((found)) ]; then
	ok "captured KHO root $found is the new kernel's setup_data type 10 root"
else
	not_ok "captured KHO root ${found:-?} is the new kernel's setup_data type 10 root (${setup:-none})" "$log"
fi
finish
