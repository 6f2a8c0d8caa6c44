#!/bin/bash
# TAP tests of the benchmark tools (conformance/bench) at a tiny size:
# generated images are conformant, deterministic and sparse where they
# should be; bad shapes are refused; the runner's JSON parses, holds every
# measurement and target, flags a non-conformant image, and renders to RST.
# No timing is asserted.
set -u
B=${B:-build}
top=$(cd "$(dirname "$0")/../../.." && pwd)
cd "$top"
gen=$B/luo-bench-gen
run=$B/luo-bench-run
seqread=$B/luo-bench-seqread
conform=$B/luo-conform
py=/usr/bin/python3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
. "$top/conformance/tests/tap.sh"
check() { local d=$1; shift; if "$@" >"$work/out" 2>&1; then ok "$d"; else notok "$d" "$(head -c 800 "$work/out")"; fi; }

# 1. every profile the generator writes, both KHO map formats, orders, gaps
shapes="v7.1_s2_f3_n5_o0_x1 v7.0_s3_f2_n9_o0_x2 v7.1_s1_f1_n40_o9_x1 v7.0_s2_f1_n600_o1_x3
v6.19_s2_f2_n3_o0_x1 v7.1_s4_f0_n0_o0_x1 v7.0_s0_f0_n0_o0_x1"
for s in $shapes; do
	if ! "$gen" "$s" "$work/$s.img" 2>"$work/err"; then
		notok "$s: generated" "$(cat "$work/err")"
		continue
	fi
	check "$s: luo-conform check finds it conformant" "$conform" check "$work/$s.img"
	out=$("$conform" check --format=json "$work/$s.img")
	check "$s: the JSON report has the shape's profile and counts" $py -c '
import json, sys
r = json.loads(sys.argv[1])["images"][0]
p, s, f, n = sys.argv[2].split("_")[:4]
s, f, n = int(s[1:]), int(f[1:]), int(n[1:])
assert r["profile"] == p, r["profile"]
assert r["errors"] == 0 and r["warnings"] == 0 and r["notes"] == 0, r
c = r["counts"]
assert (c["sessions"], c["files"], c["folios"]) == (s, s * f, s * f * n), c
' "$out" "$s"
done

# 2. the counts in the state: sessions, files and folios as the shape says
s=v7.0_s3_f2_n9_o0_x2
out=$("$conform" check --format=json --state "$work/$s.img" 2>&1)
check "$s: decoded state: 3 sessions of 2 memfds of 9 zero pages" $py -c '
import hashlib, json, sys
st = json.loads(sys.argv[1])["images"][0]["state"]
assert len(st["sessions"]) == 3, st
zero = hashlib.sha256(bytes(9 * 4096)).hexdigest()
for i, sess in enumerate(st["sessions"]):
    assert sess["name"] == "bench-session-%d" % i and len(sess["files"]) == 2, sess
    for k, f in enumerate(sess["files"]):
        m = f["memfd"]
        assert f["compatible"] == "memfd-v1" and f["token"] == k + 1, f
        assert m["nr_folios"] == 9 and m["size"] == 9 * 4096 and m["sha256"] == zero, f
' "$out"

# 3. deterministic, cached by shape, sparse data
"$gen" v7.1_s2_f3_n5_o0_x1 "$work/again.img" 2>/dev/null
check "the same shape gives the same bytes" cmp "$work/v7.1_s2_f3_n5_o0_x1.img" "$work/again.img"
"$gen" v7.1_s1_f1_n65536_o0_x1 "$work/big.img" 2>/dev/null
check "folio data is one shared block: 256 MiB of folios, image under 2 MiB + array" $py -c '
import os, sys
st = os.stat(sys.argv[1])
info = dict(l.split() for l in open(sys.argv[1] + ".info"))
assert int(info["data_bytes"]) == 65536 * 4096, info
assert st.st_size < 1024 * 1024 + int(info["meta_bytes"]) + 4 * 1024 * 1024, st.st_size
assert int(info["meta_bytes"]) >= 65536 * 16, info
' "$work/big.img"
check "luo-conform check finds the 65536-folio image conformant" "$conform" check -q "$work/big.img"

