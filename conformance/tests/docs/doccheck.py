#!/usr/bin/python3
"""Checks of the built documentation, called by test-docs.sh (one check per call).

usage: doccheck.py links HTMLDIR
       doccheck.py versions HTMLDIR SPEC_VERSION SUITE_VERSION
       doccheck.py search HTMLDIR WORD...
       doccheck.py dom PAGE DOM LOG
       doccheck.py options HELP_FILE MAN_FILE [SUBSECTION]
       doccheck.py hexdump PAGE BYTES

Each prints what it found and exits 0 when the check passes, 1 when it
fails (2 on a usage error).

links     every relative href/src of every page points at a file that exists,
          and every #fragment at an id (or name) in that file;
versions  every page names both versions (the footer of the theme);
search    searchindex.js is non-empty and indexes each WORD, search.html loads it;
dom       the DOM Chromium dumped for PAGE (--dump-dom) refers to no missing
          image, object, stylesheet or script, and the browser's log (stderr
          with --enable-logging=stderr) has no console message;
options   the options a --help text lists equal those the man page lists in
          its OPTIONS section (only in SUBSECTION, an .SS heading, if given;
          otherwise in the part before the first .SS plus, when the page has
          no per-command subsections, all of them);
hexdump   PAGE highlights (emphasized line) a hexdump line holding BYTES.
"""
import html.parser
import os
import re
import sys
import urllib.parse

SKIP_DIRS = ("_static", "_sources", "_downloads", "_images")


def pages(root):
    for d, dirs, files in os.walk(root):
        rel = os.path.relpath(d, root)
        if rel.split(os.sep)[0] in SKIP_DIRS:
            continue
        for f in sorted(files):
            if f.endswith(".html"):
                yield os.path.join(d, f)


