"""Proves the test rig itself: Lakebase-style token logins, TLS, and the workspace emulator.

Run: /usr/bin/python3 -m pytest -q tests/rig
The rig is started and stopped by the fixture; nothing is left running.
"""

import base64
import hashlib
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pgprobe  # noqa: E402
import rig as rigmod  # noqa: E402
from rigclient import request  # noqa: E402

REQUIRED_KEYS = [
    "LBRIG_DIR", "LBRIG_PG_HOST", "LBRIG_PG_PORT", "LBRIG_PG_SOCKET_DIR", "LBRIG_DATABASE",
    "LBRIG_CA_FILE", "LBRIG_WORKSPACE", "LBRIG_ENDPOINT", "LBRIG_INSTANCE", "LBRIG_ALICE",
    "LBRIG_ALICE_PAT", "LBRIG_BOB", "LBRIG_BOB_PAT", "LBRIG_SP_CLIENT_ID",
    "LBRIG_SP_CLIENT_SECRET", "LBRIG_NATIVE_USER", "LBRIG_NATIVE_PASSWORD", "LBRIG_LONG_USER",
    "LBRIG_LONG_TOKEN", "LBRIG_CONTROL", "LBRIG_PSQL",
]
CREDS = "/api/2.0/postgres/credentials"
PSQL = os.path.join(rigmod.PG_BIN, "psql")


@pytest.fixture(scope="module")
def rig():
    r = rigmod.Rig()  # a fresh temporary dir under /tmp, removed on stop
    r.start()
    try:
        yield r
    finally:
        info = dict(r.info)
        r.stop(purge=True)
        _assert_stopped(info)


@pytest.fixture(autouse=True)
def _reset(request):
    yield
    if "rig" in request.fixturenames:
        request.getfixturevalue("rig").client.reset()


def _assert_stopped(info):
    pm = None
    pidfile = os.path.join(info.get("pgdata", "/nonexistent"), "postmaster.pid")
    assert not os.path.exists(pidfile)
    for pid in (info.get("emulator_pid"), pm):
        if pid:
            assert not rigmod._pid_alive(int(pid)), "process %s still running" % pid
    assert not os.path.exists(info["pam_file"])
    port = int(info["pg_port"])
    with socket.socket() as s:
        assert s.connect_ex(("127.0.0.1", port)) != 0, "postgres still listening"


# ------------------------------------------------------------------------------ helpers
def ws(rig, method, path, **kw):
    return request(method, rig.env["LBRIG_WORKSPACE"] + path, ca_file=rig.env["LBRIG_CA_FILE"], **kw)


def bearer(token):
    return {"Authorization": "Bearer " + token}


def mint(rig, pat, endpoint=None, **extra):
    body = {"endpoint": endpoint or rig.env["LBRIG_ENDPOINT"]}
    body.update(extra)
    r = ws(rig, "POST", CREDS, headers=bearer(pat), body=body)
    assert r.status == 200, r
    return r.json()


def login(rig, user, password, **kw):
    return pgprobe.login(
        "localhost", rig.env["LBRIG_PG_PORT"], user, password, ca_file=rig.env["LBRIG_CA_FILE"], **kw
    )


def connect(rig, user, password):
    return pgprobe.connect(
        "localhost", rig.env["LBRIG_PG_PORT"], user, password, ca_file=rig.env["LBRIG_CA_FILE"]
    )


def psql(rig, user, password, sql="SELECT current_user", sslmode="verify-full", host="localhost",
         extra_env=None):
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PGHOST": host,
        "PGPORT": rig.env["LBRIG_PG_PORT"],
        "PGDATABASE": rig.env["LBRIG_DATABASE"],
        "PGUSER": user,
        "PGPASSWORD": password,
        "PGSSLMODE": sslmode,
        "PGSSLROOTCERT": rig.env["LBRIG_CA_FILE"],
        "PGCONNECT_TIMEOUT": "10",
    }
    env.update(extra_env or {})
    return subprocess.run(
        [PSQL, "-X", "-A", "-t", "-w", "-c", sql],
        env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60,
    )


def assert_rejected(rig, user, password):
    r = login(rig, user, password)
    assert not r.ok
    assert r.sqlstate == "28P01", r
    assert r.message == 'password authentication failed for user "%s"' % user
    p = psql(rig, user, password)
    assert p.returncode != 0
    assert "password authentication failed" in p.stderr


def oauth_token(rig, form, auth=None):
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if auth:
        headers["Authorization"] = "Basic " + base64.b64encode(("%s:%s" % auth).encode()).decode()
    return ws(rig, "POST", "/oidc/v1/token", headers=headers, body=urllib.parse.urlencode(form))


