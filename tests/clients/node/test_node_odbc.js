'use strict';
// node `odbc` (npm, built from source against unixODBC) against dqlite-odbc:
// the autocommit contract of docs/transactions.md, node odbc row.
//   beginTransaction() turns SQL_ATTR_AUTOCOMMIT off (the driver begins);
//   commit() / rollback() end the transaction and turn autocommit back on,
//   which the driver answers with 01S02 (a warning): node odbc carries on.
//   Plain query(): reads run, a bare write is refused with 25000;
//   query('BEGIN') ... query('COMMIT') works.
// Run by tests/clients/run_client.py (node --test), which starts a node and
// sets DQ_DSN.
const test = require('node:test');
const assert = require('node:assert/strict');
const odbc = require('odbc');

const CS = `DSN=${process.env.DQ_DSN}`;
const TABLE = 'node_tx';

// What another connection sees: committed rows only (a plain connection:
// each read outside a transaction sees the last commit).
async function committedRows() {
  const c = await odbc.connect(CS);
  try {
    const rows = await c.query(`SELECT v FROM ${TABLE} ORDER BY id`);
    return rows.map((r) => r.v);
  } finally {
    await c.close();
  }
}

async function resetTable() {
  const c = await odbc.connect(CS);
  try {
    await c.query('BEGIN');
    await c.query(`DROP TABLE IF EXISTS ${TABLE}`);
    await c.query(`CREATE TABLE ${TABLE} (id INTEGER PRIMARY KEY, v TEXT)`);
    await c.query('COMMIT');
  } finally {
    await c.close();
  }
}

function assertRefused25000(err) {
  assert.ok(Array.isArray(err.odbcErrors), `an odbc error: ${err}`);
  assert.equal(err.odbcErrors[0].state, '25000');
  assert.match(err.odbcErrors[0].message, /beginTransaction\(\)/);
  assert.match(err.odbcErrors[0].message, /BEGIN \.\.\. COMMIT/);
  return true;
}

test('plain query(): reads run, a bare INSERT is refused with 25000', async () => {
  await resetTable();
  const c = await odbc.connect(CS);
  try {
    const rows = await c.query('SELECT 40 + 2 AS n, \'text\' AS t');
    assert.deepEqual(rows.map((r) => [Number(r.n), r.t]), [[42, 'text']]);
    assert.equal(rows.columns.length, 2);
    await assert.rejects(c.query(`INSERT INTO ${TABLE} (v) VALUES ('bare')`), assertRefused25000);
    assert.deepEqual(await committedRows(), []);
  } finally {
    await c.close();
  }
});

test('beginTransaction / query INSERT / commit, then a bare write is refused again', async () => {
  await resetTable();
  const c = await odbc.connect(CS);
  try {
    await c.beginTransaction();
    const r = await c.query(`INSERT INTO ${TABLE} (v) VALUES ('kept')`);
    assert.equal(r.count, 1);
    assert.deepEqual(await committedRows(), [], 'not visible before commit');
    await c.commit(); // resolves although autocommit ON is answered with 01S02
    assert.deepEqual(await committedRows(), ['kept'], 'visible to another connection');
    await assert.rejects(c.query(`INSERT INTO ${TABLE} (v) VALUES ('bare')`), assertRefused25000);
    await c.beginTransaction();
    await c.query(`INSERT INTO ${TABLE} (v) VALUES ('second')`);
    await c.commit();
    assert.deepEqual(await committedRows(), ['kept', 'second']);
    const mine = await c.query(`SELECT v FROM ${TABLE} ORDER BY id`);
    assert.deepEqual(mine.map((x) => x.v), ['kept', 'second'], 'the same connection reads');
  } finally {
    await c.close();
  }
});

test('beginTransaction / query INSERT / rollback', async () => {
  await resetTable();
  const c = await odbc.connect(CS);
  try {
    await c.beginTransaction();
    await c.query(`INSERT INTO ${TABLE} (v) VALUES ('dropped')`);
    await c.rollback();
    assert.deepEqual(await committedRows(), [], 'the rolled back row is nowhere');
    await c.beginTransaction(); // the next transaction starts normally
    await c.query(`INSERT INTO ${TABLE} (v) VALUES ('after rollback')`);
    await c.commit();
    assert.deepEqual(await committedRows(), ['after rollback']);
  } finally {
    await c.close();
  }
});

