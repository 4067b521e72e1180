#!/usr/bin/perl
# Perl DBI + DBD::ODBC (Debian's libdbd-odbc-perl) against dqlite-odbc: the
# autocommit contract of docs/transactions.md, Perl DBI row.
#   AutoCommit => 0: the driver begins; $dbh->commit / rollback end.
#   AutoCommit => 1: DBD::ODBC sets SQL_ATTR_AUTOCOMMIT ON right after
#   connecting (the driver answers 01S02, a warning): the connect succeeds,
#   reads run, a bare write is refused (25000) with the advice, and raw
#   BEGIN ... COMMIT works (DBI's begin_work does not: DBI reads AutoCommit
#   back as 0).
# Run by tests/clients/run_client.py, which starts a node and sets DQ_DSN.
use strict;
use warnings;
use Test::More;
use DBI;
use Time::HiRes ();
use Encode ();

my $dsn = "dbi:ODBC:DSN=$ENV{DQ_DSN}";
my $table = "perl_tx";

sub dq_connect {
    my (%attr) = @_;
    my $dbh = DBI->connect($dsn, "", "",
                           {RaiseError => 1, PrintError => 0, PrintWarn => 0, %attr});
    return $dbh;
}

# The rows another connection sees (committed data only): a fresh
# AutoCommit => 0 connection, its read transaction rolled back.
sub committed_rows {
    my $r = dq_connect(AutoCommit => 0);
    my $rows = $r->selectcol_arrayref("SELECT v FROM $table ORDER BY id");
    $r->rollback;
    $r->disconnect;
    return $rows;
}

sub reset_table {
    my $dbh = dq_connect(AutoCommit => 0);
    $dbh->do("DROP TABLE IF EXISTS $table");
    $dbh->do("CREATE TABLE $table (id INTEGER PRIMARY KEY, v TEXT)");
    $dbh->commit;
    $dbh->disconnect;
}

subtest 'AutoCommit => 0: write, commit, seen by another connection; rollback' => sub {
    reset_table();
    my $dbh = dq_connect(AutoCommit => 0);
    ok($dbh, 'connected with AutoCommit => 0');
    is($dbh->do("INSERT INTO $table (v) VALUES ('kept')"), 1, 'INSERT without any BEGIN');
    is_deeply(committed_rows(), [], 'not visible to another connection before commit');
    ok($dbh->commit, 'commit');
    is_deeply(committed_rows(), ['kept'], 'visible to another connection after commit');
    is($dbh->do("INSERT INTO $table (v) VALUES ('dropped')"), 1, 'INSERT in the next transaction');
    ok($dbh->rollback, 'rollback');
    is_deeply(committed_rows(), ['kept'], 'the rolled back row is nowhere');
    is_deeply($dbh->selectcol_arrayref("SELECT v FROM $table"), ['kept'],
              'the same connection reads on after rollback');
    $dbh->rollback;
    ok($dbh->disconnect, 'disconnect');
};

subtest 'AutoCommit => 1: connect succeeds, reads run, a bare write is refused' => sub {
    reset_table();
    my $dbh = dq_connect(AutoCommit => 1);
    ok($dbh, 'connected with AutoCommit => 1 (DBD::ODBC sets SQL_ATTR_AUTOCOMMIT ON at once)')
        or return;
    is_deeply($dbh->selectrow_arrayref("SELECT 40 + 2"), [42], 'a read runs');
    my $ok = eval { $dbh->do("INSERT INTO $table (v) VALUES ('bare')"); 1 };
    ok(!$ok, 'the first bare write is refused');
    is($dbh->state, '25000', 'SQLSTATE 25000');
    like($dbh->errstr, qr/AutoCommit => 0/, 'the message names AutoCommit => 0');
    like($dbh->errstr, qr/BEGIN \.\.\. COMMIT/, 'the message names BEGIN ... COMMIT');
    is_deeply(committed_rows(), [], 'nothing was written');
    ok($dbh->disconnect, 'disconnect');
};