def m2m(rig):
    r = oauth_token(
        rig,
        {"grant_type": "client_credentials", "scope": "all-apis"},
        auth=(rig.env["LBRIG_SP_CLIENT_ID"], rig.env["LBRIG_SP_CLIENT_SECRET"]),
    )
    assert r.status == 200, r
    return r.json()


def pkce_pair():
    verifier = base64.urlsafe_b64encode(secrets.token_bytes(48)).rstrip(b"=").decode()
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=")
    return verifier, challenge.decode()


def authorize(rig, challenge, redirect="http://localhost:8020", state="st-123"):
    meta = ws(rig, "GET", "/oidc/.well-known/oauth-authorization-server").json()
    q = urllib.parse.urlencode(
        {
            "response_type": "code",
            "client_id": "databricks-cli",
            "redirect_uri": redirect,
            "scope": "all-apis offline_access",
            "state": state,
            "code_challenge": challenge,
            "code_challenge_method": "S256",
        }
    )
    url = meta["authorization_endpoint"] + "?" + q
    return request("GET", url, ca_file=rig.env["LBRIG_CA_FILE"])


# ------------------------------------------------------------------------------ env
def test_env_files(rig):
    env = rig.env
    for k in REQUIRED_KEYS:
        assert env.get(k), k
    assert env["LBRIG_PG_HOST"] == "localhost"
    assert env["LBRIG_DATABASE"] == "databricks_postgres"
    assert env["LBRIG_CONTROL"] == env["LBRIG_WORKSPACE"] + "/_rig"
    assert env["LBRIG_WORKSPACE"].startswith("https://localhost:")
    assert env["LBRIG_ENDPOINT"] == "projects/demo/branches/production/endpoints/primary"
    # rig.env is shell-sourceable and says the same as rig.json
    out = subprocess.run(
        ["bash", "-c", "set -e; . '%s/rig.env'; env -0" % env["LBRIG_DIR"]],
        capture_output=True, check=True,
    ).stdout
    sourced = dict(kv.split("=", 1) for kv in out.decode().split("\0") if "=" in kv)
    with open(os.path.join(env["LBRIG_DIR"], "rig.json")) as f:
        info = json.load(f)
    for k, v in env.items():
        assert sourced[k] == v
        assert info["env"][k] == v
    # the admin psql command line works through the socket
    p = subprocess.run(
        env["LBRIG_PSQL"].split() + ["-At", "-c", "SELECT current_setting('ssl')"],
        capture_output=True, text=True,
    )
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip() == "on"


# ------------------------------------------------------------------------------ token logins
def test_minted_token_logs_in_as_its_user(rig):
    tok = mint(rig, rig.env["LBRIG_ALICE_PAT"])
    assert tok["token"].startswith("lbdb_") and len(tok["token"]) < 200
    assert tok["expire_time"].endswith("Z")
    p = psql(rig, rig.env["LBRIG_ALICE"], tok["token"])
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip() == rig.env["LBRIG_ALICE"]
    with connect(rig, rig.env["LBRIG_ALICE"], tok["token"]) as c:
        assert c.query("SELECT current_user") == [(rig.env["LBRIG_ALICE"],)]
        # row-level security shows alice her own rows only
        rows = c.query("SELECT owner, item FROM public.rig_rls ORDER BY item")
        assert rows == [(rig.env["LBRIG_ALICE"], "alice-%d" % i) for i in (1, 2, 3)]
        # and she may create tables in public
        c.query("CREATE TABLE alice_scratch (x int); DROP TABLE alice_scratch")


def test_rls_for_bob(rig):
    tok = mint(rig, rig.env["LBRIG_BOB_PAT"])
    with connect(rig, rig.env["LBRIG_BOB"], tok["token"]) as c:
        assert c.query("SELECT current_user") == [(rig.env["LBRIG_BOB"],)]
        assert [r[0] for r in c.query("SELECT item FROM rig_rls ORDER BY item")] == ["bob-1", "bob-2"]


def test_wrong_token_rejected(rig):
    assert_rejected(rig, rig.env["LBRIG_ALICE"], "lbdb_" + secrets.token_hex(20))
    assert_rejected(rig, rig.env["LBRIG_ALICE"], "not a token; rm -rf /")
    assert_rejected(rig, rig.env["LBRIG_ALICE"], "../tokens/x")
    assert_rejected(rig, rig.env["LBRIG_ALICE"], rig.env["LBRIG_ALICE_PAT"])


def test_other_users_token_rejected(rig):
    bob_tok = mint(rig, rig.env["LBRIG_BOB_PAT"])["token"]
    assert_rejected(rig, rig.env["LBRIG_ALICE"], bob_tok)
    assert login(rig, rig.env["LBRIG_BOB"], bob_tok).ok


