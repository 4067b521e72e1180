#!/usr/bin/env bash
# unixODBC's isql against dqlite-odbc: the autocommit contract of
# docs/transactions.md, isql row. isql never turns autocommit off, so its
# connection is unmanaged: reads run, BEGIN ... COMMIT lines around writes
# work, and a bare write is refused with the driver's 25000 message (isql -v
# prints the driver's diagnostics; isql's exit status is 0 either way, so the
# output is what is checked).
# Run by tests/clients/run_client.py, which starts a node and sets DQ_DSN.
set -uo pipefail
passed=0
failed=0
check() { # check DESCRIPTION COMMAND...
  local what=$1; shift
  if "$@"; then passed=$((passed + 1)); echo "ok - $what"
  else failed=$((failed + 1)); echo "not ok - $what"; fi
}
run_isql() { # run_isql SCRIPT: one statement a line; prints what isql printed
  printf '%s\n' "$1" | timeout 30 isql "$DQ_DSN" -b -v 2>&1
}
query() { # query SQL: the cells of the result, without the header line
  printf '%s\n' "$1" | timeout 30 isql "$DQ_DSN" -b -v -c -d'|' 2>&1 | tail -n +2
}
has() { grep -qF -- "$2" <<<"$1" || { echo "#   expected '$2' in:"; sed 's/^/#     /' <<<"$1"; return 1; }; }
lacks() { ! grep -qF -- "$2" <<<"$1" || { echo "#   unexpected '$2' in:"; sed 's/^/#     /' <<<"$1"; return 1; }; }
rows() { query 'SELECT v FROM isql_tx ORDER BY id' | paste -sd, -; }
is() { [ "$1" = "$2" ] || { echo "#   got '$1', want '$2'"; return 1; }; }

echo "# BEGIN / CREATE / INSERT / COMMIT in one isql script"
out=$(run_isql $'BEGIN\nCREATE TABLE isql_tx (id INTEGER PRIMARY KEY, v TEXT)\nINSERT INTO isql_tx (v) VALUES (\'one\')\nCOMMIT')
check "no statement failed" lacks "$out" "ERROR"
check "the INSERT counted one row" has "$out" "SQLRowCount returns 1"
check "a new isql session sees the row" is "$(rows)" "one"

echo "# a bare INSERT is refused with the driver's 25000 message"
out=$(run_isql "INSERT INTO isql_tx (v) VALUES ('bare')")
check "isql reports the failure" has "$out" "[ISQL]ERROR: Could not SQLExecute"
check "isql prints SQLSTATE 25000 from dqlite-odbc" has "$out" "[25000][dqlite-odbc]writes need a transaction"
check "the message names BEGIN ... COMMIT" has "$out" "wrap the writes in BEGIN ... COMMIT"
check "the row was not written" is "$(rows)" "one"

echo "# BEGIN / INSERT / ROLLBACK"
out=$(run_isql $'BEGIN\nINSERT INTO isql_tx (v) VALUES (\'undone\')\nROLLBACK')
check "no statement failed" lacks "$out" "ERROR"
check "the INSERT counted one row" has "$out" "SQLRowCount returns 1"
check "the rolled back row is nowhere" is "$(rows)" "one"

echo "# reads run outside a transaction"
check "SELECT count(*) prints 1" is "$(query "SELECT count(*) AS n FROM isql_tx")" "1"

# The client matrix (tests/clients/scenario.py): one "step isql NAME ..."
# line per step. isql has no parameter markers: the params, nulls and
# blob_1mb steps are n/a, and the same values go in as SQL literals instead.
step() { # step NAME COMMAND...: ok when every check in COMMAND passed
  local name=$1 before=$failed; shift
  "$@"
  if [ "$failed" -eq "$before" ]; then echo "step isql $name ok"
  else echo "step isql $name FAIL $((failed - before)) check(s) failed"; fi
}
cell() { query "$1" | head -n 1; } # the first row's cells, '|' between them

