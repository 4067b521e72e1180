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

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
