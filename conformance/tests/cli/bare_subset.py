#!/usr/bin/python3
# bare_subset.py CONFORM WORKDIR: TAP lines (no plan) for the bare-FDT
# check against the whole-state check of every vector.  A bare FDT is the
# state minus the memory it points at, so each error or warning the bare
# check of a vector's kho.dtb or luo.dtb reports (requirement, location)
# must also be reported by the check of the vector's image, with the same
# profile; a valid vector's FDTs are conformant alone; and without
# --fdt each is taken for what it is.  Prints
# "ok"/"not ok" lines and, last, "# N" with the count it printed.
import glob
import json
import os
import subprocess
import sys

conform, work = sys.argv[1], sys.argv[2]


def findings(args):
    r = subprocess.run([conform, "check", "--format=json"] + args, capture_output=True, text=True)
    if r.returncode > 2:
        return None, r.returncode
    if r.returncode == 2:
        return set(), 2
    img = json.loads(r.stdout)["images"][0]
    return {(f["req"], f["where"]) for f in img["findings"] if f["severity"] != "note"}, img


def opts(prof, name):
    state = "vectors/%s/%s/state.yaml" % (prof, name)
    text = open(state).read() if os.path.exists(state) else ""
    o = ["--profile", prof]
    if "\nbyte_order: big" in text:
        o.append("--big-endian")
    for line in text.splitlines():
        if line.startswith("page_size:"):
            o.append("--page-size=" + line.split()[1])
    return o


checked = crashed = valid = 0
extra, invalid_valid, kinds, guessed = [], [], [], []
for d in sorted(glob.glob(work + "/*/*/")):
    prof, name = d.rstrip("/").split("/")[-2:]
    img = "vectors/%s/%s/%s.img" % (prof, name, name)
    if not os.path.exists(img):
        continue
    full, fimg = findings(opts(prof, name) + [img])
    if full is None:
        continue
    for kind in ("kho", "luo"):
        dtb = d + kind + ".dtb"
        if not os.path.exists(dtb):
            continue
        bare, bimg = findings(opts(prof, name) + ["--fdt=" + kind, dtb])
        if bare is None:
            crashed += 1
            continue
        if bimg == 2:		# no FDT at all (bad magic): the image reader refused it
            continue
        checked += 1
        if bimg["input"] != kind + "-fdt":
            kinds.append(dtb)
        auto = subprocess.run([conform, "check", "--format=json", dtb], capture_output=True, text=True)
        if auto.returncode > 1 or json.loads(auto.stdout)["images"][0]["input"] != kind + "-fdt":
            guessed.append(dtb)
        if bare - full:
            extra.append("%s: %s" % (dtb, sorted(bare - full)))
        if isinstance(fimg, dict) and fimg["verdict"] == "conformant":
            valid += 1
            if bimg["verdict"] != "conformant":
                invalid_valid.append(dtb)


def tap(ok, what, detail):
    print(("ok - " if ok else "not ok - ") + what)
    for line in detail[:20]:
        print("# " + line)


tap(checked > 400 and not crashed, "%d vector FDTs checked bare, %d crashed" % (checked, crashed), [])
tap(not kinds, "json names the input kind --fdt gave (kho-fdt, luo-fdt)", kinds)
tap(not guessed, "without --fdt, every kho.dtb is found to be a KHO root, every luo.dtb a LUO FDT",
    guessed)
tap(not extra, "every finding of a bare FDT is one the whole state's check reports too", extra)
tap(valid > 50 and not invalid_valid,
    "the %d FDTs of conformant vectors are conformant alone" % valid, invalid_valid)
print("# 5")
