#!/usr/bin/env python3
"""SQLAlchemy 1.4 (Debian's python3-sqlalchemy) through pyodbc and the
dqlite+pyodbc dialect (dqlite_dialect.py) over the client matrix
(scenario.py), twice: with Core (client `sqlalchemy_core`) and with ORM
sessions (client `sqlalchemy_orm`). Both engines use the dialect's
fast_executemany=True. Run by run_client.py, which starts a node and sets
DQ_DSN and DQ_SERVER.
"""
import datetime
import os
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import scenario  # noqa: E402
import dqlite_dialect  # noqa: E402,F401  (registers dqlite+pyodbc)

import sqlalchemy as sa  # noqa: E402
from sqlalchemy import exc, orm  # noqa: E402

DSN_URL = "dqlite+pyodbc://%s" % os.environ["DQ_DSN"]
CS_URL = "dqlite+pyodbc:///?odbc_connect=" + urllib.parse.quote_plus(
    "Driver=dqlite-test;Server=%s;Database=clients" % os.environ["DQ_SERVER"])
DATE = datetime.date(2026, 12, 3)
TS = datetime.datetime(2026, 12, 3, 10, 11, 12)
COLS = ["id", "t", "n", "r", "b", "d", "ts", "f"]


def eq(got, want, what):
    if got != want:
        raise AssertionError("%s: got %r, want %r" % (what, got, want))


def sqlstate(e):
    """The SQLSTATE of the pyodbc error under a SQLAlchemy DBAPIError."""
    return e.orig.args[0]


def tables(metadata, prefix):
    vals = sa.Table(prefix + "_vals", metadata,
                    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
                    sa.Column("t", sa.UnicodeText), sa.Column("n", sa.BigInteger),
                    sa.Column("r", sa.Float), sa.Column("b", sa.LargeBinary),
                    sa.Column("d", sa.Date), sa.Column("ts", sa.DateTime),
                    sa.Column("f", sa.Boolean))
    bulk = sa.Table(prefix + "_bulk", metadata,
                    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
                    sa.Column("s", sa.UnicodeText))
    return vals, bulk


def check_connect(S, engine_dsn):
    with S.step("connect_dsn"):
        with engine_dsn.connect() as c:
            eq(c.execute(sa.text("SELECT 40 + 2")).scalar(), 42, "SELECT 40 + 2")
            eq(engine_dsn.dialect.name, "dqlite", "the dialect")
    with S.step("connect_string"):
        e = sa.create_engine(CS_URL, future=True)
        with e.connect() as c:
            eq(c.execute(sa.text("SELECT 'by string'")).scalar(), "by string", "a read")
        e.dispose()


def check_catalog(S, engine, name):
    with S.step("tables"):
        names = sa.inspect(engine).get_table_names()
        if name not in names:
            raise AssertionError("inspect().get_table_names() lacks %s: %r" % (name, names))
    with S.step("columns"):
        cols = [(c["name"], str(c["type"])) for c in sa.inspect(engine).get_columns(name)]
        eq([c[0] for c in cols], COLS, "inspect().get_columns() names")
        eq(cols[0][1], "INTEGER", "the type of id")


