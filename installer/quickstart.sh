#!/bin/bash
# Lakebase ODBC quickstart (Debian 12, as root or with sudo): from a source checkout to a
# working DSN against a local emulated Lakebase in one command. Safe to run again.
#
#   bash installer/quickstart.sh [--skip-deps] [--demo-dir DIR]
#
# 1. installs the build and runtime packages (apt; skipped when all are there)
# 2. builds with CMake + Ninja into build/ and installs (prefix /usr/local: the driver is
#    /usr/local/lib/odbc/liblakebaseodbc.so)
# 3. registers the driver as [Lakebase] in the system odbcinst.ini (build/odbcinst.ini)
# 4. starts a local emulated Lakebase (PostgreSQL 15 with Lakebase-style token logins plus a
#    Databricks workspace emulator) in /var/tmp/lakebase-demo, left running for you to play
# 5. writes a LakebaseDemo DSN to your ~/.odbc.ini (PAT of the demo user alice@example.com)
# 6. connects with isql and shows the logged-in user and the server version

set -euo pipefail

DEMO_DIR=/var/tmp/lakebase-demo
SKIP_DEPS=0
while (($#)); do
  case $1 in
    --skip-deps) SKIP_DEPS=1 ;;
    --demo-dir) DEMO_DIR=$2; shift ;;
    -h | --help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "quickstart: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
PY=/usr/bin/python3
PREFIX=/usr/local
DSN=LakebaseDemo

step() { printf '\n==> %s\n' "$*"; }
die() { echo "quickstart: $*" >&2; exit 1; }

SUDO=()
if [[ $(id -u) != 0 ]]; then
  command -v sudo >/dev/null || die "run as root (or install sudo)"
  SUDO=(sudo)
fi

# The DSN goes to the invoking user's ~/.odbc.ini, also under sudo.
TARGET_USER=${SUDO_USER:-$(id -un)}
TARGET_HOME=$(getent passwd "$TARGET_USER" | cut -d: -f6)
[[ -n $TARGET_HOME ]] || TARGET_HOME=$HOME
USER_ODBC_INI=$TARGET_HOME/.odbc.ini

# ------------------------------------------------------------------------------ 1. packages
if ((SKIP_DEPS == 0)); then
  step "1/6 packages"
  # shellcheck source=../tests/rig/deps.sh
  source "$ROOT/tests/rig/deps.sh"
  lakebase_install_deps || die "installing packages failed"
fi

# ------------------------------------------------------------------------------ 2. build
step "2/6 build and install (prefix $PREFIX)"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_INSTALL_PREFIX="$PREFIX"
cmake --build build
"${SUDO[@]}" cmake --install build

# ------------------------------------------------------------------------------ 3. register
step "3/6 register the driver"
[[ -f build/odbcinst.ini ]] || die "build/odbcinst.ini is missing (CMake generates it)"
DRIVER_PATH=$(sed -n 's/^Driver *= *//p' build/odbcinst.ini | head -1)
[[ -f $DRIVER_PATH ]] || die "the driver is not at $DRIVER_PATH after cmake --install"
# odbcinst -i counts installs (UsageCount); register once, and again only when the path changed.
current=$(odbcinst -q -d -n Lakebase 2>/dev/null | sed -n 's/^Driver *= *//p' || true)
if [[ $current == "$DRIVER_PATH" ]]; then
  echo "driver [Lakebase] already registered: $DRIVER_PATH"
else
  while odbcinst -q -d -n Lakebase >/dev/null 2>&1; do
    "${SUDO[@]}" odbcinst -u -d -n Lakebase >/dev/null || break
  done
  "${SUDO[@]}" odbcinst -i -d -f build/odbcinst.ini
fi

# ------------------------------------------------------------------------------ 4. demo Lakebase
step "4/6 local emulated Lakebase in $DEMO_DIR"
# start cleans up a previous demo in the same directory first.
"${SUDO[@]}" "$PY" "$ROOT/tests/rig/rig.py" start --dir "$DEMO_DIR"
ENV_FILE=$DEMO_DIR/rig.env
"${SUDO[@]}" chmod 0644 "$ENV_FILE" # demo secrets only; the DSN needs them
# shellcheck disable=SC1090
source "$ENV_FILE"

# ------------------------------------------------------------------------------ 5. DSN
step "5/6 DSN $DSN in $USER_ODBC_INI"
tmp=$(mktemp)
# Drop an earlier [LakebaseDemo] section, keep everything else.
if [[ -f $USER_ODBC_INI ]]; then
  awk -v name="$DSN" '
    /^[ \t]*\[/ { s = $0; gsub(/^[ \t]*\[|\][ \t]*$/, "", s); skip = (s == name) }
    !skip' "$USER_ODBC_INI" >"$tmp"
fi
if [[ -s $tmp ]]; then
  [[ $(tail -c1 "$tmp" | od -An -c | tr -d ' ') == '\n' ]] || echo >>"$tmp"
  [[ -z $(tail -n1 "$tmp") ]] || echo >>"$tmp"
fi
cat >>"$tmp" <<EOF
[$DSN]
Driver = Lakebase
Description = Local emulated Lakebase (tests/rig), user $LBRIG_ALICE
Workspace = $LBRIG_WORKSPACE
Endpoint = $LBRIG_ENDPOINT
Port = $LBRIG_PG_PORT
Database = $LBRIG_DATABASE
SSLRootCert = $LBRIG_CA_FILE
WorkspaceCAFile = $LBRIG_CA_FILE
Token = $LBRIG_ALICE_PAT
EOF
install -m 0600 "$tmp" "$USER_ODBC_INI"
rm -f "$tmp"
if [[ $TARGET_USER != "$(id -un)" ]]; then
  chown "$TARGET_USER": "$USER_ODBC_INI" 2>/dev/null || "${SUDO[@]}" chown "$TARGET_USER": "$USER_ODBC_INI"
fi

# ------------------------------------------------------------------------------ 6. try it
step "6/6 isql $DSN"
echo 'SELECT current_user, version()' | ODBCINI=$USER_ODBC_INI isql -b -v "$DSN"

cat <<EOF

Done. The driver is installed as [Lakebase] and the DSN $DSN is in $USER_ODBC_INI.
Try it:        isql -v $DSN
Demo Lakebase: workspace $LBRIG_WORKSPACE, Postgres localhost:$LBRIG_PG_PORT (running)
Stop it:       sudo $PY $ROOT/tests/rig/rig.py stop --dir $DEMO_DIR
EOF
