# Shared by tests/package/*.sh (sourced): a scratch directory, a dqlite node
# on a free 127.0.0.1 port, and a query through isql by driver name.

work=$(mktemp -d)
node_pid=""
fail() { echo "$(basename "$0"): FAIL: $*" >&2; exit 1; }

# start_node: runs $NODE with its data in $work/data; sets $port.
start_node() {
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  mkdir -p "$work/data"
  "$NODE" --id 1 --address "127.0.0.1:$port" --dir "$work/data" >"$work/node.log" 2>&1 &
  node_pid=$!
  for _ in $(seq 1 100); do grep -q ready "$work/node.log" 2>/dev/null && break; sleep 0.1; done
  grep -q ready "$work/node.log" || { cat "$work/node.log"; fail "node did not start"; }
}

stop_node() {
  if [ -n "$node_pid" ]; then kill "$node_pid" 2>/dev/null || true; wait "$node_pid" 2>/dev/null || true; fi
  node_pid=""
}

# isql_answer: SELECT 40 + 2 through isql, driver named dqlite, must print 42.
isql_answer() {
  local out
  out=$(echo "SELECT 40 + 2 AS answer" | isql -b -k "DRIVER=dqlite;Server=127.0.0.1:$port;Database=pkg" 2>&1) \
    || { echo "$out"; fail "isql"; }
  echo "$out" | grep -qw 42 || { echo "$out"; fail "isql did not print 42"; }
  echo "isql by driver name: SELECT 40 + 2 -> 42"
}

multiarch() { dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || gcc -print-multiarch; }
