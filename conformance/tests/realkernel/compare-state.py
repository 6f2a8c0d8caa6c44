#!/usr/bin/python3
# SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
"""compare-state.py CHECK_JSON EXPECT_JSON - test glue of check-real-kernel.

CHECK_JSON: `luo-conform check --format=json --state` of the captured state;
EXPECT_JSON: the guest's RK-EXPECT line.  Reduces the decoded state to what
the guest knows (session names; per memfd: token, size, pos, seals, content
sha256), compares exactly (json keeps 64-bit tokens as integers, which jq
would round), prints the differences and exits 1 if there are any.
"""
import json
import sys


def reduce_got(check):
    sessions = {}
    for s in check["images"][0]["state"]["sessions"]:
        files = {}
        for f in s["files"]:
            m = f.get("memfd") or {}
            files[f["token"]] = {"compatible": f.get("compatible"),
                                 "size": m.get("size"), "pos": m.get("pos"),
                                 "seals": m.get("seals"), "sha256": m.get("sha256")}
        sessions[s["name"]] = files
    return sessions


def reduce_want(expect):
    return {s["name"]: {f["token"]: {"compatible": "memfd-v2", "size": f["size"],
                                     "pos": f["pos"], "seals": f["seals"],
                                     "sha256": f["sha256"]} for f in s["files"]}
            for s in expect["sessions"]}


def main(argv):
    with open(argv[1]) as f:
        got = reduce_got(json.load(f))
    with open(argv[2]) as f:
        want = reduce_want(json.load(f))
    bad = 0
    for name in sorted(set(got) | set(want)):
        if name not in got or name not in want:
            print("session %s: %s" % (name, "missing" if name not in got else "unexpected"))
            bad += 1
            continue
        for tok in sorted(set(got[name]) | set(want[name])):
            g, w = got[name].get(tok), want[name].get(tok)
            if g != w:
                print("session %s token %#x: got %s want %s" % (name, tok, g, w))
                bad += 1
    nfiles = sum(len(v) for v in want.values())
    print("%d sessions, %d memfds, %d differences" % (len(want), nfiles, bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
