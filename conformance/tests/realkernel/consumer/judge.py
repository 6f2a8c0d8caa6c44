#!/usr/bin/python3
# SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
"""judge.py EXPLAINED SUMMARY_JSON KERNEL RUNDIR... - test glue of
check-real-kernel-consumer: the comparison.

Each RUNDIR is one boot (run-vector.sh): plan.json (expected outcome and
contents), console.log (the serial console), qemu.rc.  The kernel's reaction
is read from the console and named in the manifest's vocabulary:

  panic           the kernel panicked before /init ran
  eio             opening /dev/liveupdate failed with EIO
  enoent          /dev/liveupdate does not exist
  fresh-start     KHO revival disabled ("disabling KHO revival") or LUO found
                  nothing: no expected session can be retrieved
  retrieve-error  sessions retrieved, but retrieving some memfd failed
  accept          every expected session and memfd retrieved, with the
                  expected size, seals, file position and SHA-256 of the
                  contents, and every session finished
and, for reactions outside the vocabulary: runtime-panic (after /init ran),
hang (killed by the timeout), no-init, missing-session (some but not all
sessions), wrong-content, finish-error.

Prints KTAP, one test per run: "ok N ID: expected X, observed Y".  An
`undefined` expectation is always ok (the observation is the point).  A
mismatch is "not ok"; when EXPLAINED (lines "ID<TAB>who: why") explains it,
the line ends "# TODO explained (who): why" and it is counted apart.  Writes
SUMMARY_JSON and exits 1 if any mismatch is unexplained.
"""
import json
import os
import re
import sys

PANIC = re.compile(r"Kernel panic - not syncing: (.*)")


def lines_of(path):
    try:
        with open(path, errors="replace") as f:
            return [l.rstrip("\r\n") for l in f]
    except OSError:
        return []


def console_facts(log):
    facts = {"panic": None, "panic_after_init": False, "begin": False,
             "end": False, "open": None, "sessions": {}, "files": {}, "nfiles": 0,
             "finish": {}, "warnings": 0, "kho_found": False,
             "kho_disabled": False, "luo_found": False, "notes": [], "errs": []}
    for line in log:
        body = re.sub(r"^\[\s*[0-9.]+\]\s*", "", line)
        m = PANIC.search(body)
        if m and facts["panic"] is None:
            facts["panic"] = m.group(1).strip()
            facts["panic_after_init"] = facts["begin"]
        if "KHO: found kexec handover data" in body:
            facts["kho_found"] = True
        if "disabling KHO revival" in body:
            facts["kho_disabled"] = True
        if "Retrieved live update data" in body:
            facts["luo_found"] = True
        if re.match(r"(WARNING:|------------\[ cut here \])", body):
            facts["warnings"] += body.startswith("WARNING:")
        if re.search(r"(KHO|luo|LUO|liveupdate|memfd)[^ ]*:", body) and \
                re.search(r"(fail|invalid|incompatible|mismatch|error|disabl|broken)", body, re.I):
            facts["notes"].append(body)
        parse_lc(body, facts)
    return facts


def parse_lc(body, facts):
    w = body.split()
    if not w or not w[0].startswith("LC-"):
        return
    tag = w[0]
    if tag == "LC-BEGIN":
        facts["begin"] = True
    elif tag == "LC-END":
        facts["end"] = True
    elif tag == "LC-OPEN":
        facts["open"] = "ok" if w[1:2] == ["ok"] else w[1].split("=", 1)[-1]
    elif tag == "LC-SESSION" and len(w) >= 3:
        facts["sessions"][w[1]] = " ".join(w[2:])
    elif tag == "LC-FILE" and len(w) >= 4:
        kv = dict(x.split("=", 1) for x in w[4:] if "=" in x)
        if w[3] == "ok":
            kv["ok"] = True
        else:
            kv["err"] = w[3].split("=", 1)[-1]
        # Keyed by (session, token): a duplicate token keeps the first answer
        # for the content check, but every answer is counted.
        facts["files"].setdefault((w[1], int(w[2], 16)), kv)
        facts["nfiles"] += 1
        if "err" in kv:
            facts["errs"].append("%s/%s: %s" % (bytes.fromhex(w[1]).decode("utf-8", "replace"),
                                                w[2], kv["err"]))
    elif tag == "LC-FINISH" and len(w) >= 3:
        facts["finish"][w[1]] = w[2]


def content_problems(state, facts):
    """Differences between the retrieved memfds and the expected ones."""
    probs = []
    for s in state.get("sessions", []):
        sh = s["name"].encode("utf-8", "surrogateescape").hex()
        for fl in s["files"]:
            got = facts["files"].get((sh, int(fl["token"])))
            m = fl.get("memfd") or {}
            if not got or not got.get("ok"):
                continue
            want = {"size": m.get("size"), "seals": m.get("seals"),
                    "pos": m.get("pos"), "sha256": m.get("sha256")}
            have = {"size": int(got["size"]), "seals": int(got["seals"], 16),
                    "pos": int(got["pos"]), "sha256": got["sha256"]}
            for k, v in want.items():
                if v is not None and have[k] != v:
                    probs.append("%s/%#x %s %s, expected %s" % (
                        s["name"], int(fl["token"]), k, have[k], v))
    return probs