# SQL_ATTR_AUTOCOMMIT always reads OFF (docs/transactions.md), and DBD::ODBC
# reads it back after setting it: DBI then reports AutoCommit 0, and its
# begin_work (which requires AutoCommit on) is not the idiom; raw BEGIN ...
# COMMIT (below) or AutoCommit => 0 (above) are.
# ODBC 3 answers SQL_NO_DATA for an UPDATE / DELETE that touches no row;
# DBI reports that as "0E0" (true, zero rows), and the transaction goes on.
subtest 'AutoCommit => 0: a write of no row is 0E0 and the transaction commits' => sub {
    reset_table();
    my $dbh = dq_connect(AutoCommit => 0);
    is($dbh->do("INSERT INTO $table (v) VALUES ('kept')"), 1, 'INSERT');
    is($dbh->do("UPDATE $table SET v = 'x' WHERE id = -1"), '0E0', 'do UPDATE of no row is 0E0');
    my $sth = $dbh->prepare("DELETE FROM $table WHERE id = ?");
    is($sth->execute(-1), '0E0', 'prepared DELETE of no row is 0E0');
    is($sth->rows, 0, '... rows 0');
    ok($dbh->commit, 'commit');
    is_deeply(committed_rows(), ['kept'], 'the INSERT is committed');
    ok($dbh->disconnect, 'disconnect');
};

subtest 'AutoCommit => 1: DBI reads AutoCommit back as 0, so begin_work is refused by DBI and nothing is written' => sub {
    reset_table();
    my $dbh = dq_connect(AutoCommit => 1);
    is($dbh->{AutoCommit}, 0, 'DBI reports what the driver reports: OFF');
    ok(!eval { $dbh->begin_work; 1 }, 'begin_work is refused by DBI');
    like($@, qr/Already in a transaction/, '... as DBI does when AutoCommit is off');
    ok(!eval { $dbh->do("INSERT INTO $table (v) VALUES ('bare')"); 1 },
       'the connection is still unmanaged: a bare write is refused');
    is($dbh->state, '25000', '... with 25000');
    is_deeply(committed_rows(), [], 'nothing was written');
    ok($dbh->disconnect, 'disconnect');
};

subtest 'AutoCommit => 1: raw BEGIN ... COMMIT and BEGIN ... ROLLBACK' => sub {
    reset_table();
    my $dbh = dq_connect(AutoCommit => 1);
    ok($dbh->do("BEGIN"), 'do("BEGIN")');
    is($dbh->do("INSERT INTO $table (v) VALUES ('raw')"), 1, 'INSERT');
    is_deeply(committed_rows(), [], 'not visible before COMMIT');
    ok($dbh->do("COMMIT"), 'do("COMMIT")');
    is_deeply(committed_rows(), ['raw'], 'visible to another connection after COMMIT');
    ok($dbh->do("BEGIN"), 'do("BEGIN") again');
    is($dbh->do("INSERT INTO $table (v) VALUES ('raw undone')"), 1, 'INSERT');
    ok($dbh->do("ROLLBACK"), 'do("ROLLBACK")');
    is_deeply(committed_rows(), ['raw'], 'the rolled back row is nowhere');
    ok($dbh->disconnect, 'disconnect');
};

subtest 'placeholders are described from their columns: 600 characters and bytes go in exactly' => sub {
    my $dbh = dq_connect(AutoCommit => 0);
    $dbh->do("DROP TABLE IF EXISTS perl_bin");
    $dbh->do("CREATE TABLE perl_bin (id INTEGER PRIMARY KEY, s VARCHAR(40), b BLOB)");
    $dbh->commit;
    my $long = 'x' x 600;
    my $bin = join '', map { chr(($_ * 7 + 1) % 256) } 0 .. 599;
    # no bind types: DBD::ODBC binds as SQLDescribeParam says (a BLOB
    # column's marker is binary, so the bytes stay a BLOB)
    my $sth = $dbh->prepare("INSERT INTO perl_bin (id, s, b) VALUES (?, ?, ?)");
    ok($sth->execute(1, $long, $bin), 'execute with a long string and bytes');
    ok($sth->execute(2, undef, undef), 'execute with NULLs');
    $dbh->commit;
    my $rows = $dbh->selectall_arrayref(
        "SELECT id, length(s), s = ?, typeof(b), hex(b) = ? FROM perl_bin ORDER BY id",
        undef, $long, uc unpack('H*', $bin));
    is_deeply($rows, [[1, 600, 1, 'blob', 1], [2, undef, undef, 'null', 0]],
              'stored exactly: the text, every byte as a BLOB, the NULLs');
    $dbh->rollback;
    $dbh->disconnect;
};

# The client matrix (tests/clients/scenario.py): each step is a subtest and
# prints "step perl_dbd_odbc NAME ok" (FAIL when a check failed or it died).
sub step {
    my ($name, $code) = @_;
    my $ok = eval { subtest "matrix: $name" => $code };
    my $err = $@;
    if (!defined $ok) {
        fail("matrix: $name died: $err");
        $ok = 0;
    }
    (my $why = $err || 'a check failed') =~ s/\s+/ /g;
    print $ok ? "step perl_dbd_odbc $name ok\n" : "step perl_dbd_odbc $name FAIL $why\n";
}

