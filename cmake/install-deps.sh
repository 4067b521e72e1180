#!/usr/bin/env bash
# Installs the Debian 12 packages dqlite-odbc needs to build, test and run.
# Idempotent; run as root (or with sudo).
set -euo pipefail
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
PKGS=(
  build-essential cmake pkg-config git
  unixodbc unixodbc-dev odbcinst        # driver manager, isql, odbcinst
  libuv1-dev libssl-dev openssl         # transport, TLS
  libcriterion-dev                      # unit/integration tests
  libdqlite-dev libdqlite0              # real dqlite servers for tests
  python3 python3-pyodbc                # end-to-end client tests
  python3-sqlalchemy                    # real client: SQLAlchemy 1.4 through pyodbc (client_sqlalchemy)
  libdbd-odbc-perl php-cli php-odbc     # real clients: Perl DBI, PHP odbc_* / PDO_ODBC
  ruby-odbc                             # real client: Ruby
  libreoffice-base-drivers libreoffice-base-core python3-uno  # real client: LibreOffice (headless)
  clang libclang-rt-14-dev              # libFuzzer harnesses, sanitizers
  valgrind
  libiodbc2                             # iODBC's libraries: the iODBC build and its tests
)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# iODBC's headers for the iODBC build (DQODBC_IODBC): Debian's libiodbc2-dev
# conflicts with unixodbc-dev, so its files are unpacked into
# /opt/libiodbc2-dev (the CMake default IODBC_ROOT) instead of installed.
if [ ! -f /opt/libiodbc2-dev/usr/include/iodbc/sql.h ]; then
  tmp=$(mktemp -d)
  (cd "$tmp" && apt-get download libiodbc2-dev >/dev/null)
  $SUDO mkdir -p /opt/libiodbc2-dev
  $SUDO dpkg-deb -x "$tmp"/libiodbc2-dev_*.deb /opt/libiodbc2-dev
  rm -rf "$tmp"
fi

# node `odbc` from npm for tests/clients (client_node_odbc). It is a native
# addon: built here from source (--build-from-source: no prebuilt binary is
# fetched) against unixODBC (unixodbc-dev, build-essential, python3 above)
# and the headers of the installed node (nodedir: node's own prefix, which
# has include/node). Skipped when package-lock.json is what was installed.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  # Debian's Node.js, with its headers for node-gyp
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
    nodejs npm libnode-dev
fi
nodedir=$(node -p 'require("path").dirname(require("path").dirname(process.execPath))')
if [ ! -f "$nodedir/include/node/common.gypi" ]; then
  echo "install-deps: no Node.js headers in $nodedir/include/node (Debian: libnode-dev)" >&2
  exit 1
fi
clients_node="$(cd "$(dirname "$0")/.." && pwd)/tests/clients/node"
stamp="$clients_node/node_modules/.dq-installed"
want="$(sha256sum "$clients_node/package-lock.json" | cut -d' ' -f1) $(node --version)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ] ||
   ! (cd "$clients_node" && node -e "require('odbc')" 2>/dev/null); then
  (cd "$clients_node" &&
   npm_config_nodedir="$nodedir" npm ci --build-from-source --no-audit --no-fund --loglevel=error)
  (cd "$clients_node" && node -e "require('odbc')")
  echo "$want" >"$stamp"
fi
echo "install-deps: all packages present"
