#!/usr/bin/python3
"""Check the vectors' FDTs against the dt-schemas (TAP).

    vecschema.py --work B/vectors-work --schema PROCESSED.json [--exact] vectors/manifest.yaml

For each vector, the FDT blobs the builder wrote (WORK/<id>/*.dtb, the
final bytes as they lie in the image, patches included) are validated:
a 'schema: pass' vector must have every FDT clean, a 'schema: fail' vector
at least one FDT with findings.

PROCESSED.json comes from 'conformance/tools/schemacheck.sh --mk-schema',
and "clean" means what schemacheck.sh means: dt-validate prints nothing.
By default this script runs dt-validate's own code (/usr/bin/dt-validate,
loaded as a module) once, with its output captured per file, because
starting dt-validate for each of some 500 blobs takes minutes; --exact
runs conformance/tools/schemacheck.sh on every blob instead (slow; for
checking that both agree).
"""
import argparse
import contextlib
import importlib.machinery
import importlib.util
import io
import os
import subprocess
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))


class InProcess:
    def __init__(self, processed):
        loader = importlib.machinery.SourceFileLoader("dt_validate", "/usr/bin/dt-validate")
        spec = importlib.util.spec_from_loader("dt_validate", loader)
        self.mod = importlib.util.module_from_spec(spec)
        loader.exec_module(self.mod)
        self.mod.verbose = False
        self.mod.show_unmatched = 0
        self.mod.show_matched = False
        self.mod.match_schema_file = None
        self.sg = self.mod.schema_group(processed)

    def findings(self, path):
        out = io.StringIO()
        with contextlib.redirect_stderr(out), contextlib.redirect_stdout(out):
            try:
                tree = self.mod.dtschema.load(path, line_number=False)
                self.sg.check_trees(path, tree)
            except Exception as e:      # dt-validate would die with a traceback
                print("dt-validate: %s: %s" % (type(e).__name__, e))
            except SystemExit as e:
                print("dt-validate: exit %s" % e)
        return out.getvalue().strip()


class Exact:
    def __init__(self, processed):
        self.processed = processed

    def findings(self, path):
        r = subprocess.run([os.path.join(HERE, "schemacheck.sh"), "-s", self.processed, path],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if r.returncode == 2:
            raise SystemExit("vecschema: schemacheck.sh failed: %s" % r.stdout)
        return r.stdout.strip() if r.returncode else ""


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--work", required=True, help="the builder's work directory")
    ap.add_argument("--schema", required=True, help="processed schema (schemacheck.sh --mk-schema)")
    ap.add_argument("--exact", action="store_true", help="run schemacheck.sh on every blob")
    ap.add_argument("--only", nargs="*")
    ap.add_argument("manifest")
    a = ap.parse_args()
    with open(a.manifest) as f:
        vecs = [v for v in yaml.safe_load(f)["vectors"] if not a.only or v["id"] in a.only]
    checker = Exact(a.schema) if a.exact else InProcess(a.schema)
    print("1..%d" % len(vecs))
    bad = 0
    for n, v in enumerate(vecs, 1):
        d = os.path.join(a.work, v["id"])
        try:
            with open(os.path.join(d, "fdts.list")) as f:
                blobs = [ln.strip() for ln in f if ln.strip()]
        except OSError:
            print("not ok %d - %s # no FDT list (run the vector build)" % (n, v["id"]))
            bad += 1
            continue
        found = {b: checker.findings(os.path.join(d, b)) for b in blobs}
        failing = [b for b in blobs if found[b]]
        ok = (not failing) if v["schema"] == "pass" else bool(failing)
        print("%s %d - %s (schema: %s)" % ("ok" if ok else "not ok", n, v["id"], v["schema"]))
        if not ok:
            bad += 1
            if v["schema"] == "pass":
                for b in failing:
                    for line in found[b].splitlines()[:6]:
                        print("# %s: %s" % (b, line))
            else:
                print("# every FDT (%s) passes the schemas" % ", ".join(blobs))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
