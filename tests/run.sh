#!/bin/bash
# The one command that runs every lakebase-odbc test on a Debian 12 machine (as root):
#
#   bash tests/run.sh            install missing packages, build, start the rig, run all tests
#   bash tests/run.sh --quick    the same without the apt step
#
# Steps: apt (skipped when everything is installed) -> CMake+Ninja build into build/ ->
# the test rig (tests/rig/rig.py) in a temp dir, stopped on any exit -> a test-only ODBC
# config (ODBCSYSINI/ODBCINI; /etc/odbcinst.ini is never touched) registering the built driver
# as [Lakebase] with DSNs -> ctest (unit + integration) -> pytest tests/rig tests/clients ->
# the concurrent tests again under ThreadSanitizer (build-tsan/).
# Exits non-zero if anything failed; the last line is the total count.
#
# Environment for the tests: every LBRIG_* key of rig.env (see tests/rig/README.md), plus
# ODBCSYSINI, ODBCINI, LBRIG_ODBC_DSN (PAT as alice), LBRIG_ODBC_DSN_M2M (service principal),
# LBRIG_ODBC_DSN_NATIVE (native password), LBRIG_DRIVER_PATH, LBRIG_BUILD_DIR.
# Knobs: CTEST_PARALLEL_LEVEL (default 1: integration tests share one rig and its counters),
# LAKEBASE_CTEST_TIMEOUT (seconds per test, default 300), LAKEBASE_CMAKE_ARGS (extra
# configure arguments), PYTEST_ARGS (extra pytest arguments).

set -uo pipefail

usage() { sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; }

QUICK=0
for arg in "$@"; do
  case $arg in
    --quick) QUICK=1 ;;
    -h | --help) usage; exit 0 ;;
    *) echo "run.sh: unknown argument $arg" >&2; usage >&2; exit 2 ;;
  esac
done

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT" || exit 1
PY=/usr/bin/python3 # Debian's: python3-pytest and python3-pyodbc belong to it
BUILD=$ROOT/build
START=$SECONDS

log() { printf '\n==> %s\n' "$*"; }

declare -A STAGE=([apt]=skipped [build]="not run" [rig]="not run" [smoke]="not run" [ctest]="not run" [pytest]="not run" [tsan]="not run")
PASSED=0 FAILED=0 SKIPPED=0
STAGE_FAILURES=0

fail_stage() { STAGE[$1]=FAILED; STAGE_FAILURES=$((STAGE_FAILURES + 1)); }

summary() {
  local verdict=PASS
  ((FAILED + STAGE_FAILURES > 0)) && verdict=FAIL
  echo
  echo "run.sh: apt ${STAGE[apt]} | build ${STAGE[build]} | rig ${STAGE[rig]} | odbc smoke ${STAGE[smoke]} | ctest ${STAGE[ctest]} | pytest ${STAGE[pytest]} | tsan ${STAGE[tsan]} | $((SECONDS - START)) s -> $verdict"
  # Stage failures without a test count (build, rig) count as one failure each.
  echo "total: $PASSED passed, $((FAILED + STAGE_FAILURES)) failed, $SKIPPED skipped"
}

# ------------------------------------------------------------------------------ apt
if ((QUICK == 0)); then
  log "dependencies"
  # shellcheck source=rig/deps.sh
  source "$ROOT/tests/rig/deps.sh"
  if lakebase_install_deps; then STAGE[apt]=ok; else
    fail_stage apt
    summary
    exit 1
  fi
fi

# ------------------------------------------------------------------------------ build
log "build (cmake -G Ninja, RelWithDebInfo) into build/"
# shellcheck disable=SC2086
if cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo ${LAKEBASE_CMAKE_ARGS:-} &&
  cmake --build "$BUILD"; then
  STAGE[build]=ok
else
  fail_stage build
fi

