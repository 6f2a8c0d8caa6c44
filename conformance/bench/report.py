#!/usr/bin/python3
"""Render the benchmark results (luo-bench-run's JSON) as reStructuredText.

    report.py RESULTS.json OUT.rst

The page is included by docs/bench/index.rst; `make bench` writes it to
$(B)/bench/results.rst and copies it to the committed snapshot
docs/bench/results.rst.  Everything on it comes from the JSON.
"""
import json
import sys

MIB = 1024.0 * 1024.0


def ms(s):
    return "%.2f" % (s * 1e3)


def state(img):
    n = img["folio_entries"]
    fsize = 4096 << img["folio_order"]
    data = img["data_bytes"] / (1024.0 ** 3)
    what = "%d session%s x %d file%s" % (img["sessions"], "" if img["sessions"] == 1 else "s",
                                         img["files_per_session"],
                                         "" if img["files_per_session"] == 1 else "s")
    gap = "" if img["stride"] == 1 else ", a gap after each folio"
    return "%s, %s folios of %s (%.4g GiB)%s" % (what, "{:,}".format(n), size(fsize), data, gap)


def size(b):
    for unit, f in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if b >= f:
            return "%.4g %s" % (b / f, unit)
    return "%d B" % b


def table(out, header, rows, widths=None):
    out.append(".. list-table::")
    out.append("   :header-rows: 1")
    if widths:
        out.append("   :widths: " + " ".join(str(w) for w in widths))
    out.append("")
    for row in [header] + rows:
        out.append("   * - " + str(row[0]))
        for cell in row[1:]:
            out.append("     - " + str(cell))
    out.append("")


def verdict(v):
    return {"pass": "**PASS**", "fail": "**FAIL**"}.get(v, "n/a")


def images(out, r):
    out.append("Large states")
    out.append("~~~~~~~~~~~~")
    out.append("")
    out.append("Times are milliseconds of one process each, warm (the image is in the page "
               "cache): CPU time (user + system, from ``wait4``), minimum / median of %d "
               "runs, and the median wall-clock time in parentheses.  The targets use CPU "
               "time, which on an idle machine equals the wall time of these single-threaded "
               "runs and on a busy one leaves out the waits for a core.  *cat* is ``cat "
               "IMAGE >/dev/null``, *read-all* maps the image and reads every word, *touch* "
               "maps it and reads one word per page.  The baseline is the faster of cat and "
               "read-all; *ratio* is the median check time over it.  MB/s is the image's "
               "stored bytes over the median check time.  RSS is the check's peak resident "
               "set, the image's file pages included." % r["reps"])
    out.append("")
    rows = []
    for img in r["images"]:
        c = img["check"]
        rows.append([
            "``%s``" % img["shape"], state(img), size(img["meta_bytes"]),
            "%s / %s (%s)" % (ms(c["min_s"]), ms(c["median_s"]), ms(c["wall_median_s"])),
            both(img["cat"]), both(img["readall"]), both(img["touch"]),
            "%.2fx" % img["ratio"], "%.0f" % img["image_mb_s"],
            "%.1f" % (c["max_rss_kib"] / 1024.0), "%+.1f" % img["rss_over_meta_mib"],
            "%s / %s" % (verdict(img["time_target"]), verdict(img["rss_target"])),
        ])
    table(out, ["shape", "state", "stored", "check ms", "cat ms", "read-all ms",
                "touch ms", "ratio", "MB/s", "peak RSS MiB", "RSS - metadata MiB",
                "time / RSS target"], rows)


def both(series):
    return "%s (%s)" % (ms(series["median_s"]), ms(series["wall_median_s"]))


