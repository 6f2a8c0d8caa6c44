#!/bin/bash
# make-initramfs.sh DIR GUEST BZIMAGE KEXEC_CMDLINE
#
# DIR/inner.cpio.gz: busybox-static, luo-guest and /init; the initramfs of
# the kexec'd kernel.  DIR/outer.cpio.gz: the same plus /bzImage and
# /inner.cpio.gz, which the first kernel's guest hands to kexec_file_load.
# /init picks the mode and the luo-guest scenario from the command line
# (rkmode=preserve|retrieve, rkset=basic|chains); the kexec'd kernel gets
# KEXEC_CMDLINE plus the same rkset.
set -euo pipefail

dir=$(realpath -m "$1") guest=$2 bzimage=$3 kcmd=$4
busybox=/bin/busybox
file "$(readlink -f $busybox)" 2>/dev/null | grep -q 'statically linked' ||
	{ echo "make-initramfs: $busybox is not static (install busybox-static)"; exit 1; }

rm -rf "$dir" && mkdir -p "$dir/root/bin" "$dir/root/dev" "$dir/root/proc" \
	"$dir/root/sys" "$dir/root/tmp"
cp "$busybox" "$dir/root/bin/busybox"
cp "$guest" "$dir/root/bin/luo-guest"
cat > "$dir/root/init" <<INIT
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
rkset=\$(sed -n 's/.* rkset=\([a-z]*\).*/\1/p' /proc/cmdline)
case " \$(cat /proc/cmdline) " in
*" rkmode=preserve "*)
	/bin/luo-guest preserve "\$rkset" /bzImage /inner.cpio.gz "$kcmd rkset=\$rkset"
	echo "RK-KEXEC-FAILED" ;;
*" rkmode=retrieve "*)
	# x86: the KHO root came in through setup_data type 10 (0xa); its
	# first u64 is the root FDT's physical address.
	for d in /sys/kernel/boot_params/setup_data/*; do
		[ "\$(cat \$d/type 2>/dev/null)" = 0xa ] &&
			echo "RK-KHO-SETUP fdt_addr=0x\$(od -A n -t x8 -N 8 \$d/data | tr -d ' ')"
	done
	/bin/luo-guest retrieve "\$rkset" ;;
esac
echo "RK-INIT-END"
poweroff -f
INIT
chmod +x "$dir/root/init"
mkcpio() { (cd "$dir/root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0 | gzip -1) > "$1"; }
mkcpio "$dir/inner.cpio.gz"
cp "$bzimage" "$dir/root/bzImage"
cp "$dir/inner.cpio.gz" "$dir/root/inner.cpio.gz"
mkcpio "$dir/outer.cpio.gz"
rm -rf "$dir/root"
