#!/usr/bin/python3
"""Apply one mutant (build glue for mutate.sh).

    mutapply.py FILE ORIGINAL REPLACEMENT yes|no

Keeps FILE as FILE.orig and replaces ORIGINAL by REPLACEMENT: it must occur
exactly once, or (yes: all) at least once and every occurrence is replaced.
"""
import shutil
import sys

path, orig, repl, every = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4] == "yes"
with open(path) as f:
    text = f.read()
n = text.count(orig)
if n == 0 or (n > 1 and not every):
    sys.exit("%d occurrences in %s" % (n, path))
shutil.copy2(path, path + ".orig")
with open(path, "w") as f:
    f.write(text.replace(orig, repl))