# ------------------------------------------------------------------------------ rig
WORK=$(mktemp -d /tmp/lakebase-tests.XXXXXX)
chmod 755 "$WORK"
RIG_DIR=$WORK/rig
cleanup() {
  local rc=$?
  if [[ -d $RIG_DIR ]]; then
    "$PY" "$ROOT/tests/rig/rig.py" stop --dir "$RIG_DIR" --purge || echo "run.sh: rig stop failed" >&2
  fi
  rm -rf "$WORK"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

log "test rig"
if "$PY" "$ROOT/tests/rig/rig.py" start --dir "$RIG_DIR"; then
  STAGE[rig]=ok
  set -a
  # shellcheck disable=SC1091
  source "$RIG_DIR/rig.env"
  set +a
else
  fail_stage rig
  echo "--- emulator.log" >&2; cat "$RIG_DIR/emulator.log" 2>/dev/null | tail -20 >&2
  echo "--- pg.log" >&2; tail -20 "$RIG_DIR/pg.log" 2>/dev/null >&2
fi

# ------------------------------------------------------------------------------ ODBC config
# A private ODBCSYSINI: Debian's /etc/odbcinst.ini turns on psqlODBC's CommLog, and tests must
# never depend on or change the machine's ODBC setup.
ODBC_DIR=$WORK/odbc
mkdir -p "$ODBC_DIR"
export ODBCSYSINI=$ODBC_DIR
export ODBCINI=$ODBC_DIR/odbc.user.ini # user DSNs: none (~/.odbc.ini is not consulted)
: >"$ODBCINI"
: >"$ODBC_DIR/odbc.ini"
export LBRIG_BUILD_DIR=$BUILD
export LBRIG_DRIVER_PATH=$BUILD/lib/liblakebaseodbc.so
{
  # Take the driver's attributes from the odbcinst.ini that CMake generates, pointing at the
  # library in the build tree instead of the install location.
  if [[ -f $BUILD/odbcinst.ini ]]; then
    sed -e "s#^\(Driver\|Setup\) *=.*#\1 = $LBRIG_DRIVER_PATH#" -e '/^UsageCount/d' "$BUILD/odbcinst.ini"
  else
    printf '[Lakebase]\nDescription = Databricks Lakebase ODBC driver (build tree)\nDriver = %s\nSetup = %s\nThreading = 0\n' \
      "$LBRIG_DRIVER_PATH" "$LBRIG_DRIVER_PATH"
  fi
  echo
  # psqlODBC, for comparison tests and benchmarks (without CommLog).
  for so in /usr/lib/*/odbc/psqlodbcw.so; do
    [[ -f $so ]] && printf '[PostgreSQL Unicode]\nDriver = %s\nThreading = 0\n\n' "$so" && break
  done
} >"$ODBC_DIR/drivers.tmpl"
if ! odbcinst -i -d -f "$ODBC_DIR/drivers.tmpl" >/dev/null; then
  echo "run.sh: odbcinst could not register the driver" >&2
fi
if [[ ${STAGE[rig]} == ok ]]; then
  export LBRIG_ODBC_DSN=LakebaseRig LBRIG_ODBC_DSN_M2M=LakebaseRigM2M LBRIG_ODBC_DSN_NATIVE=LakebaseRigNative
  cat >"$ODBC_DIR/dsn.tmpl" <<EOF
[LakebaseRig]
Driver = Lakebase
Description = test rig, PAT of $LBRIG_ALICE
Workspace = $LBRIG_WORKSPACE
Endpoint = $LBRIG_ENDPOINT
Port = $LBRIG_PG_PORT
Database = $LBRIG_DATABASE
SSLRootCert = $LBRIG_CA_FILE
WorkspaceCAFile = $LBRIG_CA_FILE
Token = $LBRIG_ALICE_PAT

[LakebaseRigM2M]
Driver = Lakebase
Description = test rig, service principal (OAuth M2M)
Workspace = $LBRIG_WORKSPACE
Endpoint = $LBRIG_ENDPOINT
Port = $LBRIG_PG_PORT
Database = $LBRIG_DATABASE
SSLRootCert = $LBRIG_CA_FILE
WorkspaceCAFile = $LBRIG_CA_FILE
ClientId = $LBRIG_SP_CLIENT_ID
ClientSecret = $LBRIG_SP_CLIENT_SECRET

[LakebaseRigNative]
Driver = Lakebase
Description = test rig, native Postgres password
Host = $LBRIG_PG_HOST
Port = $LBRIG_PG_PORT
Database = $LBRIG_DATABASE
SSLRootCert = $LBRIG_CA_FILE
UID = $LBRIG_NATIVE_USER
PWD = $LBRIG_NATIVE_PASSWORD
EOF
  odbcinst -i -s -l -f "$ODBC_DIR/dsn.tmpl" >/dev/null || echo "run.sh: odbcinst could not write the DSNs" >&2
fi

# ------------------------------------------------------------------------------ ODBC smoke
# The private config itself works: each DSN logs in through unixODBC as the right user.
if [[ ${STAGE[rig]} == ok && -f $LBRIG_DRIVER_PATH ]]; then
  log "ODBC smoke (isql on the rig DSNs)"
  STAGE[smoke]=ok
  for pair in "LakebaseRig:$LBRIG_ALICE" "LakebaseRigM2M:$LBRIG_SP_CLIENT_ID" "LakebaseRigNative:$LBRIG_NATIVE_USER"; do
    dsn=${pair%%:*} want=${pair#*:}
    out=$(echo "SELECT current_user" | timeout 120 isql -b -v -d, "$dsn" 2>&1)
    if grep -qxF "$want" <<<"$out"; then
      echo "ok   $dsn -> $want"
      PASSED=$((PASSED + 1))
    else
      echo "FAIL $dsn (wanted $want):"
      sed 's/^/     /' <<<"$out"
      FAILED=$((FAILED + 1))
      STAGE[smoke]=FAILED
    fi
  done
elif [[ ${STAGE[rig]} == ok ]]; then
  STAGE[smoke]="skipped (no driver)"
fi

# ------------------------------------------------------------------------------ ctest
if [[ ${STAGE[build]} == ok ]]; then
  log "ctest (unit + integration)"
  export CTEST_PARALLEL_LEVEL=${CTEST_PARALLEL_LEVEL:-1}
  ctest --test-dir "$BUILD" --output-on-failure --timeout "${LAKEBASE_CTEST_TIMEOUT:-300}" 2>&1 | tee "$WORK/ctest.log"
  rc=${PIPESTATUS[0]}
  # "100% tests passed, 0 tests failed out of 42"
  line=$(grep -E '[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$WORK/ctest.log" | tail -1)
  if [[ $line =~ ([0-9]+)\ tests?\ failed\ out\ of\ ([0-9]+) ]]; then
    f=${BASH_REMATCH[1]} n=${BASH_REMATCH[2]}
    s=$(grep -cE '\*\*\*(Skipped|Not Run \(Disabled\))' "$WORK/ctest.log" || true)
    PASSED=$((PASSED + n - f - s)) FAILED=$((FAILED + f)) SKIPPED=$((SKIPPED + s))
  fi
  if ((rc == 0)); then
    STAGE[ctest]=ok
    grep -q "No tests were found" "$WORK/ctest.log" && STAGE[ctest]="ok (no tests yet)"
  else
    STAGE[ctest]=FAILED
    [[ -z $line ]] && STAGE_FAILURES=$((STAGE_FAILURES + 1))
  fi
else
  STAGE[ctest]="skipped (no build)"
fi

# ------------------------------------------------------------------------------ pytest
log "pytest"
dirs=(tests/rig)
[[ -d tests/clients ]] && dirs+=(tests/clients)
# shellcheck disable=SC2086
"$PY" -m pytest -q -p no:cacheprovider ${PYTEST_ARGS:-} "${dirs[@]}" 2>&1 | tee "$WORK/pytest.log"
rc=${PIPESTATUS[0]}
# The closing line of pytest -q: "1 failed, 37 passed, 2 skipped, 1 error in 3.20s".
line=$(grep -E '[0-9]+ (passed|failed|errors?|skipped|deselected).* in [0-9.]+s' "$WORK/pytest.log" | tail -1)
[[ $line =~ ([0-9]+)\ passed ]] && PASSED=$((PASSED + BASH_REMATCH[1]))
[[ $line =~ ([0-9]+)\ failed ]] && FAILED=$((FAILED + BASH_REMATCH[1]))
[[ $line =~ ([0-9]+)\ errors? ]] && FAILED=$((FAILED + BASH_REMATCH[1]))
[[ $line =~ ([0-9]+)\ skipped ]] && SKIPPED=$((SKIPPED + BASH_REMATCH[1]))
case $rc in
  0) STAGE[pytest]=ok ;;
  5) STAGE[pytest]="ok (no tests collected)" ;;
  *)
    STAGE[pytest]=FAILED
    [[ $line =~ [0-9]+\ (failed|errors?) ]] || STAGE_FAILURES=$((STAGE_FAILURES + 1))
    ;;
esac

# ------------------------------------------------------------------------------ tsan
# The concurrent parts (the pool under 32 threads, the token cache's single flight and background
# refresh, 16-thread connects, cancel, descriptors shared across statements) under
# ThreadSanitizer: the driver and these tests built with -fsanitize=thread, against the same rig.
# LAKEBASE_SKIP_TSAN=1 skips the stage (it adds a build of its own).
if [[ ${STAGE[rig]} == ok && ${LAKEBASE_SKIP_TSAN:-0} != 1 ]]; then
  log "ThreadSanitizer (driver, integration, pool stress and auth unit tests)"
  TSAN_BUILD=$ROOT/build-tsan
  if cmake -S . -B "$TSAN_BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DLAKEBASE_SANITIZE=thread \
      -DLAKEBASE_BUILD_BENCH=OFF >/dev/null &&
    cmake --build "$TSAN_BUILD" --target lakebaseodbc lakebase_integration_tests \
      lakebase_pool_stress_tests auth_unit_tests; then
    STAGE[tsan]=ok
    for t in tests/unit/auth/auth_unit_tests tests/integration/lakebase_integration_tests \
      tests/integration/lakebase_pool_stress_tests; do
      name=$(basename "$t")
      echo "--- $name (TSan)"
      LAKEBASE_POOL_CYCLES=${LAKEBASE_TSAN_POOL_CYCLES:-300} \
        TSAN_OPTIONS="halt_on_error=1 exitcode=66 second_deadlock_stack=1" \
        "$TSAN_BUILD/$t" >"$WORK/tsan-$name.log" 2>&1
      rc=$?
      tail -3 "$WORK/tsan-$name.log"
      p=$(grep -oE '^\[  PASSED  \] [0-9]+' "$WORK/tsan-$name.log" | grep -oE '[0-9]+$' | tail -1)
      f=$(grep -oE '^\[  FAILED  \] [0-9]+ tests?' "$WORK/tsan-$name.log" | grep -oE '[0-9]+' | tail -1)
      PASSED=$((PASSED + ${p:-0})) FAILED=$((FAILED + ${f:-0}))
      if ((rc != 0)); then
        STAGE[tsan]=FAILED
        [[ -z ${f:-} || ${f:-0} == 0 ]] && STAGE_FAILURES=$((STAGE_FAILURES + 1))
        grep -A30 'WARNING: ThreadSanitizer' "$WORK/tsan-$name.log" | head -60
      fi
    done
  else
    fail_stage tsan
  fi
elif [[ ${LAKEBASE_SKIP_TSAN:-0} == 1 ]]; then
  STAGE[tsan]=skipped
fi

# ------------------------------------------------------------------------------ done
if [[ -d $RIG_DIR ]]; then
  log "stopping the rig"
  "$PY" "$ROOT/tests/rig/rig.py" stop --dir "$RIG_DIR" --purge || fail_stage rig
fi
summary
if ((FAILED + STAGE_FAILURES > 0)); then exit 1; fi
exit 0
