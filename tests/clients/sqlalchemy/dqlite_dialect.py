"""A minimal SQLAlchemy 1.4 dialect for dqlite through pyodbc and dqlite-odbc.

Test code of tests/clients (the client_sqlalchemy test), kept small enough to
copy into an application (docs/clients.md). dqlite speaks SQLite's SQL, so
the dialect is SQLAlchemy's SQLite dialect (SQL compilation, DDL, reflection
by PRAGMA and sqlite_master) with pyodbc as its DB-API:

    import dqlite_dialect                      # registers dqlite+pyodbc
    engine = create_engine("dqlite+pyodbc://mydsn", future=True)
    engine = create_engine("dqlite+pyodbc:///?odbc_connect="
                           + urllib.parse.quote_plus("Driver=dqlite;Server=10.0.0.1:9001;Database=app"))
    engine = create_engine("dqlite+pyodbc://mydsn", fast_executemany=True)

What differs from the SQLite dialect, and why:
- the connection string: a URL's host is the data source name; odbc_connect
  carries a whole connection string. Nothing else is added (SQLAlchemy's
  generic pyodbc connector adds Trusted_Connection=Yes, a keyword the driver
  refuses as unknown).
- dates and times: the driver describes DATE / DATETIME / TIMESTAMP columns
  as SQL_TYPE_DATE / SQL_TYPE_TIMESTAMP, so pyodbc already hands back
  datetime.date / datetime.datetime and binds them as ODBC dates; SQLite's
  string-parsing date types would be handed objects instead of text, so
  the plain SQLAlchemy types are used.
- the SQLite version checks of the pysqlite DB-API (sqlite_version_info) do
  not apply: pyodbc has none; dqlite's SQLite is recent.
- fast_executemany=True turns on pyodbc's fast_executemany for executemany
  (one execution with an array of parameter sets), with input sizes taken
  from the rows (_input_sizes: without them TEXT and BLOB values would go
  as data at execution, row by row).

Transactions: pyodbc connects with autocommit off, so the connection is
managed (docs/transactions.md): the driver begins, SQLAlchemy's commit() /
rollback() end. isolation_level="AUTOCOMMIT" turns pyodbc's autocommit on,
which the driver refuses with 01S02 and leaves the connection unmanaged:
reads run, writes are refused (25000). Do not use it.
"""
from sqlalchemy import types as sqltypes
from sqlalchemy.connectors.pyodbc import PyODBCConnector
from sqlalchemy.dialects import registry
from sqlalchemy.dialects.sqlite.base import SQLiteDialect

# SQLite's colspecs with ODBC's own date and time types
_colspecs = dict(SQLiteDialect.colspecs)
_colspecs.update({sqltypes.Date: sqltypes.Date, sqltypes.DateTime: sqltypes.DateTime,
                  sqltypes.Time: sqltypes.Time})


class DqliteDialect_pyodbc(PyODBCConnector, SQLiteDialect):
    name = "dqlite"
    driver = "pyodbc"
    supports_statement_cache = True
    default_paramstyle = "qmark"
    colspecs = _colspecs

    def __init__(self, fast_executemany=False, **kw):
        # SQLiteDialect.__init__ reads sqlite3's version from its DB-API
        # when it has one: pyodbc is attached after it ran
        dbapi = kw.pop("dbapi", None)
        super().__init__(**kw)
        self.dbapi = dbapi
        self.fast_executemany = fast_executemany

    def create_connect_args(self, url):
        """dqlite+pyodbc://DSN[/Database][?Key=Value...] or
        dqlite+pyodbc:///?odbc_connect=<quoted connection string>."""
        query = dict(url.query)
        if "odbc_connect" in query:
            parts = [query.pop("odbc_connect")]
        else:
            parts = ["DSN=%s" % url.host]
            if url.database:
                parts.append("Database=%s" % url.database)
        parts += ["%s=%s" % kv for kv in query.items()]
        return [";".join(parts)], {}

    def do_executemany(self, cursor, statement, parameters, context=None):
        if self.fast_executemany:
            cursor.fast_executemany = True
            sizes = _input_sizes(self.dbapi, parameters)
            if sizes:
                cursor.setinputsizes(sizes)
        super().do_executemany(cursor, statement, parameters, context=context)


def _input_sizes(pyodbc, rows):
    """Sizes for pyodbc's fast_executemany from the rows themselves, or None.

    The driver describes a TEXT or BLOB marker as size 0 (no limit: SQLite
    keeps any length), and fast_executemany then sends every such value as
    data at execution, row by row, slower than plain executemany. With
    sizes it sends arrays. Only columns that hold one kind of value
    throughout (int, float, str, bytes; NULLs allowed) are sized; any other
    row set is left to pyodbc (None)."""
    sizes = []
    for col in zip(*rows):
        kinds = {type(v) for v in col if v is not None}
        if kinds == {int}:
            sizes.append((pyodbc.SQL_BIGINT, 0, 0))
        elif kinds == {float}:
            sizes.append((pyodbc.SQL_DOUBLE, 0, 0))
        elif kinds == {str}:  # in UTF-16 code units, as pyodbc sends them
            n = max(len(v.encode("utf-16-le")) // 2 for v in col if v is not None)
            sizes.append((pyodbc.SQL_WVARCHAR, max(n, 1), 0))
        elif kinds == {bytes}:
            sizes.append((pyodbc.SQL_VARBINARY, max(max(len(v) for v in col if v is not None), 1), 0))
        else:
            return None
    return sizes


registry.register("dqlite.pyodbc", __name__, "DqliteDialect_pyodbc")
registry.register("dqlite", __name__, "DqliteDialect_pyodbc")
dialect = DqliteDialect_pyodbc
