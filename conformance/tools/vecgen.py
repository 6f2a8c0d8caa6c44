#!/usr/bin/python3
"""Define the test vectors; write their sources and vectors/manifest.yaml.

    vecgen.py --out vectors     write the sources (state.yaml, *.dts) and the
                                manifest into the tree, removing vectors no
                                longer defined (conformance/tools/vecrepro.py
                                checks that the committed sources match)

Build glue only.  A vector is a State of one profile (sessions, memfds,
FLBs), lowered by vecmodel.py into FDT sources and memory blocks, and, for
an invalid vector, one mutation that leaves a "MUTATION:" comment in the
sources.  The manifest records per vector the ERROR requirement IDs the
checker must report (exactly), the WARNING IDs, whether the FDTs pass the
dt-schemas, what each profile's incoming kernel would do with the bytes,
and, for a valid vector, the decoded state.
"""
import argparse
import json
import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import luoabi  # noqa: E402
import vecenc  # noqa: E402
from vecmodel import (Memfd, File, Session, State, Prof, Block, Prop, Node,  # noqa: E402
                      lower, emit, memfd_content, fmt_flow, GEN_NOTE)

S, A, B, C, D = "series-v6", "v6.19", "v7.0", "v7.1", "v7.2"
PROFILES = (S, A, B, C, D)
U64_MAX = (1 << 64) - 1
BASE_FREE = 0x58000000      # memory no lowered state uses (for relocated areas)

# FDT header fields (devicetree specification, section 5.2): offsets of the
# big-endian u32 words a mutation patches.
FDT_MAGIC, FDT_TOTALSIZE, FDT_OFF_STRUCT, FDT_VERSION = 0, 4, 8, 20


# --- vector registry -----------------------------------------------------------

class V:
    def __init__(self, vid, purpose, st, mut, reqs, warns, schema, checked_as,
                 shape_defects, outcome, exit_code, detect, notes):
        self.id, self.purpose, self.st, self.mut = vid, purpose, st, mut
        self.notes = sorted(set(notes))
        self.reqs, self.warns, self.schema = sorted(set(reqs)), sorted(set(warns)), schema
        self.checked_as = checked_as or st.profile
        self.shape_defects = sorted(set(shape_defects if shape_defects is not None else
                                        (reqs if self.checked_as == st.profile else ())))
        self.outcome_override = outcome or {}
        self.exit = exit_code
        self.detect = detect


VECTORS = []


def add(vid, purpose, st, mut=None, reqs=(), warns=(), schema="pass", checked_as=None,
        shape_defects=None, outcome=None, exit_code=None, detect=False, notes=(), listed=False,
        pfn0=False):
    """listed: the only defect is that the expected compatible string is not
    the whole compatible value but still one entry of its list, which a
    reader that matches list-wise (incoming.compatible_match: list) accepts.
    pfn0: the LUO-MEMFD-004 defects are all in folio records with pfn 0,
    which a reader with incoming.folio_pfn0: hole skips."""
    if any(v.id == vid for v in VECTORS):
        raise SystemExit("vecgen: vector %s defined twice" % vid)
    own = checked_as or st.profile
    if listed and vecenc.abi().profiles[own]["incoming"].get("compatible_match") == "list":
        outcome = dict(outcome or {}, **{own: "accept"})
    if checked_as and checked_as != st.profile:
        notes = tuple(notes) + ("LUO-PROF-001",)
    VECTORS.append(V(vid, purpose, st, mut, reqs, warns, schema, checked_as,
                     shape_defects, outcome, exit_code, detect, notes))
    VECTORS[-1].pfn0 = pfn0


# --- what each profile's incoming kernel does -------------------------------------

ORDER = luoabi.OUTCOMES
# Stage at which an incoming kernel meets a defect: the KHO root (0) and
# memory map (1) at early boot, the LUO FDT and its nodes in the early
# initcall (2), the session and file contents later (3).  A terminal outcome
# at one stage hides every later one.
TERMINAL = ("fresh-start", "enoent", "panic")


def stage(req):
    if req in ("LUO-KHO-001", "LUO-KHO-002", "LUO-KHO-003"):
        return 0
    if req.startswith("LUO-KMAP"):
        return 1
    # luo-v5: luo_ser and the session chain are read in the early initcall
    if req in ("LUO-KHO-004", "LUO-KHO-005") or req.startswith("LUO-FDT") or \
            req in ("LUO-SESS-001", "LUO-SESS-002", "LUO-SESS-003",
                    "LUO-FLB-001", "LUO-FLB-002", "LUO-FLB-003",
                    "LUO-SER-001", "LUO-SER-002", "LUO-SER-003",
                    "LUO-BLK-002", "LUO-BLK-003"):
        return 2
    return 3


def table(prof, req):
    inc = vecenc.abi().profiles[prof]["incoming"]
    return (inc.get("outcomes") or {}).get(req, inc["default"])


def worst(outs):
    return max(outs, key=ORDER.index) if outs else "accept"


# Overlapping PT_LOAD segments are a defect of the image container: a kernel
# sees memory, not segments.
CONTAINER_ONLY = ("LUO-IMG-004",)


def staged(prof, defects):
    defects = [d for d in defects if d not in CONTAINER_ONLY]
    seen = []
    for stg in range(4):
        outs = [table(prof, d) for d in defects if stage(d) == stg]
        seen += outs
        if any(o in TERMINAL for o in outs):
            return worst(seen)
    return worst(seen)


def comp(prof, role):
    return vecenc.abi().profiles[prof]["components"].get(role)


def is_raw(prof):
    """luo-v5: the LUO root is a raw struct (no LUO FDT)."""
    return not vecenc.abi().components[comp(prof, "luo")].get("fdt")


def has_flb(prof):
    """The profile hands FLBs over: a /luo-flb node, or luo-v5's FLB page."""
    return bool(comp(prof, "flb")) or is_raw(prof)


def skipped(reader, v, defects):
    """The defects this reader never sees: those of folio records it skips."""
    if getattr(v, "pfn0", False) and \
            vecenc.abi().profiles[reader]["incoming"].get("folio_pfn0") == "hole":
        return [d for d in defects if d != "LUO-MEMFD-004"]
    return list(defects)


def reader_outcome(reader, v):
    """What the incoming kernel of profile 'reader' does with v's bytes."""
    if reader in v.outcome_override:
        return v.outcome_override[reader]
    if reader == v.checked_as:
        # a warning counts where the reader's table has a row for it
        rows = vecenc.abi().profiles[reader]["incoming"].get("outcomes") or {}
        return staged(reader, skipped(reader, v, list(v.reqs) + [w for w in v.warns if w in rows]))
    shape = v.st.profile
    d = skipped(reader, v, v.shape_defects)
    # Across the luo-v1/luo-v5 eras the KHO string differs too: the reader
    # stops at the KHO root whatever lies behind it.
    if is_raw(reader) != is_raw(shape) and comp(reader, "kho") != comp(shape, "kho"):
        return "fresh-start"
    if any(x.startswith("LUO-IMG") and x not in CONTAINER_ONLY for x in d):
        return "undefined"
    if comp(reader, "kho") != comp(shape, "kho"):
        return "fresh-start"
    if not v.st.luo:
        return staged(reader, d)
    if comp(reader, "session") != comp(shape, "session"):
        d.append("LUO-SESS-002")
        d = [x for x in d if stage(x) <= 2]
    flb_present = v.st.flb if v.st.flb is not None else bool(comp(shape, "flb"))
    if comp(reader, "flb") is None:
        d = [x for x in d if not x.startswith("LUO-FLB")]
    elif not flb_present:
        d.append("LUO-FLB-001")
    d = [x for x in d if x != "LUO-SESS-008" or reader == S]
    return staged(reader, d)


# --- states --------------------------------------------------------------------------

def flbs(prof, n=1):
    if not has_flb(prof):
        return []
    return [("liveupdate-test-flb-v%d" % i, 0x1000 + i, i % 3) for i in range(n)]


def seals(prof, v=0x1):
    """F_SEAL_SEAL: what a memfd made without MFD_ALLOW_SEALING carries (memfd-v2)."""
    return v if "memfd-v2" in comp(prof, "handlers") else 0


def bare(prof, **kw):
    """One session without files (and one FLB): the base of FDT-level vectors."""
    return State(prof, sessions=[Session("session-0")], flbs=flbs(prof), **kw)


def lean(prof, **kw):
    """One session with one empty memfd: the base of most invalid vectors."""
    return State(prof, sessions=[Session("session-0", [File(0x10, Memfd(seals=seals(prof)))])],
                 flbs=flbs(prof), **kw)


def rich(prof, nfolios=2, **kw):
    """One session with one memfd holding order-0 folios."""
    ps = kw.get("page_size", 4096)
    m = Memfd(size=nfolios * ps - 100, pos=100, seals=seals(prof),
              folios=[(i, 0) for i in range(nfolios)])
    return State(prof, sessions=[Session("session-0", [File(0x10, m)])], flbs=flbs(prof), **kw)


def two_files(prof):
    return State(prof, sessions=[Session("session-0", [
        File(0x10, Memfd(seals=seals(prof))), File(0x20, Memfd(seals=seals(prof)))])],
        flbs=flbs(prof))


# --- mutation helpers -------------------------------------------------------------------

def note(d, why):
    d["#"] = (d["#"] + "; " + why) if d.get("#") else why


def setf(d, key, val, why):
    d[key] = val
    note(d, why)


def sess_hdr(L):
    return L.block("sessions").item("luo_session_header_ser")


