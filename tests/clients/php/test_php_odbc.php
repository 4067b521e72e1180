<?php
// PHP's odbc_* functions (Debian's php-odbc) against dqlite-odbc: the
// autocommit contract of docs/transactions.md, PHP odbc_* row.
//   default (unmanaged): reads run, a bare odbc_exec write is refused (25000),
//   odbc_exec BEGIN ... COMMIT / ROLLBACK works;
//   odbc_autocommit($c, false): the driver begins, odbc_commit / odbc_rollback end.
// Run by tests/clients/run_client.py, which starts a node and sets DQ_DSN.
require __DIR__ . '/check.inc.php';

$dsn = getenv('DQ_DSN');
$table = 'php_tx';

function dq_connect() {
    global $dsn;
    // odbc_connect may hand back an open link with the same arguments:
    // odbc_pconnect is not used and every link is closed by the case.
    $c = odbc_connect($dsn, '', '');
    if ($c === false) {
        throw new RuntimeException('odbc_connect failed: ' . odbc_errormsg());
    }
    return $c;
}

// What another connection sees: committed rows only (an unmanaged link:
// each read outside a transaction sees the last commit).
function committed_rows() {
    global $dsn, $table;
    $r = odbc_connect($dsn, '', '', SQL_CUR_USE_DRIVER);
    $res = odbc_exec($r, "SELECT v FROM $table ORDER BY id");
    $rows = [];
    while ($res !== false && ($row = odbc_fetch_array($res)) !== false) {
        $rows[] = $row['v'];
    }
    odbc_close($r);
    return $rows;
}

function reset_table($c) {
    global $table;
    foreach (['BEGIN', "DROP TABLE IF EXISTS $table",
              "CREATE TABLE $table (id INTEGER PRIMARY KEY, v TEXT)", 'COMMIT'] as $sql) {
        if (odbc_exec($c, $sql) === false) {
            throw new RuntimeException("$sql: " . odbc_errormsg($c));
        }
    }
}

run_case('default mode: reads run, a bare odbc_exec write is refused with 25000', function () {
    global $table;
    $c = dq_connect();
    reset_table($c);
    $res = odbc_exec($c, 'SELECT 40 + 2 AS n');
    check($res !== false && odbc_fetch_row($res) && odbc_result($res, 'n') == 42, 'a read runs');
    $r = @odbc_exec($c, "INSERT INTO $table (v) VALUES ('bare')");
    check_same($r, false, 'a bare INSERT is refused');
    check_same(odbc_error($c), '25000', 'odbc_error is 25000');
    check(strpos(odbc_errormsg($c), 'BEGIN ... COMMIT') !== false,
          'the message names BEGIN ... COMMIT', odbc_errormsg($c));
    check_same(committed_rows(), [], 'nothing was written');
    odbc_close($c);
});

run_case('default mode: odbc_exec BEGIN ... COMMIT and BEGIN ... ROLLBACK', function () {
    global $table;
    $c = dq_connect();
    reset_table($c);
    check(odbc_exec($c, 'BEGIN') !== false, 'BEGIN', odbc_errormsg($c));
    check(odbc_exec($c, "INSERT INTO $table (v) VALUES ('raw')") !== false, 'INSERT', odbc_errormsg($c));
    check_same(committed_rows(), [], 'not visible to another connection before COMMIT');
    check(odbc_exec($c, 'COMMIT') !== false, 'COMMIT', odbc_errormsg($c));
    check_same(committed_rows(), ['raw'], 'visible to another connection after COMMIT');
    check(odbc_exec($c, 'BEGIN') !== false, 'BEGIN again', odbc_errormsg($c));
    check(odbc_exec($c, "INSERT INTO $table (v) VALUES ('raw undone')") !== false, 'INSERT',
          odbc_errormsg($c));
    check(odbc_exec($c, 'ROLLBACK') !== false, 'ROLLBACK', odbc_errormsg($c));
    check_same(committed_rows(), ['raw'], 'the rolled back row is nowhere');
    odbc_close($c);
});

