#!/bin/bash
# TAP tests of the documentation site, the man pages and the examples
# (make check-docs; the site itself was built with sphinx-build -W -n).
#
# Environment (docs/docs.mk sets it): HTML (the built site), SRC (its staged
# sources), MAN (built man pages), SHOTS (screenshot directory), TRACE (the
# requirement index JSON), MATRIX_DIR (the matrix the site was built with),
# SPEC_VERSION, SUITE_VERSION, LUO_CONFORM, LUO_MKIMAGE, LUO_ABI_DIFF,
# EXAMPLE_SO (the example adapter), WORK (scratch).
set -u
top=$(cd "$(dirname "$0")/../../.." && pwd)
cd "$top"
py=/usr/bin/python3
check="$py $top/conformance/tests/docs/doccheck.py"
mkdir -p "$WORK" "$SHOTS"
work=$(mktemp -d "$(cd "$WORK" && pwd)/run.XXXXXX")
trap 'rm -rf "$work"' EXIT
. "$top/conformance/tests/tap.sh"
# t DESCRIPTION COMMAND...: one test; the command's output goes to the log.
t() {
	local what=$1; shift
	if "$@" >"$work/out" 2>&1; then ok "$what"; else notok "$what"; sed 's/^/# /' "$work/out"; fi
}
# --- the site -------------------------------------------------------------------
main_pages="index.html spec/index.html ref/vectors/index.html ref/matrix.html ref/requirements.html ref/state.html ref/layouts.html"
for p in $main_pages search.html guides/quickstart.html guides/qemu-capture.html \
	guides/adapter.html guides/abi-review.html man/luo-conform.html man/luo-mkimage.html \
	man/luo-abi-diff.html ref/schemas/index.html spec/history.html changelog.html \
	$( [ -f docs/bench/index.rst ] && echo bench/index.html) hardening/index.html; do
	t "page $p exists" test -s "$HTML/$p"
done
t "every page names spec $SPEC_VERSION and release $SUITE_VERSION" \
	$check versions "$HTML" "$SPEC_VERSION" "$SUITE_VERSION"
t "search index is built and indexes the ABI's names" \
	$check search "$HTML" kho_vmalloc kho_vmalloc_chunk memfd folio session
t "every internal link and anchor resolves" $check links "$HTML"

# The link check finds a broken link and a broken anchor.
mkdir -p "$work/bad"
printf '<html><body><p id="here">x</p><a href="gone.html">a</a><a href="#nowhere">b</a></body></html>\n' >"$work/bad/index.html"
badlinks() {
	! $check links "$work/bad" >"$work/links.out" || return 1
	cat "$work/links.out"
	grep -q 'no file gone.html' "$work/links.out" && grep -q 'no anchor #nowhere' "$work/links.out"
}
t "link check refuses a missing page and a missing anchor" badlinks

