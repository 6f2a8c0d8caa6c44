#!/bin/bash
# TAP tests of luo-conform and luo-mkimage as a user runs them: exit
# statuses, messages, each output format parsed by a real parser, input
# files never modified, and verdicts on small states built by mkstate.sh
# (a valid v7.0 and v6.19 state, and copies with one byte changed).
set -u
B=${B:-build}
top=$(cd "$(dirname "$0")/../../.." && pwd)
cd "$top"
conform=$B/luo-conform
mkimage=$B/luo-mkimage
py=/usr/bin/python3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
. "$top/conformance/tests/tap.sh"

# run NAME: runs the rest of the line, keeps stdout/stderr/status in $work/NAME.*
run() {
	local name=$1; shift
	"$@" >"$work/$name.out" 2>"$work/$name.err"
	echo $? >"$work/$name.rc"
}
rc() { cat "$work/$1.rc"; }
# expect_rc DESCRIPTION NAME STATUS
expect_rc() {
	if [ "$(rc "$2")" = "$3" ]; then ok "$1"; else
		notok "$1" "exit status $(rc "$2"), expected $3" "stderr: $(head -c 600 "$work/$2.err")" \
			"stdout: $(head -c 600 "$work/$2.out")"
	fi
}
# expect_grep DESCRIPTION FILE EXTENDED-REGEX
expect_grep() {
	if grep -Eq -- "$3" "$2"; then ok "$1"; else
		notok "$1" "no match for /$3/ in $(basename "$2"):" "$(head -c 800 "$2")"
	fi
}
# One line on stderr, no crash report.
one_line_err() {
	local lines
	lines=$(wc -l <"$work/$2.err")
	if [ "$lines" = 1 ] && grep -Eq -- "$3" "$work/$2.err"; then ok "$1"; else
		notok "$1" "stderr ($lines lines), wanted one line matching /$3/:" "$(cat "$work/$2.err")"
	fi
}
sha() { sha256sum "$1" | cut -d' ' -f1; }
# A copy of $1 as $2 with the first occurrence of string $3 changed in byte $4 to char $5.
patch_string() {
	local off
	cp "$1" "$2"
	off=$(grep -obUaF -- "$3" "$2" | head -n1 | cut -d: -f1)
	[ -n "$off" ] || return 1
	printf '%s' "$5" | dd of="$2" bs=1 seek=$((off + $4)) conv=notrunc status=none
}

echo "TAP version 13"

# --- states ---------------------------------------------------------------
mk() { B=$B MKIMAGE=$mkimage conformance/tests/cli/mkstate.sh "$@"; }
if mk "$work/v7.0.img" v7.0 --profile v7.0 && mk "$work/v6.19.img" v6.19 &&
   mk "$work/extra.img" v7.0-extra --profile v7.0 && mk "$work/nonote.img" v7.0 --no-note; then
	ok "mkstate.sh builds the test states with luo-mkimage"
else
	notok "mkstate.sh builds the test states with luo-mkimage"
fi
printf 'this is not an ELF file\n' >"$work/text.img"
: >"$work/empty.img"

# --- luo-mkimage ------------------------------------------------------------
run mkhelp "$mkimage" --help
expect_rc "luo-mkimage --help exits 0" mkhelp 0
expect_grep "luo-mkimage --help documents --raw-seg" "$work/mkhelp.out" '--raw-seg PHYS=FILE'
run mkver "$mkimage" --version
expect_rc "luo-mkimage --version exits 0" mkver 0
expect_grep "luo-mkimage --version prints VERSION" "$work/mkver.out" "^luo-mkimage $(cat VERSION)\$"
run mknoout "$mkimage" --kho-root 0x1000 --page-size 4096
expect_rc "luo-mkimage without -o exits 2" mknoout 2
run mknoroot "$mkimage" -o "$work/x.img" --page-size 4096
expect_rc "luo-mkimage without --kho-root exits 2" mknoroot 2
run mkbadseg "$mkimage" -o "$work/x.img" --kho-root 0x1000 --page-size 4096 --seg 0x1000="$work/missing"
expect_rc "luo-mkimage with a missing piece exits 2" mkbadseg 2
one_line_err "luo-mkimage names the missing piece" mkbadseg "missing: No such file"
run mkbadnum "$mkimage" -o "$work/x.img" --kho-root 12zz --page-size 4096
expect_rc "luo-mkimage with a bad number exits 2" mkbadnum 2
if [ ! -e "$work/x.img" ]; then ok "failed luo-mkimage runs leave no output"; else
	notok "failed luo-mkimage runs leave no output"; fi