def test_expired_by_control_api(rig):
    tok = mint(rig, rig.env["LBRIG_ALICE_PAT"])["token"]
    assert login(rig, rig.env["LBRIG_ALICE"], tok).ok
    assert rig.client.expire(rig.env["LBRIG_ALICE"]) >= 1
    assert_rejected(rig, rig.env["LBRIG_ALICE"], tok)
    # a fresh mint works again
    assert login(rig, rig.env["LBRIG_ALICE"], mint(rig, rig.env["LBRIG_ALICE_PAT"])["token"]).ok


def test_revoked_by_control_api(rig):
    tok = mint(rig, rig.env["LBRIG_BOB_PAT"])["token"]
    assert rig.client.revoke(rig.env["LBRIG_BOB"]) >= 1
    assert_rejected(rig, rig.env["LBRIG_BOB"], tok)


def test_expired_after_short_lifetime(rig):
    rig.client.config(db_token_lifetime=2)
    tok = mint(rig, rig.env["LBRIG_ALICE_PAT"])
    assert login(rig, rig.env["LBRIG_ALICE"], tok["token"]).ok
    expiry = rigmod_parse_time(tok["expire_time"])
    assert expiry - time.time() <= 2.5
    time.sleep(max(0.0, expiry - time.time()) + 1.1)
    assert_rejected(rig, rig.env["LBRIG_ALICE"], tok["token"])


def rigmod_parse_time(s):
    import datetime

    return datetime.datetime.strptime(s, "%Y-%m-%dT%H:%M:%SZ").replace(
        tzinfo=datetime.timezone.utc
    ).timestamp()


def test_two_unexpired_tokens_valid_at_once(rig):
    t1 = mint(rig, rig.env["LBRIG_ALICE_PAT"])["token"]
    t2 = mint(rig, rig.env["LBRIG_ALICE_PAT"])["token"]
    assert t1 != t2
    assert login(rig, rig.env["LBRIG_ALICE"], t1).ok
    assert login(rig, rig.env["LBRIG_ALICE"], t2).ok
    assert rig.client.stats()["live_tokens"][rig.env["LBRIG_ALICE"]] >= 2


def test_open_connection_outlives_its_token(rig):
    tok = mint(rig, rig.env["LBRIG_ALICE_PAT"])["token"]
    with connect(rig, rig.env["LBRIG_ALICE"], tok) as c:
        rig.client.expire(token=tok)
        assert_rejected(rig, rig.env["LBRIG_ALICE"], tok)
        assert c.query("SELECT current_user, 1+1") == [(rig.env["LBRIG_ALICE"], "2")]
        rig.client.revoke(token=tok)
        assert c.query("SELECT count(*) FROM rig_rls") == [("3",)]


def test_control_mint_is_not_counted(rig):
    before = rig.client.stats()["mints"].get(rig.env["LBRIG_BOB"], 0)
    t = rig.client.mint(rig.env["LBRIG_BOB"], lifetime=60)
    assert login(rig, rig.env["LBRIG_BOB"], t["token"]).ok
    assert rig.client.stats()["mints"].get(rig.env["LBRIG_BOB"], 0) == before


# ------------------------------------------------------------------------------ native roles, TLS
def test_native_password_login(rig):
    p = psql(rig, rig.env["LBRIG_NATIVE_USER"], rig.env["LBRIG_NATIVE_PASSWORD"])
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip() == "native_user"
    r = login(rig, rig.env["LBRIG_NATIVE_USER"], "wrong-password")
    assert (r.ok, r.sqlstate) == (False, "28P01")
    with connect(rig, rig.env["LBRIG_NATIVE_USER"], rig.env["LBRIG_NATIVE_PASSWORD"]) as c:
        assert c.query("SELECT count(*) FROM rig_rls") == [("0",)]


def test_long_token_role(rig):
    token = rig.env["LBRIG_LONG_TOKEN"]
    assert len(token) == 4096
    p = psql(rig, rig.env["LBRIG_LONG_USER"], token)
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip() == "longtoken_user"
    # one character short is a different password
    r = login(rig, rig.env["LBRIG_LONG_USER"], token[:-1])
    assert (r.ok, r.sqlstate) == (False, "28P01")


def test_hostnossl_refused(rig):
    tok = mint(rig, rig.env["LBRIG_ALICE_PAT"])["token"]
    p = psql(rig, rig.env["LBRIG_ALICE"], tok, sslmode="disable")
    assert p.returncode != 0
    assert "no encryption" in p.stderr
    r = login(rig, rig.env["LBRIG_ALICE"], tok, ssl_on=False)
    assert (r.ok, r.sqlstate) == (False, "28000")
    p = psql(rig, rig.env["LBRIG_NATIVE_USER"], rig.env["LBRIG_NATIVE_PASSWORD"], sslmode="disable")
    assert p.returncode != 0 and "no encryption" in p.stderr


