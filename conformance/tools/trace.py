#!/usr/bin/python3
"""Requirement traceability: spec -> vectors -> checker -> tests.

usage: trace.py [--root DIR] [--build DIR] [--check consistency|coverage]
                [--no-dtschema]

Builds the requirement index from the ``.. req::`` directives in spec/*.rst
and follows every ID to the test vectors that cite it (vectors/manifest.yaml
or .json, field ``requirements``), the checker code that cites it (string
literals "LUO-XXX-NNN" in conformance/lib, directly or through a macro) and
the tests that cite it (conformance/tests/**, except the tests of this tool,
which mention IDs without testing them).  Writes BUILD/trace/requirements.json
and BUILD/trace/requirements.rst and prints the coverage.

Consistency rules (--check consistency, the default; exit 1 when one fails):
  ids        every ID well formed, its role matching its number, its profiles
             known, defined once, with normative text;
  citations  no vector, checker, test, profile outcome table (spec/abi) or
             :req: reference cites an ID the spec does not define;
  fragments  every table abirst.py generates from spec/abi is included by the
             spec, and every ``.. include:: gen/...`` names one;
  tables     no hand-typed table in spec/*.rst names a struct of spec/abi (its
             layout must come from the generated table), and a constant a
             table names with a number has that number as one of its values;
  schemas    dt-doc-validate prints nothing for each binding, and each
             binding's nodes, properties, sizes, compatible strings and
             required lists agree with spec/abi.
--check coverage additionally fails when a requirement is cited by neither a
vector nor a test.

This file deliberately shares no code with docs/ext/luoreq.py (which must
load in any Sphinx project); the ID rules are the same in both.
"""
import argparse
import fnmatch
import glob
import json
import os
import re
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True   # no __pycache__ in the source tree
sys.path.insert(0, HERE)
import luoabi  # noqa: E402
import abirst  # noqa: E402

import yaml  # noqa: E402

ID_RE = re.compile(r"LUO-[A-Z]+-[0-9]{3}")
ID_FULL = re.compile(r"^LUO-[A-Z]+-[0-9]{3}$")
PROFILES = ("series-v6", "v6.19", "v7.0", "v7.1", "v7.2")
LEVELS = ("error", "warning", "note")
TITLE_CHARS = set("=-~^\"'`#*+_.:")
U64_REF = "/schemas/types.yaml#/definitions/uint64-array"
U8_REF = "/schemas/types.yaml#/definitions/uint8-array"


class Report:
    def __init__(self):
        self.rules = {}   # rule -> list of error strings

    def rule(self, name):
        self.rules.setdefault(name, [])

    def err(self, rule, msg):
        self.rules.setdefault(rule, []).append(msg)

    def failed(self):
        return sum(1 for v in self.rules.values() if v)


def rel(root, path):
    return os.path.relpath(path, root)


# -- the spec ---------------------------------------------------------------
def spec_files(root):
    out = sorted(glob.glob(os.path.join(root, "spec", "*.rst")))
    for sub in sorted(glob.glob(os.path.join(root, "spec", "*", ""))):
        if os.path.basename(os.path.dirname(sub)) != "abi":
            out += sorted(glob.glob(os.path.join(sub, "**", "*.rst"), recursive=True))
    return out


def is_underline(line, title):
    s = line.rstrip()
    return (len(s) >= 3 and len(set(s)) == 1 and s[0] in TITLE_CHARS
            and title.strip() != "" and len(s) >= len(title.rstrip()))


