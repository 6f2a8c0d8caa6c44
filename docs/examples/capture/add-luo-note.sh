#!/bin/sh
# add-luo-note.sh DUMP OUT KHO_ROOT PAGE_SIZE [PROFILE]
#
# Rewrite an ELF core of guest memory as a state image with a LUO note, so
# that "luo-conform check OUT" needs no --kho-root: every PT_LOAD of DUMP
# becomes a --seg piece of luo-mkimage.  LUO_MKIMAGE names the tool
# (default: luo-mkimage on the PATH).
set -eu
dump=$1 out=$2 root=$3 page_size=$4 profile=${5:-}
mkimage=${LUO_MKIMAGE:-luo-mkimage}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

set --
n=0
readelf -lW "$dump" | awk '$1 == "LOAD" { print $2, $4, $5 }' >"$tmp/segs"
while read -r off phys size; do
	[ $((size)) -gt 0 ] || continue
	n=$((n + 1))
	tail -c +$((off + 1)) "$dump" | head -c $((size)) >"$tmp/seg$n"
	set -- "$@" --seg "$phys=$tmp/seg$n"
done <"$tmp/segs"

"$mkimage" -o "$out" --kho-root "$root" --page-size "$page_size" \
	${profile:+--profile "$profile"} "$@"
