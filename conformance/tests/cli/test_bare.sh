#!/bin/bash
# TAP tests of luo-conform check on bare FDTs (the KHO root or the LUO FDT
# alone): the kind found from the content, the summary that says the
# memory was not checked, findings on FDT-level defects, hostile files,
# the input never modified; then bare_subset.py over every vector.
set -u
B=${B:-build}
top=$(cd "$(dirname "$0")/../../.." && pwd)
cd "$top"
conform=$B/luo-conform
vw=${VW:-$B/vectors-work}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
. "$top/conformance/tests/tap.sh"
# check NAME ARGS...: luo-conform check, output in $work/NAME.{out,err,rc}
check() {
	local name=$1; shift
	"$conform" check "$@" >"$work/$name.out" 2>"$work/$name.err"
	echo $? >"$work/$name.rc"
}
# expect DESCRIPTION NAME STATUS REGEX: exit status, and REGEX in stdout+stderr
expect() {
	if [ "$(cat "$work/$2.rc")" = "$3" ] && cat "$work/$2.out" "$work/$2.err" | grep -Eq -- "$4"; then
		ok "$1"
	else
		notok "$1" "exit $(cat "$work/$2.rc"), expected $3; wanted /$4/ in:" \
			"$(head -c 800 "$work/$2.out")" "$(head -c 400 "$work/$2.err")"
	fi
}

echo "TAP version 13"
v=$vw/v7.0/one-memfd
check kho "$v/kho.dtb"
expect "a valid KHO root alone: found to be one, conformant, memory not checked" kho 0 \
	'kho.dtb: KHO root FDT alone \(memory it points at not checked\), profile v7.0 .*: conformant'
check luo "$v/luo.dtb"
# v7.0 and v7.1 write the same LUO FDT: detection names the newer one
expect "a valid LUO FDT alone: found to be one, conformant" luo 0 \
	'luo.dtb: LUO FDT alone \(memory it points at not checked\), profile v7.1 \(detected: bare LUO FDT, luo-session-v2, /luo-flb present: v7.1\)'
check json --format=json "$v/kho.dtb" "$v/luo.dtb"
if /usr/bin/python3 -c 'import json, sys; d = json.load(open(sys.argv[1]))
assert [i["input"] for i in d["images"]] == ["kho-fdt", "luo-fdt"], d' "$work/json.out"; then
	ok "json: input is kho-fdt and luo-fdt"; else notok "json: input is kho-fdt and luo-fdt" "$(cat "$work/json.out")"; fi
check img --format=json vectors/v7.0/one-memfd/one-memfd.img
expect "json: an image's input is state" img 0 '"input": "state"'

check compat -q "$vw/v7.0/luo-compat-v2/luo.dtb"
expect "a LUO FDT with luo-v2: LUO-FDT-002" compat 1 'error: LUO-FDT-002 at luo:/: compatible is "luo-v2"'
check align -q "$vw/v7.0/sess-header-misaligned/luo.dtb"
expect "a misaligned session header address: LUO-SESS-003 without the memory" align 1 \
	'error: LUO-SESS-003 at luo:/luo-session \(0x58000040\)'
check kcompat -q --profile v7.0 "$vw/v7.0/kho-compat-v2/kho.dtb"
expect "a KHO root with kho-v2, as v7.0: LUO-KHO-002" kcompat 1 'error: LUO-KHO-002 at kho:/'
check kbig -q "$vw/v7.0/kho-totalsize-big/kho.dtb"
expect "a KHO root of 8 KiB alone: found to be one, LUO-KHO-001 as in the image" kbig 1 \
	'error: LUO-KHO-001 at kho:/ \(0x0\): FDT totalsize 8192 is outside \[40, 4096\]'
check asluo -q --fdt=luo "$v/kho.dtb"
expect "--fdt=luo on a KHO root: checked as a LUO FDT, LUO-FDT-002" asluo 1 'error: LUO-FDT-002'
check badkind --fdt=dtb "$v/kho.dtb"
expect "--fdt=dtb: usage error" badkind 2 "bad --fdt 'dtb' \(kho or luo\)"

