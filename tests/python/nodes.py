"""Real dqlite nodes and a private unixODBC configuration for the pyodbc tests.

A node is tests/node/dqlite-test-node (Debian's libdqlite) in its own process on
127.0.0.1 and a free port, with a fresh data directory. The driver under test
(the freshly built libdqliteodbc.so) is registered in a temporary ODBCSYSINI,
so the real unixODBC driver manager loads it; nothing system-wide is touched.

ctest passes DQT_NODE_BIN and DQT_DRIVER_SO in the environment.
"""
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time


def _free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Node:
    """One dqlite node process. Use as a context manager or call stop()."""

    def __init__(self, node_id=1, root=None):
        self.node_bin = os.environ["DQT_NODE_BIN"]
        self.root = root or tempfile.mkdtemp(prefix="dqodbc-py-")
        self.node_id = node_id
        self.proc = None
        self.port = None
        self.address = None

    def start(self, attempts=5):
        for _ in range(attempts):
            self.port = _free_port()
            self.address = "127.0.0.1:%d" % self.port
            data = os.path.join(self.root, "node%d-%d" % (self.node_id, self.port))
            os.makedirs(data)
            self.log = open(os.path.join(self.root, "node%d.log" % self.node_id), "wb")
            self.proc = subprocess.Popen(
                [self.node_bin, "--id", str(self.node_id), "--address", self.address,
                 "--dir", data, "--latency-ms", "5"],
                stdout=subprocess.PIPE, stderr=self.log)
            line = self._read_ready(10.0)
            if line == b"ready":
                self._wait_port(10.0)
                return self
            self.proc.kill()
            self.proc.wait()
            self._close_pipes()
            self.proc = None
        raise RuntimeError("dqlite node did not start after %d attempts" % attempts)

    def _read_ready(self, timeout):
        import select
        deadline = time.monotonic() + timeout
        buf = b""
        while time.monotonic() < deadline:
            r, _, _ = select.select([self.proc.stdout], [], [], 0.1)
            if r:
                chunk = os.read(self.proc.stdout.fileno(), 64)
                if not chunk:
                    return None
                buf += chunk
                if b"\n" in buf:
                    return buf.split(b"\n")[0].strip()
            if self.proc.poll() is not None:
                return None
        return None

    def _wait_port(self, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("node port %d never accepted a connection" % self.port)

    def _close_pipes(self):
        if self.proc and self.proc.stdout:
            self.proc.stdout.close()
        if getattr(self, "log", None):
            self.log.close()
            self.log = None

    def kill(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        self._close_pipes()
        self.proc = None
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def register_driver(root, dsn, server, database="test", extra="", pooling=False,
                    set_env=True):
    """Writes odbcinst.ini/odbc.ini under root and points unixODBC at them.

    pooling: unixODBC's own pool on ([ODBC] Pooling = Yes, CPTimeout = 60 on
    the driver). Returns the environment variables that point unixODBC at
    root; with set_env (the default) they are also set in this process, which
    must happen before pyodbc makes its first connection here.
    """
    driver = os.environ["DQT_DRIVER_SO"]
    with open(os.path.join(root, "odbcinst.ini"), "w") as f:
        if pooling:
            f.write("[ODBC]\nPooling = Yes\n\n")
        f.write("[dqlite-test]\nDriver = %s\nThreading = 0\n%s"
                % (driver, "CPTimeout = 60\n" if pooling else ""))
    with open(os.path.join(root, "odbc.ini"), "w") as f:
        f.write("[%s]\nDriver = dqlite-test\nServer = %s\nDatabase = %s\n%s\n"
                % (dsn, server, database, extra))
    env = {"ODBCSYSINI": root, "ODBCINSTINI": "odbcinst.ini",
           "ODBCINI": os.path.join(root, "odbc.ini")}
    if set_env:
        os.environ.update(env)
    return env


def start_with_dsn(prefix, dsn, database):
    """A fresh node in a new temporary root, registered as dsn (the module
    fixture of the pyodbc suites). Stop it with stop()."""
    root = tempfile.mkdtemp(prefix=prefix)
    node = Node(root=os.path.join(root, "nodes")).start()
    register_driver(root, dsn, node.address, database=database)
    return node
