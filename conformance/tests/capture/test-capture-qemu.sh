#!/bin/bash
# test-capture-qemu.sh LUO_CONFORM LUO_MKIMAGE GUEST_LOAD VMLINUZ WORKDIR
#
# The capture round trip on a real machine's memory: a Debian kernel boots
# under QEMU (TCG) with 1.5 GiB of RAM, of which 0x50000000-0x580fffff is
# kept from the kernel (memmap=...$...; /dev/mem may write there despite
# STRICT_DEVMEM because it is not System RAM).  For each round the guest's
# /init zeroes that range, writes one golden vector's memory at the
# vector's own physical addresses (guest_load), says READY on the console
# and waits; the host dumps the guest's memory over QMP
# (dump-guest-memory: the whole RAM for round 1, the reserved range for the
# others), runs "luo-conform capture" on the dump, and lets the guest go on.
#
# Each round passes when capture locates the KHO root the expected way
# (FDT scan, x86 setup_data type 10 found by scanning or given by
# --boot-params, or --kho-root), the captured image is byte-identical to
# the vector (the writer is deterministic and the vectors hold exactly the
# pages the checker reads), and "luo-conform check" reports the same for
# both.  Round 0 has no state: capture must refuse it.  Prints TAP.
set -u
conform=$1 mkimage=$2 guest_load=$3 vmlinuz=$4 work=$5
here=$(dirname "$0")
. "$here/capture-lib.sh"

RESV=0x50000000 RESV_LEN=0x8100000	# reserved for the state: 129 MiB
BP=0x57f00000 SD=0x57f01000		# a boot_params page and its setup_data
MEM=1536				# MiB of guest RAM: above 0x580fffff

# round: vector | boot_params in RAM (bp) | dump (full/range) | capture options | expected "how"
rounds=(
	"-|-|range|--page-size 4096|refused"
	"v7.0/one-memfd|-|full||page-aligned FDT with root compatible \"kho-v1\" (found by scanning"
	"v7.1/multi|bp|range||setup_data type 10 (SETUP_KEXEC_KHO) at $SD, chain of boot_params at $BP (found by scanning"
	"v7.0/unpreserved-folio|-|range|--kho-root $RESV|given (--kho-root)"
	"v6.19/sess-dup-names|bp|range|--boot-params $BP|setup_data type 10 (SETUP_KEXEC_KHO) at $SD, chain of boot_params at $BP"
	"v7.1/page-16k|-|range||page-aligned FDT with root compatible \"kho-v3\" (found by scanning"
	"v7.1/radix-loop|-|range||page-aligned FDT with root compatible \"kho-v3\" (found by scanning"
	"series-v6/one-memfd|bp|range||setup_data type 10 (SETUP_KEXEC_KHO) at $SD"
)

rm -rf "$work"
mkdir -p "$work/root/bin" "$work/root/p"
cp /bin/busybox "$work/root/bin/busybox"
cp "$guest_load" "$work/root/guest_load"

le() {	# le BYTES VALUE: VALUE as BYTES little-endian bytes
	local i
	for ((i = 0; i < $1; i++)); do printf "\\x$(printf %02x $(( ($2 >> (8 * i)) & 255 )))"; done
}
# boot_params: "HdrS" at 0x202, protocol 2.15 at 0x206, setup_data at 0x250;
# then struct setup_data {next 0, type 10, len 32, kho_data {fdt_addr,
# fdt_size, scratch_addr, scratch_size}} naming the vectors' root.
{ head -c $((0x202)) /dev/zero; printf HdrS; le 2 0x020f; head -c $((0x250 - 0x208)) /dev/zero
  le 8 $SD; head -c $((4096 - 0x258)) /dev/zero; } > "$work/bp.bin"
{ le 8 0; le 4 10; le 4 32; le 8 $RESV; le 8 4096; le 8 0; le 8 0; } > "$work/sd.bin"
"$mkimage" --no-note --seg "$BP=$work/bp.bin" --seg "$SD=$work/sd.bin" -o "$work/bp.img" || exit 1

# Each image gets one byte in front (see guest_load.c): no page-aligned copy.
for r in "${!rounds[@]}"; do
	IFS='|' read -r vec bp _ <<< "${rounds[$r]}"
	mkdir -p "$work/root/p/$r"
	[ "$vec" != - ] && { printf '\0'; cat "vectors/$vec/${vec#*/}.img"; } > "$work/root/p/$r/state"
	[ "$bp" = bp ] && { printf '\0'; cat "$work/bp.img"; } > "$work/root/p/$r/bp"
