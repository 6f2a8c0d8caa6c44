#!/usr/bin/python3
"""Check every test vector with luo-conform and compare with the manifest (TAP).

    veccheck.py --conform B/luo-conform [--images DIR] [--only ID...] vectors/manifest.yaml

Runs 'luo-conform check --format=json --state' on the vectors' images and,
per vector, compares with vectors/manifest.yaml: the verdict (or, for
'exit: 2' vectors, that the image is refused as no state image), the exact
set of ERROR requirement IDs, the exact set of WARNING requirement IDs, the
profile checked, the checked profile's incoming outcome, and for a
conformant vector the decoded state (sessions, files, memfd size, pos,
seals, flags, folio count and content SHA-256, FLBs).  One TAP test per
vector; exit status 1 when any differs.
"""
import argparse
import json
import os
import re
import subprocess
import sys

import yaml

BATCH = 64


def num(x):
    if isinstance(x, str):
        return int(x, 0)
    return x


def run(conform, images):
    """{image path: the JSON record luo-conform printed for it}"""
    out = {}
    for i in range(0, len(images), BATCH):
        part = images[i:i + BATCH]
        r = subprocess.run([conform, "check", "--format=json", "--state"] + part,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            doc = json.loads(r.stdout)
        except ValueError:
            sys.stderr.write(r.stdout[-2000:] + r.stderr[-2000:])
            raise SystemExit("veccheck: luo-conform printed no JSON (status %d)" % r.returncode)
        for rec in doc.get("images", []):
            out[rec["image"]] = rec
    return out


def norm_state(st):
    sessions = []
    for s in st.get("sessions", []):
        files = []
        for f in s.get("files", []):
            m = f.get("memfd")
            if m is not None:
                m = {k: num(m.get(k)) if k != "sha256" else m.get(k)
                     for k in ("size", "pos", "seals", "flags", "nr_folios", "sha256")}
            files.append({"compatible": f.get("compatible"), "token": num(f.get("token")), "memfd": m})
        sessions.append({"name": s.get("name"), "files": files})
    flbs = [{"name": f.get("name"), "data": num(f.get("data")), "count": num(f.get("count"))}
            for f in st.get("flbs", [])]
    return {"sessions": sessions, "flbs": flbs}


def diff_state(want, got, path="state"):
    """First differences between two decoded states, as text lines."""
    out = []
    if isinstance(want, dict) and isinstance(got, dict):
        for k in sorted(set(want) | set(got)):
            out += diff_state(want.get(k), got.get(k), "%s.%s" % (path, k))
    elif isinstance(want, list) and isinstance(got, list):
        if len(want) != len(got):
            out.append("%s: %d entries expected, %d decoded" % (path, len(want), len(got)))
        for i, (a, b) in enumerate(zip(want, got)):
            out += diff_state(a, b, "%s[%d]" % (path, i))
    elif want != got:
        out.append("%s: expected %r, decoded %r" % (path, want, got))
    return out[:8]


def compare(v, rec):
    """List of mismatch descriptions (empty: the vector passes)."""
    bad = []
    if rec is None:
        return ["luo-conform printed no record for the image"]
    want_err = set(v.get("requirements") or [])
    want_warn = set(v.get("warnings") or [])
    if v.get("exit") == 2:
        if rec.get("verdict") != "error":
            bad.append("expected the image to be refused (exit 2), verdict %r" % rec.get("verdict"))
        got = set(re.findall(r"LUO-[A-Z]+-\d{3}", rec.get("error", "")))
        if got != want_err:
            bad.append("refusal names %s, expected %s" % (sorted(got), sorted(want_err)))
        return bad
    verdict = {"conformant": "conformant", "nonconformant": "non-conformant"}.get(rec.get("verdict"),
                                                                                    rec.get("verdict"))
    if verdict != v["verdict"]:
        bad.append("verdict %s, expected %s (%s)" % (verdict, v["verdict"], rec.get("error", "")))
    fs = rec.get("findings", [])
    got_err = {f["req"] for f in fs if f.get("severity") == "error"}
    got_warn = {f["req"] for f in fs if f.get("severity") == "warning"}
    if got_err != want_err:
        bad.append("errors %s, expected %s" % (sorted(got_err), sorted(want_err)))
    if got_warn != want_warn:
        bad.append("warnings %s, expected %s" % (sorted(got_warn), sorted(want_warn)))
    got_note = {f["req"] for f in fs if f.get("severity") == "note"}
    if not set(v.get("notes") or []) <= got_note:
        bad.append("notes %s, expected at least %s" % (sorted(got_note), sorted(v.get("notes") or [])))
    if rec.get("profile") != v["profile"]:
        bad.append("checked as %s, expected %s" % (rec.get("profile"), v["profile"]))
    want_out = v["outcome"][v["profile"]]
    if rec.get("outcome") != want_out:
        bad.append("outcome %s, expected %s" % (rec.get("outcome"), want_out))
    if v.get("state") is not None:
        st = rec.get("state")
        if st is None:
            bad.append("no decoded state printed")
        else:
            if st.get("incomplete"):
                bad.append("decoded state is incomplete")
            want = norm_state(v["state"])
            bad += diff_state(want, norm_state(st))
    if bad:
        for f in fs:
            bad.append("  finding: %s %s at %s: %s" % (f.get("severity"), f.get("req"), f.get("where"), f.get("msg")))
    return bad


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--conform", required=True, help="the luo-conform binary")
    ap.add_argument("--images", help="directory holding <profile>/<name>/<name>.img (default: as in the manifest)")
    ap.add_argument("--only", nargs="*", help="vector ids")
    ap.add_argument("manifest")
    a = ap.parse_args()
    with open(a.manifest) as f:
        man = yaml.safe_load(f)
    vecs = [v for v in man["vectors"] if not a.only or v["id"] in a.only]
    root = os.path.dirname(os.path.dirname(os.path.abspath(a.manifest)))

    def path(v):
        if a.images:
            return os.path.join(a.images, v["id"], v["id"].split("/")[1] + ".img")
        return os.path.join(root, v["image"])
    paths = [path(v) for v in vecs]
    missing = [p for p in paths if not os.path.exists(p)]
    recs = run(a.conform, [p for p in paths if os.path.exists(p)])
    print("1..%d" % len(vecs))
    nbad = 0
    for n, (v, p) in enumerate(zip(vecs, paths), 1):
        bad = ["image %s is missing (run make vectors)" % p] if p in missing else compare(v, recs.get(p))
        if bad:
            nbad += 1
            print("not ok %d - %s" % (n, v["id"]))
            for line in bad:
                print("# " + line)
        else:
            print("ok %d - %s" % (n, v["id"]))
    return 1 if nbad else 0


if __name__ == "__main__":
    sys.exit(main())
