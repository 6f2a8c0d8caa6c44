#!/usr/bin/python3
"""Reproducibility and coverage of the test vectors (TAP).

    vecrepro.py --rebuilt B/vectors --tmp B/vectors-gen vectors/
    vecrepro.py --summary vectors/manifest.yaml

The first form checks, one TAP test each:
  * every source file (state.yaml, *.dts, manifest.yaml) is exactly what
    conformance/tools/vecgen.py generates now (nothing stale, nothing missing);
  * every committed image is byte-identical to the one rebuilt from the
    sources into B/vectors;
  * every writer requirement of the spec (spec/*.rst '.. req::' IDs
    001-099) has at least one vector that violates it (as an error, a
    warning or, for LUO-PROF-001, a note), and there are at least 150 vectors.
The second prints the vector counts by profile and verdict.
"""
import argparse
import collections
import filecmp
import glob
import os
import re
import shutil
import sys

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
MIN_VECTORS = 150


class Tap:
    def __init__(self):
        self.n = 0
        self.bad = 0

    def test(self, ok, name, why=""):
        self.n += 1
        if not ok:
            self.bad += 1
        print("%s %d - %s%s" % ("ok" if ok else "not ok", self.n, name, "" if ok else " # " + why))


def summary(manifest):
    with open(manifest) as f:
        vecs = yaml.safe_load(f)["vectors"]
    tab = collections.defaultdict(collections.Counter)
    for v in vecs:
        tab[v["profile"]][v["verdict"]] += 1
    print("%-10s %10s %15s %6s" % ("profile", "conformant", "non-conformant", "total"))
    for p in sorted(tab):
        c = tab[p]
        print("%-10s %10d %15d %6d" % (p, c["conformant"], c["non-conformant"], sum(c.values())))
    tot = collections.Counter()
    for c in tab.values():
        tot.update(c)
    print("%-10s %10d %15d %6d" % ("all", tot["conformant"], tot["non-conformant"], sum(tot.values())))


def spec_writer_reqs(root):
    ids = set()
    for fn in glob.glob(os.path.join(root, "spec", "*.rst")):
        with open(fn) as f:
            ids.update(re.findall(r"^\.\. req:: (LUO-[A-Z]+-0\d\d)\s*$", f.read(), re.M))
    return ids


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rebuilt", help="directory the images were rebuilt into")
    ap.add_argument("--tmp", help="scratch directory for the regenerated sources")
    ap.add_argument("--summary", action="store_true")
    ap.add_argument("path", help="the vectors directory (or the manifest with --summary)")
    a = ap.parse_args()
    if a.summary:
        summary(a.path)
        return 0
    import vecgen
    tree = a.path
    tap = Tap()

    # 1. sources in sync with the generator
    if os.path.exists(a.tmp):
        shutil.rmtree(a.tmp)
    os.makedirs(a.tmp)
    vecgen.generate(a.tmp)
    want, have = vecgen.source_files(a.tmp), vecgen.source_files(tree)
    for rel in sorted(want | have):
        if rel not in have:
            tap.test(False, "source " + rel, "not committed (run make vectors-sources)")
        elif rel not in want:
            tap.test(False, "source " + rel, "committed but no longer generated (stale)")
        else:
            tap.test(filecmp.cmp(os.path.join(a.tmp, rel), os.path.join(tree, rel), shallow=False),
                     "source " + rel, "differs from the generator output (run make vectors-sources)")

    # 2. images rebuilt byte-identical
    with open(os.path.join(tree, "manifest.yaml")) as f:
        vecs = yaml.safe_load(f)["vectors"]
    for v in vecs:
        rel = os.path.join(v["id"], v["id"].split("/")[1] + ".img")
        mine, theirs = os.path.join(tree, rel), os.path.join(a.rebuilt, rel)
        if not os.path.exists(mine):
            tap.test(False, "image " + rel, "not committed (run make vectors)")
        elif not os.path.exists(theirs):
            tap.test(False, "image " + rel, "not rebuilt")
        else:
            tap.test(filecmp.cmp(mine, theirs, shallow=False), "image " + rel + " rebuilds identical",
                     "differs from the image rebuilt from its sources (run make vectors)")
    stray = sorted(set(os.path.relpath(p, tree) for p in glob.glob(os.path.join(tree, "*", "*", "*.img")))
                   - {os.path.join(v["id"], v["id"].split("/")[1] + ".img") for v in vecs})
    tap.test(not stray, "no image without a manifest entry", " ".join(stray))

    # 3. coverage
    root = os.path.dirname(os.path.abspath(tree.rstrip("/")))
    reqs = spec_writer_reqs(root)
    tap.test(bool(reqs), "the spec lists writer requirements", "no '.. req::' IDs found under spec/")
    seen = set()
    for v in vecs:
        seen.update(v.get("requirements") or [])
        seen.update(v.get("warnings") or [])
        seen.update(v.get("notes") or [])
    for r in sorted(reqs):
        tap.test(r in seen, "%s has a vector violating it" % r, "no vector")
    tap.test(len(vecs) >= MIN_VECTORS, "at least %d vectors" % MIN_VECTORS, "%d vectors" % len(vecs))
    print("1..%d" % tap.n)
    return 1 if tap.bad else 0


if __name__ == "__main__":
    sys.exit(main())
