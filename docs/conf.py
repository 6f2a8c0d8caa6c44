# Sphinx configuration for the LUO handover specification.
#
# Minimal on purpose: the spec is built offline with "sphinx-build -W -n"
# from a staging directory that spec/spec.mk assembles ($(B)/spec-src:
# spec/*.rst plus the tables conformance/tools/abirst.py generates from
# spec/abi under gen/).  Nothing here reaches the network.
import os
import re
import sys

sys.dont_write_bytecode = True   # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "ext"))

project = "LUO handover ABI specification"
author = "luo-conformance contributors"
copyright = "the luo-conformance contributors"


def _spec_version():
    # The staging directory carries version.rst; its ":spec-version:" line is
    # the one place the version is written.
    for d in (os.environ.get("LUO_SPEC_SRC", ""), os.getcwd()):
        path = os.path.join(d, "version.rst")
        if d and os.path.exists(path):
            with open(path) as f:
                m = re.search(r"^:spec-version:\s*(\S+)", f.read(), re.M)
                if m:
                    return m.group(1)
    return "unknown"


version = release = _spec_version()

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