def parse_reqs(root, rep):
    """{id: info} from the .. req:: directives, plus :req: references."""
    reqs, refs = {}, []
    for path in spec_files(root):
        lines = open(path).read().split("\n")
        section = ""
        for i, line in enumerate(lines):
            if i + 1 < len(lines) and is_underline(lines[i + 1], line) and \
                    not line.startswith((" ", "..")) and not is_underline(line, "x"):
                section = line.strip()
            for m in re.finditer(r":req:`([^`]*)`", line):
                refs.append((m.group(1).strip(), "%s:%d" % (rel(root, path), i + 1)))
            m = re.match(r"^\.\. req::\s*(\S*)\s*$", line)
            if not m:
                continue
            where = "%s:%d" % (rel(root, path), i + 1)
            rid = m.group(1)
            opts, body = {}, []
            j = i + 1
            while j < len(lines) and (lines[j].startswith(" ") or lines[j].strip() == ""):
                om = re.match(r"^\s+:([\w-]+):\s*(.*)$", lines[j])
                if om and not body:
                    opts[om.group(1)] = om.group(2).strip()
                elif lines[j].strip():
                    body.append(lines[j].strip())
                j += 1
            check_req(rid, opts, body, where, rep)
            if rid in reqs:
                rep.err("ids", "%s: %s is defined twice (first at %s)" % (where, rid, reqs[rid]["where"]))
                continue
            profiles = opts.get("profiles", "")
            plist = list(PROFILES) if profiles == "all" else \
                [p.strip() for p in profiles.split(",") if p.strip()]
            reqs[rid] = {"file": rel(root, path), "line": i + 1, "where": where,
                         "section": section, "role": opts.get("role", ""),
                         "level": opts.get("level", "error") or "error",
                         "profiles": plist, "text": " ".join(body),
                         "governs": opts.get("governs", "").split(),
                         "exercised_by": opts.get("exercised-by", "").split()}
    return reqs, refs


def check_req(rid, opts, body, where, rep):
    rep.rule("ids")
    if not ID_FULL.match(rid):
        rep.err("ids", "%s: malformed requirement ID %r" % (where, rid))
        return
    want = "writer" if int(rid[-3:]) < 100 else "reader"
    if opts.get("role") != want:
        rep.err("ids", "%s: %s has :role: %r, its number says %r" % (where, rid, opts.get("role"), want))
    prof = opts.get("profiles", "")
    plist = [p.strip() for p in prof.split(",") if p.strip()]
    if prof != "all" and (not plist or any(p not in PROFILES for p in plist)):
        rep.err("ids", "%s: %s: :profiles: %r is not 'all' or a list of %s"
                % (where, rid, prof, ", ".join(PROFILES)))
    if opts.get("level", "error") not in LEVELS:
        rep.err("ids", "%s: %s: :level: %r is not one of %s" % (where, rid, opts["level"], LEVELS))
    if not body:
        rep.err("ids", "%s: %s has no normative text" % (where, rid))
    if (opts.get("governs") or opts.get("exercised-by")) and want != "reader":
        rep.err("ids", "%s: %s: :governs: and :exercised-by: belong to reader requirements" % (where, rid))


# -- citations ----------------------------------------------------------------
def walk_manifest(doc, path, out):
    """Collect (vector name, [ids]) from any dict with a 'requirements' key."""
    if isinstance(doc, dict):
        if "requirements" in doc:
            name = doc.get("name") or doc.get("id") or doc.get("file") or doc.get("path") or path
            ids = doc["requirements"]
            ids = [ids] if isinstance(ids, str) else list(ids or [])
            out.append((str(name), [str(x) for x in ids]))
        for k, v in doc.items():
            if k != "requirements":
                walk_manifest(v, "%s/%s" % (path, k), out)
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            walk_manifest(v, "%s[%d]" % (path, i), out)


def load_vectors(root, rep):
    rep.rule("citations")
    out = []
    for name in ("manifest.yaml", "manifest.yml", "manifest.json"):
        path = os.path.join(root, "vectors", name)
        if not os.path.exists(path):
            continue
        try:
            with open(path) as f:
                doc = json.load(f) if name.endswith(".json") else yaml.safe_load(f)
        except (ValueError, yaml.YAMLError) as e:
            rep.err("citations", "%s: cannot parse: %s" % (rel(root, path), e))
            continue
        walk_manifest(doc, rel(root, path), out)
    return out