def test_verify_full(rig):
    tok = mint(rig, rig.env["LBRIG_ALICE_PAT"])["token"]
    for host in ("localhost", "127.0.0.1"):
        p = psql(rig, rig.env["LBRIG_ALICE"], tok, host=host)
        assert p.returncode == 0, (host, p.stderr)
    # a name the certificate does not carry fails verify-full ...
    p = psql(rig, rig.env["LBRIG_ALICE"], tok, host="not-localhost.invalid",
             extra_env={"PGHOSTADDR": "127.0.0.1"})
    assert p.returncode != 0
    assert "does not match host name" in p.stderr
    # ... and without the rig's CA nothing verifies
    p = psql(rig, rig.env["LBRIG_ALICE"], tok, extra_env={"PGSSLROOTCERT": "/etc/ssl/certs/ca-certificates.crt"})
    assert p.returncode != 0
    assert "certificate verify failed" in p.stderr


# ------------------------------------------------------------------------------ emulator
def test_mint_counter_counts(rig):
    alice = rig.env["LBRIG_ALICE"]
    before = rig.client.stats()
    mint(rig, rig.env["LBRIG_ALICE_PAT"])
    mint(rig, rig.env["LBRIG_ALICE_PAT"])
    after = rig.client.stats()
    assert after["mints"].get(alice, 0) == before["mints"].get(alice, 0) + 2
    assert after["requests"][CREDS] == before["requests"].get(CREDS, 0) + 2
    rig.client.reset()
    assert rig.client.stats()["mints"] == {}


def test_credentials_errors(rig):
    r = ws(rig, "POST", CREDS, headers=bearer("dapi" + "0" * 32), body={"endpoint": rig.env["LBRIG_ENDPOINT"]})
    assert r.status == 401 and r.json()["error_code"] == "UNAUTHENTICATED"
    r = ws(rig, "POST", CREDS, body={"endpoint": rig.env["LBRIG_ENDPOINT"]})
    assert r.status == 401
    r = ws(rig, "POST", CREDS, headers=bearer(rig.env["LBRIG_ALICE_PAT"]),
           body={"endpoint": "projects/demo/branches/production/endpoints/nope"})
    assert r.status == 404 and r.json()["error_code"] == "NOT_FOUND"
    assert "message" in r.json()
    r = ws(rig, "POST", CREDS, headers=bearer(rig.env["LBRIG_ALICE_PAT"]), body={})
    assert r.status == 400 and r.json()["error_code"] == "INVALID_PARAMETER_VALUE"
    rig.client.config(deny=[rig.env["LBRIG_BOB"]])
    r = ws(rig, "POST", CREDS, headers=bearer(rig.env["LBRIG_BOB_PAT"]), body={"endpoint": rig.env["LBRIG_ENDPOINT"]})
    assert r.status == 403 and r.json()["error_code"] == "PERMISSION_DENIED"


def test_ttl_honoured(rig):
    t = mint(rig, rig.env["LBRIG_ALICE_PAT"], ttl="600s")
    left = rigmod_parse_time(t["expire_time"]) - time.time()
    assert 590 <= left <= 601
    r = ws(rig, "POST", CREDS, headers=bearer(rig.env["LBRIG_ALICE_PAT"]),
           body={"endpoint": rig.env["LBRIG_ENDPOINT"], "ttl": "10s"})
    assert r.status == 400


def test_expire_time_formats(rig):
    for fmt, suffix in (("millis", ".000Z"), ("nanos", ".000000000Z"), ("offset", "+00:00")):
        rig.client.config(expire_time_format=fmt)
        assert mint(rig, rig.env["LBRIG_ALICE_PAT"])["expire_time"].endswith(suffix)


def test_fault_429_with_retry_after(rig):
    rig.client.fault(CREDS, "429", count=2, retry_after=3)
    for _ in range(2):
        r = ws(rig, "POST", CREDS, headers=bearer(rig.env["LBRIG_ALICE_PAT"]), body={"endpoint": rig.env["LBRIG_ENDPOINT"]})
        assert r.status == 429
        assert r.headers["Retry-After"] == "3"
        assert r.json()["error_code"]
    mint(rig, rig.env["LBRIG_ALICE_PAT"])  # the third goes through


@pytest.mark.parametrize("kind,status", [("500", 500), ("503", 503)])
def test_fault_5xx(rig, kind, status):
    rig.client.fault(CREDS, kind, count=1)
    r = ws(rig, "POST", CREDS, headers=bearer(rig.env["LBRIG_ALICE_PAT"]), body={"endpoint": rig.env["LBRIG_ENDPOINT"]})
    assert r.status == status
    assert "error_code" in r.json()
    mint(rig, rig.env["LBRIG_ALICE_PAT"])


