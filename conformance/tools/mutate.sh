#!/bin/bash
# mutate.sh [--smoke] [--only ID,...] WORKDIR [DEFS]
#
# Mutation testing of the checker core (and the reference): each mutant of
# DEFS (default conformance/tests/hardening/mutants.def, format there) is
# applied to a private copy of the tree in WORKDIR, the core, its tests and
# luo-conform are rebuilt there (incrementally), and the suites run:
#   core tests (test_core), then every vector (veccheck.py), and for
#   mutants flagged 'ref' the reference's tests (test_ref)
# until one fails (the mutant is KILLED) or all pass (it SURVIVED; its diff
# is kept in WORKDIR/survivors/).  A mutant that does not build is
# STILLBORN, one whose text is no longer in the file N/A; neither counts.
# The sources of the tree and spec/abi are never touched: the copy is.
#
# Output is TAP (one test per mutant: ok = killed, or survived and flagged
# 'equiv' in DEFS, whose comment says why it cannot change a result; an
# 'equiv' mutant that is killed fails) and a summary; --smoke
# runs only the mutants flagged 'smoke'.
set -u
smoke=no only=""
while [ $# -gt 0 ]; do
	case $1 in
	--smoke) smoke=yes; shift ;;
	--only) only=",$2,"; shift 2 ;;
	*) break ;;
	esac
done
work=$(realpath -m "$1")
defs=${2:-conformance/tests/hardening/mutants.def}
top=$PWD
tree=$work/tree
TB=build	# the build dir inside the copy
T_CORE=$TB/tests/core/test_core
T_CLI=$TB/luo-conform
T_REF=$TB/tests/ref/test_ref
SUITE_TIMEOUT=${MUTATE_TIMEOUT:-60}

mkdir -p "$work" "$work/survivors"
# A copy of what the builds read; the vectors are only read: a link.
rm -rf "$tree" && mkdir -p "$tree"
cp -a Makefile VERSION conformance spec "$tree"/
ln -s "$top/vectors" "$tree/vectors"
rm -rf "$tree/conformance/fuzz"		# not needed, and its .mk wants clang

mapfile -t lines < <(grep -E '^[A-Z]+[0-9]+ @@ ' "$defs")
sel=()
for l in "${lines[@]}"; do
	id=${l%% @@ *}
	flags=$(echo "$l" | sed 's/ *@@ *$//' | awk -F' @@ ' '{print $5}')
	[ "$smoke" = yes ] && [[ " $flags " != *" smoke "* ]] && continue
	[ -n "$only" ] && [[ "$only" != *",$id,"* ]] && continue
	sel+=("$l")
done

