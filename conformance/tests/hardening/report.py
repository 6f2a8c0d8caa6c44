#!/usr/bin/python3
# SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
"""report.py - docs/hardening/results.rst from the last hardening runs:
the fuzz campaign ledger (conformance/fuzz/ledger.sh's file), the summary
'make coverage' writes and the TAP of the last full 'make mutate', with the
equivalent mutants' reasons from mutants.def.  A missing input is said so
in the page, not guessed."""
import argparse
import os
import re

GOAL = 10_000_000
KINDS = {"LIM": "off-by-one on a limit", "DEL": "a check removed", "BO": "byte order",
         "OFF": "a field offset", "RET": "a return value ignored",
         "PRES": "a preservation skipped (reference)"}


def table(out, head, rows):
    out.append(".. list-table::")
    out.append("   :header-rows: 1")
    out.append("")
    for row in [head] + rows:
        out.append("   * - " + str(row[0]))
        out.extend("     - " + str(c) for c in row[1:])
    out.append("")


def section(out, title):
    out += [title, "~" * len(title), ""]


def fuzz(out, path):
    section(out, "Fuzzing")
    if not os.path.exists(path):
        out += ["No fuzz campaign ledger (``%s``): run ``make fuzz``." % path, ""]
        return
    per = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            date, tgt, secs, execs, crashes, commit = line.rstrip("\n").split("\t")
            t = per.setdefault(tgt, {"runs": 0, "s": 0, "e": 0, "c": 0, "clean": 0, "last": ""})
            t["runs"] += 1
            t["s"] += int(secs)
            t["e"] += int(execs)
            t["c"] += int(crashes)
            t["clean"] = 0 if int(crashes) else t["clean"] + int(execs)
            t["last"] = "%s (%s)" % (date[:10], commit)
    out += ["libFuzzer with ASan and UBSan, every run of ``make fuzz`` added up "
            "(``make fuzz-report``).  *Clean* counts the executions since the last run "
            "that crashed; the goal is %d million of them per target." % (GOAL // 1_000_000), ""]
    rows = []
    for tgt, t in per.items():
        rows.append(["``%s``" % tgt, t["runs"], "%.1f" % (t["s"] / 3600), "{:,}".format(t["e"]),
                     t["c"], "{:,}".format(t["clean"]),
                     "**met**" if t["clean"] >= GOAL else "not yet", t["last"]])
    table(out, ["target", "runs", "hours", "executions", "crashes", "clean", "goal", "last run"],
          rows)


def coverage(out, path):
    section(out, "Coverage")
    if not os.path.exists(path):
        out += ["No coverage summary (``%s``): run ``make coverage``." % path, ""]
        return
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = re.match(r"(.*?)(lines|branches): ([0-9.]+%) \((\d+) out of (\d+)\)", line.strip())
            if m:
                what = m.group(1).rstrip(": ") or "checker core (conformance/lib)"
                rows.append([what, m.group(2), m.group(3), "%s of %s" % (m.group(4), m.group(5))])
    out += ["gcov through gcovr, over the core's unit tests, every vector and the image "
            "and CLI tests (``make coverage``, which lists every line not run and every "
            "branch not taken).  The goal is 100% of the core's lines and 95% of its "
            "branches.", ""]
    table(out, ["code", "measure", "covered", "count"], rows)


def equivalents(defs):
    reasons, comment = {}, []
    with open(defs, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#"):
                comment.append(line[1:].strip())
                continue
            parts = [p.strip() for p in line.split("@@")]
            if len(parts) == 5 and "equiv" in parts[4].split():
                text = " ".join(comment)
                reasons[parts[0]] = text.split(" is equivalent: ", 1)[-1]
            comment = []
    return reasons


def mutation(out, path, defs):
    section(out, "Mutation testing")
    if not os.path.exists(path):
        out += ["No mutation run (``%s``): run ``make mutate``." % path, ""]
        return
    with open(path, encoding="utf-8") as f:
        tap = f.read().splitlines()
    summary = [l for l in tap if l.startswith("# mutants:")]
    kinds = {}
    for line in tap:
        m = re.match(r"(?:not )?ok \d+ - ([A-Z]+)\d+ ", line)
        if m:
            kinds[m.group(1)] = kinds.get(m.group(1), 0) + 1
    out += ["Each mutant of ``conformance/tests/hardening/mutants.def`` is applied to a "
            "private copy of the tree, built, and run against the core tests, the vectors "
            "and (for the reference's) the reference tests (``make mutate``).", ""]
    out += ["Last full run: %s." % (summary[-1][2:] if summary else "no summary line"), ""]
    table(out, ["kind", "what", "mutants"],
          [[k, KINDS.get(k, ""), n] for k, n in sorted(kinds.items())])
    surv = [l for l in tap if l.startswith("not ok")]
    if surv:
        out += ["Survivors:", ""] + ["* ``%s``" % l for l in surv] + [""]
    reasons = equivalents(defs)
    if reasons:
        out += ["Equivalent mutants (no input can change a result):", ""]
        out += ["* ``%s``: %s" % (k, v) for k, v in sorted(reasons.items())] + [""]


def main():
    ap = argparse.ArgumentParser()
    for a in ("ledger", "coverage", "mutate", "mutants", "out"):
        ap.add_argument("--" + a, required=True)
    o = ap.parse_args()
    out = [".. Generated by conformance/tests/hardening/report.py ('make hardening-report')"
           " -- do not edit.", "", "Results", "-------", ""]
    fuzz(out, o.ledger)
    coverage(out, o.coverage)
    mutation(out, o.mutate, o.mutants)
    with open(o.out, "w", encoding="utf-8") as f:
        f.write("\n".join(out).rstrip("\n") + "\n")


if __name__ == "__main__":
    main()