def load_checker(root):
    """[(id, 'file:line')] for IDs the checker core cites."""
    out = []
    files = sorted(glob.glob(os.path.join(root, "conformance", "lib", "*.[ch]")))
    macros = {}
    texts = {}
    for path in files:
        texts[path] = open(path, errors="replace").read().split("\n")
        for i, line in enumerate(texts[path]):
            m = re.match(r'^\s*#\s*define\s+(\w+)\s+"(LUO-[A-Z]+-[0-9]{3})"', line)
            if m:
                macros[m.group(1)] = m.group(2)
    for path, lines in texts.items():
        for i, line in enumerate(lines):
            code = re.sub(r"/\*.*?\*/|//.*$", "", line)
            if re.match(r"^\s*#\s*define", code):
                continue
            for m in re.finditer(r'"(LUO-[A-Z]+-[0-9]{3})"', code):
                out.append((m.group(1), "%s:%d" % (rel(root, path), i + 1)))
            for name in re.findall(r"\b[A-Z_][A-Z0-9_]*\b", code):
                if name in macros:
                    out.append((macros[name], "%s:%d" % (rel(root, path), i + 1)))
    # An ID defined as a macro but never used is still a citation: it must
    # name a real requirement.
    for name, rid in macros.items():
        if not any(r == rid for r, _ in out):
            out.append((rid, "%s (macro %s)" % ("conformance/lib", name)))
    return out


def load_tests(root):
    out = []
    skip = os.path.join(root, "conformance", "tests", "trace") + os.sep
    for path in sorted(glob.glob(os.path.join(root, "conformance", "tests", "**", "*"), recursive=True)):
        if not os.path.isfile(path) or path.startswith(skip):
            continue
        try:
            text = open(path, errors="strict").read()
        except (UnicodeDecodeError, OSError):
            continue
        for i, line in enumerate(text.split("\n")):
            for m in ID_RE.finditer(line):
                out.append((m.group(0), "%s:%d" % (rel(root, path), i + 1)))
    return out


def check_citations(reqs, refs, abi, vectors, checker, tests, rep):
    rep.rule("citations")
    for rid, where in refs:
        if rid not in reqs:
            rep.err("citations", "%s: :req: reference to undefined %s" % (where, rid))
    for rid, info in sorted(reqs.items()):
        for g in info.get("governs", []):
            if g != "all" and (g not in reqs or reqs[g]["role"] != "writer"):
                rep.err("citations", "%s: %s :governs: %s, which is not a writer requirement"
                        % (info["where"], rid, g))
    for pid, prof in sorted(abi.profiles.items()):
        for rid in sorted((prof.get("incoming") or {}).get("outcomes") or {}):
            if rid not in reqs:
                rep.err("citations", "%s: outcome table cites unknown %s" % (prof["_file"], rid))
            elif reqs[rid]["role"] != "writer":
                rep.err("citations", "%s: outcome table cites reader requirement %s "
                        "(outcomes are for violated writer requirements)" % (prof["_file"], rid))
    for name, ids in vectors:
        for rid in ids:
            if rid not in reqs:
                rep.err("citations", "vector %s cites unknown %s" % (name, rid))
    for rid, where in checker:
        if rid not in reqs:
            rep.err("citations", "%s: checker cites unknown %s" % (where, rid))
    for rid, where in tests:
        if rid not in reqs:
            rep.err("citations", "%s: test cites unknown %s" % (where, rid))


# -- generated fragments and hand-typed tables --------------------------------
def check_fragments(root, abi, workdir, rep):
    rep.rule("fragments")
    frags = set(abirst.fragments(abi, os.path.join(workdir, "gen")))
    included = {}
    for path in spec_files(root):
        for i, line in enumerate(open(path).read().split("\n")):
            m = re.match(r"^\s*\.\. include::\s*gen/(\S+)\s*$", line)
            if m:
                where = "%s:%d" % (rel(root, path), i + 1)
                included.setdefault(m.group(1), []).append(where)
                if m.group(1) not in frags:
                    rep.err("fragments", "%s: includes gen/%s, which abirst.py does not generate"
                            % (where, m.group(1)))
    for f in sorted(frags - set(included)):
        rep.err("fragments", "generated table gen/%s (from spec/abi) is not included by any "
                "spec/*.rst chapter" % f)


