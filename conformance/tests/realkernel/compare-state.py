#!/usr/bin/python3
# SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
"""compare-state.py - test glue of check-real-kernel.

  compare-state.py state CHECK_JSON CONSOLE_LOG PROFILE
      CHECK_JSON: `luo-conform check --format=json --state` of a captured
      state; CONSOLE_LOG: the guest's console, whose RK-EXPECT lines (one
      per session) and RK-PRESERVED line say what it preserved.  Reduces
      the decoded state to what the guest knows (session names; per file:
      token, handler compatible, size, pos, seals, content sha256) and
      compares exactly (json keeps 64-bit tokens as integers, which jq
      would round).  Prints the differences; exit 1 if there are any.
  compare-state.py chains CHECK_JSON PROFILE SESSION
      The profile's LUO component keeps sessions and files in block chains
      (luo-v5): the decoded state must have more sessions than one session
      block holds and SESSION more files than one file block holds, so both
      chains had a second block.  Per-block capacities come from spec/abi
      (4 KiB pages).  Exit 77 if the profile has no block chains.
  compare-state.py seals PROFILE
      Prints 1 if the profile's memfd handler carries seals, else 0.
"""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "tools"))
import luoabi  # noqa: E402

PAGE_SIZE = 4096    # x86-64, the only architecture the test boots


def handler(abi, profile):
    """(compatible, carries seals) of the profile's memfd handler."""
    cid = abi.profiles[profile]["components"]["handlers"][0]
    comp = abi.components[cid]
    data = str(comp.get("data", ""))
    if not data.startswith("struct:"):
        return comp["compatible"], False   # memfd-v1 as an FDT: no seals
    _, st = abi.find_struct(cid, data.split(":", 1)[1])
    return comp["compatible"], any(f["name"] == "seals" for f in st["fields"])


def block_capacity(abi, profile):
    """{area name: entries per block} of a LUO component with block chains."""
    cid = abi.profiles[profile]["components"]["luo"]
    env = abi.env(cid, PAGE_SIZE)
    out = {}
    for area in abi.components[cid].get("areas", []):
        if "block" not in area:
            continue
        _, k = abi.find_const(cid, area["max"])
        out[area["name"]] = abi.value(k, env, "%s.%s" % (cid, area["max"]))
    return out


def reduce_got(check, seals):
    """seals: whether the handler carries them; luo-conform prints 0 when
    it does not, so they are left out of the comparison then."""
    sessions = {}
    for s in check["images"][0]["state"]["sessions"]:
        files = {}
        for f in s["files"]:
            m = f.get("memfd") or {}
            files[f["token"]] = {"compatible": f.get("compatible"),
                                 "size": m.get("size"), "pos": m.get("pos"),
                                 "seals": m.get("seals") if seals else None,
                                 "sha256": m.get("sha256")}
        sessions[s["name"]] = files
    return sessions


def read_expect(path):
    """Sessions from the RK-EXPECT lines; the RK-PRESERVED counts."""
    sessions, counts = [], None
    with open(path, errors="replace") as f:
        for line in f:
            line = line.strip("\r\n")
            if line.startswith("RK-EXPECT "):
                sessions.append(json.loads(line[len("RK-EXPECT "):]))
            elif line.startswith("RK-PRESERVED "):
                counts = dict(kv.split("=") for kv in line.split()[1:])
    return sessions, counts


def reduce_want(sessions, compatible, seals):
    return {s["name"]: {f["token"]: {"compatible": compatible, "size": f["size"],
                                     "pos": f["pos"],
                                     "seals": f["seals"] if seals else None,
                                     "sha256": f["sha256"]} for f in s["files"]}
            for s in sessions}


def cmd_state(check_path, console, profile):
    abi = luoabi.load()
    compatible, seals = handler(abi, profile)
    with open(check_path) as f:
        check = json.load(f)
    got = reduce_got(check, seals)
    sessions, counts = read_expect(console)
    want = reduce_want(sessions, compatible, seals)
    nfiles = sum(len(v) for v in want.values())
    bad = 0
    if not counts or int(counts["sessions"]) != len(sessions) or \
            int(counts["files"]) != nfiles or len(want) != len(sessions):
        print("RK-EXPECT lines (%d sessions, %d files) do not match RK-PRESERVED %s"
              % (len(sessions), nfiles, counts))
        bad += 1
    if check["images"][0]["state"].get("incomplete"):
        print("the decoded state is marked incomplete")
        bad += 1
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
    sizes = sorted(f["size"] for s in sessions for f in s["files"])
    print("%d sessions (%d empty), %d %s files of %d..%d bytes, %d differences"
          % (len(want), sum(1 for v in want.values() if not v), nfiles,
             compatible, sizes[0] if sizes else 0, sizes[-1] if sizes else 0, bad))
    return 1 if bad else 0


def cmd_chains(check_path, profile, session):
    abi = luoabi.load()
    cap = block_capacity(abi, profile)
    if "sessions" not in cap or "files" not in cap:
        print("profile %s keeps no block chains" % profile)
        return 77
    with open(check_path) as f:
        state = json.load(f)["images"][0]["state"]
    nsess = len(state["sessions"])
    nfiles = max((len(s["files"]) for s in state["sessions"] if s["name"] == session),
                 default=0)
    ok = nsess > cap["sessions"] and nfiles > cap["files"]
    print("%d sessions %s %d per session block, %d files in %s %s %d per file block%s"
          % (nsess, ">" if nsess > cap["sessions"] else "<=", cap["sessions"],
             nfiles, session, ">" if nfiles > cap["files"] else "<=", cap["files"],
             ": both chains have 2+ blocks" if ok else ""))
    return 0 if ok else 1


def main(argv):
    if len(argv) == 5 and argv[1] == "state":
        return cmd_state(argv[2], argv[3], argv[4])
    if len(argv) == 5 and argv[1] == "chains":
        return cmd_chains(argv[2], argv[3], argv[4])
    if len(argv) == 3 and argv[1] == "seals":
        print(1 if handler(luoabi.load(), argv[2])[1] else 0)
        return 0
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
