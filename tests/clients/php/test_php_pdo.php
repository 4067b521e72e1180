<?php
// PHP PDO_ODBC (Debian's php-odbc) against dqlite-odbc: the autocommit
// contract of docs/transactions.md, PHP PDO_ODBC row.
//   with PDO::ATTR_AUTOCOMMIT => false, beginTransaction() / commit() /
//   rollBack() work (the driver begins, SQLEndTran ends); with PDO's
//   default autocommit, a write outside a transaction is refused with a
//   PDOException carrying 25000, reads run, and commit() commits but then
//   raises the driver's 01S02 (PDO treats it as an error).
// Run by tests/clients/run_client.py, which starts a node and sets DQ_DSN.
require __DIR__ . '/check.inc.php';

$dsn = getenv('DQ_DSN');
$table = 'pdo_tx';

// A PDO_ODBC connection with PDO's defaults, as an application makes it.
function dq_pdo() {
    global $dsn;
    return new PDO("odbc:$dsn", '', '', [PDO::ATTR_ERRMODE => PDO::ERRMODE_EXCEPTION]);
}

// What another connection sees: committed rows only. This witness reads
// with the driver's own cursor (PDO::ODBC_SQL_USE_DRIVER), so that it does
// not depend on the case 'PDO with its default options reads ...' below:
// with PDO's default (SQL_CUR_USE_IF_NEEDED) unixODBC puts its cursor
// library in front of a driver that cannot scroll, and that library refuses
// SQLFetchScroll when PDO bound no column (PDO_ODBC binds none for a column
// of 256+ bytes, such as TEXT): SL009. The driver scrolls (static cursors),
// so the library stays out.
function committed_rows() {
    global $dsn, $table;
    $p = new PDO("odbc:$dsn", '', '', [PDO::ATTR_ERRMODE => PDO::ERRMODE_EXCEPTION,
                                       PDO::ODBC_ATTR_USE_CURSOR_LIBRARY => PDO::ODBC_SQL_USE_DRIVER]);
    return $p->query("SELECT v FROM $table ORDER BY id")->fetchAll(PDO::FETCH_COLUMN, 0);
}

// The table is made with raw BEGIN ... COMMIT (the unmanaged idiom), so the
// cases below do not depend on each other.
function reset_table() {
    global $table;
    $p = dq_pdo();
    $p->exec('BEGIN');
    $p->exec("DROP TABLE IF EXISTS $table");
    $p->exec("CREATE TABLE $table (id INTEGER PRIMARY KEY, v TEXT)");
    $p->exec('COMMIT');
}

// Runs $fn, returns the PDOException it threw (null when none).
function pdo_error($fn) {
    try {
        $fn();
    } catch (PDOException $e) {
        return $e;
    }
    return null;
}

run_case('outside a transaction: reads run, a bare write is a PDOException with 25000', function () {
    global $table;
    reset_table();
    $p = dq_pdo();
    check_same((int)$p->query('SELECT 40 + 2')->fetchColumn(), 42, 'a read runs');
    $e = pdo_error(function () use ($p, $table) { $p->exec("INSERT INTO $table (v) VALUES ('bare')"); });
    if (check($e !== null, 'a bare INSERT throws PDOException')) {
        check_same($e->getCode(), '25000', 'getCode() is 25000');
        check_same($e->errorInfo[0], '25000', 'errorInfo[0] is 25000');
        check(strpos($e->getMessage(), 'beginTransaction()') !== false,
              'the message names beginTransaction()', $e->getMessage());
    }
    check_same(committed_rows(), [], 'nothing was written');
});

// PDO's transaction idiom with PDO::ATTR_AUTOCOMMIT => false: PDO then
// never turns autocommit back on, so the driver's 01S02 (autocommit cannot
// be turned on) never reaches PDO, which treats any answer but SQL_SUCCESS
// to that call as an error.
function dq_pdo_tx() {
    global $dsn;
    return new PDO("odbc:$dsn", '', '', [PDO::ATTR_ERRMODE => PDO::ERRMODE_EXCEPTION,
                                         PDO::ATTR_AUTOCOMMIT => false,
                                         PDO::ODBC_ATTR_USE_CURSOR_LIBRARY => PDO::ODBC_SQL_USE_DRIVER]);
}