def table_blocks(lines):
    """Yield (first line number, [row strings]) of each table in an rst file."""
    i = 0
    while i < len(lines):
        line = lines[i]
        m = re.match(r"^(\s*)\.\. (list-table|csv-table|table)::", line)
        if m:
            indent = len(m.group(1))
            start, rows, j = i + 1, [], i + 1
            while j < len(lines) and (lines[j].strip() == "" or
                                      len(lines[j]) - len(lines[j].lstrip()) > indent):
                s = lines[j].strip()
                if m.group(2) == "list-table" and s.startswith("* -"):
                    rows.append(s)
                elif m.group(2) == "list-table" and s.startswith("-") and rows:
                    rows[-1] += " | " + s
                elif m.group(2) == "list-table" and rows and s:
                    rows[-1] += " " + s
                elif s and not s.startswith(":"):
                    rows.append(s)
                j += 1
            yield start, rows
            i = j
            continue
        s = line.strip()
        if re.match(r"^(\+[-=+]+\+|=+( +=+)+)$", s):
            start, rows, j = i + 1, [], i
            while j < len(lines) and lines[j].strip():
                rows.append(lines[j].strip())
                j += 1
            yield start, rows
            i = j
            continue
        i += 1


def check_tables(root, abi, rep):
    rep.rule("tables")
    structs = {}
    for (cid, name), s in abi.structs.items():
        structs.setdefault(name, []).append(cid)
    consts = {}
    for cid, comp in abi.components.items():
        for k in comp.get("constants", []) or []:
            for ps in luoabi.PAGE_SIZES:
                v = abi.value(k, abi.env(cid, ps), "%s.%s" % (cid, k["name"]))
                consts.setdefault(k["name"], set()).add(v)
    props = {}
    for cid, comp in abi.components.items():
        groups = [n["properties"] for n in (comp.get("fdt") or {}).get("nodes", [])]
        if comp.get("root_fdt"):
            groups += [comp["root_fdt"]["properties"], comp["subnode"]["properties"]]
        for group in groups:
            for p in group:
                if isinstance(p.get("size"), int):
                    props.setdefault(p["name"], set()).add(p["size"])
    for path in spec_files(root):
        lines = open(path).read().split("\n")
        for start, rows in table_blocks(lines):
            where = "%s:%d" % (rel(root, path), start)
            for row in rows:
                for name in re.findall(r"\b[a-z][a-z0-9_]*_[a-z0-9_]+\b", row):
                    if name in structs:
                        rep.err("tables", "%s: hand-typed table names struct %s (%s); include "
                                "the table generated from spec/abi instead"
                                % (where, name, ", ".join(sorted(structs[name]))))
                bare = ID_RE.sub("", row)   # the digits of an ID are no value
                numbers = {int(x, 16) if x.startswith("0x") else int(x)
                           for x in re.findall(r"\b(0x[0-9a-fA-F]+|\d+)\b", bare)}
                # A property written as ``name`` in a row that states "N bytes".
                sizes = {int(x) for x in re.findall(r"\b(\d+)[ -]bytes?\b", bare)}
                for name in re.findall(r"``([a-z][a-z0-9_,.+-]*)``", bare):
                    if name in props and sizes and not sizes & props[name]:
                        rep.err("tables", "%s: table gives property %s a size of %s bytes, "
                                "spec/abi says %s" % (where, name, sorted(sizes),
                                                      sorted(props[name])))
                for name in re.findall(r"\b[A-Z][A-Z0-9_]{2,}\b", row):
                    if name in consts and numbers and not numbers & consts[name]:
                        rep.err("tables", "%s: table gives %s as %s, spec/abi says %s"
                                % (where, name, sorted(numbers),
                                   "/".join(str(v) for v in sorted(consts[name]))))


# -- schemas -----------------------------------------------------------------
def dt_doc_validate(root, path):
    try:
        p = subprocess.run(["dt-doc-validate", "-u", os.path.join(root, "schemas"), path],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                           timeout=120)
    except (OSError, subprocess.TimeoutExpired) as e:
        return "cannot run dt-doc-validate: %s" % e
    out = p.stdout.strip()
    if p.returncode and not out:
        out = "dt-doc-validate exited with status %d" % p.returncode
    return out


def fdt_components(abi):
    return {cid: c for cid, c in abi.components.items()
            if c.get("kind") != "image" and (c.get("fdt") or c.get("root_fdt"))}