def test_fault_hang(rig):
    rig.client.fault(CREDS, "hang", count=1, seconds=1.5)
    t0 = time.time()
    with pytest.raises(OSError):  # a client with a short timeout gives up
        ws(rig, "POST", CREDS, headers=bearer(rig.env["LBRIG_ALICE_PAT"]),
           body={"endpoint": rig.env["LBRIG_ENDPOINT"]}, timeout=0.5)
    assert time.time() - t0 < 1.4
    rig.client.fault(CREDS, "hang", count=1, seconds=1.0)
    t0 = time.time()
    mint(rig, rig.env["LBRIG_ALICE_PAT"])  # a patient one gets an answer, late
    assert time.time() - t0 >= 1.0


def test_fault_malformed_and_wrong_fields(rig):
    rig.client.fault(CREDS, "malformed")
    r = ws(rig, "POST", CREDS, headers=bearer(rig.env["LBRIG_ALICE_PAT"]), body={"endpoint": rig.env["LBRIG_ENDPOINT"]})
    assert r.status == 200
    with pytest.raises(ValueError):
        json.loads(r.body)
    rig.client.fault(CREDS, "wrong_fields")
    before = rig.client.stats()["mints"].get(rig.env["LBRIG_ALICE"], 0)
    r = ws(rig, "POST", CREDS, headers=bearer(rig.env["LBRIG_ALICE_PAT"]), body={"endpoint": rig.env["LBRIG_ENDPOINT"]})
    assert r.status == 200
    body = r.json()
    assert "token" not in body and "expire_time" not in body and "tok" in body
    assert rig.client.stats()["mints"].get(rig.env["LBRIG_ALICE"], 0) == before
    mint(rig, rig.env["LBRIG_ALICE_PAT"])


def test_fault_close_and_wildcard(rig):
    rig.client.fault("*", "close", count=1)
    with pytest.raises(OSError):
        ws(rig, "GET", "/api/2.0/preview/scim/v2/Me", headers=bearer(rig.env["LBRIG_ALICE_PAT"]))
    assert ws(rig, "GET", "/api/2.0/preview/scim/v2/Me", headers=bearer(rig.env["LBRIG_ALICE_PAT"])).status == 200


def test_fault_on_token_endpoint(rig):
    rig.client.fault("/oidc/v1/token", "503", count=1, retry_after=1)
    r = oauth_token(rig, {"grant_type": "client_credentials", "scope": "all-apis"},
                    auth=(rig.env["LBRIG_SP_CLIENT_ID"], rig.env["LBRIG_SP_CLIENT_SECRET"]))
    assert r.status == 503 and r.headers["Retry-After"] == "1"
    assert m2m(rig)["access_token"]


def test_latency(rig):
    rig.client.config(latency_ms=300)
    t0 = time.time()
    ws(rig, "GET", "/api/2.0/preview/scim/v2/Me", headers=bearer(rig.env["LBRIG_ALICE_PAT"]))
    assert time.time() - t0 >= 0.3


def test_m2m_flow(rig):
    sp = rig.env["LBRIG_SP_CLIENT_ID"]
    before = rig.client.stats()["oauth_tokens"].get(sp, 0)
    tok = m2m(rig)
    assert tok["token_type"] == "Bearer"
    assert tok["expires_in"] == 3600
    assert rig.client.stats()["oauth_tokens"][sp] == before + 1
    # credentials in the form body work too
    r = oauth_token(rig, {"grant_type": "client_credentials", "scope": "all-apis", "client_id": sp,
                          "client_secret": rig.env["LBRIG_SP_CLIENT_SECRET"]})
    assert r.status == 200
    me = ws(rig, "GET", "/api/2.0/preview/scim/v2/Me", headers=bearer(tok["access_token"])).json()
    assert me["userName"] == sp
    db = mint(rig, tok["access_token"])
    with connect(rig, sp, db["token"]) as c:
        assert c.query("SELECT current_user") == [(sp,)]
    assert rig.client.stats()["mints"][sp] >= 1
    # wrong secret, unknown client
    r = oauth_token(rig, {"grant_type": "client_credentials", "scope": "all-apis"}, auth=(sp, "dose-wrong"))
    assert r.status == 401 and r.json()["error"] == "invalid_client" and r.json()["error_description"]
    r = oauth_token(rig, {"grant_type": "client_credentials"}, auth=("someone-else", "x"))
    assert r.status == 401


