"""Sphinx extension for the requirement IDs of the LUO handover specification.

    .. req:: LUO-SESS-004
       :role: writer
       :profiles: all
       :level: error

       Normative text ...

renders an anchored block that shows the ID, the role (writer: what a state
must satisfy; reader: what an incoming implementation must do), the profiles
it applies to and the level.  ``:req:`LUO-SESS-004``` links to it, and
``.. req-index::`` lists every requirement of the document set.

The rules the directive enforces (ID syntax, 0xx = writer / 1xx = reader,
known profiles, one definition per ID) are warnings, so ``sphinx-build -W``
turns a mistake into a failed build.  conformance/tools/trace.py applies the
same rules to the sources without Sphinx; keep the two in step (both import
nothing from each other on purpose: this file must load in any Sphinx
project, the other must run without Sphinx).
"""
import re

from docutils import nodes
from docutils.parsers.rst import Directive, directives
from sphinx.roles import XRefRole
from sphinx.util import logging
from sphinx.util.nodes import make_refnode

logger = logging.getLogger(__name__)

ID_RE = re.compile(r"^LUO-[A-Z]+-[0-9]{3}$")
ROLES = ("writer", "reader")
LEVELS = ("error", "warning", "note")
PROFILES = ("series-v6", "v6.19", "v7.0", "v7.1", "v7.2")


def anchor(req_id):
    return "req-" + req_id.lower()


def parse_profiles(text):
    """'all' or a comma-separated list of known profiles -> list, or None."""
    text = (text or "").strip()
    if text == "all":
        return list(PROFILES)
    out = [p.strip() for p in text.split(",") if p.strip()]
    if not out or any(p not in PROFILES for p in out):
        return None
    return out


def role_of(req_id):
    return "writer" if int(req_id[-3:]) < 100 else "reader"


class req_node(nodes.General, nodes.Element):
    pass


class req_index_node(nodes.General, nodes.Element):
    pass


class ReqDirective(Directive):
    required_arguments = 1
    has_content = True
    option_spec = {
        "role": directives.unchanged_required,
        "profiles": directives.unchanged_required,
        "level": directives.unchanged,
        # reader requirements: the writer requirements whose violation this
        # rule decides the reaction to ("all" for every one), and vectors
        # that exercise it without violating a writer requirement (globs)
        "governs": directives.unchanged,
        "exercised-by": directives.unchanged,
    }

    def run(self):
        env = self.state.document.settings.env
        req_id = self.arguments[0].strip()
        role = self.options.get("role", "")
        level = self.options.get("level", "error") or "error"
        profiles = parse_profiles(self.options.get("profiles"))
        where = (env.docname, self.lineno)
        if not ID_RE.match(req_id):
            logger.warning("req: malformed requirement ID %r", req_id, location=where)
        elif role != role_of(req_id):
            logger.warning("req: %s has role %r, but its number says %r",
                           req_id, role, role_of(req_id), location=where)
        if profiles is None:
            logger.warning("req: %s: :profiles: must be 'all' or a list of %s",
                           req_id, ", ".join(PROFILES), location=where)
            profiles = []
        if level not in LEVELS:
            logger.warning("req: %s: :level: must be one of %s", req_id, ", ".join(LEVELS),
                           location=where)
        if not self.content:
            logger.warning("req: %s has no normative text", req_id, location=where)

        reqs = env.domaindata.setdefault("luoreq", {}).setdefault("reqs", {})
        if req_id in reqs and (reqs[req_id]["docname"], reqs[req_id]["lineno"]) != \
                (env.docname, self.lineno):
            logger.warning("req: %s is defined twice (first in %s)", req_id,
                           reqs[req_id]["docname"], location=where)
        section = ""
        parent = self.state.parent
        while parent is not None:
            if isinstance(parent, nodes.section) and parent.children and \
                    isinstance(parent[0], nodes.title):
                section = parent[0].astext()
                break
            parent = parent.parent
        reqs[req_id] = {"docname": env.docname, "lineno": self.lineno, "anchor": anchor(req_id),
                        "role": role, "level": level, "profiles": profiles,
                        "section": section}

        block = req_node(classes=["luo-req", "luo-req-" + role, "luo-req-" + level])
        block["ids"].append(anchor(req_id))
        head = nodes.paragraph(classes=["luo-req-head"])
        head += nodes.strong(req_id, req_id, classes=["luo-req-id"])
        shown = "all profiles" if len(profiles) == len(PROFILES) else ", ".join(profiles)
        head += nodes.Text("  ")
        head += nodes.emphasis("", "%s, %s; %s" % (role, level, shown), classes=["luo-req-meta"])
        block += head
        body = nodes.container(classes=["luo-req-body"])
        self.state.nested_parse(self.content, self.content_offset, body)
        block += body
        governs = self.options.get("governs", "").split()
        if governs:
            para = nodes.paragraph(classes=["luo-req-governs"])
            para += nodes.emphasis("", "Decides the reaction to violations of: ")
            if governs == ["all"]:
                para += nodes.Text("every writer requirement")
            for i, rid in enumerate(g for g in governs if g != "all"):
                if i:
                    para += nodes.Text(", ")
                para += nodes.literal(rid, rid)
            block += para
        return [block]


