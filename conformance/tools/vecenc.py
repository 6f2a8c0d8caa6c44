"""Byte encoders shared by the vector generator and the vector builder.

Build glue only.  Every struct layout, constant and limit comes from
spec/abi through luoabi.py; this module only turns "struct X of component
C, field values by name" into bytes in the vector's CPU byte order, and
builds the KHO preserved-memory map (kho-v1 bitmap chunks or the radix
tree) from a list of preserved blocks.
"""
import hashlib
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import luoabi  # noqa: E402

_ABI = None


def abi():
    global _ABI
    if _ABI is None:
        _ABI = luoabi.load()
    return _ABI


class EncodeError(Exception):
    pass


class Codec:
    """Struct encoder for one page size and byte order."""

    def __init__(self, page_size, big_endian):
        self.ps = page_size
        self.be = big_endian
        self.order = "big" if big_endian else "little"
        self.abi = abi()

    # -- numbers -------------------------------------------------------
    def uint(self, value, size):
        if value < 0 or value >= 1 << (8 * size):
            raise EncodeError("value %#x does not fit in %d bytes" % (value, size))
        return value.to_bytes(size, self.order)

    def u64(self, value):
        return self.uint(value, 8)

    def value(self, cid, v, where):
        return self.abi.value(v, self.abi.env(cid, self.ps), where)

    def const(self, cid, name):
        c, k = self.abi.find_const(cid, name)
        if k is None:
            raise EncodeError("%s: no constant %s" % (cid, name))
        return self.value(c, k if "expr" in k else k["value"], "%s.%s" % (c, name))

    # -- structs -------------------------------------------------------
    def struct(self, cid, name):
        """A struct of component cid, or of the one component that defines
        it (memfd_luo_ser embeds struct kho_vmalloc, which KHO versions)."""
        try:
            return self.abi.find_struct(cid, name)
        except luoabi.AbiError:
            owners = [c for (c, n) in self.abi.structs if n == name]
            if len(owners) != 1:
                raise EncodeError("%s: no struct %s" % (cid, name))
            return self.abi.find_struct(owners[0], name)

    def sizeof(self, cid, name):
        c, s = self.struct(cid, name)
        return self.value(c, s["size"], "%s.%s" % (c, name))

    def field(self, cid, sname, fname):
        """(offset, size, type, field doc) of a field."""
        c, s = self.struct(cid, sname)
        for f in s["fields"]:
            if f["name"] == fname:
                return f["offset"], self.value(c, f["size"], "%s.%s.%s" % (c, sname, fname)), f["type"], f
        raise EncodeError("%s.%s has no field %s" % (cid, sname, fname))

    def encode(self, cid, sname, values, where=""):
        """Bytes of one struct instance; unnamed fields are zero."""
        c, s = self.struct(cid, sname)
        size = self.sizeof(cid, sname)
        out = bytearray(size)
        names = {f["name"] for f in s["fields"]}
        for k in values:
            if k not in names:
                raise EncodeError("%s: %s.%s has no field %s" % (where, c, sname, k))
        for f in s["fields"]:
            if f["name"] not in values:
                continue
            off, fsize, ftype, fdoc = self.field(cid, sname, f["name"])
            data = self.encode_value(c, ftype, fsize, fdoc, values[f["name"]],
                                     "%s.%s" % (where or sname, f["name"]))
            out[off:off + len(data)] = data
        return bytes(out)

    def encode_value(self, cid, ftype, fsize, fdoc, v, where):
        if isinstance(v, dict) and "raw" in v:
            data = hexbytes(v["raw"])
            if len(data) > fsize:
                raise EncodeError("%s: %d raw bytes for a %d-byte field" % (where, len(data), fsize))
            return data
        if ftype in ("u8", "u16", "u32", "u64", "phys"):
            if isinstance(v, dict):
                return self.uint(self.bits(fdoc, v, where), fsize)
            return self.uint(int(v), fsize)
        if ftype.startswith("char["):
            data = v.encode("latin-1") if isinstance(v, str) else bytes(v)
            if len(data) > fsize:
                raise EncodeError("%s: string of %d bytes for char[%d]" % (where, len(data), fsize))
            return data
        if ftype.startswith("struct:") and not ftype.endswith("[]"):
            return self.encode(cid, ftype[7:], v, where)
        if ftype.endswith("[]"):
            base = ftype[:-2]
            out = bytearray()
            for i, item in enumerate(v):
                if base.startswith("struct:"):
                    out += self.encode(cid, base[7:], item, "%s[%d]" % (where, i))
                else:
                    out += self.u64(int(item))
            if len(out) > fsize:
                raise EncodeError("%s: %d bytes of entries for a %d-byte field" % (where, len(out), fsize))
            return bytes(out)
        raise EncodeError("%s: cannot encode type %s" % (where, ftype))

    def bits(self, fdoc, v, where):
        ranges = {b["name"]: b for b in fdoc.get("bits", [])}
        out = 0
        for k, x in v.items():
            if k not in ranges:
                raise EncodeError("%s: no bit range %s" % (where, k))
            b = ranges[k]
            if x >= 1 << b["width"]:
                raise EncodeError("%s.%s: %#x does not fit in %d bits" % (where, k, x, b["width"]))
            out |= x << b["lsb"]
        return out


def hexbytes(text):
    """'de ad be ef' (spaces optional) -> bytes."""
    return bytes.fromhex("".join(str(text).split()))


def pattern(tag, length, start=0):
    """Deterministic, compressible fill: 32-byte cells '<tag>@<offset>'."""
    skip = start % 32
    off = start - skip
    out = bytearray()
    while len(out) < length + skip:
        out += ("%s@%x" % (tag, off)).encode()[:31].ljust(31, b".") + b"\n"
        off += 32
    return bytes(out[skip:skip + length])