# Diagrams: one state diagram per drawable profile, one per fixed-size struct,
# each an SVG that exists; the spec's layout tables carry theirs.
svgs() { grep -o 'data="[^"]*\.svg"' "$1" | sed 's/^data="//;s/"$//'; }
count_svgs() {
	local page=$1 min=$2 k=0 s
	for s in $(svgs "$page"); do
		[ -s "$(dirname "$page")/$s" ] || { echo "missing $s"; return 1; }
		grep -q '<svg' "$(dirname "$page")/$s" || { echo "not SVG: $s"; return 1; }
		k=$((k + 1))
	done
	echo "$page: $k diagrams (at least $min)"
	[ "$k" -ge "$min" ]
}
nprof=$(ls spec/abi/profiles/*.yaml | wc -l)
t "state page has a diagram per profile ($nprof)" count_svgs "$HTML/ref/state.html" "$nprof"
nstruct=$(ls "$SRC"/ref/dot/struct-*.dot | wc -l)
t "layout page has all $nstruct struct diagrams" count_svgs "$HTML/ref/layouts.html" "$nstruct"
t "spec chapter 'structs' shows layout diagrams" count_svgs "$HTML/spec/structs.html" 4
t "state diagram names the session and memfd structures" \
	grep -q 'luo_session_ser' "$SRC/ref/dot/state-v7.0.dot"

# Vector catalog: a page for every vector of the manifest, with a hexdump.
nvec=$(grep -c '^  - id: ' vectors/manifest.yaml)
vpages() {
	local missing=0 id
	for id in $(sed -n 's/^  - id: //p' vectors/manifest.yaml); do
		[ -s "$HTML/ref/vectors/$id.html" ] || { echo "no page for $id"; missing=$((missing + 1)); }
	done
	echo "$nvec vectors, $missing without a page"
	[ "$missing" -eq 0 ] && [ "$nvec" -gt 0 ]
}
t "vector catalog has a page for each of the $nvec vectors" vpages
# docs/conf.py shares one navigation among the vector pages of a directory,
# which is right only while no navigation entry of theirs is current.
t "vector pages are orphans (no current entry in their navigation)" \
	sh -c "! grep -q 'class=\"[^\"]*current' '$HTML/ref/vectors/v7.0/one-memfd.html' && \
		grep -q 'class=\"[^\"]*current' '$HTML/ref/state.html'"
# The byte-swapped luo-flb-header of this vector is highlighted in its hexdump.
if [ -d vectors/v7.1/byteorder-flb-header ]; then
	t "vector page highlights the mutated bytes" \
		$check hexdump "$HTML/ref/vectors/v7.1/byteorder-flb-header.html" "50 22 00 00"
fi
t "vector page links its requirement to the spec" \
	grep -q 'href="../../../spec/[a-z0-9._-]*.html#req-luo-' "$HTML/ref/vectors/v7.1/byteorder-flb-header.html"

# Requirement index: every requirement of trace.py's JSON, linked to the spec.
reqs() {
	local ids missing=0 id
	ids=$($py -c 'import json,sys; print("\n".join(json.load(open(sys.argv[1]))))' "$TRACE")
	for id in $ids; do
		grep -q "href=\"../spec/[a-z0-9._-]*.html#req-$(echo "$id" | tr 'A-Z' 'a-z')\"" \
			"$HTML/ref/requirements.html" || { echo "not linked: $id"; missing=$((missing + 1)); }
	done
	echo "$(echo "$ids" | wc -l) requirements, $missing not linked"
	[ "$missing" -eq 0 ] && [ -n "$ids" ]
}
t "requirement index lists and links every requirement" reqs

# Matrix page: the matrix when the build had one (with its SVG), else the
# committed snapshot, else a note saying there is none.
if [ -s "$MATRIX_DIR/matrix.json" ]; then
	t "matrix page shows the matrix and its SVG" \
		sh -c "grep -q 'Writer (rows) to reader (columns)' '$HTML/ref/matrix.html' && \
			grep -q 'matrix.svg' '$HTML/ref/matrix.html' && test -s '$HTML/_images/matrix.svg'"
elif [ -s docs/matrix-snapshot.json ]; then
	t "matrix page shows the committed snapshot" \
		sh -c "grep -q 'Writer (rows) to reader (columns)' '$HTML/ref/matrix.html' && \
			grep -q 'matrix-snapshot.json' '$HTML/ref/matrix.html'"
else
	t "matrix page says the matrix is not available" \
		grep -q 'not available in this build' "$HTML/ref/matrix.html"
fi
t "changelog is rendered from Markdown" grep -q '<h2>.*Unreleased' "$HTML/changelog.html"

# --- man pages: the options of each --help and of its man page are equal -----------
"$LUO_MKIMAGE" --help >"$work/help-mkimage" 2>&1
t "luo-mkimage(1) lists the options of --help" $check options "$work/help-mkimage" "$MAN/luo-mkimage.1"
"$LUO_ABI_DIFF" --help >"$work/help-abidiff" 2>&1
t "luo-abi-diff(1) lists the options of --help" $check options "$work/help-abidiff" "$MAN/luo-abi-diff.1"
"$LUO_CONFORM" --help >"$work/help-conform" 2>&1
t "luo-conform(1) lists the global options of --help" $check options "$work/help-conform" "$MAN/luo-conform.1"
cmds=$(sed -n '/^Commands:/,/^$/s/^  \([a-z][a-z-]*\)  .*/\1/p' "$work/help-conform")
t "luo-conform --help lists its commands" test -n "$cmds"
for c in $cmds; do
	"$LUO_CONFORM" "$c" --help >"$work/help-$c" 2>&1
	t "luo-conform(1) lists the options of '$c --help'" \
		$check options "$work/help-$c" "$MAN/luo-conform.1" "Options of $c"
done
# The comparison notices a missing option.
grep -v 'warnings\\-as\\-errors' "$MAN/luo-conform.1" >"$work/short.1"
shortman() {
	! $check options "$work/help-check" "$work/short.1" "Options of check" >"$work/opt.out" || return 1
	cat "$work/opt.out"
	grep -q 'only in --help: --warnings-as-errors;' "$work/opt.out"
}
t "option check notices an option the man page lacks" shortman
t "man pages carry the release $SUITE_VERSION" grep -q "\"$SUITE_VERSION\"" "$MAN/luo-conform.1"

# --- examples -----------------------------------------------------------------------
# The capture guide's commands on a bundled vector (an ELF core like a dump):
# capture finds the KHO root and keeps a conformant state; the luo-mkimage
# script rewrites the image byte for byte.
vec=vectors/v7.0/one-memfd/one-memfd.img
capture() {
	"$LUO_CONFORM" capture "$vec" -o "$work/cap.img" && "$LUO_CONFORM" check -q "$work/cap.img"
}
if grep -q '^  capture ' "$work/help-conform"; then
	t "the guide's 'luo-conform capture' then 'check' accepts a vector" capture
fi
t "add-luo-note.sh rebuilds a vector byte for byte" \
	sh -c "LUO_MKIMAGE=$LUO_MKIMAGE docs/examples/capture/add-luo-note.sh $vec $work/re.img 0x50000000 4096 v7.0 && cmp $vec $work/re.img"

# The example adapter: it loads, and restores every valid v7.0 vector correctly.
adapter() {
	local rc bad=0 id
	timeout 300 "$LUO_CONFORM" run --impl "$EXAMPLE_SO" --profile v7.0 --only consumer \
		--vectors vectors/manifest.yaml -q >"$work/run.ktap" 2>&1
	rc=$?
	grep '^# Totals' "$work/run.ktap"
	[ "$rc" -eq 0 ] || [ "$rc" -eq 1 ] || { echo "run exited $rc"; tail -5 "$work/run.ktap"; return 1; }
	for id in $($py -c '
import sys, yaml
for v in yaml.safe_load(open("vectors/manifest.yaml"))["vectors"]:
    if v["profile"] == "v7.0" and v["verdict"] == "conformant":
        print(v["id"])'); do
		grep -q "^ok [0-9]* consumer/v7.0/vector/$id\$" "$work/run.ktap" || { echo "not passed: $id"; bad=$((bad + 1)); }
	done
	[ "$bad" -eq 0 ]
}
t "example adapter passes the tests of every conformant v7.0 vector" adapter

# --- the browser: the main pages load without console errors or missing files ---------
# The site is served over HTTP, as it is deployed (file:// URLs forbid the
# fetches the search page makes).
browse() {   # browse URL DOM LOG [extra chromium options]
	local url=$1 dom=$2 log=$3 ud rc; shift 3
	ud=$(mktemp -d "$work/chrome.XXXXXX")
	timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir="$ud" --enable-logging=stderr --v=0 --window-size=1280,1600 \
		--hide-scrollbars "$@" "$url" >"$dom" 2>"$log"
	rc=$?
	rm -rf "$ud"
	return $rc
}
page_ok() {   # page_ok URL FILE SHOT: FILE is the page on disk
	local url=$1 page=$2 shot=$3
	browse "$url" "$work/dom" "$work/log" --dump-dom || { echo "chromium failed"; return 1; }
	$check dom "$page" "$work/dom" "$work/log" || return 1
	browse "$url" /dev/null "$work/log2" --screenshot="$shot" || { echo "chromium failed"; return 1; }
	test -s "$shot" || { echo "no screenshot written to $shot"; return 1; }
}
search_hits() {   # search_hits WORD MIN MAX: results the search page lists for WORD
	local k
	browse "$base/search.html?q=$1" "$work/sdom" "$work/slog" --virtual-time-budget=15000 \
		--dump-dom || { echo "chromium failed"; return 1; }
	k=$(sed -n 's/.*<ul class="search">\(.*\)/\1/p' "$work/sdom" | grep -o '<li' | wc -l)
	echo "search '$1': $k results"
	grep ':CONSOLE' "$work/slog" && return 1
	[ "$k" -ge "$2" ] && [ "$k" -le "$3" ]
}
if command -v chromium >/dev/null; then
	$py -u -m http.server 0 --bind 127.0.0.1 --directory "$HTML" >"$work/http.log" 2>&1 &
	http_pid=$!
	trap 'kill $http_pid 2>/dev/null; rm -rf "$work"' EXIT
	port=
	for i in $(seq 100); do
		port=$(sed -n 's/.* port \([0-9][0-9]*\).*/\1/p' "$work/http.log" | head -1)
		[ -n "$port" ] && break
		sleep 0.1
	done
	base=http://127.0.0.1:$port
	t "a local HTTP server serves the site" test -n "$port"
	for p in $main_pages; do
		shot="$SHOTS/$(echo "${p%.html}" | tr / -).png"
		t "browser: $p loads cleanly (screenshot $shot)" page_ok "$base/$p" "$HTML/$p" "$shot"
	done
	t "browser: the search page finds kho_vmalloc" search_hits kho_vmalloc 1 100000
	t "browser: the search page finds nothing for a word the site lacks" search_hits zqxjkvw 0 0
	# A page with a script error and a missing image is refused.
	printf '<html><body><img src="missing.png"><script>throw new Error("boom")</script></body></html>\n' >"$work/bad/broken.html"
	broken() {
		! page_ok "file://$work/bad/broken.html" "$work/bad/broken.html" "$work/broken.png" \
			>"$work/broken.out" 2>&1 || return 1
		cat "$work/broken.out"
		grep -q 'missing.png: missing' "$work/broken.out" && grep -q 'console:.*boom' "$work/broken.out"
	}
	t "browser check refuses a script error and a missing image" broken
	kill $http_pid 2>/dev/null
else
	notok "browser: chromium is not installed (docs/docs.mk lists it in DEB_PKGS)"
fi