mk "$work/again.img" v7.0 --profile v7.0
if cmp -s "$work/v7.0.img" "$work/again.img"; then ok "luo-mkimage output is deterministic"; else
	notok "luo-mkimage output is deterministic"; fi
run readelf readelf -h -l "$work/v7.0.img"
expect_grep "readelf sees an x86-64 ELF64 core" "$work/readelf.out" 'Type:[[:space:]]+CORE'
run mkbe "$mkimage" -o "$work/be.img" --big-endian --kho-root 0x1000 --page-size 16K \
	--seg 0x1000="$work/text.img"
run readelfbe readelf -h "$work/be.img"
expect_grep "luo-mkimage --big-endian writes ELFDATA2MSB for ppc64" "$work/readelfbe.out" 'big endian'
expect_grep "luo-mkimage --big-endian defaults to ppc64" "$work/readelfbe.out" 'PowerPC64'

# --- luo-conform: usage and I/O errors ---------------------------------------
run help "$conform" --help
expect_rc "luo-conform --help exits 0" help 0
expect_grep "luo-conform --help lists the check command" "$work/help.out" '^  check '
run chelp "$conform" check --help
expect_rc "luo-conform check --help exits 0" chelp 0
expect_grep "check --help lists the formats" "$work/chelp.out" 'text \(default\), ktap, junit or json'
expect_grep "check --help lists the profiles" "$work/chelp.out" 'v6\.19'
run version "$conform" --version
expect_rc "luo-conform --version exits 0" version 0
expect_grep "luo-conform --version prints VERSION" "$work/version.out" "^luo-conform $(cat VERSION) "
run noargs "$conform"
expect_rc "luo-conform without a command exits 2" noargs 2
run badcmd "$conform" frobnicate
expect_rc "an unknown command exits 2" badcmd 2
run noimg "$conform" check
expect_rc "check without an image exits 2" noimg 2
run badopt "$conform" check --no-such-option "$work/v7.0.img"
expect_rc "an unknown option exits 2" badopt 2
run badfmt "$conform" check --format=xml "$work/v7.0.img"
expect_rc "an unknown format exits 2" badfmt 2
run badprof "$conform" check --profile v9.9 "$work/v7.0.img"
expect_rc "an unknown profile exits 2" badprof 2
one_line_err "an unknown profile is named with the known ones" badprof "unknown profile 'v9.9' \(known: .*v7\.0"
run badps "$conform" check --page-size 5000 "$work/v7.0.img"
expect_rc "a bad --page-size exits 2" badps 2
run missing "$conform" check "$work/missing.img"
expect_rc "a missing image exits 2" missing 2
one_line_err "a missing image gets one clear line" missing 'missing\.img: cannot open: No such file'
run text "$conform" check "$work/text.img"
expect_rc "a text file exits 2" text 2
one_line_err "a text file is reported as not ELF" text 'not an ELF file'
run empty "$conform" check "$work/empty.img"
expect_rc "an empty file exits 2" empty 2
one_line_err "an empty file is reported as such" empty 'empty file'
run exe "$conform" check "$conform"
expect_rc "an ELF executable exits 2" exe 2
one_line_err "an ELF executable is reported as not ET_CORE" exe 'not ET_CORE'
run dir "$conform" check "$work"
expect_rc "a directory exits 2" dir 2
run nonote "$conform" check "$work/nonote.img"
expect_rc "an image without note and without --kho-root exits 2" nonote 2
one_line_err "the missing note is explained" nonote 'no LUO note .*--kho-root'
cp "$work/v7.0.img" "$work/trunc.img"
truncate -s 8192 "$work/trunc.img"
run trunc "$conform" check "$work/trunc.img"
expect_rc "a truncated image exits 2" trunc 2
one_line_err "a truncated image is explained" trunc 'past the end of the file'

# --- verdicts (need the checker core) -----------------------------------------
sum_before=$(sha "$work/v7.0.img")
run v70 "$conform" check "$work/v7.0.img"
expect_rc "the v7.0 state is conformant (exit 0)" v70 0
expect_grep "the profile comes from the note" "$work/v70.out" 'profile v7\.0 \(named by the image'"'"'s LUO note\)'
if [ "$(sha "$work/v7.0.img")" = "$sum_before" ]; then ok "checking leaves the image unchanged"; else
	notok "checking leaves the image unchanged"; fi