def expect_prop(rep, where, name, p, sch):
    """Compare one spec/abi property with its schema."""
    if not isinstance(sch, dict):
        rep.err("schemas", "%s: property %s is missing" % (where, name))
        return
    if p["type"] == "string" or p.get("value") is not None:
        if p.get("value") is not None and sch.get("const") != p["value"]:
            rep.err("schemas", "%s: %s must be const %r (spec/abi), schema says %r"
                    % (where, name, p["value"], sch.get("const", sch.get("enum"))))
        return
    size = p.get("size")
    items = sch.get("items")
    if size == 8:
        if sch.get("$ref") != U64_REF or not isinstance(items, list) or len(items) != 1 or \
                any(k in sch for k in ("minItems", "maxItems")):
            rep.err("schemas", "%s: %s is exactly one 8-byte value in spec/abi; the schema must "
                    "use %s with items: [ {minimum: 0} ] (one item)" % (where, name, U64_REF))
    elif isinstance(size, int):
        if sch.get("$ref") != U8_REF or sch.get("minItems") != size or sch.get("maxItems") != size:
            rep.err("schemas", "%s: %s is %d raw bytes in spec/abi; the schema must use %s with "
                    "minItems = maxItems = %d" % (where, name, size, U8_REF, size))
    else:
        rep.err("schemas", "%s: %s has no size in spec/abi" % (where, name))


def expect_node(rep, where, props, sch, allowed_extra=()):
    """Compare a node's property list with a schema object."""
    sprops = sch.get("properties") or {}
    for p in props:
        expect_prop(rep, where, p["name"], p, sprops.get(p["name"]))
    known = {p["name"] for p in props} | {"$nodename"} | set(allowed_extra)
    for name in sprops:
        if name not in known:
            rep.err("schemas", "%s: schema has property %s, which spec/abi does not define"
                    % (where, name))
    want = sorted(p["name"] for p in props if p.get("required") is True)
    have = sorted(sch.get("required") or [])
    extra_req = [r for r in have if r not in want and r not in allowed_extra]
    missing = [r for r in want if r not in have]
    if missing or extra_req:
        rep.err("schemas", "%s: required is %s, spec/abi says %s" % (where, have, want))
    cond = [p["name"] for p in props if p.get("required") == "when-size-nonzero"]
    if cond:
        els = (sch.get("else") or {}).get("required") or []
        if sorted(els) != sorted(cond):
            rep.err("schemas", "%s: %s are required iff size > 0 (spec/abi); the schema's "
                    "if/else must require exactly them" % (where, cond))
    if sch.get("additionalProperties") is not False:
        rep.err("schemas", "%s: additionalProperties must be false" % where)


def select_names(sch, value):
    return value in json.dumps(sch.get("select", {}))


def check_schema_abi(root, abi, rep):
    rep.rule("schemas")
    comps = fdt_components(abi)
    files = {os.path.splitext(os.path.basename(p))[0]: p
             for p in glob.glob(os.path.join(root, "schemas", "*.yaml"))}
    for cid in sorted(set(comps) - set(files)):
        rep.err("schemas", "spec/abi component %s has FDT nodes but no schemas/%s.yaml" % (cid, cid))
    for stem in sorted(set(files) - set(comps)):
        rep.err("schemas", "schemas/%s.yaml matches no FDT component of spec/abi" % stem)
    by_kind = {}
    for cid, c in abi.components.items():
        if c.get("compatible"):
            by_kind.setdefault(c.get("kind"), set()).add(c["compatible"])
    for cid in sorted(set(comps) & set(files)):
        comp, path = comps[cid], files[cid]
        where = rel(root, path)
        try:
            sch = yaml.safe_load(open(path))
        except yaml.YAMLError as e:
            rep.err("schemas", "%s: %s" % (where, e))
            continue
        if not isinstance(sch, dict):
            rep.err("schemas", "%s: not a mapping" % where)
            continue
        want_id = "http://devicetree.org/schemas/%s.yaml#" % cid
        if sch.get("$id") != want_id:
            rep.err("schemas", "%s: $id must be %s" % (where, want_id))
        if "native" not in str(sch.get("description", "")).lower() or \
                "byte-swapped" not in str(sch.get("description", "")):
            rep.err("schemas", "%s: description must say the u64 values are CPU-native and that "
                    "dt-schema would decode them byte-swapped" % where)
        if comp.get("root_fdt"):
            check_kho_schema(rep, where, comp, sch)
            continue
        nodes = comp["fdt"]["nodes"]
        if len(nodes) != 1:
            rep.err("schemas", "%s: component %s has %d nodes; one schema per node kind expected"
                    % (where, cid, len(nodes)))
            continue
        node = nodes[0]
        sprops = sch.get("properties") or {}
        nodename = (sprops.get("$nodename") or {}).get("const")
        want_name = "/" if node["path"] == "/" else node["path"].rsplit("/", 1)[1]
        if nodename != want_name:
            rep.err("schemas", "%s: $nodename must be const %r" % (where, want_name))
        if comp.get("compatible") and comp.get("data") != "fdt" and \
                not select_names(sch, comp["compatible"]):
            rep.err("schemas", "%s: select must pick nodes by the compatible %r"
                    % (where, comp["compatible"]))
        extra = ()
        if comp.get("kind") == "luo-root":
            extra = ("luo-session", "luo-flb")
            check_children(rep, where, sch, by_kind)
        expect_node(rep, where, node["properties"], sch, extra)


