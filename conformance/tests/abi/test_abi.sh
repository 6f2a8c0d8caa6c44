#!/bin/bash
# TAP tests of the ABI description and its generator: the real description
# generates compilable C, and every kind of inconsistency in a copy of it is
# refused with a message naming the file.
set -u
B=${B:-build}
top=$(cd "$(dirname "$0")/../../.." && pwd)
gen="/usr/bin/python3 $top/conformance/tools/abigen.py"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
. "$top/conformance/tests/tap.sh"

echo "TAP version 13"
if $gen "$work/real" >"$work/out" 2>&1 &&
   cc -Wall -Wextra -Werror -c -I"$top/conformance/include" -I"$work/real" \
      "$work/real/luoc_profiles_gen.c" -o "$work/p.o"; then
	ok "spec/abi generates C that compiles warning-free"
else
	notok "spec/abi generates C that compiles warning-free"; cat "$work/out"
fi

# refuses COPY-EDIT DESCRIPTION EXPECTED-MESSAGE
refuses() {
	local desc=$1 file=$2 expr=$3 want=$4
	rm -rf "$work/abi" && cp -r "$top/spec/abi" "$work/abi"
	/usr/bin/python3 - "$work/abi/$file" "$expr" <<'PY'
import sys
path, expr = sys.argv[1], sys.argv[2]
old, new = expr.split("=>", 1)
text = open(path).read()
assert old in text, "test edit %r not found in %s" % (old, path)
open(path, "w").write(text.replace(old, new, 1))
PY
	if $gen --abi "$work/abi" "$work/g" >"$work/out" 2>&1; then
		notok "$desc: accepted"
	elif grep -q -- "$want" "$work/out"; then
		ok "$desc"
	else
		notok "$desc: wrong message"; sed 's/^/# /' "$work/out"
	fi
}

refuses "a limit that disagrees with its 4 KiB value" components/luo-session-v2.yaml \
	"at_4k: 819=>at_4k: 820" "LUO_SESSION_MAX is 819 at 4 KiB"
refuses "a packed struct with a gap" components/luo-session-v2.yaml \
	"{name: count, offset: 72=>{name: count, offset: 73" "gap before count"
refuses "overlapping fields" components/memfd-v2.yaml \
	"{name: flags, offset: 20=>{name: flags, offset: 18" "overlaps the field before it"
refuses "a struct whose fields outrun its size" components/memfd-v2.yaml \
	"    size: 16
    packed: true=>    size: 12
    packed: true" "past the size"
refuses "an unknown outcome" profiles/v7.0.yaml \
	"LUO-FLB-001: panic=>LUO-FLB-001: explode" "is not one of"
refuses "a profile naming a missing component" profiles/v7.1.yaml \
	"handlers: [memfd-v2]=>handlers: [memfd-v9]" "unknown handler memfd-v9"
refuses "an expression with an unknown name" components/kho-v1.yaml \
	"expr: PAGE_SIZE * 8=>expr: PAGE_SIZE * BITS" "unknown name BITS"
refuses "overlapping bit-fields" components/memfd-v2.yaml \
	"{name: pfn, lsb: 0, width: 52}=>{name: pfn, lsb: 0, width: 60}" "overlaps another"
refuses "a bit-field wider than its field" components/memfd-v2.yaml \
	"{name: flags, lsb: 52, width: 12}=>{name: flags, lsb: 52, width: 13}" "does not fit"
refuses "a component that uses an unknown one" components/luo-v5.yaml \
	"uses: [kho-v4]=>uses: [kho-v9]" "uses unknown component kho-v9"
refuses "an entries-per-block limit that disagrees with its 4 KiB value" components/luo-v5.yaml \
	"at_4k: 51=>at_4k: 52" "LUO_SESSIONS_PER_BLOCK is 51 at 4 KiB"

# The radix geometry of the profile table is the one the kho-v3 macros give,
# for kho-v3 and for kho-v4, at every page size the table covers.
cat >"$work/radix.c" <<'C'
#include <stdio.h>
#include "luoc/abi.h"
#include "luoc_abi_gen.h"
int main(void)
{
	unsigned int i, s, bad = 0;

	for (i = 0; i < luoc_n_profiles; i++) {
		const struct luoc_profile *p = &luoc_profiles[i];

		if (p->kmap != LUOC_KMAP_RADIX)
			continue;
		for (s = 12; s <= 16; s++) {
			const struct luoc_radix_geom *g = luoc_radix_geom(p, s);
			unsigned long ps = 1ul << s;

			bad += g->table_log2 != LUOC_KHO_V3_TABLE_LOG2(ps) ||
			       g->bitmap_log2 != LUOC_KHO_V3_BITMAP_LOG2(ps) ||
			       g->order0_log2 != LUOC_KHO_V3_ORDER0_LOG2(ps) ||
			       g->depth != LUOC_KHO_V3_DEPTH(ps);
		}
	}
	return bad != 0;
}
C
if cc -Wall -Wextra -Werror -I"$top/conformance/include" -I"$work/real" "$work/radix.c" \
      "$work/real/luoc_profiles_gen.c" -o "$work/radix" && "$work/radix"; then
	ok "profile radix geometry equals the kho-v3 formulas at 4..64 KiB"
else
	notok "profile radix geometry equals the kho-v3 formulas at 4..64 KiB"
fi
echo "1..$n"
