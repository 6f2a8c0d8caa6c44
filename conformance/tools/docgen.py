#!/usr/bin/python3
"""Generate the reference pages and diagrams of the documentation site.

usage: docgen.py --stage DIR [--trace JSON] [--matrix JSON] [--matrix-svg SVG]
                 [--matrix-html HTML] [--matrix-snapshot JSON] [--work DIR]

DIR is the Sphinx source tree docs/docs.mk stages ($(B)/docs-src): the
spec chapters under spec/ (with the tables abirst.py generated under
spec/gen/) are already there.  This script adds, all generated:

  ref/dot/state-<profile>.dot      how the state of a profile hangs together
  ref/dot/struct-<cid>-<name>.dot  the bytes of each fixed-size struct
  ref/state.rst, ref/layouts.rst   the pages showing them
  spec/gen/struct-*.rst            (appended) each layout table's diagram
  spec/gen/profile-*.rst           (appended) each profile's state diagram
  ref/schemas/*.rst, files/schemas/*.yaml
  ref/requirements.rst             requirement -> vectors -> tests (--trace)
  ref/vectors/...                  the vector catalog, files/vectors/... its sources
  ref/matrix.rst                   the compatibility matrix (--matrix, else the
                                   snapshot, else a note that there is none)

Everything is read through luoabi.py (spec/abi), the manifest and the
vector sources; nothing here is typed by hand.  Build glue only.
"""
import argparse
import json
import os
import shutil
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True   # no __pycache__ in the source tree
sys.path.insert(0, HERE)
import luoabi  # noqa: E402
import abirst  # noqa: E402
import docgen_dot  # noqa: E402
import docgen_pages  # noqa: E402
import docgen_vec  # noqa: E402

import yaml  # noqa: E402

# Reading ~300 vectors' YAML is most of this script's time; libyaml's loader
# reads the same documents to the same values, an order of magnitude faster.
# (Process-local: vecbuild.py and luoabi.py call yaml.safe_load too.)
if hasattr(yaml, "CSafeLoader"):
    def _safe_load(stream):
        return yaml.load(stream, Loader=yaml.CSafeLoader)
    yaml.safe_load = _safe_load

ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
BANNER = docgen_pages.BANNER
title = docgen_pages.title
esc = abirst.esc
lit = abirst.lit


