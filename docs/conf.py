# Sphinx configuration for the LUO handover specification and the site.
#
# One file, three builds, chosen by LUO_DOCS_MODE:
#
#   (unset)  the bare specification (spec/spec.mk: "make spec", check-spec):
#            $(B)/spec-src = spec/*.rst plus the tables
#            conformance/tools/abirst.py generates from spec/abi under gen/;
#            alabaster, no extension but luoreq.
#   site     the published site (docs/docs.mk: "make docs"): $(B)/docs-src =
#            docs/*.rst, the same spec staging under spec/, and the pages
#            conformance/tools/docgen.py generates under ref/; furo, graphviz
#            diagrams, the Markdown changelog.
#   man      the man pages (docs/docs.mk: "make man") from $(B)/man-src.
#
# Every build runs offline with "sphinx-build -W -n": nothing here reaches
# the network.
import os
import re
import sys

sys.dont_write_bytecode = True   # no __pycache__ in the source tree
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "ext"))

MODE = os.environ.get("LUO_DOCS_MODE", "")

project = "LUO handover ABI specification"
author = "luo-conformance contributors"
copyright = "the luo-conformance contributors"


def _spec_version():
    # The staging directory carries version.rst; its ":spec-version:" line is
    # the one place the version is written.
    for d in (os.environ.get("LUO_SPEC_SRC", ""), os.getcwd(),
              os.path.join(HERE, "..", "spec")):
        path = os.path.join(d, "version.rst")
        if d and os.path.exists(path):
            with open(path) as f:
                m = re.search(r"^:spec-version:\s*(\S+)", f.read(), re.M)
                if m:
                    return m.group(1)
    return "unknown"


def _project_release():
    # The VERSION file at the top of the tree is the suite's release.
    try:
        with open(os.path.join(HERE, "..", "VERSION")) as f:
            return f.read().strip() or "unknown"
    except OSError:
        return "unknown"


# The spec says "version |release| of the specification": release is the
# spec's version in every mode; the suite's release has its own name.
version = release = _spec_version()
suite_release = _project_release()

extensions = ["luoreq"]
root_doc = master_doc = "index"
source_suffix = {".rst": "restructuredtext"}
# Generated layout tables are included by the chapters, not documents of
# their own.
exclude_patterns = ["gen/**", "_build", "version.rst"]
templates_path = []
nitpicky = True
highlight_language = "none"
pygments_style = "sphinx"

html_theme = "alabaster"
html_title = "luo-v1 handover ABI, specification %s" % version
html_static_path = []
html_show_sourcelink = False
html_last_updated_fmt = None

if MODE == "site":
    project = "luo-conformance"
    extensions += ["sphinx.ext.graphviz", "myst_parser"]
    source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
    # spec/gen: fragments the chapters include; files: raw sources that
    # pages literalinclude; ref/dot: diagram sources.
    # bench/results.rst: the benchmark page includes it.
    exclude_patterns = ["spec/gen/**", "spec/version.rst", "files/**", "ref/dot/**",
                        "examples/**", "bench/results.rst", "_build"]
    html_theme = "furo"
    html_title = "luo-conformance %s · spec %s" % (suite_release, version)
    html_short_title = "luo-conformance %s" % suite_release
    # furo prints the copyright line in the footer of every page.
    copyright = ("the luo-conformance contributors. luo-conformance %s, "
                 "luo-v1 specification %s" % (suite_release, version))
    html_static_path = ["_static"]
    html_css_files = ["luo-site.css"]
    html_theme_options = {
        "announcement": None,
        "navigation_with_keys": True,
    }
    # Debian's furo (2022.12.07+dfsg) ships furo.js as an ES module that
    # imports gumshoe, loaded with a classic <script>: it stops at a syntax
    # error and the theme's scripts never run.  Gumshoe is a UMD script
    # (it sets window.Gumshoe), so the site loads it first and a copy of
    # furo.js without the import line; a furo that ships a bundle is left
    # alone.
    def _furo_classic(gen_dir):
        import furo
        src = os.path.join(os.path.dirname(furo.__file__), "theme", "furo", "static",
                           "scripts", "furo.js")
        try:
            with open(src) as f:
                text = f.read()
        except OSError:
            return False
        first = text.split("\n", 1)[0]
        if not re.match(r'^import Gumshoe from "\./gumshoe-patched\.js";$', first):
            return False
        os.makedirs(os.path.join(gen_dir, "scripts"), exist_ok=True)
        with open(os.path.join(gen_dir, "scripts", "furo.js"), "w") as f:
            f.write("/* furo.js without its ES import (docs/conf.py); Gumshoe is loaded "
                    "before it. */\n" + text.split("\n", 1)[1])
        return True

    _gen_static = os.environ.get("LUO_DOCS_STATIC") or os.path.join(
        os.environ.get("TMPDIR", "/tmp"), "luo-docs-static-%d" % os.getpid())
    _FURO_PATCHED = _furo_classic(_gen_static)
    if _FURO_PATCHED:
        html_static_path.append(_gen_static)

    # furo renders the whole site navigation into every page, which costs
    # more than the rest of a vector page.  The ~300 vector pages are
    # orphans (ref/vectors/<profile>/<name>): no toctree names them, so no
    # entry of their navigation is marked current and every page of one
    # directory gets the same HTML.  It is computed once per directory.
    def _share_orphan_navigation():
        import furo
        original = getattr(furo, "_compute_navigation_tree", None)
        if original is None:
            return
        cache = {}

        def navigation(context):
            page = context.get("pagename", "")
            if not page.startswith("ref/vectors/") or page.count("/") != 3:
                return original(context)
            key = page.rsplit("/", 1)[0]
            if key not in cache:
                cache[key] = original(context)
            return cache[key]
        furo._compute_navigation_tree = navigation

    def setup(app):
        if _FURO_PATCHED:
            app.add_js_file("scripts/gumshoe-patched.js", priority=199)
        _share_orphan_navigation()

    graphviz_output_format = "svg"
    graphviz_dot_args = ["-Gfontname=sans-serif", "-Nfontname=sans-serif",
                         "-Efontname=sans-serif"]
    myst_enable_extensions = []
    myst_heading_anchors = 3
    # Every page can name both versions.
    rst_epilog = """
.. |suite-release| replace:: %s
.. |spec-version| replace:: %s
""" % (suite_release, version)

elif MODE == "man":
    project = "luo-conformance"
    extensions = []
    exclude_patterns = ["_build"]
    man_show_urls = False
    man_make_section_directory = False
    _AUTHORS = ["the luo-conformance contributors"]
    man_pages = [
        ("man/luo-conform", "luo-conform",
         "check LUO handover states and test implementations of the luo-v1 ABI",
         _AUTHORS, 1),
        ("man/luo-mkimage", "luo-mkimage",
         "build a LUO state image (ELF64 core) from memory pieces", _AUTHORS, 1),
        ("man/luo-abi-diff", "luo-abi-diff",
         "compare two versions of the LUO/KHO handover ABI and check the version bumps",
         _AUTHORS, 1),
    ]
    version = release = suite_release
