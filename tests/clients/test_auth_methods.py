"""Every way a Databricks user can sign in, end to end through pyodbc against the rig (where
Postgres accepts only tokens the emulator minted): PAT, M2M, browser sign-in (U2M, the test plays
the browser) and again without a browser (stored refresh token), the Databricks CLI, profiles of
~/.databrickscfg, the Databricks ODBC driver's key spellings, Lakebase Provisioned instances,
on-behalf-of users with row-level security, and passed-in tokens that expire.

Logins that depend on process-wide state (the browser sign-in, the CLI, the config file) run in a
fresh Python process (tests/clients/test_auth_lifecycle.py's worker), so each starts cold.
"""

import json
import os
import socket
import stat
import sys
import time

import pytest

import pyodbc
from conftest import HERE, SECRETS, conn_str, quote

sys.path.insert(0, HERE)
from test_auth_lifecycle import run_worker, worker_conn_str  # noqa: E402

BROWSER_SCRIPT = r'''#!/usr/bin/python3
"""Plays the user's browser for the driver's sign-in: follows the authorize URL (the emulator
signs the user in and redirects) and delivers the redirect to the driver's loopback listener."""
import json, os, ssl, sys, urllib.parse, urllib.request, urllib.error

url = sys.argv[-1]
log = os.environ.get("TEST_BROWSER_LOG")
mode = os.environ.get("TEST_BROWSER_MODE", "ok")
def record(**kw):
    if log:
        with open(log, "a") as f:
            f.write(json.dumps(kw) + "\n")
if mode == "fail":
    record(event="refused", url=url)
    sys.exit(3)
if mode == "idle":
    record(event="idle", url=url)
    sys.exit(0)
class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *a, **k):
        return None
ctx = ssl.create_default_context(cafile=os.environ["LBRIG_CA_FILE"])
opener = urllib.request.build_opener(urllib.request.HTTPSHandler(context=ctx), NoRedirect())
try:
    opener.open(url, timeout=10)
    record(event="no-redirect", url=url)
    sys.exit(1)
except urllib.error.HTTPError as e:
    location = e.headers.get("Location")
record(event="authorize", url=url, location=location)
def get(target):
    try:
        with urllib.request.urlopen(target, timeout=10) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()
if mode == "wrong-state-first":
    parts = urllib.parse.urlsplit(location)
    q = urllib.parse.parse_qs(parts.query)
    q["state"] = ["forged-state"]
    forged = urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(q, doseq=True)))
    status, body = get(forged)
    record(event="forged", status=status, body=body)
    status, body = get(location.split("?")[0].rstrip("/") + "/favicon.ico")
    record(event="favicon", status=status)
status, body = get(location)
record(event="redirect", status=status, body=body)
'''


