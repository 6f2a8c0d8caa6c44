#!/usr/bin/python3
"""Build test-vector state images from their sources.

    vecbuild.py --mkimage B/luo-mkimage --work B/vectors-work \
                --images OUTDIR [--only ID...] vectors/

For every vectors/<profile>/<name>/state.yaml: compile the vector's .dts
files with dtc, lay out the memory blocks the YAML describes (struct field
values encoded through conformance/tools/luoabi.py), generate the KHO
preserved-memory map from the YAML's list of preserved blocks, apply the
visible patches, and write OUTDIR/<profile>/<name>/<name>.img with
luo-mkimage.  The final bytes of every FDT go to WORK/<id>/<name>.dtb (for
the schema check).  Everything is deterministic: the same sources give the
same bytes.
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import vecenc  # noqa: E402


class BuildError(Exception):
    pass


class Memory:
    """Sparse physical memory, page granular."""

    def __init__(self, page_size):
        self.ps = page_size
        self.pages = {}     # page address -> bytearray

    def page(self, addr, create=True):
        base = addr - addr % self.ps
        if base not in self.pages:
            if not create:
                raise BuildError("patch at %#x: page not in the image" % addr)
            self.pages[base] = bytearray(self.ps)
        return self.pages[base]

    def write(self, addr, data, create=True):
        i = 0
        while i < len(data):
            a = addr + i
            pg = self.page(a, create)
            off = a % self.ps
            n = min(self.ps - off, len(data) - i)
            pg[off:off + n] = data[i:i + n]
            i += n

    def touch(self, addr, length):
        a = addr - addr % self.ps
        while a < addr + length:
            self.page(a)
            a += self.ps

    def read(self, addr, length):
        out = bytearray()
        while len(out) < length:
            a = addr + len(out)
            base = a - a % self.ps
            pg = self.pages.get(base)
            off = a % self.ps
            n = min(self.ps - off, length - len(out))
            out += pg[off:off + n] if pg is not None else bytes(n)
        return bytes(out)

    def runs(self):
        """Contiguous runs of present pages: [(addr, bytes)]."""
        out = []
        for base in sorted(self.pages):
            if out and out[-1][0] + len(out[-1][1]) == base:
                out[-1][1].extend(self.pages[base])
            else:
                out.append((base, bytearray(self.pages[base])))
        return out


def dtc(src, dst):
    r = subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", dst, src],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if r.returncode:
        raise BuildError("dtc %s: %s" % (src, r.stderr.strip()))
    with open(dst, "rb") as f:
        return f.read()


class Vector:
    def __init__(self, srcdir, work):
        self.dir = srcdir
        with open(os.path.join(srcdir, "state.yaml")) as f:
            self.y = yaml.safe_load(f)
        self.id = self.y["vector"]
        self.ps = self.y["page_size"]
        self.be = self.y.get("byte_order", "little") == "big"
        self.codec = vecenc.Codec(self.ps, self.be)
        self.mem = Memory(self.ps)
        self.work = os.path.join(work, self.id)
        self.fdts = []      # (name, address, length)

    def item_bytes(self, comp, key, val, where):
        if key == "fdt":
            os.makedirs(self.work, exist_ok=True)
            name = os.path.splitext(val)[0]
            data = dtc(os.path.join(self.dir, val), os.path.join(self.work, name + ".src.dtb"))
            return data, name
        if key == "raw":
            return vecenc.hexbytes(val), None
        if key == "skip":
            return None, int(val)
        if key == "pattern":
            return vecenc.pattern(val["tag"], val["bytes"], val.get("start", 0)), None
        if key == "u64[]":
            return b"".join(self.codec.u64(int(x)) for x in val), None
        if key.endswith("[]"):
            return b"".join(self.codec.encode(comp, key[:-2], v, "%s[%d]" % (where, i))
                            for i, v in enumerate(val)), None
        return self.codec.encode(comp, key, val, where), None

    def lay_blocks(self):
        for b in self.y.get("blocks", []):
            at, pages = b["at"], b.get("pages", 1)
            present = b.get("present", "content")
            size = pages * self.ps
            off = 0
            writes = []
            for item in b.get("data", []):
                if len(item) != 1:
                    raise BuildError("%s: block %#x: item %r has more than one key" % (self.id, at, item))
                (key, val), = item.items()
                data, extra = self.item_bytes(b.get("component"), key, val, "%#x+%#x" % (at, off))
                if data is None:
                    off += extra
                    continue
                if key == "fdt":
                    self.fdts.append((extra, at + off, len(data)))
                writes.append((at + off, data))
                off += len(data)
            if off > size:
                raise BuildError("%s: block %#x holds %d bytes, more than its %d pages"
                                 % (self.id, at, off, pages))
            if present == "none":
                continue
            if present == "all":
                self.mem.touch(at, size)
            for a, data in writes:
                self.mem.write(a, data)

    def lay_kmap(self):
        k = self.y.get("kmap") or {}
        fmt = k.get("format", "none")
        if fmt == "none":
            return
        blocks = [(p["at"], p["order"]) for p in k.get("preserve") or []]
        pages, _, _ = vecenc.kmap_build(self.codec, fmt, k["at"], blocks)
        for a, data in sorted(pages.items()):
            self.mem.write(a, data)

    def patch(self):
        for p in self.y.get("patches", []):
            at = p["at"]
            if "bytes" in p:
                data = vecenc.hexbytes(p["bytes"])
            elif "u64" in p:
                data = self.codec.u64(p["u64"])
            elif "u32" in p:
                data = self.codec.uint(p["u32"], 4)
            elif "field" in p:
                off, size, ftype, fdoc = self.codec.field(p["component"], p["struct"], p["field"])
                data = self.codec.encode_value(p["component"], ftype, size, fdoc, p["value"],
                                               "patch %#x" % at)
                at += off
            else:
                raise BuildError("%s: patch at %#x has no bytes/u64/u32/field" % (self.id, at))
            self.mem.write(at, data, create=p.get("create", False))

    def write_fdts(self):
        for name, at, length in self.fdts:
            with open(os.path.join(self.work, name + ".dtb"), "wb") as f:
                f.write(self.mem.read(at, length))
        with open(os.path.join(self.work, "fdts.list"), "w") as f:
            for name, _, _ in self.fdts:
                f.write(name + ".dtb\n")

    def image(self, mkimage, out):
        y = self.y
        tmp = tempfile.mkdtemp(prefix="vec-", dir=self.work)
        try:
            args = [mkimage, "-o", out, "--kho-root", "%#x" % y["kho_root"],
                    "--page-size", str(y.get("note_page_size", self.ps))]
            if "note_flags" in y:
                args += ["--note-flags", str(y["note_flags"])]
            if "kho_root_size" in y:
                args += ["--kho-root-size", str(y["kho_root_size"])]
            if y.get("profile"):
                args += ["--profile", y["profile"]]
            if y.get("image_byte_order", y.get("byte_order", "little")) == "big":
                args += ["--big-endian"]
            args += ["--machine", y.get("machine", "x86_64")]
            if not y.get("note", True):
                args += ["--no-note"]
            for i, (a, data) in enumerate(self.mem.runs()):
                fn = os.path.join(tmp, "seg%d" % i)
                with open(fn, "wb") as f:
                    f.write(data)
                args += ["--seg", "%#x=%s" % (a, fn)]
            for i, r in enumerate(y.get("raw_segments", [])):
                fn = os.path.join(tmp, "raw%d" % i)
                with open(fn, "wb") as f:
                    f.write(vecenc.pattern(r["tag"], r["bytes"]))
                args += ["--raw-seg", "%#x=%s" % (r["at"], fn)]
            os.makedirs(os.path.dirname(out) or ".", exist_ok=True)
            r = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            if r.returncode:
                raise BuildError("%s: luo-mkimage failed: %s" % (self.id, r.stderr.strip()))
        finally:
            shutil.rmtree(tmp)
        if y.get("image_patches"):
            with open(out, "r+b") as f:
                for p in y["image_patches"]:
                    f.seek(p["offset"])
                    f.write(vecenc.hexbytes(p["bytes"]))

    def build(self, mkimage, out):
        os.makedirs(self.work, exist_ok=True)
        self.lay_blocks()
        self.lay_kmap()
        self.patch()
        self.write_fdts()
        if mkimage:
            self.image(mkimage, out)


def find_vectors(root):
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        if "state.yaml" in filenames:
            out.append(dirpath)
    return sorted(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mkimage", help="luo-mkimage (omit: lay out memory and FDTs only)")
    ap.add_argument("--work", required=True, help="scratch directory (FDT blobs for the schema check)")
    ap.add_argument("--images", help="directory the images go to (default: beside the sources)")
    ap.add_argument("--only", nargs="*", help="vector ids to build")
    ap.add_argument("root", help="vectors directory")
    a = ap.parse_args()
    n = 0
    for d in find_vectors(a.root):
        v = Vector(d, a.work)
        if a.only and v.id not in a.only:
            continue
        rel = os.path.relpath(d, a.root)
        name = os.path.basename(d)
        out = os.path.join(a.images or a.root, rel, name + ".img")
        try:
            v.build(a.mkimage, out)
        except (BuildError, vecenc.EncodeError, KeyError, ValueError) as e:
            sys.stderr.write("vecbuild: %s: %s\n" % (v.id, e))
            return 1
        n += 1
    print("vecbuild: built %d vectors%s" % (n, "" if a.mkimage else " (memory and FDTs only)"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
