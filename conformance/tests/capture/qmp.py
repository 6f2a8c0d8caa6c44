#!/usr/bin/python3
# SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
"""qmp.py SOCKET COMMAND [ARGS...] - one QMP command to a running QEMU.

Test glue for conformance/tests/capture (standard library only):
  qmp.py SOCK dump FILE [BEGIN LENGTH]   dump-guest-memory to FILE (ELF),
                                          optionally only [BEGIN, BEGIN+LENGTH)
  qmp.py SOCK quit                        stop QEMU
Waits for the command's reply (dump-guest-memory without detach returns
when the file is complete); exits 1 with QEMU's error message on failure.
"""
import json
import os
import socket
import sys


def reply(f):
    """The next command reply; asynchronous events are skipped."""
    while True:
        line = f.readline()
        if not line:
            raise SystemExit("qmp: QEMU closed the connection")
        msg = json.loads(line)
        if "return" in msg or "error" in msg:
            return msg


def command(f, name, args=None):
    req = {"execute": name}
    if args:
        req["arguments"] = args
    f.write(json.dumps(req) + "\n")
    f.flush()
    return reply(f) if name != "quit" else {"return": {}}


def main(argv):
    if len(argv) < 3:
        raise SystemExit(__doc__)
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.connect(argv[1])
    f = sock.makefile("rw")
    json.loads(f.readline())            # greeting
    command(f, "qmp_capabilities")
    if argv[2] == "dump":
        args = {"paging": False, "protocol": "file:" + os.path.abspath(argv[3])}
        if len(argv) == 6:
            args["begin"] = int(argv[4], 0)
            args["length"] = int(argv[5], 0)
        res = command(f, "dump-guest-memory", args)
    elif argv[2] == "quit":
        res = command(f, "quit")
    else:
        raise SystemExit("qmp: unknown command " + argv[2])
    if "error" in res:
        raise SystemExit("qmp: " + res["error"].get("desc", str(res["error"])))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