def free_port_base():
    """A first redirect port with a few free ports after it (the driver takes the first free)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def read_log(path):
    try:
        with open(path) as f:
            return [json.loads(line) for line in f if line.strip()]
    except FileNotFoundError:
        return []


@pytest.fixture
def sandbox(tmp_path, rig):
    """A private HOME / cache dir / browser for one test; the env for worker processes."""
    home = tmp_path / "home"
    cache = tmp_path / "cache"
    home.mkdir()
    browser = tmp_path / "browser.py"
    browser.write_text(BROWSER_SCRIPT)
    browser.chmod(0o755)
    env = {
        "HOME": str(home),
        "XDG_CACHE_HOME": str(cache),
        "BROWSER": str(browser),
        "TEST_BROWSER_LOG": str(tmp_path / "browser.log"),
        "LBRIG_CLI_LOG": str(tmp_path / "cli.log"),
        "PATH": rig["LBRIG_FAKE_CLI_DIR"] + os.pathsep + os.environ.get("PATH", ""),
    }
    for k in ("DATABRICKS_CONFIG_FILE", "DATABRICKS_CONFIG_PROFILE", "DATABRICKS_HOST",
              "DATABRICKS_TOKEN", "DATABRICKS_CLIENT_ID", "DATABRICKS_CLIENT_SECRET",
              "DATABRICKS_AUTH_TYPE", "PGUSER", "PGHOST"):
        env[k] = None  # removed in the worker

    class Sandbox:
        pass

    sb = Sandbox()
    sb.tmp = tmp_path
    sb.home = home
    sb.cache = cache
    sb.env = env
    sb.browser_log = tmp_path / "browser.log"
    sb.cli_log = tmp_path / "cli.log"
    sb.log_file = str(tmp_path / "driver.log")
    yield sb
    rig.client.reset()


def u2m_keys(rig, **extra):
    keys = rig.base_keys(AuthType="oauth-u2m", OAuthRedirectPort=free_port_base(), Pooling=0)
    keys.update(extra)
    return keys


def users_of(result):
    return sorted(set(result["users"]))


def assert_private_cache(cache_dir, secrets):
    """0700 dir, 0600 files, names are hashes that contain no secret."""
    d = os.path.join(cache_dir, "lakebase-odbc")
    assert stat.S_IMODE(os.stat(d).st_mode) == 0o700
    names = os.listdir(d)
    assert names
    for name in names:
        mode = stat.S_IMODE(os.stat(os.path.join(d, name)).st_mode)
        assert mode == 0o600, (name, oct(mode))
        for s in secrets:
            assert s not in name
    return names


# ------------------------------------------------------------------------------ PAT and M2M
def test_pat_and_m2m_connect(rig):
    with pyodbc.connect(rig.pat_str(Pooling=0), timeout=30) as c:
        assert c.cursor().execute("SELECT current_user").fetchone()[0] == rig["LBRIG_ALICE"]
    with pyodbc.connect(rig.m2m_str(Pooling=0), timeout=30) as c:
        assert c.cursor().execute("SELECT current_user").fetchone()[0] == rig["LBRIG_SP_CLIENT_ID"]


# ------------------------------------------------------------------------------ U2M
def test_u2m_browser_then_refresh_token_without_browser(rig, sandbox):
    # Workspace OAuth tokens that live 5 s, so the next process must renew with the stored
    # refresh token.
    rig.client.config(oauth_token_lifetime=5)
    before = rig.client.stats()
    keys = u2m_keys(rig)
    r = run_worker({"conn_str": worker_conn_str(keys, sandbox.log_file), "connects": 2},
                   env=sandbox.env)
    assert r["errors"] == [], r
    assert users_of(r) == [rig["LBRIG_ALICE"]]
    events = read_log(sandbox.browser_log)
    assert [e["event"] for e in events] == ["authorize", "redirect"], events
    assert events[1]["status"] == 200 and "Signed in" in events[1]["body"]
    # The authorize request: PKCE S256, the public client, the scopes, the loopback redirect.
    url = events[0]["url"]
    assert "client_id=databricks-cli" in url and "code_challenge_method=S256" in url
    assert "redirect_uri=http%3A%2F%2Flocalhost%3A" + str(keys["OAuthRedirectPort"]) in url
    assert "offline_access" in url
    mid = rig.client.stats()
    assert mid["oauth_tokens"].get(rig["LBRIG_ALICE"], 0) == before["oauth_tokens"].get(
        rig["LBRIG_ALICE"], 0) + 1
    stored = assert_private_cache(str(sandbox.cache), [])
    session_files = [n for n in stored if n.startswith("u2m-")]
    assert len(session_files) == 1
    with open(os.path.join(str(sandbox.cache), "lakebase-odbc", session_files[0])) as f:
        refresh = json.load(f)["refresh_token"]
    SECRETS.add("u2m refresh token", refresh)
    assert refresh not in session_files[0]

    # A new process, and a browser that refuses to open: the stored refresh token signs in.
    env = dict(sandbox.env, TEST_BROWSER_MODE="fail")
    os.remove(sandbox.browser_log)
    time.sleep(5.5)
    r = run_worker({"conn_str": worker_conn_str(keys, sandbox.log_file), "connects": 1}, env=env)
    assert r["errors"] == [], r
    assert users_of(r) == [rig["LBRIG_ALICE"]]
    assert read_log(sandbox.browser_log) == []  # the browser was never started
    after = rig.client.stats()
    assert after["requests"].get("/oidc/v1/token", 0) >= mid["requests"].get("/oidc/v1/token", 0) + 1
    assert after["oauth_tokens"].get(rig["LBRIG_ALICE"], 0) == mid["oauth_tokens"].get(
        rig["LBRIG_ALICE"], 0) + 1

    # Long-lived tokens again: a third process uses the stored access token as it is, and when
    # the workspace has revoked it, renews it (401 -> refresh grant) without a browser.
    rig.client.config(oauth_token_lifetime=3600)
    os.remove(os.path.join(str(sandbox.cache), "lakebase-odbc", session_files[0]))
    env1 = dict(sandbox.env)
    r = run_worker({"conn_str": worker_conn_str(keys, sandbox.log_file), "connects": 1}, env=env1)
    assert r["errors"] == [], r
    assert len(read_log(sandbox.browser_log)) == 2  # a new browser sign-in (session deleted)
    rig.client.expire_oauth(rig["LBRIG_ALICE"])
    mark = rig.client.stats()
    r = run_worker({"conn_str": worker_conn_str(keys, sandbox.log_file), "connects": 1}, env=env)
    assert r["errors"] == [], r
    assert len(read_log(sandbox.browser_log)) == 2  # no browser this time
    end = rig.client.stats()
    assert end["oauth_tokens"].get(rig["LBRIG_ALICE"], 0) == mark["oauth_tokens"].get(
        rig["LBRIG_ALICE"], 0) + 1
    from test_auth_lifecycle import assert_no_secret_in, secrets_of

    assert_no_secret_in(sandbox.log_file, secrets_of(rig, [refresh]))


def test_u2m_via_auth_flow_2_alias_and_redirect_port_alias(rig, sandbox):
    keys = rig.base_keys(AuthMech=11, Auth_Flow=2, OAuth2RedirectUrlPort=free_port_base(),
                         Auth_Scope="all-apis offline_access", Pooling=0)
    r = run_worker({"conn_str": worker_conn_str(keys, sandbox.log_file), "connects": 1},
                   env=sandbox.env)
    assert r["errors"] == [], r
    assert users_of(r) == [rig["LBRIG_ALICE"]]
    url = read_log(sandbox.browser_log)[0]["url"]
    assert "localhost%3A" + str(keys["OAuth2RedirectUrlPort"]) in url


def test_u2m_listener_ignores_a_forged_state_and_keeps_waiting(rig, sandbox):
    env = dict(sandbox.env, TEST_BROWSER_MODE="wrong-state-first")
    r = run_worker({"conn_str": worker_conn_str(u2m_keys(rig), sandbox.log_file), "connects": 1},
                   env=env)
    assert r["errors"] == [], r
    events = {e["event"]: e for e in read_log(sandbox.browser_log)}
    assert events["forged"]["status"] == 400
    assert "does not match" in events["forged"]["body"]
    assert events["favicon"]["status"] == 404
    assert events["redirect"]["status"] == 200


def test_u2m_times_out_cleanly_when_nobody_signs_in(rig, sandbox):
    env = dict(sandbox.env, TEST_BROWSER_MODE="idle")
    t0 = time.monotonic()
    r = run_worker({"conn_str": worker_conn_str(u2m_keys(rig), sandbox.log_file), "connects": 1,
                    "timeout": 4}, env=env)
    elapsed = time.monotonic() - t0
    assert len(r["errors"]) == 1, r
    state, msg = r["errors"][0]
    assert state == "HYT00", r
    assert "browser sign-in" in msg and "ConnectTimeout" in msg
    assert elapsed < 15


def test_u2m_prints_the_url_when_no_browser_can_open(rig, sandbox):
    env = dict(sandbox.env, BROWSER="/nonexistent/browser", PATH="/usr/bin:/bin")
    r = run_worker({"conn_str": worker_conn_str(u2m_keys(rig), sandbox.log_file), "connects": 1,
                    "timeout": 3}, env=env)
    assert r["errors"] and r["errors"][0][0] == "HYT00", r
    assert "open this address in a browser" in r["stderr"]
    assert "/oidc/v1/authorize?" in r["stderr"]


def test_u2m_refused_sign_in_names_the_error(rig, sandbox):
    rig.client.config(authorize_user="")
    r = run_worker({"conn_str": worker_conn_str(u2m_keys(rig), sandbox.log_file), "connects": 1},
                   env=sandbox.env)
    assert r["errors"] and "access_denied" in r["errors"][0][1], r


# ------------------------------------------------------------------------------ profiles / CLI
def write_cfg(sandbox, rig, text):
    path = sandbox.tmp / "databrickscfg"
    path.write_text(text.format(ws=rig["LBRIG_WORKSPACE"], bob_pat=rig["LBRIG_BOB_PAT"],
                                alice_pat=rig["LBRIG_ALICE_PAT"]))
    return str(path)


CFG = """
; a comment
# another comment
[__settings__]
{settings}