run_case('odbc_autocommit($c, false): write, odbc_commit; write, odbc_rollback', function () {
    global $table;
    $c = dq_connect();
    reset_table($c);
    check_same(odbc_autocommit($c, false), true, 'odbc_autocommit($c, false)');
    check(odbc_exec($c, "INSERT INTO $table (v) VALUES ('kept')") !== false,
          'INSERT without any BEGIN', odbc_errormsg($c));
    check_same(committed_rows(), [], 'not visible to another connection before odbc_commit');
    check_same(odbc_commit($c), true, 'odbc_commit');
    check_same(committed_rows(), ['kept'], 'visible to another connection after odbc_commit');
    check(odbc_exec($c, "INSERT INTO $table (v) VALUES ('dropped')") !== false,
          'INSERT in the next transaction', odbc_errormsg($c));
    check_same(odbc_rollback($c), true, 'odbc_rollback');
    check_same(committed_rows(), ['kept'], 'the rolled back row is nowhere');
    // back to the default: SQL_ATTR_AUTOCOMMIT ON is answered with 01S02
    // (a warning), and the connection is unmanaged again
    check_same(odbc_autocommit($c, true), true, 'odbc_autocommit($c, true) succeeds');
    check_same(@odbc_exec($c, "INSERT INTO $table (v) VALUES ('bare')"), false,
               'then a bare write is refused again');
    check_same(odbc_error($c), '25000', '... with 25000');
    odbc_close($c);
});

// ODBC 3 answers SQL_NO_DATA for an UPDATE / DELETE that touches no row;
// odbc_exec still returns a result, odbc_num_rows 0, the transaction goes on.
run_case('odbc_autocommit($c, false): a write of no row counts 0 and the transaction commits', function () {
    global $table;
    $c = dq_connect();
    reset_table($c);
    check_same(odbc_autocommit($c, false), true, 'odbc_autocommit($c, false)');
    check(odbc_exec($c, "INSERT INTO $table (v) VALUES ('kept')") !== false, 'INSERT',
          odbc_errormsg($c));
    $res = odbc_exec($c, "UPDATE $table SET v = 'x' WHERE id = -1");
    check($res !== false, 'UPDATE of no row', odbc_errormsg($c));
    check_same($res === false ? null : odbc_num_rows($res), 0, '... odbc_num_rows 0');
    $st = odbc_prepare($c, "DELETE FROM $table WHERE id = ?");
    check($st !== false && odbc_execute($st, [-1]), 'prepared DELETE of no row', odbc_errormsg($c));
    check_same($st === false ? null : odbc_num_rows($st), 0, '... odbc_num_rows 0');
    check_same(odbc_commit($c), true, 'odbc_commit');
    check_same(committed_rows(), ['kept'], 'the INSERT is committed');
    odbc_close($c);
});

// PHP's odbc.default_cursortype is static (3), and PHP asks for it when the
// driver says it can fetch by absolute position (SQL_FETCH_DIRECTION): its
// odbc_fetch_row($r, n) and odbc_fetch_array($r, n) then go through
// SQLExtendedFetch(SQL_FETCH_ABSOLUTE) on the driver's static cursor
// (SQL_CUR_USE_DRIVER: unixODBC's cursor library cannot stand in for it).
run_case('odbc_fetch_row / odbc_fetch_array by row number scroll the driver\'s static cursor', function () {
    global $dsn, $table;
    $c = odbc_connect($dsn, '', '', SQL_CUR_USE_DRIVER);
    reset_table($c);
    foreach (['BEGIN', "INSERT INTO $table (v) VALUES ('a'), ('b'), ('c')", 'COMMIT'] as $sql) {
        odbc_exec($c, $sql);
    }
    $r = odbc_exec($c, "SELECT v FROM $table ORDER BY id");
    check($r !== false, 'SELECT runs', odbc_errormsg($c));
    check_same(odbc_fetch_row($r, 3), true, 'odbc_fetch_row($r, 3)');
    check_same(odbc_result($r, 1), 'c', 'row 3 is c');
    check_same(odbc_fetch_array($r, 1), ['v' => 'a'], 'odbc_fetch_array($r, 1) goes back to a');
    check_same(odbc_fetch_row($r, 2), true, 'odbc_fetch_row($r, 2)');
    check_same(odbc_result($r, 1), 'b', 'row 2 is b');
    check_same(odbc_fetch_row($r, 4), false, 'there is no row 4');
    check_same(odbc_fetch_row($r), false, 'nothing follows after the end');
    odbc_close($c);
});