run_case('ATTR_AUTOCOMMIT false: beginTransaction / write / commit, twice', function () {
    global $table;
    reset_table();
    $p = dq_pdo_tx();
    check_same($p->beginTransaction(), true, 'beginTransaction()');
    check_same($p->exec("INSERT INTO $table (v) VALUES ('kept')"), 1, 'INSERT');
    check_same(committed_rows(), [], 'not visible to another connection before commit');
    $e = pdo_error(function () use ($p) { $p->commit(); });
    check($e === null, 'commit() throws nothing', $e ? $e->getMessage() : '');
    check_same($p->inTransaction(), false, 'inTransaction() is false after commit()');
    check_same(committed_rows(), ['kept'], 'visible to another connection after commit');
    $e = pdo_error(function () use ($p) { $p->beginTransaction(); });
    check($e === null, 'a second beginTransaction() works', $e ? $e->getMessage() : '');
    $e = pdo_error(function () use ($p, $table) { $p->exec("INSERT INTO $table (v) VALUES ('second')"); });
    check($e === null, 'INSERT in the second transaction', $e ? $e->getMessage() : '');
    $e = pdo_error(function () use ($p) { $p->commit(); });
    check($e === null, 'second commit()', $e ? $e->getMessage() : '');
    check_same(committed_rows(), ['kept', 'second'], 'both transactions are committed');
});

// ODBC 3 answers SQL_NO_DATA for an UPDATE / DELETE that touches no row;
// PDO reads that as 0 rows, and the transaction goes on.
run_case('ATTR_AUTOCOMMIT false: a write of no row counts 0 and the transaction commits', function () {
    global $table;
    reset_table();
    $p = dq_pdo_tx();
    check_same($p->beginTransaction(), true, 'beginTransaction()');
    check_same($p->exec("INSERT INTO $table (v) VALUES ('kept')"), 1, 'INSERT');
    check_same($p->exec("UPDATE $table SET v = 'x' WHERE id = -1"), 0, 'exec UPDATE of no row is 0');
    $st = $p->prepare("DELETE FROM $table WHERE id = ?");
    check_same($st->execute([-1]), true, 'prepared DELETE of no row executes');
    check_same($st->rowCount(), 0, '... rowCount() 0');
    $e = pdo_error(function () use ($p) { $p->commit(); });
    check($e === null, 'commit()', $e ? $e->getMessage() : '');
    check_same(committed_rows(), ['kept'], 'the INSERT is committed');
});

run_case('ATTR_AUTOCOMMIT false: beginTransaction / write / rollBack', function () {
    global $table;
    reset_table();
    $p = dq_pdo_tx();
    check_same($p->beginTransaction(), true, 'beginTransaction()');
    check_same($p->exec("INSERT INTO $table (v) VALUES ('dropped')"), 1, 'INSERT');
    $e = pdo_error(function () use ($p) { $p->rollBack(); });
    check($e === null, 'rollBack() throws nothing', $e ? $e->getMessage() : '');
    check_same($p->inTransaction(), false, 'inTransaction() is false after rollBack()');
    check_same(committed_rows(), [], 'the rolled back row is nowhere');
    $e = pdo_error(function () use ($p) { $p->beginTransaction(); });
    check($e === null, 'beginTransaction() after rollBack() works', $e ? $e->getMessage() : '');
});

// Why docs/transactions.md gives PDO that idiom: with PDO's default
// autocommit, commit() commits, then turns autocommit back on; the driver
// answers that the standard way (SQL_SUCCESS_WITH_INFO, 01S02), which PDO
// reports as an exception although the commit is done.
run_case('default autocommit: commit() commits, then PDO raises the driver\'s 01S02', function () {
    global $table;
    reset_table();
    $p = dq_pdo();
    check_same($p->beginTransaction(), true, 'beginTransaction()');
    check_same($p->exec("INSERT INTO $table (v) VALUES ('done')"), 1, 'INSERT');
    $e = pdo_error(function () use ($p) { $p->commit(); });
    check($e !== null && strpos($e->getMessage(), '01S02') !== false,
          'PDO raises 01S02 from turning autocommit back on', $e ? $e->getMessage() : 'no exception');
    check_same(committed_rows(), ['done'], 'the commit itself is done');
});

