#!/usr/bin/python3
"""Run luo-conform on each vector alone and check its exit status (TAP).

    vecexit.py --conform BIN vectors/manifest.yaml

Per vector: 'luo-conform check -q IMAGE' must exit with the status the
manifest implies (0 conformant, 1 non-conformant, 2 for 'exit: 2'
vectors that are no state image) and print nothing a sanitizer prints
(AddressSanitizer / UndefinedBehaviorSanitizer / LeakSanitizer reports,
"runtime error:").  Meant for the ASan + UBSan build, where a report
aborts the process (-fno-sanitize-recover=all, abort_on_error).
"""
import argparse
import os
import re
import subprocess
import sys

import yaml

SAN = re.compile(r"(Sanitizer|runtime error:|LeakSanitizer|AddressSanitizer)")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--conform", required=True)
    ap.add_argument("manifest")
    a = ap.parse_args()
    with open(a.manifest) as f:
        man = yaml.safe_load(f)
    root = os.path.dirname(os.path.dirname(os.path.abspath(a.manifest)))
    env = dict(os.environ, ASAN_OPTIONS="abort_on_error=1:detect_leaks=1",
               UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1")
    vecs = man["vectors"]
    print("1..%d" % len(vecs))
    bad = 0
    for n, v in enumerate(vecs, 1):
        want = v.get("exit") or (0 if v["verdict"] == "conformant" else 1)
        r = subprocess.run([a.conform, "check", "-q", os.path.join(root, v["image"])],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        problems = []
        if r.returncode != want:
            problems.append("exit status %d, expected %d" % (r.returncode, want))
        if SAN.search(r.stderr) or SAN.search(r.stdout):
            problems.append("sanitizer report")
        if problems:
            bad += 1
            print("not ok %d - %s" % (n, v["id"]))
            for p in problems:
                print("# " + p)
            for line in (r.stderr.splitlines() + r.stdout.splitlines())[:12]:
                print("#   " + line)
        else:
            print("ok %d - %s (exit %d)" % (n, v["id"], r.returncode))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