# The core's tests are compiled once (objects in WORKDIR/tobj) and only
# relinked against each mutant's library; a mutant of a header the tests
# include recompiles them.
TEST_CFLAGS="-O2 -g -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
-Iconformance/include -I$TB/gen -Iconformance/lib -Iconformance/tests/core"
test_objs() {
	local f
	rm -rf "$work/tobj" && mkdir -p "$work/tobj"
	for f in "$tree"/conformance/tests/core/*.c; do
		[ "$(basename "$f")" = bench_core.c ] && continue
		(cd "$tree" && cc $TEST_CFLAGS -c -o "$work/tobj/$(basename "$f" .c).o" \
			"conformance/tests/core/$(basename "$f")") || return 1
	done
}
# linked as conformance/lib/lib.mk links test_core (CORE_TEST_WRAP)
TEST_WRAP=-Wl,--wrap=fdt_next_tag
build() {	# build what the suites need; quiet
	(cd "$tree" && timeout 600 make -s -j2 B=$TB "$@" $TB/libluoconform.a $T_CLI >"$work/build.log" 2>&1 &&
	 mkdir -p "$(dirname $T_CORE)" && cc $TEST_WRAP -o $T_CORE "$work"/tobj/*.o $TB/libluoconform.a \
		-lfdt -lcmocka >>"$work/build.log" 2>&1)
}
need_ref=no
for l in "${sel[@]}"; do [[ " $(echo "$l" | sed 's/ *@@ *$//' | awk -F' @@ ' '{print $5}') " == *" ref "* ]] && need_ref=yes; done
extra=""; [ "$need_ref" = yes ] && extra=$T_REF
if ! (cd "$tree" && make -s -j2 B=$TB $TB/gen/luoc_abi_gen.h >"$work/build.log" 2>&1) || ! test_objs || ! build $extra; then
	echo "Bail out! the unmutated tree does not build (see $work/build.log)"; exit 1
fi

suites() {	# $1 = flags; prints the suite that failed, status 0 when all pass
	local flags=$1
	if ! (cd "$tree" && timeout $SUITE_TIMEOUT ./$T_CORE >"$work/core.log" 2>&1); then
		echo "core tests"; return 1
	fi
	if ! (cd "$tree" && timeout $((SUITE_TIMEOUT * 2)) /usr/bin/python3 conformance/tools/veccheck.py \
			--conform ./$T_CLI vectors/manifest.yaml >"$work/vec.log" 2>&1); then
		echo "vectors ($(grep -c '^not ok' "$work/vec.log") failed)"; return 1
	fi
	if [[ " $flags " == *" ref "* ]] && ! (cd "$tree" && timeout $SUITE_TIMEOUT ./$T_REF >"$work/ref.log" 2>&1); then
		echo "reference tests"; return 1
	fi
	return 0
}
if ! why=$(suites "$([ "$need_ref" = yes ] && echo ref)"); then
	echo "Bail out! the unmutated tree fails: $why"; exit 1
fi

echo "1..${#sel[@]}"
n=0 killed=0 survived=0 na=0 still=0 equiv=0 wrong=0
start=$(date +%s)
for l in "${sel[@]}"; do
	n=$((n + 1))
	IFS=$'\x01' read -r id file orig repl flags < <(echo "$l" | sed 's/ *@@ *$//' |
		awk -F' @@ ' '{printf "%s\x01%s\x01%s\x01%s\x01%s\n", $1, $2, $3, $4, $5}')
	[ "$file" = GEN ] && file=$TB/gen/luoc_profiles_gen.c
	path=$tree/$file
	all=no; [[ " $flags " == *" all "* ]] && all=yes
	if ! /usr/bin/python3 conformance/tools/mutapply.py "$path" "$orig" "$repl" $all > "$work/apply.log" 2>&1; then
		na=$((na + 1)); echo "ok $n - $id # SKIP not applicable: $(cat "$work/apply.log")"; continue
	fi
	t0=$(date +%s)
	case $file in *.h) test_objs ;; esac
	if ! build $([[ " $flags " == *" ref "* ]] && echo $T_REF); then
		still=$((still + 1)); echo "ok $n - $id # SKIP stillborn (does not build)"
	elif why=$(suites "$flags"); then
		diff -u "$path.orig" "$path" | sed "s|$tree/||" > "$work/survivors/$id.diff"
		if [[ " $flags " == *" equiv "* ]]; then
			equiv=$((equiv + 1))
			echo "ok $n - $id survives: equivalent (the reason is in mutants.def)"
		else
			survived=$((survived + 1))
			echo "not ok $n - $id SURVIVED ($file: $orig -> $repl)"
		fi
	elif [[ " $flags " == *" equiv "* ]]; then
		# killed although listed as equivalent: the listed reason is wrong
		killed=$((killed + 1)) wrong=$((wrong + 1))
		echo "not ok $n - $id is listed as equivalent but $why kills it: fix mutants.def"
	else
		killed=$((killed + 1))
		echo "ok $n - $id killed by $why ($(( $(date +%s) - t0 )) s)"
	fi
	mv "$path.orig" "$path" && touch "$path"
	case $file in *.h) test_objs ;; esac
done
echo "# mutants: ${#sel[@]}: $killed killed, $survived survived, $equiv equivalent, $still stillborn, $na not applicable ($(( $(date +%s) - start )) s)"
[ "$survived" -eq 0 ] && [ "$wrong" -eq 0 ]