[DEFAULT]
host = {ws}
auth_type = databricks-cli

[bob-pat]
HOST = {ws}/
token = {bob_pat}

[cli-profile]
host={ws}
auth_type: databricks-cli
"""


def endpoint_keys(rig, **extra):
    keys = {
        "Endpoint": rig["LBRIG_ENDPOINT"],
        "Port": rig["LBRIG_PG_PORT"],
        "Database": rig["LBRIG_DATABASE"],
        "SSLRootCert": rig.ca,
        "WorkspaceCAFile": rig.ca,
        "Pooling": 0,
    }
    keys.update(extra)
    return keys


def test_default_profile_runs_the_databricks_cli(rig, sandbox):
    cfg = write_cfg(sandbox, rig, CFG.replace("{settings}", ""))
    env = dict(sandbox.env, DATABRICKS_CONFIG_FILE=cfg, LBRIG_CLI_USER=rig["LBRIG_BOB"])
    # No Workspace, no credentials: everything comes from [DEFAULT] and the CLI.
    r = run_worker({"conn_str": worker_conn_str(endpoint_keys(rig), sandbox.log_file),
                    "connects": 2}, env=env)
    assert r["errors"] == [], r
    assert users_of(r) == [rig["LBRIG_BOB"]]
    calls = read_log(sandbox.cli_log)
    assert calls and calls[0][:4] == ["auth", "token", "--profile", "DEFAULT"], calls
    assert len(calls) == 1  # the CLI's token is cached while it is valid


def test_named_profile_with_a_token(rig, sandbox):
    cfg = write_cfg(sandbox, rig, CFG.replace("{settings}", ""))
    keys = endpoint_keys(rig, ConfigFile=cfg, Profile="bob-pat")
    r = run_worker({"conn_str": worker_conn_str(keys, sandbox.log_file), "connects": 1},
                   env=sandbox.env)
    assert r["errors"] == [], r
    assert users_of(r) == [rig["LBRIG_BOB"]]
    assert read_log(sandbox.cli_log) == []


def test_profile_from_environment_and_settings_default(rig, sandbox):
    cfg = write_cfg(sandbox, rig, CFG.replace("{settings}", "default_profile = bob-pat"))
    # [__settings__] default_profile beats [DEFAULT]
    r = run_worker({"conn_str": worker_conn_str(endpoint_keys(rig, ConfigFile=cfg),
                                                sandbox.log_file), "connects": 1},
                   env=sandbox.env)
    assert r["errors"] == [] and users_of(r) == [rig["LBRIG_BOB"]], r
    # DATABRICKS_CONFIG_PROFILE beats both
    env = dict(sandbox.env, DATABRICKS_CONFIG_PROFILE="cli-profile", LBRIG_CLI_USER=rig["LBRIG_ALICE"])
    r = run_worker({"conn_str": worker_conn_str(endpoint_keys(rig, ConfigFile=cfg),
                                                sandbox.log_file), "connects": 1}, env=env)
    assert r["errors"] == [] and users_of(r) == [rig["LBRIG_ALICE"]], r
    assert read_log(sandbox.cli_log)[0][:4] == ["auth", "token", "--profile", "cli-profile"]


def test_missing_named_profile_names_the_file_and_its_profiles(rig, sandbox):
    cfg = write_cfg(sandbox, rig, CFG.replace("{settings}", ""))
    keys = endpoint_keys(rig, ConfigFile=cfg, Profile="nope", Workspace=rig["LBRIG_WORKSPACE"])
    r = run_worker({"conn_str": worker_conn_str(keys, sandbox.log_file), "connects": 1},
                   env=sandbox.env)
    assert len(r["errors"]) == 1, r
    msg = r["errors"][0][1]
    assert '"nope"' in msg and cfg in msg and "bob-pat" in msg and "cli-profile" in msg


def test_cli_failure_reports_the_cli_message(rig, sandbox):
    env = dict(sandbox.env, LBRIG_CLI_FAIL="not logged in: run databricks auth login")
    keys = endpoint_keys(rig, Workspace=rig["LBRIG_WORKSPACE"], AuthType="databricks-cli")
    r = run_worker({"conn_str": worker_conn_str(keys, sandbox.log_file), "connects": 1}, env=env)
    assert len(r["errors"]) == 1, r
    assert "run databricks auth login" in r["errors"][0][1]
    assert "auth token --host" in r["errors"][0][1]


def test_auth_type_from_environment_forces_the_cli(rig, sandbox):
    env = dict(sandbox.env, DATABRICKS_AUTH_TYPE="databricks-cli")
    keys = endpoint_keys(rig, Workspace=rig["LBRIG_WORKSPACE"], Token=rig["LBRIG_BOB_PAT"])
    r = run_worker({"conn_str": worker_conn_str(keys, sandbox.log_file), "connects": 1}, env=env)
    assert r["errors"] == [], r
    assert users_of(r) == [rig["LBRIG_ALICE"]]  # the CLI's user, not the PAT's
    assert read_log(sandbox.cli_log)[0][:4] == ["auth", "token", "--host", rig["LBRIG_WORKSPACE"]]


# ------------------------------------------------------------------------------ aliases
def test_databricks_odbc_aliases_flow_0_and_1(rig):
    token = rig.client.oauth_token(rig["LBRIG_BOB"])["access_token"]
    SECRETS.add("bob oauth token", token)
    cs = conn_str(**rig.base_keys(AuthMech=11, Auth_Flow=0, Auth_AccessToken=token, Pooling=0))
    with pyodbc.connect(cs, timeout=30) as c:
        assert c.cursor().execute("SELECT current_user").fetchone()[0] == rig["LBRIG_BOB"]
    cs = conn_str(**rig.base_keys(AuthMech=11, Auth_Flow=1,
                                  Auth_Client_ID=rig["LBRIG_SP_CLIENT_ID"],
                                  Auth_Client_Secret=rig["LBRIG_SP_CLIENT_SECRET"], Pooling=0))
    with pyodbc.connect(cs, timeout=30) as c:
        assert c.cursor().execute("SELECT current_user").fetchone()[0] == rig["LBRIG_SP_CLIENT_ID"]


# ------------------------------------------------------------------------------ Provisioned
def test_provisioned_instance(rig):
    before = rig.client.stats()["requests"].get("/api/2.0/database/credentials", 0)
    keys = rig.base_keys(Pooling=0, Token=rig["LBRIG_BOB_PAT"], ApplicationName="auth-instance")
    del keys["Endpoint"]
    keys["Instance"] = rig["LBRIG_INSTANCE"]
    with pyodbc.connect(conn_str(**keys), timeout=30) as c:
        assert c.cursor().execute("SELECT current_user").fetchone()[0] == rig["LBRIG_BOB"]
    after = rig.client.stats()["requests"].get("/api/2.0/database/credentials", 0)
    assert after >= before + 1
    lookups = rig.client.stats()["requests"]
    assert lookups.get("/api/2.0/database/instances/" + rig["LBRIG_INSTANCE"], 0) >= 1


# ------------------------------------------------------------------------------ on behalf of
def test_on_behalf_of_users_see_their_rows(rig):
    keys = rig.base_keys(AuthType="oauth-m2m", ClientId=rig["LBRIG_SP_CLIENT_ID"],
                         ClientSecret=rig["LBRIG_SP_CLIENT_SECRET"], Pooling=0)
    with pyodbc.connect(conn_str(**keys), timeout=30) as c:
        assert c.cursor().execute("SELECT count(*) FROM public.rig_rls").fetchone()[0] == 0
    for user, rows in ((rig["LBRIG_ALICE"], 3), (rig["LBRIG_BOB"], 2)):
        token = rig.client.oauth_token(user)["access_token"]
        SECRETS.add("obo token " + user, token)
        # A Databricks App: its own service principal in the environment-style keys, plus the
        # signed-in user's token.
        obo = dict(keys, UserAccessToken=token)
        del obo["AuthType"]
        with pyodbc.connect(conn_str(**obo), timeout=30) as c:
            cur = c.cursor()
            assert cur.execute("SELECT current_user").fetchone()[0] == user
            assert cur.execute("SELECT count(*) FROM public.rig_rls").fetchone()[0] == rows
            owners = {r[0] for r in cur.execute("SELECT owner FROM public.rig_rls").fetchall()}
            assert owners == {user}


# ------------------------------------------------------------------------------ passed-in tokens
def test_expired_passed_in_token_is_08006_saying_what_to_do(rig):
    token = rig.client.oauth_token(rig["LBRIG_ALICE"], lifetime=1)["access_token"]
    SECRETS.add("short oauth token", token)
    time.sleep(2.1)
    cs = conn_str(**rig.base_keys(AuthType="access-token", AccessToken=token, Pooling=0,
                                  Endpoint="projects/demo/branches/dev/endpoints/primary"))
    with pytest.raises(pyodbc.Error) as e:
        pyodbc.connect(cs, timeout=30)
    SECRETS.error("expired passed-in token", e.value)
    assert e.value.args[0] == "08006"
    text = " ".join(str(a) for a in e.value.args)
    assert "expired" in text and "SQL_ATTR_CREDENTIALS" in text
    assert token not in text