s_connect_dsn() { check "isql DSN: SELECT 40 + 2" is "$(cell 'SELECT 40 + 2')" "42"; }
s_connect_string() {
  local out
  out=$(printf '%s\n' "SELECT 'by string'" |
        timeout 30 isql -k "Driver=dqlite-test;Server=$DQ_SERVER;Database=isql" -b -v -c -d'|' 2>&1 | tail -n +2)
  check "isql -k connection string: a read" is "$out" "by string"
}
s_ddl() {
  local out
  out=$(run_isql $'BEGIN\nCREATE TABLE iq_vals (id INTEGER PRIMARY KEY, t TEXT, n INTEGER, r REAL, b BLOB, d DATE, ts TIMESTAMP, f BOOLEAN)\nCREATE TABLE iq_bulk (id INTEGER PRIMARY KEY, s TEXT)\nCOMMIT')
  check "CREATE TABLE: no statement failed" lacks "$out" "ERROR"
  check "both tables exist" is "$(cell "SELECT count(*) FROM sqlite_master WHERE name IN ('iq_vals', 'iq_bulk')")" "2"
}
text=$'h\u00e9 \u20ac \U0001F600'
literals() {
  local out
  out=$(run_isql "BEGIN
INSERT INTO iq_vals (id, t, n, r, d, ts, f) VALUES (1, '$text', 4611686018427387904, 1.5e-10, '2026-12-03', '2026-12-03 10:11:12', 1)
INSERT INTO iq_vals (id, t, n, r, b, d, ts, f) VALUES (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL)
COMMIT")
  check "literals: no statement failed" lacks "$out" "ERROR"
  check "the values as literals read back exactly" is \
    "$(cell 'SELECT t, n, r, d, ts, f, typeof(n) || typeof(r) || typeof(f) FROM iq_vals WHERE id = 1')" \
    "$text|4611686018427387904|1.5e-10|2026-12-03|2026-12-03 10:11:12|1|integerrealinteger"
  check "NULL literals in every column read back as NULL" is \
    "$(cell "SELECT coalesce(t, 'N') || coalesce(n, 'N') || coalesce(r, 'N') || coalesce(b, 'N') || coalesce(d, 'N') || coalesce(ts, 'N'), typeof(t) || typeof(n) || typeof(r) || typeof(b) || typeof(d) || typeof(ts) || typeof(f) FROM iq_vals WHERE id = 2")" \
    "NNNNNN|nullnullnullnullnullnullnull"
  # isql reads a long input line in pieces, so 1 MiB cannot go in as an
  # X'' literal (2 MiB of hex on one line): SQL makes it (zeroblob)
  out=$(run_isql $'BEGIN\nUPDATE iq_vals SET b = zeroblob(1048576) WHERE id = 1\nCOMMIT')
  check "a 1 MiB zeroblob: no statement failed" lacks "$out" "ERROR"
  check "... stored as a 1 MiB BLOB, every byte zero" is \
    "$(cell "SELECT typeof(b), length(b), b = zeroblob(1048576) FROM iq_vals WHERE id = 1")" "blob|1048576|1"
}
s_bulk() {
  # isql's batch path: one script, 10,000 INSERT lines between BEGIN and COMMIT
  local t0 t1 out
  t0=$(date +%s.%N)
  out=$({ echo BEGIN; for i in $(seq 1 10000); do echo "INSERT INTO iq_bulk (id, s) VALUES ($i, 'row $i')"; done
          echo COMMIT; } | timeout 60 isql "$DQ_DSN" -b 2>&1)
  t1=$(date +%s.%N)
  check "10,000 INSERT lines: none failed" lacks "$out" "ERROR"
  check "count, sum, max" is "$(cell 'SELECT count(*), sum(id), max(s) FROM iq_bulk')" "10000|50005000|row 9999"
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "bulk: isql 10000 rows in %.2f s (%d rows/s)\n", b - a, 10000 / (b - a) }'
}
s_tables() {
  local out
  out=$(printf 'help\n' | timeout 30 isql "$DQ_DSN" -b -v -d'|' 2>&1)
  check "isql's help (SQLTables) lists iq_vals" has "$out" "|iq_vals|TABLE|"
}
s_columns() {
  local out
  out=$(printf 'help iq_vals\n' | timeout 30 isql "$DQ_DSN" -b -v -d'|' 2>&1 | cut -d'|' -f4,6 | paste -sd, -)
  check "isql's help iq_vals (SQLColumns): names and types in order" is "$out" \
    "id|INTEGER,t|TEXT,n|INTEGER,r|REAL,b|BLOB,d|DATE,ts|TIMESTAMP,f|BOOLEAN"
}
s_syntax() {
  local out
  out=$(run_isql 'SELEC 1')
  # isql is an ODBC 2 application unless -3: unixODBC says 42000 as 37000
  check "SELEC 1: 37000 (ODBC 2's 42000)" has "$out" "[37000]"
  out=$(printf '%s\n' 'SELEC 1' | timeout 30 isql "$DQ_DSN" -b -v -3 2>&1)
  check "SELEC 1 with isql -3: 42000" has "$out" "[42000]"
}
s_dup() {
  local out
  out=$(run_isql $'BEGIN\nINSERT INTO iq_vals (id) VALUES (1)\nROLLBACK')
  check "a second id 1: 23000" has "$out" "[23000]"
}
s_rollback() {
  local out
  out=$(run_isql $'BEGIN\nINSERT INTO iq_vals (id, t) VALUES (3, \'undone\')\nROLLBACK')
  check "BEGIN / INSERT / ROLLBACK: no statement failed" lacks "$out" "ERROR"
  check "the rolled back row is nowhere" is "$(cell 'SELECT count(*) FROM iq_vals WHERE id = 3')" "0"
}
s_tx() {
  local out
  out=$(run_isql $'BEGIN\nINSERT INTO iq_vals (id, t) VALUES (4, \'kept\')\nCOMMIT')
  check "isql's idiom, BEGIN ... COMMIT lines: no statement failed" lacks "$out" "ERROR"
  check "the committed row is seen by a new isql session" is "$(cell 'SELECT t FROM iq_vals WHERE id = 4')" "kept"
}

step connect_dsn s_connect_dsn
step connect_string s_connect_string
step ddl s_ddl
echo "# instead of params, nulls and blob_1mb: the same values as literals"
literals
echo "step isql params n/a isql has no parameter markers; tested instead: the values as SQL literals, read back exactly"
echo "step isql nulls n/a isql has no parameter markers; tested instead: NULL literals in every column"
echo "step isql blob_1mb n/a isql has no parameter markers; a 1 MiB X'' literal cannot be sent either (isql cuts long lines); tested instead: zeroblob(1048576), compared in SQL"
step bulk_10000 s_bulk
step tables s_tables
step columns s_columns
step syntax_error s_syntax
step duplicate_key s_dup
step rollback s_rollback
step tx_idiom s_tx

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