run_case('odbc_execute binds a BLOB column\'s marker as binary: every byte value round-trips', function () {
    $c = dq_connect();
    foreach (['BEGIN', 'DROP TABLE IF EXISTS php_bin',
              'CREATE TABLE php_bin (id INTEGER PRIMARY KEY, b BLOB, t TEXT)', 'COMMIT'] as $sql) {
        check(odbc_exec($c, $sql) !== false, $sql, odbc_errormsg($c));
    }
    // every byte value, NULs and invalid UTF-8 included; 600 of them, past
    // the 255 SQLDescribeParam once answered for every marker
    $bin = '';
    for ($i = 0; $i < 600; $i++) {
        $bin .= chr(($i * 7 + 1) % 256);
    }
    $text = str_repeat('é', 600);
    check_same(odbc_autocommit($c, false), true, 'odbc_autocommit($c, false)');
    $st = odbc_prepare($c, 'INSERT INTO php_bin (id, b, t) VALUES (?, ?, ?)');
    check($st !== false, 'odbc_prepare', odbc_errormsg($c));
    check(odbc_execute($st, [1, $bin, $text]), 'odbc_execute', odbc_errormsg($c));
    check_same(odbc_commit($c), true, 'odbc_commit');
    $res = odbc_exec($c, 'SELECT typeof(b), hex(b), typeof(t), t FROM php_bin');
    check($res !== false && odbc_fetch_row($res), 'the row reads back', odbc_errormsg($c));
    check_same(odbc_result($res, 1), 'blob', 'stored as a BLOB');
    check_same(odbc_result($res, 2), strtoupper(bin2hex($bin)), 'every byte as sent');
    check_same(odbc_result($res, 3), 'text', 'the TEXT marker stored text');
    check_same(odbc_result($res, 4), $text, 'the text as sent');
    odbc_rollback($c);
    // odbc_prepare asks SQLNumResultCols and binds the columns it is told
    // of before executing: the prepared SELECT is described then
    $st = odbc_prepare($c, 'SELECT id, t, length(b) AS n FROM php_bin WHERE id = ?');
    check($st !== false, 'odbc_prepare of a SELECT', odbc_errormsg($c));
    check_same(odbc_num_fields($st), 3, 'described before it ran');
    check_same(odbc_field_name($st, 3), 'n', 'with the statement\'s names');
    check(odbc_execute($st, [1]), 'odbc_execute', odbc_errormsg($c));
    check(odbc_fetch_row($st), 'its row', odbc_errormsg($c));
    check_same([odbc_result($st, 1), odbc_result($st, 2), odbc_result($st, 3)],
               ['1', $text, '600'], 'the values');
    odbc_rollback($c);
    odbc_close($c);
});