test("query('BEGIN') ... query('COMMIT') and ... query('ROLLBACK')", async () => {
  await resetTable();
  const c = await odbc.connect(CS);
  try {
    await c.query('BEGIN');
    await c.query(`INSERT INTO ${TABLE} (v) VALUES ('raw')`);
    assert.deepEqual(await committedRows(), []);
    await c.query('COMMIT');
    assert.deepEqual(await committedRows(), ['raw']);
    await c.query('BEGIN');
    await c.query(`INSERT INTO ${TABLE} (v) VALUES ('raw undone')`);
    await c.query('ROLLBACK');
    assert.deepEqual(await committedRows(), ['raw']);
  } finally {
    await c.close();
  }
});

// ODBC 3 answers SQL_NO_DATA for an UPDATE / DELETE that touches no row:
// node odbc resolves with count 0, and the transaction goes on.
test('a write of no row counts 0 and the transaction commits', async () => {
  await resetTable();
  const c = await odbc.connect(CS);
  try {
    await c.beginTransaction();
    await c.query(`INSERT INTO ${TABLE} (v) VALUES ('kept')`);
    const u = await c.query(`UPDATE ${TABLE} SET v = 'x' WHERE id = -1`);
    assert.equal(u.count, 0);
    const d = await c.query(`DELETE FROM ${TABLE} WHERE id = ?`, [-1]);
    assert.equal(d.count, 0);
    await c.commit();
    assert.deepEqual(await committedRows(), ['kept']);
  } finally {
    await c.close();
  }
});

