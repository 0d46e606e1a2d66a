"""Shared set-up for the real-client tests (pyodbc, isql): a test rig, a private ODBC
configuration, and a record of every secret the tests hand to the driver.

Run with Debian's interpreter:  /usr/bin/python3 -m pytest -q tests/clients

- The rig: the one named by LBRIG_DIR (tests/run.sh starts one and exports rig.env), else one
  started here with tests/rig/rig.py in a temp dir and stopped at the end of the session.
- ODBC: a private ODBCSYSINI/ODBCINI directory (never /etc/odbcinst.ini, whose psqlODBC CommLog
  would write a log per process) registering the driver at $LAKEBASE_ODBC_DRIVER, else
  $LBRIG_DRIVER_PATH (set by run.sh), else the newest build/lib/liblakebaseodbc.so or
  build-*/lib/liblakebaseodbc.so. Every connection made by these tests (connection strings and
  DSNs alike) carries LogLevel=trace and a LogFile in that directory, which the secret hygiene
  test (test_zz_secret_hygiene.py, collected last) reads.
- ODBCSYSINI/ODBCINI are set in os.environ when this file is imported, i.e. before any test
  module imports pyodbc or makes a connection.
"""

import glob
import os
import shutil
import sys
import tempfile

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
RIG_DIR_SRC = os.path.join(ROOT, "tests", "rig")
sys.path.insert(0, RIG_DIR_SRC)
sys.path.insert(0, HERE)

import rigclient  # noqa: E402

DRIVER_NAME = "Lakebase"
DSN_PAT = "LakebaseClientsPAT"
DSN_M2M = "LakebaseClientsM2M"
DSN_NATIVE = "LakebaseClientsNative"
DSN_BAD_ENDPOINT = "LakebaseClientsBadEndpoint"


def find_driver():
    for var in ("LAKEBASE_ODBC_DRIVER", "LBRIG_DRIVER_PATH"):
        path = os.environ.get(var)
        if path:
            if not os.path.isfile(path):
                raise RuntimeError("%s=%s: no such file" % (var, path))
            return os.path.abspath(path)
    candidates = glob.glob(os.path.join(ROOT, "build", "lib", "liblakebaseodbc.so"))
    candidates += glob.glob(os.path.join(ROOT, "build-*", "lib", "liblakebaseodbc.so"))
    candidates = [c for c in candidates if os.path.isfile(c)]
    if not candidates:
        return None
    return max(candidates, key=os.path.getmtime)


# ---------------------------------------------------------------------------- ODBC config
# Made at import so that the environment is right before pyodbc is first used.
ODBC_DIR = tempfile.mkdtemp(prefix="lakebase-clients-")
os.chmod(ODBC_DIR, 0o755)
LOG_FILE = os.path.join(ODBC_DIR, "driver-trace.log")
DRIVER_PATH = find_driver()
ODBCINST_INI = os.path.join(ODBC_DIR, "odbcinst.ini")
ODBC_INI = os.path.join(ODBC_DIR, "odbc.ini")

with open(ODBCINST_INI, "w") as f:
    f.write(
        "[%s]\nDescription = Databricks Lakebase ODBC driver (tests/clients)\n"
        "Driver = %s\nSetup = %s\nThreading = 0\nLogLevel = trace\nLogFile = %s\n"
        % (DRIVER_NAME, DRIVER_PATH or "/nonexistent", DRIVER_PATH or "/nonexistent", LOG_FILE)
    )
open(ODBC_INI, "w").close()
_SAVED_ENV = {k: os.environ.get(k) for k in ("ODBCSYSINI", "ODBCINI")}
os.environ["ODBCSYSINI"] = ODBC_DIR
os.environ["ODBCINI"] = ODBC_INI  # user DSNs live here too; ~/.odbc.ini is never read

LOG_KEYS = "LogLevel=trace;LogFile=%s" % LOG_FILE


def quote(value):
    """An ODBC connection string value: braced when it holds ; { } or spaces at the ends."""
    value = str(value)
    if any(c in value for c in ";{}") or value != value.strip():
        return "{" + value.replace("}", "}}") + "}"
    return value


def conn_str(**keys):
    """A DSN-less connection string with the log keys; values of None are left out."""
    parts = []
    if "DSN" not in keys and "Driver" not in keys:
        parts.append("Driver=" + DRIVER_NAME)
    for k, v in keys.items():
        if v is not None:
            parts.append("%s=%s" % (k, quote(v)))
    return ";".join(parts) + ";" + LOG_KEYS


