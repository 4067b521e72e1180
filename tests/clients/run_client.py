#!/usr/bin/env python3
"""Runs one real ODBC client's test script against a real dqlite node.

    run_client.py [--check CMD --hint TEXT]... -- CLIENT ARGS...

Starts a dqlite node (tests/python/nodes.py) on 127.0.0.1, registers the
driver under test in a private odbcinst.ini / odbc.ini (nothing system-wide
is touched), runs the client with DQ_DSN naming the data source (and
DQ_SERVER the node's address), stops the node, and exits with the client's
status. Each --check command runs first: when one fails, or the client
cannot be started, the test FAILS saying which package to install (a
missing client is never a skipped or passing test).

The client prints one line per step of the client matrix (scenario.py names
the steps): `step CLIENT STEP ok|FAIL|n/a [note]`, and `bulk: CLIENT ...`
for its 10,000-row insert (a leading "# " is allowed: TAP comments). The test
fails unless every client it reported covers every step, ok or n/a, with no
FAIL. With DQT_CLIENT_MATRIX_DIR set, those lines are also written to
DIR/CLIENT.txt, which matrix.py turns into the client x step table.

ctest passes DQT_NODE_BIN and DQT_DRIVER_SO in the environment.
"""
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))
import nodes  # noqa: E402
import scenario  # noqa: E402

DSN = "dqclient"
CLIENT_TIMEOUT = 90  # s: a client run takes a few seconds; this only bounds a hang


def fail(msg):
    print("run_client: FAILED: " + msg, file=sys.stderr, flush=True)
    sys.exit(1)


def run_teed(cmd, env):
    """Runs cmd, copying its output to ours as it comes; returns (status or
    None after CLIENT_TIMEOUT, the lines it printed)."""
    lines = []
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    timer = threading.Timer(CLIENT_TIMEOUT, proc.kill)
    timer.start()
    try:
        for raw in proc.stdout:
            sys.stdout.buffer.write(raw)  # as the client wrote it, whatever our locale
            sys.stdout.buffer.flush()
            lines.append(raw.decode(errors="replace").rstrip("\n"))
        rc = proc.wait()
    finally:
        timed_out = not timer.is_alive()
        timer.cancel()
        proc.stdout.close()
    return (None if timed_out and rc != 0 else rc), lines


def main(argv):
    checks = []
    while argv and argv[0] != "--":
        if argv[0] == "--check" and len(argv) >= 4 and argv[2] == "--hint":
            checks.append((argv[1], argv[3]))
            argv = argv[4:]
        else:
            fail("usage: run_client.py [--check CMD --hint TEXT]... -- CLIENT ARGS...")
    client = argv[1:]
    if not client:
        fail("no client command given")
    if shutil.which(client[0]) is None:
        fail("%s is not installed (%s)" % (client[0], checks[0][1] if checks else "see cmake/install-deps.sh"))
    for cmd, hint in checks:
        try:
            r = subprocess.run(shlex.split(cmd), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               timeout=60)
        except (OSError, subprocess.TimeoutExpired) as e:
            fail("`%s` could not run (%s): %s" % (cmd, e, hint))
        if r.returncode != 0:
            fail("`%s` failed: %s\n%s" % (cmd, hint, r.stdout.decode(errors="replace")))

    root = tempfile.mkdtemp(prefix="dqodbc-client-")
    node = nodes.Node(root=os.path.join(root, "nodes"))
    try:
        node.start()
        nodes.register_driver(root, DSN, node.address, database="clients")
        env = dict(os.environ, DQ_DSN=DSN, DQ_SERVER=node.address)
        print("run_client: node %s, running %s" % (node.address, " ".join(client)), flush=True)
        rc, lines = run_teed(client, env)
        if rc is None:
            fail("%s did not finish within %d s" % (client[0], CLIENT_TIMEOUT))
        problems = scenario.check_lines(lines)
        scenario.save_lines(lines, os.environ.get("DQT_CLIENT_MATRIX_DIR"))
        if rc != 0:
            fail("%s exited with status %d%s" % (" ".join(client), rc,
                                                 "".join("\n  " + p for p in problems)))
        if problems:
            fail("the client matrix is incomplete:" + "".join("\n  " + p for p in problems))
        return 0
    finally:
        node.stop()
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
