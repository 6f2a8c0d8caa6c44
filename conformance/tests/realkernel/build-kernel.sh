#!/bin/bash
# build-kernel.sh OUTDIR CONFIG_FRAGMENT [CACHED_DEB]
#
# Builds the real-kernel test's x86-64 kernel from Debian's linux-source-7.2:
# downloads the source package through apt with a private sources list (the
# machine's apt configuration is not touched), or takes CACHED_DEB if that
# file exists; extracts it, runs `make tinyconfig`, merges CONFIG_FRAGMENT,
# `make olddefconfig`, and builds bzImage.  Leaves OUTDIR/bzImage,
# OUTDIR/System.map, OUTDIR/config and OUTDIR/uapi/linux/liveupdate.h.
set -euo pipefail

out=$(realpath -m "$1")
frag=$(realpath "$2")
cached=${3:-}
pkg=linux-source-7.2
apt_dir=$out/apt
src=$out/src
jobs=${RK_JOBS:-2}

mkdir -p "$out" "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$src"

fetch_deb() {
	local deb
	deb=$(ls "$apt_dir"/cache/archives/${pkg}_*_all.deb 2>/dev/null | tail -1 || true)
	if [ -z "$deb" ] && [ -n "$cached" ] && [ -f "$cached" ]; then
		cp "$cached" "$apt_dir/cache/archives/" && deb=$apt_dir/cache/archives/$(basename "$cached")
	fi
	if [ -z "$deb" ]; then
		echo 'deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian sid main' \
			> "$apt_dir/sources.list"
		local opts=(-o Dir::Etc::SourceList="$apt_dir/sources.list"
			-o Dir::Etc::SourceParts=/dev/null
			-o Dir::State::Lists="$apt_dir/lists"
			-o Dir::Cache="$apt_dir/cache")
		apt-get "${opts[@]}" update -q >&2
		(cd "$apt_dir/cache/archives" && apt-get "${opts[@]}" download "$pkg" >&2)
		deb=$(ls "$apt_dir"/cache/archives/${pkg}_*_all.deb | tail -1)
	fi
	echo "$deb"
}

deb=$(fetch_deb)
echo "realkernel: source package $(basename "$deb")" >&2
tree=$src/$pkg
if [ ! -f "$tree/Makefile" ]; then
	rm -rf "$src/x" && mkdir -p "$src/x"
	dpkg-deb -x "$deb" "$src/x"
	tar -xJf "$src/x/usr/src/$pkg.tar.xz" -C "$src"
	rm -rf "$src/x"
fi

cd "$tree"
# Configure only when the fragment changed: a rewritten .config would
# make the next build start over.
if ! cmp -s "$frag" "$out/config.frag" || [ ! -f .config ]; then
	make -s tinyconfig >/dev/null
	scripts/kconfig/merge_config.sh -m .config "$frag" >/dev/null
	make -s olddefconfig
	cp "$frag" "$out/config.frag"
fi
# Every symbol the fragment sets must have survived olddefconfig.
missing=0
while IFS= read -r line; do
	case $line in
	CONFIG_*=*) grep -qx "$line" .config || { echo "realkernel: $line dropped by olddefconfig" >&2; missing=1; } ;;
	esac
done < "$frag"
[ $missing = 0 ]
make -j"$jobs" bzImage >"$out/kbuild.log" 2>&1 || { tail -40 "$out/kbuild.log" >&2; exit 1; }
cp arch/x86/boot/bzImage "$out/bzImage.tmp"
cp System.map "$out/System.map"
cp .config "$out/config"
mkdir -p "$out/uapi/linux"
cp include/uapi/linux/liveupdate.h "$out/uapi/linux/"
mv "$out/bzImage.tmp" "$out/bzImage"