// The client matrix (tests/clients/scenario.py).
$GLOBALS['c'] = null;
const PO = 'php_odbc';
step(PO, 'connect_dsn', function () {
    $c = dq_connect();
    $GLOBALS['c'] = $c;
    $r = odbc_exec($c, 'SELECT 40 + 2 AS n');
    check($r !== false && odbc_fetch_row($r) && odbc_result($r, 'n') === '42', 'SELECT 40 + 2');
});
step(PO, 'connect_string', function () {
    $c = odbc_connect('Driver=dqlite-test;Server=' . getenv('DQ_SERVER') . ';Database=php', '', '');
    check($c !== false, 'odbc_connect with a connection string', odbc_errormsg());
    $r = odbc_exec($c, "SELECT 'by string' AS s");
    check($r !== false && odbc_fetch_row($r) && odbc_result($r, 's') === 'by string', 'a read');
    odbc_close($c);
});
$c = $GLOBALS['c'] ?: dq_connect();
odbc_autocommit($c, false);
step(PO, 'ddl', function () use ($c) {
    foreach (['CREATE TABLE po_vals (id INTEGER PRIMARY KEY, t TEXT, n INTEGER, r REAL, b BLOB,'
              . ' d DATE, ts TIMESTAMP, f BOOLEAN)',
              'CREATE TABLE po_bulk (id INTEGER PRIMARY KEY, s TEXT)'] as $sql) {
        check(odbc_exec($c, $sql) !== false, $sql, odbc_errormsg($c));
    }
    check_same(odbc_commit($c), true, 'odbc_commit');
});
// odbc_execute sends every value as text (SQL_C_CHAR) with the SQL type
// SQLDescribeParam gives the marker; values come back as strings
function po_row($c, $sql) {
    $r = odbc_exec($c, $sql);
    if ($r === false) {
        throw new RuntimeException("$sql: " . odbc_errormsg($c));
    }
    odbc_longreadlen($r, 2 << 20);
    odbc_binmode($r, ODBC_BINMODE_RETURN);
    $row = odbc_fetch_array($r);
    return $row === false ? null : array_values($row);
}
step(PO, 'params', function () use ($c) {
    $st = odbc_prepare($c, 'INSERT INTO po_vals (id, t, n, r, d, ts, f) VALUES (?, ?, ?, ?, ?, ?, ?)');
    check(odbc_execute($st, [1, scenario_text(), 1 << 62, 1.5e-10, '2026-12-03', '2026-12-03 10:11:12', true]),
          'odbc_execute', odbc_errormsg($c));
    check_same(odbc_commit($c), true, 'odbc_commit');
    $row = po_row($c, 'SELECT t, n, r, d, ts, f, typeof(n) || typeof(r) || typeof(f) FROM po_vals WHERE id = 1');
    check_same([$row[0], $row[1], (float)$row[2], $row[3], $row[4], $row[5], $row[6]],
               [scenario_text(), '4611686018427387904', 1.5e-10, '2026-12-03', '2026-12-03 10:11:12', '1',
                'integerrealinteger'], 'read back');
    odbc_rollback($c);
});
step(PO, 'nulls', function () use ($c) {
    $st = odbc_prepare($c, 'INSERT INTO po_vals (id, t, n, r, b, d, ts, f) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    check(odbc_execute($st, [2, null, null, null, null, null, null, null]), 'odbc_execute with nulls',
          odbc_errormsg($c));
    check_same(odbc_commit($c), true, 'odbc_commit');
    // f by typeof(): a released server (1.11) reads NULL in a BOOLEAN column as 0
    check_same(po_row($c, 'SELECT t, n, r, b, d, ts, typeof(t) || typeof(n) || typeof(r) || typeof(b)'
                          . ' || typeof(d) || typeof(ts) || typeof(f) FROM po_vals WHERE id = 2'),
               [null, null, null, null, null, null, str_repeat('null', 7)], 'NULL in every column');
    odbc_rollback($c);
});
step(PO, 'blob_1mb', function () use ($c) {
    $st = odbc_prepare($c, 'UPDATE po_vals SET b = ? WHERE id = 1');
    check(odbc_execute($st, [scenario_blob()]), 'odbc_execute with 1 MiB', odbc_errormsg($c));
    check_same(odbc_commit($c), true, 'odbc_commit');
    $row = po_row($c, 'SELECT typeof(b), length(b), b FROM po_vals WHERE id = 1');
    check_same([$row[0], $row[1]], ['blob', '1048576'], 'stored as a 1 MiB BLOB');
    check($row[2] === scenario_blob(), 'every byte reads back', strlen($row[2]) . ' bytes');
    odbc_rollback($c);
});
step(PO, 'bulk_10000', function () use ($c) {
    // PHP odbc_* has no parameter arrays: one prepared statement executed
    // 10,000 times in one transaction
    $st = odbc_prepare($c, 'INSERT INTO po_bulk (id, s) VALUES (?, ?)');
    $t0 = microtime(true);
    $ok = true;
    for ($i = 1; $i <= 10000 && $ok; $i++) {
        $ok = odbc_execute($st, [$i, "row $i"]);
    }
    check($ok, '10,000 odbc_execute', odbc_errormsg($c));
    check_same(odbc_commit($c), true, 'odbc_commit');
    bulk_line(PO, microtime(true) - $t0);
    check_same(po_row($c, 'SELECT count(*), sum(id), max(s) FROM po_bulk'), ['10000', '50005000', 'row 9999'],
               'count, sum, max');
    odbc_rollback($c);
});
step(PO, 'tables', function () use ($c) {
    $r = odbc_tables($c, null, null, '%', 'TABLE');
    $names = [];
    while ($r !== false && ($row = odbc_fetch_array($r)) !== false) {
        $names[] = $row['TABLE_NAME'];
    }
    check(in_array('po_vals', $names, true), 'odbc_tables lists po_vals', implode(' ', $names));
    odbc_rollback($c);
});
step(PO, 'columns', function () use ($c) {
    $r = odbc_columns($c, null, null, 'po_vals', '%');
    $cols = [];
    while ($r !== false && ($row = odbc_fetch_array($r)) !== false) {
        $cols[] = $row['COLUMN_NAME'] . ' ' . $row['TYPE_NAME'];
    }
    check_same($cols, ['id INTEGER', 't TEXT', 'n INTEGER', 'r REAL', 'b BLOB', 'd DATE', 'ts TIMESTAMP',
                       'f BOOLEAN'], 'odbc_columns');
    odbc_rollback($c);
});
step(PO, 'syntax_error', function () use ($c) {
    check_same(@odbc_exec($c, 'SELEC 1'), false, 'SELEC 1 fails');
    // PHP odbc_* is an ODBC 2 application (SQLAllocEnv): unixODBC maps the
    // driver's 42000 to ODBC 2's 37000 for it (docs/errors.md)
    check_same(odbc_error($c), '37000', 'odbc_error is 37000 (42000 as ODBC 2 says it)');
    odbc_rollback($c);
});
step(PO, 'duplicate_key', function () use ($c) {
    check_same(@odbc_exec($c, 'INSERT INTO po_vals (id) VALUES (1)'), false, 'a second id 1 fails');
    check_same(odbc_error($c), '23000', 'odbc_error is 23000');
    odbc_rollback($c);
});
step(PO, 'rollback', function () use ($c) {
    check(odbc_exec($c, "INSERT INTO po_vals (id, t) VALUES (3, 'undone')") !== false, 'INSERT', odbc_errormsg($c));
    check_same(odbc_rollback($c), true, 'odbc_rollback');
    check_same(po_row($c, 'SELECT count(*) FROM po_vals WHERE id = 3'), ['0'], 'the rolled back row is nowhere');
    odbc_rollback($c);
});
step(PO, 'tx_idiom', function () use ($c) {
    // odbc_autocommit($c, false), then try { ...; odbc_commit } catch { odbc_rollback }
    foreach ([[4, 'kept', false], [5, 'undone', true]] as [$id, $t, $throw]) {
        try {
            $st = odbc_prepare($c, 'INSERT INTO po_vals (id, t) VALUES (?, ?)');
            odbc_execute($st, [$id, $t]);
            if ($throw) {
                throw new RuntimeException('boom');
            }
            odbc_commit($c);
        } catch (RuntimeException $e) {
            odbc_rollback($c);
        }
    }
    check_same(po_row($c, 'SELECT group_concat(id) FROM po_vals WHERE id IN (4, 5)'), ['4'],
               'only the transaction that ended normally is kept');
    odbc_rollback($c);
});
odbc_close($c);

finish();