# 4. refused shapes leave nothing behind
for bad in v7.1_s1_f1 v9.9_s1_f1_n1_o0_x1 v7.1_s820_f1_n1_o0_x1 v7.1_s1_f129_n1_o0_x1 \
	   v7.1_s1_f1_n1_o11_x1 v7.1_s1_f1_n1_o0_x0 series-v6_s1_f1_n1_o0_x1; do
	"$gen" "$bad" "$work/bad.img" >/dev/null 2>&1
	rc=$?
	if [ $rc -eq 2 ] && ! ls "$work"/bad.img* >/dev/null 2>&1; then ok "shape $bad refused (exit 2, no file)"
	else notok "shape $bad refused (exit 2, no file)" "exit $rc; files: $(ls "$work" | grep bad)"; fi
done

# 5. the runner: every measurement, the targets, and a report that renders
imgs="--image $work/v7.1_s2_f3_n5_o0_x1.img --image $work/v7.0_s3_f2_n9_o0_x2.img --image $work/big.img"
scale="$work/v7.1_s2_f3_n5_o0_x1.img,$work/v7.0_s3_f2_n9_o0_x2.img,$work/big.img"
vec=
if [ -x /usr/bin/dt-validate ] && [ -f "$B/vectors-schema.json" ]; then
	for v in v7.0/one-memfd v7.1/one-memfd; do
		dts=vectors/$v/luo.dts
		dtc -q -I dts -O dtb -o "$work/$(echo $v | tr / -).dtb" "$dts" &&
			echo "vectors/$v/$(basename $v).img $work/$(echo $v | tr / -).dtb"
	done >"$work/vectors.list"
	vec="--vectors $work/vectors.list --schema $B/vectors-schema.json --dt-validate /usr/bin/dt-validate"
fi
"$run" --conform "$conform" --seqread "$seqread" --reps 2 $imgs --scale "$scale" $vec \
	--tiny "$work/v7.0_s0_f0_n0_o0_x1.img" \
	--out "$work/results.json" >"$work/run.out" 2>&1
rc=$?
if [ $rc -eq 0 ]; then ok "luo-bench-run exits 0 on conformant images"; else notok "luo-bench-run exits 0 on conformant images" "$(cat "$work/run.out")"; fi
check "results.json parses and holds every measurement" $py -c '
import json, sys
r = json.load(open(sys.argv[1]))
assert r["reps"] == 2 and len(r["images"]) == 3
for img in r["images"]:
    for k in ("check", "cat", "touch", "readall"):
        s = img[k]
        assert len(s["times_s"]) == 2 and s["min_s"] <= s["median_s"], (k, s)
        assert all(t > 0 for t in s["times_s"]) and s["status"] == [0, 0], (k, s)
    assert img["check"]["max_rss_kib"] > 0 and img["meta_bytes"] > 0
    assert img["time_target"] in ("pass", "fail", "n/a") and img["rss_target"] in ("pass", "fail")
sc = r["scaling"]
assert sc["startup_s"] > 0, sc
assert sc["factors"][0] == 1 and abs(sc["factors"][2] - 65536 / 30) <= 1, sc
assert [t["id"] for t in r["targets"]] == ["time", "linear", "rss", "fdt"]
assert all(t["result"] in ("pass", "fail", "n/a") for t in r["targets"])
if sys.argv[2] == "vec":
    f = r["fdt"]
    assert f["count"] == 2 and f["dt_validate"]["per_fdt_s"] > 0 and f["ratio_per_fdt"] > 0, f
    # luo-conform reads the FDTs dt-validate reads, and the images beside them
    assert f["luo_conform"]["per_fdt_s"] > 0 and f["luo_conform_images"]["per_image_s"] > 0, f
    assert f["luo_conform_images"]["ratio_per_fdt"] > 0, f
' "$work/results.json" "${vec:+vec}"
check "the runner prints every target as PASS, FAIL or N/A" $py -c '
import sys
lines = open(sys.argv[1]).read().splitlines()
for t in ("time", "linear", "rss", "fdt"):
    assert any(l.split()[:2][1:] == [t + ":"] and l.split()[0] in ("PASS", "FAIL", "N/A") for l in lines), t
