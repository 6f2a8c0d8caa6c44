#!/usr/bin/python3
"""Export an ABI description (a spec/abi directory) as canonical JSON.

usage: abijson.py [--abi DIR] [-o FILE]
    DIR defaults to this tree's spec/abi; FILE defaults to standard output.

Build glue for luo-abi-diff (conformance/abidiff), which reads this JSON
with json-c instead of parsing YAML itself.  The description is loaded and
validated by luoabi.py, and every number is evaluated at each page size of
luoabi.PAGE_SIZES, so a reader never evaluates an expression.

Shape (keys always present unless marked optional; "N" is a list with one
integer per page size, in the order of "page_sizes"):

  {"format": "luo-abi-json", "version": 1, "page_sizes": [4096, 16384, 65536],
   "components": {ID: COMPONENT}, "profiles": {NAME: PROFILE}}

  COMPONENT = {"id", "kind", "compatible" (or null), "slot", "owner",
               "summary", "evidence": [..], "data", "kho_entry",
               "nodes": [NODE], "constants": [CONST], "structs": [STRUCT],
               "memory_map": {"format", "params": {KEY: N}} or null,
               "areas": [{"name", "attrs": {KEY: string}}]}
  NODE      = {"fdt": SLOT owning the FDT, "path", "required": string or null,
               "properties": [{"name", "type", "size": N or null, "value",
                               "byte_order", "required", "target", "meaning"}]}
  CONST     = {"name", "value": N, "expr": string or null, "meaning"}
  STRUCT    = {"name", "size": N, "packed": bool,
               "fields": [{"name", "offset": N, "size": N, "type",
                           "bits": [{"name", "lsb", "width"}],
                           "bits_be": [...] (big-endian placement, when given),
                           "meaning"}]}
  PROFILE   = {"title", "released", "root_compatible",
               "slots": {SLOT: component ID or null},
               "unbumped": [SLOT]}

A profile's optional "unbumped" list names the slots whose breaking change
from the release before it upstream shipped without bumping their
compatible string (v7.0: "luo", for the mandatory /luo-flb node under
luo-v1).  luo-abi-diff then reports that violation as ACCEPTED: a recorded
fact about upstream, not a mistake in the change under review.

A slot is the part of the ABI a component fills; the owner is the slot
whose compatible string versions it (kho_vmalloc is versioned by the KHO
root string, so its owner is "kho").  The state-image container
(image.yaml) is the suite's own format, not kernel ABI, and is left out.
"""
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import luoabi  # noqa: E402

# kind -> slot of the components of that kind (handlers are per family)
KIND_SLOT = {"kho": "kho", "luo-root": "luo", "luo-session": "session",
             "luo-flb": "flb"}
# Which slot owns the structure of each FDT: nodes of the LUO FDT other
# than its root exist because the root's reader asks for them.
FDT_OWNER = {"kho": "kho", "luo-root": "luo", "luo-session": "luo",
             "luo-flb": "luo"}


def family(compatible):
    """memfd-v2 -> memfd: the name a handler keeps across versions."""
    return re.sub(r"-v[0-9]+$", "", compatible or "")


def slot_of(comp):
    kind = comp.get("kind")
    if kind in KIND_SLOT:
        return KIND_SLOT[kind]
    if kind == "handler":
        return "handler:" + family(comp.get("compatible") or comp["component"])
    if kind == "kho-part":
        return "kho/" + comp["component"]
    return kind


def owner_of(comp):
    return "kho" if comp.get("kind") == "kho-part" else slot_of(comp)


