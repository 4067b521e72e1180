"""Big values through pyodbc (issue 9): bytes and str of 2, 16 and 64 MiB
round-trip through cursor.execute parameters and fetchone; fast_executemany
inserts 4 rows of 2 MiB; a str with an embedded NUL is refused (22018), never
cut. Debian's python3-pyodbc -> unixODBC -> libdqliteodbc.so -> a real node."""
import base64
import random
import time
import unittest

import pyodbc

import nodes

DSN = "dqvalues"
MiB = 1 << 20
_node = None


def setUpModule():
    global _node
    _node = nodes.start_with_dsn("dqodbc-pyvalues-", DSN, "values")


def tearDownModule():
    if _node:
        _node.stop()


def connect():
    return pyodbc.connect("DSN=%s" % DSN, timeout=10)


def blob(n, seed):
    """n deterministic pseudo-random bytes (every byte value, NULs included)."""
    return random.Random(seed).randbytes(n)


def text(n, seed):
    """n printable ASCII characters that do not repeat (base64 of random bytes)."""
    raw = random.Random(seed).randbytes(n * 3 // 4 + 3)
    return base64.b64encode(raw).decode("ascii")[:n]


def first_difference(a, b):
    for i in range(min(len(a), len(b))):
        if a[i] != b[i]:
            return i
    return min(len(a), len(b))


class BigValues(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.cn = connect()
        cur = cls.cn.cursor()
        cur.execute("CREATE TABLE IF NOT EXISTS vb (id INTEGER PRIMARY KEY, x BLOB)")
        cur.execute("CREATE TABLE IF NOT EXISTS vt (id INTEGER PRIMARY KEY, x TEXT)")
        cls.cn.commit()

    @classmethod
    def tearDownClass(cls):
        cls.cn.rollback()
        cls.cn.close()

    def setUp(self):
        cur = self.cn.cursor()
        cur.execute("DELETE FROM vb")
        cur.execute("DELETE FROM vt")
        self.cn.commit()

    def assertSameValue(self, got, want, what):
        self.assertIs(type(got), type(want), what)
        self.assertEqual(len(got), len(want), what)
        if got != want:
            self.fail("%s: differs from offset %d" % (what, first_difference(got, want)))

    def round_trip(self, table, value, typeof, length_sql):
        t0 = time.monotonic()
        cur = self.cn.cursor()
        cur.execute("INSERT INTO %s (id, x) VALUES (?, ?)" % table, 1, value)
        self.assertEqual(cur.rowcount, 1)
        self.cn.commit()
        # stored as the exact value: storage class and length
        row = cur.execute("SELECT typeof(x), %s FROM %s WHERE id = 1"
                          % (length_sql, table)).fetchone()
        self.assertEqual(tuple(row), (typeof, len(value)))
        row = cur.execute("SELECT x FROM %s WHERE id = ?" % table, 1).fetchone()
        self.assertIsNone(cur.fetchone())
        self.assertSameValue(row[0], value, "%s of %d" % (typeof, len(value)))
        self.cn.rollback()
        return time.monotonic() - t0

    def blob_round_trip(self, mib):
        return self.round_trip("vb", blob(mib * MiB, mib), "blob", "length(x)")

    def text_round_trip(self, mib):
        return self.round_trip("vt", text(mib * MiB, 100 + mib), "text",
                               "length(CAST(x AS BLOB))")

    def test_bytes_2mib(self):
        self.blob_round_trip(2)

    def test_bytes_16mib(self):
        self.blob_round_trip(16)

    def test_bytes_64mib(self):
        self.blob_round_trip(64)

    def test_str_2mib(self):
        self.text_round_trip(2)

    def test_str_16mib(self):
        self.text_round_trip(16)

    def test_str_64mib(self):
        self.text_round_trip(64)

    def test_str_2mib_with_non_bmp_characters(self):
        # about 2 MiB of UTF-8 (1, 2, 3 and 4 bytes a character, evenly):
        # a quarter of the characters are outside the BMP
        chars = "aé€𝄞"
        rnd = random.Random(7)
        value = "".join(rnd.choice(chars) for _ in range(2 * MiB * 2 // 5))
        cur = self.cn.cursor()
        cur.execute("INSERT INTO vt (id, x) VALUES (?, ?)", 1, value)
        self.cn.commit()
        row = cur.execute("SELECT length(x), length(CAST(x AS BLOB)), x FROM vt").fetchone()
        self.assertEqual(row[0], len(value))
        self.assertEqual(row[1], len(value.encode("utf-8")))
        self.assertSameValue(row[2], value, "non-BMP text")
        self.cn.rollback()

    def test_fast_executemany_four_rows_of_2mib(self):
        rows = [(i, blob(2 * MiB, 200 + i), text(2 * MiB, 300 + i)) for i in range(1, 5)]
        cur = self.cn.cursor()
        cur.execute("CREATE TABLE IF NOT EXISTS fm (id INTEGER PRIMARY KEY, b BLOB, t TEXT)")
        cur.execute("DELETE FROM fm")
        self.cn.commit()
        cur.fast_executemany = True
        # sizes given explicitly (setinputsizes) bypass SQLDescribeParam:
        # pyodbc then binds 2 MiB buffers per row instead of sending the
        # values as data at execution (test_fast_executemany_described)
        cur.setinputsizes([(pyodbc.SQL_INTEGER, 0, 0),
                           (pyodbc.SQL_LONGVARBINARY, 2 * MiB, 0),
                           (pyodbc.SQL_WLONGVARCHAR, 2 * MiB, 0)])
        cur.executemany("INSERT INTO fm (id, b, t) VALUES (?, ?, ?)", rows)
        self.cn.commit()
        got = cur.execute("SELECT id, typeof(b), length(b), typeof(t), length(t), b, t"
                          " FROM fm ORDER BY id").fetchall()
        self.assertEqual([r[0] for r in got], [1, 2, 3, 4])
        for r, (i, b, t) in zip(got, rows):
            self.assertEqual(tuple(r[1:5]), ("blob", 2 * MiB, "text", 2 * MiB), "row %d" % i)
            self.assertSameValue(r[5], b, "row %d blob" % i)
            self.assertSameValue(r[6], t, "row %d text" % i)
        self.cn.rollback()

    def test_fast_executemany_described(self):
        # no setinputsizes: pyodbc sizes its parameter arrays from
        # SQLDescribeParam. The driver describes the markers from the
        # INSERT's columns, character and binary ones with size 0 (no
        # limit), so pyodbc sends those values as data at execution:
        # 600-character strings (past the old VARCHAR(255) answer), 1 MiB
        # bytes and NULLs go in exactly.
        cur = self.cn.cursor()
        cur.execute("CREATE TABLE IF NOT EXISTS fd (id INTEGER PRIMARY KEY,"
                    " s VARCHAR(40), b BLOB, n INTEGER)")
        cur.execute("DELETE FROM fd")
        self.cn.commit()
        rows = [(1, text(600, 11), blob(MiB, 12), 7),
                (2, None, None, None),
                (3, "é" * 600, b"\0" * 600, -1),
                (4, text(600, 13), blob(MiB, 14), None)]
        cur.fast_executemany = True
        cur.executemany("INSERT INTO fd (id, s, b, n) VALUES (?, ?, ?, ?)", rows)
        self.cn.commit()
        got = cur.execute("SELECT id, s, b, n FROM fd ORDER BY id").fetchall()
        self.assertEqual(len(got), 4)
        for r, want in zip(got, rows):
            self.assertEqual(r[0], want[0])
            self.assertEqual(r[3], want[3], "row %d n" % want[0])
            for got_v, want_v, what in ((r[1], want[1], "str"), (r[2], want[2], "bytes")):
                if want_v is None:
                    self.assertIsNone(got_v, "row %d %s" % (want[0], what))
                else:
                    self.assertSameValue(got_v, want_v, "row %d %s" % (want[0], what))
        self.cn.rollback()

    def test_str_with_embedded_nul_is_22018_and_nothing_is_inserted(self):
        cur = self.cn.cursor()
        with self.assertRaises(pyodbc.Error) as cm:
            cur.execute("INSERT INTO vt (id, x) VALUES (?, ?)", 1, "a\0b\0c")
        msg = str(cm.exception)
        self.assertEqual(cm.exception.args[0], "22018", msg)
        self.assertIn("NUL", msg)
        self.assertIn("SQL_C_BINARY", msg)
        self.assertEqual(cur.execute("SELECT count(*) FROM vt").fetchone()[0], 0)
        # the same characters as bytes are a BLOB, stored exactly
        cur.execute("INSERT INTO vb (id, x) VALUES (?, ?)", 1, b"a\0b\0c")
        self.cn.commit()
        self.assertEqual(cur.execute("SELECT x FROM vb").fetchone()[0], b"a\0b\0c")
        self.cn.rollback()


if __name__ == "__main__":
    unittest.main()