run v619 "$conform" check "$work/v6.19.img"
expect_rc "the v6.19 state is conformant (exit 0)" v619 0
expect_grep "the v6.19 profile is detected, with a reason" "$work/v619.out" 'profile v6\.19 \(detected: .+\)'
run v619as70 "$conform" check --profile v7.0 "$work/v6.19.img"
expect_rc "the v6.19 state checked as v7.0 is not conformant (exit 1)" v619as70 1
expect_grep "a v6.19 state as v7.0 lacks /luo-flb (LUO-FLB-001)" "$work/v619as70.out" 'error: LUO-FLB-001'
run root "$conform" check --kho-root 0x100000 --page-size 4096 "$work/nonote.img"
expect_rc "--kho-root stands in for a missing note" root 0

patch_string "$work/v7.0.img" "$work/badcompat.img" "luo-v1" 5 2
run badcompat "$conform" check "$work/badcompat.img"
expect_rc "luo-v2 as LUO root compatible: not conformant (exit 1)" badcompat 1
expect_grep "the changed root compatible is LUO-FDT-002 with its location" "$work/badcompat.out" \
	"^$work/badcompat\\.img: error: LUO-FDT-002 at luo:/[^ ]*( \\(0x[0-9a-f]+\\))?: "
patch_string "$work/v7.0.img" "$work/badsess.img" "luo-session-v2" 13 7
run badsess "$conform" check "$work/badsess.img"
expect_rc "luo-session-v7 as session compatible: not conformant (exit 1)" badsess 1
expect_grep "the changed session compatible is LUO-SESS-002" "$work/badsess.out" \
	'error: LUO-SESS-002 at luo:/luo-session'
run multi "$conform" check "$work/v7.0.img" "$work/badcompat.img"
expect_rc "one bad image of two: exit 1" multi 1
run multimiss "$conform" check "$work/v7.0.img" "$work/badcompat.img" "$work/missing.img"
expect_rc "an I/O error wins over non-conformance: exit 2" multimiss 2
expect_grep "the other images are still reported" "$work/multimiss.out" 'badcompat\.img: error: LUO-FDT-002'
run quiet "$conform" check -q "$work/v7.0.img"
if [ "$(rc quiet)" = 0 ] && [ ! -s "$work/quiet.out" ]; then ok "-q prints nothing for a conformant image"; else
	notok "-q prints nothing for a conformant image" "$(cat "$work/quiet.out")"; fi
run extra "$conform" check "$work/extra.img"
expect_rc "an extra property is only a warning (exit 0)" extra 0
expect_grep "the extra property is LUO-FDT-005" "$work/extra.out" 'warning: LUO-FDT-005'
run extraw "$conform" check --warnings-as-errors "$work/extra.img"
expect_rc "--warnings-as-errors makes the warning fail (exit 1)" extraw 1

# --- formats --------------------------------------------------------------
run json "$conform" check --format=json --state "$work/v7.0.img" "$work/badcompat.img"
expect_rc "json: exit status as for text" json 1
if $py -m json.tool "$work/json.out" >/dev/null 2>"$work/json.parse"; then ok "json output parses"; else
	notok "json output parses" "$(cat "$work/json.parse")"; fi
folio_sum=$( (head -c 4096 /dev/zero; yes "luo-conform test folio" | head -c 4096) | sha256sum | cut -d' ' -f1)
if $py - "$work/json.out" "$folio_sum" <<'EOF' 2>"$work/json.check"
import json, sys
doc = json.load(open(sys.argv[1]))
good, bad = doc["images"]
assert doc["conformant"] is False
assert good["verdict"] == "conformant" and good["profile"] == "v7.0", good
assert good["outcome"], good
s = good["state"]
assert [x["name"] for x in s["sessions"]] == ["vm0"], s
f = s["sessions"][0]["files"][0]
assert f["compatible"] == "memfd-v1" and f["token"] == 42, f
m = f["memfd"]
assert (m["size"], m["pos"], m["nr_folios"]) == (8192, 0, 1), m
assert m["sha256"] == sys.argv[2], (m["sha256"], sys.argv[2])
assert s["flbs"] == [], s
assert bad["verdict"] == "nonconformant"
fs = [x for x in bad["findings"] if x["req"] == "LUO-FDT-002"]
assert fs and fs[0]["severity"] == "error" and fs[0]["where"].startswith("luo:/"), bad
assert set(fs[0]) >= {"req", "severity", "code", "phys", "where", "msg"}
EOF
then ok "json carries verdicts, findings and the decoded state with the memfd's SHA-256"; else
	notok "json carries verdicts, findings and the decoded state with the memfd's SHA-256" \
		"$(cat "$work/json.check")"; fi
