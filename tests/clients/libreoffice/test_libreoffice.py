#!/usr/bin/env python3
"""LibreOffice (headless) as a real client of dqlite-odbc, through its ODBC
SDBC bridge (sdbc:odbc: URLs, libodbclo.so), driven from Python UNO.

Run by tests/clients/run_client.py, which starts a node, registers the driver
and names the data source in DQ_DSN and the node in DQ_SERVER (DQT_DRIVER_SO
names the driver library, used by the connection-string case). Starts its own
soffice with a private user profile in a temporary directory, accepting UNO
on a private pipe, and kills it (its whole process group) at the end, also on
failure. Prints one line per step, `step <name> ok|FAIL|n.a. <reason>`, and
the bulk line; exits 1 when a step failed.

Needs Debian's libreoffice-base-drivers (the ODBC bridge, with
libreoffice-core-nogui), libreoffice-base-core (DatabaseContext, RowSet) and
python3-uno; run with Debian's /usr/bin/python3 (python3-uno is built for it).
"""
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import scenario  # noqa: E402  (the client matrix's steps: tests/clients/scenario.py)

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException
from com.sun.star.sdbc import SQLException
from com.sun.star.sdbc.DataType import (BIGINT, BIT, BOOLEAN, DATE, DECIMAL, DOUBLE, INTEGER,
                                        LONGVARBINARY, LONGVARCHAR, TIMESTAMP, VARCHAR)
from com.sun.star.util import Date, DateTime

DSN = os.environ["DQ_DSN"]
SERVER = os.environ["DQ_SERVER"]
DRIVER_SO = os.environ["DQT_DRIVER_SO"]
START_TIMEOUT = 60  # s: soffice answers on its pipe in about a second
# s, for the whole run, a retry included (one run takes 6 to 35 s by the
# machine's load). Past this a watchdog kills soffice, which
# ends any UNO call that hangs with an exception; it stays under
# run_client.py's CLIENT_TIMEOUT, whose kill would not reach soffice's group.
RUN_TIMEOUT = 80
QUIT_TIMEOUT = 10  # s: a quit takes well under a second
BULK_ROWS = 10000

failed = []
bridge_lost = []  # steps that failed because soffice's UNO bridge went away


def step(name, status, reason=""):
    """Prints a step's outcome: a step of the client matrix as
    `step libreoffice STEP ok|FAIL|n/a` (scenario.py), a LibreOffice-only
    check as `check libreoffice NAME ...` (not part of the matrix)."""
    if name in scenario.STEPS:
        line = "step libreoffice %s %s" % (name, "n/a" if status == "n.a." else status)
    else:
        line = "check libreoffice %s %s" % (name, status)
    print(line + (" " + reason if reason else ""), flush=True)
    if status == "FAIL":
        failed.append(name)


class Fail(Exception):
    """A check that did not hold; its message says what was seen."""


def check(cond, what):
    if not cond:
        raise Fail(what)


def same(got, want, what):
    check(got == want, "%s: got %r, want %r" % (what, got, want))


def run_step(name, fn):
    """Runs one step: ok when fn returns None, n.a. when it returns a reason."""
    try:
        na = fn()
    except Fail as e:
        step(name, "FAIL", str(e))
    except Exception as e:  # an unexpected UNO / SQL exception
        step(name, "FAIL", "%s: %s" % (type(e).__name__, getattr(e, "Message", e)))
        traceback.print_exc()
        if type(e).__name__.endswith("DisposedException"):
            bridge_lost.append(name)
    else:
        if na:
            step(name, "n.a.", na)
        else:
            step(name, "ok")


def pv(name, value):
    p = PropertyValue()
    p.Name = name
    p.Value = value
    return p


def sqlstate_of(fn):
    """The SQLState of the SQLException fn raises (None when it raises none)."""
    try:
        fn()
    except SQLException as e:
        return e.SQLState
    return None