class Refs(html.parser.HTMLParser):
    """Collects ids and the URLs a page refers to (and the tags they are in)."""

    ATTRS = {"a": "href", "link": "href", "img": "src", "script": "src",
             "object": "data", "iframe": "src", "source": "src", "embed": "src"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids, self.refs = set(), []
        self.hll = []           # text of highlighted (emphasized) code lines
        self._in_hll = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for k in ("id", "name"):
            if a.get(k):
                self.ids.add(a[k])
        want = self.ATTRS.get(tag)
        if want and a.get(want):
            self.refs.append((tag, a[want]))
        if tag == "span" and "hll" in (a.get("class") or "").split():
            self._in_hll = 1
            self.hll.append("")
        elif self._in_hll and tag == "span":
            self._in_hll += 1

    def handle_endtag(self, tag):
        if self._in_hll and tag == "span":
            self._in_hll -= 1

    def handle_data(self, data):
        if self._in_hll:
            self.hll[-1] += data


def parse(path, cache={}):
    if path not in cache:
        p = Refs()
        with open(path, errors="replace") as f:
            p.feed(f.read())
        cache[path] = p
    return cache[path]


def local(url):
    """(path, fragment) of a relative URL, or None for an external one."""
    u = urllib.parse.urlsplit(url)
    if u.scheme or u.netloc or url.startswith("//"):
        return None
    return urllib.parse.unquote(u.path), urllib.parse.unquote(u.fragment)


def cmd_links(root):
    bad, n, npages = [], 0, 0
    for page in pages(root):
        npages += 1
        for tag, url in parse(page).refs:
            loc = local(url)
            if loc is None:
                continue
            path, frag = loc
            n += 1
            target = os.path.normpath(os.path.join(os.path.dirname(page), path)) if path else page
            if os.path.isdir(target):
                target = os.path.join(target, "index.html")
            if not os.path.exists(target):
                bad.append("%s: <%s> %s: no file %s" % (os.path.relpath(page, root), tag, url,
                                                        os.path.relpath(target, root)))
                continue
            if frag and target.endswith(".html") and frag not in parse(target).ids:
                bad.append("%s: <%s> %s: no anchor #%s in %s" % (
                    os.path.relpath(page, root), tag, url, frag, os.path.relpath(target, root)))
    for b in bad[:40]:
        print(b)
    print("links: %d internal references in %d pages, %d broken" % (n, npages, len(bad)))
    return 1 if bad or not npages else 0


def cmd_versions(root, spec, suite):
    missing, n = [], 0
    for page in pages(root):
        n += 1
        text = open(page, errors="replace").read()
        if spec not in text or suite not in text:
            missing.append(os.path.relpath(page, root))
    for m in missing[:20]:
        print("versions: %s lacks spec %s or release %s" % (m, spec, suite))
    print("versions: %d pages, %d without both versions" % (n, len(missing)))
    return 1 if missing or not n else 0


def cmd_search(root, words):
    idx = os.path.join(root, "searchindex.js")
    if not os.path.exists(idx) or os.path.getsize(idx) < 1000:
        print("search: searchindex.js missing or nearly empty")
        return 1
    text = open(idx).read().lower()
    lacking = [w for w in words if '"%s"' % w.lower() not in text]
    page = os.path.join(root, "search.html")
    ok_page = os.path.exists(page) and "searchindex.js" in open(page).read()
    print("search: searchindex.js %d bytes; words not indexed: %s; search.html %s"
          % (os.path.getsize(idx), lacking or "none", "loads it" if ok_page else "missing"))
    return 1 if lacking or not ok_page else 0


def cmd_dom(page, dom, log):
    p = Refs()
    with open(dom, errors="replace") as f:
        body = f.read()
    p.feed(body)
    problems = []
    if "</html>" not in body:
        problems.append("the DOM dump is incomplete")
    for tag, url in p.refs:
        if tag == "a":
            continue
        loc = local(url)
        if loc is None:
            if url.startswith(("http:", "https:")):
                problems.append("<%s> loads %s from the network" % (tag, url))
            continue
        target = os.path.normpath(os.path.join(os.path.dirname(page), loc[0]))
        if not os.path.isfile(target) or os.path.getsize(target) == 0:
            problems.append("<%s> %s: missing or empty" % (tag, url))
    for line in open(log, errors="replace"):
        if ":CONSOLE" in line or "Uncaught" in line or "net::ERR_" in line:
            problems.append("console: %s" % line.strip())
    for pr in problems:
        print("dom: %s: %s" % (os.path.basename(page), pr))
    print("dom: %s: %d resources, %d problems" % (page, len([r for r in p.refs if r[0] != "a"]),
                                                  len(problems)))
    return 1 if problems else 0


OPT = re.compile(r"(?<![\w-])(--[a-z0-9][a-z0-9-]*|-[a-zA-Z0-9])(?![\w])")


def help_options(text):
    """Options of a --help text: the option column of lines that start with '-'."""
    out = set()
    for line in text.split("\n"):
        if not re.match(r"^\s+-", line):
            continue
        spec = re.split(r"\s{2,}", line.strip(), maxsplit=1)[0]
        out.update(OPT.findall(spec))
    return out


def man_sections(text):
    """{subsection title or '': [option term lines]} of the OPTIONS section of a man page."""
    out, sub, in_opts, term_next = {}, "", False, False
    for line in text.split("\n"):
        if line.startswith(".SH"):
            in_opts = line[3:].strip().strip('"').upper() == "OPTIONS"
            sub = ""
            continue
        if not in_opts:
            continue
        if line.startswith(".SS"):
            sub = line[3:].strip().strip('"')
            out.setdefault(sub, [])
            continue
        if line.startswith(".TP"):
            term_next = True
            continue
        if term_next:
            term_next = False
            out.setdefault(sub, []).append(line)
    return out


def deroff(line):
    line = re.sub(r"^\.(B|BI|I|IR|BR|IB)\s+", "", line)
    line = re.sub(r"\\f[BIRP]", "", line)
    return line.replace("\\-", "-").replace("\\(aq", "'")


def man_options(text, sub=None):
    secs = man_sections(text)
    if sub is not None:
        if sub not in secs:
            return None
        terms = secs[sub]
    else:
        terms = list(secs.get("", []))
        if not any(k.lower().startswith("options of") for k in secs):
            for k, v in secs.items():
                if k:
                    terms += v
    out = set()
    for t in terms:
        out.update(OPT.findall(deroff(t)))
    return out


def cmd_options(help_file, man_file, sub=None):
    want = help_options(open(help_file).read())
    got = man_options(open(man_file).read(), sub)
    where = "%s%s" % (os.path.basename(man_file), (" [%s]" % sub) if sub else "")
    if got is None:
        print("options: %s: no subsection %r" % (where, sub))
        return 1
    print("options: %s: --help lists %s" % (where, " ".join(sorted(want))))
    if not want:
        print("options: no option found in the --help text")
        return 1
    if want != got:
        print("options: %s: only in --help: %s; only in the man page: %s"
              % (where, " ".join(sorted(want - got)) or "-", " ".join(sorted(got - want)) or "-"))
        return 1
    return 0


def cmd_hexdump(page, hexbytes):
    p = parse(page)
    hits = [h for h in p.hll if hexbytes in h]
    print("hexdump: %s: %d emphasized lines, %d with %r" % (page, len(p.hll), len(hits), hexbytes))
    return 0 if hits else 1


def main(argv):
    cmds = {"links": (cmd_links, 1), "versions": (cmd_versions, 3), "dom": (cmd_dom, 3),
            "hexdump": (cmd_hexdump, 2)}
    if len(argv) < 2:
        print(__doc__)
        return 2
    if argv[1] == "search" and len(argv) >= 4:
        return cmd_search(argv[2], argv[3:])
    if argv[1] == "options" and len(argv) in (4, 5):
        return cmd_options(*argv[2:])
    fn, n = cmds.get(argv[1], (None, 0))
    if not fn or len(argv) != n + 2:
        print(__doc__)
        return 2
    return fn(*argv[2:])


if __name__ == "__main__":
    sys.exit(main(sys.argv))