def core(S):
    engine = sa.create_engine(DSN_URL, future=True, fast_executemany=True)
    check_connect(S, engine)
    md = sa.MetaData()
    vals, bulk = tables(md, "sa_core")
    with S.step("ddl"):
        md.create_all(engine)  # create_all commits its own transaction
        eq(sorted(n for n in sa.inspect(engine).get_table_names() if n.startswith("sa_core")),
           ["sa_core_bulk", "sa_core_vals"], "tables made")
    with engine.connect() as c:
        with S.step("params"):
            c.execute(vals.insert(), dict(id=1, t=scenario.TEXT, n=scenario.BIG, r=scenario.REAL,
                                          d=DATE, ts=TS, f=True))
            c.commit()
            row = c.execute(sa.select(vals.c.t, vals.c.n, vals.c.r, vals.c.d, vals.c.ts, vals.c.f)
                            .where(vals.c.id == 1)).one()
            eq(tuple(row), (scenario.TEXT, scenario.BIG, scenario.REAL, DATE, TS, True), "row 1")
            c.rollback()
        with S.step("nulls"):
            c.execute(vals.insert(), dict(id=2, **{k: None for k in COLS[1:]}))
            c.commit()
            row = c.execute(sa.select(*[vals.c[k] for k in COLS[1:7]],
                                      sa.func.typeof(vals.c.f)).where(vals.c.id == 2)).one()
            # f by typeof(): a released server (1.11) reads NULL in a BOOLEAN
            # column as 0 (docs/types.md)
            eq(tuple(row), (None,) * 6 + ("null",), "row 2")
            c.rollback()
        with S.step("blob_1mb"):
            data = scenario.blob()
            c.execute(vals.update().where(vals.c.id == 1).values(b=data))
            c.commit()
            got = c.execute(sa.select(vals.c.b).where(vals.c.id == 1)).scalar()
            if bytes(got) != data:
                raise AssertionError("the 1 MiB BLOB read back differs (%d bytes)" % len(got))
            c.rollback()
        with S.step("bulk_10000"):
            rows = [dict(id=i, s="row %d" % i) for i in range(1, scenario.BULK_ROWS + 1)]
            t0 = time.monotonic()
            c.execute(bulk.insert(), rows)  # a list of parameter sets: executemany
            c.commit()
            S.bulk(scenario.BULK_ROWS, time.monotonic() - t0)
            eq(tuple(c.execute(sa.select(sa.func.count(), sa.func.sum(bulk.c.id))).one()),
               (10000, 50005000), "count, sum")
            c.rollback()
    check_catalog(S, engine, "sa_core_vals")
    with engine.connect() as c:
        with S.step("syntax_error"):
            try:
                c.execute(sa.text("SELEC 1"))
                raise AssertionError("SELEC 1 ran")
            except exc.DBAPIError as e:
                eq((type(e), sqlstate(e)), (exc.ProgrammingError, "42000"), "SELEC 1")
            c.rollback()
        with S.step("duplicate_key"):
            try:
                c.execute(vals.insert(), dict(id=1))
                raise AssertionError("a second id 1 went in")
            except exc.DBAPIError as e:
                eq((type(e), sqlstate(e)), (exc.IntegrityError, "23000"), "a second id 1")
            c.rollback()
        with S.step("rollback"):
            c.execute(vals.insert(), dict(id=3, t="undone"))
            c.rollback()
            eq(c.execute(sa.select(sa.func.count()).where(vals.c.id == 3)).scalar(), 0,
               "the rolled back row")
            c.rollback()
    with S.step("tx_idiom"):
        # Core's idiom: engine.begin() commits when the block ends normally
        # and rolls back when it raises
        with engine.begin() as c:
            c.execute(vals.insert(), dict(id=4, t="kept"))
        try:
            with engine.begin() as c:
                c.execute(vals.insert(), dict(id=5, t="undone"))
                raise KeyError("boom")
        except KeyError:
            pass
        with engine.connect() as c:
            eq([tuple(r) for r in c.execute(sa.select(vals.c.id, vals.c.t)
                                            .where(vals.c.id.in_([4, 5])))],
               [(4, "kept")], "only the block that ended normally is kept")
    engine.dispose()


