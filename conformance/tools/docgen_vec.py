"""The vector catalog of the site (docgen.py's helper).

One page per vector of vectors/manifest.yaml: what it is for, the verdict
and requirement IDs, the incoming outcome of every profile, its sources
(literalinclude of the copies docgen.py stages) and a hexdump of the bytes
that matter, read from the committed image.

Where the bytes that matter are comes from the vector's own sources: the
"MUTATION:" comments vecgen.py leaves on the field, block or property it
changed, and the byte patches of state.yaml.  Item addresses are laid out
with vecbuild.py's own encoder (the same code that built the image), FDT
property offsets come from libfdt on the blob dtc compiles from the .dts.
"""
import os
import re
import struct

import yaml

import abirst
import vecbuild
import vecenc

MAX_SOURCE_LINES = 160
MAX_REGIONS = 5
OUTCOME_TEXT = abirst.OUTCOME_TEXT


def esc(text):
    return abirst.esc(text)


# -- the image ------------------------------------------------------------------
class Image:
    """Read-only view of an ELF64 core's PT_LOAD segments, for hexdumps."""

    def __init__(self, path):
        with open(path, "rb") as f:
            self.data = f.read()
        self.segs, self.error = [], None
        d = self.data
        if len(d) < 64 or d[:4] != b"\x7fELF":
            self.error = "not an ELF file"
            return
        if d[4] != 2:
            self.error = "not ELF64 (EI_CLASS %d)" % d[4]
            return
        end = "<" if d[5] == 1 else ">"
        phoff, = struct.unpack_from(end + "Q", d, 0x20)
        phentsize, phnum = struct.unpack_from(end + "HH", d, 0x36)
        if phentsize < 56 or phoff + phnum * phentsize > len(d):
            self.error = "program headers out of the file"
            return
        for i in range(phnum):
            p_type, _, off, _, paddr, filesz = struct.unpack_from(end + "IIQQQQ", d,
                                                                 phoff + i * phentsize)
            if p_type == 1 and off + filesz <= len(d):
                self.segs.append((paddr, off, filesz))

    def read(self, phys, n):
        """n bytes at phys: ints, None where no segment holds the byte."""
        out = [None] * n
        for paddr, off, size in self.segs:
            lo, hi = max(phys, paddr), min(phys + n, paddr + size)
            for a in range(lo, hi):
                out[a - phys] = self.data[off + a - paddr]
        return out

    def read_file(self, off, n):
        return [b for b in self.data[off:off + n]] + [None] * max(0, off + n - len(self.data))


def hexdump(data, base, marks, file_offsets=False):
    """(text, [1-based lines to emphasize]) for bytes data at address base."""
    lines, emph = [], []
    for i in range(0, len(data), 16):
        row = data[i:i + 16]
        hx = " ".join("--" if b is None else "%02x" % b for b in row)
        if len(row) > 8:
            hx = hx[:23] + " " + hx[23:]
        asc = "".join("." if b is None or b < 32 or b > 126 else chr(b) for b in row)
        fmt = "%08x  %-49s |%s|" if file_offsets else "%#010x  %-49s |%s|"
        lines.append(fmt % (base + i, hx, asc))
        if any(base + i <= m < base + i + 16 for m in marks):
            emph.append(len(lines))
    return "\n".join(lines), emph


# -- where the bytes that matter are --------------------------------------------
def last_at_or_before(starts, line):
    """Index of the last start line <= line, or None."""
    best = None
    for i, ln in enumerate(starts):
        if ln <= line:
            best = i
    return best