# ---------------------------------------------------------------------------- secrets
class Secrets:
    """Everything secret the tests gave the driver or saw minted, and the error messages they
    collected, for test_zz_secret_hygiene.py."""

    def __init__(self):
        self.values = {}  # value -> label
        self.errors = []  # (label, message)
        self.minted = set()

    def add(self, label, value):
        if value:
            self.values[str(value)] = label

    def error(self, label, exc):
        self.errors.append((label, " | ".join(str(a) for a in getattr(exc, "args", [exc]))))

    def snapshot_tokens(self, tokens_dir):
        try:
            for name in os.listdir(tokens_dir):
                if not name.startswith("."):
                    self.minted.add(name)
        except FileNotFoundError:
            pass

    def all(self):
        out = dict(self.values)
        for t in self.minted:
            out.setdefault(t, "minted database token")
        return out


SECRETS = Secrets()


# ---------------------------------------------------------------------------- the rig
class RigInfo:
    def __init__(self, env):
        self.env = env
        self.client = rigclient.RigClient(env["LBRIG_CONTROL"], env["LBRIG_CA_FILE"])

    def __getitem__(self, key):
        return self.env[key]

    @property
    def ca(self):
        return self.env["LBRIG_CA_FILE"]

    def base_keys(self, **extra):
        """Connection keys for the endpoint (no credentials)."""
        keys = {
            "Workspace": self.env["LBRIG_WORKSPACE"],
            "Endpoint": self.env["LBRIG_ENDPOINT"],
            "Port": self.env["LBRIG_PG_PORT"],
            "Database": self.env["LBRIG_DATABASE"],
            "SSLRootCert": self.ca,
            "WorkspaceCAFile": self.ca,
        }
        keys.update(extra)
        return keys

    def pat_str(self, pat=None, **extra):
        return conn_str(**self.base_keys(Token=pat or self.env["LBRIG_ALICE_PAT"], **extra))

    def m2m_str(self, **extra):
        return conn_str(
            **self.base_keys(
                AuthType="oauth-m2m",
                ClientId=self.env["LBRIG_SP_CLIENT_ID"],
                ClientSecret=self.env["LBRIG_SP_CLIENT_SECRET"],
                **extra,
            )
        )

    def native_str(self, password=None, **extra):
        keys = {
            "AuthType": "password",
            "Host": self.env["LBRIG_PG_HOST"],
            "Port": self.env["LBRIG_PG_PORT"],
            "Database": self.env["LBRIG_DATABASE"],
            "SSLRootCert": self.ca,
            "UID": self.env["LBRIG_NATIVE_USER"],
            "PWD": password if password is not None else self.env["LBRIG_NATIVE_PASSWORD"],
        }
        keys.update(extra)
        return conn_str(**keys)

    def oauth_access_token(self):
        """A workspace OAuth access token for the service principal, from /oidc/v1/token."""
        import base64

        basic = base64.b64encode(
            ("%s:%s" % (self.env["LBRIG_SP_CLIENT_ID"], self.env["LBRIG_SP_CLIENT_SECRET"])).encode()
        ).decode()
        r = rigclient.request(
            "POST",
            self.env["LBRIG_WORKSPACE"] + "/oidc/v1/token",
            ca_file=self.ca,
            headers={
                "Authorization": "Basic " + basic,
                "Content-Type": "application/x-www-form-urlencoded",
            },
            body="grant_type=client_credentials&scope=all-apis",
        )
        assert r.status == 200, r
        token = r.json()["access_token"]
        SECRETS.add("access token handed in", token)
        return token

    def snapshot_tokens(self):
        SECRETS.snapshot_tokens(self.env["LBRIG_TOKENS_DIR"])