' "$work/run.out"
check "report.py renders the results as RST" $py conformance/bench/report.py "$work/results.json" "$work/results.rst"
check "the RST has the targets, every image, the scaling and the FDT comparison" $py -c '
import json, sys
rst = open(sys.argv[1]).read()
r = json.load(open(sys.argv[2]))
for w in ["Results", "Large states", "Scaling", "time", "linear", "rss", "fdt"] + \
         [i["shape"] for i in r["images"]] + (["dt-validate"] if r["fdt"] else []):
    assert w in rst, w
' "$work/results.rst" "$work/results.json"
if $py -c 'import docutils' 2>/dev/null; then
	check "the RST is valid reStructuredText" $py -c '
import sys, docutils.core, docutils.utils
src = open(sys.argv[1]).read()
docutils.core.publish_doctree(src, settings_overrides={"halt_level": 2, "report_level": 2})
' "$work/results.rst"
fi

# 6. a non-conformant image is an error of the run, not a result
cp vectors/v7.1/kho-compat-missing/kho-compat-missing.img "$work/broken.img"
cp "$work/v7.1_s2_f3_n5_o0_x1.img.info" "$work/broken.img.info"
"$run" --conform "$conform" --seqread "$seqread" --reps 1 --image "$work/broken.img" \
	--out "$work/broken.json" >"$work/broken.out" 2>&1
