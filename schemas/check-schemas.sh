#!/bin/bash
# check-schemas.sh BUILD_DIR -- TAP test of the dt-schema bindings in schemas/.
#
#  * dt-doc-validate must print nothing for each binding (it exits 0 on some
#    errors, e.g. a $id that does not match the path, so output is failure);
#  * every schemas/examples/valid/*.dts must validate with no output;
#  * every schemas/examples/invalid/*.dts must produce output that contains
#    the text of its "// expect: TEXT" line (dt-validate exits 0 on errors,
#    so the output is what is checked).
set -u
cd "$(dirname "$0")/.."
out=$1/schemas
mkdir -p "$out"
check=conformance/tools/schemacheck.sh
schemas=(schemas/*.yaml)
valid=(schemas/examples/valid/*.dts)
invalid=(schemas/examples/invalid/*.dts)
echo "1..$(( ${#schemas[@]} + ${#valid[@]} + ${#invalid[@]} + 1 ))"
n=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
notok() { n=$((n + 1)); echo "not ok $n - $*"; }

for s in "${schemas[@]}"; do
	msg=$(dt-doc-validate -u "$PWD/schemas" "$s" 2>&1)
	if [ -z "$msg" ]; then ok "dt-doc-validate $s"
	else notok "dt-doc-validate $s"; printf '%s\n' "$msg" | sed 's/^/# /'; fi
done

if $check --mk-schema "$out/processed.json" 2>"$out/mk.log"; then
	ok "processed schema built"
else
	notok "processed schema built"; sed 's/^/# /' "$out/mk.log"
fi

for f in "${valid[@]}"; do
	if msg=$($check -s "$out/processed.json" "$f" 2>&1); then ok "valid: $f"
	else notok "valid: $f"; printf '%s\n' "$msg" | sed 's/^/# /'; fi
done

for f in "${invalid[@]}"; do
	want=$(sed -n 's|^// expect: *||p' "$f" | head -n1)
	msg=$($check -s "$out/processed.json" "$f" 2>&1)
	rc=$?
	if [ -z "$want" ]; then
		notok "invalid: $f has no '// expect:' line"
	elif [ $rc -eq 1 ] && [ -n "$msg" ] && grep -qF -- "$want" <<<"$msg"; then
		ok "invalid: $f ($want)"
	else
		notok "invalid: $f: expected a finding containing '$want' (status $rc)"
		printf '%s\n' "$msg" | sed 's/^/# /'
	fi
done
