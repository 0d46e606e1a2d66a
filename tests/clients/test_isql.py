"""unixODBC's own command-line clients, isql (ANSI entry points) and iusql (wide ones), against
the DSNs conftest.py writes into its private odbc.ini."""

import os
import shutil
import subprocess

import pytest

from conftest import DSN_BAD_ENDPOINT, DSN_M2M, DSN_NATIVE, DSN_PAT, SECRETS, conn_str

pytestmark = pytest.mark.skipif(shutil.which("isql") is None, reason="unixODBC's isql not installed")


def run(tool, *args, sql="SELECT current_user, version()\n"):
    if shutil.which(tool) is None:
        pytest.skip("%s not installed" % tool)
    p = subprocess.run(
        [tool, *args],
        input=sql,
        capture_output=True,
        text=True,
        timeout=120,
        env=dict(os.environ),  # ODBCSYSINI/ODBCINI point at the private config
    )
    return p


def cells(stdout):
    """The cell values of isql's table output."""
    out = []
    for line in stdout.splitlines():
        if line.startswith("|"):
            out.append([c.strip() for c in line.strip().strip("|").split("|")])
    return out


@pytest.mark.parametrize("tool", ["isql", "iusql"])
def test_select_current_user_and_version(rig, tool):
    p = run(tool, "-b", "-v", DSN_PAT)
    assert p.returncode == 0, (p.stdout, p.stderr)
    rows = cells(p.stdout)
    assert rows[0] == ["current_user", "version"], p.stdout
    assert rows[1][0] == rig["LBRIG_ALICE"]
    assert rows[1][1].startswith("PostgreSQL ")
    assert "1 rows fetched" in p.stdout


@pytest.mark.parametrize("tool", ["isql", "iusql"])
@pytest.mark.parametrize("dsn,who", [(DSN_M2M, "LBRIG_SP_CLIENT_ID"), (DSN_NATIVE, "LBRIG_NATIVE_USER")])
def test_other_logins(rig, tool, dsn, who):
    p = run(tool, "-b", "-v", dsn, sql="SELECT current_user\n")
    assert p.returncode == 0, (p.stdout, p.stderr)
    assert cells(p.stdout)[1] == [rig[who]]


@pytest.mark.parametrize("tool", ["isql"])  # iusql 2.3.11 prints its usage for -k
def test_dsn_less_connection_string(rig, tool):
    """isql -k: SQLDriverConnect with a full connection string."""
    p = run(tool, "-b", "-v", "-k", rig.pat_str(), sql="SELECT current_user\n")
    assert p.returncode == 0, (p.stdout, p.stderr)
    assert cells(p.stdout)[1] == [rig["LBRIG_ALICE"]]


@pytest.mark.parametrize("tool", ["isql", "iusql"])
def test_unicode_and_several_statements(rig, tool):
    p = run(
        tool, "-b", "-v", DSN_PAT,
        sql="SELECT 'caf\u00e9 \u6f22\u5b57' AS t\nSELECT 6 * 7 AS answer\n",
    )
    assert p.returncode == 0, (p.stdout, p.stderr)
    rows = cells(p.stdout)
    assert ["caf\u00e9 \u6f22\u5b57"] in rows
    assert ["42"] in rows


@pytest.mark.parametrize("tool", ["isql", "iusql"])
def test_sql_error_keeps_sqlstate(rig, tool):
    p = run(tool, "-b", "-v", DSN_PAT, sql="SELECT * FROM no_such_table_isql\n")
    out = p.stdout + p.stderr
    assert "no_such_table_isql" in out and "does not exist" in out, out
    assert "Could not SQLExecute" in out
    if tool == "isql":  # iusql prints the message without the SQLSTATE
        assert "[42P01]" in out, out
    # (isql -b exits 0 even after a failed statement: unixODBC's choice, not the driver's.)


@pytest.mark.parametrize("tool", ["isql", "iusql"])
def test_wrong_dsn_name_fails_cleanly(rig, tool):
    p = run(tool, "-b", "-v", "NoSuchLakebaseDsn")
    out = p.stdout + p.stderr
    assert p.returncode == 1, (p.returncode, out)  # an error, not a crash (negative = signal)
    assert "Data source name not found" in out, out
    if tool == "isql":  # iusql prints the message without the SQLSTATE
        assert "IM002" in out, out
    assert "Could not SQLConnect" in out or "Could not SQLDriverConnect" in out  # iusql: the latter


@pytest.mark.parametrize("tool", ["isql", "iusql"])
def test_dsn_with_unknown_endpoint_fails_cleanly(rig, tool):
    p = run(tool, "-b", "-v", DSN_BAD_ENDPOINT)
    out = p.stdout + p.stderr
    SECRETS.errors.append(("%s bad endpoint" % tool, out))
    assert p.returncode == 1, (p.returncode, out)
    assert "projects/nope" in out and ("404" in out or "NOT_FOUND" in out), out
    assert rig["LBRIG_ALICE_PAT"] not in out


@pytest.mark.parametrize("tool", ["isql"])  # -k: isql only
def test_wrong_pat_fails_cleanly(rig, tool):
    bad = "dapi" + "f" * 32
    SECRETS.add("wrong PAT (isql)", bad)
    p = run(tool, "-b", "-v", "-k", rig.pat_str(pat=bad))
    out = p.stdout + p.stderr
    SECRETS.errors.append(("%s wrong PAT" % tool, out))
    assert p.returncode == 1, (p.returncode, out)
    assert "401" in out or "UNAUTHENTICATED" in out, out
    assert bad not in out


def test_conn_str_helper_has_log_keys():
    assert "LogLevel=trace" in conn_str(Host="x")
