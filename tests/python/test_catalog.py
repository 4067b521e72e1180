"""A real client walks the catalog: pyodbc's cursor.tables() / columns() /
primaryKeys() / foreignKeys() / statistics() / rowIdColumns() and isql's
`help` / `help TABLE`, through unixODBC, against a real dqlite node."""
import shutil
import subprocess
import unittest

import pyodbc

import nodes

DSN = "dqcat"
_node = None

SCHEMA = [
    "CREATE TABLE customers (id INTEGER PRIMARY KEY, name VARCHAR(40) NOT NULL,"
    " email TEXT UNIQUE, balance DECIMAL(10,2) DEFAULT 0, created DATETIME)",
    "CREATE TABLE orders (order_id INTEGER NOT NULL, line INT NOT NULL,"
    " customer_id INTEGER REFERENCES customers(id) ON DELETE CASCADE,"
    " amount REAL, PRIMARY KEY (order_id, line))",
    "CREATE INDEX ix_orders_customer ON orders(customer_id)",
    "CREATE VIEW big_orders AS SELECT order_id, amount FROM orders WHERE amount > 100",
    'CREATE TABLE "Ünïcode Täble" ("çolumn ü" NVARCHAR(10))',
]


def setUpModule():
    global _node
    _node = nodes.start_with_dsn("dqodbc-pycat-", DSN, "catalog")
    cnxn = pyodbc.connect("DSN=%s" % DSN, timeout=10)
    for sql in SCHEMA:
        cnxn.execute(sql)
    cnxn.commit()
    cnxn.close()


def tearDownModule():
    if _node:
        _node.stop()


class Pyodbc(unittest.TestCase):
    def setUp(self):
        self.cnxn = pyodbc.connect("DSN=%s" % DSN, timeout=10)
        self.cur = self.cnxn.cursor()

    def tearDown(self):
        self.cnxn.rollback()
        self.cnxn.close()

    def test_tables(self):
        rows = [(r.table_name, r.table_type) for r in self.cur.tables()]
        self.assertEqual(rows, [("sqlite_master", "SYSTEM TABLE"), ("customers", "TABLE"),
                                ("orders", "TABLE"), ("Ünïcode Täble", "TABLE"),
                                ("big_orders", "VIEW")])
        self.assertEqual([r.table_name for r in self.cur.tables(tableType="VIEW")],
                         ["big_orders"])

    def test_columns(self):
        rows = [(r.column_name, r.data_type, r.type_name, r.column_size, r.decimal_digits,
                 r.nullable, r.column_def, r.ordinal_position)
                for r in self.cur.columns(table="customers")]
        self.assertEqual(rows, [
            ("id", pyodbc.SQL_BIGINT, "INTEGER", 19, 0, 0, None, 1),
            ("name", pyodbc.SQL_VARCHAR, "VARCHAR", 40, None, 0, None, 2),
            ("email", pyodbc.SQL_LONGVARCHAR, "TEXT", 2147483647, None, 1, None, 3),
            ("balance", pyodbc.SQL_DECIMAL, "DECIMAL", 10, 2, 1, "0", 4),
            ("created", pyodbc.SQL_TYPE_TIMESTAMP, "DATETIME", 26, 6, 1, None, 5),
        ])
        uni = self.cur.columns(table="Ünïcode Täble").fetchall()
        self.assertEqual([(r.column_name, r.data_type, r.column_size) for r in uni],
                         [("çolumn ü", pyodbc.SQL_WVARCHAR, 10)])

    def test_keys_and_indexes(self):
        self.assertEqual([(r.column_name, r.key_seq) for r in self.cur.primaryKeys("orders")],
                         [("order_id", 1), ("line", 2)])
        fks = self.cur.foreignKeys(table="customers").fetchall()
        self.assertEqual([(r.pktable_name, r.pkcolumn_name, r.fktable_name, r.fkcolumn_name,
                           r.key_seq, r.delete_rule) for r in fks],
                         [("customers", "id", "orders", "customer_id", 1, 0)])  # 0 = SQL_CASCADE
        self.assertEqual(len(self.cur.foreignKeys(foreignTable="orders").fetchall()), 1)
        stats = [(r.non_unique, r.index_name, r.column_name)
                 for r in self.cur.statistics("orders")]
        self.assertEqual(stats, [(None, None, None),
                                 (0, "sqlite_autoindex_orders_1", "order_id"),
                                 (0, "sqlite_autoindex_orders_1", "line"),
                                 (1, "ix_orders_customer", "customer_id")])
        self.assertEqual([r.column_name for r in self.cur.rowIdColumns("customers")], ["id"])

    def test_query_description_uses_the_schema(self):
        self.cur.execute("SELECT id, name, balance, created FROM customers")
        self.assertEqual([(d[0], d[1], d[3], d[5], d[6]) for d in self.cur.description], [
            ("id", int, 19, 0, False),
            ("name", str, 40, 0, False),
            ("balance", __import__("decimal").Decimal, 10, 2, True),
            ("created", __import__("datetime").datetime, 26, 6, True),
        ])


