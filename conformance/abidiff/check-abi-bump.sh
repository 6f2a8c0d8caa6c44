#!/bin/bash
# check-abi-bump.sh - CI gate for changes to the ABI description.
#
# Compares spec/abi of a base revision with the work tree using
# luo-abi-diff --git, and fails when
#   1. a breaking change comes without a bump of the compatible string that
#      versions it (luo-abi-diff exits 1), or the comparison fails (exit 2);
#   2. spec/abi changed but CHANGELOG.md has no new line under [Unreleased].
#
# Base revision: $ABI_BASE if set; else the merge base with the branch's
# upstream when that is an earlier commit; else HEAD~1 (so a CI run on a
# clean clone reviews the last commit).  With no earlier commit, or a base
# without spec/abi, there is nothing to compare and the check is skipped.
#
# Environment: LUO_ABI_DIFF (the tool, default build/luo-abi-diff),
# ABI_PATH (default spec/abi), ABI_BASE (base revision).
set -u
suite=abi-bump
tool=${LUO_ABI_DIFF:-build/luo-abi-diff}
path=${ABI_PATH:-spec/abi}

result() {
	echo "RESULT $suite: $1 passed, $2 failed${3:+, $3 skipped}"
}

skip() {
	echo "check-abi-bump: $1; skipped"
	result 0 0 1
	exit 0
}

case $tool in /*) ;; *) tool=$PWD/$tool ;; esac
top=$(git rev-parse --show-toplevel 2>/dev/null) || skip "not in a git work tree"
cd "$top" || exit 1

base=${ABI_BASE:-}
why="ABI_BASE"
if [ -z "$base" ] && up=$(git rev-parse --verify -q '@{upstream}' 2>/dev/null); then
	mb=$(git merge-base HEAD "$up" 2>/dev/null)
	if [ -n "$mb" ] && [ "$mb" != "$(git rev-parse HEAD)" ]; then
		base=$mb
		why="merge base with $(git rev-parse --abbrev-ref '@{upstream}')"
	fi
fi
if [ -z "$base" ] && git rev-parse --verify -q 'HEAD~1^{commit}' >/dev/null; then
	base=HEAD~1
	why="HEAD~1"
fi
[ -n "$base" ] || skip "no earlier commit to compare $path with"
git cat-file -e "$base:$path" 2>/dev/null || skip "$base ($why) has no $path: nothing to compare"

echo "check-abi-bump: $path at $base ($why) -> work tree"
pass=0 fail=0

"$tool" --quiet --git "$base" . "$path"
case $? in
0)	pass=$((pass + 1)) ;;
1)	echo "check-abi-bump: FAIL: a breaking change without a compatible bump (run: $tool --git $base . $path)"
	fail=$((fail + 1)) ;;
*)	echo "check-abi-bump: FAIL: luo-abi-diff could not compare the two revisions"
	fail=$((fail + 1)) ;;
esac

# Lines of the [Unreleased] section, without blank lines.
unreleased() {
	awk '/^## \[Unreleased\]/ { f = 1; next } /^## / { f = 0 } f && NF'
}

changed=$( { git diff --name-only "$base" -- "$path"
	     git ls-files --others --exclude-standard -- "$path"; } | head -n 1)
if [ -z "$changed" ]; then
	echo "check-abi-bump: $path unchanged since $base: no CHANGELOG entry needed"
	pass=$((pass + 1))
else
	new_lines=$(comm -13 <(git show "$base:CHANGELOG.md" 2>/dev/null | unreleased | sort -u) \
			     <(unreleased < CHANGELOG.md 2>/dev/null | sort -u))
	if [ -n "$new_lines" ]; then
		pass=$((pass + 1))
	else
		echo "check-abi-bump: FAIL: $path changed since $base but CHANGELOG.md has no new line under [Unreleased]"
		fail=$((fail + 1))
	fi
fi
result "$pass" "$fail"
[ "$fail" -eq 0 ]
