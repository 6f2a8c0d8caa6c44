#!/usr/bin/python3
# SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
"""prepare-vector.py IMAGE ID MANIFEST CHECK_JSON OUTDIR - test glue of
check-real-kernel-consumer.

Turns one state image into what QEMU needs to hand it to a booting arm64
kernel, in OUTDIR:
  seg-N.bin     the bytes of each PT_LOAD segment (memsz, zero-filled)
  loader.args   one QEMU argument per line: -device loader,... per segment
  expect        what luo-consume asks /dev/liveupdate for (its format is in
                conformance/realkernel/arm64/luo-consume.c)
  plan.json     id, expected v7.2 outcome, KHO root, page size, byte order,
                the expected sessions, and where they came from

The expected sessions are the manifest's decoded `state:` (conformant
vectors); for a non-conformant vector they come from CHECK_JSON (luo-conform
check --format=json --state), which decodes as far as it can.

The machine layout (addresses the vector must not touch) is passed in the
environment by run-vector.sh: LC_RESERVED="start:end,start:end,...".  A
vector with a page there would need relocating; that is reported, not done
(no v7.2 vector needs it: they all lie in 0x50000000..0x58002000).
"""
import json
import os
import struct
import sys

import yaml

PT_LOAD, PT_NOTE, ET_CORE = 1, 4, 4
LUO_NT_STATE = 0x4C55


def read_image(path):
    with open(path, "rb") as f:
        data = f.read()
    if data[:4] != b"\x7fELF" or data[4] != 2:
        raise ValueError("not an ELF64 file")
    end = "<" if data[5] == 1 else ">"
    e_type, = struct.unpack_from(end + "H", data, 16)
    if e_type != ET_CORE:
        raise ValueError("not an ELF core")
    phoff, = struct.unpack_from(end + "Q", data, 32)
    phentsize, phnum = struct.unpack_from(end + "HH", data, 54)
    segs, note = [], None
    for i in range(phnum):
        p_type, _, off, _, paddr, filesz, memsz, _ = struct.unpack_from(
            end + "IIQQQQQQ", data, phoff + i * phentsize)
        if p_type == PT_LOAD:
            body = data[off:off + filesz] + bytes(memsz - filesz)
            segs.append((paddr, body))
        elif p_type == PT_NOTE:
            note = find_note(data[off:off + filesz], end) or note
    if note is None:
        raise ValueError("no LUO state note")
    return segs, note, "little" if end == "<" else "big"


def find_note(blob, end):
    pos = 0
    while pos + 12 <= len(blob):
        namesz, descsz, ntype = struct.unpack_from(end + "III", blob, pos)
        name = blob[pos + 12:pos + 12 + namesz].rstrip(b"\0")
        desc = pos + 12 + ((namesz + 3) & ~3)
        if name == b"LUO" and ntype == LUO_NT_STATE and descsz >= 56:
            root, root_size, page_size = struct.unpack_from(end + "QQI", blob, desc)
            return {"kho_root": root, "kho_root_size": root_size,
                    "page_size": page_size}
        pos = desc + ((descsz + 3) & ~3)
    return None


def reserved_ranges():
    out = []
    for item in filter(None, os.environ.get("LC_RESERVED", "").split(",")):
        lo, hi = item.split(":")
        out.append((int(lo, 0), int(hi, 0)))
    return out


def manifest_entry(path, vid):
    with open(path) as f:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        for v in yaml.load(f, Loader=loader)["vectors"]:
            if v["id"] == vid:
                return v
    raise KeyError(vid)


def expected_state(entry, check_json):
    if entry.get("state") is not None:
        return entry["state"], "manifest"
    try:
        with open(check_json) as f:
            img = json.load(f)["images"][0]
    except (OSError, ValueError, KeyError, IndexError):
        return None, "none"
    st = img.get("state")
    return (st, "decoded") if st else (None, "none")


def session_name_bytes(name):
    # The manifest and the checker print names as text; a name that cannot be
    # represented exactly ends up as U+FFFD, which then never matches.
    return name.encode("utf-8", "surrogateescape")


def write_expect(path, state):
    with open(path, "w") as f:
        for s in (state or {}).get("sessions", []):
            f.write("S %s\n" % session_name_bytes(s["name"]).hex())
            for fl in s["files"]:
                m = fl.get("memfd") or {}
                f.write("F %x %d %x %s\n" % (int(fl["token"]), m.get("size", 0),
                                             m.get("seals", 0), m.get("sha256", "-")))


def main(argv):
    image, vid, manifest, check_json, out = argv[1:6]
    os.makedirs(out, exist_ok=True)
    entry = manifest_entry(manifest, vid)
    segs, note, order = read_image(image)
    clash = []
    args = []
    for i, (paddr, body) in enumerate(segs):
        for lo, hi in reserved_ranges():
            if paddr < hi and lo < paddr + len(body):
                clash.append("%#x+%#x overlaps %#x..%#x" % (paddr, len(body), lo, hi))
        seg = os.path.join(out, "seg-%d.bin" % i)
        with open(seg, "wb") as f:
            f.write(body)
        args += ["-device", "loader,file=%s,addr=%#x,force-raw=on" % (seg, paddr)]
    with open(os.path.join(out, "loader.args"), "w") as f:
        f.write("".join(a + "\n" for a in args))
    state, source = expected_state(entry, check_json)
    write_expect(os.path.join(out, "expect"), state)
    reader = os.environ.get("RKC_PROFILE", "v7.2")    # the profile the kernel speaks
    plan = {"id": vid, "reader": reader, "expected": entry["outcome"].get(reader),
            "verdict": entry.get("verdict"), "purpose": entry.get("purpose"),
            "byteorder": order, **note,
            "segments": [[p, len(b)] for p, b in segs],
            "clash": clash, "state": state, "state_source": source}
    with open(os.path.join(out, "plan.json"), "w") as f:
        json.dump(plan, f, indent=1)
    if clash:
        print("prepare-vector: %s needs relocation: %s" % (vid, "; ".join(clash)),
              file=sys.stderr)
        return 3
    print("kho_root=%#x kho_root_size=%#x page_size=%d byteorder=%s" % (
        note["kho_root"], note["kho_root_size"], note["page_size"], order))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