class Stage:
    def __init__(self, path):
        self.path = path

    def write(self, rel, text):
        path = os.path.join(self.path, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path + ".tmp", "w") as f:
            f.write(text)
        os.replace(path + ".tmp", path)

    def append(self, rel, text):
        path = os.path.join(self.path, rel)
        if not os.path.exists(path):
            return False
        with open(path, "a") as f:
            f.write(text)
        return True

    def copy(self, src, rel):
        path = os.path.join(self.path, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        shutil.copyfile(src, path)


def profile_order(pid):
    return abirst.profile_order(pid)


# -- diagrams -----------------------------------------------------------------
def state_profiles(abi):
    """Profiles the state diagram can draw: a KHO root FDT whose LUO sub-node
    holds either a LUO FDT (with a session node) or a raw LUO struct that
    lays out the session area itself."""
    out = []
    for pid in sorted(abi.profiles, key=profile_order):
        comps = abi.profiles[pid]["components"]
        kho = abi.components.get(comps.get("kho") or "", {})
        luo = abi.components.get(comps.get("luo") or "", {})
        fdt = luo.get("fdt") and comps.get("session")
        raw = str(luo.get("data", "")).startswith("struct:") and \
            any(a["name"] == "sessions" for a in luo.get("areas", []))
        if kho.get("root_fdt") and luo.get("kho_entry") and (fdt or raw):
            out.append(pid)
    return out


def _count(n):
    words = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
    return words[n] if n < len(words) else str(n)


def _and(items):
    return items[0] if len(items) == 1 else "%s and %s" % (", ".join(items[:-1]), items[-1])


def gen_diagrams(abi, st):
    pids = state_profiles(abi)
    luo_of = {pid: abi.components[abi.profiles[pid]["components"]["luo"]] for pid in pids}
    raw = [pid for pid in pids if not luo_of[pid].get("fdt")]
    fdt = [pid for pid in pids if luo_of[pid].get("fdt")]
    page = [BANNER % "spec/abi", ".. _state-diagrams:\n\n", title("How the state hangs together")]
    scope = "each profile (all %s)" % _count(len(pids)) if len(pids) == len(abi.profiles) \
        else "%s of the %s profiles" % (_count(len(pids)), _count(len(abi.profiles)))
    page.append(
        "One diagram for %s, generated from ``spec/abi``: the KHO root FDT and its "
        "``LUO`` sub-node, the LUO root, the sessions and each session's files, each file's "
        "memfd state, the ``kho_vmalloc`` chunks that list its folio-array pages, the folios, "
        "and the FLB page.  " % scope)
    if fdt:
        page.append("In %s the LUO root is an FDT (the LUO FDT) with a node each for the "
                    "session area and the FLB page, and a session's files are one array.  "
                    % _and([lit(p) for p in fdt]))
    for pid in raw:
        luo = luo_of[pid]
        page.append("In %s there is no LUO FDT: the sub-node's blob is a raw %s "
                    "(%s), and sessions and files are entries of chains of KHO serialization "
                    "blocks.  " % (lit(pid), lit("struct " + luo["data"].split(":", 1)[1]),
                                   lit(luo["compatible"])))
    page.append(
        "Boxes are pages, FDTs or structs; arrows are physical addresses stored in "
        "the field they start from, and a loop arrow leads to the next page of a chain of "
        "the box's own kind.  Dashed boxes are KHO's tracker pages, which describe "
        "what is preserved but are never preserved themselves.  Where one box stands for "
        "many, the diagram's caption says so.  Every name, size and limit "
        "comes from the ABI description; see :doc:`/spec/structs`, :doc:`/spec/kho` and "
        ":doc:`/spec/handlers` for the normative text.\n\n")
    for pid in pids:
        prof = abi.profiles[pid]
        name = "state-%s" % pid
        dot, caption = docgen_dot.state_diagram(abi, pid)
        st.write("ref/dot/%s.dot" % name, dot)
        comps = prof["components"]
        tuple_ = ", ".join("%s %s" % (r, lit(comps[r])) for r in ("kho", "luo", "session", "flb")
                           if comps.get(r))
        tuple_ += ", handlers %s" % ", ".join(lit(h) for h in comps.get("handlers", []))
        if not comps.get("flb"):
            owns = [a["name"] for a in luo_of[pid].get("areas", [])]
            tuple_ += "; no ``/luo-flb``" if not owns else \
                "; %s laid out by %s" % (_and([lit(a) for a in owns]), lit(comps["luo"]))
        graph = (".. graphviz:: /ref/dot/%s.dot\n   :alt: state of profile %s\n"
                 "   :class: luo-wide\n" % (name, pid))
        if caption:
            graph += "   :caption: %s\n" % caption
        page.append(title("%s (%s)" % (pid, esc(prof.get("title", pid))), "-"))
        page.append("Components: %s.\n\n" % tuple_)
        page.append(graph + "\n")
        st.append("spec/gen/profile-%s.rst" % pid,
                  "\nHow the state of this profile hangs together (generated from "
                  "``spec/abi``; :ref:`all profiles <state-diagrams>`):\n\n" + graph + "\n")
    skipped = sorted(set(abi.profiles) - set(pids), key=profile_order)
    if skipped:
        page.append(title("Other profiles", "-"))
        page.append("Not drawn (no LUO root under a KHO root FDT): %s.\n\n"
                    % ", ".join(lit(p) for p in skipped))
    st.write("ref/state.rst", "".join(page))

    page = [BANNER % "spec/abi", ".. _byte-layouts:\n\n", title("Byte layouts")]
    page.append(
        "The bytes of every fixed-size structure of the handover, 16 to a row, generated "
        "from ``spec/abi``; the same diagram follows each layout table in the "
        "specification.  Multi-byte fields are in the CPU byte order of the writing "
        "kernel.  Bit-field rows show where each bit-field of a 64-bit word lies, most "
        "significant bit on the left.  Structures whose size is ``PAGE_SIZE`` (memory-map "
        "chunks, radix-tree nodes, ``kho_vmalloc_chunk``) are described by their tables "
        "only.\n\n")
    by_comp = {}
    for cid, s in docgen_dot.fixed_structs(abi):
        by_comp.setdefault(cid, []).append(s)
    for cid in sorted(by_comp):
        comp = abi.components[cid]
        page.append(title("%s%s" % (cid, (" (%s)" % comp["compatible"]) if comp.get("compatible")
                                    and comp["compatible"] != cid else ""), "-"))
        for s in by_comp[cid]:
            name = "struct-%s-%s" % (cid, s["name"])
            st.write("ref/dot/%s.dot" % name, docgen_dot.struct_dot(abi, cid, s))
            label = "gen-struct-%s-%s" % (abirst.label(cid), abirst.label(s["name"]))
            page.append("``struct %s`` (table: :ref:`%s <%s>`)\n\n" % (s["name"], s["name"], label)
                        if fragment_included(st, name) else "``struct %s``\n\n" % s["name"])
            page.append(".. graphviz:: /ref/dot/%s.dot\n   :alt: bytes of struct %s (%s)\n\n"
                        % (name, s["name"], cid))
            st.append("spec/gen/%s.rst" % name,
                      "\n.. graphviz:: /ref/dot/%s.dot\n   :alt: bytes of struct %s (%s)\n\n"
                      % (name, s["name"], cid))
    st.write("ref/layouts.rst", "".join(page))


def fragment_included(st, name):
    """Is gen/<name>.rst included by a chapter (so its label exists)?"""
    needle = "gen/%s.rst" % name
    spec = os.path.join(st.path, "spec")
    for fn in os.listdir(spec):
        if fn.endswith(".rst") and needle in open(os.path.join(spec, fn)).read():
            return True
    return False


# -- schemas -------------------------------------------------------------------
def gen_schemas(st):
    names = []
    sdir = os.path.join(ROOT, "schemas")
    for fn in sorted(os.listdir(sdir)):
        if not fn.endswith(".yaml"):
            continue
        name = fn[:-5]
        with open(os.path.join(sdir, fn)) as f:
            doc = yaml.safe_load(f)
        st.copy(os.path.join(sdir, fn), "files/schemas/%s" % fn)
        st.write("ref/schemas/%s.rst" % name,
                 docgen_pages.schema_page(name, doc, "/files/schemas/%s" % fn))
        names.append((name, doc.get("title", name)))
    st.write("ref/schemas/index.rst", docgen_pages.schemas_index(names))


# -- vectors --------------------------------------------------------------------
def vector_doc(vid):
    return "ref/vectors/%s" % vid


def gen_vectors(st, work, known_reqs):
    path = os.path.join(ROOT, "vectors", "manifest.yaml")
    with open(path) as f:
        man = yaml.safe_load(f)
    vectors = man.get("vectors", [])
    profiles = sorted({v["profile"] for v in vectors}, key=profile_order)
    st.copy(os.path.join(ROOT, "vectors", "README.rst"), "ref/vectors/format.rst")

    def req_links(ids):
        return ", ".join(":req:`%s`" % r if r in known_reqs else lit(r) for r in ids) or "--"

    idx = [BANNER % "vectors/manifest.yaml", ".. _vector-catalog:\n\n", title("Vector catalog")]
    idx.append("The golden test vectors: %d state images, each with readable sources and the "
               "verdict ``luo-conform`` must give (``vectors/manifest.yaml``).  "
               "``make check-vectors`` compares the checker with the manifest.  How vectors "
               "are written and built: :doc:`format`.\n\n" % len(vectors))
    t = docgen_pages.Table("Vectors by profile and verdict",
                           ["Profile", "Conformant", "Non-conformant", "Not an image (exit 2)",
                            "Total"])
    for p in profiles:
        vs = [v for v in vectors if v["profile"] == p]
        t.add(":doc:`%s <%s>`" % (p, p), sum(1 for v in vs if v["verdict"] == "conformant"),
              sum(1 for v in vs if v["verdict"] != "conformant" and v.get("exit") != 2),
              sum(1 for v in vs if v.get("exit") == 2), len(vs))
    idx.append(t.render())
    idx.append(".. toctree::\n   :maxdepth: 1\n\n   format\n")
    for p in profiles:
        idx.append("   %s\n" % p)
    st.write("ref/vectors/index.rst", "".join(idx) + "\n")

    for p in profiles:
        vs = [v for v in vectors if v["profile"] == p]
        page = [BANNER % "vectors/manifest.yaml", title("Vectors checked as %s" % p)]
        page.append("%d vectors.  Each row links to the vector's page: purpose, outcome per "
                    "profile, the bytes that matter and the sources.\n\n" % len(vs))
        t = docgen_pages.Table("Vectors of %s" % p, ["Vector", "Verdict", "Errors", "Purpose"],
                               [22, 12, 22, 44])
        for v in vs:
            name = v["id"].split("/", 1)[1]
            verdict = v["verdict"] + (" (exit 2)" if v.get("exit") == 2 else "")
            t.add(":doc:`%s <%s/%s>`" % (name, p, name), esc(verdict),
                  req_links(v.get("requirements") or []), esc(v.get("purpose", "")))
        page.append(t.render())
        st.write("ref/vectors/%s.rst" % p, "".join(page) + "\n")

    for v in vectors:
        st.write("%s.rst" % vector_doc(v["id"]), vector_page(st, v, profiles, work, req_links))
    return {v["id"]: vector_doc(v["id"]) for v in vectors}


def vector_page(st, v, profiles, work, req_links):
    vid = v["id"]
    src = os.path.join(ROOT, "vectors", vid)
    # An orphan: reached from its profile's table, kept out of the site's
    # navigation (234 entries in every page's sidebar would dominate the build).
    out = [BANNER % ("vectors/manifest.yaml and vectors/%s/" % vid), ":orphan:\n\n", title(vid)]
    purpose = esc(v.get("purpose", ""))
    out.append("%s\n\n" % (purpose[:1].upper() + purpose[1:]) if purpose else "")
    fields = [("Checked as", lit(v["profile"]))]
    verdict = esc(v["verdict"])
    if v.get("exit") == 2:
        verdict += "; ``luo-conform`` refuses it as no state image (exit status 2)"
    fields += [("Verdict", verdict),
               ("Errors (exactly)", req_links(v.get("requirements") or [])),
               ("Warnings (exactly)", req_links(v.get("warnings") or [])),
               ("Notes (at least)", req_links(v.get("notes") or [])),
               ("dt-schema", esc(v.get("schema", "--")))]
    if v.get("bytes_of"):
        fields.append(("Bytes written as", "profile %s" % lit(v["bytes_of"])))
    if v.get("detect"):
        fields.append(("Image note", "names no profile: the checker detects it"))
    img = os.path.join(ROOT, v["image"])
    size = os.path.getsize(img) if os.path.exists(img) else 0
    fields.append(("Image", "%s (%d bytes)" % (lit(v["image"]), size)))
    out.append("".join(":%s: %s\n" % f for f in fields) + "\n")

    out.append(title("Incoming kernels", "-"))
    out.append("What the incoming kernel of each profile does with these bytes (the outcome "
               "tables are in :doc:`/spec/incoming`):\n\n")
    for p in profiles:
        o = (v.get("outcome") or {}).get(p)
        if o is not None:
            out.append("* %s%s: ``%s``, %s\n" % (lit(p), " (checked)" if p == v["profile"] else "",
                                                o, esc(docgen_vec.OUTCOME_TEXT.get(o, ""))))
    out.append("\n")

    state = v.get("state")
    if state:
        out.append(title("Decoded state", "-"))
        sess = state.get("sessions") or []
        nfiles = sum(len(s.get("files") or []) for s in sess)
        out.append("%d session%s, %d file%s, %d FLB%s.\n\n" % (
            len(sess), "" if len(sess) == 1 else "s", nfiles, "" if nfiles == 1 else "s",
            len(state.get("flbs") or []), "" if len(state.get("flbs") or []) == 1 else "s"))
        rows = []
        for s in sess[:8]:
            for f in (s.get("files") or [])[:4]:
                m = f.get("memfd") or {}
                rows.append((lit(s.get("name", s.get("name_hex", ""))),
                             lit(f.get("compatible", f.get("compatible_hex", ""))),
                             "%#x" % f.get("token", 0),
                             ("size %d, %d folio%s" % (m.get("size", 0), m.get("nr_folios", 0),
                                                       "" if m.get("nr_folios", 0) == 1 else "s"))
                             if m else "--"))
            if not s.get("files"):
                rows.append((lit(s.get("name", s.get("name_hex", ""))), "--", "--", "--"))
        if rows:
            t = docgen_pages.Table("Sessions and files (first ones)",
                                   ["Session", "Handler", "Token", "memfd"], [30, 20, 15, 35])
            for r in rows[:16]:
                t.add(*r)
            out.append(t.render())

    out.append(title("Bytes that matter", "-"))
    regs = docgen_vec.regions(ROOT, v, work)
    if not regs:
        out.append("No byte-level change to show.\n\n")
    for head, text, emph in regs:
        out.append("%s\n\n" % esc(head))
        if not text:
            continue
        out.append(".. code-block:: none\n")
        if emph:
            out.append("   :emphasize-lines: %s\n" % ",".join(str(e) for e in emph))
        out.append("\n%s\n\n" % "\n".join("   " + l for l in text.split("\n")))

    out.append(title("Sources", "-"))
    out.append("Generated by ``conformance/tools/vecgen.py``; the image is built from these by "
               "``conformance/tools/vecbuild.py`` and ``luo-mkimage``.\n\n")
    files = ["state.yaml"] + sorted(f for f in os.listdir(src) if f.endswith(".dts"))
    for fn in files:
        path = os.path.join(src, fn)
        if not os.path.exists(path):
            continue
        st.copy(path, "files/vectors/%s/%s" % (vid, fn))
        n = sum(1 for _ in open(path))
        out.append("``%s``%s\n\n" % (fn, (" (first %d of %d lines)" % (docgen_vec.MAX_SOURCE_LINES, n))
                                     if n > docgen_vec.MAX_SOURCE_LINES else ""))
        out.append(".. literalinclude:: /files/vectors/%s/%s\n   :language: %s\n"
                   % (vid, fn, "yaml" if fn.endswith(".yaml") else "dts"))
        if n > docgen_vec.MAX_SOURCE_LINES:
            out.append("   :lines: 1-%d\n" % docgen_vec.MAX_SOURCE_LINES)
        out.append("\n")
    return "".join(out)


# -- requirements and matrix -------------------------------------------------------
def gen_requirements(st, trace, vector_docs):
    if not trace or not os.path.exists(trace):
        st.write("ref/requirements.rst", docgen_pages.requirements_missing(
            "no requirements.json from trace.py"))
        return {}
    with open(trace) as f:
        index = json.load(f)
    st.write("ref/requirements.rst",
             docgen_pages.requirements_page(index, vector_docs, "conformance/tools/trace.py"))
    return index


def gen_matrix(st, a, known_reqs):
    for path, origin in ((a.matrix, "Generated by ``luo-conform matrix`` in this build."),
                         (a.matrix_snapshot, "From the committed snapshot "
                          "``docs/matrix-snapshot.json`` (``luo-conform matrix`` output).")):
        if not path or not os.path.exists(path):
            continue
        try:
            with open(path) as f:
                doc = json.load(f)
            if not isinstance(doc, dict) or "cells" not in doc:
                raise ValueError("no 'cells'")
        except ValueError as e:
            sys.stderr.write("docgen: %s: not a matrix: %s\n" % (path, e))
            continue
        svg = html = None
        if path == a.matrix:
            if a.matrix_svg and os.path.exists(a.matrix_svg):
                st.copy(a.matrix_svg, "ref/matrix.svg")
                svg = "matrix.svg"
            if a.matrix_html and os.path.exists(a.matrix_html):
                st.copy(a.matrix_html, "ref/matrix-standalone.html")
                html = "matrix-standalone.html"
        page = docgen_pages.matrix_page(doc, origin, svg, html, os.path.basename(path))
        # Only link requirement IDs the spec defines; anything else stays text.
        for rid in set(c.get("requirement", "") for cell in doc.get("cells", [])
                       for c in cell.get("states", [])):
            if rid and rid not in known_reqs:
                page = page.replace(":req:`%s`" % rid, lit(rid))
        st.write("ref/matrix.rst", page)
        return origin
    st.write("ref/matrix.rst", docgen_pages.matrix_missing(
        "neither ``luo-conform matrix`` output nor a snapshot was found at build time."))
    return None


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--stage", required=True)
    ap.add_argument("--trace")
    ap.add_argument("--matrix")
    ap.add_argument("--matrix-svg")
    ap.add_argument("--matrix-html")
    ap.add_argument("--matrix-snapshot", default=os.path.join(ROOT, "docs", "matrix-snapshot.json"))
    ap.add_argument("--work", help="scratch directory (default: a temporary one)")
    a = ap.parse_args(argv[1:])
    try:
        abi = luoabi.Abi(os.path.join(ROOT, "spec", "abi"))
    except luoabi.AbiError as e:
        sys.stderr.write("docgen: spec/abi: %s\n" % e)
        return 1
    st = Stage(a.stage)
    work = a.work or tempfile.mkdtemp(prefix="docgen-")
    try:
        gen_diagrams(abi, st)
        gen_schemas(st)
        known = set()
        if a.trace and os.path.exists(a.trace):
            with open(a.trace) as f:
                known = set(json.load(f))
        vector_docs = gen_vectors(st, work, known)
        gen_requirements(st, a.trace, vector_docs)
        origin = gen_matrix(st, a, known)
    except (luoabi.AbiError, OSError, KeyError, ValueError) as e:
        sys.stderr.write("docgen: %s\n" % e)
        return 1
    finally:
        if not a.work:
            shutil.rmtree(work, ignore_errors=True)
    print("docgen: %d state diagrams, %d layout diagrams, %d vectors, matrix: %s"
          % (len(state_profiles(abi)), len(docgen_dot.fixed_structs(abi)), len(vector_docs),
             "yes" if origin else "none"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
