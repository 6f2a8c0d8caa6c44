#!/bin/bash
# test-capture-self.sh LUO_CONFORM WORKDIR IMAGE...
#
# "luo-conform capture" of a state image itself (a state image is a dump
# too: an ELF core of physical memory) must give an image that checks
# exactly like the original: same profile line, same findings, same
# verdict.  The reference collector keeps only the pages the core read,
# so this holds only if it records every read.  Root, page size and
# profile are taken from the original's LUO note, as a user would give
# them for a dump.  Prints TAP.
set -u
conform=$1 work=$2
shift 2
. "$(dirname "$0")/capture-lib.sh"
rm -rf "$work" && mkdir -p "$work"

# One capture per image, eight at a time (the image writer fsyncs).
outs=()
for img in "$@"; do
	out=${img#vectors/}
	outs+=("$work/${out//\//_}")
done
for ((i = 0; i < $#; i++)); do
	img=${@:$((i + 1)):1}
	args=$(note_args "$img") && echo "$args -o ${outs[$i]} $img"
done | xargs -P 8 -L 1 "$conform" capture > "$work/capture.log" 2>&1
ktap_split "$@" "$work/orig"
ktap_split "${outs[@]}" "$work/capt"

echo "1..$#"
t=0
for img in "$@"; do
	t=$((t + 1))
	name=${img#vectors/}
	if ! [ -f "${outs[$((t - 1))]}" ]; then
		echo "not ok $t - $name: no image captured (no LUO note, or capture failed)"
		grep -F "$img" "$work/capture.log" | sed 's/^/# /'
	elif [ "$(< "$work/orig/$t")" = "$(< "$work/capt/$t")" ]; then
		echo "ok $t - $name: captured image checks the same"
	else
		echo "not ok $t - $name: captured image checks differently"
		diff -u "$work/orig/$t" "$work/capt/$t" 2>&1 | sed 's/^/# /'
	fi
done
