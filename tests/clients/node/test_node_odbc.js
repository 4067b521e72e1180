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
