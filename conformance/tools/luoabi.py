"""Load, validate and evaluate the ABI description in spec/abi.

Build glue only: every other generator (C headers, spec tables, vector
builder, luo-abi-diff) reads the description through this module so the
rules for reading it exist once.
"""
import ast
import os
import sys

import yaml

OUTCOMES = ("accept", "fresh-start", "retrieve-error", "eio", "enoent",
            "panic", "undefined")
PAGE_SIZES = (4096, 16384, 65536)


class AbiError(Exception):
    pass


def _log2(x):
    if x <= 0 or x & (x - 1):
        raise AbiError("LOG2 of %d, which is not a power of two" % x)
    return x.bit_length() - 1


class Expr:
    """An integer expression over PAGE_SIZE, constants and sizeof()."""

    def __init__(self, text, where):
        self.text = str(text)
        self.where = where
        try:
            self.tree = ast.parse(self.text.replace("sizeof(", "SIZEOF("),
                                  mode="eval").body
        except SyntaxError as e:
            raise AbiError("%s: bad expression %r: %s" % (where, self.text, e))

    def _walk(self, node, env, c):
        if isinstance(node, ast.Constant) and isinstance(node.value, int):
            return node.value, str(node.value)
        if isinstance(node, ast.Name):
            if node.id == "PAGE_SIZE":
                return env["PAGE_SIZE"], "(ps)"
            if node.id in env["consts"]:
                value, cname = env["consts"][node.id](env)
                return value, cname
            raise AbiError("%s: unknown name %s in %r" % (self.where, node.id, self.text))
        if isinstance(node, ast.BinOp):
            a, ca = self._walk(node.left, env, c)
            b, cb = self._walk(node.right, env, c)
            ops = {ast.Add: ("+", lambda x, y: x + y),
                   ast.Sub: ("-", lambda x, y: x - y),
                   ast.Mult: ("*", lambda x, y: x * y),
                   ast.Div: ("/", lambda x, y: x // y),
                   ast.FloorDiv: ("/", lambda x, y: x // y)}
            op = ops.get(type(node.op))
            if not op:
                raise AbiError("%s: operator not allowed in %r" % (self.where, self.text))
            return op[1](a, b), "(%s %s %s)" % (ca, op[0], cb)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            fn, args = node.func.id, node.args
            if fn == "SIZEOF" and len(args) == 1 and isinstance(args[0], ast.Name):
                size, cname = env["sizeof"](args[0].id, env)
                return size, cname
            vals = [self._walk(a, env, c) for a in args]
            if fn == "LOG2" and len(vals) == 1:
                return _log2(vals[0][0]), "LUOC_LOG2(%s)" % vals[0][1]
            if fn == "DIV_ROUND_UP" and len(vals) == 2:
                a, b = vals
                return -(-a[0] // b[0]), "LUOC_DIV_ROUND_UP(%s, %s)" % (a[1], b[1])
        raise AbiError("%s: cannot evaluate %r" % (self.where, self.text))

    def eval(self, env):
        return self._walk(self.tree, env, None)


def _load(path):
    with open(path) as f:
        try:
            return yaml.safe_load(f)
        except yaml.YAMLError as e:
            raise AbiError("%s: %s" % (path, e))


def cident(name):
    out = "".join(ch.upper() if ch.isalnum() else "_" for ch in name)
    return out.strip("_")


class Abi:
    def __init__(self, root):
        self.root = root
        self.components = {}
        self.profiles = {}
        cdir = os.path.join(root, "components")
        for fn in sorted(os.listdir(cdir)):
            if fn.endswith(".yaml"):
                doc = _load(os.path.join(cdir, fn))
                doc["_file"] = os.path.join("spec/abi/components", fn)
                if doc["component"] in self.components:
                    raise AbiError("%s: component %s defined twice" % (fn, doc["component"]))
                self.components[doc["component"]] = doc
        pdir = os.path.join(root, "profiles")
        for fn in sorted(os.listdir(pdir)):
            if fn.endswith(".yaml"):
                doc = _load(os.path.join(pdir, fn))
                doc["_file"] = os.path.join("spec/abi/profiles", fn)
                self.profiles[doc["profile"]] = doc
        self.image = _load(os.path.join(root, "image.yaml"))
        self.image["_file"] = "spec/abi/image.yaml"
        self.components[self.image["component"]] = self.image
        self._index()
        self.validate()

    # -- lookups ---------------------------------------------------------
    def _index(self):
        self.structs = {}   # (component, struct) -> struct doc
        for cid, comp in self.components.items():
            for s in comp.get("structs", []):
                self.structs[(cid, s["name"])] = s

    def scope(self, cid):
        """Components whose names an expression in component cid may use."""
        comp = self.components[cid]
        out = [cid]
        if comp.get("vmalloc"):
            out.append(comp["vmalloc"])
        # "uses": components whose structs and constants this one builds on
        # (luo-v5 lays its entries out in kho-v4's serialization blocks)
        for u in comp.get("uses") or []:
            out += [x for x in self.scope(u) if x not in out]
        return out

    def find_struct(self, cid, name):
        for c in self.scope(cid):
            if (c, name) in self.structs:
                return c, self.structs[(c, name)]
        raise AbiError("%s: no struct %s" % (cid, name))

    def find_const(self, cid, name):
        for c in self.scope(cid):
            for k in self.components[c].get("constants", []):
                if k["name"] == name:
                    return c, k
        return None, None

    def env(self, cid, page_size):
        env = {"PAGE_SIZE": page_size}

        def sizeof(name, env_):
            c, s = self.find_struct(cid, name)
            return self.value(s["size"], env_, "%s.%s.size" % (c, name)), \
                struct_macro(c, name) + "_SIZE" + ("(ps)" if is_expr(s["size"]) else "")

        class Consts(dict):
            def __contains__(inner, name):
                return self.find_const(cid, name)[1] is not None

            def __getitem__(inner, name):
                c, k = self.find_const(cid, name)
                def get(env_):
                    macro = const_macro(c, name)
                    if "expr" in k:
                        v, _ = Expr(k["expr"], "%s.%s" % (c, name)).eval(env_)
                        return v, macro + "(ps)"
                    return k["value"], macro
                return get
        env["consts"] = Consts()
        env["sizeof"] = sizeof
        return env

    def value(self, v, env, where):
        if isinstance(v, int):
            return v
        if isinstance(v, dict) and "expr" in v:
            return Expr(v["expr"], where).eval(env)[0]
        if isinstance(v, dict) and "value" in v:
            return v["value"]
        raise AbiError("%s: not a number or expression: %r" % (where, v))

    def cexpr(self, cid, v, where):
        if isinstance(v, int):
            return str(v)
        return Expr(v["expr"], where).eval(self.env(cid, 4096))[1]

    # -- validation ------------------------------------------------------
    def validate(self):
        for cid, comp in self.components.items():
            for u in comp.get("uses") or []:
                if u not in self.components:
                    raise AbiError("%s: uses unknown component %s" % (comp["_file"], u))
        for cid, comp in self.components.items():
            for ps in PAGE_SIZES:
                env = self.env(cid, ps)
                for k in comp.get("constants", []):
                    if "expr" in k:
                        v = self.value(k, env, "%s.%s" % (cid, k["name"]))
                        if ps == 4096 and k.get("at_4k") is not None and v != k["at_4k"]:
                            raise AbiError("%s: %s is %d at 4 KiB, the description says %d"
                                           % (comp["_file"], k["name"], v, k["at_4k"]))
                for s in comp.get("structs", []):
                    self._check_struct(cid, s, env, ps)
                for key in ("bitmap_bits", "chunk_entries", "table_log2", "bitmap_log2",
                            "order0_log2", "depth"):
                    mm = comp.get("memory_map", {})
                    if key in mm and isinstance(mm[key], dict):
                        v = self.value(mm[key], env, "%s.memory_map.%s" % (cid, key))
                        if ps == 4096 and v != mm[key].get("at_4k", v):
                            raise AbiError("%s: memory_map.%s is %d at 4 KiB, the description says %d"
                                           % (comp["_file"], key, v, mm[key]["at_4k"]))
        for pid, prof in self.profiles.items():
            comps = prof["components"]
            for role in ("kho", "luo", "session", "flb"):
                if comps.get(role) is not None and comps[role] not in self.components:
                    raise AbiError("%s: unknown component %s" % (prof["_file"], comps[role]))
            for h in comps.get("handlers", []):
                if h not in self.components:
                    raise AbiError("%s: unknown handler %s" % (prof["_file"], h))
            inc = prof.get("incoming", {})
            if inc.get("compatible_match", "exact") not in ("exact", "list"):
                raise AbiError("%s: incoming.compatible_match must be exact or list" % prof["_file"])
            if inc.get("folio_pfn0", "error") not in ("error", "hole"):
                raise AbiError("%s: incoming.folio_pfn0 must be error or hole" % prof["_file"])
            for key in ("default", "on_luo_error"):
                if inc.get(key) not in OUTCOMES:
                    raise AbiError("%s: incoming.%s must be one of %s" % (prof["_file"], key, OUTCOMES))
            for req, out in (inc.get("outcomes") or {}).items():
                if out not in OUTCOMES:
                    raise AbiError("%s: outcome %s of %s is not one of %s"
                                   % (prof["_file"], out, req, OUTCOMES))

    def _check_struct(self, cid, s, env, ps):
        where = "%s struct %s" % (self.components[cid]["_file"], s["name"])
        size = self.value(s["size"], env, where)
        if ps == 4096 and isinstance(s["size"], dict) and s["size"].get("at_4k", size) != size:
            raise AbiError("%s: size is %d at 4 KiB, the description says %d" % (where, size, s["size"]["at_4k"]))
        end = 0
        for f in s["fields"]:
            fsize = self.value(f["size"], env, where + "." + f["name"])
            if f["offset"] < end:
                raise AbiError("%s: field %s at %d overlaps the field before it (ends at %d)"
                               % (where, f["name"], f["offset"], end))
            if s.get("packed") and f["offset"] != end:
                raise AbiError("%s: packed struct has a gap before %s" % (where, f["name"]))
            end = f["offset"] + fsize
            for key in ("bits", "bits_be"):
                self._check_bits(where, f, fsize, f.get(key, []))
        if end > size:
            raise AbiError("%s: fields end at %d, past the size %d" % (where, end, size))
        if s.get("packed") and end != size:
            raise AbiError("%s: packed struct has %d trailing bytes" % (where, size - end))

    def _check_bits(self, where, f, fsize, bitlist):
        used = 0
        for b in bitlist:
            if b["lsb"] + b["width"] > fsize * 8:
                raise AbiError("%s: bit-field %s.%s does not fit" % (where, f["name"], b["name"]))
            mask = ((1 << b["width"]) - 1) << b["lsb"]
            if used & mask:
                raise AbiError("%s: bit-field %s.%s overlaps another" % (where, f["name"], b["name"]))
            used |= mask

    # -- profile helpers ---------------------------------------------------
    def profile_components(self, pid):
        comps = self.profiles[pid]["components"]
        out = [comps[r] for r in ("kho", "luo", "session", "flb") if comps.get(r)]
        out += comps.get("handlers", [])
        kho = self.components[comps["kho"]]
        if kho.get("vmalloc"):
            out.append(kho["vmalloc"])
        return out


def is_expr(v):
    return isinstance(v, dict) and "expr" in v


def struct_macro(cid, name):
    return "LUOC_%s_%s" % (cident(cid), cident(name))


def const_macro(cid, name):
    return "LUOC_%s_%s" % (cident(cid), cident(name))


def default_root():
    here = os.path.dirname(os.path.abspath(__file__))
    return os.path.normpath(os.path.join(here, "..", "..", "spec", "abi"))


def load(root=None):
    try:
        return Abi(root or default_root())
    except AbiError as e:
        sys.stderr.write("abi: %s\n" % e)
        sys.exit(1)
