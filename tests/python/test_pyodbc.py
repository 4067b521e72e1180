"""pyodbc end to end: Debian's python3-pyodbc -> unixODBC -> libdqliteodbc.so -> a real dqlite node."""
import datetime
import decimal
import unittest

import pyodbc

import nodes

DSN = "dqpy"
_node = None


def setUpModule():
    global _node
    _node = nodes.start_with_dsn("dqodbc-pyodbc-", DSN, "pytest")


def tearDownModule():
    if _node:
        _node.stop()


def connect(**kw):
    return pyodbc.connect("DSN=%s" % DSN, timeout=10, **kw)


class Connect(unittest.TestCase):
    def test_dsn_and_connection_string(self):
        cn = connect()
        self.assertEqual(cn.getinfo(pyodbc.SQL_DBMS_NAME), "dqlite")
        self.assertRegex(cn.getinfo(pyodbc.SQL_DBMS_VER), r"^\d+\.\d+\.\d+")
        cn.close()
        cn = pyodbc.connect("Driver=dqlite-test;Server=%s;Database=pytest" % _node.address)
        self.assertEqual(cn.cursor().execute("SELECT 40 + 2").fetchone()[0], 42)
        cn.rollback()
        cn.close()

    def test_misspelt_keyword_is_an_error_naming_it(self):
        with self.assertRaises(pyodbc.Error) as cm:
            pyodbc.connect("Driver=dqlite-test;Sever=%s" % _node.address)
        self.assertIn("Sever", str(cm.exception))

    def test_unreachable_server_is_08001(self):
        with self.assertRaises(pyodbc.Error) as cm:
            pyodbc.connect("Driver=dqlite-test;Server=127.0.0.1:1;LoginTimeout=2")
        self.assertIn("08001", str(cm.exception))
        self.assertIn("127.0.0.1:1", str(cm.exception))


class Transactions(unittest.TestCase):
    def setUp(self):
        self.cn = connect()
        self.cur = self.cn.cursor()
        self.cur.execute("DROP TABLE IF EXISTS tx")
        self.cur.execute("CREATE TABLE tx (id INTEGER PRIMARY KEY, v TEXT)")
        self.cn.commit()

    def tearDown(self):
        try:
            self.cn.rollback()
        finally:
            self.cn.close()

    def test_autocommit_false_is_managed_by_the_driver(self):
        # pyodbc's default: the driver begins, commit() / rollback() end
        self.assertFalse(self.cn.autocommit)
        self.cur.execute("INSERT INTO tx (v) VALUES ('managed')")
        self.cn.commit()
        self.assertEqual(self.cur.execute("SELECT v FROM tx").fetchone()[0], "managed")
        self.assertEqual(self.cn.getinfo(pyodbc.SQL_TXN_CAPABLE), 2)  # SQL_TC_ALL

    def test_autocommit_true_refuses_a_bare_write_with_advice(self):
        cn = connect(autocommit=True)  # pyodbc never tells the driver: unmanaged
        cur = cn.cursor()
        self.assertEqual(cur.execute("SELECT count(*) FROM tx").fetchone()[0], 0)
        with self.assertRaises(pyodbc.Error) as cm:
            cur.execute("INSERT INTO tx (v) VALUES ('bare')")
        msg = str(cm.exception)
        self.assertIn("25000", msg)
        self.assertIn("autocommit=False", msg)
        self.assertIn("BEGIN ... COMMIT", msg)
        # the application's own transaction works
        cur.execute("BEGIN")
        cur.execute("INSERT INTO tx (v) VALUES ('wrapped')")
        cur.execute("COMMIT")
        cn.close()
        rows = self.cur.execute("SELECT v FROM tx").fetchall()
        self.assertEqual([r[0] for r in rows], ["wrapped"])

    def test_turning_autocommit_on_is_survivable_and_changes_nothing(self):
        self.cur.execute("SELECT 1")
        self.cn.autocommit = True  # 01S02 is a warning: no exception
        with self.assertRaises(pyodbc.Error) as cm:
            self.cur.execute("INSERT INTO tx (v) VALUES ('bare')")
        self.assertIn("25000", str(cm.exception))
        self.cn.autocommit = False
        self.cur.execute("INSERT INTO tx (v) VALUES ('managed again')")
        self.cn.commit()
        self.assertEqual(self.cur.execute("SELECT count(*) FROM tx").fetchone()[0], 1)

    def test_commit_and_rollback_visibility(self):
        other = connect()
        self.cur.execute("INSERT INTO tx (v) VALUES ('rolled back')")
        self.cn.rollback()
        self.cur.execute("INSERT INTO tx (v) VALUES ('kept')")
        self.cn.commit()
        rows = other.cursor().execute("SELECT v FROM tx ORDER BY id").fetchall()
        self.assertEqual([r[0] for r in rows], ["kept"])
        other.rollback()
        other.close()

    def test_raw_begin_fails_with_25000(self):
        with self.assertRaises(pyodbc.Error) as cm:
            self.cur.execute("BEGIN")
        msg = str(cm.exception)
        self.assertIn("25000", msg)
        self.assertIn("cannot start a transaction within a transaction", msg)
        # The driver's transaction is still usable.
        self.cur.execute("INSERT INTO tx (v) VALUES ('after begin')")
        self.cn.commit()
        self.assertEqual(self.cur.execute("SELECT count(*) FROM tx").fetchone()[0], 1)

    def test_savepoints(self):
        self.cur.execute("INSERT INTO tx (v) VALUES ('a')")
        self.cur.execute("SAVEPOINT sp_1")
        self.cur.execute("INSERT INTO tx (v) VALUES ('b')")
        self.cur.execute("ROLLBACK TO sp_1")
        self.cur.execute("RELEASE sp_1")
        self.cn.commit()
        self.assertEqual([r[0] for r in self.cur.execute("SELECT v FROM tx").fetchall()], ["a"])