# hostile files: truncated, a totalsize past the end, too large, not an FDT
head -c 100 "$v/luo.dtb" >"$work/trunc.dtb"
check trunc -q "$work/trunc.dtb"
expect "a LUO FDT cut at 100 bytes: LUO-FDT-001, no crash" trunc 1 'error: LUO-FDT-001'
cp "$v/luo.dtb" "$work/big.dtb"
printf '\x7f\xff\xff\xff' | dd of="$work/big.dtb" bs=1 seek=4 conv=notrunc status=none
before=$(sha256sum "$work/big.dtb")
check total -q "$work/big.dtb"
expect "totalsize 0x7fffffff in a small file: LUO-FDT-001" total 1 'error: LUO-FDT-001'
if [ "$(sha256sum "$work/big.dtb")" = "$before" ]; then ok "the input FDT is not modified"; else
	notok "the input FDT is not modified"; fi
{ cat "$v/luo.dtb"; head -c $((17 << 20)) /dev/zero; } >"$work/huge.dtb"
check huge "$work/huge.dtb"
expect "an FDT file over 16 MiB: refused, exit 2" huge 2 'larger than any KHO or LUO FDT'
printf 'not an fdt' >"$work/junk"
check junk "$work/junk"
expect "neither ELF nor FDT: the image reader's refusal, exit 2" junk 2 'not an ELF file'

# 100 FDTs with random bytes (fixed seed): each gets a verdict, never a
# crash (exit >= 128) or a sanitizer report (check-cli-asan runs this too)
RANDOM=2611
crashes= refused=0
for i in $(seq 1 100); do
	src=$v/luo.dtb
	[ $((i % 2)) = 0 ] && src=$v/kho.dtb
	cp "$src" "$work/mut.dtb"
	size=$(stat -c %s "$work/mut.dtb")
	for j in 1 2 3 4; do
		off=$((RANDOM % size))
		[ $((RANDOM % 4)) = 0 ] && off=$((8 + RANDOM % 32))	# header fields
		printf "\\x$(printf %02x $((RANDOM % 256)))" |
			dd of="$work/mut.dtb" bs=1 seek=$off conv=notrunc status=none
	done
	printf '\xd0\x0d\xfe\xed' | dd of="$work/mut.dtb" bs=1 conv=notrunc status=none
	"$conform" check --format=json "$work/mut.dtb" >"$work/mut.out" 2>"$work/mut.err"
	st=$?
	[ $st = 1 ] && refused=$((refused + 1))
	if [ $st -gt 2 ] || grep -q 'Sanitizer' "$work/mut.err" ||
	   ! /usr/bin/python3 -m json.tool "$work/mut.out" >/dev/null 2>&1; then
		crashes+=" $i(exit $st)"
		cp "$work/mut.dtb" "/tmp/luo-conform-bare-crash-$i.dtb"
	fi
done
echo "# $refused of 100 damaged FDTs not conformant"
if [ $refused -ge 50 ]; then ok "most damaged FDTs are found not conformant ($refused of 100)"; else
	notok "most damaged FDTs are found not conformant ($refused of 100)"; fi
if [ -z "$crashes" ]; then ok "100 FDTs with random bytes: exit 0, 1 or 2 and parseable json each"; else
	notok "100 FDTs with random bytes: exit 0, 1 or 2 and parseable json each" \
		"failed:$crashes (copies in /tmp/luo-conform-bare-crash-*.dtb)"; fi

/usr/bin/python3 conformance/tests/cli/bare_subset.py "$conform" "$vw" >"$work/subset.out" 2>&1
while IFS= read -r line; do
	case $line in
	"ok - "*) ok "${line#ok - }" ;;
	"not ok - "*) notok "${line#not ok - }" ;;
	"# 5") ;;
	"#"*) echo "$line" ;;
	*) notok "bare_subset.py: $line" ;;
	esac
done <"$work/subset.out"
grep -qx '# 5' "$work/subset.out" || notok "bare_subset.py ran to its end" "$(tail -5 "$work/subset.out")"
echo "1..$n"
