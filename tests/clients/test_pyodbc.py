#!/usr/bin/env python3
"""pyodbc (Debian's python3-pyodbc) through the client matrix (scenario.py).

    test_pyodbc.py [--fast]

Without --fast the bulk insert is pyodbc's plain executemany (one execution
a row); with --fast it is cursor.fast_executemany = True with
cursor.setinputsizes (one execution with an array of parameter sets,
SQL_ATTR_PARAMSET_SIZE), also timed without setinputsizes. The client is reported
as `pyodbc` or `pyodbc_fast`. Run by run_client.py, which starts a node and
sets DQ_DSN and DQ_SERVER.
"""
import datetime
import os
import sys
import time

import pyodbc

import scenario

FAST = "--fast" in sys.argv[1:]
S = scenario.Steps("pyodbc_fast" if FAST else "pyodbc")
DSN = os.environ["DQ_DSN"]
CS = "Driver=dqlite-test;Server=%s;Database=clients" % os.environ["DQ_SERVER"]
T = "py_fast" if FAST else "py_plain"  # table prefix: the two runs share no table


def connect():
    return pyodbc.connect("DSN=" + DSN, timeout=10)  # autocommit=False: managed


def sqlstate(fn):
    """The SQLSTATE of the pyodbc.Error fn raises (None when none)."""
    try:
        fn()
    except pyodbc.Error as e:
        return e.args[0]
    return None


def eq(got, want, what):
    if got != want:
        raise AssertionError("%s: got %r, want %r" % (what, got, want))