def one(con, sql):
    """The first column of the first row of sql, read as a string."""
    rs = con.createStatement().executeQuery(sql)
    check(rs.next(), "%s returned no row" % sql)
    return rs.getString(1)


class Office:
    """A headless soffice on a private pipe with a private user profile."""

    def __init__(self):
        self.profile = tempfile.mkdtemp(prefix="dqodbc-lo-profile-")
        self.pipe = "dqodbc_lo_%d" % os.getpid()
        args = ["soffice", "--headless", "--invisible", "--norestore", "--nologo",
                "--nodefault", "--nolockcheck", "-env:UserInstallation=file://" + self.profile]
        # its own session: soffice is a launcher that starts soffice.bin,
        # so the whole process group is killed at the end
        self.proc = subprocess.Popen(
            args + ["--accept=pipe,name=%s;urp;" % self.pipe],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True)

    def connect(self):
        """The office's component context, waiting at most START_TIMEOUT."""
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", local)
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                return resolver.resolve("uno:pipe,name=%s;urp;StarOffice.ComponentContext"
                                        % self.pipe)
            except NoConnectException:
                if self.proc.poll() is not None:
                    raise Fail("soffice exited with status %d" % self.proc.returncode)
                if time.monotonic() > deadline:
                    raise Fail("soffice did not accept on its pipe within %d s" % START_TIMEOUT)
                time.sleep(0.2)

    def kill_group(self):
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    def stop(self, ctx):
        """Asks soffice to quit (ctx: its component context, or None), waits
        at most QUIT_TIMEOUT, then kills its process group in any case."""
        if ctx is not None:
            try:
                ctx.ServiceManager.createInstanceWithContext(
                    "com.sun.star.frame.Desktop", ctx).terminate()
            except Exception:  # the bridge closes as soffice quits
                pass
            try:
                self.proc.wait(timeout=QUIT_TIMEOUT)
            except subprocess.TimeoutExpired:
                print("soffice did not quit within %d s: killing it" % QUIT_TIMEOUT, flush=True)
        self.kill_group()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            print("soffice (pid %d) did not exit after SIGKILL" % self.proc.pid, flush=True)
        shutil.rmtree(self.profile, ignore_errors=True)


UTF8 = (pv("CharSet", "UTF-8"),)
TEXT = "h\u00e9 \u20ac \U0001F600"  # Latin-1, BMP and a non-BMP character
BLOB = bytes((i * 7 + 1) % 256 for i in range(1 << 20))  # scenario.py's BLOB