done
cat > "$work/root/init" <<INIT
#!/bin/busybox sh
/bin/busybox mkdir -p /proc /dev
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t devtmpfs dev /dev
for r in $(seq -s ' ' 0 $((${#rounds[@]} - 1))); do
	ok=1
	/guest_load -z $RESV $RESV_LEN || ok=0
	for f in /p/\$r/*; do [ ! -e "\$f" ] || /guest_load "\$f" || ok=0; done
	[ \$ok = 1 ] && echo "LUOC-READY \$r"
	read -r go
done
/bin/busybox poweroff -f
INIT
chmod +x "$work/root/init"
(cd "$work/root" && find . | busybox cpio -o -H newc 2>/dev/null | gzip -1) > "$work/initramfs.cpio.gz"

mkfifo "$work/in"
timeout 300 qemu-system-x86_64 -accel tcg -nographic -no-reboot -m $MEM \
	-kernel "$vmlinuz" -initrd "$work/initramfs.cpio.gz" \
	-append "console=ttyS0 panic=-1 memmap=$((RESV_LEN >> 20))M\$$RESV" \
	-qmp "unix:$work/qmp.sock,server=on,wait=off" < "$work/in" > "$work/console.log" 2>&1 &
qpid=$!
exec 3> "$work/in"

t=0
result() {	# result STATUS DESCRIPTION [DETAIL-FILE]: status 0 passes
	t=$((t + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $t - $2"
	else
		echo "not ok $t - $2"
		[ -n "${3:-}" ] && [ -f "$3" ] && sed 's/^/# /' "$3" | head -30
	fi
}
ready() {	# ready ROUND: wait for the guest (at most 120 s)
	local i
	for ((i = 0; i < 1200; i++)); do
		grep -q "LUOC-READY $1" "$work/console.log" 2>/dev/null && return 0
		kill -0 $qpid 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

echo "1..$((3 * ${#rounds[@]} - 1))"
for r in "${!rounds[@]}"; do
	IFS='|' read -r vec bp dump opts how <<< "${rounds[$r]}"
	d="$work/r$r"
	mkdir -p "$d"
	if ! ready $r; then
		tail -20 "$work/console.log" > "$d/console.tail"
		result 1 "round $r ($vec): the guest did not get ready" "$d/console.tail"
		if [ "$vec" != - ]; then
			result 1 "round $r ($vec): not captured"
			result 1 "round $r ($vec): not checked"
		fi
		continue
	fi
	start=$(date +%s%N)
	if [ "$dump" = full ]; then
		/usr/bin/python3 "$here/qmp.py" "$work/qmp.sock" dump "$d/dump.elf"
	else
		/usr/bin/python3 "$here/qmp.py" "$work/qmp.sock" dump "$d/dump.elf" $RESV $RESV_LEN
	fi > "$d/qmp.log" 2>&1
	dumped=$(stat -c %s "$d/dump.elf" 2>/dev/null || echo 0)
	dump_ms=$(( ($(date +%s%N) - start) / 1000000 ))
	args=""
	if [ "$vec" != - ]; then
		img="vectors/$vec/${vec#*/}.img"
		args=$(note_args "$img" | sed 's/--kho-root [^ ]* //')
	fi
	# shellcheck disable=SC2086
	"$conform" capture $args $opts -o "$d/captured.img" "$d/dump.elf" > "$d/capture.log" 2>&1
	rc=$?
	rm -f "$d/dump.elf"
	echo go >&3
	if [ "$vec" = - ]; then
		grep -q 'no KHO root found' "$d/capture.log"
		result $(( rc != 2 || $? )) "round $r: a dump without a state is refused (status $rc)" "$d/capture.log"
		continue
	fi
	grep -qF "KHO root at $RESV: $how" "$d/capture.log"
	result $(( rc != 0 || $? )) "round $r ($vec): $((dumped >> 20)) MiB dumped in ${dump_ms} ms, root located: ${how%% (*}" \
		"$d/capture.log"
	cmp "$img" "$d/captured.img" > "$d/cmp.log" 2>&1
	result $? "round $r ($vec): captured image byte-identical to the vector ($(stat -c %s "$d/captured.img" 2>/dev/null || echo no) bytes)" "$d/cmp.log"
	ktap_split "$img" "$d/orig"
	ktap_split "$d/captured.img" "$d/capt"
	diff -u "$d/orig/1" "$d/capt/1" > "$d/ktap.diff" 2>&1
	result $? "round $r ($vec): same findings: $(head -1 "$d/orig/1" 2>/dev/null | sed 's/^# //')" "$d/ktap.diff"
done
exec 3>&-
wait $qpid
qrc=$?
grep -q 'reboot: Power down' "$work/console.log"
result $(( qrc != 0 || $? )) "guest powered off (qemu status $qrc)" "$work/console.log"