def _write_dsns(env):
    ca = env["LBRIG_CA_FILE"]
    common = (
        "Workspace = {ws}\nEndpoint = {ep}\nPort = {port}\nDatabase = {db}\n"
        "SSLRootCert = {ca}\nWorkspaceCAFile = {ca}\nLogLevel = trace\nLogFile = {log}\n"
    ).format(
        ws=env["LBRIG_WORKSPACE"],
        ep=env["LBRIG_ENDPOINT"],
        port=env["LBRIG_PG_PORT"],
        db=env["LBRIG_DATABASE"],
        ca=ca,
        log=LOG_FILE,
    )
    text = (
        "[{pat}]\nDriver = {drv}\nDescription = tests/clients: PAT of alice\n{common}"
        "Token = {alice_pat}\n\n"
        "[{m2m}]\nDriver = {drv}\nDescription = tests/clients: service principal\n{common}"
        "AuthType = oauth-m2m\nClientId = {cid}\nClientSecret = {csecret}\n\n"
        "[{native}]\nDriver = {drv}\nDescription = tests/clients: native password\n"
        "AuthType = password\nHost = {host}\nPort = {port}\nDatabase = {db}\nSSLRootCert = {ca}\n"
        "UID = {nuser}\nPWD = {npw}\nLogLevel = trace\nLogFile = {log}\n\n"
        "[{bad}]\nDriver = {drv}\nDescription = tests/clients: an endpoint that does not exist\n"
        "Workspace = {ws}\nEndpoint = projects/nope/branches/nope/endpoints/nope\nPort = {port}\n"
        "SSLRootCert = {ca}\nWorkspaceCAFile = {ca}\nToken = {alice_pat}\n"
        "LogLevel = trace\nLogFile = {log}\n"
    ).format(
        pat=DSN_PAT,
        m2m=DSN_M2M,
        native=DSN_NATIVE,
        bad=DSN_BAD_ENDPOINT,
        drv=DRIVER_NAME,
        common=common,
        alice_pat=env["LBRIG_ALICE_PAT"],
        cid=env["LBRIG_SP_CLIENT_ID"],
        csecret=env["LBRIG_SP_CLIENT_SECRET"],
        host=env["LBRIG_PG_HOST"],
        port=env["LBRIG_PG_PORT"],
        db=env["LBRIG_DATABASE"],
        ca=ca,
        nuser=env["LBRIG_NATIVE_USER"],
        npw=env["LBRIG_NATIVE_PASSWORD"],
        ws=env["LBRIG_WORKSPACE"],
        log=LOG_FILE,
    )
    with open(ODBC_INI, "w") as f:
        f.write(text)


@pytest.fixture(scope="session")
def rig():
    if DRIVER_PATH is None:
        pytest.skip("no driver built: set LAKEBASE_ODBC_DRIVER or build build*/lib/liblakebaseodbc.so")
    own = None
    if os.environ.get("LBRIG_DIR"):
        env = {k: v for k, v in os.environ.items() if k.startswith("LBRIG_")}
        rig_json = os.path.join(os.environ["LBRIG_DIR"], "rig.json")
        if "LBRIG_CONTROL" not in env and os.path.exists(rig_json):
            import json

            with open(rig_json) as f:
                env.update(json.load(f)["env"])
    else:
        import rig as rigmod

        own = rigmod.Rig(None)
        env = dict(own.start())
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)  # rigclient's module functions and subprocesses read these
    for key in ("LBRIG_ALICE_PAT", "LBRIG_BOB_PAT", "LBRIG_SP_CLIENT_SECRET",
                "LBRIG_NATIVE_PASSWORD", "LBRIG_LONG_TOKEN"):
        SECRETS.add(key, env.get(key))
    _write_dsns(env)
    info = RigInfo(env)
    info.snapshot_tokens()
    try:
        yield info
    finally:
        info.snapshot_tokens()
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        if own is not None:
            own.stop(purge=True)


@pytest.fixture(autouse=True)
def _collect_minted_tokens(request):
    """After every test that used the rig, remember the database tokens minted so far (a revoked
    token's file disappears, so the hygiene test could not find it at the end)."""
    yield
    if "rig" in request.fixturenames:
        request.getfixturevalue("rig").snapshot_tokens()


@pytest.fixture(scope="session")
def secrets_registry():
    return SECRETS


@pytest.fixture(scope="session")
def odbc_dir():
    return ODBC_DIR


def pytest_sessionfinish(session, exitstatus):
    for k, v in _SAVED_ENV.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v
    if os.environ.get("LAKEBASE_CLIENTS_KEEP"):
        sys.stderr.write("\ntests/clients: ODBC dir and trace log kept in %s\n" % ODBC_DIR)
    else:
        shutil.rmtree(ODBC_DIR, ignore_errors=True)