run_case('with the driver cursor, a TEXT column, an empty result and an expression read', function () {
    global $table;
    reset_table();
    $w = dq_pdo();
    $w->exec('BEGIN');
    $w->exec("INSERT INTO $table (v) VALUES ('text value')");
    $w->exec('COMMIT');
    $p = dq_pdo_tx();
    $e = pdo_error(function () use ($p, $table, &$rows) {
        $rows = $p->query("SELECT v FROM $table")->fetchAll(PDO::FETCH_COLUMN, 0);
    });
    check($e === null && $rows === ['text value'], 'SELECT v (a TEXT column) returns its row',
          $e ? $e->getMessage() : var_export($rows, true));
    $e = pdo_error(function () use ($p, $table, &$rows) {
        $rows = $p->query("SELECT v FROM $table WHERE id < 0")->fetchAll(PDO::FETCH_COLUMN, 0);
    });
    check($e === null && $rows === [], 'an empty result of a TEXT column is empty',
          $e ? $e->getMessage() : var_export($rows, true));
    $e = pdo_error(function () use ($p, $table, &$rows) {
        $rows = $p->query("SELECT upper(v) AS u, id FROM $table")->fetchAll(PDO::FETCH_NUM);
    });
    check($e === null && $rows === [['TEXT VALUE', '1']], 'SELECT upper(v), id returns its row',
          $e ? $e->getMessage() : var_export($rows, true));
});

// PDO's default options (SQL_CUR_USE_IF_NEEDED): unixODBC loads its cursor
// library only for a driver that cannot scroll; this one can, so TEXT
// columns (which PDO_ODBC reads with SQLGetData) come back as written, and
// a scrollable PDO cursor (the driver's static cursor) reads them too.
run_case('PDO with its default options reads TEXT columns, forward and scrollable', function () {
    global $table;
    reset_table();
    $w = dq_pdo();
    $w->exec('BEGIN');
    $w->exec("INSERT INTO $table (v) VALUES ('first text'), ('second text'), (NULL)");
    $w->exec('COMMIT');
    $p = dq_pdo();
    $e = pdo_error(function () use ($p, $table, &$rows) {
        $rows = $p->query("SELECT v FROM $table ORDER BY id")->fetchAll(PDO::FETCH_COLUMN, 0);
    });
    check($e === null && $rows === ['first text', 'second text', null],
          'SELECT v (TEXT) with PDO defaults returns every row',
          $e ? $e->getMessage() : var_export($rows, true));
    $e = pdo_error(function () use ($p, $table, &$rows) {
        $rows = $p->query("SELECT id, v FROM $table ORDER BY id")->fetchAll(PDO::FETCH_NUM);
    });
    check($e === null && $rows === [['1', 'first text'], ['2', 'second text'], ['3', null]],
          'SELECT id, v with PDO defaults returns every row',
          $e ? $e->getMessage() : var_export($rows, true));
    $e = pdo_error(function () use ($p, $table, &$got) {
        $s = $p->prepare("SELECT v FROM $table ORDER BY id",
                         [PDO::ATTR_CURSOR => PDO::CURSOR_SCROLL]);
        $s->execute();
        $got = [$s->fetch(PDO::FETCH_NUM, PDO::FETCH_ORI_LAST),
                $s->fetch(PDO::FETCH_NUM, PDO::FETCH_ORI_FIRST),
                $s->fetch(PDO::FETCH_NUM, PDO::FETCH_ORI_ABS, 2)];
    });
    check($e === null && $got === [[null], ['first text'], ['second text']],
          'a scrollable PDO cursor reads LAST, FIRST, ABS 2',
          $e ? $e->getMessage() : var_export($got, true));
});