def orm_sessions(S):
    engine = sa.create_engine(DSN_URL, future=True, fast_executemany=True)
    check_connect(S, engine)
    Base = orm.declarative_base()
    vals_t, bulk_t = tables(Base.metadata, "sa_orm")

    class Val(Base):
        __table__ = vals_t

    class Bulk(Base):
        __table__ = bulk_t

    with S.step("ddl"):
        Base.metadata.create_all(engine)
        eq(sorted(n for n in sa.inspect(engine).get_table_names() if n.startswith("sa_orm")),
           ["sa_orm_bulk", "sa_orm_vals"], "tables made")
    Session = orm.sessionmaker(engine, future=True)
    with S.step("params"):
        with Session() as s:
            s.add(Val(id=1, t=scenario.TEXT, n=scenario.BIG, r=scenario.REAL, d=DATE, ts=TS, f=True))
            s.commit()
        with Session() as s:
            v = s.get(Val, 1)
            eq((v.t, v.n, v.r, v.d, v.ts, v.f),
               (scenario.TEXT, scenario.BIG, scenario.REAL, DATE, TS, True), "Val 1")
    with S.step("nulls"):
        with Session() as s:
            s.add(Val(id=2))
            s.commit()
        with Session() as s:
            v = s.get(Val, 2)
            eq((v.t, v.n, v.r, v.b, v.d, v.ts), (None,) * 6, "Val 2")
            eq(s.execute(sa.select(sa.func.typeof(Val.f)).where(Val.id == 2)).scalar(), "null",
               "typeof(f) (a released server reads NULL in a BOOLEAN column as 0)")
    with S.step("blob_1mb"):
        data = scenario.blob()
        with Session() as s:
            s.get(Val, 1).b = data
            s.commit()
        with Session() as s:
            if bytes(s.get(Val, 1).b) != data:
                raise AssertionError("the 1 MiB BLOB read back differs")
    with S.step("bulk_10000"):
        rows = [dict(id=i, s="row %d" % i) for i in range(1, scenario.BULK_ROWS + 1)]
        with Session() as s:
            t0 = time.monotonic()
            s.bulk_insert_mappings(Bulk, rows)
            s.commit()
            S.bulk(scenario.BULK_ROWS, time.monotonic() - t0)
            eq(tuple(s.execute(sa.select(sa.func.count(), sa.func.sum(Bulk.id))).one()),
               (10000, 50005000), "count, sum")
    check_catalog(S, engine, "sa_orm_vals")
    with S.step("syntax_error"):
        with Session() as s:
            try:
                s.execute(sa.text("SELEC 1"))
                raise AssertionError("SELEC 1 ran")
            except exc.DBAPIError as e:
                eq((type(e), sqlstate(e)), (exc.ProgrammingError, "42000"), "SELEC 1")
    with S.step("duplicate_key"):
        with Session() as s:
            s.add(Val(id=1))
            try:
                s.commit()
                raise AssertionError("a second id 1 went in")
            except exc.DBAPIError as e:
                eq((type(e), sqlstate(e)), (exc.IntegrityError, "23000"), "a second id 1")
    with S.step("rollback"):
        with Session() as s:
            s.add(Val(id=3, t="undone"))
            s.flush()
            s.rollback()
            eq(s.get(Val, 3), None, "the rolled back row")
    with S.step("tx_idiom"):
        # the ORM idiom: `with Session.begin() as s:` commits when the block
        # ends normally and rolls back when it raises
        with Session.begin() as s:
            s.add(Val(id=4, t="kept"))
        try:
            with Session.begin() as s:
                s.add(Val(id=5, t="undone"))
                raise KeyError("boom")
        except KeyError:
            pass
        with Session() as s:
            eq([(v.id, v.t) for v in s.scalars(sa.select(Val).where(Val.id.in_([4, 5])))],
               [(4, "kept")], "only the block that ended normally is kept")
    engine.dispose()


def main():
    failed = 0
    for client, fn in (("sqlalchemy_core", core), ("sqlalchemy_orm", orm_sessions)):
        S = scenario.Steps(client)
        try:
            fn(S)
        except Exception as e:  # a failure outside a step: the steps left unreported fail the test
            import traceback
            traceback.print_exc()
            print("# %s stopped: %s" % (client, e))
            S.failed += 1
        failed += S.failed
    print("# SQLAlchemy %s" % sa.__version__)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
