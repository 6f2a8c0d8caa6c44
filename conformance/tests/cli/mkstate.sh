#!/bin/bash
# mkstate.sh OUT.img VARIANT [MKIMAGE-ARGS...]
#
# Builds a small, valid LUO handover state as a state image, from the .dts
# fixtures (dtc) and hand-placed binary structures (bash printf), with
# luo-mkimage.  VARIANT: v7.0, v6.19 or v7.0-extra (v7.0 plus a property
# no profile defines).  Extra arguments go to luo-mkimage (e.g. --profile).
# Until the vector builder exists, this is how the CLI tests get states.
#
# Physical layout (PAGE_SIZE 4096, little-endian, kho-v1):
#   0x100000 KHO root FDT            0x101000 kmap chunk (tracker)
#   0x102000 LUO FDT                 0x103000 kmap bitmap (tracker)
#   0x110000 session area, 16 pages  0x120000 FLB page (v7.0 only)
#   0x121000 file array, 2 pages     0x123000 memfd_luo_ser
#   0x124000 kho_vmalloc chunk       0x125000 folio array page
#   0x126000 folio data: file page 1 (page 0 is a hole), memfd size 8192
# Every page but the trackers is preserved in the kmap bitmap.
set -eu
out=$1 variant=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
B=${B:-build}
mkimage=${MKIMAGE:-$B/luo-mkimage}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Little-endian integers of 8, 4 and 2 bytes, and a NUL-padded string.
le() { local v=$1 n=$2 i; for ((i = 0; i < n; i++)); do printf "\\\\x%02x" $(((v >> (8 * i)) & 0xff)); done; }
u64() { printf "$(le "$1" 8)"; }
u32() { printf "$(le "$1" 4)"; }
u16() { printf "$(le "$1" 2)"; }
str() { printf '%s' "$1"; head -c $(($2 - ${#1})) /dev/zero; }

case $variant in
v7.0 | v7.0-extra) flb=1 ;;
v6.19) flb=0 ;;
*) echo "mkstate.sh: unknown variant $variant" >&2; exit 2 ;;
esac

dtc -q -I dts -O dtb -o "$work/kho.dtb" "$here/fixtures/kho-v1.dts"
dtc -q -I dts -O dtb -o "$work/luo.dtb" "$here/fixtures/luo-$variant.dts"

# kmap chunk: {next 0, order 0, num_elms 1}, bitmap_ptr {phys_start 0, bitmap}
{ u64 0; u32 0; u32 1; u64 0; u64 0x103000; } >"$work/chunk"
# bitmap: bit i = pfn i (order 0).  pfns 0x100, 0x102, 0x110-0x11f,
# 0x120 (FLB, v7.0 only), 0x121-0x126.
{ head -c 32 /dev/zero; printf '\x05\x00\xff\xff'
  if [ $flb = 1 ]; then printf '\x7f'; else printf '\x7e'; fi; } >"$work/bitmap"
# sessions: header {count 1}; session "vm0" {files 0x121000, count 1}
{ u64 1; str vm0 64; u64 0x121000; u64 1; } >"$work/sessions"
# FLB page: header {pgcnt 1, count 0}
{ u64 1; u64 0; } >"$work/flb"
# file array: {compatible "memfd-v1", data 0x123000, token 42}
{ str memfd-v1 48; u64 0x123000; u64 42; } >"$work/files"
# memfd_luo_ser {pos 0, size 8192, nr_folios 1,
#   folios = kho_vmalloc {first 0x124000, total_pages 1, flags ALLOC, order 0}}
{ u64 0; u64 8192; u64 1; u64 0x124000; u32 1; u16 1; u16 0; } >"$work/memfd"
# kho_vmalloc chunk {next 0, phys[] = {0x125000, 0}}
{ u64 0; u64 0x125000; } >"$work/vchunk"
# folio array: {foliodesc = pfn 0x126 | (DIRTY|UPTODATE) << 52, index 1}
{ u64 $((0x126 | (3 << 52))); u64 1; } >"$work/folios"
# folio data
yes "luo-conform test folio" | head -c 4096 >"$work/data" || true

args=(--zero 0x100000=0x27000
      --seg 0x100000="$work/kho.dtb" --seg 0x101000="$work/chunk"
      --seg 0x102000="$work/luo.dtb" --seg 0x103000="$work/bitmap"
      --seg 0x110000="$work/sessions" --seg 0x121000="$work/files"
      --seg 0x123000="$work/memfd" --seg 0x124000="$work/vchunk"
      --seg 0x125000="$work/folios" --seg 0x126000="$work/data")
[ $flb = 1 ] && args+=(--seg 0x120000="$work/flb")
"$mkimage" -o "$out" --kho-root 0x100000 --page-size 4096 "${args[@]}" "$@"
