#!/usr/bin/env bash
# Quick start on a fresh Debian 12 machine (run as root, or as a user with sudo):
#   1. installs the Debian packages dqlite-odbc needs,
#   2. builds the driver and installs it under /usr/local, registered with
#      unixODBC as driver "dqlite" (odbcinst -q -d),
#   3. starts a local dqlite node on 127.0.0.1:9001 (the driver's default
#      Server/Port) with its data in $DQ_QUICKSTART_DIR,
#   4. creates the DSN "dqlite-quickstart" (odbcinst -q -s),
#   5. runs a few statements through isql and through pyodbc, printing results.
# The node keeps running afterwards; the script prints how to stop it.
set -euo pipefail
cd "$(dirname "$0")/.."
SRC=$(pwd)
DIR=${DQ_QUICKSTART_DIR:-/tmp/dqlite-odbc-quickstart}
PORT=${DQ_QUICKSTART_PORT:-9001}
SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo

echo "== 1/5 dependencies"
bash cmake/install-deps.sh

echo "== 2/5 build, install and register the driver"
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release -DDQODBC_BENCH=OFF >/dev/null
cmake --build build/release -j"$(nproc)" --target dqliteodbc dqlite-test-node
$SUDO cmake --install build/release --prefix /usr/local
odbcinst -q -d -n dqlite

echo "== 3/5 start a local dqlite node on 127.0.0.1:$PORT"
mkdir -p "$DIR"
if [ -f "$DIR/node.pid" ] && kill -0 "$(cat "$DIR/node.pid")" 2>/dev/null; then
  echo "node already running (pid $(cat "$DIR/node.pid"))"
else
  rm -rf "$DIR/data"; mkdir -p "$DIR/data"
  nohup "$SRC/build/release/tests/node/dqlite-test-node" --id 1 \
      --address "127.0.0.1:$PORT" --dir "$DIR/data" >"$DIR/node.log" 2>&1 &
  echo $! >"$DIR/node.pid"
  for _ in $(seq 1 100); do grep -q ready "$DIR/node.log" 2>/dev/null && break; sleep 0.1; done
  grep -q ready "$DIR/node.log" || { cat "$DIR/node.log"; echo "node did not start"; exit 1; }
  echo "node running (pid $(cat "$DIR/node.pid")), log $DIR/node.log"
fi

echo "== 4/5 create the DSN dqlite-quickstart"
cat >"$DIR/dsn.ini" <<INI
[dqlite-quickstart]
Description = dqlite node started by tests/quickstart.sh
Driver      = dqlite
Server      = 127.0.0.1
Port        = $PORT
Database    = quickstart
INI
$SUDO odbcinst -i -s -l -r <"$DIR/dsn.ini"
odbcinst -q -s -n dqlite-quickstart

echo "== 5/5 queries through real ODBC clients"
echo "-- isql (autocommit on, so the writes are wrapped in BEGIN ... COMMIT; a bare write is refused)"
isql -v -b -m30 dqlite-quickstart <<'SQL'
BEGIN
DROP TABLE IF EXISTS greetings
CREATE TABLE greetings (id INTEGER PRIMARY KEY, lang VARCHAR(8) NOT NULL, text VARCHAR(40), at DATETIME)
INSERT INTO greetings (lang, text, at) VALUES ('en', 'hello', '2026-11-24 12:00:00')
INSERT INTO greetings (lang, text, at) VALUES ('fr', 'bonjour', '2026-11-24 12:00:01')
INSERT INTO greetings (lang, text, at) VALUES ('ja', 'こんにちは', NULL)
COMMIT
SELECT id, lang, text, at FROM greetings ORDER BY id
SELECT sqlite_version() AS sqlite, count(*) AS n FROM greetings
SQL
echo "-- pyodbc"
/usr/bin/python3 - <<'PY'
import pyodbc
cn = pyodbc.connect("DSN=dqlite-quickstart")
cur = cn.cursor()
cur.executemany("INSERT INTO greetings (lang, text) VALUES (?, ?)",
                [("de", "hallo"), ("es", "hola")])
cn.commit()
for row in cur.execute("SELECT id, lang, text FROM greetings WHERE id > ? ORDER BY id", 0):
    print(tuple(row))
print("driver:", cn.getinfo(pyodbc.SQL_DRIVER_NAME), "dbms:",
      cn.getinfo(pyodbc.SQL_DBMS_NAME), cn.getinfo(pyodbc.SQL_DBMS_VER))
cn.close()
PY
echo
echo "Done. The node keeps running: stop it with  kill \$(cat $DIR/node.pid)"
