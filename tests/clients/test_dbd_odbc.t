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

done_testing();
