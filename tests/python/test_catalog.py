"""A real client walks the catalog: pyodbc's cursor.tables() / columns() /
primaryKeys() / foreignKeys() / statistics() / rowIdColumns() and isql's
`help` / `help TABLE`, through unixODBC, against a real dqlite node."""
import os
import shutil
import subprocess
import tempfile
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
    root = tempfile.mkdtemp(prefix="dqodbc-pycat-")
    _node = nodes.Node(root=os.path.join(root, "nodes")).start()
    nodes.register_driver(root, DSN, _node.address, database="catalog")
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


class Isql(unittest.TestCase):
    """isql's `help` is SQLTables, `help TABLE` is SQLColumns."""

    def run_isql(self, script):
        isql = shutil.which("isql")
        self.assertIsNotNone(isql, "unixodbc's isql is installed by cmake/install-deps.sh")
        out = subprocess.run([isql, DSN, "-b", "-d|"], input=script.encode(),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
        self.assertEqual(out.returncode, 0, out.stderr.decode())
        return out.stdout.decode()

    def test_help_lists_tables(self):
        lines = self.run_isql("help\n").splitlines()
        self.assertIn("||customers|TABLE|", lines)
        self.assertIn("||big_orders|VIEW|", lines)
        self.assertIn("||Ünïcode Täble|TABLE|", lines)

    def test_help_table_lists_columns(self):
        lines = self.run_isql("help customers\n").splitlines()
        self.assertIn("||customers|name|12|VARCHAR|40|40|||0|||12||40|2|NO|NO", lines)
        self.assertIn("||customers|balance|3|DECIMAL|10|12|2|10|1||0|3|||4|YES|NO", lines)


if __name__ == "__main__":
    unittest.main()