def scaling(out, r):
    s = r.get("scaling")
    if not s:
        return
    out.append("Scaling")
    out.append("~~~~~~~")
    out.append("")
    out.append("The same memfd at three sizes; the exponent is the slope of a "
               "least-squares fit of log(time) over log(size): 1 is linear.")
    out.append("")
    rows = [["``%s``" % sh, "%.0fx" % f, ms(t)]
            for sh, f, t in zip(s["shapes"], s["factors"], s["median_s"])]
    table(out, ["shape", "size", "check CPU ms (median)"], rows)
    text = ("Exponent **%.3f**; %.0fx the size took %.2fx the time: %s."
            % (s["exponent"], s["factors"][2], s["ratio_16x"], verdict(s["target"])))
    if s.get("exponent_net") is not None:
        text += ("  Without luo-conform's start-up (%s ms, its time on a tiny image) the "
                 "exponent is %.3f." % (ms(s["startup_s"]), s["exponent_net"]))
    out.append(text)
    out.append("")


def fdt(out, r):
    f = r.get("fdt")
    if not f:
        return
    c, d = f["luo_conform"], f["dt_validate"]
    out.append("FDT validation: luo-conform and dt-validate")
    out.append("~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~")
    out.append("")
    img = f.get("luo_conform_images")
    out.append("Each of %d vectors' LUO FDTs, the same file for both tools: ``luo-conform "
               "check`` on it alone (a bare FDT: the rules on the memory it points at are not "
               "checked, and dt-validate sees no memory either) and ``dt-validate`` with the "
               "processed schema.  Both sides run once for all vectors (*batch*, per "
               "FDT = total / count) and once for one vector (*single*: one process, "
               "start-up included); *marginal* is (batch - single) / (count - 1).  The last "
               "row is ``luo-conform check`` on the vectors' whole images (KHO root, memory "
               "map, LUO FDT and every structure in memory).  CPU milliseconds, medians "
               "(wall-clock medians in parentheses)." % f["count"])
    out.append("")
    rows = [
        ["luo-conform check (LUO FDT)", both(c["batch"]), "%.3f" % (c["per_fdt_s"] * 1e3),
         "%.3f" % (c["marginal_s"] * 1e3), both(c["single"])],
        ["dt-validate (LUO FDT)", both(d["batch"]), "%.3f" % (d["per_fdt_s"] * 1e3),
         "%.3f" % (d["marginal_s"] * 1e3), both(d["single"])],
    ]
    if img:
        rows.append(["luo-conform check (whole image)", both(img["batch"]),
                     "%.3f" % (img["per_image_s"] * 1e3), "", ""])
    table(out, ["tool", "batch ms", "per FDT ms", "marginal ms", "single ms"], rows)
    text = ("On the same FDTs luo-conform is **%.0fx** faster per FDT (batched) and %.0fx per "
            "single invocation: %s." % (f["ratio_per_fdt"], f["ratio_single"],
                                         verdict(f["target"])))
    if img:
        text += ("  Checking each vector's whole image instead takes %.3f ms; dt-validate "
                 "on its LUO FDT alone takes %.0fx as long." % (img["per_image_s"] * 1e3,
                                                               img["ratio_per_fdt"]))
    out.append(text)
    out.append("")


def main():
    src, dst = sys.argv[1], sys.argv[2]
    with open(src) as fh:
        r = json.load(fh)
    h = r["host"]
    out = [".. Generated by conformance/bench/report.py from the results of 'make bench'"
           " -- do not edit.", ""]
    out.append("Results")
    out.append("-------")
    out.append("")
    out.append("Measured on %s (%d CPUs), %s, %d repetitions."
               % (h["cpu"], h["cpus"], h["kernel"], r["reps"]))
    out.append("")
    rows = [[t["id"], t["text"], verdict(t["result"]), t["detail"]] for t in r["targets"]]
    table(out, ["target", "what", "result", "measured"], rows)
    images(out, r)
    scaling(out, r)
    fdt(out, r)
    with open(dst, "w") as fh:
        fh.write("\n".join(out).rstrip("\n") + "\n")


if __name__ == "__main__":
    main()
