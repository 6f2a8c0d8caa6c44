#!/usr/bin/python3
"""Turn 'make -n' output into a compile_commands.json (build glue).

    make -Bn TARGETS | compdb.py [--exclude PREFIX]... OUT.json

Every compiler line (cc, gcc, clang, afl-clang-fast) that names C sources
gives one entry per source under conformance/: the same flags, '-c' on
that source alone, no output or link arguments.  Generated sources (the
build directory) are left out: they are not written by hand.
"""
import json
import os
import shlex
import sys

COMPILERS = ("cc", "gcc", "clang")
DROP_WITH_ARG = ("-o",)
DROP = ("-c", "-shared", "-MMD", "-MP")


def entries(line, cwd):
    try:
        words = shlex.split(line)
    except ValueError:
        return []
    if not words or os.path.basename(words[0]) not in COMPILERS:
        return []
    srcs = [w for w in words[1:] if w.endswith(".c")]
    flags, skip = [], False
    for w in words[1:]:
        if skip:
            skip = False
            continue
        if w in DROP_WITH_ARG:
            skip = True
            continue
        if w in DROP or w.endswith((".c", ".o", ".a", ".so")) or w.startswith(("-l", "-Wl,", "-fsanitize")):
            continue
        flags.append(w)
    out = []
    for s in srcs:
        if not s.startswith("conformance/"):
            continue
        out.append({"directory": cwd, "file": os.path.join(cwd, s),
                    "command": shlex.join(["cc"] + flags + ["-c", s])})
    return out


def main():
    cwd = os.getcwd()
    args, excl = sys.argv[1:], []
    while len(args) > 1 and args[0] == "--exclude":
        excl.append(os.path.join(cwd, args[1]))
        args = args[2:]
    seen, db = set(), []
    for line in sys.stdin:
        for e in entries(line.strip(), cwd):
            if e["file"] not in seen and not e["file"].startswith(tuple(excl)):
                seen.add(e["file"])
                db.append(e)
    with open(args[0], "w") as f:
        json.dump(db, f, indent=1)
    print("compdb: %d sources" % len(db))


if __name__ == "__main__":
    main()
