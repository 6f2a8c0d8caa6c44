#!/bin/bash
# build-kernel.sh OUTDIR CONFIG_FRAGMENT [CACHED_DEB]
# build-kernel.sh --tree SRCDIR OUTDIR CONFIG_FRAGMENT
#
# Builds the real-kernel test's x86-64 kernel.
#
# First form: from Debian's linux-source-7.2: downloads the source package
# through apt with a private sources list (the machine's apt configuration
# is not touched), or takes CACHED_DEB if that file exists; extracts it to
# OUTDIR/src and builds there, in the tree.
#
# Second form: from the kernel tree SRCDIR (any version with LUO: v6.19 or
# later), built out of tree in OUTDIR/obj with make O=.  SRCDIR is never
# written to; kbuild refuses (and says so) when SRCDIR was itself
# configured in place (run `make mrproper` there, or use a clean checkout).
#
# Both: `make tinyconfig`, merge CONFIG_FRAGMENT, `make olddefconfig`,
# check every fragment symbol survived, build bzImage.  Leaves
# OUTDIR/bzImage, OUTDIR/System.map, OUTDIR/config, OUTDIR/kernel.release
# and OUTDIR/uapi/linux/liveupdate.h (the guest is compiled against the
# tree's own uAPI), each replaced only when it changed; the caller keeps
# its own stamp.
set -euo pipefail

tree=
if [ "${1:-}" = --tree ]; then
	tree=$(realpath "$2"); shift 2
	[ -f "$tree/Makefile" ] && [ -d "$tree/kernel" ] ||
		{ echo "realkernel: $tree is not a kernel tree" >&2; exit 1; }
	# kbuild's own check, said before anything runs.
	if [ -f "$tree/.config" ] || [ -d "$tree/include/config" ]; then
		echo "realkernel: $tree was configured in place; make O= builds only" \
			"from a clean tree: run 'make mrproper' there or use a clean" \
			"checkout (e.g. git worktree add)" >&2
		exit 1
	fi
fi
out=$(realpath -m "$1")
frag=$(realpath "$2")
cached=${3:-}
pkg=linux-source-7.2
apt_dir=$out/apt
src=$out/src
jobs=${RK_JOBS:-2}

mkdir -p "$out"


if [ -z "$tree" ]; then
	deb=$("$(dirname "$0")/fetch-source.sh" "$apt_dir" "$cached")
	echo "realkernel: source package $(basename "$deb")" >&2
	tree=$src/$pkg
	if [ ! -f "$tree/Makefile" ]; then
		rm -rf "$src/x" && mkdir -p "$src/x"
		dpkg-deb -x "$deb" "$src/x"
		tar -xJf "$src/x/usr/src/$pkg.tar.xz" -C "$src"
		rm -rf "$src/x"
	fi
	obj=$tree
	kmake() { make -C "$tree" "$@"; }
else
	echo "realkernel: kernel tree $tree, objects in $out/obj" >&2
	obj=$out/obj
	mkdir -p "$obj"
	kmake() { make -C "$tree" O="$obj" "$@"; }
fi

# Configure only when the fragment changed: a rewritten .config would
# make the next build start over.
if ! cmp -s "$frag" "$out/config.frag" || [ ! -f "$obj/.config" ]; then
	kmake -s tinyconfig >/dev/null
	# merge_config.sh writes its temporary files to the current directory.
	(cd "$obj" && "$tree/scripts/kconfig/merge_config.sh" -m .config "$frag" >/dev/null)
	kmake -s olddefconfig
	cp "$frag" "$out/config.frag"
fi
# Every symbol the fragment sets must have survived olddefconfig (an older
# tree may lack one: then this tree cannot run the test as configured).
missing=0
while IFS= read -r line; do
	case $line in
	CONFIG_*=*) grep -qx "$line" "$obj/.config" || { echo "realkernel: $line dropped by olddefconfig" >&2; missing=1; } ;;
	esac
done < "$frag"
[ $missing = 0 ]
kmake -j"$jobs" bzImage >"$out/kbuild.log" 2>&1 || { tail -40 "$out/kbuild.log" >&2; exit 1; }
kmake -s kernelrelease >"$out/kernel.release.new"
[ -f "$tree/include/uapi/linux/liveupdate.h" ] ||
	{ echo "realkernel: $tree has no include/uapi/linux/liveupdate.h (LUO came in v6.19)" >&2; exit 1; }

# install_if_changed FROM TO: keeps TO's time stamp when nothing changed,
# so make does not rebuild what depends on it.
install_if_changed() {
	mkdir -p "$(dirname "$2")"
	cmp -s "$1" "$2" || { cp "$1" "$2.tmp" && mv "$2.tmp" "$2"; }
}
install_if_changed "$obj/System.map" "$out/System.map"
install_if_changed "$obj/.config" "$out/config"
install_if_changed "$out/kernel.release.new" "$out/kernel.release"
rm -f "$out/kernel.release.new"
install_if_changed "$tree/include/uapi/linux/liveupdate.h" "$out/uapi/linux/liveupdate.h"
install_if_changed "$obj/arch/x86/boot/bzImage" "$out/bzImage"