{
    my $dbh;
    step('connect_dsn' => sub {
        $dbh = dq_connect(AutoCommit => 0, LongReadLen => 2 << 20);
        is_deeply($dbh->selectrow_arrayref("SELECT 40 + 2"), [42], 'SELECT 40 + 2');
        $dbh->rollback;
    });
    step('connect_string' => sub {
        my $c = DBI->connect("dbi:ODBC:Driver=dqlite-test;Server=$ENV{DQ_SERVER};Database=perl",
                             "", "", {RaiseError => 1, PrintError => 0, AutoCommit => 0});
        is_deeply($c->selectrow_arrayref("SELECT 'by string'"), ['by string'], 'a read');
        $c->rollback;
        $c->disconnect;
    });
    $dbh ||= dq_connect(AutoCommit => 0, LongReadLen => 2 << 20);
    step('ddl' => sub {
        ok($dbh->do("CREATE TABLE pl_vals (id INTEGER PRIMARY KEY, t TEXT, n INTEGER, r REAL,"
                    . " b BLOB, d DATE, ts TIMESTAMP, f BOOLEAN)"), 'CREATE TABLE pl_vals');
        ok($dbh->do("CREATE TABLE pl_bulk (id INTEGER PRIMARY KEY, s TEXT)"), 'CREATE TABLE pl_bulk');
        $dbh->commit;
    });
    my $text = "h\x{e9} \x{20ac} \x{1F600}";
    step('params' => sub {
        my $sth = $dbh->prepare("INSERT INTO pl_vals (id, t, n, r, d, ts, f) VALUES (?, ?, ?, ?, ?, ?, ?)");
        $sth->bind_param(1, 1, DBI::SQL_INTEGER);
        $sth->bind_param(2, $text, DBI::SQL_WVARCHAR);
        $sth->bind_param(3, 1 << 62, DBI::SQL_BIGINT);  # 2**62 would be a Perl float
        $sth->bind_param(4, 1.5e-10, DBI::SQL_DOUBLE);
        $sth->bind_param(5, '2026-12-03', DBI::SQL_TYPE_DATE);
        $sth->bind_param(6, '2026-12-03 10:11:12', DBI::SQL_TYPE_TIMESTAMP);
        $sth->bind_param(7, 1, DBI::SQL_BIT);
        ok($sth->execute, 'execute with typed parameters');
        $dbh->commit;
        my $row = $dbh->selectrow_arrayref(
            "SELECT t, n, r, d, ts, f, typeof(n) || typeof(r) || typeof(f) FROM pl_vals WHERE id = 1");
        # Debian's DBD::ODBC is built without unicode (odbc_has_unicode 0):
        # it sends a string's UTF-8 bytes and hands back UTF-8 bytes
        is($dbh->{odbc_has_unicode}, 0, 'DBD::ODBC without unicode support');
        is(Encode::decode('UTF-8', $row->[0]), $text, 'non-BMP text (UTF-8 bytes, decoded)');
        is($row->[1], '4611686018427387904', '2^62');
        is($row->[2] + 0, 1.5e-10, "1.5e-10 ($row->[2])");
        is($row->[3], '2026-12-03', 'DATE');
        is($row->[4], '2026-12-03 10:11:12', 'TIMESTAMP');
        is($row->[5], 1, 'BOOLEAN 1');
        is($row->[6], 'integerrealinteger', 'stored as INTEGER, REAL, INTEGER');
        $dbh->rollback;
    });
    step('nulls' => sub {
        my $sth = $dbh->prepare("INSERT INTO pl_vals (id, t, n, r, b, d, ts, f) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
        ok($sth->execute(2, (undef) x 7), 'execute with undef in every column');
        $dbh->commit;
        # f by typeof(): a released server (1.11) reads NULL in a BOOLEAN
        # column as 0 (docs/types.md)
        is_deeply($dbh->selectrow_arrayref(
                      "SELECT t, n, r, b, d, ts, typeof(t) || typeof(n) || typeof(r) || typeof(b)"
                      . " || typeof(d) || typeof(ts) || typeof(f) FROM pl_vals WHERE id = 2"),
                  [(undef) x 6, 'null' x 7], 'NULL in every column');
        $dbh->rollback;
    });
    step('blob_1mb' => sub {
        my $blob = pack('C*', map { ($_ * 7 + 1) % 256 } 0 .. (1 << 20) - 1);
        my $sth = $dbh->prepare("UPDATE pl_vals SET b = ? WHERE id = 1");
        $sth->bind_param(1, $blob, DBI::SQL_LONGVARBINARY);
        ok($sth->execute, 'execute with 1 MiB');
        $dbh->commit;
        my $row = $dbh->selectrow_arrayref("SELECT typeof(b), length(b), b FROM pl_vals WHERE id = 1");
        is_deeply([@$row[0, 1]], ['blob', 1 << 20], 'stored as a 1 MiB BLOB');
        ok($row->[2] eq $blob, 'every byte reads back');
        $dbh->rollback;
    });
    step('bulk_10000' => sub {
        # DBD::ODBC's batch path: execute_array through its own
        # execute_for_fetch (odbc_array_operations), which binds arrays of
        # odbc_batch_size parameter sets (SQL_ATTR_PARAMSET_SIZE)
        # (a handle takes odbc_array_operations from its connection)
        local $dbh->{odbc_array_operations} = 1;
        local $dbh->{odbc_batch_size} = 1000;
        my $sth = $dbh->prepare("INSERT INTO pl_bulk (id, s) VALUES (?, ?)");
        my @ids = (1 .. 10000);
        my @s = map { "row $_" } @ids;
        my $t0 = Time::HiRes::time();
        my ($tuples, $rows) = $sth->execute_array({ArrayTupleStatus => \my @status}, \@ids, \@s);
        $dbh->commit;
        my $dt = Time::HiRes::time() - $t0;
        printf "bulk: perl_dbd_odbc 10000 rows in %.2f s (%d rows/s)\n", $dt, 10000 / $dt;
        ok($sth->{odbc_array_operations}, 'DBD::ODBC\'s own execute_for_fetch (parameter arrays)');
        is($tuples, 10000, 'execute_array ran 10,000 tuples');
        is($rows, 10000, '... which inserted 10,000 rows');
        is_deeply($dbh->selectrow_arrayref("SELECT count(*), sum(id), max(s) FROM pl_bulk"),
                  [10000, 50005000, 'row 9999'], 'count, sum, max');
        $dbh->rollback;
    });
    step('tables' => sub {
        my $names = [map { $_->{TABLE_NAME} }
                     @{$dbh->table_info(undef, undef, '%', 'TABLE')->fetchall_arrayref({})}];
        ok((grep { $_ eq 'pl_vals' } @$names), 'table_info lists pl_vals') or diag("@$names");
        $dbh->rollback;
    });
    step('columns' => sub {
        my $cols = $dbh->column_info(undef, undef, 'pl_vals', '%')->fetchall_arrayref({});
        is_deeply([map { [$_->{COLUMN_NAME}, $_->{TYPE_NAME}] } @$cols],
                  [[id => 'INTEGER'], [t => 'TEXT'], [n => 'INTEGER'], [r => 'REAL'], [b => 'BLOB'],
                   [d => 'DATE'], [ts => 'TIMESTAMP'], [f => 'BOOLEAN']], 'column_info');
        $dbh->rollback;
    });
    step('syntax_error' => sub {
        ok(!eval { $dbh->do("SELEC 1"); 1 }, 'SELEC 1 fails');
        is($dbh->state, '42000', 'SQLSTATE 42000');
        $dbh->rollback;
    });
    step('duplicate_key' => sub {
        ok(!eval { $dbh->do("INSERT INTO pl_vals (id) VALUES (1)"); 1 }, 'a second id 1 fails');
        is($dbh->state, '23000', 'SQLSTATE 23000');
        $dbh->rollback;
    });
    step('rollback' => sub {
        is($dbh->do("INSERT INTO pl_vals (id, t) VALUES (3, 'undone')"), 1, 'INSERT');
        ok($dbh->rollback, 'rollback');
        is_deeply($dbh->selectrow_arrayref("SELECT count(*) FROM pl_vals WHERE id = 3"), [0],
                  'the rolled back row is nowhere');
        $dbh->rollback;
    });
    step('tx_idiom' => sub {
        # DBI's idiom with AutoCommit => 0: eval { ...; commit } or rollback
        for my $case ([4, 'kept', 0], [5, 'undone', 1]) {
            my ($id, $t, $die) = @$case;
            eval {
                $dbh->do("INSERT INTO pl_vals (id, t) VALUES (?, ?)", undef, $id, $t);
                die "boom\n" if $die;
                $dbh->commit;
                1;
            } or $dbh->rollback;
        }
        is_deeply($dbh->selectall_arrayref("SELECT id, t FROM pl_vals WHERE id IN (4, 5)"),
                  [[4, 'kept']], 'only the transaction that ended normally is kept');
        $dbh->rollback;
    });
    $dbh->disconnect;
}

done_testing();