class Exporter:
    def __init__(self, abi):
        self.abi = abi

    def per_page(self, cid, v, where):
        return [self.abi.value(v, self.abi.env(cid, ps), where) for ps in luoabi.PAGE_SIZES]

    def prop(self, cid, p, where):
        size = p.get("size")
        return {"name": p["name"], "type": p.get("type"),
                "size": self.per_page(cid, size, where) if size is not None else None,
                "value": None if p.get("value") is None else str(p["value"]),
                "byte_order": p.get("byte_order"),
                "required": None if p.get("required") is None else str(p["required"]).lower(),
                "target": p.get("target"), "meaning": p.get("meaning")}

    def node(self, cid, fdt, path, required, props):
        where = "%s node %s" % (cid, path)
        return {"fdt": fdt, "path": path,
                "required": None if required is None else str(required).lower(),
                "properties": [self.prop(cid, p, where + " " + p["name"]) for p in props]}

    def nodes(self, cid, comp):
        out = []
        fdt = FDT_OWNER.get(comp.get("kind"), slot_of(comp))
        if comp.get("data") == "fdt":
            # a handler's own per-file FDT, versioned by the handler
            fdt = slot_of(comp)
        if "root_fdt" in comp:
            out.append(self.node(cid, "kho", "/", True, comp["root_fdt"].get("properties", [])))
        if "subnode" in comp:
            out.append(self.node(cid, "kho", "/*", None, comp["subnode"].get("properties", [])))
        for n in (comp.get("fdt") or {}).get("nodes", []):
            req = n.get("required", True if n["path"] == "/" else None)
            out.append(self.node(cid, fdt, n["path"], req, n.get("properties", [])))
        return out

    def struct(self, cid, s):
        where = "%s struct %s" % (cid, s["name"])
        fields = []
        for f in s["fields"]:
            fw = where + "." + f["name"]
            fields.append({"name": f["name"], "offset": self.per_page(cid, f["offset"], fw),
                           "size": self.per_page(cid, f["size"], fw), "type": f.get("type"),
                           "bits": [{"name": b["name"], "lsb": b["lsb"], "width": b["width"]}
                                    for b in f.get("bits", [])],
                           "bits_be": [{"name": b["name"], "lsb": b["lsb"], "width": b["width"]}
                                       for b in f.get("bits_be", [])],
                           "meaning": f.get("meaning")})
        return {"name": s["name"], "size": self.per_page(cid, s["size"], where),
                "packed": bool(s.get("packed")), "fields": fields}

    def constant(self, cid, k):
        return {"name": k["name"], "value": self.per_page(cid, k, "%s.%s" % (cid, k["name"])),
                "expr": k.get("expr"), "meaning": k.get("meaning")}

    def memory_map(self, cid, mm):
        params = {}
        for key, v in sorted(mm.items()):
            if key == "format":
                continue
            params[key] = self.per_page(cid, v, "%s.memory_map.%s" % (cid, key))
        return {"format": mm.get("format"), "params": params}

    def component(self, cid):
        comp = self.abi.components[cid]
        mm = comp.get("memory_map")
        return {
            "id": cid, "kind": comp.get("kind"), "compatible": comp.get("compatible"),
            "slot": slot_of(comp), "owner": owner_of(comp),
            "summary": " ".join(str(comp.get("summary") or "").split()),
            "evidence": [str(e) for e in comp.get("evidence", [])],
            "data": comp.get("data", "fdt" if comp.get("fdt") else None),
            "kho_entry": comp.get("kho_entry"),
            "nodes": self.nodes(cid, comp),
            "constants": [self.constant(cid, k) for k in comp.get("constants", [])],
            "structs": [self.struct(cid, s) for s in comp.get("structs", [])],
            "memory_map": self.memory_map(cid, mm) if mm else None,
            "areas": [{"name": a["name"],
                       "attrs": {k: str(v) for k, v in sorted(a.items()) if k != "name"}}
                      for a in comp.get("areas", [])],
        }

    def profile(self, pid):
        prof = self.abi.profiles[pid]
        comps = prof["components"]
        slots = {}
        for role in ("kho", "luo", "session", "flb"):
            slots[role] = comps.get(role)
        kho = comps.get("kho")
        if kho and self.abi.components[kho].get("vmalloc"):
            part = self.abi.components[kho]["vmalloc"]
            slots[slot_of(self.abi.components[part])] = part
        for h in comps.get("handlers") or []:
            slot = slot_of(self.abi.components[h])
            if slots.get(slot):
                raise luoabi.AbiError("%s: two handlers of family %s" % (prof["_file"], slot))
            slots[slot] = h
        return {"title": prof.get("title"),
                "released": None if prof.get("released") is None else str(prof["released"]),
                "root_compatible": prof.get("root_compatible"), "slots": slots,
                "unbumped": [str(s) for s in prof.get("unbumped") or []]}

    def export(self):
        return {"format": "luo-abi-json", "version": 1,
                "page_sizes": list(luoabi.PAGE_SIZES),
                "components": {cid: self.component(cid) for cid in sorted(self.abi.components)
                               if self.abi.components[cid].get("kind") != "image"},
                "profiles": {pid: self.profile(pid) for pid in sorted(self.abi.profiles)}}


def main(argv):
    root, out = None, None
    args = list(argv)
    while args:
        a = args.pop(0)
        if a == "--abi" and args:
            root = args.pop(0)
        elif a == "-o" and args:
            out = args.pop(0)
        else:
            sys.stderr.write(__doc__.split("\n\n")[1] + "\n")
            return 2
    try:
        doc = Exporter(luoabi.Abi(root or luoabi.default_root())).export()
    except (luoabi.AbiError, OSError, KeyError, TypeError) as e:
        sys.stderr.write("abijson: %s: %s\n" % (root or luoabi.default_root(), e))
        return 1
    text = json.dumps(doc, indent=1, sort_keys=True) + "\n"
    if out:
        with open(out, "w") as f:
            f.write(text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
