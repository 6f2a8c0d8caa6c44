#!/bin/bash
# run-vector.sh KERNELS GUEST LUO_CONFORM MANIFEST VECTOR_ID OUTDIR
#
# Boots KERNELS/VARIANT/Image (arm64, QEMU virt, TCG) once with the state image
# of VECTOR_ID (vectors/<id>/<name>.img) handed over as an incoming KHO
# state, without a kexec:
#   * every PT_LOAD segment of the image is placed at its physical address
#     with QEMU's generic loader (-device loader,...,force-raw=on);
#   * a scratch array ({u64 addr; u64 size} little-endian, one entry) is
#     loaded at LC_SCRATCH_ARRAY; it names LC_SCRATCH_ADDR/LC_SCRATCH_SIZE,
#     the only memory the kernel may allocate from before it has read the
#     preserved-memory map;
#   * /chosen of the machine's DTB gets linux,kho-fdt (the image note's KHO
#     root) and linux,kho-scratch (the array), two address and two size cells;
#   * the initramfs holds only GUEST (luo-consume) as /init and /expect.
# VARIANT is the writer's geometry from the image note and ELF header:
# le4k, le16k, le64k, be4k, ...: the manifest's outcome is that of a kernel
# like the writer.  Without KERNELS/VARIANT/Image the vector is booted on
# KERNELS/le4k and the report says "le4k (writer: VARIANT)".
# OUTDIR gets console.log (the serial console), qemu.rc, plan.json (from
# prepare-vector.py) and time (seconds of the boot).
#
# Machine layout (1 GiB of RAM at 0x40000000): QEMU's boot stub, the kernel
# and its BSS, the initrd (0x48000000) and the DTB after it lie in
# 0x40000000..0x4c000000; the scratch array at 0x4ff00000; the scratch area
# 0x60000000..0x80000000.  Vector pages must avoid these ranges
# (prepare-vector.py refuses a vector that does not).
set -euo pipefail

kroot=$(realpath "$1") guest=$(realpath "$2") conform=$(realpath "$3")
manifest=$(realpath "$4") vid=$5 out=$(realpath -m "$6")
here=$(dirname "$(realpath "$0")")
timeout_s=${LC_TIMEOUT:-60}
scratch_array=0x4ff00000
scratch_addr=${LC_SCRATCH_ADDR:-0x60000000}
scratch_size=${LC_SCRATCH_SIZE:-0x20000000}
mem=1G
cpu=${LC_CPU:-max,pauth=off}
export LC_RESERVED="0x40000000:0x4c000000,$scratch_array:$((scratch_array + 0x1000)),$scratch_addr:$((scratch_addr + scratch_size))"

name=${vid##*/}
image=$(dirname "$manifest")/${vid%%/*}/$name/$name.img
rm -rf "$out" && mkdir -p "$out"
"$conform" check --format=json --state "$image" > "$out/check.json" 2>/dev/null || true
if ! "$here"/prepare-vector.py "$image" "$vid" "$manifest" "$out/check.json" "$out" \
		> "$out/prepare.log" 2>&1; then
	cat "$out/prepare.log" >&2
	echo 255 > "$out/qemu.rc"
	exit 0
fi
root=$(sed -n 's/.*kho_root=\(0x[0-9a-f]*\) kho_root_size=\(0x[0-9a-f]*\).*/\1/p' "$out/prepare.log")
root_size=$(sed -n 's/.*kho_root_size=\(0x[0-9a-f]*\).*/\1/p' "$out/prepare.log")
psize=$(sed -n 's/.*page_size=\([0-9]*\).*/\1/p' "$out/prepare.log")
order=$(sed -n 's/.*byteorder=\([a-z]*\).*/\1/p' "$out/prepare.log")
variant=$([ "$order" = big ] && echo be || echo le)$((psize / 1024))k
kdir=$kroot/$variant
echo "$variant" > "$out/variant"
if [ ! -f "$kdir/Image" ]; then
	# No kernel of the writer's geometry: boot the le4k one anyway, so that
	# every vector is booted; the report names both geometries.
	[ -f "$kroot/le4k/Image" ] || { echo 254 > "$out/qemu.rc"; exit 0; }
	kdir=$kroot/le4k
	echo "le4k (writer: $variant)" > "$out/variant"
fi

# The scratch array: one little-endian {addr, size}.
le64() { printf '%016x' "$1" | sed 's/../& /g' | awk '{for (i = 8; i >= 1; i--) printf "\\x%s", $i}'; }
printf "$(le64 "$scratch_addr")$(le64 "$scratch_size")" > "$out/scratch.bin"

# The DTB: QEMU's own for this machine, repacked (a dumpdtb blob is padded,
# and QEMU would grow it past 2 MiB), with the two /chosen properties.
base=$kdir/virt-$mem.dtb
if [ ! -f "$base" ]; then
	qemu-system-aarch64 -M virt,dumpdtb="$base.raw" -cpu "$cpu" -m $mem -smp 1 \
		-display none >/dev/null 2>&1
	dtc -q -I dtb -O dtb -o "$base" "$base.raw" && rm -f "$base.raw"
fi
cells() { printf '%d %d' $(($1 >> 32)) $(($1 & 0xffffffff)); }
cp "$base" "$out/machine.dtb"
fdtput -t u "$out/machine.dtb" /chosen linux,kho-fdt $(cells "$root") $(cells "$root_size")
fdtput -t u "$out/machine.dtb" /chosen linux,kho-scratch $(cells $scratch_array) $(cells 16)

# The initramfs: /init and /expect, nothing else (the kernel's built-in
# initramfs already provides /dev/console).
mkdir -p "$out/root"
# A big-endian kernel needs a big-endian guest: KERNELS/VARIANT/luo-consume
# when there is one.
[ -x "$kdir/luo-consume" ] && guest=$kdir/luo-consume
cp "$guest" "$out/root/init"
cp "$out/expect" "$out/root/expect"
(cd "$out/root" && printf '%s\n' init expect |
	cpio -o -H newc --quiet -R 0:0) > "$out/initrd.cpio"
rm -rf "$out/root"

mapfile -t loaders < "$out/loader.args"
start=$(date +%s.%N)
set +e
timeout "$timeout_s" qemu-system-aarch64 -M virt -cpu "$cpu" -accel tcg -m $mem -smp 1 \
	-display none -monitor none -serial file:"$out/console.log" -no-reboot \
	-kernel "$kdir/Image" -initrd "$out/initrd.cpio" -dtb "$out/machine.dtb" \
	-append "console=ttyAMA0 earlycon kho=on liveupdate=on panic=-1 loglevel=7" \
	"${loaders[@]}" \
	-device loader,file="$out/scratch.bin",addr=$scratch_array,force-raw=on \
	> "$out/qemu.log" 2>&1
echo $? > "$out/qemu.rc"
set -e
echo "$(date +%s.%N) - $start" | bc > "$out/time"
rm -f "$out"/seg-*.bin "$out/initrd.cpio"
