#!/bin/bash
# build-arm64.sh OUTDIR VARIANT FRAGMENT...
#
# Builds an arm64 kernel Image for the real-kernel consumer test.
#
# Source tree: $KERNEL_SRC when set (any kernel tree; it is never written
# to: the build is out of tree, `make O=`, so the tree must be clean, i.e.
# without an in-tree .config/build); otherwise Debian's linux-source-7.2,
# taken from $RK_SOURCE_DEB when that file exists, or downloaded with a
# private apt configuration (the machine's apt setup is not touched) and
# extracted to OUTDIR/src.
#
# Object tree OUTDIR/obj-VARIANT: `make tinyconfig`, then every FRAGMENT
# merged in order, `make olddefconfig`, `make Image`.  Results:
# OUTDIR/VARIANT/{Image,System.map,config,kernelrelease,source} and
# OUTDIR/VARIANT/uapi/linux/liveupdate.h (the guest program's header).
# Reconfigures only when the fragments or the source tree changed.
set -euo pipefail

out=$(realpath -m "$1")
variant=$2
shift 2
frags=()
for f in "$@"; do frags+=("$(realpath "$f")"); done
pkg=linux-source-7.2
jobs=${RK_JOBS:-2}
kmake=(make ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-)


if [ -n "${KERNEL_SRC:-}" ]; then
	src=$(realpath "$KERNEL_SRC")
	[ -f "$src/Makefile" ] && [ -d "$src/kernel" ] ||
		{ echo "build-arm64: KERNEL_SRC=$KERNEL_SRC is not a kernel tree" >&2; exit 1; }
else
	src=$out/src/$pkg
	# .complete is written last: an interrupted extraction starts over.
	if [ ! -f "$out/src/.complete" ]; then
		deb=$("$(dirname "$0")/../fetch-source.sh" "$out/apt" "${RK_SOURCE_DEB:-}")
		echo "build-arm64: extracting $(basename "$deb")" >&2
		rm -rf "$out/src" && mkdir -p "$out/src/x"
		dpkg-deb --fsys-tarfile "$deb" |
			tar -x -C "$out/src/x" "./usr/src/$pkg.tar.xz"
		tar -xJf "$out/src/x/usr/src/$pkg.tar.xz" -C "$out/src"
		rm -rf "$out/src/x"
		touch "$out/src/.complete"
	fi
fi

obj=$out/obj-$variant
res=$out/$variant
mkdir -p "$obj" "$res"
# What the configuration was made from: the fragments and the tree.
stamp=$( { echo "$src"; grep -h '^\(# \)\?CONFIG_' "${frags[@]}"; } | sha256sum | cut -c1-64)
if [ ! -f "$obj/.config" ] || [ "$(cat "$obj/.cfgstamp" 2>/dev/null)" != "$stamp" ]; then
	"${kmake[@]}" -s -C "$src" O="$obj" tinyconfig >/dev/null
	"$src"/scripts/kconfig/merge_config.sh -m -O "$obj" "$obj/.config" "${frags[@]}" >/dev/null
	"${kmake[@]}" -s -C "$src" O="$obj" olddefconfig
	echo "$stamp" > "$obj/.cfgstamp"
fi
# Every symbol a fragment sets must have survived olddefconfig (a missing
# dependency would otherwise silently drop KHO or LUO).
missing=0
for f in "${frags[@]}"; do
	while IFS= read -r line; do
		case $line in
		CONFIG_*=*) grep -qx "$line" "$obj/.config" ||
			{ echo "build-arm64: $line dropped by olddefconfig" >&2; missing=1; } ;;
		"# CONFIG_"*" is not set") sym=${line#\# }; sym=${sym%% *}
			! grep -q "^$sym=" "$obj/.config" ||
			{ echo "build-arm64: $sym set despite the fragment" >&2; missing=1; } ;;
		esac
	done < "$f"
done
[ $missing = 0 ]
log=$res/kbuild.log
nice -n 5 "${kmake[@]}" -C "$src" O="$obj" -j"$jobs" Image >"$log" 2>&1 ||
	{ tail -40 "$log" >&2; exit 1; }
"${kmake[@]}" -s -C "$src" O="$obj" kernelrelease > "$res/kernelrelease"
echo "$src" > "$res/source"
mkdir -p "$res/uapi/linux"
cp "$src/include/uapi/linux/liveupdate.h" "$res/uapi/linux/"
cp "$obj/System.map" "$res/System.map"
cp "$obj/.config" "$res/config"
cp "$obj/arch/arm64/boot/Image" "$res/Image.tmp"
mv "$res/Image.tmp" "$res/Image"