def check_children(rep, where, sch, by_kind):
    sprops = sch.get("properties") or {}
    for node, kind in (("luo-session", "luo-session"), ("luo-flb", "luo-flb")):
        child = sprops.get(node)
        if not isinstance(child, dict):
            rep.err("schemas", "%s: child node %s is missing" % (where, node))
            continue
        c = (child.get("properties") or {}).get("compatible") or {}
        have = set(c.get("enum") or ([c["const"]] if "const" in c else []))
        if have != by_kind.get(kind, set()):
            rep.err("schemas", "%s: %s compatible allows %s, spec/abi defines %s"
                    % (where, node, sorted(have), sorted(by_kind.get(kind, set()))))


def check_kho_schema(rep, where, comp, sch):
    if not select_names(sch, comp["compatible"]):
        rep.err("schemas", "%s: select must pick roots by the compatible %r"
                % (where, comp["compatible"]))
    expect_node(rep, where, comp["root_fdt"]["properties"], sch, ("LUO",))
    sub = (sch.get("properties") or {}).get("LUO")
    if not isinstance(sub, dict):
        rep.err("schemas", "%s: the LUO sub-node is missing" % where)
    else:
        expect_node(rep, where + " (LUO)", comp["subnode"]["properties"], sub)
    for pat, other in (sch.get("patternProperties") or {}).items():
        if isinstance(other, dict) and other.get("type") == "object":
            expect_node(rep, where + " (%s)" % pat, comp["subnode"]["properties"], other)


def check_schema_docs(root, rep):
    rep.rule("schemas")
    paths = sorted(glob.glob(os.path.join(root, "schemas", "*.yaml")))
    with ThreadPoolExecutor(max_workers=4) as ex:
        for path, out in zip(paths, ex.map(lambda p: dt_doc_validate(root, p), paths)):
            if out:
                rep.err("schemas", "%s: dt-doc-validate: %s" % (rel(root, path), out))


# -- outputs -----------------------------------------------------------------
def build_index(reqs, abi, vectors, checker, tests):
    index = {}
    for rid, info in sorted(reqs.items()):
        index[rid] = dict(info)
        index[rid]["vectors"] = sorted({n for n, ids in vectors if rid in ids})
        index[rid]["checker"] = sorted({w for r, w in checker if r == rid})
        index[rid]["tests"] = sorted({w for r, w in tests if r == rid})
        index[rid]["outcomes"] = {p: (prof["incoming"]["outcomes"] or {}).get(rid)
                                  for p, prof in abi.profiles.items()
                                  if rid in (prof["incoming"]["outcomes"] or {})}
        # A reader requirement is exercised by every vector that violates a
        # writer requirement it governs (luo-conform run feeds each vector
        # to the implementation's restore and judges the reaction), and by
        # the vectors its :exercised-by: globs name.
        gov = info.get("governs", [])
        via = {n for n, ids in vectors if ids and ("all" in gov or set(ids) & set(gov))}
        via |= {n for n, _ in vectors for g in info.get("exercised_by", []) if fnmatch.fnmatch(n, g)}
        index[rid]["vectors_via_governs"] = sorted(via - set(index[rid]["vectors"]))
        index[rid]["covered"] = bool(index[rid]["vectors"] or index[rid]["tests"] or via)
    return index