def sha256(data):
    return hashlib.sha256(data).hexdigest()


# --- KHO preserved-memory map ------------------------------------------

class Pages:
    """Page allocator for tracker pages, starting at 'at'."""

    def __init__(self, at, page_size):
        self.next = at
        self.ps = page_size

    def alloc(self):
        a = self.next
        self.next += self.ps
        return a


def kmap_kho_v1(codec, at, blocks):
    """kho-v1: a list of chunk pages, one order per chunk, each entry
    pointing at a page-sized bitmap.  blocks = [(phys, order)].
    Returns ({phys: page bytes}, first chunk address or 0, layout info)."""
    cid = "kho-v1"
    ps = codec.ps
    comp = codec.abi.components[cid]["memory_map"]
    nbits = codec.value(cid, comp["bitmap_bits"], "bitmap_bits")
    per_chunk = codec.value(cid, comp["chunk_entries"], "chunk_entries")
    hdr_size = codec.sizeof(cid, "khoser_mem_chunk_hdr")
    ent_size = codec.sizeof(cid, "khoser_mem_bitmap_ptr")
    shift = ps.bit_length() - 1
    bitmaps = {}        # (order, index) -> set of bits
    for phys, order in blocks:
        if phys % (ps << order):
            raise EncodeError("block %#x is not aligned to its order %d" % (phys, order))
        blk = phys >> (shift + order)
        bitmaps.setdefault((order, blk // nbits), set()).add(blk % nbits)
    if not bitmaps:
        return {}, 0, {"chunks": [], "bitmaps": {}}
    keys = sorted(bitmaps)
    orders = sorted({o for o, _ in keys})
    chunks = []         # (order, [(phys_start, bitmap key)])
    for o in orders:
        ents = [k for k in keys if k[0] == o]
        for i in range(0, len(ents), per_chunk):
            chunks.append((o, ents[i:i + per_chunk]))
    alloc = Pages(at, ps)
    chunk_addr = [alloc.alloc() for _ in chunks]
    bmp_addr = {k: alloc.alloc() for k in keys}
    pages = {}
    for k in keys:
        words = [0] * (nbits // 64)
        for b in bitmaps[k]:
            words[b // 64] |= 1 << (b % 64)
        pages[bmp_addr[k]] = b"".join(codec.u64(w) for w in words).ljust(ps, b"\0")
    for i, (o, ents) in enumerate(chunks):
        nxt = chunk_addr[i + 1] if i + 1 < len(chunks) else 0
        page = bytearray(ps)
        page[:hdr_size] = codec.encode(cid, "khoser_mem_chunk_hdr",
                                       {"next": nxt, "order": o, "num_elms": len(ents)})
        for j, k in enumerate(ents):
            phys_start = (k[1] * nbits) << (shift + o)
            off = hdr_size + j * ent_size
            page[off:off + ent_size] = codec.encode(cid, "khoser_mem_bitmap_ptr",
                                                    {"phys_start": phys_start, "bitmap": bmp_addr[k]})
        pages[chunk_addr[i]] = bytes(page)
    return pages, chunk_addr[0], {"chunks": chunk_addr, "bitmaps": bmp_addr,
                                  "chunk_orders": [o for o, _ in chunks], "next": alloc.next}


def radix_geometry(codec, cid="kho-v3"):
    mm = codec.abi.components[cid]["memory_map"]
    g = {k: codec.value(cid, mm[k], k) for k in ("table_log2", "bitmap_log2", "order0_log2", "depth")}
    return g


def radix_key(codec, phys, order):
    shift = codec.ps.bit_length() - 1
    return (1 << (64 - shift - order)) | (phys >> (shift + order))


def kmap_radix(codec, at, blocks, cid="kho-v3"):
    """kho-v3: radix tree of page-sized nodes; the root node is at 'at'.
    Returns ({phys: page bytes}, root address, layout info)."""
    ps = codec.ps
    g = radix_geometry(codec, cid)
    alloc = Pages(at, ps)
    root = alloc.alloc()
    nodes = {root: {}}      # node phys -> {index: child phys}
    leaves = {}             # leaf phys -> set of bits
    for phys, order in blocks:
        if phys % (ps << order):
            raise EncodeError("block %#x is not aligned to its order %d" % (phys, order))
        key = radix_key(codec, phys, order)
        node = root
        for level in range(g["depth"] - 1, 0, -1):
            idx = (key >> (g["bitmap_log2"] + (level - 1) * g["table_log2"])) & ((1 << g["table_log2"]) - 1)
            child = nodes[node].get(idx)
            if child is None:
                child = alloc.alloc()
                nodes[node][idx] = child
                if level > 1:
                    nodes[child] = {}
                else:
                    leaves[child] = set()
            node = child
        leaves[node].add(key & ((1 << g["bitmap_log2"]) - 1))
    pages = {}
    for n, table in nodes.items():
        page = bytearray(ps)
        for idx, child in table.items():
            page[idx * 8:idx * 8 + 8] = codec.u64(child)
        pages[n] = bytes(page)
    for leaf, bits in leaves.items():
        words = [0] * (ps // 8)
        for b in bits:
            words[b // 64] |= 1 << (b % 64)
        pages[leaf] = b"".join(codec.u64(w) for w in words)
    return pages, root, {"nodes": nodes, "leaves": sorted(leaves), "next": alloc.next}


def kmap_build(codec, fmt, at, blocks):
    if fmt == "kho-v1":
        return kmap_kho_v1(codec, at, blocks)
    if fmt == "radix":
        return kmap_radix(codec, at, blocks)
    raise EncodeError("unknown memory-map format %r" % fmt)