def classify(plan, facts, rc):
    """The observed outcome and a short account of it."""
    if facts["panic"] is not None:
        kind = "runtime-panic" if facts["panic_after_init"] else "panic"
        return kind, "panic: " + facts["panic"]
    if not facts["begin"]:
        return ("hang" if rc == 124 else "no-init"), "qemu rc %d, /init never ran" % rc
    if facts["open"] is None:
        return "no-init", "/init stopped before opening /dev/liveupdate"
    if facts["open"] != "ok":
        return {"EIO": "eio", "ENOENT": "enoent"}.get(facts["open"], "open-" + facts["open"]), \
            "open /dev/liveupdate: " + facts["open"]
    state = plan.get("state") or {"sessions": []}
    names = [s["name"].encode("utf-8", "surrogateescape").hex() for s in state.get("sessions", [])]
    got = [n for n in names if facts["sessions"].get(n, "").startswith("ok")]
    if facts["kho_disabled"] or not facts["kho_found"]:
        if got:
            return "accept?", "sessions retrieved although KHO revival was disabled"
        return "fresh-start", "KHO revival disabled; %d expected sessions absent" % len(names)
    if names and not got:
        return "fresh-start", "KHO revived, %s; none of %d sessions present" % (
            "LUO state found" if facts["luo_found"] else "no LUO state", len(names))
    if len(got) != len(names):
        return "missing-session", "%d of %d sessions retrieved" % (len(got), len(names))
    if facts["errs"]:
        return "retrieve-error", "; ".join(facts["errs"][:4])
    nfiles = sum(len(s["files"]) for s in state.get("sessions", []))
    if facts["nfiles"] != nfiles:
        return "missing-file", "%d of %d memfds reported" % (facts["nfiles"], nfiles)
    probs = content_problems(state, facts)
    if probs:
        return "wrong-content", "; ".join(probs[:4])
    bad_fin = [k for k, v in facts["finish"].items() if v != "ok"]
    if bad_fin:
        return "finish-error", "finish failed for %d sessions" % len(bad_fin)
    trunc = sum(1 for v in facts["sessions"].values() if "truncated" in v)
    what = "%d sessions, %d memfds retrieved and verified%s" % (
        len(names), nfiles, "" if plan.get("state") else " (no decodable state to compare)")
    if trunc:
        what += "; %d session names only under their 63-byte prefix" % trunc
    return "accept", what


def load_explained(path):
    out = {}
    for line in lines_of(path):
        if line.strip() and not line.startswith("#") and "\t" in line:
            vid, why = line.split("\t", 1)
            out[vid.strip()] = why.strip()
    return out


def main(argv):
    explained = load_explained(argv[1])
    summary_path, kernel, runs = argv[2], argv[3], argv[4:]
    print("KTAP version 1")
    print("1..%d" % len(runs))
    summary = {"kernel": kernel, "vectors": len(runs), "as_expected": 0,
               "undefined": 0, "mismatches": [], "results": []}
    unexplained = 0
    for n, run in enumerate(runs, 1):
        with open(os.path.join(run, "plan.json")) as f:
            plan = json.load(f)
        rc = int((lines_of(os.path.join(run, "qemu.rc")) or ["255"])[0])
        facts = console_facts(lines_of(os.path.join(run, "console.log")))
        variant = (lines_of(os.path.join(run, "variant")) or ["?"])[0]
        if plan.get("clash"):
            observed, what = "not-run", "needs relocation: " + "; ".join(plan["clash"])
        elif rc == 254:
            observed, what = "not-run", "no %s kernel was built for this writer geometry" % variant
        else:
            observed, what = classify(plan, facts, rc)
        if facts["notes"] and observed != "accept":
            what += " [%s]" % facts["notes"][0]
        if facts["warnings"]:
            what += "; %d kernel WARNING(s)" % facts["warnings"]
        exp, vid = plan["expected"], plan["id"]
        line = "%s: expected %s, observed %s (%s kernel: %s)" % (vid, exp, observed, variant, what)
        summary["results"].append({"id": vid, "expected": exp, "observed": observed,
                                   "detail": what, "log": os.path.join(run, "console.log")})
        if exp == "undefined" and observed not in ("not-run", "hang", "no-init"):
            summary["undefined"] += 1
            print("ok %d %s" % (n, line))
        elif observed == exp:
            summary["as_expected"] += 1
            print("ok %d %s" % (n, line))
        else:
            why = explained.get(vid)
            summary["mismatches"].append({"id": vid, "expected": exp, "observed": observed,
                                          "detail": what, "why": why or "UNEXPLAINED"})
            if why:
                print("not ok %d %s # TODO explained (%s)" % (n, line, why))
            else:
                unexplained += 1
                print("not ok %d %s" % (n, line))
                for note in facts["notes"][:6]:
                    print("# " + note)
    summary["unexplained"] = unexplained
    with open(summary_path, "w") as f:
        json.dump(summary, f, indent=1)
        f.write("\n")
    print("# %d as expected, %d undefined (observed), %d mismatches (%d explained)" % (
        summary["as_expected"], summary["undefined"], len(summary["mismatches"]),
        len(summary["mismatches"]) - unexplained))
    return 1 if unexplained else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
