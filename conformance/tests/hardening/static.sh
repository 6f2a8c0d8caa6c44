#!/bin/bash
# static.sh B - static analysis of the tree's C sources (TAP).
#
#   1. every C compile command that 'make -nk check' would run has -Wall
#      -Wextra -Werror
#   2. cppcheck (warning, portability, performance) on every non-test
#      source, with conformance/tools/cppcheck-suppressions
#   3. clang-tidy with .clang-tidy, one test per source; a source whose
#      command, text, headers and configuration are unchanged since it last
#      passed is not analysed again (B/static/tidy-ok), so a rerun is quick
# compile_commands.json comes from 'make -Bn check' (compdb.py).
set -u
B=$1
dir=$B/static
mkdir -p "$dir/tidy-ok"
make -Bnk check B="$B" 2>/dev/null > "$dir/make-n.log"
/usr/bin/python3 conformance/tests/hardening/compdb.py --exclude conformance/tests/ \
	"$dir/compile_commands.json" < "$dir/make-n.log" > "$dir/compdb.out"
mapfile -t files < <(/usr/bin/python3 -c 'import json,sys; [print(e["file"]) for e in json.load(open(sys.argv[1]))]' \
	"$dir/compile_commands.json")
echo "1..$((${#files[@]} + 2))"
n=0 bad=0

# 1. warnings on every build
n=$((n + 1))
nowarn=$(/usr/bin/python3 - "$dir/make-n.log" <<'PY'
import os, shlex, sys
for line in open(sys.argv[1]):
    try:
        w = shlex.split(line.strip())
    except ValueError:
        continue
    while w and "=" in w[0] and not w[0].startswith("-"):
        w = w[1:]
    if not w or os.path.basename(w[0]) not in ("cc", "gcc", "clang", "afl-clang-fast"):
        continue
    srcs = [x for x in w if x.endswith(".c")]
    miss = [f for f in ("-Wall", "-Wextra", "-Werror") if f not in w]
    if srcs and miss:
        print(" ".join(srcs), "lacks", " ".join(miss))
PY
)
if [ -z "$nowarn" ]; then
	echo "ok $n - every C compile of 'make check' has -Wall -Wextra -Werror"
else
	bad=$((bad + 1)); echo "not ok $n - C compiles without -Wall -Wextra -Werror"
	echo "$nowarn" | head -20 | sed 's/^/# /'
fi

# 2. cppcheck
n=$((n + 1))
grep -v '^#' conformance/tools/cppcheck-suppressions | grep -v '^$' > "$dir/cppcheck-supp"
if cppcheck --project="$dir/compile_commands.json" --enable=warning,portability,performance \
	--inline-suppr --suppressions-list="$dir/cppcheck-supp" --error-exitcode=1 -q -j2 \
	> "$dir/cppcheck.log" 2>&1; then
	echo "ok $n - cppcheck: ${#files[@]} sources, no finding"
else
	bad=$((bad + 1)); echo "not ok $n - cppcheck"
	grep -E '(error|warning|style|portability|performance):' "$dir/cppcheck.log" | head -20 | sed 's/^/# /'
fi

# 3. clang-tidy (parallel, cached)
hdrs=$(cat .clang-tidy $(find conformance -name '*.h' | sort) "$B"/gen/*.h 2>/dev/null | sha256sum | cut -c1-16)
key() {	# source -> cache key
	{ echo "$hdrs"; grep -F "\"file\": \"$1\"" -A2 "$dir/compile_commands.json"; cat "$1"; } | sha256sum | cut -c1-32
}
todo=()
for f in "${files[@]}"; do
	k=$(key "$f")
	[ -f "$dir/tidy-ok/$k" ] || todo+=("$f")
done
if [ ${#todo[@]} -gt 0 ]; then
	printf '%s\n' "${todo[@]}" | xargs -P 2 -I{} sh -c \
		'clang-tidy -p "$1" --quiet "$2" > "$1/tidy-$(echo "$2" | tr / _).log" 2>&1; echo $? > "$1/tidy-$(echo "$2" | tr / _).rc"' \
		_ "$dir" {}
fi
for f in "${files[@]}"; do
	n=$((n + 1))
	rel=${f#$PWD/}
	k=$(key "$f")
	log=$dir/tidy-$(echo "$f" | tr / _).log
	if [ -f "$dir/tidy-ok/$k" ]; then
		echo "ok $n - clang-tidy $rel (unchanged since it passed)"
	elif [ "$(cat "${log%.log}.rc" 2>/dev/null)" = 0 ] && ! grep -qE '(warning|error):' "$log"; then
		touch "$dir/tidy-ok/$k"
		echo "ok $n - clang-tidy $rel"
	else
		bad=$((bad + 1)); echo "not ok $n - clang-tidy $rel"
		sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -E '(warning|error):' | head -10 | sed 's/^/# /'
	fi
done
[ "$bad" -eq 0 ]