def test_oauth_token_lifetime_and_expiry(rig):
    rig.client.config(oauth_token_lifetime=120)
    tok = m2m(rig)
    assert tok["expires_in"] == 120
    assert ws(rig, "GET", "/api/2.0/preview/scim/v2/Me", headers=bearer(tok["access_token"])).status == 200
    assert rig.client.expire_oauth(rig.env["LBRIG_SP_CLIENT_ID"]) >= 1
    r = ws(rig, "GET", "/api/2.0/preview/scim/v2/Me", headers=bearer(tok["access_token"]))
    assert r.status == 401 and r.json()["error_code"] == "UNAUTHENTICATED"


def test_u2m_authorization_code_pkce(rig):
    meta = ws(rig, "GET", "/oidc/.well-known/oauth-authorization-server").json()
    assert meta["authorization_endpoint"] == rig.env["LBRIG_WORKSPACE"] + "/oidc/v1/authorize"
    assert meta["token_endpoint"] == rig.env["LBRIG_WORKSPACE"] + "/oidc/v1/token"
    assert meta["issuer"]
    verifier, challenge = pkce_pair()
    r = authorize(rig, challenge, state="xyz")
    assert r.status == 302
    loc = urllib.parse.urlsplit(r.headers["Location"])
    assert (loc.scheme, loc.netloc) == ("http", "localhost:8020")
    q = dict(urllib.parse.parse_qsl(loc.query))
    assert q["state"] == "xyz" and q["code"]
    form = {"grant_type": "authorization_code", "code": q["code"], "redirect_uri": "http://localhost:8020",
            "code_verifier": verifier, "client_id": "databricks-cli"}
    tok = oauth_token(rig, form)
    assert tok.status == 200, tok
    tok = tok.json()
    assert tok["access_token"] and tok["refresh_token"] and tok["token_type"] == "Bearer"
    me = ws(rig, "GET", "/api/2.0/preview/scim/v2/Me", headers=bearer(tok["access_token"])).json()
    assert me["userName"] == rig.env["LBRIG_ALICE"]
    # the code is single-use
    assert oauth_token(rig, form).status == 400
    # refresh
    r = oauth_token(rig, {"grant_type": "refresh_token", "refresh_token": tok["refresh_token"],
                          "client_id": "databricks-cli"})
    assert r.status == 200
    fresh = r.json()
    assert fresh["access_token"] != tok["access_token"] and fresh["refresh_token"]
    db = mint(rig, fresh["access_token"])
    assert login(rig, rig.env["LBRIG_ALICE"], db["token"]).ok
    bad = oauth_token(rig, {"grant_type": "refresh_token", "refresh_token": "doau_nope", "client_id": "databricks-cli"})
    assert bad.status == 400 and bad.json()["error"] == "invalid_grant"


def test_u2m_wrong_verifier_and_other_user(rig):
    verifier, challenge = pkce_pair()
    code = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(authorize(rig, challenge).headers["Location"]).query))["code"]
    wrong, _ = pkce_pair()
    r = oauth_token(rig, {"grant_type": "authorization_code", "code": code, "redirect_uri": "http://localhost:8020",
                          "code_verifier": wrong, "client_id": "databricks-cli"})
    assert r.status == 400 and r.json()["error"] == "invalid_grant"
    # the user who signs in is configurable
    rig.client.config(authorize_user=rig.env["LBRIG_BOB"])
    verifier, challenge = pkce_pair()
    code = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(
        authorize(rig, challenge, redirect="http://localhost:8021/cb").headers["Location"]).query))["code"]
    r = oauth_token(rig, {"grant_type": "authorization_code", "code": code, "redirect_uri": "http://localhost:8021/cb",
                          "code_verifier": verifier, "client_id": "databricks-cli"})
    me = ws(rig, "GET", "/api/2.0/preview/scim/v2/Me", headers=bearer(r.json()["access_token"])).json()
    assert me["userName"] == rig.env["LBRIG_BOB"]
    # no PKCE: an error comes back on the redirect
    r = authorize(rig, "")
    assert r.status == 302 and "error=invalid_request" in r.headers["Location"]


def test_endpoint_lookup(rig):
    hdr = bearer(rig.env["LBRIG_ALICE_PAT"])
    ep = ws(rig, "GET", "/api/2.0/postgres/" + rig.env["LBRIG_ENDPOINT"], headers=hdr).json()
    assert ep["name"] == rig.env["LBRIG_ENDPOINT"]
    assert ep["status"]["current_state"] == "ACTIVE"
    assert ep["status"]["hosts"]["host"] == "localhost"
    assert ep["status"]["hosts"]["read_only_host"] == "localhost"
    rig.client.config(endpoint_states={rig.env["LBRIG_ENDPOINT"]: "IDLE"})
    ep = ws(rig, "GET", "/api/2.0/postgres/" + rig.env["LBRIG_ENDPOINT"], headers=hdr).json()
    assert ep["status"]["current_state"] == "IDLE"
    r = ws(rig, "GET", "/api/2.0/postgres/projects/demo/branches/production/endpoints/nope", headers=hdr)
    assert r.status == 404 and r.json()["error_code"] == "NOT_FOUND"
    assert ws(rig, "GET", "/api/2.0/postgres/" + rig.env["LBRIG_ENDPOINT"]).status == 401