class Parameters(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.cn = connect()
        cur = cls.cn.cursor()
        cur.execute("DROP TABLE IF EXISTS p")
        cur.execute("CREATE TABLE p (i INTEGER, big INTEGER, r REAL, t TEXT, u TEXT, b BLOB,"
                    " flag BOOLEAN, d DATE, ts DATETIME, n NUMERIC, z TEXT)")
        cls.cn.commit()

    @classmethod
    def tearDownClass(cls):
        cls.cn.rollback()
        cls.cn.close()

    def test_every_type_round_trips(self):
        cur = self.cn.cursor()
        ts = datetime.datetime(2024, 2, 29, 23, 59, 58)
        vals = (7, 2 ** 62, 3.25, "plain", "ünïcødé ✓ 𝄞", b"\x00\x01\xffbin", True,
                datetime.date(2024, 1, 2), ts, decimal.Decimal("12.50"), None)
        cur.execute("INSERT INTO p VALUES (?,?,?,?,?,?,?,?,?,?,?)", vals)
        row = cur.execute("SELECT i, big, r, t, u, b, flag, d, ts, n, z FROM p").fetchone()
        self.assertEqual(row[0], 7)
        self.assertEqual(row[1], 2 ** 62)
        self.assertEqual(row[2], 3.25)
        self.assertEqual(row[3], "plain")
        self.assertEqual(row[4], "ünïcødé ✓ 𝄞")
        self.assertEqual(bytes(row[5]), b"\x00\x01\xffbin")
        self.assertEqual(row[6], True)
        # A plain-table SELECT is described by the declared types (docs/types.md):
        # DATE is SQL_TYPE_DATE, which pyodbc returns as datetime.date; DATETIME
        # is SQL_TYPE_TIMESTAMP, returned as datetime.datetime.
        self.assertIs(cur.description[7][1], datetime.date)
        self.assertIs(type(row[7]), datetime.date)
        self.assertEqual(row[7], datetime.date(2024, 1, 2))
        self.assertIs(cur.description[8][1], datetime.datetime)
        self.assertIs(type(row[8]), datetime.datetime)
        self.assertEqual(row[8], ts)
        self.assertEqual(decimal.Decimal(str(row[9])), decimal.Decimal("12.5"))
        self.assertIsNone(row[10])
        self.cn.rollback()

    def test_executemany(self):
        cur = self.cn.cursor()
        cur.execute("DELETE FROM p")
        cur.fast_executemany = False
        cur.executemany("INSERT INTO p (i, t) VALUES (?, ?)", [(i, "row%d" % i) for i in range(500)])
        cur.fast_executemany = True
        cur.executemany("INSERT INTO p (i, t) VALUES (?, ?)",
                        [(i, "fast%d" % i) for i in range(500, 1500)])
        self.cn.commit()
        self.assertEqual(tuple(cur.execute("SELECT count(*), sum(i) FROM p").fetchone()),
                         (1500, sum(range(1500))))
        self.assertEqual(cur.execute("SELECT t FROM p WHERE i = ?", 1234).fetchone()[0], "fast1234")
        self.cn.rollback()

    def test_fast_executemany_of_decimals_into_text(self):
        # pyodbc binds a Decimal through the APD with the marker's
        # described size as its precision: 0 for a TEXT column (and its
        # described digits, 0, as the scale: pyodbc itself refuses a
        # Decimal with a fraction there, "Converting decimal loses
        # precision", before the driver sees it)
        cur = self.cn.cursor()
        cur.execute("DELETE FROM p")
        cur.fast_executemany = True
        cur.executemany("INSERT INTO p (i, t) VALUES (?, ?)",
                        [(1, decimal.Decimal("1234")), (2, decimal.Decimal("-5"))])
        self.assertEqual([tuple(r) for r in cur.execute("SELECT t FROM p ORDER BY i")],
                         [("1234",), ("-5",)])
        # sizes given: the fraction goes through
        cur.execute("DELETE FROM p")
        cur.setinputsizes([(pyodbc.SQL_INTEGER, 0, 0), (pyodbc.SQL_DECIMAL, 10, 2)])
        cur.executemany("INSERT INTO p (i, t) VALUES (?, ?)",
                        [(1, decimal.Decimal("5.25")), (2, decimal.Decimal("-0.5"))])
        self.assertEqual([tuple(r) for r in cur.execute("SELECT t FROM p ORDER BY i")],
                         [("5.25",), ("-0.50",)])
        self.cn.rollback()


    def test_write_of_no_row_counts_zero_and_the_transaction_commits(self):
        # ODBC 3 answers SQL_NO_DATA for an UPDATE / DELETE that touches no
        # row; pyodbc reads that as rowcount 0, and the transaction goes on.
        cur = self.cn.cursor()
        cur.execute("DELETE FROM p")
        cur.execute("INSERT INTO p (i, t) VALUES (1, 'kept')")
        self.assertEqual(cur.execute("UPDATE p SET t = 'x' WHERE i = -1").rowcount, 0)
        self.assertEqual(cur.execute("DELETE FROM p WHERE i = ?", -1).rowcount, 0)
        # a parameter array touching no row: SQL_NO_DATA is no error
        cur.fast_executemany = True
        cur.executemany("DELETE FROM p WHERE i = ?", [(-1,), (-2,)])
        self.cn.commit()
        other = connect()
        self.assertEqual(other.cursor().execute("SELECT t FROM p").fetchall()[0][0], "kept")
        other.rollback()
        other.close()
        self.cn.rollback()


class BigResults(unittest.TestCase):
    def test_fetchall_100k_rows(self):
        cn = connect()
        cur = cn.cursor()
        cur.execute("DROP TABLE IF EXISTS big")
        cur.execute("CREATE TABLE big (id INTEGER PRIMARY KEY, name TEXT, x REAL)")
        cur.execute("WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 100000)"
                    " INSERT INTO big SELECT n, 'name-' || n, n * 0.5 FROM c")
        cn.commit()
        rows = cur.execute("SELECT id, name, x FROM big ORDER BY id").fetchall()
        self.assertEqual(len(rows), 100000)
        self.assertEqual(tuple(rows[0]), (1, "name-1", 0.5))
        self.assertEqual(tuple(rows[-1]), (100000, "name-100000", 50000.0))
        self.assertEqual(sum(r[0] for r in rows), 100000 * 100001 // 2)
        cn.rollback()
        cn.close()


if __name__ == "__main__":
    unittest.main()