class ReqIndexDirective(Directive):
    has_content = False
    option_spec = {"role": directives.unchanged}

    def run(self):
        node = req_index_node()
        node["role"] = self.options.get("role", "")
        return [node]


def visit_req_html(self, node):
    self.body.append(self.starttag(node, "div"))


def depart_req_html(self, node):
    self.body.append("</div>\n")


def visit_req_text(self, node):
    pass


def depart_req_text(self, node):
    pass


def resolve_req(app, env, node, contnode):
    if node.get("reftype") != "req":
        return None
    target = node["reftarget"]
    reqs = env.domaindata.get("luoreq", {}).get("reqs", {})
    info = reqs.get(target)
    if not info:
        return None
    return make_refnode(app.builder, node["refdoc"], info["docname"], info["anchor"],
                        contnode, target)


def fill_index(app, doctree, fromdocname):
    env = app.builder.env
    reqs = env.domaindata.get("luoreq", {}).get("reqs", {})
    for node in doctree.traverse(req_index_node):
        table = nodes.table(classes=["luo-req-index"])
        group = nodes.tgroup(cols=4)
        table += group
        for width in (18, 10, 30, 42):
            group += nodes.colspec(colwidth=width)
        head = nodes.thead()
        group += head
        row = nodes.row()
        for title in ("Requirement", "Role / level", "Profiles", "Section"):
            row += nodes.entry("", nodes.paragraph(text=title))
        head += row
        body = nodes.tbody()
        group += body
        for req_id in sorted(reqs):
            info = reqs[req_id]
            if node["role"] and info["role"] != node["role"]:
                continue
            row = nodes.row()
            ref = nodes.reference("", "", internal=True)
            ref["refuri"] = app.builder.get_relative_uri(fromdocname, info["docname"]) + \
                "#" + info["anchor"]
            ref += nodes.literal(req_id, req_id)
            row += nodes.entry("", nodes.paragraph("", "", ref))
            row += nodes.entry("", nodes.paragraph(text="%s / %s" % (info["role"], info["level"])))
            shown = "all" if len(info["profiles"]) == len(PROFILES) else ", ".join(info["profiles"])
            row += nodes.entry("", nodes.paragraph(text=shown))
            row += nodes.entry("", nodes.paragraph(text=info["section"]))
            body += row
        node.replace_self(table)


def purge(app, env, docname):
    reqs = env.domaindata.get("luoreq", {}).get("reqs", {})
    for req_id in [k for k, v in reqs.items() if v["docname"] == docname]:
        del reqs[req_id]


def merge(app, env, docnames, other):
    mine = env.domaindata.setdefault("luoreq", {}).setdefault("reqs", {})
    for req_id, info in other.domaindata.get("luoreq", {}).get("reqs", {}).items():
        if info["docname"] in docnames:
            if req_id in mine and mine[req_id]["docname"] != info["docname"]:
                logger.warning("req: %s is defined twice (%s and %s)", req_id,
                               mine[req_id]["docname"], info["docname"])
            mine[req_id] = info


CSS = """
div.luo-req { border-left: 4px solid #4a6fa5; background: #f4f7fb; margin: 1em 0;
              padding: 0.3em 0.9em; }
div.luo-req-reader { border-left-color: #8a5a9e; background: #f8f4fa; }
div.luo-req-warning, div.luo-req-note { border-left-style: dashed; }
div.luo-req p.luo-req-head { margin: 0.2em 0 0.3em 0; }
div.luo-req .luo-req-id { font-family: monospace; }
div.luo-req .luo-req-meta { color: #555; font-size: 90%; }
"""


def add_css(app, exception):
    if exception or app.builder.format != "html":
        return
    import os
    path = os.path.join(app.outdir, "_static", "luoreq.css")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(CSS)


def setup(app):
    app.add_node(req_node, html=(visit_req_html, depart_req_html),
                 text=(visit_req_text, depart_req_text),
                 latex=(visit_req_text, depart_req_text))
    app.add_node(req_index_node)
    app.add_directive("req", ReqDirective)
    app.add_directive("req-index", ReqIndexDirective)
    app.add_role("req", XRefRole(warn_dangling=True))
    app.connect("missing-reference", resolve_req)
    app.connect("doctree-resolved", fill_index)
    app.connect("env-purge-doc", purge)
    app.connect("env-merge-info", merge)
    app.connect("build-finished", add_css)
    app.add_css_file("luoreq.css")
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True,
            "env_version": 1}