// The client matrix (tests/clients/scenario.py): each step prints
// "step node_odbc NAME ok", or FAIL with the error (the next step runs);
// the test fails when any step failed.
test('client matrix', async () => {
  const failures = [];
  async function step(name, fn) {
    try {
      await fn();
      console.log(`step node_odbc ${name} ok`);
    } catch (e) {
      failures.push(name);
      const why = String(e && e.odbcErrors ? `${e.message} ${JSON.stringify(e.odbcErrors)}` : e)
        .replace(/\s+/g, ' ').slice(0, 300);
      console.log(`step node_odbc ${name} FAIL ${why}`);
    }
  }
  async function stateOf(promise) {
    try {
      await promise;
    } catch (e) {
      return e.odbcErrors ? e.odbcErrors[0].state : String(e);
    }
    return null;
  }
  const TEXT = 'h\u00e9 \u20ac \u{1F600}';
  const BLOB = Buffer.alloc(1 << 20);
  for (let i = 0; i < BLOB.length; i++) BLOB[i] = (i * 7 + 1) % 256;
  let c;
  await step('connect_dsn', async () => {
    c = await odbc.connect(CS);
    const r = await c.query('SELECT 40 + 2 AS n');
    assert.equal(Number(r[0].n), 42);
  });
  await step('connect_string', async () => {
    const c2 = await odbc.connect(`Driver=dqlite-test;Server=${process.env.DQ_SERVER};Database=node`);
    const r = await c2.query("SELECT 'by string' AS s");
    assert.equal(r[0].s, 'by string');
    await c2.close();
  });
  c = c || await odbc.connect(CS);
  try {
    await step('ddl', async () => {
      await c.beginTransaction();
      await c.query('CREATE TABLE nd_vals (id INTEGER PRIMARY KEY, t TEXT, n INTEGER, r REAL, b BLOB,'
                    + ' d DATE, ts TIMESTAMP, f BOOLEAN)');
      await c.query('CREATE TABLE nd_bulk (id INTEGER PRIMARY KEY, s TEXT)');
      await c.commit();
      const r = await c.query("SELECT count(*) AS n FROM sqlite_master WHERE name IN ('nd_vals', 'nd_bulk')");
      assert.equal(Number(r[0].n), 2);
    });
    await step('params', async () => {
      await c.beginTransaction();
      await c.query('INSERT INTO nd_vals (id, t, n, r, d, ts, f) VALUES (?, ?, ?, ?, ?, ?, ?)',
                    [1, TEXT, 2n ** 62n, 1.5e-10, '2026-12-03', '2026-12-03 10:11:12', true]);
      await c.commit();
      const r = await c.query('SELECT t, n, r, d, ts, f, typeof(n) || typeof(r) || typeof(f) AS ty'
                              + ' FROM nd_vals WHERE id = 1');
      const row = r[0];
      // node odbc hands back a BIGINT as a BigInt, DATE / TIMESTAMP as
      // text, and a BIT (the BOOLEAN column) as the text '1'
      assert.deepEqual([row.t, row.n, row.r, row.d, row.ts, row.f, row.ty],
                       [TEXT, 2n ** 62n, 1.5e-10, '2026-12-03', '2026-12-03 10:11:12', '1',
                        'integerrealinteger']);
    });
    await step('nulls', async () => {
      await c.beginTransaction();
      await c.query('INSERT INTO nd_vals (id, t, n, r, b, d, ts, f) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
                    [2, null, null, null, null, null, null, null]);
      await c.commit();
      // f by typeof(): a released server (1.11) reads NULL in a BOOLEAN column as 0
      const r = await c.query('SELECT t, n, r, b, d, ts, typeof(t) || typeof(n) || typeof(r) || typeof(b)'
                              + ' || typeof(d) || typeof(ts) || typeof(f) AS ty FROM nd_vals WHERE id = 2');
      const row = r[0];
      assert.deepEqual([row.t, row.n, row.r, row.b, row.d, row.ts, row.ty],
                       [null, null, null, null, null, null, 'null'.repeat(7)]);
    });
    await step('blob_1mb', async () => {
      await c.beginTransaction();
      await c.query('UPDATE nd_vals SET b = ? WHERE id = 1', [BLOB]);
      await c.commit();
      const r = await c.query('SELECT typeof(b) AS ty, length(b) AS len, b FROM nd_vals WHERE id = 1');
      assert.deepEqual([r[0].ty, Number(r[0].len)], ['blob', 1 << 20]);
      assert.ok(Buffer.from(r[0].b).equals(BLOB), `the BLOB reads back (${r[0].b && r[0].b.byteLength} bytes)`);
    });
    await step('bulk_10000', async () => {
      // node odbc has no parameter arrays: one prepared statement, bound and
      // executed 10,000 times in one transaction
      const t0 = process.hrtime.bigint();
      await c.beginTransaction();
      const st = await c.createStatement();
      await st.prepare('INSERT INTO nd_bulk (id, s) VALUES (?, ?)');
      for (let i = 1; i <= 10000; i++) {
        await st.bind([i, `row ${i}`]);
        await st.execute();
      }
      await st.close();
      await c.commit();
      const s = Number(process.hrtime.bigint() - t0) / 1e9;
      console.log(`bulk: node_odbc 10000 rows in ${s.toFixed(2)} s (${Math.round(10000 / s)} rows/s)`);
      const r = await c.query('SELECT count(*) AS n, sum(id) AS s, max(s) AS m FROM nd_bulk');
      assert.deepEqual([Number(r[0].n), Number(r[0].s), r[0].m], [10000, 50005000, 'row 9999']);
    });
    await step('tables', async () => {
      const r = await c.tables(null, null, null, 'TABLE');
      assert.ok(r.map((x) => x.TABLE_NAME).includes('nd_vals'), JSON.stringify(r.map((x) => x.TABLE_NAME)));
    });
    await step('columns', async () => {
      const r = await c.columns(null, null, 'nd_vals', null);
      assert.deepEqual(r.map((x) => `${x.COLUMN_NAME} ${x.TYPE_NAME}`),
                       ['id INTEGER', 't TEXT', 'n INTEGER', 'r REAL', 'b BLOB', 'd DATE', 'ts TIMESTAMP',
                        'f BOOLEAN']);
    });
    await step('syntax_error', async () => {
      assert.equal(await stateOf(c.query('SELEC 1')), '42000');
    });
    await step('duplicate_key', async () => {
      await c.beginTransaction();
      assert.equal(await stateOf(c.query('INSERT INTO nd_vals (id) VALUES (?)', [1])), '23000');
      await c.rollback();
    });
    await step('rollback', async () => {
      await c.beginTransaction();
      await c.query("INSERT INTO nd_vals (id, t) VALUES (3, 'undone')");
      await c.rollback();
      const r = await c.query('SELECT count(*) AS n FROM nd_vals WHERE id = 3');
      assert.equal(Number(r[0].n), 0);
    });
    await step('tx_idiom', async () => {
      // beginTransaction(); try { ...; commit() } catch { rollback() }
      for (const [id, t, fail] of [[4, 'kept', false], [5, 'undone', true]]) {
        await c.beginTransaction();
        try {
          await c.query('INSERT INTO nd_vals (id, t) VALUES (?, ?)', [id, t]);
          if (fail) throw new Error('boom');
          await c.commit();
        } catch (e) {
          await c.rollback();
        }
      }
      const r = await c.query('SELECT group_concat(id) AS ids FROM nd_vals WHERE id IN (4, 5)');
      assert.equal(r[0].ids, '4');
    });
  } finally {
    await c.close();
  }
  assert.deepEqual(failures, [], 'every step of the client matrix passed');
});
