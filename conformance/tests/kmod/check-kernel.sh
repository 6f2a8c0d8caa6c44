#!/bin/bash
# check-kernel.sh KO VMLINUZ LUO_CONFORM WORKDIR IMAGE...
#
# The checker core in the kernel must say exactly what luo-conform says.
# Boots VMLINUZ under QEMU (TCG) with a small initramfs -- a static
# busybox, luoc.ko, and the IMAGEs (paths under vectors/) in /lib/firmware
# under their names relative to vectors/ -- whose /init loads the module
# with all of them and powers off.  The KTAP the module writes to the
# kernel log (console on ttyS0) is then compared, test by test, with
# "luo-conform check --format=ktap" run on the same files under the same
# names; only the printk prefix ("[ 1.234567] luoc: ") is removed.  Added
# to the vectors: a name that is not there (the load-failure path) and a
# few hostile cuts and patches of a vector (hostile/*: the module's own
# ELF reader must refuse them as the libelf one does, and not crash).
#
# Prints TAP; run-tap.sh adds the RESULT line.
set -u
ko=$1 vmlinuz=$2 conform=$3 work=$4
shift 4
missing=missing/not-there.img	# no such vector: both must say so

rm -rf "$work"
mkdir -p "$work/root/bin" "$work/root/lib/firmware"
cp /bin/busybox "$work/root/bin/busybox"
cp "$ko" "$work/root/luoc.ko"
fw=$work/root/lib/firmware
names=()
for img in "$@"; do
	rel=${img#vectors/}
	mkdir -p "$fw/$(dirname "$rel")"
	cp "$img" "$fw/$rel"
	names+=("$rel")
done

# hostile/NAME: a vector cut short or with one header field overwritten
patch() {	# patch NAME OFFSET HEXBYTES: a copy of the first image, patched
	cp "$1" "$fw/hostile/$2"
	printf "$4" | dd of="$fw/hostile/$2" bs=1 seek=$(($3)) conv=notrunc status=none
	names+=("hostile/$2")
}
cut() {		# cut NAME BYTES
	head -c "$3" "$1" > "$fw/hostile/$2"
	names+=("hostile/$2")
}
if [ $# -gt 0 ]; then
	mkdir -p "$fw/hostile"
	base=$1	# a little-endian vector with a note reads best when patched
	for img in "$@"; do case $img in */v7.0/one-memfd/*) base=$img ;; esac; done
	note=$(readelf -lW "$base" | awk '$1 == "NOTE" { print $2; exit }')
	cut "$base" empty.img 0
	cut "$base" ehdr-short.img 40
	cut "$base" phdrs-short.img 100
	cut "$base" load-short.img $(( $(stat -c %s "$base") / 2 ))
	patch "$base" phentsize.img 54 '\x20\x00'
	patch "$base" phoff-huge.img 32 '\x00\x00\x00\x00\x00\x00\x00\xff'
	patch "$base" phoff-zero.img 32 '\x00\x00\x00\x00\x00\x00\x00\x00'
	patch "$base" phnum-big.img 56 '\x00\x10'
	patch "$base" class-bad.img 4 '\x07'
	[ -n "$note" ] && patch "$base" note-descsz-huge.img $((note + 4)) '\x00\xff\xff\xff'
	[ -n "$note" ] && patch "$base" note-namesz-huge.img $((note)) '\xf0\xff\xff\x7f'
	[ -n "$note" ] && patch "$base" note-desc-short.img $((note + 4)) '\x10\x00\x00\x00'
fi
names+=("$missing")
printf '%s\n' "${names[@]}" > "$fw/luoc-index"

cat > "$work/root/init" <<INIT
#!/bin/busybox sh
/bin/busybox mount -t proc proc /proc 2>/dev/null || { /bin/busybox mkdir /proc; /bin/busybox mount -t proc proc /proc; }
echo LUOC-GUEST-START
/bin/busybox insmod /luoc.ko index=luoc-index
echo LUOC-GUEST-INSMOD rc=\$?
/bin/busybox rmmod luoc
echo LUOC-GUEST-DONE
/bin/busybox poweroff -f
INIT
chmod +x "$work/root/init"
(cd "$work/root" && find . | busybox cpio -o -H newc 2>/dev/null | gzip -1) > "$work/initramfs.cpio.gz"

start=$(date +%s%N)
timeout 120 qemu-system-x86_64 -accel tcg -nographic -no-reboot -m 512 \
	-kernel "$vmlinuz" -initrd "$work/initramfs.cpio.gz" \
	-append 'console=ttyS0 panic=-1' </dev/null >"$work/console.log" 2>&1
qrc=$?
ms=$(( ($(date +%s%N) - start) / 1000000 ))
tr -d '\r' < "$work/console.log" > "$work/console.txt"

# The module's lines, from its KTAP header to its totals.
sed -n 's/^\[ *[0-9]*\.[0-9]*\] luoc: //p' "$work/console.txt" |
	sed -n '/^KTAP version 1$/,/^# Totals:/p' > "$work/kernel.ktap"
(cd "$fw" && "$conform" check --format=ktap "${names[@]}") > "$work/user.ktap" 2>/dev/null

# Split a KTAP document into one file per test (its "# " lines and result).
split_tests() {
	awk -v dir="$2" '
		NR <= 2 { print > (dir "/head"); next }
		/^# Totals:/ { print > (dir "/totals"); next }
		{ buf = buf $0 "\n" }
		/^(not )?ok [0-9]+ / { n++; printf "%s", buf > (dir "/" n); close(dir "/" n); buf = "" }
	' "$1"
}
mkdir -p "$work/k" "$work/u"
split_tests "$work/kernel.ktap" "$work/k"
split_tests "$work/user.ktap" "$work/u"

t=0
result() {	# result STATUS DESCRIPTION [DETAIL-FILE]: status 0 passes
	t=$((t + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $t - $2"
	else
		echo "not ok $t - $2"
		[ -n "${3:-}" ] && sed 's/^/# /' "$3" | head -40
	fi
}
same() {	# same NAME: the kernel's part NAME equals the userspace one
	diff -u "$work/u/$1" "$work/k/$1" > "$work/$1.diff" 2>&1
}

echo "1..$((${#names[@]} + 3))"
booted=1
grep -q 'LUOC-GUEST-INSMOD rc=0' "$work/console.txt" && grep -q LUOC-GUEST-DONE "$work/console.txt" &&
	[ $qrc -eq 0 ] && booted=0
tail -30 "$work/console.txt" > "$work/console.tail"
echo "(full log: $work/console.txt)" >> "$work/console.tail"
result $booted "guest booted, loaded luoc.ko and powered off in $((ms / 1000)).$((ms % 1000 / 100))s (qemu status $qrc)" \
	"$work/console.tail"
same head
result $? "KTAP header and plan identical (1..${#names[@]})" "$work/head.diff"
for i in $(seq 1 ${#names[@]}); do
	same "$i"
	result $? "${names[$((i - 1))]}: kernel findings identical" "$work/$i.diff"
done
same totals
result $? "totals identical: $(cat "$work/u/totals" 2>/dev/null)" "$work/totals.diff"