class Layout:
    """Addresses of the items of a vector's state.yaml, and its MUTATION lines."""

    def __init__(self, srcdir, work):
        self.dir = srcdir
        self.v = vecbuild.Vector(srcdir, work)
        self.y = self.v.y
        self.text = open(os.path.join(srcdir, "state.yaml")).read()
        self.items = []       # dict(block, at, size, key, elem_size, node)
        self.fdt_at = {}      # dts file name -> (address, compiled blob)
        self.tree = yaml.compose(self.text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        self._lay()

    def _lay(self):
        blocks_node = self._value(self.tree, "blocks")
        for bi, b in enumerate(self.y.get("blocks", [])):
            bnode = blocks_node.value[bi] if blocks_node is not None else None
            dnode = self._value(bnode, "data") if bnode is not None else None
            off = 0
            for ii, item in enumerate(b.get("data", [])):
                (key, val), = item.items()
                data, extra = self.v.item_bytes(b.get("component"), key, val,
                                                "%#x+%#x" % (b["at"], off))
                if data is None:
                    off += extra
                    continue
                n_elem = len(val) if key.endswith("[]") and val else 1
                self.items.append({"block": bi, "at": b["at"] + off, "size": len(data),
                                   "key": key, "elem": len(data) // n_elem if n_elem else 0,
                                   "node": dnode.value[ii] if dnode is not None else None})
                if key == "fdt":
                    self.fdt_at[val] = (b["at"] + off, data)
                off += len(data)

    @staticmethod
    def _value(node, key):
        if node is None or not isinstance(node, yaml.MappingNode):
            return None
        for k, v in node.value:
            if k.value == key:
                return v
        return None

    @staticmethod
    def _span(node):
        """First and last line of a node (a block node ends where the next begins)."""
        end = node.end_mark.line - (1 if node.end_mark.column == 0 else 0)
        return node.start_mark.line, max(end, node.start_mark.line)

    def mutations(self):
        """[(kind, why, info)] for each MUTATION comment of state.yaml.

        kind: "image" (a top-level key or a comment above the state),
        "kmap" (the list of preserved blocks), "block" (where a block is)
        or "item" (the bytes of one data item or array element).  A line
        belongs to the last node that starts at or before it.
        """
        out = []
        lines = self.text.split("\n")
        vec_line = next((i for i, l in enumerate(lines) if l.startswith("vector:")), 0)
        top = sorted((k.start_mark.line, k.value) for k, _ in self.tree.value)
        blocks = self._value(self.tree, "blocks")
        for i, line in enumerate(lines):
            if "MUTATION" not in line:
                continue
            why = line.split("MUTATION:", 1)[-1].strip()
            key = [k for ln, k in top if ln <= i]
            key = key[-1] if key and i >= vec_line else None
            if key == "kmap":
                out.append(("kmap", why, self.y["kmap"].get("at")))
            elif key == "blocks" and blocks is not None:
                bi = last_at_or_before([b.start_mark.line for b in blocks.value], i)
                hit = self._in_block(bi, i) if bi is not None else None
                out.append((hit[0], why, hit[1]) if hit else ("image", why, None))
            elif key != "patches":      # patches are shown from the patch list
                out.append(("image", why, None))
        return out

    def _in_block(self, bi, line):
        items = [it for it in self.items if it["block"] == bi and it["node"] is not None]
        k = last_at_or_before([it["node"].start_mark.line for it in items], line)
        if k is None:
            return ("block", {"at": self.y["blocks"][bi]["at"]})
        it = items[k]
        val = it["node"].value[0][1] if isinstance(it["node"], yaml.MappingNode) else None
        if isinstance(val, yaml.SequenceNode) and val.value:
            e = last_at_or_before([el.start_mark.line for el in val.value], line)
            if e is not None and it["elem"]:
                return ("item", {"at": it["at"] + e * it["elem"], "size": it["elem"],
                                 "key": "%s[%d]" % (it["key"][:-2], e)})
        return ("item", {"at": it["at"], "size": it["size"], "key": it["key"]})

    def patches(self):
        """[(address, length, why)] of the state's byte patches."""
        out = []
        codec = self.v.codec
        for p in self.y.get("patches", []):
            at = p["at"]
            if "bytes" in p:
                n = len(vecenc.hexbytes(p["bytes"]))
            elif "u64" in p:
                n = 8
            elif "u32" in p:
                n = 4
            elif "field" in p:
                off, n, _, _ = codec.field(p["component"], p["struct"], p["field"])
                at += off
            else:
                continue
            out.append((at, n, p.get("why", "")))
        return out

    def dts_mutations(self):
        """[(address, length, why)] for MUTATION comments in the .dts files."""
        import libfdt
        out = []
        for name, (at, blob) in sorted(self.fdt_at.items()):
            path = os.path.join(self.dir, name)
            if not os.path.exists(path):
                continue
            try:
                fdt = libfdt.Fdt(blob)
            except libfdt.FdtException:
                continue
            for node_path, prop, why in dts_mutation_sites(open(path).read()):
                site = fdt_site(fdt, node_path, prop)
                if site:
                    out.append((at + site[0], site[1], "%s %s%s: %s" % (
                        name, node_path, (" " + prop) if prop else "", why)))
        return out


NODE_OPEN = re.compile(r"^\s*(?:[\w-]+:\s*)?([\w,.+@#-]+|/)\s*\{")
PROP = re.compile(r"^\s*([\w,.+#?-]+)\s*(=|;)")


def dts_mutation_sites(text):
    """[(node path, property or None, why)] of the MUTATION comments in dts text."""
    out, stack = [], []
    for line in text.split("\n"):
        code = line.split("/*", 1)[0] if "/*" in line else line.split("//", 1)[0]
        m = NODE_OPEN.match(code)
        if m:
            name = m.group(1)
            stack.append(name if name != "/" else "")
        path = "/" + "/".join(s for s in stack if s)
        if "MUTATION" in line:
            why = line.split("MUTATION:", 1)[-1].split("*/")[0].strip()
            pm = PROP.match(code)
            if m:
                out.append((path, None, why))
            elif pm:
                out.append((path, pm.group(1), why))
            else:
                out.append((path, None, why))
        if re.match(r"^\s*\};", code):
            if stack:
                stack.pop()
    return out


def fdt_site(fdt, node_path, prop):
    """(offset in the blob, length) of a property's value, or of a node's tag."""
    import libfdt
    try:
        node = fdt.path_offset(node_path or "/")
    except libfdt.FdtException:
        return None
    base = fdt.off_dt_struct()
    if prop is None:
        return base + node, 8
    off = fdt.first_property_offset(node, [libfdt.NOTFOUND])
    while off >= 0:
        p = fdt.get_property_by_offset(off)
        if p.name == prop:
            return base + off + 12, max(1, len(p))
        off = fdt.next_property_offset(off, [libfdt.NOTFOUND])
    return None


def lay_has_image_patches(srcdir):
    with open(os.path.join(srcdir, "state.yaml")) as f:
        return "image_patches" in (yaml.safe_load(f) or {})


def window(addr, length, before=16, total=64):
    start = max(0, (addr - before) & ~15)
    n = max(total, ((addr + min(length, 96) + 15) & ~15) - start)
    return start, n


def regions(root, entry, work):
    """[(title, text, emphasize)] hexdumps of the bytes that matter."""
    vid = entry["id"]
    srcdir = os.path.join(root, "vectors", vid)
    img = Image(os.path.join(root, entry["image"]))
    out = []
    if img.error and not lay_has_image_patches(srcdir):
        text, emph = hexdump(img.read_file(0, 64), 0, [], file_offsets=True)
        out.append(("The image is no ELF64 core (%s): its first 64 bytes" % img.error, text, []))
    try:
        lay = Layout(srcdir, work)
    except (vecbuild.BuildError, vecenc.EncodeError, KeyError, ValueError, OSError) as e:
        out.append(("The sources could not be laid out: %s" % e, "", []))
        return out

    def dump(title, at, length, marks_at=None, marks_len=0):
        start, n = window(at, length) if marks_at is not None else (at, length)
        marks = range(marks_at, marks_at + marks_len) if marks_at is not None else []
        data = img.read(start, n)
        # Rows before the bytes of interest that no segment holds say nothing.
        while len(data) > 16 and all(b is None for b in data[:16]) and start + 16 <= at:
            data, start = data[16:], start + 16
        text, emph = hexdump(data, start, list(marks))
        out.append((title, text, emph))

    y = lay.y
    if y.get("image_patches"):
        for p in y["image_patches"]:
            n = len(vecenc.hexbytes(p["bytes"]))
            start = max(0, (p["offset"] - 16) & ~15)
            marks = range(p["offset"], p["offset"] + n)
            text, emph = hexdump(img.read_file(start, 64), start, list(marks), file_offsets=True)
            out.append(("Image file offset %#x (%d bytes patched): %s"
                        % (p["offset"], n, p.get("why", "")), text, emph))
    for at, n, why in lay.dts_mutations():
        dump("FDT property at %#x: %s" % (at, why), at, n, at, n)
    for kind, why, info in lay.mutations():
        if kind == "item":
            dump("%s at %#x (%d bytes): %s" % (info["key"], info["at"], info["size"], why),
                 info["at"], info["size"], info["at"], info["size"])
        elif kind == "block":
            dump("Block at %#x: %s" % (info["at"], why), info["at"], 64)
        elif kind == "kmap" and info is not None:
            dump("KHO memory map, first tracker page at %#x (the mutation is in the list of "
                 "preserved blocks): %s" % (info, why), info, 64)
        elif kind == "image" and not img.error:
            text, emph = hexdump(img.read_file(0, 64), 0, [], file_offsets=True)
            out.append(("Image-level change (%s); the ELF header, file offset 0" % why, text, []))
    for at, n, why in lay.patches():
        dump("Patch at %#x (%d bytes): %s" % (at, n, why), at, n, at, n)
    mutated = bool(out)
    if "luo.dts" in lay.fdt_at and not img.error:
        at = lay.fdt_at["luo.dts"][0]
        if not any(t.startswith("FDT property") and "luo.dts" in t for t, _, _ in out):
            dump("LUO FDT at %#x: header and first bytes" % at, at, 64)
    if not mutated and not img.error:
        # No defect to point at: show where the sessions start, or the KHO root.
        sess = next((it for it in lay.items if it["key"].endswith("session_header_ser")), None)
        if sess:
            dump("Session area at %#x: the header and the first entry" % sess["at"],
                 sess["at"], 64, sess["at"], sess["size"])
        elif "kho.dts" in lay.fdt_at:
            dump("KHO root FDT at %#x: header and first bytes" % lay.fdt_at["kho.dts"][0],
                 lay.fdt_at["kho.dts"][0], 64)
    seen, uniq = set(), []
    for r in out:
        if (r[0], r[1]) not in seen:
            seen.add((r[0], r[1]))
            uniq.append(r)
    return uniq[:MAX_REGIONS]