run_case('PARAM_LOB and PARAM_STR: a BLOB column gets the bytes, exactly', function () {
    $w = dq_pdo();
    $w->exec('BEGIN');
    $w->exec('DROP TABLE IF EXISTS pdo_bin');
    $w->exec('CREATE TABLE pdo_bin (id INTEGER PRIMARY KEY, b BLOB, t TEXT)');
    $w->exec('COMMIT');
    $bin = '';
    for ($i = 0; $i < 600; $i++) {
        $bin .= chr(($i * 7 + 1) % 256);
    }
    $p = dq_pdo_tx();
    $p->beginTransaction();
    $st = $p->prepare('INSERT INTO pdo_bin (id, b, t) VALUES (?, ?, ?)');
    $st->bindValue(1, 1, PDO::PARAM_INT);
    $st->bindValue(2, $bin, PDO::PARAM_LOB);
    $st->bindValue(3, 'plain text', PDO::PARAM_STR);
    $st->execute();
    // a stream is a LOB too
    $st = $p->prepare('INSERT INTO pdo_bin (id, b) VALUES (?, ?)');
    $fh = fopen('php://memory', 'w+b');
    fwrite($fh, $bin);
    rewind($fh);
    $st->bindValue(1, 2, PDO::PARAM_INT);
    $st->bindParam(2, $fh, PDO::PARAM_LOB);
    $st->execute();
    $p->commit();
    $rows = $p->query('SELECT id, typeof(b), hex(b), t FROM pdo_bin ORDER BY id')->fetchAll(PDO::FETCH_NUM);
    check_same(count($rows), 2, 'both rows read back');
    foreach ($rows as $r) {
        check_same($r[1], 'blob', "row $r[0]: stored as a BLOB");
        check_same($r[2], strtoupper(bin2hex($bin)), "row $r[0]: every byte as sent");
    }
    check_same($rows[0][3], 'plain text', 'the PARAM_STR marker stored its text');
});

// PDO binds a bool as SQL_C_CHAR ('' for false, '1' for true) with the SQL
// type SQLDescribeParam gives: SQL_BIT for a BOOLEAN column, so the driver
// stores the INTEGER 0 / 1. Text in a BOOLEAN column would abort the 1.11
// node that reads it back (docs/types.md), so the read-back and a query
// after it prove the node is unharmed.
run_case('PARAM_BOOL into a BOOLEAN column stores 0 / 1 and reads back', function () {
    $w = dq_pdo();
    $w->exec('BEGIN');
    $w->exec('DROP TABLE IF EXISTS pdo_bool');
    $w->exec('CREATE TABLE pdo_bool (id INTEGER PRIMARY KEY, flag BOOLEAN)');
    $w->exec('COMMIT');
    $p = dq_pdo_tx();
    $p->beginTransaction();
    $st = $p->prepare('INSERT INTO pdo_bool (id, flag) VALUES (?, ?)');
    $st->bindValue(1, 1, PDO::PARAM_INT);
    $st->bindValue(2, false, PDO::PARAM_BOOL);
    $st->execute();
    $st = $p->prepare('INSERT INTO pdo_bool (id, flag) VALUES (?, ?)');
    $st->execute([2, true]);
    $p->commit();
    $rows = $p->query('SELECT id, typeof(flag), flag FROM pdo_bool ORDER BY id')->fetchAll(PDO::FETCH_NUM);
    check_same($rows, [['1', 'integer', '0'], ['2', 'integer', '1']], 'false is 0, true is 1, both INTEGER');
    check_same($p->query('SELECT 40 + 2')->fetchColumn(), '42', 'the node still answers');
});