class Scenario:
    """The steps of one run, in order (STEPS). They share the office and,
    from ddl to tx_idiom, one managed connection (self.con, with a
    statement self.st); the other steps make their own connections."""

    STEPS = ("connect_dsn", "connect_string", "autocommit", "charset_default", "ddl",
             "params", "nulls", "blob_1mb", "batch_api", "bulk_10000", "tables", "columns",
             "syntax_error", "duplicate_key", "rollback", "tx_idiom", "base_rowset",
             "base_table_design", "close_pending")
    SHARED = ("ddl", "tx_idiom")  # the first and last step using self.con

    def __init__(self, ctx):
        self.ctx = ctx
        self.dm = ctx.ServiceManager.createInstanceWithContext(
            "com.sun.star.sdbc.DriverManager", ctx)
        self.con = None
        self.st = None

    def run(self):
        for name in self.STEPS:
            if name == self.SHARED[0]:
                self.con = self.connect()
                self.st = self.con.createStatement()
            run_step(name, getattr(self, name))
            if name == self.SHARED[1]:
                self.con.close()

    def connect(self, url=None, info=UTF8, managed=True):
        """A new connection to url (the DSN by default); managed: with
        setAutoCommit(False), so the driver begins and commit() / rollback()
        end."""
        con = self.dm.getConnectionWithInfo(url or "sdbc:odbc:" + DSN, info)
        if managed:
            con.setAutoCommit(False)
        return con

    def connect_dsn(self):
        con = self.connect(managed=False)
        same(one(con, "SELECT 40 + 2"), "42", "SELECT 40 + 2 by DSN")
        same(con.getMetaData().getDatabaseProductName(), "dqlite", "product name")
        con.close()

    def connect_string(self):
        # LibreOffice makes "DSN=" + the rest of the URL its SQLDriverConnect
        # string: a leading ';' leaves the DSN empty, and the keywords follow
        url = "sdbc:odbc:;Driver=%s;Server=%s;Database=lo_connstr" % (DRIVER_SO, SERVER)
        con = self.connect(url, managed=False)
        same(one(con, "SELECT 40 + 2"), "42", "SELECT 40 + 2 by connection string")
        con.close()
        # without it, "DSN=Driver=..." is refused by unixODBC (IM002 for a
        # driver name, IM012 for a path)
        url = "sdbc:odbc:Driver=%s;Server=%s" % (DRIVER_SO, SERVER)
        state = sqlstate_of(lambda: self.dm.getConnectionWithInfo(url, UTF8))
        check(state in ("IM002", "IM012"),
              "a connection string without the leading ';': got %r, want IM002 or IM012" % state)

    def autocommit(self):
        con = self.connect(managed=False)
        st = con.createStatement()
        same(con.getAutoCommit(), False, "getAutoCommit() of a new connection (the driver reads OFF)")
        same(sqlstate_of(lambda: st.executeUpdate("CREATE TABLE never (i INTEGER)")), "25000",
             "a write before setAutoCommit(False)")
        # ON is answered with 01S02 (SQL_SUCCESS_WITH_INFO): LibreOffice
        # raises nothing and keeps no warning; the attribute stays OFF
        con.clearWarnings()
        con.setAutoCommit(True)
        same(con.getAutoCommit(), False, "getAutoCommit() after setAutoCommit(True)")
        same(con.getWarnings(), None, "warnings kept after setAutoCommit(True)")
        same(sqlstate_of(lambda: st.executeUpdate("CREATE TABLE never (i INTEGER)")), "25000",
             "a write after setAutoCommit(True)")
        # unmanaged: the application's own BEGIN ... COMMIT in SQL
        st.execute("BEGIN")
        st.executeUpdate("CREATE TABLE raw (i INTEGER)")
        st.execute("COMMIT")
        same(one(con, "SELECT count(*) FROM sqlite_master WHERE name = 'raw'"), "1",
             "a write between raw BEGIN and COMMIT")
        con.setAutoCommit(False)
        st.executeUpdate("CREATE TABLE ac (i INTEGER)")
        con.commit()
        same(one(con, "SELECT count(*) FROM sqlite_master WHERE name = 'ac'"), "1",
             "a write after setAutoCommit(False), committed")
        con.commit()
        con.close()

    def charset_default(self):
        # without CharSet LibreOffice converts strings to Windows-1252 and
        # binds them as SQL_C_CHAR: not UTF-8, and other text is lost
        con = self.connect(info=())
        con.createStatement().executeUpdate("CREATE TABLE cs (t TEXT)")
        ps = con.prepareStatement("INSERT INTO cs VALUES (?)")
        ps.setString(1, TEXT)
        ps.executeUpdate()
        stored = one(con, "SELECT hex(t) FROM cs")
        con.rollback()
        con.close()
        same(stored, "68E92080203F", "bytes stored without CharSet (Windows-1252, '?' for U+1F600)")

    def ddl(self):
        self.st.executeUpdate("CREATE TABLE v (id INTEGER PRIMARY KEY, t TEXT, n INTEGER, "
                              "r REAL, b BLOB, d DATE, ts TIMESTAMP, f BOOLEAN)")
        self.st.executeUpdate("CREATE TABLE bulk (id INTEGER PRIMARY KEY, s TEXT)")
        self.con.commit()
        same(one(self.con, "SELECT count(*) FROM sqlite_master WHERE name IN ('v', 'bulk')"),
             "2", "tables created")
        self.con.commit()

    def params(self):
        """Rows 1 (every value) and 2 (NULL in every column) of v, as typed
        parameters; row 1 read back exactly (its BLOB: blob_1mb)."""
        ps = self.con.prepareStatement("INSERT INTO v VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        ps.setInt(1, 1)
        ps.setString(2, TEXT)
        ps.setLong(3, 2 ** 62)
        ps.setDouble(4, 1.5e-10)
        ps.setBytes(5, uno.ByteSequence(BLOB))
        ps.setDate(6, Date(3, 12, 2026))  # Day, Month, Year
        # NanoSeconds, Seconds, Minutes, Hours, Day, Month, Year, IsUTC
        ps.setTimestamp(7, DateTime(123456000, 12, 11, 10, 3, 12, 2026, False))
        ps.setBoolean(8, True)
        same(ps.executeUpdate(), 1, "rows inserted (values)")
        ps.setInt(1, 2)
        for i, t in zip(range(2, 9), (LONGVARCHAR, BIGINT, DOUBLE, LONGVARBINARY, DATE,
                                      TIMESTAMP, BIT)):
            ps.setNull(i, t)
        same(ps.executeUpdate(), 1, "rows inserted (NULLs)")
        ps.close()
        self.con.commit()

        rs = self.st.executeQuery("SELECT t, n, r, b, d, ts, f FROM v WHERE id = 1")
        check(rs.next(), "row 1 is there")
        same(rs.getString(1), TEXT, "non-BMP text")
        same(rs.getLong(2), 2 ** 62, "2^62")
        same(rs.getDouble(3), 1.5e-10, "1.5e-10")
        d = rs.getDate(5)
        same((d.Year, d.Month, d.Day), (2026, 12, 3), "date")
        ts = rs.getTimestamp(6)
        same((ts.Year, ts.Month, ts.Day, ts.Hours, ts.Minutes, ts.Seconds, ts.NanoSeconds),
             (2026, 12, 3, 10, 11, 12, 123456000), "timestamp")
        same(rs.getBoolean(7), True, "boolean")
        rs.close()
        same(one(self.con, "SELECT typeof(n) || ' ' || typeof(r) || ' ' || typeof(b) || ' ' || "
                           "hex(t) FROM v WHERE id = 1"),
             "integer real blob 68C3A920E282AC20F09F9880", "storage classes and UTF-8 bytes")
        self.con.commit()

    def nulls(self):
        """Row 2 of v (params): NULL in every column."""
        rs = self.st.executeQuery("SELECT t, n, r, b, d, ts FROM v WHERE id = 2")
        check(rs.next(), "row 2 is there")
        nulls = []
        for i, get in enumerate((rs.getString, rs.getLong, rs.getDouble, rs.getBytes,
                                 rs.getDate, rs.getTimestamp), 1):
            get(i)
            nulls.append(rs.wasNull())
        same(nulls, [True] * 6, "wasNull() for t, n, r, b, d, ts")
        rs.close()
        # a released server (1.11) sends NULL in a BOOLEAN column as
        # BOOLEAN(0), which reads false (docs/types.md): typeof() shows what
        # is stored
        same(one(self.con, "SELECT typeof(t) || typeof(n) || typeof(r) || typeof(b) || "
                           "typeof(d) || typeof(ts) || typeof(f) FROM v WHERE id = 2"),
             "null" * 7, "NULL stored in every column")
        self.con.commit()

    def blob_1mb(self):
        """Row 1's BLOB (params: setBytes of 1 MiB), read back byte for byte."""
        rs = self.st.executeQuery("SELECT b FROM v WHERE id = 1")
        check(rs.next(), "row 1 is there")
        same(rs.getBytes(1).value, BLOB, "1 MiB blob")
        rs.close()
        same(one(self.con, "SELECT typeof(b) || ' ' || length(b) FROM v WHERE id = 1"),
             "blob %d" % len(BLOB), "stored as a BLOB of 1 MiB")
        self.con.commit()

    def batch_api(self):
        ps = self.con.prepareStatement("INSERT INTO bulk VALUES (?, ?)")
        ps.setInt(1, 1)
        ps.setString(2, "x")
        state = sqlstate_of(ps.addBatch)
        ps.close()
        self.con.rollback()
        same(state, "IM001", "XPreparedBatchExecution.addBatch")
        return ("LibreOffice's ODBC bridge refuses XPreparedBatchExecution.addBatch (IM001, "
                "its own) and hides XBatchExecution from pyuno: bulk is a loop of prepared executes")

    def bulk_10000(self):
        ps = self.con.prepareStatement("INSERT INTO bulk VALUES (?, ?)")
        t0 = time.monotonic()
        for i in range(1, BULK_ROWS + 1):
            ps.setInt(1, i)
            ps.setString(2, "row %d" % i)
            ps.executeUpdate()
        self.con.commit()
        dt = time.monotonic() - t0
        ps.close()
        print("bulk: libreoffice %d rows in %.2f s (%.0f rows/s)" % (BULK_ROWS, dt, BULK_ROWS / dt),
              flush=True)
        same(one(self.con, "SELECT count(*) || ' ' || sum(id) FROM bulk"), "10000 50005000",
             "rows committed")
        self.con.commit()

    def tables(self):
        md = self.con.getMetaData()
        rs = md.getTables(None, "%", "%", ("TABLE",))
        names = []
        while rs.next():
            names.append(rs.getString(3))
        check({"v", "bulk", "ac"} <= set(names), "getTables lists v, bulk, ac: %r" % names)
        self.con.commit()

    def columns(self):
        rs = self.con.getMetaData().getColumns(None, "%", "v", "%")
        cols = []
        while rs.next():
            cols.append((rs.getString(4), rs.getInt(5), rs.getString(6)))
        same(cols, [("id", BIGINT, "INTEGER"), ("t", LONGVARCHAR, "TEXT"),
                    ("n", BIGINT, "INTEGER"), ("r", DOUBLE, "REAL"),
                    ("b", LONGVARBINARY, "BLOB"), ("d", DATE, "DATE"),
                    ("ts", TIMESTAMP, "TIMESTAMP"), ("f", BIT, "BOOLEAN")],
             "getColumns(v): name, DATA_TYPE, TYPE_NAME")
        self.con.commit()

    def syntax_error(self):
        same(sqlstate_of(lambda: self.st.executeQuery("SELEC 1")), "42000", "syntax error")
        self.con.rollback()

    def duplicate_key(self):
        same(sqlstate_of(lambda: self.st.executeUpdate("INSERT INTO bulk VALUES (1, 'dup')")),
             "23000", "duplicate key")
        self.con.rollback()

    def rollback(self):
        self.st.executeUpdate("INSERT INTO bulk VALUES (20001, 'gone')")
        same(one(self.con, "SELECT count(*) FROM bulk WHERE id = 20001"), "1",
             "seen before rollback")
        self.con.rollback()
        same(one(self.con, "SELECT count(*) FROM bulk WHERE id = 20001"), "0",
             "gone after rollback")
        self.con.commit()

    def tx_idiom(self):
        other = self.connect()
        self.st.executeUpdate("INSERT INTO bulk VALUES (20002, 'kept')")
        same(one(other, "SELECT count(*) FROM bulk WHERE id = 20002"), "0",
             "another connection before commit")
        other.commit()
        self.con.commit()
        same(one(other, "SELECT s FROM bulk WHERE id = 20002"), "kept",
             "another connection after commit")
        other.commit()
        other.close()

    def base_rowset(self):
        # the way Base forms work: a DatabaseContext data source, its sdbcx
        # tables / columns / keys, the query composer, and a RowSet that
        # inserts, updates and deletes (LibreOffice writes the SQL itself)
        smgr = self.ctx.ServiceManager
        ds = smgr.createInstanceWithContext("com.sun.star.sdb.DatabaseContext",
                                            self.ctx).createInstance()
        ds.URL = "sdbc:odbc:" + DSN
        ds.Info = UTF8
        con = ds.getIsolatedConnection("", "")  # a shared one refuses setAutoCommit
        con.setAutoCommit(False)
        tab = con.getTables().getByName("v")
        same(tab.getColumns().getElementNames(), ("id", "t", "n", "r", "b", "d", "ts", "f"),
             "sdbcx columns of v")
        same(tab.getKeys().getCount(), 1, "sdbcx keys of v (the primary key)")
        comp = con.createInstance("com.sun.star.sdb.SingleSelectQueryComposer")
        comp.setQuery("SELECT id, s FROM bulk")
        comp.setFilter("id = 7")
        same(one(con, comp.getQuery()), "7", "composed query " + comp.getQuery())
        rowset = smgr.createInstanceWithContext("com.sun.star.sdb.RowSet", self.ctx)
        rowset.ActiveConnection = con
        rowset.CommandType = 0  # com.sun.star.sdb.CommandType.TABLE
        rowset.Command = "bulk"
        rowset.Filter = "id BETWEEN 1 AND 3"
        rowset.ApplyFilter = True
        rowset.Order = "id"
        rowset.execute()
        rowset.moveToInsertRow()
        rowset.updateInt(1, 30001)
        rowset.updateString(2, "inserted")
        rowset.insertRow()
        check(rowset.first(), "the RowSet has a first row")
        rowset.updateString(2, "updated")
        rowset.updateRow()
        check(rowset.next(), "the RowSet has a second row")
        rowset.deleteRow()
        con.commit()
        rowset.dispose()
        same(one(con, "SELECT group_concat(id || '=' || s, ' ') FROM bulk "
                      "WHERE id BETWEEN 1 AND 3 OR id = 30001"),
             "1=updated 3=row 3 30001=inserted", "RowSet insert, update and delete")
        con.commit()
        con.close()

    def base_table_design(self):
        # Base's table designer: sdbcx descriptors, from which LibreOffice
        # writes CREATE TABLE with the type names getTypeInfo gives
        ds = self.ctx.ServiceManager.createInstanceWithContext(
            "com.sun.star.sdb.DatabaseContext", self.ctx).createInstance()
        ds.URL = "sdbc:odbc:" + DSN
        ds.Info = UTF8
        con = ds.getIsolatedConnection("", "")
        con.setAutoCommit(False)
        tables = con.getTables()
        td = tables.createDataDescriptor()
        td.Name = "designed"
        cols = td.getColumns()
        for name, typ, tname, prec, scale in (("id", INTEGER, "INTEGER", 10, 0),
                                              ("name", VARCHAR, "VARCHAR", 50, 0),
                                              ("amount", DECIMAL, "DECIMAL", 10, 2),
                                              ("d", DATE, "DATE", 0, 0),
                                              ("flag", BOOLEAN, "BOOLEAN", 0, 0)):
            cd = cols.createDataDescriptor()
            cd.Name, cd.Type, cd.TypeName, cd.Precision, cd.Scale = name, typ, tname, prec, scale
            cd.IsNullable = 0 if name == "id" else 1  # com.sun.star.sdbc.ColumnValue
            cols.appendByDescriptor(cd)
        keys = td.getKeys()
        kd = keys.createDataDescriptor()
        kd.Type = 1  # com.sun.star.sdbcx.KeyType.PRIMARY
        kcd = kd.getColumns().createDataDescriptor()
        kcd.Name = "id"
        kd.getColumns().appendByDescriptor(kcd)
        keys.appendByDescriptor(kd)
        tables.appendByDescriptor(td)
        con.commit()
        same(one(con, "SELECT sql FROM sqlite_master WHERE name = 'designed'"),
             'CREATE TABLE "designed" ("id" INTEGER NOT NULL,"name" VARCHAR(50),'
             '"amount" DECIMAL(10,2),"d" DATE,"flag" BOOLEAN, PRIMARY KEY  ("id"))',
             "the table LibreOffice created")
        con.commit()
        same(con.getTables().getByName("designed").getKeys().getCount(), 1,
             "sdbcx keys of the new table")
        con.close()

    def close_pending(self):
        # LibreOffice ignores SQLDisconnect's 25000 (uncommitted writes): the
        # ODBC connection is never freed and its transaction holds the
        # database's write lock until soffice exits. A database of its own,
        # and a short BusyTimeout for the witness.
        url = "sdbc:odbc:;Driver=%s;Server=%s;Database=lo_close" % (DRIVER_SO, SERVER)
        con = self.connect(url)
        con.createStatement().executeUpdate("CREATE TABLE p (i INTEGER)")
        con.commit()
        con.createStatement().executeUpdate("INSERT INTO p VALUES (1)")
        con.close()  # raises nothing
        witness = self.connect(url + ";BusyTimeout=300")
        state = sqlstate_of(lambda: witness.createStatement().executeUpdate(
            "INSERT INTO p VALUES (2)"))
        witness.rollback()
        same(one(witness, "SELECT count(*) FROM p"), "0", "rows the closed connection left")
        witness.commit()
        witness.close()
        same(state, "HY000", "a write while the closed connection's transaction is open "
             "(database is locked)")


def attempt(limit):
    """One run of the scenario on a new soffice, killed after limit
    seconds: 0, or 1 with the failed steps printed."""
    office = Office()

    def expire():
        print("the run took more than %.0f s: killing soffice" % limit, flush=True)
        failed.append("timeout")
        office.kill_group()
    watchdog = threading.Timer(limit, expire)
    watchdog.daemon = True
    watchdog.start()
    ctx = None
    try:
        try:
            ctx = office.connect()
        except Exception as e:
            step("soffice", "FAIL", str(e))
            return 1
        step("soffice", "ok")
        try:
            Scenario(ctx).run()
        except Exception as e:  # outside a step: closing the shared connection
            step("scenario", "FAIL", "%s: %s" % (type(e).__name__, getattr(e, "Message", e)))
            traceback.print_exc()
            if type(e).__name__.endswith("DisposedException"):
                bridge_lost.append("scenario")
    finally:
        watchdog.cancel()
        if bridge_lost:
            print("soffice's UNO bridge went away during %s (soffice: %s)"
                  % (", ".join(bridge_lost),
                     "running" if office.proc.poll() is None
                     else "exit status %d" % office.proc.returncode), flush=True)
        office.stop(ctx)
    if failed:
        print("FAILED steps: " + " ".join(failed), flush=True)
        return 1
    return 0


def drop_everything():
    """Empties the databases a run uses (the DSN's, lo_connstr, lo_close)
    through pyodbc, so a retry starts as the first run did. The dead
    soffice's connections are gone, and the server rolled back their
    transactions with them."""
    import pyodbc
    for extra in ("", ";Database=lo_connstr", ";Database=lo_close"):
        cn = pyodbc.connect("DSN=%s%s" % (DSN, extra), autocommit=False, timeout=10)
        names = [r[0] for r in cn.cursor().execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        for name in names:
            cn.cursor().execute('DROP TABLE IF EXISTS "%s"' % name.replace('"', '""'))
        cn.commit()
        cn.close()


def main():
    """The scenario, run again once on a new soffice if the first run lost
    its UNO bridge (soffice went away under a call; seen once in about 30
    CI runs, not reproduced in 60 rounds of the same calls): the retry's
    step lines replace the first run's, and a second loss fails."""
    start = time.monotonic()
    rc = attempt(RUN_TIMEOUT)
    left = RUN_TIMEOUT - (time.monotonic() - start)
    if rc != 0 and bridge_lost and "timeout" not in failed and left > RUN_TIMEOUT / 2:
        print("retrying the whole run once on a new soffice", flush=True)
        del failed[:], bridge_lost[:]
        drop_everything()
        rc = attempt(left)
    return rc


if __name__ == "__main__":
    sys.exit(main())
