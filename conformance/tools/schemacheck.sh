#!/bin/bash
# schemacheck.sh [-s PROCESSED.json] FILE.dtb|FILE.dts ...
# schemacheck.sh --mk-schema OUT.json
#
# Validates devicetree blobs (or sources) against the LUO/KHO bindings in
# schemas/ with dt-schema.  dt-validate exits 0 even when it reports errors,
# so any output counts as a failure here.
#
# Exit status: 0 every file clean; 1 some file has findings (printed, each
# line prefixed with the file name); 2 usage or tool error.
#
# The processed schema is dt-schema's core schemas plus ours, minus
# root-node.yaml: that core schema wants 'model' and '#address-cells' in
# every root node, which a LUO or KHO FDT never has.  Without -s it is built
# in a temporary directory (about 0.3 s); pass -s to reuse one built with
# --mk-schema.
set -u
here=$(cd "$(dirname "$0")" && pwd)
schemas=${LUO_SCHEMAS:-$here/../../schemas}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

mk_schema() {
	local out=$1 log=$tmp/mk.log
	if ! dt-mk-schema -j -o "$tmp/full.json" "$(cd "$schemas" && pwd)" >"$log" 2>&1 || [ -s "$log" ]; then
		sed 's/^/schemacheck: dt-mk-schema: /' "$log" >&2
		return 2
	fi
	/usr/bin/python3 - "$tmp/full.json" "$out" <<'PY' || return 2
import json, sys
d = json.load(open(sys.argv[1]))
d.pop("http://devicetree.org/schemas/root-node.yaml#", None)
json.dump(d, open(sys.argv[2], "w"))
PY
}

if [ "${1:-}" = --mk-schema ]; then
	[ $# -eq 2 ] || { echo "usage: schemacheck.sh --mk-schema OUT.json" >&2; exit 2; }
	mk_schema "$2"
	exit $?
fi

processed=
if [ "${1:-}" = -s ]; then
	[ $# -ge 2 ] || { echo "schemacheck: -s needs a file" >&2; exit 2; }
	processed=$2
	shift 2
fi
[ $# -ge 1 ] || { echo "usage: schemacheck.sh [-s PROCESSED.json] FILE.dtb|FILE.dts ..." >&2; exit 2; }
if [ -z "$processed" ]; then
	processed=$tmp/processed.json
	mk_schema "$processed" || exit 2
fi

rc=0
n=0
for f in "$@"; do
	n=$((n + 1))
	input=$f
	case $f in
	*.dts)
		input=$tmp/$n.dtb
		if ! dtc -q -I dts -O dtb -o "$input" "$f" 2>"$tmp/dtc.log"; then
			sed "s|^|$f: dtc: |" "$tmp/dtc.log"
			rc=1
			continue
		fi
		;;
	esac
	if [ ! -r "$input" ]; then
		echo "schemacheck: cannot read $f" >&2
		exit 2
	fi
	out=$(dt-validate -s "$processed" "$input" 2>&1)
	if [ -n "$out" ]; then
		# dt-validate names the temporary .dtb; show the caller's name on
		# every line (the dtb decoder's own messages carry no name).
		while IFS= read -r line; do
			line=${line//"$input"/"$f"}
			case $line in
			"$f:"*) printf '%s\n' "$line" ;;
			*) printf '%s: %s\n' "$f" "$line" ;;
			esac
		done <<<"$out"
		rc=1
	fi
done
exit $rc