def sess_ent(L, i=0):
    if L.p.raw:
        per = L.p.sess_per_block
        return L.block(("sblock", i // per)).item("luo_session_ser[]")[i % per]
    return L.block("sessions").item("luo_session_ser[]")[i]


def file_ent(L, s=0, f=0):
    if L.p.raw:
        per = L.p.file_per_block
        return L.block(("fblock", s, f // per)).item("luo_file_ser[]")[f % per]
    return L.block(("files", s)).item("luo_file_ser[]")[f]


def flb_hdr(L):
    return L.block("flb").item("luo_flb_header_ser")


def flb_ent(L, i=0):
    return L.block("flb").item("luo_flb_ser[]")[i]


def memfd_ser(L, s=0, f=0):
    return L.block(("memfd", s, f)).item("memfd_luo_ser")


def vm_chunk(L, s=0, f=0, i=0):
    return L.block(("vmchunk", s, f, i)).item("kho_vmalloc_chunk")


def folio_ents(L, s=0, f=0, i=0):
    return L.block(("farray", s, f, i)).item("memfd_luo_folio_ser[]")


def luo(L):
    return L.dts_named("luo.dts")


def kho(L):
    return L.dts_named("kho.dts")


def luo_node(L):
    return "/" + L.p.luo_entry


def sub_addr_prop(L):
    return "fdt" if L.p.kho == "kho-v1" else "preserved-data"


def set_vm(L, s, f, vm, why):
    """Replace the kho_vmalloc descriptor of a memfd (struct or series-v6 FDT)."""
    if L.p.memfd_fdt:
        d = L.dts_named("memfd-%d-%d.dts" % (s, f))
        d.set("/", "folios", "bytes", L.p.codec.encode(L.p.vmalloc, "kho_vmalloc", vm), why,
              "struct kho_vmalloc %s" % fmt_flow(vm))
    else:
        setf(memfd_ser(L, s, f), "folios", vm, why)


def get_vm(L, s=0, f=0):
    if L.p.memfd_fdt:
        ch = L.roles.get(("vmchunk", s, f, 0))
        fa = L.roles.get(("farray", s, f, 0))
        n = len(fa.item("memfd_luo_folio_ser[]")) if fa else 0
        return {"first": ch.at if ch else 0, "total_pages": 1 if ch else 0,
                "flags": L.p.vm_alloc if ch else 0, "order": 0}, n
    m = memfd_ser(L, s, f)
    return dict(m["folios"]), m["nr_folios"]


def set_nr_folios(L, s, f, n, why):
    if L.p.memfd_fdt:
        L.dts_named("memfd-%d-%d.dts" % (s, f)).set("/", "nr_folios", "u64", n, why)
    else:
        setf(memfd_ser(L, s, f), "nr_folios", n, why)


def set_memfd_field(L, s, f, key, val, why):
    if L.p.memfd_fdt:
        L.dts_named("memfd-%d-%d.dts" % (s, f)).set("/", key, "u64", val, why)
    else:
        setf(memfd_ser(L, s, f), key, val, why)


def fdt_addr(L, role):
    b = L.block(role)
    off = 0
    for k, v in b.data:
        if k == "fdt":
            return b.at + off
        if k == "skip":
            off += v
    raise KeyError(role)


def fdt_patch(L, role, field, value, why):
    """Patch a big-endian u32 of an FDT header (offsets: devicetree spec)."""
    L.patch(fdt_addr(L, role) + field, why, bytes=value.to_bytes(4, "big").hex(" "))


def fdt_header(L, fname):
    blob = L.dts_named(fname).compile()
    return {"totalsize": int.from_bytes(blob[4:8], "big"),
            "off_struct": int.from_bytes(blob[8:12], "big"), "len": len(blob)}


def kmap_info(L):
    blocks = [(e["at"], e["order"]) for e in L.preserve]
    pages, first, info = vecenc.kmap_build(L.p.codec, L.kmap_format, L.kmap_at, blocks)
    return pages, first, info


def extra_tracker(L, data, what, why):
    """Add a page after the generated tracker pages (for malformed maps)."""
    _, _, info = kmap_info(L)
    n = sum(1 for b in L.blocks if b.role and str(b.role).startswith("tracker"))
    at = info["next"] + n * L.st.ps
    b = L.add_block(Block("tracker%d" % n, at, 1, what, present="all"))
    b.add("raw", data.hex(" "))
    b.mut.append(why)
    return at


def move_into(L, role, at, why):
    """Move a block to another address (e.g. inside another structure)."""
    b = L.block(role)
    b.at = at
    b.mut.append(why)


def shift_area(L, role, off, what):
    """Move an area to free memory, 'off' bytes past a page boundary: its
    pages plus the one it spills into are present and preserved, so the
    misalignment is its only defect."""
    b = L.block(role)
    ps = L.st.ps
    L.unpreserve(b.at, "moved %d bytes past a page boundary" % off)
    b.at = BASE_FREE
    b.pages += 1
    b.data.insert(0, ["skip", off])
    b.mut.append("%s starts %d bytes into its first page; one more page holds its tail" % (what, off))
    for k in range(b.pages):
        L.preserve.append({"at": b.at + k * ps, "order": 0, "what": "%s page %d" % (what, k),
                           "#": "every page the misaligned %s touches is preserved" % what})


def represerve(L, old, new_entries, why):
    L.unpreserve(old, why)
    for at, order, what in new_entries:
        L.preserve.append({"at": at, "order": order, "what": what, "#": why})


# --- valid vectors ----------------------------------------------------------------------------

def long_name(i, n=63):
    s = "session-%d-" % i
    return (s + "abcdefghijklmnopqrstuvwxyz0123456789" * 2)[:n]


def define_valid():
    for p in PROFILES:
        add(p + "/empty", "no sessions: sessions_pa 0; the FLB page allocated at boot with count 0"
            if is_raw(p) else "no sessions: the session area (and FLB page) allocated at boot with count 0",
            State(p))
        add(p + "/detect-empty", "no sessions, image note without a profile: the checker detects %s" % p,
            State(p), mut=lambda L: setattr(L, "note_profile", ""), detect=True)
        add(p + "/one-memfd", "one session with one memfd of three order-0 folios",
            State(p, sessions=[Session("session-0", [File(0x1234, Memfd(
                size=3 * 4096 - 100, pos=100, seals=seals(p), folios=[(0, 0), (1, 0), (2, 0)]))])],
                flbs=flbs(p)))
        pr = Prof(p)
        if not pr.raw:
            add(p + "/max-sessions", "the maximum number of sessions (LUO_SESSION_MAX = %d), no files"
                % pr.sess_max, State(p, sessions=[Session("s%04d" % i) for i in range(pr.sess_max)],
                                     flbs=flbs(p)))
            add(p + "/max-files", "one session holding LUO_FILE_MAX = %d empty memfds" % pr.file_max,
                State(p, sessions=[Session("files", [File(i + 1, Memfd(seals=seals(p)))
                                                     for i in range(pr.file_max)])], flbs=flbs(p)))
        add(p + "/long-names", "session names of 63 characters (the longest with the NUL)%s"
            % (" and FLB names of 47" if pr.flb else ""),
            State(p, sessions=[Session(long_name(i), [File(7, Memfd(seals=seals(p)))]) for i in range(3)],
                  flbs=[(("flb-%d-" % i + "x" * 47)[:47], i, 0) for i in range(2)] if pr.flb else []))
        if pr.flb:
            add(p + "/max-flbs", "the maximum number of FLB entries (LUO_FLB_MAX = %d)" % pr.flb_max,
                State(p, flbs=flbs(p, pr.flb_max)))
        add(p + "/large-folio", "a memfd with a 2 MiB (order 9) folio followed by an order-0 folio",
            State(p, sessions=[Session("big", [File(1, Memfd(size=(512 + 1) * 4096, seals=seals(p),
                                                             folios=[(0, 9), (512, 0)]))])],
                  flbs=flbs(p)))
        add(p + "/empty-memfd", "a memfd of size 0: no folio array, zero kho_vmalloc descriptor",
            State(p, sessions=[Session("empty", [File(42, Memfd(seals=seals(p)))])], flbs=flbs(p)))
        add(p + "/multi", "three sessions (one empty) with three memfds, liveupdate-number 2, two FLBs",
            State(p, lu_number=2, flbs=flbs(p, 2), sessions=[
                Session("alpha", [File(1, Memfd(size=4096, seals=seals(p), folios=[(0, 0)])),
                                  File(2, Memfd(size=2 * 4096, pos=4096, seals=seals(p),
                                                folios=[(0, 0), (1, 0)]))]),
                Session("beta"),
                Session("gamma", [File(1, Memfd(size=100, pos=100, seals=seals(p), folios=[(0, 0)]))])]))
        add(p + "/sparse-memfd", "a memfd with holes: folios at page offsets 0 and 3 of a 4-page file",
            State(p, sessions=[Session("sparse", [File(9, Memfd(size=4 * 4096, seals=seals(p),
                                                                folios=[(0, 0), (3, 0)]))])],
                  flbs=flbs(p)))
        be_memfd = Memfd(size=2 * 4096, folios=[(0, 0), (1, 0)]) if pr.memfd_fdt else Memfd(seals=seals(p))
        add(p + "/be", "big-endian writer (ppc64): every u64 FDT property and struct field big-endian%s"
            % ("" if pr.memfd_fdt else "; the memfd is empty (see README: folio bit-fields)"),
            State(p, big_endian=True, lu_number=3, flbs=flbs(p, 2),
                  sessions=[Session("be-session", [File(0x0102030405060708, be_memfd)])]))
    for p in (C, D):
        add(p + "/sealed-memfd", "memfd-v2 seals: all of MEMFD_LUO_ALL_SEALS on one memfd, SEAL|WRITE on another",
            State(p, flbs=flbs(p), sessions=[Session("sealed", [
                File(1, Memfd(size=4096, seals=0x3f, folios=[(0, 0)])),
                File(2, Memfd(size=4096, seals=0x9, folios=[(0, 0)]))])]))
    for p in (B, C, D):
        add(p + "/no-luo", "a KHO root without a LUO sub-node: nothing handed over",
            State(p, luo=False))
        add(p + "/page-16k", "16 KiB pages: one memfd with two folios (geometry from PAGE_SIZE)",
            rich(p, page_size=16384))


# --- invalid vectors -------------------------------------------------------------------------

def inv(profiles, name, purpose, mut, reqs, base=bare, **kw):
    for p in profiles:
        add(p + "/" + name, purpose, base(p), mut=mut, reqs=reqs, **kw)


def define_image():
    def elf_byte(off, val, why):
        return lambda L: L.image_patches.append({"offset": off, "bytes": val, "why": why})
    inv([B], "img-not-elf", "the file does not start with the ELF magic",
        elf_byte(0, "00 00 00 00", "ELF magic overwritten"), ["LUO-IMG-001"], exit_code=2)
    inv([A], "img-elf32", "EI_CLASS says ELFCLASS32",
        elf_byte(4, "01", "EI_CLASS = ELFCLASS32"), ["LUO-IMG-001"], exit_code=2)
    inv([C], "img-not-core", "e_type is ET_EXEC, not ET_CORE",
        elf_byte(16, "02 00", "e_type = ET_EXEC (little-endian ELF)"), ["LUO-IMG-001"], exit_code=2)

    def no_note(L):
        L.note = False
        L.header_muts.append("the image carries no LUO note (luo-mkimage --no-note)")
    inv([A], "img-no-note", "no LUO note: nothing says where the KHO root is",
        no_note, ["LUO-IMG-002"], exit_code=2)

    def note_field(field, value, why):
        def m(L):
            L.note_extra[field] = value
            L.header_muts.append(why)
        return m
    inv([B], "img-note-page-size", "the note's page size is 8192, not 4096/16384/65536",
        note_field("note_page_size", 8192, "page_size 8192 is no Linux PAGE_SIZE the ABI allows"),
        ["LUO-IMG-002"], exit_code=2)
    inv([S], "img-note-flags", "the note's reserved flags are not 0",
        note_field("note_flags", 1, "reserved flags must be 0"), ["LUO-IMG-002"], exit_code=2)

    def overlap(L):
        at = 0x60000000     # memory the state does not reference
        L.raw_segments.append({"at": at, "bytes": 2 * L.st.ps, "tag": "overlap-a",
                               "why": "first of two PT_LOAD segments that overlap"})
        L.raw_segments.append({"at": at + L.st.ps, "bytes": 2 * L.st.ps, "tag": "overlap-b",
                               "why": "overlaps the second page of the segment before"})
    inv([B], "img-overlap", "two PT_LOAD segments overlap in physical address",
        overlap, ["LUO-IMG-004"], exit_code=None)

    def absent(role, why):
        def m(L):
            b = L.block(role)
            b.present = "none"
            b.mut.append(why)
        return m
    inv([B], "img-absent-file-array", "the file array is preserved but its bytes are not in the image",
        absent(("files", 0), "bytes left out of the image (still preserved)"), ["LUO-IMG-003"], base=lean)
    inv([C], "img-absent-memfd", "the memfd state is preserved but not in the image",
        absent(("memfd", 0, 0), "bytes left out of the image (still preserved)"), ["LUO-IMG-003"], base=lean)
    inv([A], "img-absent-folio", "a folio is preserved but its data is not in the image",
        absent(("folio", 0, 0, 1), "folio bytes left out of the image (still preserved)"),
        ["LUO-IMG-003"], base=rich)

    def outside(L):
        luo(L).set("/luo-session", "luo-session-header", "u64", 0x7ff00000000,
                    "in no segment of the image (and not preserved)")
    inv([A], "addr-outside-image", "the session header address lies outside every segment",
        outside, ["LUO-IMG-003"])


def define_kho():
    def patch_root(field, value, why):
        return lambda L: fdt_patch(L, "kho", field, value, why)
    inv([B, C], "kho-bad-magic", "the KHO root FDT has a bad magic number",
        patch_root(FDT_MAGIC, 0xd00dfeee, "FDT magic broken"), ["LUO-KHO-001"], schema="fail")
    inv([B], "kho-version-16", "the KHO root FDT is version 16",
        patch_root(FDT_VERSION, 16, "FDT version 16 (< 17)"), ["LUO-KHO-001"])

    def big(L):
        b = L.block("kho")
        b.pages = 2
        b.mut.append("two pages present so the oversized header is the only defect")
        fdt_patch(L, "kho", FDT_TOTALSIZE, 2 * L.st.ps, "totalsize two pages: larger than the root buffer")
    inv([B, C], "kho-totalsize-big", "the KHO root FDT's totalsize exceeds the root size (one page)",
        big, ["LUO-KHO-001"])
    inv([A], "kho-truncated", "the KHO root FDT's totalsize cuts its structure block",
        patch_root(FDT_TOTALSIZE, 0x40, "totalsize 0x40: the blocks lie outside it"),
        ["LUO-KHO-001"], schema="fail")

    def bad_token(L):
        h = fdt_header(L, "kho.dts")
        L.patch(L.kho_root + h["off_struct"], "first structure token 0x0000000a is no FDT token",
                bytes="00 00 00 0a")
    inv([B], "kho-bad-struct", "the KHO root FDT's structure block starts with an invalid token",
        bad_token, ["LUO-KHO-001"], schema="fail")

    def compat(vals, why, kind="str"):
        return lambda L: kho(L).set("/", "compatible", kind, vals, why)
    inv([B], "kho-compat-v2", "the KHO root says kho-v2",
        compat(["kho-v2"], "kho-v2: no profile speaks it"), ["LUO-KHO-002"])
    inv([A], "kho-compat-list", "the KHO root compatible is a list with kho-v1 first",
        compat(["kho-v1", "vendor,kho"], "a list, not exactly one string"), ["LUO-KHO-002"], schema="fail", listed=True)
    inv([C], "kho-compat-missing", "the KHO root has no compatible",
        lambda L: kho(L).delete("/", "compatible", "no compatible"), ["LUO-KHO-002"])

    inv([B, C], "kho-map-missing", "the KHO root has no preserved-memory-map",
        lambda L: kho(L).delete("/", "preserved-memory-map", "no memory map"), ["LUO-KHO-003"],
        schema="fail")
    inv([S], "kho-map-4bytes", "preserved-memory-map is 4 bytes",
        lambda L: kho(L).set("/", "preserved-memory-map", "u32", L.kmap_at, "4 bytes, not 8"),
        ["LUO-KHO-003"], schema="fail")
    inv([C], "kho-map-16bytes", "preserved-memory-map is 16 bytes",
        lambda L: kho(L).set("/", "preserved-memory-map", "bytes",
                             L.p.codec.u64(L.kmap_at) + bytes(8), "16 bytes, not 8"),
        ["LUO-KHO-003"], schema="fail")

    inv([B], "kho-luo-addr-missing", "the LUO sub-node has no fdt property",
        lambda L: kho(L).delete(luo_node(L), sub_addr_prop(L), "no address"), ["LUO-KHO-004"], schema="fail")
    inv([C], "kho-luo-addr-missing", "the LUO sub-node has no preserved-data property",
        lambda L: kho(L).delete(luo_node(L), sub_addr_prop(L), "no address"), ["LUO-KHO-004"], schema="fail")
    inv([A], "kho-luo-addr-4bytes", "the LUO sub-node's fdt property is 4 bytes",
        lambda L: kho(L).set(luo_node(L), sub_addr_prop(L), "u32", 0x1000, "4 bytes, not 8"),
        ["LUO-KHO-004"], schema="fail")
    inv([B], "kho-luo-addr-zero", "the LUO sub-node's address is 0",
        lambda L: kho(L).set(luo_node(L), sub_addr_prop(L), "u64", 0, "address 0"), ["LUO-KHO-004"])

    def v1_on_v3(L):
        n = kho(L).node(luo_node(L))
        p = n.prop("preserved-data")
        p.name = "fdt"
        p.mut = "kho-v1's property name on a kho-v3 root"
    inv([C], "kho-luo-fdt-on-v3", "the kho-v3 LUO sub-node names its address 'fdt' (kho-v1 style)",
        v1_on_v3, ["LUO-KHO-004"], schema="fail")

    inv([C], "kho-blob-size-missing", "the LUO sub-node has no blob-size",
        lambda L: kho(L).delete(luo_node(L), "blob-size", "no blob-size"), ["LUO-KHO-005"], schema="fail")
    inv([C], "kho-blob-size-4bytes", "blob-size is 4 bytes",
        lambda L: kho(L).set(luo_node(L), "blob-size", "u32", fdt_header(L, "luo.dts")["totalsize"],
                             "4 bytes, not 8"), ["LUO-KHO-005"], schema="fail")
    inv([C], "kho-blob-size-page", "blob-size is the buffer size (one page), not fdt_totalsize",
        lambda L: kho(L).set(luo_node(L), "blob-size", "u64", L.st.ps, "PAGE_SIZE instead of fdt_totalsize"),
        ["LUO-KHO-005"])
    inv([C], "kho-blob-size-big", "blob-size exceeds LUO_FDT_SIZE",
        lambda L: kho(L).set(luo_node(L), "blob-size", "u64", 2 * L.st.ps, "two pages > LUO_FDT_SIZE"),
        ["LUO-KHO-005"])


def define_kmap():
    def chunk_patch(which, field, value_fn, why):
        def m(L):
            _, _, info = kmap_info(L)
            at = info["chunks"][which]
            L.patch(at, why, component="kho-v1", struct="khoser_mem_chunk_hdr", field=field,
                    value=value_fn(L, info))
        return m
    inv([B], "kmap-chunk-cycle", "the last memory-map chunk links back to the first",
        chunk_patch(-1, "next", lambda L, i: i["chunks"][0], "next = first chunk: a cycle"), ["LUO-KMAP-001"])
    inv([A], "kmap-chunk-self", "the last memory-map chunk links to itself",
        chunk_patch(-1, "next", lambda L, i: i["chunks"][-1], "next = this chunk"), ["LUO-KMAP-001"])

    def extra_chunk(hdr, entries, why):
        def m(L):
            _, _, info = kmap_info(L)
            c = L.p.codec
            page = c.encode("kho-v1", "khoser_mem_chunk_hdr", hdr)
            for e in entries(L, info):
                page += c.encode("kho-v1", "khoser_mem_bitmap_ptr", e)
            at = extra_tracker(L, page, "extra memory-map chunk", why)
            L.patch(info["chunks"][-1], "link the extra chunk after the last one",
                    component="kho-v1", struct="khoser_mem_chunk_hdr", field="next", value=at)
        return m
    inv([B], "kmap-order-11", "a memory-map chunk has order 11 (> max_order 10)",
        extra_chunk({"next": 0, "order": 11, "num_elms": 0}, lambda L, i: [], "order 11, no entries"),
        ["LUO-KMAP-001"])
    inv([A], "kmap-num-elms", "a memory-map chunk claims 256 entries (a page holds 255)",
        extra_chunk({"next": 0, "order": 0, "num_elms": 256}, lambda L, i: [], "num_elms 256 > 255"),
        ["LUO-KMAP-001"])
    inv([B], "kmap-bitmap-absent", "a memory-map entry points at a bitmap page not in the image",
        extra_chunk({"next": 0, "order": 2, "num_elms": 1},
                    lambda L, i: [{"phys_start": 0, "bitmap": 0x7f000000}], "bitmap 0x7f000000 is absent"),
        ["LUO-KMAP-001"])

    def map_ptr(delta_fn, why):
        return lambda L: kho(L).set("/", "preserved-memory-map", "u64", delta_fn(L), why)
    inv([B], "kmap-chunk-misaligned", "preserved-memory-map is not page aligned",
        map_ptr(lambda L: L.kmap_at + 8, "first chunk + 8"), ["LUO-KMAP-001"])
    inv([S, C], "kmap-map-absent", "preserved-memory-map points at memory not in the image",
        map_ptr(lambda L: 0x7f000000, "0x7f000000 is absent"), ["LUO-KMAP-001"])

    # radix tree (kho-v3)
    def node_entry(pick, value_fn, why):
        def m(L):
            _, root, info = kmap_info(L)
            node, idx = pick(L, root, info)
            L.patch(node + 8 * idx, "slot %d of the node at %#x: %s" % (idx, node, why),
                    u64=value_fn(L, root, info, node))
        return m

    def deepest_node(L, root, info):
        # a level-1 node: one whose children are leaves; use a free slot in it
        for n, table in info["nodes"].items():
            if table and all(ch in info["leaves"] for ch in table.values()):
                free = next(i for i in range(L.st.ps // 8) if i not in table)
                return n, free
        raise KeyError("no level-1 node")

    def root_free(L, root, info):
        t = info["nodes"][root]
        return root, next(i for i in range(4) if i not in t)
    inv([C], "radix-loop", "a radix-tree node points back at the root",
        node_entry(deepest_node, lambda L, r, i, n: r, "free slot -> root node: a loop"), ["LUO-KMAP-001"])

    def shared(L, root, info):
        n, free = deepest_node(L, root, info)
        return n, free
    inv([C], "radix-shared-leaf", "two slots of a radix-tree node point at the same leaf",
        node_entry(shared, lambda L, r, i, n: next(iter(i["nodes"][n].values())),
                   "free slot -> the leaf of another slot: reached twice"), ["LUO-KMAP-001"])
    inv([C], "radix-misaligned", "a radix-tree node slot holds an address that is not page aligned",
        node_entry(root_free, lambda L, r, i, n: i["next"] + 0x10, "child at a page + 0x10"),
        ["LUO-KMAP-001"])
    inv([C], "radix-node-absent", "a radix-tree node slot points at memory not in the image",
        node_entry(root_free, lambda L, r, i, n: 0x7f000000, "child 0x7f000000 is absent"), ["LUO-KMAP-001"])

    def high_key(L):
        _, root, info = kmap_info(L)
        at = extra_tracker(L, bytes(L.st.ps), "empty radix node", "target of a root slot above the order-0 bit")
        g = vecenc.radix_geometry(L.p.codec)
        # root slot whose key bits lie above order0_log2
        lsb = g["bitmap_log2"] + (g["depth"] - 2) * g["table_log2"]
        idx = 1 << (g["order0_log2"] + 1 - lsb)
        L.patch(root + 8 * idx, "root slot %d: key bit %d is above the order-0 bit %d"
                % (idx, g["order0_log2"] + 1, g["order0_log2"]), u64=at)
    inv([C], "radix-high-key", "a root slot sets key bits above the order-0 bit",
        high_key, ["LUO-KMAP-001"])

    # KMAP-002: referenced blocks not preserved
    def unpres(role, why="left out of the KHO map"):
        return lambda L: L.unpreserve(L.block(role).at, why)
    inv([A, C], "unpreserved-luo-fdt", "the LUO FDT page is not preserved", unpres("luo"), ["LUO-KMAP-002"])
    inv([B], "unpreserved-session-area", "the session area is not preserved",
        unpres("sessions"), ["LUO-KMAP-002"])

    def partial_area(L):
        b = L.block("sessions")
        ps = L.st.ps
        represerve(L, b.at, [(b.at, 3, "session area pages 0-7"), (b.at + 8 * ps, 2, "session area pages 8-11"),
                             (b.at + 12 * ps, 1, "session area pages 12-13"),
                             (b.at + 14 * ps, 0, "session area page 14")],
                   "only 15 of the 16 pages preserved")
    inv([C], "unpreserved-session-page", "the last page of the session area is not preserved",
        partial_area, ["LUO-KMAP-002"])
    inv([B], "unpreserved-file-array", "a file array is not preserved", unpres(("files", 0)), ["LUO-KMAP-002"],
        base=lean)
    inv([C], "unpreserved-flb", "the FLB page is not preserved", unpres("flb"), ["LUO-KMAP-002"])
    inv([A], "unpreserved-memfd", "a memfd state is not preserved",
        unpres(("memfd", 0, 0)), ["LUO-KMAP-002"], base=lean)
    inv([B], "unpreserved-vmalloc-chunk", "the folio array's kho_vmalloc chunk is not preserved",
        unpres(("vmchunk", 0, 0, 0)), ["LUO-KMAP-002"], base=rich)
    inv([C], "unpreserved-folio-array", "a folio-array page is not preserved",
        unpres(("farray", 0, 0, 0)), ["LUO-KMAP-002"], base=rich)
    inv([S, B, C], "unpreserved-folio", "a memfd folio is not preserved",
        unpres(("folio", 0, 0, 1)), ["LUO-KMAP-002"], base=rich)

    def mid_block(L):
        ps = L.st.ps
        b = L.block(("folio", 0, 0, 1))
        blk = b.at - b.at % (4 * ps) + 0x100000     # a free, 4-page aligned spot
        L.unpreserve(b.at, "moved to the second page of an order-2 block")
        move_into(L, ("folio", 0, 0, 1), blk + ps, "folio 1 moved to the second page of an order-2 block")
        L.preserve.append({"at": blk, "order": 2, "what": "order-2 block holding folio 1 at its second page",
                           "#": "the folio is covered but does not start a preserved block"})
        fe = folio_ents(L)[1]
        setf(fe, "foliodesc", {"pfn": (blk + ps) // ps, "flags": fe["foliodesc"]["flags"]},
             "pfn is the second page of an order-2 block")
    inv([B, C], "folio-not-block-start", "a folio lies inside a preserved block instead of starting one",
        mid_block, ["LUO-KMAP-003"], base=lambda p: rich(p, nfolios=2))


def define_fdt():
    def patch_luo(field, value, why):
        return lambda L: fdt_patch(L, "luo", field, value, why)
    inv([A, C], "luo-bad-magic", "the LUO FDT has a bad magic number",
        patch_luo(FDT_MAGIC, 0xd00dfeee, "FDT magic broken"), ["LUO-FDT-001"], schema="fail")
    inv([B], "luo-version-16", "the LUO FDT is version 16",
        patch_luo(FDT_VERSION, 16, "FDT version 16 (< 17)"), ["LUO-FDT-001"])

    def big(L):
        b = L.block("luo")
        b.pages = 2
        b.mut.append("two pages present so the oversized header is the only defect of the bytes")
        fdt_patch(L, "luo", FDT_TOTALSIZE, L.st.ps + 0x100, "totalsize > LUO_FDT_SIZE")
    inv([B], "luo-totalsize-big", "the LUO FDT's totalsize exceeds LUO_FDT_SIZE", big, ["LUO-FDT-001"])
    def big_v3(L):
        big(L)
        kho(L).set(luo_node(L), "blob-size", "u64", L.st.ps + 0x100,
                   "the writer's fdt_totalsize, > LUO_FDT_SIZE")
    inv([C], "luo-totalsize-big", "the LUO FDT's totalsize (and so blob-size) exceeds LUO_FDT_SIZE",
        big_v3, ["LUO-FDT-001", "LUO-KHO-005"])
    inv([S], "luo-truncated", "the LUO FDT's totalsize cuts its structure block",
        patch_luo(FDT_TOTALSIZE, 0x40, "totalsize 0x40: the blocks lie outside it"),
        ["LUO-FDT-001"], schema="fail")

    def bad_token(L):
        h = fdt_header(L, "luo.dts")
        L.patch(fdt_addr(L, "luo") + h["off_struct"], "first structure token 0x0000000a is no FDT token",
                bytes="00 00 00 0a")
    inv([A], "luo-bad-struct", "the LUO FDT's structure block starts with an invalid token",
        bad_token, ["LUO-FDT-001"], schema="fail")

    def compat(vals, why, kind="str"):
        return lambda L: luo(L).set("/", "compatible", kind, vals, why)
    inv([S, B], "luo-compat-v2", "the LUO FDT says luo-v2",
        compat(["luo-v2"], "luo-v2, not luo-v1"), ["LUO-FDT-002"], schema="fail")
    inv([B, C], "luo-compat-second", "the LUO compatible list has luo-v1 only as its second entry",
        compat(["vendor,luo", "luo-v1"], "luo-v1 second in a list (fdt_node_check_compatible would accept it)"),
        ["LUO-FDT-002"], schema="fail", listed=True)
    inv([C], "luo-compat-first-of-two", "the LUO compatible is luo-v1 followed by a second string",
        compat(["luo-v1", "vendor,luo"], "a list, not exactly one string"), ["LUO-FDT-002"], schema="fail",
        listed=True)
    inv([S], "luo-compat-missing", "the LUO FDT has no compatible",
        lambda L: luo(L).delete("/", "compatible", "no compatible"), ["LUO-FDT-002"], schema="fail")
    inv([B], "luo-compat-no-nul", "the LUO compatible lacks its terminating NUL",
        compat(b"luo-v1", "the 6 bytes of luo-v1 without a NUL", kind="bytes"), ["LUO-FDT-002"],
        schema="fail", listed=True)  # libfdt compares the NUL too and finds the padding byte

    num = "liveupdate-number"
    inv([A, C], "luo-number-missing", "the LUO FDT has no liveupdate-number",
        lambda L: luo(L).delete("/", num, "no liveupdate-number"), ["LUO-FDT-003"], schema="fail")
    inv([B], "luo-number-4bytes", "liveupdate-number is 4 bytes",
        lambda L: luo(L).set("/", num, "u32", 1, "4 bytes, not 8"), ["LUO-FDT-003"], schema="fail")
    inv([C], "luo-number-zero", "liveupdate-number is 0",
        lambda L: luo(L).set("/", num, "u64", 0, "0: a handed-over state counts at least 1"), ["LUO-FDT-003"])

    def swapped(node, prop, why):
        def m(L):
            p = luo(L).node(node).prop(prop)
            v = int.from_bytes(p.value.to_bytes(8, "big" if L.st.be else "little"),
                               "little" if L.st.be else "big")
            luo(L).set(node, prop, "u64", v, why, "the address byte-swapped")
        return m
    inv([A, C], "byteorder-session-header", "luo-session-header is written in the other byte order",
        swapped("/luo-session", "luo-session-header", "big-endian value in a little-endian state"),
        ["LUO-FDT-004"])
    inv([B, C], "byteorder-flb-header", "luo-flb-header is written in the other byte order",
        swapped("/luo-flb", "luo-flb-header", "big-endian value in a little-endian state"), ["LUO-FDT-004"])

    def le_in_be(L):
        L.image_byte_order = "big"
        L.machine = "ppc64"
        L.header_muts.append("a little-endian state in an image that says big-endian (ppc64)")
    inv([B], "byteorder-le-state-be-image", "a little-endian state in a big-endian (ppc64) image",
        le_in_be, ["LUO-FDT-004"])

    def extra_prop(L):
        luo(L).set("/", "vendor-extra", "u64", 0x1234, "a property luo-v1 does not define")
    inv([B], "fdt-extra-prop", "the LUO root carries a property luo-v1 does not define (SHOULD not)",
        extra_prop, [], warns=["LUO-FDT-005"], schema="fail")

    def extra_node(L):
        n = Node("vendor-node")
        n.props.append(Prop("compatible", "str", ["vendor,extra-v1"]))
        n.mut = "a node luo-v1 does not define"
        luo(L).root.children.append(n)
    inv([A], "fdt-extra-node", "the LUO FDT carries a node luo-v1 does not define (SHOULD not)",
        extra_node, [], warns=["LUO-FDT-005"], schema="fail")


def define_sess():
    inv([A, C], "sess-node-missing", "the LUO FDT has no /luo-session node",
        lambda L: luo(L).delete_node("/luo-session", "no session node"), ["LUO-SESS-001"], schema="fail")

    def compat(vals, why):
        return lambda L: luo(L).set("/luo-session", "compatible", "str", vals, why)
    inv([C, S], "sess-compat-v3", "the session node says luo-session-v3",
        compat(["luo-session-v3"], "no profile defines luo-session-v3"), ["LUO-SESS-002"], schema="fail")
    inv([A], "sess-compat-v1", "a v6.19 state (session-v2 layout) labelled luo-session-v1",
        compat(["luo-session-v1"], "the series-v6 string over the v2 layout"), ["LUO-SESS-002"],
        outcome={S: "undefined"})
    inv([B], "sess-compat-list", "the session compatible is a list",
        compat(["luo-session-v2", "vendor,session"], "a list, not exactly one string"), ["LUO-SESS-002"],
        schema="fail", listed=True)

    hp = "luo-session-header"
    inv([S, B], "sess-header-missing", "the session node has no luo-session-header",
        lambda L: luo(L).delete("/luo-session", hp, "no header address"), ["LUO-SESS-003"], schema="fail")
    inv([B], "sess-header-4bytes", "luo-session-header is 4 bytes",
        lambda L: luo(L).set("/luo-session", hp, "u32", 0x1000, "4 bytes, not 8"), ["LUO-SESS-003"],
        schema="fail")
    inv([C], "sess-header-zero", "luo-session-header is 0",
        lambda L: luo(L).set("/luo-session", hp, "u64", 0, "address 0"), ["LUO-SESS-003"])

    def misaligned(L):
        shift_area(L, "sessions", 64, "session area")
        luo(L).set("/luo-session", hp, "u64", L.block("sessions").at + 64, "not page aligned",
                   "session header")
    inv([B, S], "sess-header-misaligned", "the session area is not page aligned",
        misaligned, ["LUO-SESS-003"])

    def count(val_fn, why):
        return lambda L: setf(sess_hdr(L), "count", val_fn(L), why)
    inv([B, C], "sess-count-over", "the session count is LUO_SESSION_MAX + 1",
        count(lambda L: L.p.sess_max + 1, "LUO_SESSION_MAX + 1"), ["LUO-SESS-004"])
    inv([A], "sess-count-huge", "the session count is 2^64-1",
        count(lambda L: U64_MAX, "2^64-1"), ["LUO-SESS-004"])

    def name(val, why):
        return lambda L: setf(sess_ent(L), "name", val, why)
    inv([S, B], "sess-name-no-nul", "a session name fills all 64 bytes without a NUL",
        name("n" * 64, "64 characters, no NUL"), ["LUO-SESS-005"])
    inv([C], "sess-name-empty", "a session name is empty",
        name("", "empty name"), ["LUO-SESS-005"])
    inv([B], "sess-name-trailing", "a session name has non-zero bytes after its NUL (SHOULD be zero)",
        name("session-0\0garbage", "bytes after the NUL"), [], warns=["LUO-SESS-005"])

    def dup(prof):
        return State(prof, flbs=flbs(prof), sessions=[
            Session("twin"), Session("twin")])
    for p in (A, C):
        add(p + "/sess-dup-names", "two sessions share the name 'twin'", dup(p),
            mut=lambda L: note(sess_ent(L, 1), "same name as session 0"), reqs=["LUO-SESS-006"])

    def count0(L):
        e = sess_ent(L)
        setf(e, "count", 0, "count 0 although files points at a file array")
    inv([B], "sess-files-count0", "a session has a file array but count 0", count0, ["LUO-SESS-007"],
        base=lean)

    def files0(L):
        e = sess_ent(L)
        setf(e, "files", 0, "files 0 although count is 1")
        if "pgcnt" in e:
            setf(e, "pgcnt", 0, "pgcnt 0 to match files 0 (only SESS-007 broken)")
    inv([A, S], "sess-count-files0", "a session has count 1 but no file array", files0, ["LUO-SESS-007"],
        base=lean)

    inv([S], "sess-hdr-pgcnt", "the series-v6 session header says 15 pages",
        lambda L: setf(sess_hdr(L), "pgcnt", 15, "LUO_SESSION_PGCNT is 16"), ["LUO-SESS-008"])
    inv([S], "sess-pgcnt-files", "a series-v6 session with files says its file array has 1 page",
        lambda L: setf(sess_ent(L), "pgcnt", 1, "LUO_FILE_PGCNT is 2"), ["LUO-SESS-008"], base=lean)
    add(S + "/sess-pgcnt-nofiles", "a series-v6 session without files says pgcnt 2",
        State(S, sessions=[Session("empty")]),
        mut=lambda L: setf(sess_ent(L), "pgcnt", 2, "pgcnt must be 0 when files is 0"), reqs=["LUO-SESS-008"])
    add(S + "/sess-count-over", "744 + 1 sessions in a series-v6 state (LUO_SESSION_MAX is 744)",
        State(S), mut=lambda L: setf(sess_hdr(L), "count", L.p.sess_max + 1, "LUO_SESSION_MAX + 1"),
        reqs=["LUO-SESS-004"])


def define_file():
    def fcount(val_fn, why):
        return lambda L: setf(sess_ent(L), "count", val_fn(L), why)
    inv([S, B], "file-count-over", "a session's file count is LUO_FILE_MAX + 1",
        fcount(lambda L: L.p.file_max + 1, "LUO_FILE_MAX + 1"), ["LUO-FILE-001"], base=lean)
    inv([C], "file-count-huge", "a session's file count is 2^64-1",
        fcount(lambda L: U64_MAX, "2^64-1"), ["LUO-FILE-001"], base=lean)

    def misaligned(L):
        shift_area(L, ("files", 0), 64, "file array")
        setf(sess_ent(L), "files", L.block(("files", 0)).at + 64, "file array not page aligned")
    inv([A], "file-array-misaligned", "a file array is not page aligned", misaligned,
        ["LUO-FILE-001"], base=lean)

    def compat(val, why):
        return lambda L: setf(file_ent(L), "compatible", val, why)
    inv([S, A, C], "file-compat-no-nul", "a file compatible fills all 48 bytes without a NUL",
        compat("memfd-v1" + "x" * 40, "48 characters, no NUL"), ["LUO-FILE-002"], base=lean)
    inv([B], "file-compat-empty", "a file compatible is empty", compat("", "empty compatible"),
        ["LUO-FILE-002"], base=lean)

    def dup(L):
        setf(file_ent(L, 0, 1), "token", file_ent(L, 0, 0)["token"], "same token as file 0")
    for p in (A, C):
        add(p + "/file-dup-tokens", "two files of a session share a token", two_files(p), mut=dup,
            reqs=["LUO-FILE-003"])

    def unknown(prof, compat_str):
        st = State(prof, flbs=flbs(prof), sessions=[Session("session-0", [
            File(1, Memfd(seals=seals(prof))), File(2, compat=compat_str)])])
        return st
    for p, cs, why in ((A, "vendor-handler-v1", "a handler no profile defines"),
                       (B, "memfd-v2", "memfd-v2 is v7.1's handler, not v7.0's"),
                       (C, "memfd-v1", "memfd-v1 is the v7.0 handler, not v7.1's")):
        add(p + "/file-unknown-handler", "a file names a handler the profile does not define (%s)" % cs,
            unknown(p, cs), mut=lambda L: note(file_ent(L, 0, 1), "handler not in this profile; data not checked"),
            warns=["LUO-FILE-004"])


def define_flb():
    add(B + "/flb-missing-v6.19-state", "a v6.19 state (no /luo-flb) checked as v7.0",
        State(A, sessions=[Session("s", [File(1, Memfd())])]),
        mut=lambda L: (setattr(L, "note_profile", B),
                       L.header_muts.append("v6.19 bytes, image note says v7.0")),
        reqs=["LUO-FLB-001"], checked_as=B)
    inv([C], "flb-node-missing", "a v7.1 state without /luo-flb",
        lambda L: luo(L).delete_node("/luo-flb", "no FLB node"), ["LUO-FLB-001"])
    inv([C], "flb-compat-v2", "the FLB node says luo-flb-v2",
        lambda L: luo(L).set("/luo-flb", "compatible", "str", ["luo-flb-v2"], "no profile defines luo-flb-v2"),
        ["LUO-FLB-002"], schema="fail")
    hp = "luo-flb-header"
    inv([B], "flb-header-missing", "the FLB node has no luo-flb-header",
        lambda L: luo(L).delete("/luo-flb", hp, "no header address"), ["LUO-FLB-003"], schema="fail")
    inv([C], "flb-header-4bytes", "luo-flb-header is 4 bytes",
        lambda L: luo(L).set("/luo-flb", hp, "u32", 0x1000, "4 bytes, not 8"), ["LUO-FLB-003"], schema="fail")
    inv([B], "flb-header-zero", "luo-flb-header is 0",
        lambda L: luo(L).set("/luo-flb", hp, "u64", 0, "address 0"), ["LUO-FLB-003"])

    def misaligned(L):
        shift_area(L, "flb", 32, "FLB page")
        luo(L).set("/luo-flb", hp, "u64", L.block("flb").at + 32, "not page aligned", "FLB header")
    inv([C], "flb-header-misaligned", "the FLB page is not page aligned", misaligned,
        ["LUO-FLB-003"])
    inv([B], "flb-pgcnt", "the FLB header says 2 pages",
        lambda L: setf(flb_hdr(L), "pgcnt", 2, "LUO_FLB_PGCNT is 1"), ["LUO-FLB-004"])
    inv([B], "flb-count-over", "the FLB count is LUO_FLB_MAX + 1",
        lambda L: setf(flb_hdr(L), "count", L.p.flb_max + 1, "LUO_FLB_MAX + 1"), ["LUO-FLB-004"])
    inv([C], "flb-count-huge", "the FLB count is 2^64-1",
        lambda L: setf(flb_hdr(L), "count", U64_MAX, "2^64-1"), ["LUO-FLB-004"])
    inv([C], "flb-name-no-nul", "an FLB name fills all 48 bytes without a NUL",
        lambda L: setf(flb_ent(L), "name", "f" * 48, "48 characters, no NUL"), ["LUO-FLB-005"])
    inv([B], "flb-name-empty", "an FLB name is empty",
        lambda L: setf(flb_ent(L), "name", "", "empty name"), ["LUO-FLB-005"])
    for p in (B,):
        add(p + "/flb-dup-names", "two FLB entries share a name",
            State(p, flbs=[("liveupdate-test-flb-v0", 1, 0), ("liveupdate-test-flb-v0", 2, 0)]),
            mut=lambda L: note(flb_ent(L, 1), "same name as entry 0"), reqs=["LUO-FLB-005"])
    add(A + "/flb-present", "a v6.19 state that carries a /luo-flb node (SHOULD not)",
        State(A, flb=True, flbs=[("liveupdate-test-flb-v0", 1, 0)],
              sessions=[Session("s", [File(1, Memfd())])]),
        mut=lambda L: L.header_muts.append("v6.19 defines no /luo-flb; this state has one"),
        warns=["LUO-FLB-006"])


def define_memfd():
    inv([S, B], "memfd-data-zero", "a memfd file entry's data is 0",
        lambda L: setf(file_ent(L), "data", 0, "no memfd state address"), ["LUO-MEMFD-001"], base=lean)

    def misaligned(L):
        b = L.block(("memfd", 0, 0))
        b.data.insert(0, ["skip", 8])
        b.mut.append("memfd state starts 8 bytes into its preserved page")
        setf(file_ent(L), "data", b.at + 8, "memfd state not page aligned")
    inv([B], "memfd-data-misaligned", "a memfd state is not page aligned", misaligned,
        ["LUO-MEMFD-001"], base=lean)

    # series-v6 memfd FDT (MEMFD-002)
    def mdts(L):
        return L.dts_named("memfd-0-0.dts")
    inv([S], "memfd-fdt-size-missing", "the memfd FDT has no size property",
        lambda L: mdts(L).delete("/", "size", "no size"), ["LUO-MEMFD-002"], schema="fail", base=rich)
    inv([S], "memfd-fdt-pos-4bytes", "the memfd FDT's pos is 4 bytes",
        lambda L: mdts(L).set("/", "pos", "u32", 0, "4 bytes, not 8"), ["LUO-MEMFD-002"], schema="fail", base=lean)
    inv([S], "memfd-fdt-nr-folios-empty", "an empty memfd FDT carries nr_folios",
        lambda L: mdts(L).set("/", "nr_folios", "u64", 0, "present although size is 0"),
        ["LUO-MEMFD-002"], schema="fail", base=lean)
    inv([S], "memfd-fdt-folios-missing", "a non-empty memfd FDT has no folios property",
        lambda L: mdts(L).delete("/", "folios", "absent although size > 0"),
        ["LUO-MEMFD-002", "LUO-MEMFD-003"], schema="fail", base=rich)
    inv([S], "memfd-fdt-folios-8bytes", "the memfd FDT's folios property is 8 bytes",
        lambda L: mdts(L).set("/", "folios", "u64", L.block(("vmchunk", 0, 0, 0)).at, "8 bytes, not 16"),
        ["LUO-MEMFD-002", "LUO-MEMFD-003"], schema="fail", base=rich)
    inv([S], "memfd-fdt-bad-magic", "the memfd FDT has a bad magic number",
        lambda L: fdt_patch(L, ("memfd", 0, 0), FDT_MAGIC, 0xd00dfeee, "FDT magic broken"),
        ["LUO-MEMFD-002"], schema="fail", base=lean)

    # MEMFD-003: the folio array descriptor
    def nonzero_empty(L):
        if L.p.memfd_fdt:
            set_memfd_field(L, 0, 0, "size", 4096, "size > 0 so the descriptor is present")
            set_nr_folios(L, 0, 0, 0, "no folios")
        set_vm(L, 0, 0, {"first": L.block(("memfd", 0, 0)).at, "total_pages": 0, "flags": 1, "order": 0},
               "nr_folios is 0 but the descriptor is not all zero")
    inv([S, A], "memfd-vm-nonzero-empty", "nr_folios 0 with a non-zero kho_vmalloc descriptor",
        nonzero_empty, ["LUO-MEMFD-003"], base=lean)

    def zero_desc(L):
        set_vm(L, 0, 0, {"first": 0, "total_pages": 0, "flags": 0, "order": 0},
               "descriptor all zero although nr_folios is 2")
    inv([C], "memfd-vm-zero-desc", "nr_folios 2 with an all-zero descriptor", zero_desc,
        ["LUO-MEMFD-003"], base=rich)

    def vm_field(key, val, why):
        def m(L):
            vm, _ = get_vm(L)
            vm[key] = val
            set_vm(L, 0, 0, vm, why)
        return m
    inv([C], "memfd-vm-flags", "kho_vmalloc flags has a bit beyond ALLOC|HUGE_VMAP",
        vm_field("flags", 0x5, "flags 0x5: bit 2 is not defined"), ["LUO-MEMFD-003"], base=rich)
    inv([B], "memfd-vm-order", "kho_vmalloc order is 11",
        vm_field("order", 11, "order 11 > max_order 10"), ["LUO-MEMFD-003"], base=rich)
    inv([B], "memfd-vm-total-pages", "kho_vmalloc total_pages is 2 while one page is listed",
        vm_field("total_pages", 2, "total_pages 2, one page listed"), ["LUO-MEMFD-003"], base=rich)
    inv([A], "memfd-vm-first-absent", "the kho_vmalloc chain starts at memory not in the image",
        vm_field("first", 0x7f000000, "first chunk 0x7f000000 is absent"), ["LUO-IMG-003"], base=rich)

    def cycle(L):
        ch = vm_chunk(L)
        setf(ch, "next", L.block(("vmchunk", 0, 0, 0)).at, "next = this chunk: a cycle")
    inv([S, B], "memfd-vm-cycle", "the kho_vmalloc chunk chain links a chunk to itself", cycle,
        ["LUO-MEMFD-003"], base=rich)
    inv([C], "memfd-nr-folios-huge", "nr_folios is 2^64-1",
        lambda L: set_nr_folios(L, 0, 0, U64_MAX, "2^64-1"), ["LUO-MEMFD-003"], base=rich)

    # MEMFD-004: folio entries
    def fol(i, key, fn, why):
        def m(L):
            e = folio_ents(L)[i]
            v = fn(L, e)
            setf(e, key, v, why)
        return m
    inv([S, C], "memfd-folio-pfn0", "a folio entry has pfn 0",
        fol(1, "foliodesc", lambda L, e: {"pfn": 0, "flags": e["foliodesc"]["flags"]}, "pfn 0"),
        ["LUO-MEMFD-004"], base=rich, pfn0=True)
    inv([C], "memfd-folio-flags", "a folio entry has a flag beyond DIRTY|UPTODATE",
        fol(0, "foliodesc", lambda L, e: {"pfn": e["foliodesc"]["pfn"], "flags": 0x7}, "flags 0x7: bit 2 undefined"),
        ["LUO-MEMFD-004"], base=rich)

    def swap(L):
        ents = folio_ents(L)
        ents[0]["index"], ents[1]["index"] = 1, 0
        note(ents[0], "index 1 before index 0")
        note(ents[1], "indices decrease")
    inv([A], "memfd-folio-order", "folio indices are not increasing", swap, ["LUO-MEMFD-004"], base=rich)
    inv([B], "memfd-folio-beyond-size", "a folio starts past the end of the file",
        fol(1, "index", lambda L, e: 5, "index 5 of a 2-page file"), ["LUO-MEMFD-004"], base=rich)
    inv([S], "memfd-folio-beyond-size", "a folio starts past the end of the file",
        fol(1, "index", lambda L, e: 2, "index 2: the file has 2 pages"), ["LUO-MEMFD-004"], base=rich)

    # MEMFD-005: overlaps
    def order1(prof):
        return State(prof, flbs=flbs(prof), sessions=[Session("s", [File(1, Memfd(
            size=3 * 4096, seals=seals(prof), folios=[(0, 1), (2, 0)]))])])

    def overlap_offset(L):
        setf(folio_ents(L)[1], "index", 1, "index 1 lies inside the order-1 folio at index 0")
    for p in (C,):
        add(p + "/memfd-folio-overlap-offset", "an order-1 folio at index 0 and a folio at index 1 overlap",
            order1(p), mut=overlap_offset, reqs=["LUO-MEMFD-005"])

    def same_pfn(L):
        e0, e1 = folio_ents(L)
        setf(e1, "foliodesc", dict(e0["foliodesc"]), "same pfn as folio 0")
    inv([A], "memfd-folio-same-pfn", "two folio entries point at the same page", same_pfn,
        ["LUO-MEMFD-005"], base=rich)

    # MEMFD-006 (memfd-v2)
    inv([C], "memfd-seals-unknown", "memfd seals carry a bit beyond MEMFD_LUO_ALL_SEALS",
        lambda L: setf(memfd_ser(L), "seals", 0x41, "0x40 is no F_SEAL_* bit"), ["LUO-MEMFD-006"], base=lean)
    inv([C], "memfd-flags-nonzero", "memfd flags are not 0",
        lambda L: setf(memfd_ser(L), "flags", 1, "no flag bits are defined"), ["LUO-MEMFD-006"], base=lean)


def define_mem():
    def into_session_area(role, why):
        def m(L):
            sb = L.block("sessions")
            at = sb.at + (L.p.sess_pgcnt // 2) * L.st.ps
            old = L.block(role).at
            L.unpreserve(old, "moved into the session area (covered by its block)")
            move_into(L, role, at, why)
            return old, at
        return m

    def files_in_sessions(L):
        _, at = into_session_area(("files", 0), "file array placed inside the session area")(L)
        setf(sess_ent(L), "files", at, "points into the session area")
    inv([C], "mem-file-array-in-session-area", "a file array lies inside the session area",
        files_in_sessions, ["LUO-MEM-002"], base=lean)

    def flb_in_sessions(L):
        _, at = into_session_area("flb", "FLB page placed inside the session area")(L)
        luo(L).set("/luo-flb", "luo-flb-header", "u64", at, "points into the session area", "FLB page")
    inv([B], "mem-flb-in-session-area", "the FLB page lies inside the session area", flb_in_sessions,
        ["LUO-MEM-002"])

    def shared_memfd(L):
        setf(file_ent(L, 0, 1), "data", file_ent(L, 0, 0)["data"],
             "same memfd state as file 0 (file 1's own state is left unreferenced)")
    for p in (S,):
        add(p + "/mem-shared-memfd", "two files point at the same memfd state", two_files(p), mut=shared_memfd,
            reqs=["LUO-MEM-002"])

    def memfd_in_file_array(L):
        fa = L.block(("files", 0))
        at = fa.at + L.st.ps
        L.unpreserve(L.block(("memfd", 0, 0)).at, "moved into the file array (covered by its block)")
        move_into(L, ("memfd", 0, 0), at, "memfd state placed in the file array's second page")
        setf(file_ent(L), "data", at, "points into the file array")
    inv([C], "mem-memfd-in-file-array", "a memfd state lies inside a file array", memfd_in_file_array,
        ["LUO-MEM-002"], base=lean)

    def folio_on_luo_fdt(L):
        at = L.block("luo").at
        e = folio_ents(L)[1]
        setf(e, "foliodesc", {"pfn": at // L.st.ps, "flags": e["foliodesc"]["flags"]},
             "pfn of the LUO FDT page (the folio's own page is left unreferenced)")
    inv([A], "mem-folio-on-luo-fdt", "a folio entry points at the LUO FDT page", folio_on_luo_fdt,
        ["LUO-MEM-002"], base=rich)

    def luo_misaligned(L):
        b = L.block("luo")
        b.data.insert(0, ["skip", 0x100])
        b.mut.append("LUO FDT starts 0x100 bytes into its preserved page")
        kho(L).set(luo_node(L), sub_addr_prop(L), "u64", b.at + 0x100, "not page aligned", "LUO FDT")
    inv([B, C], "mem-luo-fdt-misaligned", "the LUO FDT is not page aligned", luo_misaligned, ["LUO-MEM-003"])

    def vm_misaligned(L):
        ps = L.st.ps
        b = L.block(("vmchunk", 0, 0, 0))
        b.data.insert(0, ["skip", 0x80])
        b.pages = 2
        b.mut.append("kho_vmalloc chunk starts 0x80 bytes into its page and runs into the next one")
        represerve(L, b.at, [(b.at, 0, "first page of the misaligned chunk"),
                             (b.at + ps, 0, "second page of the misaligned chunk")],
                   "both pages the chunk touches preserved")
        vm, _ = get_vm(L)
        vm["first"] = b.at + 0x80
        set_vm(L, 0, 0, vm, "first chunk not page aligned")
    inv([A], "mem-vmalloc-chunk-misaligned", "a kho_vmalloc chunk is not page aligned", vm_misaligned,
        ["LUO-MEM-003"], base=rich)


def define_prof():
    add(B + "/prof-v7.1-state", "a v7.1 state (kho-v3 root) checked as v7.0", lean(C),
        mut=lambda L: (setattr(L, "note_profile", B), L.header_muts.append("v7.1 bytes, image note says v7.0")),
        reqs=["LUO-KHO-002", "LUO-KHO-004", "LUO-KMAP-001"], checked_as=B, shape_defects=[])
    add(A + "/prof-v7.0-state", "a v7.0 state checked as v6.19: conformant apart from the FLB node",
        lean(B), mut=lambda L: (setattr(L, "note_profile", A),
                                L.header_muts.append("v7.0 bytes, image note says v6.19")),
        warns=["LUO-FLB-006"], checked_as=A)
    add(A + "/prof-series-v6-state", "a series-v6 state checked as v6.19", lean(S),
        mut=lambda L: (setattr(L, "note_profile", A),
                       L.header_muts.append("series-v6 bytes, image note says v6.19")),
        reqs=["LUO-SESS-002"], warns=["LUO-FLB-006"], checked_as=A)
    add(S + "/prof-v6.19-state", "a v6.19 state checked as series-v6", lean(A),
        mut=lambda L: (setattr(L, "note_profile", S),
                       L.header_muts.append("v6.19 bytes, image note says series-v6")),
        reqs=["LUO-SESS-002", "LUO-FLB-001"], checked_as=S)


# --- luo-v5 (v7.2): struct luo_ser and block chains ---------------------------------------

def sblock(L, k=0):
    return L.block(("sblock", k))


def fblock(L, s=0, k=0):
    return L.block(("fblock", s, k))


def ser(L):
    return L.block("luo").item("luo_ser")


def blk_hdr(b):
    return b.item("kho_block_header_ser")


def sessions(prof, n, files=0):
    """n sessions named s000.., each with 'files' empty memfds."""
    return State(prof, flbs=flbs(prof), sessions=[
        Session("s%03d" % i, [File(j + 1, Memfd(seals=seals(prof))) for j in range(files)])
        for i in range(n)])


def files(prof, n):
    """One session with n empty memfds."""
    return State(prof, flbs=flbs(prof), sessions=[
        Session("files", [File(j + 1, Memfd(seals=seals(prof))) for j in range(n)])])


def define_v72():
    p = D
    pr = Prof(p)
    # valid: sets that span blocks, and "0 means none"
    add(p + "/many-sessions", "120 sessions: three session blocks of %d, %d and %d entries"
        % (pr.sess_per_block, pr.sess_per_block, 120 - 2 * pr.sess_per_block), sessions(p, 120))
    add(p + "/many-files", "130 empty memfds in one session: three file blocks of %d, %d and %d entries"
        % (pr.file_per_block, pr.file_per_block, 130 - 2 * pr.file_per_block), files(p, 130))
    add(p + "/flbs-none", "no FLB page: flbs_pa 0 means no FLBs",
        State(p, flb=False, sessions=[Session("s", [File(1, Memfd(seals=seals(p)))])]))
    add(p + "/many-flbs", "three FLB entries and a session whose files span two blocks",
        State(p, flbs=flbs(p, 3), sessions=[
            Session("flb-user", [File(j + 1, Memfd(seals=seals(p))) for j in range(70)])]))

    # LUO-SER: the root structure
    def blob(v, why):
        return lambda L: kho(L).set(luo_node(L), "blob-size", "u64", v(L), why)
    inv([p], "ser-blob-size-31", "blob-size is 31, one byte short of struct luo_ser",
        blob(lambda L: L.p.ser_size - 1, "smaller than sizeof(struct luo_ser)"), ["LUO-SER-001"])
    inv([p], "ser-blob-size-page", "blob-size is a page: larger than struct luo_ser (the kernel accepts it)",
        blob(lambda L: L.st.ps, "PAGE_SIZE instead of sizeof(struct luo_ser)"), ["LUO-SER-001"],
        outcome={p: "accept"})
    inv([p], "ser-blob-size-missing", "the LUO sub-node has no blob-size",
        lambda L: kho(L).delete(luo_node(L), "blob-size", "no blob-size"), ["LUO-SER-001"], schema="fail")
    inv([p], "ser-blob-size-4bytes", "blob-size is 4 bytes",
        lambda L: kho(L).set(luo_node(L), "blob-size", "u32", 32, "4 bytes, not 8"), ["LUO-SER-001"],
        schema="fail")
    inv([p], "ser-compat-v6", "luo_ser.compatible says luo-v6",
        lambda L: setf(ser(L), "compatible", "luo-v6", "no profile defines luo-v6"), ["LUO-SER-002"],
        base=lean)
    inv([p], "ser-compat-v1", "luo_ser.compatible says luo-v1 (the FDT era's string)",
        lambda L: setf(ser(L), "compatible", "luo-v1", "luo-v1 is the LUO FDT's string"), ["LUO-SER-002"])
    inv([p], "ser-compat-trailing", "luo-v5 with a non-zero byte after its NUL (strncmp accepts it)",
        lambda L: setf(ser(L), "compatible", "luo-v5\0X", "byte 7 is 'X'"), ["LUO-SER-002"],
        outcome={p: "accept"})
    inv([p], "ser-compat-no-nul", "luo_ser.compatible fills its 8 bytes without a NUL",
        lambda L: setf(ser(L), "compatible", "luo-v5XY", "8 characters, no NUL"), ["LUO-SER-002"])
    inv([p], "ser-number-zero", "liveupdate_num is 0",
        lambda L: setf(ser(L), "liveupdate_num", 0, "a handed-over state counts at least 1"),
        ["LUO-SER-003"])
    def swapped_sessions(L):
        v = ser(L)["sessions_pa"]
        setf(ser(L), "sessions_pa", int.from_bytes(v.to_bytes(8, "little"), "big"),
             "the address byte-swapped (big-endian in a little-endian state)")
    inv([p], "byteorder-sessions-pa", "sessions_pa is written in the other byte order", swapped_sessions,
        ["LUO-FDT-004"])

    def flbs_misaligned(L):
        shift_area(L, "flb", 64, "FLB page")
        setf(ser(L), "flbs_pa", L.block("flb").at + 64, "not page aligned")
    inv([p], "ser-flbs-misaligned", "flbs_pa is not page aligned", flbs_misaligned, ["LUO-SER-004"])

    def ser_misaligned(L):
        shift_area(L, "luo", 64, "struct luo_ser")
        kho(L).set(luo_node(L), "preserved-data", "u64", L.block("luo").at + 64, "not page aligned",
                   "struct luo_ser")
    inv([p], "mem-luo-ser-misaligned", "struct luo_ser is not page aligned", ser_misaligned,
        ["LUO-MEM-003"], base=lean)
    inv([p], "kho-luo-addr-missing", "the LUO sub-node has no preserved-data",
        lambda L: kho(L).delete(luo_node(L), "preserved-data", "no address"), ["LUO-KHO-004"], schema="fail")
    inv([p], "luo-ser-absent", "preserved-data points at memory not in the image",
        lambda L: kho(L).set(luo_node(L), "preserved-data", "u64", 0x7f000000, "0x7f000000 is absent"),
        ["LUO-IMG-003"])
    # A v7.1 kernel takes this root for its own, finds a 32-byte LUO blob that
    # is no FDT and fails its LUO parse: a panic, not a fresh start.
    inv([p], "kho-compat-v3", "a v7.2 state whose KHO root says kho-v3",
        lambda L: kho(L).set("/", "compatible", "str", ["kho-v3"], "the v7.1 string over kho-v4 data"),
        ["LUO-KHO-002"], outcome={C: "panic"})

    # LUO-BLK: chains
    def link(get_from, get_to, why):
        def m(L):
            setf(blk_hdr(get_from(L)), "next", get_to(L).at, why)
        return m
    add(p + "/blk-session-cycle", "the last of three session blocks links back to the second",
        sessions(p, 120), mut=link(lambda L: sblock(L, 2), lambda L: sblock(L, 1), "next = block 1: a cycle"),
        reqs=["LUO-BLK-002"])
    add(p + "/blk-session-self-loop", "a session block links to itself",
        sessions(p, 60), mut=link(lambda L: sblock(L, 1), lambda L: sblock(L, 1), "next = this block"),
        reqs=["LUO-BLK-002"])
    add(p + "/blk-session-count0", "a session block's count is 0",
        sessions(p, 60), mut=lambda L: setf(blk_hdr(sblock(L, 1)), "count", 0, "no entries: never written"),
        reqs=["LUO-BLK-003"])
    add(p + "/blk-session-count-over", "a session block's count is LUO_SESSIONS_PER_BLOCK + 1",
        sessions(p, 60), mut=lambda L: setf(blk_hdr(sblock(L, 0)), "count", L.p.sess_per_block + 1,
                                            "one more than a block holds"),
        reqs=["LUO-BLK-003"])
    add(p + "/blk-file-cycle", "the last of three file blocks links back to the first",
        files(p, 130), mut=link(lambda L: fblock(L, 0, 2), lambda L: fblock(L, 0, 0), "next = block 0: a cycle"),
        reqs=["LUO-BLK-004"])
    add(p + "/blk-file-self-loop", "a file block links to itself",
        files(p, 2), mut=link(lambda L: fblock(L, 0, 0), lambda L: fblock(L, 0, 0), "next = this block"),
        reqs=["LUO-BLK-004"])
    add(p + "/blk-file-count0", "a file block's count is 0",
        files(p, 70), mut=lambda L: setf(blk_hdr(fblock(L, 0, 1)), "count", 0, "no entries: never written"),
        reqs=["LUO-BLK-005"])
    add(p + "/blk-file-count-over", "a file block's count is LUO_FILES_PER_BLOCK + 1",
        files(p, 2), mut=lambda L: setf(blk_hdr(fblock(L, 0, 0)), "count", L.p.file_per_block + 1,
                                        "one more than a block holds"),
        reqs=["LUO-BLK-005"])
    add(p + "/blk-file-count-mismatch", "file_set count 3, but the file chain holds 2 entries",
        files(p, 2), mut=lambda L: setf(sess_ent(L), "count", 3, "the chain holds 2"),
        reqs=["LUO-BLK-006"])

    def sess_head_misaligned(L):
        shift_area(L, ("sblock", 0), 128, "session block 0")
        setf(ser(L), "sessions_pa", sblock(L).at + 128, "not page aligned")
    inv([p], "blk-session-misaligned", "the first session block is not page aligned", sess_head_misaligned,
        ["LUO-BLK-001"], base=lean)

    def file_next_misaligned(L):
        shift_area(L, ("fblock", 0, 1), 256, "file block 1")
        setf(blk_hdr(fblock(L, 0, 0)), "next", fblock(L, 0, 1).at + 256, "not page aligned")
    add(p + "/blk-file-misaligned", "the second file block is not page aligned", files(p, 70),
        mut=file_next_misaligned, reqs=["LUO-BLK-001"])
    add(p + "/blk-session-truncated", "a session chain whose second block is not in the image",
        sessions(p, 60), mut=lambda L: setf(blk_hdr(sblock(L, 0)), "next", 0x7f000000,
                                            "next block 0x7f000000 is absent"),
        reqs=["LUO-IMG-003"])
    add(p + "/blk-file-truncated", "a file chain whose second block is not in the image",
        files(p, 70), mut=lambda L: setf(blk_hdr(fblock(L, 0, 0)), "next", 0x7f000000,
                                         "next block 0x7f000000 is absent"),
        reqs=["LUO-IMG-003"])

    def unpres(role, why="left out of the KHO map"):
        return lambda L: L.unpreserve(L.block(role).at, why)
    add(p + "/unpreserved-session-block", "the second session block is not preserved", sessions(p, 60),
        mut=unpres(("sblock", 1)), reqs=["LUO-KMAP-002"])
    add(p + "/unpreserved-file-block", "the second file block is not preserved", files(p, 70),
        mut=unpres(("fblock", 0, 1)), reqs=["LUO-KMAP-002"])
    inv([p], "unpreserved-luo-ser", "the page of struct luo_ser is not preserved", unpres("luo"),
        ["LUO-KMAP-002"])

    # sessions, files, FLBs and memfds in chains
    add(p + "/sess-dup-names", "sessions 3 and 55 (in different blocks) share a name", sessions(p, 60),
        mut=lambda L: setf(sess_ent(L, 55), "name", "s003", "same name as session 3"), reqs=["LUO-SESS-006"])
    inv([p], "sess-name-no-nul", "a session name fills all 64 bytes without a NUL",
        lambda L: setf(sess_ent(L), "name", "n" * 64, "64 characters, no NUL"), ["LUO-SESS-005"])
    add(p + "/sess-files0-count", "a session without a file chain says it has 2 files",
        sessions(p, 2), mut=lambda L: setf(sess_ent(L, 1), "count", 2, "files is 0"), reqs=["LUO-SESS-007"])
    add(p + "/file-dup-tokens", "files 0 and 100 (in different blocks) share a token", files(p, 130),
        mut=lambda L: setf(file_ent(L, 0, 100), "token", file_ent(L, 0, 0)["token"], "same token as file 0"),
        reqs=["LUO-FILE-003"])
    inv([p], "file-compat-no-nul", "a file compatible fills all 48 bytes without a NUL",
        lambda L: setf(file_ent(L), "compatible", "memfd-v2" + "x" * 40, "48 characters, no NUL"),
        ["LUO-FILE-002"], base=lean)
    add(p + "/file-unknown-handler", "a file names a handler the profile does not define (memfd-v1)",
        State(p, flbs=flbs(p), sessions=[Session("session-0", [
            File(1, Memfd(seals=seals(p))), File(2, compat="memfd-v1")])]),
        mut=lambda L: note(file_ent(L, 0, 1), "handler not in this profile; data not checked"),
        warns=["LUO-FILE-004"])
    inv([p], "flb-count-over", "the FLB count is LUO_FLB_MAX + 1",
        lambda L: setf(flb_hdr(L), "count", L.p.flb_max + 1, "LUO_FLB_MAX + 1"), ["LUO-FLB-004"])
    inv([p], "flb-name-empty", "an FLB name is empty",
        lambda L: setf(flb_ent(L), "name", "", "empty name"), ["LUO-FLB-005"])
    inv([p], "memfd-seals-unknown", "memfd seals carry a bit beyond MEMFD_LUO_ALL_SEALS",
        lambda L: setf(memfd_ser(L), "seals", 0x41, "0x40 is no F_SEAL_* bit"), ["LUO-MEMFD-006"], base=lean)
    inv([p], "memfd-folio-pfn0", "a folio entry has pfn 0",
        lambda L: setf(folio_ents(L)[1], "foliodesc", {"pfn": 0, "flags": folio_ents(L)[1]["foliodesc"]["flags"]},
                       "pfn 0"), ["LUO-MEMFD-004"], base=rich, pfn0=True)
    add(p + "/mem-shared-file-block", "two sessions point at the same file block",
        sessions(p, 2, files=1),
        mut=lambda L: setf(sess_ent(L, 1), "files", sess_ent(L, 0)["files"],
                           "session 0's file block (session 1's own is left unreferenced)"),
        reqs=["LUO-MEM-002"])

    def radix_loop(L):
        _, root, info = kmap_info(L)
        for n, table in info["nodes"].items():
            if table and all(ch in info["leaves"] for ch in table.values()):
                free = next(i for i in range(L.st.ps // 8) if i not in table)
                L.patch(n + 8 * free, "slot %d of the node at %#x: free slot -> root node: a loop"
                        % (free, n), u64=root)
                return
    inv([p], "radix-loop", "a radix-tree node points back at the root", radix_loop, ["LUO-KMAP-001"])


def define_all():
    define_valid()
    define_image()
    define_kho()
    define_kmap()
    define_fdt()
    define_sess()
    define_file()
    define_flb()
    define_memfd()
    define_mem()
    define_prof()
    define_v72()


# --- manifest ------------------------------------------------------------------------------

def expect_state(v, L):
    p = L.p
    out = {"sessions": [], "flbs": []}
    for si, s in enumerate(v.st.sessions):
        files = []
        for fi, f in enumerate(s.files):
            e = {"compatible": f.compat or p.memfd_compat, "token": f.token}
            if f.compat is None:
                m = f.memfd
                e["memfd"] = {"size": m.size, "pos": m.pos, "seals": m.seals, "flags": m.flags,
                              "nr_folios": len(m.folios),
                              "sha256": vecenc.sha256(memfd_content(L, si, fi, m))}
            else:
                e["memfd"] = None
            files.append(e)
        out["sessions"].append({"name": s.name, "files": files})
    flb_on = v.st.flb if v.st.flb is not None else bool(p.flb)
    # a v7.0-shaped state checked as v6.19 keeps its FLB entries in the bytes
    # but the v6.19 checker does not decode them
    if flb_on and has_flb(v.checked_as):
        out["flbs"] = [{"name": n, "data": d, "count": k} for n, d, k in v.st.flbs]
    return out


def yq(x):
    return json.dumps(x)


def manifest_entry(v, L):
    lines = ["  - id: %s" % v.id,
             "    profile: %s" % v.checked_as,
             "    image: vectors/%s/%s.img" % (v.id, v.id.split("/")[1]),
             "    purpose: %s" % yq(v.purpose),
             "    verdict: %s" % ("conformant" if not v.reqs else "non-conformant"),
             "    requirements: [%s]" % ", ".join(v.reqs),
             "    warnings: [%s]" % ", ".join(v.warns),
             "    notes: [%s]" % ", ".join(v.notes),
             "    schema: %s" % v.schema]
    if v.exit is not None:
        lines.append("    exit: %d" % v.exit)
    if v.detect:
        lines.append("    detect: true")
    if v.st.profile != v.checked_as:
        lines.append("    bytes_of: %s" % v.st.profile)
    lines.append("    outcome: {%s}" % ", ".join("%s: %s" % (p, reader_outcome(p, v)) for p in PROFILES))
    if not v.reqs:
        es = expect_state(v, L)
        lines.append("    state:")
        lines.append("      sessions:")
        if not es["sessions"]:
            lines[-1] += " []"
        for s in es["sessions"]:
            lines.append("        - name: %s" % yq(s["name"]))
            if not s["files"]:
                lines.append("          files: []")
                continue
            lines.append("          files:")
            for f in s["files"]:
                m = f["memfd"]
                ms = "null" if m is None else "{size: %d, pos: %d, seals: %#x, flags: %d, nr_folios: %d, sha256: %s}" % (
                    m["size"], m["pos"], m["seals"], m["flags"], m["nr_folios"], m["sha256"])
                lines.append("            - {compatible: %s, token: %#x, memfd: %s}" % (yq(f["compatible"]), f["token"], ms))
        lines.append("      flbs:%s" % (" []" if not es["flbs"] else ""))
        for f in es["flbs"]:
            lines.append("        - {name: %s, data: %#x, count: %d}" % (yq(f["name"]), f["data"], f["count"]))
    return lines


def generate(outdir):
    define_all()
    man = ["# Test-vector manifest.  " + GEN_NOTE,
           "#",
           "# Per vector: the profile it is checked as; verdict; the exact set of ERROR",
           "# (requirements) and WARNING requirement IDs luo-conform must report; whether",
           "# its FDTs pass the dt-schemas (schema); what the incoming kernel of each",
           "# profile does with these bytes (outcome; the checked profile's entry comes",
           "# from its incoming table in spec/abi/profiles); and, for a conformant",
           "# vector, the decoded state (memfd sha256 = the file's logical content).",
           "# notes: NOTE requirement IDs that must be among those reported.",
           "# exit: the CLI's exit status where it is not 0/1 (2: not a state image).",
           "# bytes_of: the profile whose writer the bytes follow, when it differs.",
           "version: 1",
           "vectors:"]
    written = []
    for v in VECTORS:
        prof, name = v.id.split("/")
        L = lower(v.st)
        L.image_byte_order = None
        if v.mut:
            v.mut(L)
        d = os.path.join(outdir, prof, name)
        emit_vec(L, d, v)
        written.append(os.path.join(prof, name))
        man += manifest_entry(v, L)
    with open(os.path.join(outdir, "manifest.yaml"), "w") as f:
        f.write("\n".join(man) + "\n")
    return written


def emit_vec(L, d, v):
    if os.path.isdir(d):
        for fn in os.listdir(d):
            if fn.endswith(".dts") or fn == "state.yaml":
                os.remove(os.path.join(d, fn))
    emit(L, d, v.id, v.purpose)
    if L.image_byte_order:
        with open(os.path.join(d, "state.yaml")) as f:
            text = f.read()
        text = text.replace("\nmachine:", "\nimage_byte_order: %s\nmachine:" % L.image_byte_order, 1)
        with open(os.path.join(d, "state.yaml"), "w") as f:
            f.write(text)


def prune(outdir, written):
    """Remove vector directories (they hold a state.yaml) no longer defined."""
    gone = 0
    keep = set(written)
    for prof in sorted(os.listdir(outdir)):
        pdir = os.path.join(outdir, prof)
        if not os.path.isdir(pdir):
            continue
        for name in sorted(os.listdir(pdir)):
            rel = os.path.join(prof, name)
            if rel not in keep and os.path.exists(os.path.join(pdir, name, "state.yaml")):
                shutil.rmtree(os.path.join(pdir, name))
                gone += 1
    return gone


def source_files(root):
    out = set()
    for dp, dn, fns in os.walk(root):
        for fn in fns:
            if fn.endswith(".dts") or fn in ("state.yaml", "manifest.yaml"):
                out.add(os.path.relpath(os.path.join(dp, fn), root))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True, help="write the sources and manifest here")
    a = ap.parse_args()
    w = generate(a.out)
    gone = prune(a.out, w)
    print("vecgen: wrote %d vectors and %s%s" % (len(w), os.path.join(a.out, "manifest.yaml"),
                                                 "; removed %d stale" % gone if gone else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