// The client matrix (tests/clients/scenario.py).
const PP = 'php_pdo';
$GLOBALS['p'] = null;
step(PP, 'connect_dsn', function () {
    $p = dq_pdo_tx();
    $GLOBALS['p'] = $p;
    check_same($p->query('SELECT 40 + 2')->fetchColumn(), '42', 'SELECT 40 + 2');
});
step(PP, 'connect_string', function () {
    $p = new PDO('odbc:Driver=dqlite-test;Server=' . getenv('DQ_SERVER') . ';Database=php', '', '',
                 [PDO::ATTR_ERRMODE => PDO::ERRMODE_EXCEPTION, PDO::ATTR_AUTOCOMMIT => false]);
    check_same($p->query("SELECT 'by string'")->fetchColumn(), 'by string', 'a read');
});
$p = $GLOBALS['p'] ?: dq_pdo_tx();
function pp_row($p, $sql) {
    $r = $p->query($sql)->fetch(PDO::FETCH_NUM);
    return $r === false ? null : $r;
}
step(PP, 'ddl', function () use ($p) {
    $p->beginTransaction();
    $p->exec('CREATE TABLE pp_vals (id INTEGER PRIMARY KEY, t TEXT, n INTEGER, r REAL, b BLOB,'
             . ' d DATE, ts TIMESTAMP, f BOOLEAN)');
    $p->exec('CREATE TABLE pp_bulk (id INTEGER PRIMARY KEY, s TEXT)');
    $p->commit();
    check_same(pp_row($p, "SELECT count(*) FROM sqlite_master WHERE name LIKE 'pp\_%' ESCAPE '\\'"), ['2'],
               'both tables made');
});
step(PP, 'params', function () use ($p) {
    $p->beginTransaction();
    $st = $p->prepare('INSERT INTO pp_vals (id, t, n, r, d, ts, f) VALUES (?, ?, ?, ?, ?, ?, ?)');
    $st->bindValue(1, 1, PDO::PARAM_INT);
    $st->bindValue(2, scenario_text(), PDO::PARAM_STR);
    $st->bindValue(3, 1 << 62, PDO::PARAM_INT);
    $st->bindValue(4, 1.5e-10, PDO::PARAM_STR); // PDO has no float type: the text 1.5E-10
    $st->bindValue(5, '2026-12-03', PDO::PARAM_STR);
    $st->bindValue(6, '2026-12-03 10:11:12', PDO::PARAM_STR);
    $st->bindValue(7, true, PDO::PARAM_BOOL);
    $st->execute();
    $p->commit();
    $row = pp_row($p, 'SELECT t, n, r, d, ts, f, typeof(n) || typeof(r) || typeof(f) FROM pp_vals WHERE id = 1');
    $row[2] = (float)$row[2];
    check_same($row, [scenario_text(), '4611686018427387904', 1.5e-10, '2026-12-03', '2026-12-03 10:11:12', '1',
                      'integerrealinteger'], 'read back');
});
step(PP, 'nulls', function () use ($p) {
    $p->beginTransaction();
    $st = $p->prepare('INSERT INTO pp_vals (id, t, n, r, b, d, ts, f) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    $st->bindValue(1, 2, PDO::PARAM_INT);
    for ($i = 2; $i <= 8; $i++) {
        $st->bindValue($i, null, PDO::PARAM_NULL);
    }
    $st->execute();
    $p->commit();
    // f by typeof(): a released server (1.11) reads NULL in a BOOLEAN column as 0
    check_same(pp_row($p, 'SELECT t, n, r, b, d, ts, typeof(t) || typeof(n) || typeof(r) || typeof(b)'
                          . ' || typeof(d) || typeof(ts) || typeof(f) FROM pp_vals WHERE id = 2'),
               [null, null, null, null, null, null, str_repeat('null', 7)], 'NULL in every column');
});
step(PP, 'blob_1mb', function () use ($p) {
    $p->beginTransaction();
    $st = $p->prepare('UPDATE pp_vals SET b = ? WHERE id = 1');
    $st->bindValue(1, scenario_blob(), PDO::PARAM_LOB);
    $st->execute();
    $p->commit();
    $row = pp_row($p, 'SELECT typeof(b), length(b), b FROM pp_vals WHERE id = 1');
    check_same([$row[0], $row[1]], ['blob', '1048576'], 'stored as a 1 MiB BLOB');
    // PDO_ODBC reads a long column with SQLGetData(SQL_C_CHAR) (its
    // odbc_stmt_get_col), and ODBC gives binary data as character data in
    // hex: the BLOB comes back as its hex digits
    check(strlen($row[2]) === 2 << 20 && hex2bin($row[2]) === scenario_blob(),
          'every byte reads back (as hex: PDO_ODBC fetches with SQL_C_CHAR)', strlen($row[2]) . ' bytes');
});
step(PP, 'bulk_10000', function () use ($p) {
    // PDO has no parameter arrays: one prepared statement executed 10,000
    // times in one transaction
    $t0 = microtime(true);
    $p->beginTransaction();
    $st = $p->prepare('INSERT INTO pp_bulk (id, s) VALUES (?, ?)');
    for ($i = 1; $i <= 10000; $i++) {
        $st->execute([$i, "row $i"]);
    }
    $p->commit();
    bulk_line(PP, microtime(true) - $t0);
    check_same(pp_row($p, 'SELECT count(*), sum(id), max(s) FROM pp_bulk'), ['10000', '50005000', 'row 9999'],
               'count, sum, max');
});
// PDO has no catalog functions (no SQLTables / SQLColumns): what it can do
// instead is ask SQLite's own catalog in SQL
step_na(PP, 'tables', 'PDO has no catalog API (SQLTables); tested instead: SELECT name FROM sqlite_master');
run_case('instead of tables: sqlite_master lists pp_vals', function () use ($p) {
    $names = $p->query("SELECT name FROM sqlite_master WHERE type = 'table'")->fetchAll(PDO::FETCH_COLUMN, 0);
    check(in_array('pp_vals', $names, true), 'sqlite_master lists pp_vals', implode(' ', $names));
});
step_na(PP, 'columns', 'PDO has no catalog API (SQLColumns); tested instead: PRAGMA table_info');
run_case('instead of columns: PRAGMA table_info names the columns in order', function () use ($p) {
    $cols = $p->query('PRAGMA table_info(pp_vals)')->fetchAll(PDO::FETCH_NUM);
    check_same(array_map(function ($r) { return $r[1] . ' ' . $r[2]; }, $cols),
               ['id INTEGER', 't TEXT', 'n INTEGER', 'r REAL', 'b BLOB', 'd DATE', 'ts TIMESTAMP', 'f BOOLEAN'],
               'PRAGMA table_info');
});
step(PP, 'syntax_error', function () use ($p) {
    $e = pdo_error(function () use ($p) { $p->query('SELEC 1'); });
    check($e !== null && $e->getCode() === '42000', 'SELEC 1: PDOException 42000', $e ? $e->getMessage() : 'none');
});
step(PP, 'duplicate_key', function () use ($p) {
    $p->beginTransaction();
    $e = pdo_error(function () use ($p) { $p->exec('INSERT INTO pp_vals (id) VALUES (1)'); });
    check($e !== null && $e->getCode() === '23000', 'a second id 1: PDOException 23000',
          $e ? $e->getMessage() : 'none');
    $p->rollBack();
});
step(PP, 'rollback', function () use ($p) {
    $p->beginTransaction();
    check_same($p->exec("INSERT INTO pp_vals (id, t) VALUES (3, 'undone')"), 1, 'INSERT');
    $p->rollBack();
    check_same(pp_row($p, 'SELECT count(*) FROM pp_vals WHERE id = 3'), ['0'], 'the rolled back row is nowhere');
});
step(PP, 'tx_idiom', function () use ($p) {
    // try { beginTransaction(); ...; commit(); } catch { rollBack(); }
    foreach ([[4, 'kept', false], [5, 'undone', true]] as [$id, $t, $throw]) {
        try {
            $p->beginTransaction();
            $p->prepare('INSERT INTO pp_vals (id, t) VALUES (?, ?)')->execute([$id, $t]);
            if ($throw) {
                throw new RuntimeException('boom');
            }
            $p->commit();
        } catch (RuntimeException $e) {
            $p->rollBack();
        }
    }
    check_same(pp_row($p, 'SELECT group_concat(id) FROM pp_vals WHERE id IN (4, 5)'), ['4'],
               'only the transaction that ended normally is kept');
});

finish();