def main():
    cn = None
    with S.step("connect_dsn"):
        cn = connect()
        eq(cn.cursor().execute("SELECT 40 + 2").fetchval(), 42, "SELECT 40 + 2")
        eq(cn.getinfo(pyodbc.SQL_DBMS_NAME), "dqlite", "SQL_DBMS_NAME")
    with S.step("connect_string"):
        c2 = pyodbc.connect(CS, timeout=10)
        eq(c2.cursor().execute("SELECT 'by string'").fetchval(), "by string", "a read")
        c2.close()
    if cn is None:
        cn = connect()
    cur = cn.cursor()

    with S.step("ddl"):
        cur.execute("CREATE TABLE %s_vals (id INTEGER PRIMARY KEY, t TEXT, n INTEGER, r REAL,"
                    " b BLOB, d DATE, ts TIMESTAMP, f BOOLEAN)" % T)
        cur.execute("CREATE TABLE %s_bulk (id INTEGER PRIMARY KEY, s TEXT)" % T)
        cn.commit()
        eq(cur.execute("SELECT count(*) FROM sqlite_master WHERE name LIKE ?", T + "_%")
           .fetchval(), 2, "tables made")

    ts = datetime.datetime(2026, 12, 3, 10, 11, 12)
    date = datetime.date(2026, 12, 3)
    with S.step("params"):
        cur.execute("INSERT INTO %s_vals (id, t, n, r, d, ts, f) VALUES (?, ?, ?, ?, ?, ?, ?)" % T,
                    1, scenario.TEXT, scenario.BIG, scenario.REAL, date, ts, True)
        cn.commit()
        row = cur.execute("SELECT t, n, r, d, ts, f, typeof(n), typeof(r), typeof(f)"
                          " FROM %s_vals WHERE id = 1" % T).fetchone()
        eq(tuple(row), (scenario.TEXT, scenario.BIG, scenario.REAL, date, ts, True,
                        "integer", "real", "integer"), "row 1")
        cn.rollback()

    with S.step("nulls"):
        cur.execute("INSERT INTO %s_vals (id, t, n, r, b, d, ts, f) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                    % T, 2, None, None, None, None, None, None, None)
        cn.commit()
        row = cur.execute("SELECT t, n, r, b, d, ts, typeof(t) || typeof(n) || typeof(r) ||"
                          " typeof(b) || typeof(d) || typeof(ts) || typeof(f)"
                          " FROM %s_vals WHERE id = 2" % T).fetchone()
        # f is left out of the value check: a released server (1.11) sends
        # NULL in a BOOLEAN column as BOOLEAN(0), which reads 0 (docs/types.md);
        # typeof(f) shows the NULL that is stored
        eq(tuple(row), (None,) * 6 + ("null" * 7,), "row 2")
        cn.rollback()

    with S.step("blob_1mb"):
        data = scenario.blob()
        cur.execute("UPDATE %s_vals SET b = ? WHERE id = 1" % T, data)
        cn.commit()
        got = cur.execute("SELECT b, typeof(b), length(b) FROM %s_vals WHERE id = 1" % T).fetchone()
        eq((got[1], got[2]), ("blob", scenario.BLOB_LEN), "stored")
        if bytes(got[0]) != data:
            raise AssertionError("the 1 MiB BLOB read back differs")
        cn.rollback()

    with S.step("bulk_10000"):
        rows = [(i, "row %d" % i) for i in range(1, scenario.BULK_ROWS + 1)]
        if FAST:
            # Without sizes, the driver describes a TEXT marker as size 0
            # (no limit) and fast_executemany sends each such value as data
            # at execution, row by row: slower than plain executemany. Sizes
            # from setinputsizes give it parameter arrays. Both are timed;
            # the sized one is the bulk line.
            bc = cn.cursor()
            bc.fast_executemany = True
            t0 = time.monotonic()
            bc.executemany("INSERT INTO %s_bulk (id, s) VALUES (?, ?)" % T, rows)
            cn.commit()
            print("# pyodbc_fast without setinputsizes (data at execution): 10000 rows in %.2f s"
                  % (time.monotonic() - t0), flush=True)
            eq(cur.execute("SELECT count(*) FROM %s_bulk" % T).fetchval(), 10000, "unsized count")
            cur.execute("DELETE FROM %s_bulk" % T)
            cn.commit()
        bc = cn.cursor()
        bc.fast_executemany = FAST
        if FAST:
            bc.setinputsizes([(pyodbc.SQL_INTEGER, 0, 0), (pyodbc.SQL_WVARCHAR, 20, 0)])
        t0 = time.monotonic()
        bc.executemany("INSERT INTO %s_bulk (id, s) VALUES (?, ?)" % T, rows)
        cn.commit()
        S.bulk(scenario.BULK_ROWS, time.monotonic() - t0)
        eq(tuple(cur.execute("SELECT count(*), sum(id), max(s) FROM %s_bulk" % T).fetchone()),
           (10000, 50005000, "row 9999"), "count, sum, max")
        cn.rollback()

    with S.step("tables"):
        names = [r.table_name for r in cur.tables(tableType="TABLE")]
        if T + "_vals" not in names:
            raise AssertionError("cursor.tables() lacks %s_vals: %r" % (T, names))
    with S.step("columns"):
        cols = [(r.column_name, r.type_name) for r in cur.columns(table=T + "_vals")]
        eq(cols, [("id", "INTEGER"), ("t", "TEXT"), ("n", "INTEGER"), ("r", "REAL"),
                  ("b", "BLOB"), ("d", "DATE"), ("ts", "TIMESTAMP"), ("f", "BOOLEAN")],
           "cursor.columns()")
        cn.rollback()

    with S.step("syntax_error"):
        eq(sqlstate(lambda: cur.execute("SELEC 1")), "42000", "SELEC 1")
        cn.rollback()
    with S.step("duplicate_key"):
        eq(sqlstate(lambda: cur.execute("INSERT INTO %s_vals (id) VALUES (?)" % T, 1)), "23000",
           "a second id 1")
        cn.rollback()

    with S.step("rollback"):
        cur.execute("INSERT INTO %s_vals (id, t) VALUES (?, ?)" % T, 3, "undone")
        cn.rollback()
        eq(cur.execute("SELECT count(*) FROM %s_vals WHERE id = 3" % T).fetchval(), 0,
           "the rolled back row")
        cn.rollback()

    with S.step("tx_idiom"):
        # pyodbc's idiom: `with connect() as cn:` commits when the block
        # ends normally and rolls back when it raises
        with connect() as c:
            c.cursor().execute("INSERT INTO %s_vals (id, t) VALUES (?, ?)" % T, 4, "kept")
        try:
            with connect() as c:
                c.cursor().execute("INSERT INTO %s_vals (id, t) VALUES (?, ?)" % T, 5, "undone")
                raise KeyError("boom")
        except KeyError:
            pass
        eq([tuple(r) for r in cur.execute("SELECT id, t FROM %s_vals WHERE id IN (4, 5)" % T)],
           [(4, "kept")], "only the block that ended normally is kept")
        cn.rollback()
    cn.close()
    return 1 if S.failed else 0


if __name__ == "__main__":
    sys.exit(main())