def write_outputs(outdir, index):
    os.makedirs(outdir, exist_ok=True)
    with open(os.path.join(outdir, "requirements.json.tmp"), "w") as f:
        json.dump(index, f, indent=1, sort_keys=True)
        f.write("\n")
    os.replace(os.path.join(outdir, "requirements.json.tmp"),
               os.path.join(outdir, "requirements.json"))
    t = abirst.Table("Requirement traceability",
                     ["Requirement", "Role", "Section", "Vectors", "Checker", "Tests"],
                     [16, 8, 22, 22, 16, 16])
    for rid, r in index.items():
        t.add(":req:`%s`" % rid, r["role"], abirst.esc(r["section"]),
              abirst.esc(", ".join(r["vectors"])) or "--",
              str(len(r["checker"])) if r["checker"] else "--",
              str(len(r["tests"])) if r["tests"] else "--")
    n = len(index)
    cov = sum(1 for r in index.values() if r["covered"])
    head = (".. Generated by conformance/tools/trace.py -- do not edit.\n\n"
            "Requirements: %d, covered by a vector or a test: %d (%d%%).\n\n"
            % (n, cov, (100 * cov // n) if n else 0))
    with open(os.path.join(outdir, "requirements.rst"), "w") as f:
        f.write(head + t.render())


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--root", default=os.path.normpath(os.path.join(HERE, "..", "..")))
    ap.add_argument("--build", default="build")
    ap.add_argument("--check", choices=("consistency", "coverage"), default="consistency")
    ap.add_argument("--no-dtschema", action="store_true",
                    help="skip dt-doc-validate (the other schema checks still run)")
    args = ap.parse_args(argv[1:])
    root = os.path.abspath(args.root)
    build = args.build if os.path.isabs(args.build) else os.path.join(os.getcwd(), args.build)
    outdir = os.path.join(build, "trace")

    try:
        abi = luoabi.Abi(os.path.join(root, "spec", "abi"))
    except luoabi.AbiError as e:
        print("trace: spec/abi: %s" % e)
        print("RESULT trace: 0 passed, 1 failed")
        return 1
    rep = Report()
    for r in ("ids", "citations", "fragments", "tables", "schemas"):
        rep.rule(r)
    reqs, refs = parse_reqs(root, rep)
    vectors = load_vectors(root, rep)
    checker = load_checker(root)
    tests = load_tests(root)
    check_citations(reqs, refs, abi, vectors, checker, tests, rep)
    with tempfile.TemporaryDirectory() as tmp:
        check_fragments(root, abi, tmp, rep)
    check_tables(root, abi, rep)
    check_schema_abi(root, abi, rep)
    if not args.no_dtschema:
        check_schema_docs(root, rep)

    index = build_index(reqs, abi, vectors, checker, tests)
    write_outputs(outdir, index)

    for rule, errs in rep.rules.items():
        for e in errs:
            print("trace: %s: %s" % (rule, e))
    n = len(index)
    writers = sum(1 for r in index.values() if r["role"] == "writer")
    cov = [rid for rid, r in index.items() if r["covered"]]
    print("requirements: %d (writer %d, reader %d), covered: %d (%d%%)"
          % (n, writers, n - writers, len(cov), (100 * len(cov) // n) if n else 0))
    print("vectors citing: %d, checker sites: %d, test citations: %d"
          % (len(vectors), len(checker), len(tests)))
    passed = len(rep.rules) - rep.failed()
    failed = rep.failed()
    if args.check == "coverage":
        missing = [rid for rid in index if not index[rid]["covered"]]
        for rid in missing:
            print("trace: coverage: %s (%s) has neither a vector nor a test"
                  % (rid, index[rid]["where"]))
        passed += len(index) - len(missing)
        failed += len(missing)
        print("RESULT coverage: %d passed, %d failed" % (passed, failed))
    else:
        print("RESULT trace: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