def test_endpoint_list_paging(rig):
    hdr = bearer(rig.env["LBRIG_ALICE_PAT"])
    base = "/api/2.0/postgres/projects/demo/branches/production/endpoints"
    names, token, pages = [], None, 0
    while True:
        q = "?page_size=1" + ("&page_token=" + urllib.parse.quote(token) if token else "")
        page = ws(rig, "GET", base + q, headers=hdr).json()
        pages += 1
        assert len(page["endpoints"]) <= 1
        names += [e["name"] for e in page["endpoints"]]
        token = page.get("next_page_token")
        if not token:
            break
    assert pages == 3 and len(names) == 3 and rig.env["LBRIG_ENDPOINT"] in names
    everything = ws(rig, "GET", base, headers=hdr).json()
    assert [e["name"] for e in everything["endpoints"]] == names
    assert "next_page_token" not in everything
    projects = ws(rig, "GET", "/api/2.0/postgres/projects", headers=hdr).json()["projects"]
    assert "projects/demo" in [p["name"] for p in projects]
    branches = ws(rig, "GET", "/api/2.0/postgres/projects/demo/branches", headers=hdr).json()["branches"]
    assert {b["name"] for b in branches} == {"projects/demo/branches/production", "projects/demo/branches/dev"}


def test_provisioned_instance(rig):
    hdr = bearer(rig.env["LBRIG_BOB_PAT"])
    inst = ws(rig, "GET", "/api/2.0/database/instances/" + rig.env["LBRIG_INSTANCE"], headers=hdr).json()
    assert inst["name"] == rig.env["LBRIG_INSTANCE"]
    assert inst["read_write_dns"] == "localhost" and inst["state"] == "AVAILABLE"
    r = ws(rig, "POST", "/api/2.0/database/credentials", headers=hdr,
           body={"instance_names": [rig.env["LBRIG_INSTANCE"]], "request_id": "5f0c5b3a-1d2e-4f60-8a7b-9c0d1e2f3a4b"})
    assert r.status == 200
    cred = r.json()
    assert "token" in cred and "expiration_time" in cred and "expire_time" not in cred
    assert login(rig, rig.env["LBRIG_BOB"], cred["token"]).ok
    r = ws(rig, "POST", "/api/2.0/database/credentials", headers=hdr, body={"instance_names": ["nope"]})
    assert r.status == 404
    assert ws(rig, "GET", "/api/2.0/database/instances/nope", headers=hdr).status == 404


def test_scim_me(rig):
    for pat, user in ((rig.env["LBRIG_ALICE_PAT"], rig.env["LBRIG_ALICE"]), (rig.env["LBRIG_BOB_PAT"], rig.env["LBRIG_BOB"])):
        me = ws(rig, "GET", "/api/2.0/preview/scim/v2/Me", headers=bearer(pat)).json()
        assert me["userName"] == user
    assert ws(rig, "GET", "/api/2.0/preview/scim/v2/Me", headers=bearer("dapi-nope")).status == 401


def test_control_api_validation(rig):
    with pytest.raises(RuntimeError):
        rig.client.fault(CREDS, "explode")
    with pytest.raises(RuntimeError):
        rig.client.config(no_such_key=1)
    assert rig.client.config()["db_token_lifetime"] == 3600


# ------------------------------------------------------------------------------ rig lifecycle
def _cli(*args):
    return subprocess.run(
        ["/usr/bin/python3", os.path.join(os.path.dirname(rigmod.__file__), "rig.py")] + list(args),
        capture_output=True, text=True, timeout=120,
    )


def test_cli_start_restart_stop_leaves_nothing():
    d = tempfile.mkdtemp(prefix="lbrig-cli-", dir="/tmp")
    try:
        p = _cli("start", "--dir", d)
        assert p.returncode == 0, p.stderr
        with open(os.path.join(d, "rig.json")) as f:
            first = json.load(f)
        # starting again over a live (or stale) rig cleans it up first
        p = _cli("start", "--dir", d)
        assert p.returncode == 0, p.stderr
        with open(os.path.join(d, "rig.json")) as f:
            second = json.load(f)
        assert not rigmod._pid_alive(first["emulator_pid"])
        if first["pam_file"] != second["pam_file"]:
            assert not os.path.exists(first["pam_file"])
        assert os.path.exists(second["pam_file"])
        p = _cli("stop", "--dir", d)
        assert p.returncode == 0, p.stderr
        _assert_stopped(second)
        # stop is idempotent
        assert _cli("stop", "--dir", d).returncode == 0
    finally:
        _cli("stop", "--dir", d, "--purge")
        import shutil

        shutil.rmtree(d, ignore_errors=True)


