"""pyodbc with pyodbc.pooling = True over unixODBC's own pool (issue 15).

unixODBC reads [ODBC] Pooling once, when the process allocates its first
environment, so the scenario runs in a child interpreter with its own
odbcinst.ini (Pooling = Yes, CPTimeout = 60 on the driver). pyodbc 4.0.34 is
an ODBC 3.0 application: unixODBC never asks the driver to reset such a
connection, and the driver's hand-over check (driver/pooling.c) is what keeps
one user's work from the next.

Which TCP connection a user got is read from /proc/net/tcp: the local ports
of the established connections to the node.
"""
import json
import os
import subprocess
import sys
import tempfile
import unittest

import nodes

DSN = "dqpool"


def established_ports(node_port):
    """Local ports of this process's established TCP connections to node_port."""
    ports = set()
    with open("/proc/net/tcp") as f:
        next(f)
        for line in f:
            fields = line.split()
            local, remote, state = fields[1], fields[2], fields[3]
            if state == "01" and int(remote.split(":")[1], 16) == node_port:
                ports.add(int(local.split(":")[1], 16))
    return sorted(ports)


def child(node_port):
    """The scenario; prints one JSON object of observations."""
    import pyodbc
    pyodbc.pooling = True
    seen = {}

    def connect(autocommit):
        return pyodbc.connect("DSN=%s" % DSN, autocommit=autocommit, timeout=10)

    def count_and_commit():
        """A managed user: the connection it got, the rows it sees; commits."""
        u = connect(False)
        ports = established_ports(node_port)
        n = u.execute("SELECT count(*) FROM p").fetchone()[0]
        u.commit()
        u.close()
        return ports, n

    c = connect(False)
    c.execute("CREATE TABLE p (x INTEGER)")
    c.commit()
    c.close()
    seen["pooled_after_close"] = established_ports(node_port)

    # A writes in a transaction and leaves without committing (pyodbc itself
    # rolls back in close())
    a = connect(False)
    seen["a_ports"] = established_ports(node_port)
    a.execute("INSERT INTO p VALUES (1)")
    a.close()

    # B: nothing of A's, and B's commit commits nothing of A's
    seen["b_ports"], seen["b_count"] = count_and_commit()

    # C (autocommit requested: unmanaged) opens a savepoint the driver cannot
    # track by name, writes, and leaves: pyodbc does not roll back for it
    cc = connect(True)
    cc.execute('SAVEPOINT "weird name"')
    cc.execute("INSERT INTO p VALUES (3)")
    seen["c_ports"] = established_ports(node_port)
    cc.close()

    seen["d_ports"], seen["d_count"] = count_and_commit()

    # a proper user: the write lands
    e = connect(False)
    e.execute("INSERT INTO p VALUES (5)")
    e.commit()
    e.close()
    f = connect(False)
    seen["final_rows"] = [r[0] for r in f.execute("SELECT x FROM p ORDER BY x")]
    f.commit()
    f.close()
    print(json.dumps(seen))


class PyodbcPooling(unittest.TestCase):
    def test_pooled_users_see_nothing_of_each_other(self):
        root = tempfile.mkdtemp(prefix="dqodbc-pypool-")
        node = nodes.Node(root=os.path.join(root, "nodes")).start()
        try:
            env = dict(os.environ, **nodes.register_driver(
                root, DSN, node.address, database="pool", pooling=True, set_env=False))
            out = subprocess.run([sys.executable, __file__, "--child", str(node.port)],
                                 env=env, capture_output=True, text=True, timeout=120)
            self.assertEqual(out.returncode, 0, out.stderr)
            seen = json.loads(out.stdout.strip().splitlines()[-1])
        finally:
            node.stop()

        # the driver manager really pools: a closed connection stays open
        self.assertEqual(len(seen["pooled_after_close"]), 1, seen)
        self.assertEqual(seen["a_ports"], seen["pooled_after_close"], seen)
        # A's uncommitted row: invisible to B, never committed
        self.assertEqual(seen["b_count"], 0, seen)
        # pyodbc rolls back when it closes a connection with autocommit off,
        # so A left nothing: B got A's connection (the pool works)
        self.assertEqual(seen["b_ports"], seen["a_ports"], seen)
        # C's savepoint work: invisible to D, and D is not on C's connection
        self.assertEqual(seen["d_count"], 0, seen)
        self.assertNotEqual(seen["d_ports"], seen["c_ports"], seen)
        self.assertEqual(seen["final_rows"], [5], seen)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        child(int(sys.argv[2]))
    else:
        unittest.main()