# The columns the ODBC reference defines for SQLTables and SQLColumns, in order.
SQLTABLES_COLUMNS = ["TABLE_CAT", "TABLE_SCHEM", "TABLE_NAME", "TABLE_TYPE", "REMARKS"]
SQLCOLUMNS_COLUMNS = ["TABLE_CAT", "TABLE_SCHEM", "TABLE_NAME", "COLUMN_NAME", "DATA_TYPE",
                      "TYPE_NAME", "COLUMN_SIZE", "BUFFER_LENGTH", "DECIMAL_DIGITS",
                      "NUM_PREC_RADIX", "NULLABLE", "REMARKS", "COLUMN_DEF", "SQL_DATA_TYPE",
                      "SQL_DATETIME_SUB", "CHAR_OCTET_LENGTH", "ORDINAL_POSITION",
                      "IS_NULLABLE"]


class Isql(unittest.TestCase):
    """isql's `help` is SQLTables, `help TABLE` is SQLColumns.

    What an isql user relies on is asserted: every table and view is listed
    with its name and type, and every column with its name, SQL type code,
    type name, size, digits and nullability as SQLTables / SQLColumns define
    them (docs/catalog.md, docs/types.md). isql's layout (delimiters, how a
    NULL prints) and the columns a user does not read from `help` (BUFFER_LENGTH,
    NUM_PREC_RADIX, CHAR_OCTET_LENGTH, ...) are not: the cells are read by the
    column names isql prints (-c), and the pyodbc tests above check every field.
    """

    def run_isql(self, script):
        isql = shutil.which("isql")
        self.assertIsNotNone(isql, "unixodbc's isql is installed by cmake/install-deps.sh")
        out = subprocess.run([isql, DSN, "-b", "-c", "-d|"], input=script.encode(),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
        self.assertEqual(out.returncode, 0, out.stderr.decode())
        lines = [l for l in out.stdout.decode().splitlines() if l]
        self.assertTrue(lines, "isql printed nothing: %r" % out.stderr.decode())
        header = lines[0].split("|")
        rows = []
        for line in lines[1:]:
            cells = line.split("|")
            self.assertEqual(len(cells), len(header), "row %r under header %r" % (line, header))
            rows.append(dict(zip(header, cells)))
        return header, rows

    def test_help_lists_tables(self):
        header, rows = self.run_isql("help\n")
        self.assertEqual(header, SQLTABLES_COLUMNS)
        # every table and view, ordered by TABLE_TYPE then TABLE_NAME (SQLTables)
        self.assertEqual([(r["TABLE_NAME"], r["TABLE_TYPE"]) for r in rows],
                         [("sqlite_master", "SYSTEM TABLE"), ("customers", "TABLE"),
                          ("orders", "TABLE"), ("Ünïcode Täble", "TABLE"),
                          ("big_orders", "VIEW")])

    def test_help_table_lists_columns(self):
        header, rows = self.run_isql("help customers\n")
        self.assertEqual(header[:len(SQLCOLUMNS_COLUMNS)], SQLCOLUMNS_COLUMNS)
        self.assertEqual({r["TABLE_NAME"] for r in rows}, {"customers"})
        # isql is an ODBC 2 application (SQLAllocEnv), so a DATETIME column's
        # DATA_TYPE is SQL_TIMESTAMP (11), not SQL_TYPE_TIMESTAMP (93).
        got = [(r["ORDINAL_POSITION"], r["COLUMN_NAME"], r["DATA_TYPE"], r["TYPE_NAME"],
                r["COLUMN_SIZE"], r["NULLABLE"], r["IS_NULLABLE"]) for r in rows]
        self.assertEqual(got, [
            ("1", "id", "-5", "INTEGER", "19", "0", "NO"),            # SQL_BIGINT
            ("2", "name", "12", "VARCHAR", "40", "0", "NO"),          # SQL_VARCHAR
            ("3", "email", "-1", "TEXT", "2147483647", "1", "YES"),   # SQL_LONGVARCHAR
            ("4", "balance", "3", "DECIMAL", "10", "1", "YES"),       # SQL_DECIMAL
            ("5", "created", "11", "DATETIME", "26", "1", "YES"),     # SQL_TIMESTAMP
        ])
        digits = {r["COLUMN_NAME"]: r["DECIMAL_DIGITS"] for r in rows}
        self.assertEqual(digits["id"], "0")
        self.assertEqual(digits["balance"], "2")
        self.assertEqual(digits["created"], "6")


if __name__ == "__main__":
    unittest.main()