rc=$?
if [ $rc -eq 1 ] && grep -q "conformant" "$work/broken.out"; then ok "luo-bench-run exits 1 when a check fails"
else notok "luo-bench-run exits 1 when a check fails" "exit $rc" "$(cat "$work/broken.out")"; fi
# 7. differential: the core's folio fast path against the entry-by-entry walk
#    (diffcheck-slow) on damaged copies of generated images: same output
diff=$B/tests/bench/diffcheck
slow=$B/tests/bench/diffcheck-slow
mkdir -p "$work/diff"
# (the last base, in 1.5 MiB of workspace, has room for its folio ranges
# but not for the page bitmap of its folios, one per 4 MiB: the range set
# decides; a few damages only, its KHO map is large)
for spec in v7.1_s1_f2_n700_o0_x1 v7.0_s2_f1_n300_o0_x2 v7.1_s1_f1_n64_o1_x1 \
	    v7.0_s1_f2_n32700_o0_x1 v7.1_s1_f1_n20000_o0_x1024:1572864; do
	base=${spec%%:*}
	ws=${spec#"$base"}; ws=${ws#:}
	"$gen" "$base" "$work/diff/$base.img" 2>/dev/null || { notok "$base: generated"; continue; }
	$py - "$work/diff/$base.img" <<'PY' || notok "$base: damaged copies written"
import random, struct, sys
img = sys.argv[1]
few = "x1024" in img
info = dict(l.split() for l in open(img + ".info"))
meta_off, meta_phys = int(info["meta_off"]), int(info["meta_phys"], 16)
vm, kmap = int(info["vm_phys"], 16), int(info["kmap_phys"], 16)
n, order = int(info["folios"]), int(info["order"])
nfiles = int(info["sessions"]) * int(info["files"])
arr_pages = (n * 16 + 4095) // 4096
chunks = (arr_pages + 510) // 511
# the metadata; the rest of the file is the zero block of the folio data (a hole)
stored = meta_off + int(info["meta_bytes"])
with open(img, "rb") as fh:
    data = bytearray(fh.read(stored))
def off(phys):
    return meta_off + phys - meta_phys
def ent(f, k):
    return off(vm + (f * (chunks + arr_pages) + chunks) * 4096 + k * 16)
def rd(o):
    return struct.unpack_from("<Q", data, o)[0]
PFN = (1 << 52) - 1
muts = []
def mut(name, edits):
    muts.append((name, edits))
ks = sorted(set(k for k in (0, 1, 2, 100, 255, 256, 257, n // 2, n - 2, n - 1) if 0 <= k < n))
if few:
    ks = [1, n // 2]
elif n > 10000:
    ks = [1, 256, n // 2, n - 1]
for k in ks:
    d, i = rd(ent(0, k)), rd(ent(0, k) + 8)
    p = d & PFN
    if k:
        mut("dup%d" % k, [(ent(0, k), (d & ~PFN) | (rd(ent(0, k - 1)) & PFN))])
    mut("pfn+1-%d" % k, [(ent(0, k), d + 1)])
    mut("pfn0-%d" % k, [(ent(0, k), d & ~PFN)])
    mut("flag8-%d" % k, [(ent(0, k), d | (8 << 52))])
    mut("flag0-%d" % k, [(ent(0, k), d & PFN)])
    mut("idx+1-%d" % k, [(ent(0, k) + 8, i + 1)])
    mut("idx-1-%d" % k, [(ent(0, k) + 8, (i - 1) % (1 << 64))])
    mut("idxbig-%d" % k, [(ent(0, k) + 8, 1 << 40)])
    mut("absent-%d" % k, [(ent(0, k), (d & ~PFN) | (0x7000000000 >> 12))])
    mut("onvm-%d" % k, [(ent(0, k), (d & ~PFN) | (vm >> 12))])
    if nfiles > 1:
        mut("cross-%d" % k, [(ent(0, k), (d & ~PFN) | (rd(ent(1, k)) & PFN))])
    if k:
        # the tail moves up one page: a gap, and the last index past the file
        mut("tail-%d" % k, [(ent(0, j) + 8, rd(ent(0, j) + 8) + (1 << order)) for j in range(k, n)])
if n >= 3:
    # the last two entries: a run that starts exactly at the end of the file
    mut("beyond2", [(ent(0, n - 2) + 8, n << order), (ent(0, n - 1) + 8, (n + 1) << order)])
rnd = random.Random(7)
for r in range(0 if few else 8):
    e = []
    for _ in range(1 + r % 3):
        o = ent(rnd.randrange(nfiles), rnd.randrange(n)) + rnd.randrange(16)
        e.append((o - o % 8, rd(o - o % 8) ^ (1 << rnd.randrange(64))))
    mut("flip%d" % r, e)
# the KHO map: flip a bit of a word in use (a bitmap word, a pointer, a header)
used = [o for o in range(off(kmap), stored - 7, 8) if rd(o)]
for r in range(0 if few else 12):
    o = rnd.choice(used)
    mut("kmap%d" % r, [(o, rd(o) ^ (1 << rnd.randrange(64)))])
for name, edits in muts:
    d2 = bytearray(data)
    for o, v in edits:
        struct.pack_into("<Q", d2, o, v)
    with open("%s.%s.img" % (img[:-4], name), "wb") as fh:
        fh.write(d2)
        fh.truncate(int(info["file_bytes"]))

PY
	imgs=$(ls "$work/diff/$base".*.img "$work/diff/$base.img")
	fo=--folios
	case $base in *n32700* | *x1024*) fo= ;; esac
	LUOC_DIFFCHECK_WS=$ws "$diff" $fo $imgs >"$work/diff/fast.out" 2>&1
	LUOC_DIFFCHECK_WS=$ws "$slow" $fo $imgs >"$work/diff/slow.out" 2>&1
	bad=$(grep -c "^result .* [1-9][0-9]* errors" "$work/diff/fast.out")
	total=$(grep -c "^result" "$work/diff/fast.out")
	if cmp -s "$work/diff/fast.out" "$work/diff/slow.out"; then
		ok "$base: fast path and entry-by-entry walk agree on $total images ($bad with errors)"
	else
		notok "$base: fast path and entry-by-entry walk agree" \
			"$(diff "$work/diff/slow.out" "$work/diff/fast.out" | head -20)"
	fi
	if [ "$bad" -ge $((total / 2)) ] && grep -q "^result $work/diff/$base.img rc 0: 0 errors" "$work/diff/fast.out"; then
		ok "$base: the damage is found (not a vacuous comparison)"
	else
		notok "$base: the damage is found" "$bad of $total images with errors"
	fi
	rm -f "$work/diff/$base".*
done
echo "1..$n"
