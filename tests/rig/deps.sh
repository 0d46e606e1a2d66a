# Debian 12 packages that building lakebase-odbc and running all of its tests need.
# Sourced by tests/run.sh and installer/quickstart.sh (bash).
#
#   lakebase_install_deps   installs whatever is missing (apt-get update + install -y), and
#                           does nothing at all when every package is already installed.

LAKEBASE_APT_PACKAGES=(
  # build
  build-essential cmake ninja-build pkg-config git
  unixodbc unixodbc-dev odbcinst
  libpq-dev libcurl4-openssl-dev libssl-dev rapidjson-dev libspdlog-dev libfmt-dev
  libgtest-dev libgmock-dev clang-format
  # the test rig: PostgreSQL 15 (+ server headers for tests/rig/rig_auth.c), TLS, PAM
  postgresql-15 postgresql-client-15 postgresql-server-dev-15
  openssl ca-certificates libpam-modules libpam-runtime util-linux curl
  # test runners and client tests
  python3 python3-pytest python3-pyodbc odbc-postgresql
  perl libdbd-odbc-perl php-cli php-odbc
)

# Prints the packages of LAKEBASE_APT_PACKAGES that are not installed.
lakebase_missing_deps() {
  local pkg status
  for pkg in "${LAKEBASE_APT_PACKAGES[@]}"; do
    status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
    [[ $status == installed ]] || echo "$pkg"
  done
}

lakebase_install_deps() {
  local missing
  missing=$(lakebase_missing_deps)
  if [[ -z $missing ]]; then
    echo "==> dependencies: all ${#LAKEBASE_APT_PACKAGES[@]} packages already installed"
    return 0
  fi
  echo "==> dependencies: installing" $missing
  local sudo=()
  if [[ $(id -u) != 0 ]]; then
    if command -v sudo >/dev/null; then
      sudo=(sudo)
    else
      echo "error: missing packages and not root: apt-get install" $missing >&2
      return 1
    fi
  fi
  export DEBIAN_FRONTEND=noninteractive
  local try
  for try in 1 2 3; do
    if "${sudo[@]}" apt-get update -q && "${sudo[@]}" apt-get install -y -q --no-install-recommends \
        "${LAKEBASE_APT_PACKAGES[@]}"; then
      return 0
    fi
    echo "apt-get failed (try $try); retrying in 5 s" >&2
    sleep 5
  done
  return 1
}
