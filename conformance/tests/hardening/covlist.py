#!/usr/bin/python3
# SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
"""covlist.py - what 'make coverage' has not reached, per file, from a
gcovr JSON report: the uncovered lines (as ranges) and the lines with a
branch never taken (count of untaken branches in brackets).  Prints
nothing for a file that is fully covered."""
import json
import sys


def ranges(nums):
    out, start, prev = [], None, None
    for n in nums:
        if start is None:
            start = prev = n
        elif n == prev + 1:
            prev = n
        else:
            out.append(str(start) if start == prev else "%d-%d" % (start, prev))
            start = prev = n
    if start is not None:
        out.append(str(start) if start == prev else "%d-%d" % (start, prev))
    return ",".join(out)


def main(path):
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    nlines = nbr = 0
    for fc in sorted(data["files"], key=lambda x: x["file"]):
        lines, brs = [], []
        for ln in fc["lines"]:
            if ln.get("gcovr/noncode") or ln.get("gcovr/excluded"):
                continue
            if ln["count"] == 0:
                lines.append(ln["line_number"])
            miss = sum(1 for b in ln["branches"] if not b["count"])
            if miss:
                brs.append("%d[%d]" % (ln["line_number"], miss) if miss > 1
                           else str(ln["line_number"]))
        nlines += len(lines)
        nbr += len(brs)
        if lines:
            print("coverage: %s lines not run: %s" % (fc["file"], ranges(lines)))
        if brs:
            print("coverage: %s branches not taken at lines: %s" % (fc["file"], " ".join(brs)))
    print("coverage: %d uncovered lines, %d lines with an untaken branch" % (nlines, nbr))


if __name__ == "__main__":
    main(sys.argv[1])