run jsonerr "$conform" check --format=json "$work/missing.img"
if [ "$(rc jsonerr)" = 2 ] && $py -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["images"][0]["verdict"] == "error"' "$work/jsonerr.out" 2>/dev/null; then
	ok "json reports an unreadable image as verdict error"; else
	notok "json reports an unreadable image as verdict error" "$(cat "$work/jsonerr.out")"; fi

run junit "$conform" check --format=junit "$work/v7.0.img" "$work/badcompat.img" "$work/missing.img"
expect_rc "junit: exit status as for text" junit 2
if $py - "$work/junit.out" <<'EOF' 2>"$work/junit.check"
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
suite = root.find("testsuite")
assert suite.get("tests") == "3" and suite.get("failures") == "1" and suite.get("errors") == "1"
cases = suite.findall("testcase")
assert cases[0].find("failure") is None and cases[0].find("error") is None
assert "LUO-FDT-002" in cases[1].find("failure").text
assert "No such file" in cases[2].find("error").get("message")
EOF
then ok "junit output parses: one testcase per image, failure lists findings"; else
	notok "junit output parses: one testcase per image, failure lists findings" \
		"$(cat "$work/junit.check")"; fi

run ktap "$conform" check --format=ktap "$work/v7.0.img" "$work/badcompat.img"
expect_rc "ktap: exit status as for text" ktap 1
if awk 'NR == 1 && $0 != "KTAP version 1" { exit 1 }
	NR == 2 && $0 != "1..2" { exit 1 }
	NR > 2 && !/^(ok|not ok) [0-9]+ [^#]+$/ && !/^# / { exit 1 }
	/^ok 1 / { a = 1 } /^not ok 2 / { b = 1 } /^# error: LUO-FDT-002/ { c = 1 }
	END { exit !(a && b && c) }' "$work/ktap.out"; then
	ok "ktap output is KTAP v1: plan, results, findings as diagnostics"; else
	notok "ktap output is KTAP v1: plan, results, findings as diagnostics" "$(cat "$work/ktap.out")"; fi

if [ "$(sha "$work/v7.0.img")" = "$sum_before" ]; then ok "no format modified the image"; else
	notok "no format modified the image"; fi

# --- hostile bytes ------------------------------------------------------------
# Copies of the v7.0 state with a few bytes overwritten in the ELF headers, the
# note and the state (fixed seed): every one gets a verdict or a clean refusal,
# never a crash (exit >= 128) or a sanitizer report.
RANDOM=4242
size=$(stat -c %s "$work/v7.0.img")
crashes=
for i in $(seq 1 60); do
	cp "$work/v7.0.img" "$work/mut.img"
	for j in 1 2 3; do
		case $((RANDOM % 3)) in
		0) off=$((RANDOM % 400)) ;;				# ELF header, phdrs, note
		1) off=$((4096 + RANDOM % 0x4000)) ;;			# KHO root, kmap, LUO FDT
		*) off=$((4096 + 0x10000 + RANDOM % 0x17000)) ;;	# sessions .. folio
		esac
		[ $off -lt $size ] || continue
		printf "\\x$(printf %02x $((RANDOM % 256)))" |
			dd of="$work/mut.img" bs=1 seek=$off conv=notrunc status=none
	done
	"$conform" check --format=json --state "$work/mut.img" >"$work/mut.out" 2>"$work/mut.err"
	st=$?
	if [ $st -gt 2 ] || grep -q 'Sanitizer' "$work/mut.err" ||
	   ! $py -m json.tool "$work/mut.out" >/dev/null 2>&1; then
		crashes+=" $i(exit $st)"
		cp "$work/mut.img" "/tmp/luo-conform-crash-$i.img"
	fi
done
if [ -z "$crashes" ]; then ok "60 images with random bytes: exit 0, 1 or 2 and parseable json each"; else
	notok "60 images with random bytes: exit 0, 1 or 2 and parseable json each" \
		"failed:$crashes (copies in /tmp/luo-conform-crash-*.img)"; fi

echo "1..$n"