def test_unreachable_dir_gets_a_runtime_dir():
    parent = tempfile.mkdtemp(prefix="lbrig-private-", dir="/tmp")  # mode 0700
    d = os.path.join(parent, "rig")
    try:
        with rigmod.Rig(d, purge_on_stop=True) as r:
            assert r.info["runtime_is_separate"]
            tok = r.client.mint(rigmod.ALICE)["token"]
            assert pgprobe.login("localhost", r.env["LBRIG_PG_PORT"], rigmod.ALICE, tok,
                                 ca_file=r.env["LBRIG_CA_FILE"]).ok
            runtime = r.info["runtime"]
        assert not os.path.exists(runtime)
    finally:
        import shutil

        shutil.rmtree(parent, ignore_errors=True)


def test_suspend_and_resume_like_scale_to_zero(rig):
    tok = rig.client.mint(rig.env["LBRIG_ALICE"], lifetime=600)["token"]
    hdr = bearer(rig.env["LBRIG_ALICE_PAT"])
    c = connect(rig, rig.env["LBRIG_ALICE"], tok)
    try:
        assert rig.client.suspend()["pg_state"] == "suspended"
        ep = ws(rig, "GET", "/api/2.0/postgres/" + rig.env["LBRIG_ENDPOINT"], headers=hdr).json()
        assert ep["status"]["current_state"] == "IDLE"
        with pytest.raises(OSError):  # connection refused
            login(rig, rig.env["LBRIG_ALICE"], tok)
        with pytest.raises((pgprobe.PgError, OSError)):  # the open session was ended
            c.query("SELECT 1")
    finally:
        c.sock.close()
    assert rig.client.resume()["pg_state"] == "running"
    assert login(rig, rig.env["LBRIG_ALICE"], tok).ok
    ep = ws(rig, "GET", "/api/2.0/postgres/" + rig.env["LBRIG_ENDPOINT"], headers=hdr).json()
    assert ep["status"]["current_state"] == "ACTIVE"
    # back by itself after a while
    rig.client.suspend(seconds=1)
    t0 = time.time()
    while time.time() - t0 < 30:
        try:
            if login(rig, rig.env["LBRIG_ALICE"], tok).ok:
                break
        except OSError:
            time.sleep(0.2)
    else:
        pytest.fail("postgres did not come back")
    assert time.time() - t0 >= 0.8
    assert rig.client.stats()["pg_state"] == "running"


def test_fake_databricks_cli(rig, tmp_path):
    cli = os.path.join(rig.env["LBRIG_FAKE_CLI_DIR"], "databricks")
    env = dict(os.environ, LBRIG_CA_FILE=rig.env["LBRIG_CA_FILE"], LBRIG_CLI_LOG=str(tmp_path / "cli.log"))
    p = subprocess.run([cli, "auth", "token", "--host", rig.env["LBRIG_WORKSPACE"]], env=env,
                       capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    assert out["token_type"] == "Bearer" and out["expiry"]
    me = ws(rig, "GET", "/api/2.0/preview/scim/v2/Me", headers=bearer(out["access_token"])).json()
    assert me["userName"] == rig.env["LBRIG_ALICE"]
    # a profile from the config file, another user
    cfg = tmp_path / "databrickscfg"
    cfg.write_text("[DEFAULT]\nhost = https://example.invalid\n\n[rig]\nhost = %s\n" % rig.env["LBRIG_WORKSPACE"])
    env.update(DATABRICKS_CONFIG_FILE=str(cfg), LBRIG_CLI_USER=rig.env["LBRIG_BOB"])
    p = subprocess.run([cli, "auth", "token", "--profile", "rig"], env=env, capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    me = ws(rig, "GET", "/api/2.0/preview/scim/v2/Me", headers=bearer(json.loads(p.stdout)["access_token"])).json()
    assert me["userName"] == rig.env["LBRIG_BOB"]
    # failures: a missing profile, a CLI that is not logged in
    p = subprocess.run([cli, "auth", "token", "--profile", "nope"], env=env, capture_output=True, text=True)
    assert p.returncode != 0 and "nope" in p.stderr
    env["LBRIG_CLI_FAIL"] = "not logged in"
    p = subprocess.run([cli, "auth", "token", "--profile", "rig"], env=env, capture_output=True, text=True)
    assert p.returncode == 1 and "not logged in" in p.stderr
    assert (tmp_path / "cli.log").read_text().count("auth") == 4
