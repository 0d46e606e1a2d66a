"""pyodbc against the Lakebase driver and the test rig: every way to log in, data round trips,
parameters, executemany, catalog functions, errors and transactions."""

import contextlib
import datetime
import decimal
import json
import os
import subprocess
import sys
import threading
import uuid

import pytest

import pyodbc
from conftest import (
    DRIVER_NAME,
    DSN_M2M,
    DSN_NATIVE,
    DSN_PAT,
    LOG_KEYS,
    ODBC_DIR,
    SECRETS,
    conn_str,
)

D = decimal.Decimal


def connect(cs, autocommit=True, **kw):
    return pyodbc.connect(cs, autocommit=autocommit, timeout=30, **kw)


@contextlib.contextmanager
def opened(cs, autocommit=True, **kw):
    """A connection closed on exit (pyodbc's own context manager only commits)."""
    conn = connect(cs, autocommit=autocommit, **kw)
    try:
        yield conn
    finally:
        conn.close()


def one(conn, sql, *params):
    return conn.cursor().execute(sql, *params).fetchone()


def current_user(conn):
    return one(conn, "SELECT current_user")[0]


def sqlstate(exc):
    """pyodbc puts the SQLSTATE first in args: ('42P01', '[42P01] ... (7) (SQLExecDirectW)')."""
    return exc.args[0] if exc.args else None


def message(exc):
    return " ".join(str(a) for a in exc.args)


@pytest.fixture
def alice(rig):
    conn = connect(rig.pat_str())
    try:
        yield conn
    finally:
        conn.close()


_table_no = [0]


@pytest.fixture
def table_name(alice):
    """A fresh table name in public (real tables, so that catalog functions and a second
    connection see them); dropped afterwards."""
    _table_no[0] += 1
    name = "clients_t%d_%d" % (os.getpid(), _table_no[0])
    yield name
    try:
        alice.cursor().execute("DROP TABLE IF EXISTS public.%s" % name)
    except pyodbc.Error:
        pass


# ============================================================================ logins
def test_dsn_with_pat(rig):
    with opened("DSN=%s" % DSN_PAT) as conn:
        assert current_user(conn) == rig["LBRIG_ALICE"]


def test_dsn_less_connection_string(rig):
    with opened(rig.pat_str()) as conn:
        assert current_user(conn) == rig["LBRIG_ALICE"]
        assert one(conn, "SELECT current_database()")[0] == rig["LBRIG_DATABASE"]
        # Lakebase requires TLS; the driver's default is verify-full.
        assert one(conn, "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")[0] is True


def test_driver_by_library_path(rig):
    cs = rig.pat_str().replace("Driver=%s;" % DRIVER_NAME, "Driver={%s};" % _driver_path(), 1)
    with opened(cs) as conn:
        assert current_user(conn) == rig["LBRIG_ALICE"]


def _driver_path():
    from conftest import DRIVER_PATH

    return DRIVER_PATH


def test_dsn_m2m(rig):
    with opened("DSN=%s" % DSN_M2M) as conn:
        assert current_user(conn) == rig["LBRIG_SP_CLIENT_ID"]


def test_m2m_client_credentials(rig):
    with opened(rig.m2m_str()) as conn:
        assert current_user(conn) == rig["LBRIG_SP_CLIENT_ID"]


def test_m2m_databricks_driver_aliases(rig):
    """Databricks' own ODBC driver spells these Auth_Client_ID / Auth_Client_Secret."""
    cs = conn_str(
        **rig.base_keys(
            AuthType="oauth-m2m",
            Auth_Client_ID=rig["LBRIG_SP_CLIENT_ID"],
            Auth_Client_Secret=rig["LBRIG_SP_CLIENT_SECRET"],
        )
    )
    with opened(cs) as conn:
        assert current_user(conn) == rig["LBRIG_SP_CLIENT_ID"]


def test_access_token_passed_in(rig):
    token = rig.oauth_access_token()
    cs = conn_str(**rig.base_keys(AuthType="access-token", AccessToken=token))
    with opened(cs) as conn:
        assert current_user(conn) == rig["LBRIG_SP_CLIENT_ID"]


def test_native_password(rig):
    with opened(rig.native_str()) as conn:
        assert current_user(conn) == rig["LBRIG_NATIVE_USER"]


def test_dsn_native_password(rig):
    with opened("DSN=%s" % DSN_NATIVE) as conn:
        assert current_user(conn) == rig["LBRIG_NATIVE_USER"]


def test_connection_string_overrides_dsn(rig):
    """Keys in the connection string win over the DSN's: the PAT DSN with bob's token."""
    SECRETS.add("bob PAT", rig["LBRIG_BOB_PAT"])
    with opened("DSN=%s;Token=%s;%s" % (DSN_PAT, rig["LBRIG_BOB_PAT"], LOG_KEYS)) as conn:
        assert current_user(conn) == rig["LBRIG_BOB"]


@pytest.mark.parametrize("host", [None, "localhost"], ids=["host-from-endpoint", "host-given"])
def test_host_omitted_or_given(rig, host):
    with opened(rig.pat_str(Host=host)) as conn:
        assert current_user(conn) == rig["LBRIG_ALICE"]
        assert one(conn, "SELECT 41 + 1")[0] == 42


# ---------------------------------------------------------------------------- environment only
ENV_PROBE = r"""
import json, sys, pyodbc
try:
    c = pyodbc.connect(sys.argv[1], autocommit=True, timeout=30)
    row = c.cursor().execute(
        "SELECT current_user, current_setting('application_name'), current_database()").fetchone()
    print(json.dumps({"user": row[0], "app": row[1], "db": row[2]}))
except pyodbc.Error as e:
    print(json.dumps({"error": [str(a) for a in e.args]}))
"""


def run_env_only(rig, env_vars, extra=""):
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "HOME": ODBC_DIR,  # no ~/.databrickscfg, no ~/.odbc.ini
        "ODBCSYSINI": os.environ["ODBCSYSINI"],
        "ODBCINI": os.environ["ODBCINI"],
    }
    env.update(env_vars)
    cs = "Driver=%s;WorkspaceCAFile=%s;%s%s" % (DRIVER_NAME, rig.ca, extra, LOG_KEYS)
    p = subprocess.run(
        ["/usr/bin/python3", "-c", ENV_PROBE, cs],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout.strip().splitlines()[-1])
    if "error" in out:
        SECRETS.errors.append(("env-only connect", " | ".join(out["error"])))
    return out


def test_environment_only_databricks_app(rig):
    """What a deployed Databricks App gets (LAKEBASE.md section 6): M2M from the environment.
    DATABRICKS_HOST without https:// must be normalised."""
    out = run_env_only(
        rig,
        {
            "PGHOST": rig["LBRIG_PG_HOST"],
            "PGPORT": rig["LBRIG_PG_PORT"],
            "PGDATABASE": rig["LBRIG_DATABASE"],
            "PGUSER": rig["LBRIG_SP_CLIENT_ID"],
            "PGSSLMODE": "require",
            "PGAPPNAME": "clients-env-app",
            "LAKEBASE_ENDPOINT": rig["LBRIG_ENDPOINT"],
            "DATABRICKS_HOST": rig["LBRIG_WORKSPACE"].replace("https://", ""),
            "DATABRICKS_CLIENT_ID": rig["LBRIG_SP_CLIENT_ID"],
            "DATABRICKS_CLIENT_SECRET": rig["LBRIG_SP_CLIENT_SECRET"],
        },
    )
    assert out == {
        "user": rig["LBRIG_SP_CLIENT_ID"],
        "app": "clients-env-app",
        "db": rig["LBRIG_DATABASE"],
    }


def test_environment_only_pat_host_from_endpoint(rig):
    """DATABRICKS_TOKEN, no PGHOST (looked up from LAKEBASE_ENDPOINT), verify-full with
    PGSSLROOTCERT, a workspace URL with a trailing slash."""
    out = run_env_only(
        rig,
        {
            "PGPORT": rig["LBRIG_PG_PORT"],
            "PGDATABASE": rig["LBRIG_DATABASE"],
            "PGSSLMODE": "verify-full",
            "PGSSLROOTCERT": rig.ca,
            "LAKEBASE_ENDPOINT": rig["LBRIG_ENDPOINT"],
            "DATABRICKS_HOST": rig["LBRIG_WORKSPACE"] + "/",
            "DATABRICKS_TOKEN": rig["LBRIG_ALICE_PAT"],
        },
    )
    assert out.get("user") == rig["LBRIG_ALICE"], out
    assert out["app"] == "lakebase-odbc"  # the documented default ApplicationName


def test_environment_only_auth_type_forces_m2m(rig):
    """DATABRICKS_AUTH_TYPE=oauth-m2m wins over a PAT that the default chain would pick."""
    out = run_env_only(
        rig,
        {
            "PGPORT": rig["LBRIG_PG_PORT"],
            "PGSSLROOTCERT": rig.ca,
            "LAKEBASE_ENDPOINT": rig["LBRIG_ENDPOINT"],
            "DATABRICKS_HOST": rig["LBRIG_WORKSPACE"],
            "DATABRICKS_TOKEN": rig["LBRIG_ALICE_PAT"],
            "DATABRICKS_CLIENT_ID": rig["LBRIG_SP_CLIENT_ID"],
            "DATABRICKS_CLIENT_SECRET": rig["LBRIG_SP_CLIENT_SECRET"],
            "DATABRICKS_AUTH_TYPE": "oauth-m2m",
        },
    )
    assert out.get("user") == rig["LBRIG_SP_CLIENT_ID"], out


def test_environment_only_native_password(rig):
    out = run_env_only(
        rig,
        {
            "PGHOST": rig["LBRIG_PG_HOST"],
            "PGPORT": rig["LBRIG_PG_PORT"],
            "PGDATABASE": rig["LBRIG_DATABASE"],
            "PGUSER": rig["LBRIG_NATIVE_USER"],
            "PGPASSWORD": rig["LBRIG_NATIVE_PASSWORD"],
            "PGSSLROOTCERT": rig.ca,
        },
    )
    assert out.get("user") == rig["LBRIG_NATIVE_USER"], out


# ---------------------------------------------------------------------------- login failures
def test_wrong_pat_is_a_clean_error(rig):
    bad = "dapi" + "0123456789abcdef" * 2
    SECRETS.add("wrong PAT", bad)
    with pytest.raises(pyodbc.Error) as ei:
        connect(rig.pat_str(pat=bad))
    SECRETS.error("wrong PAT", ei.value)
    msg = message(ei.value)
    assert "401" in msg or "UNAUTHENTICATED" in msg, msg
    assert bad not in msg
    assert rig["LBRIG_ALICE_PAT"] not in msg
    # An authorization failure or a failed connection, not a generic HY000.
    assert sqlstate(ei.value)[:2] in ("28", "08"), ei.value.args


def test_wrong_client_secret_is_a_clean_error(rig):
    bad = "dose" + uuid.uuid4().hex
    SECRETS.add("wrong client secret", bad)
    cs = conn_str(**rig.base_keys(AuthType="oauth-m2m", ClientId=rig["LBRIG_SP_CLIENT_ID"],
                                  ClientSecret=bad))
    with pytest.raises(pyodbc.Error) as ei:
        connect(cs)
    SECRETS.error("wrong client secret", ei.value)
    msg = message(ei.value)
    assert "401" in msg or "invalid_client" in msg, msg
    assert bad not in msg and rig["LBRIG_SP_CLIENT_SECRET"] not in msg


def test_expired_access_token_is_08006(rig):
    """A passed-in token cannot be renewed: once the workspace has expired it, the connect fails
    with 08006 (as Databricks' own driver reports it) and says so."""
    token = rig.oauth_access_token()
    cs = conn_str(**rig.base_keys(AuthType="access-token", AccessToken=token, Pooling=0))
    with opened(cs) as conn:
        assert current_user(conn) == rig["LBRIG_SP_CLIENT_ID"]
    assert rig.client.expire_oauth(rig["LBRIG_SP_CLIENT_ID"]) >= 1
    rig.client.expire(user=rig["LBRIG_SP_CLIENT_ID"])  # and the database token minted with it
    with pytest.raises(pyodbc.Error) as ei:
        connect(cs)
    SECRETS.error("expired access token", ei.value)
    assert sqlstate(ei.value) == "08006", ei.value.args
    assert token not in message(ei.value)


def test_wrong_native_password_is_28P01(rig):
    bad = "not-the-password-%s" % uuid.uuid4().hex
    SECRETS.add("wrong native password", bad)
    with pytest.raises(pyodbc.Error) as ei:
        connect(rig.native_str(password=bad))
    SECRETS.error("wrong native password", ei.value)
    assert sqlstate(ei.value) == "28P01", ei.value.args
    assert bad not in message(ei.value)


def test_unknown_endpoint_is_a_clean_error(rig):
    cs = conn_str(**rig.base_keys(Endpoint="projects/nope/branches/nope/endpoints/nope",
                                  Token=rig["LBRIG_ALICE_PAT"]))
    with pytest.raises(pyodbc.Error) as ei:
        connect(cs)
    SECRETS.error("unknown endpoint", ei.value)
    msg = message(ei.value)
    assert "nope" in msg or "404" in msg or "NOT_FOUND" in msg, msg


# ---------------------------------------------------------------------------- token lifecycle
def test_token_expired_early_is_replaced_once(rig):
    """The rig expires alice's database tokens behind the driver's back: the cached token is
    refused (28P01) at the next login, so the driver mints exactly one new token and the
    connect succeeds. Pooling=0 so that the second connect really logs in."""
    cs = rig.pat_str(Pooling=0)
    with opened(cs) as conn:  # warms the token cache
        assert current_user(conn) == rig["LBRIG_ALICE"]
    rig.snapshot_tokens()
    assert rig.client.expire(user=rig["LBRIG_ALICE"]) >= 1
    before = rig.client.mints(rig["LBRIG_ALICE"])
    with opened(cs) as conn:
        assert current_user(conn) == rig["LBRIG_ALICE"]
    assert rig.client.mints(rig["LBRIG_ALICE"]) - before == 1


def test_open_connection_outlives_its_token(rig):
    with opened(rig.pat_str(Pooling=0)) as conn:
        rig.snapshot_tokens()
        rig.client.expire(user=rig["LBRIG_ALICE"])
        assert current_user(conn) == rig["LBRIG_ALICE"]


THREADS_PROBE = r"""
import json, sys, threading, pyodbc
cs, n = sys.argv[1], int(sys.argv[2])
barrier = threading.Barrier(n)
users, errors, conns = [None] * n, [], []
lock = threading.Lock()

def work(i):
    try:
        barrier.wait(timeout=60)
        c = pyodbc.connect(cs, autocommit=True, timeout=30)
        with lock:
            conns.append(c)
        users[i] = c.cursor().execute("SELECT current_user").fetchone()[0]
    except Exception as e:
        with lock:
            errors.append([str(a) for a in getattr(e, "args", [e])])

threads = [threading.Thread(target=work, args=(i,)) for i in range(n)]
for t in threads:
    t.start()
for t in threads:
    t.join(120)
for c in conns:
    c.close()
print(json.dumps({"users": users, "errors": errors}))
"""


def test_sixteen_threads_cold_cache_mint_once(rig):
    """16 threads of a fresh process (so the driver's token cache is cold) connect at once with
    bob's PAT: the single-flight token cache mints exactly one database token for bob."""
    bob = rig["LBRIG_BOB"]
    SECRETS.add("bob PAT", rig["LBRIG_BOB_PAT"])
    cs = conn_str(**rig.base_keys(Token=rig["LBRIG_BOB_PAT"], ApplicationName="clients-threads",
                                    PoolMaxSize=16))
    before = rig.client.mints(bob)
    n = 16
    p = subprocess.run(
        ["/usr/bin/python3", "-c", THREADS_PROBE, cs, str(n)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout.strip().splitlines()[-1])
    for e in out["errors"]:
        SECRETS.errors.append(("threads", " | ".join(e)))
    assert out["errors"] == []
    assert out["users"] == [bob] * n
    assert rig.client.mints(bob) - before == 1


# ============================================================================ data round trips
EMOJI_TEXT = "h\u00e9llo \u6f22\u5b57 \U0001f600 caf\u00e9"
BIG_NUMERIC = D("-123456789012345678901234567890.123456789012345678901234567890")
SOME_UUID = uuid.UUID("9b2f1c3e-58a4-4d6b-bf3e-0c1d2e3f4a5b")
JSON_TEXT = '{"a": [1, 2.5, "\u00e9\u6f22"], "b": null}'
NUL_BYTES = b"\x00\x01\x02\x00\xff\xfe\x00"
MEGABYTE = bytes(range(256)) * 4096  # 1 MiB, 4096 NULs among them


def as_uuid(v):
    return uuid.UUID(str(v))


def test_select_literals(alice):
    cur = alice.cursor()
    cur.execute("SET TIME ZONE 'UTC'")
    row = cur.execute(
        """SELECT 32767::int2, (-2147483648)::int4, 9223372036854775807::int8,
                  12345678.91::numeric(12,2), %s::numeric,
                  1.5::float4, 3.141592653589793::float8,
                  true, false, 'caf\u00e9'::text, '%s'::varchar(40),
                  '\\x00010200fffe00'::bytea,
                  DATE '2024-02-29', TIME '13:45:30', TIMESTAMP '2024-02-29 12:34:56.123456',
                  TIMESTAMPTZ '2024-02-29 12:34:56.123456+00',
                  '%s'::uuid, '%s'::json, NULL::int4, NULL::text"""
        % (BIG_NUMERIC, EMOJI_TEXT, SOME_UUID, JSON_TEXT)
    ).fetchone()
    assert row[0] == 32767 and type(row[0]) is int
    assert row[1] == -2147483648
    assert row[2] == 9223372036854775807
    assert row[3] == D("12345678.91") and isinstance(row[3], D)
    assert row[4] == BIG_NUMERIC and isinstance(row[4], D)
    assert row[5] == 1.5 and isinstance(row[5], float)
    assert row[6] == 3.141592653589793
    assert row[7] is True and row[8] is False
    assert row[9] == "caf\u00e9"
    assert row[10] == EMOJI_TEXT
    assert bytes(row[11]) == NUL_BYTES
    assert row[12] == datetime.date(2024, 2, 29)
    assert row[13] == datetime.time(13, 45, 30)
    assert row[14] == datetime.datetime(2024, 2, 29, 12, 34, 56, 123456)
    assert _timestamptz_equal(row[15], datetime.datetime(2024, 2, 29, 12, 34, 56, 123456))
    assert as_uuid(row[16]) == SOME_UUID
    assert json.loads(row[17]) == json.loads(JSON_TEXT)
    assert row[18] is None and row[19] is None


def _timestamptz_equal(value, naive_utc):
    """timestamptz as SQL_TYPE_TIMESTAMP in the session time zone (psqlODBC's mapping), or
    as text that names the same instant."""
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(datetime.timezone.utc).replace(tzinfo=None)
        return value == naive_utc
    text = str(value).replace(" ", "T")
    if text.endswith("+00"):
        text += ":00"
    parsed = datetime.datetime.fromisoformat(text)
    return parsed.astimezone(datetime.timezone.utc).replace(tzinfo=None) == naive_utc


ALL_TYPES_DDL = """CREATE TABLE public.%s (
    id int4 PRIMARY KEY,
    c_int2 int2, c_int4 int4, c_int8 int8,
    c_num numeric(12,2), c_numeric numeric,
    c_float4 float4, c_float8 float8,
    c_bool bool, c_text text, c_varchar varchar(40),
    c_bytea bytea, c_date date, c_time time, c_ts timestamp, c_tstz timestamptz,
    c_uuid uuid, c_json json)"""
ALL_COLUMNS = [
    "c_int2", "c_int4", "c_int8", "c_num", "c_numeric", "c_float4", "c_float8", "c_bool",
    "c_text", "c_varchar", "c_bytea", "c_date", "c_time", "c_ts", "c_tstz", "c_uuid", "c_json",
]
ROW_VALUES = [
    -32768,
    2147483647,
    -9223372036854775808,
    D("-9876543210.99"),
    D("-12345678901234567890.123456789"),
    -2.25,
    2.718281828459045,
    True,
    EMOJI_TEXT,
    "\u00e9\u6f22\u5b57\U0001f600",
    NUL_BYTES,
    datetime.date(1999, 12, 31),
    datetime.time(23, 59, 58),
    datetime.datetime(2000, 1, 2, 3, 4, 5, 678901),
    datetime.datetime(2021, 6, 7, 8, 9, 10, 111213),
    str(SOME_UUID),
    JSON_TEXT,
]


@pytest.fixture
def all_types_table(alice, table_name):
    cur = alice.cursor()
    cur.execute("SET TIME ZONE 'UTC'")
    cur.execute(ALL_TYPES_DDL % table_name)
    return table_name


def _insert_all(conn, table, row_id, values):
    sql = "INSERT INTO public.%s (id, %s) VALUES (?, %s)" % (
        table, ", ".join(ALL_COLUMNS), ", ".join("?" * len(ALL_COLUMNS)))
    conn.cursor().execute(sql, row_id, *values)


def _check_row(got, values):
    for col, g, want in zip(ALL_COLUMNS, got, values):
        if col == "c_bytea":
            assert bytes(g) == want, col
        elif col == "c_uuid":
            assert as_uuid(g) == as_uuid(want), col
        elif col == "c_json":
            assert json.loads(g) == json.loads(want), col
        elif col == "c_tstz":
            assert _timestamptz_equal(g, want), (col, g)
        else:
            assert g == want, (col, g, want)
            if want is not None:
                assert type(g) is type(want), (col, type(g))


def test_round_trip_every_type_through_parameters(alice, all_types_table):
    _insert_all(alice, all_types_table, 1, ROW_VALUES)
    got = one(alice, "SELECT %s FROM public.%s WHERE id = ?" % (
        ", ".join(ALL_COLUMNS), all_types_table), 1)
    _check_row(got, ROW_VALUES)


def test_round_trip_nulls_through_parameters(alice, all_types_table):
    _insert_all(alice, all_types_table, 2, [None] * len(ALL_COLUMNS))
    got = one(alice, "SELECT %s FROM public.%s WHERE id = 2" % (
        ", ".join(ALL_COLUMNS), all_types_table))
    assert list(got) == [None] * len(ALL_COLUMNS)




def test_round_trip_one_megabyte_bytea(alice, table_name):
    cur = alice.cursor()
    cur.execute("CREATE TABLE public.%s (id int PRIMARY KEY, b bytea)" % table_name)
    cur.execute("INSERT INTO public.%s VALUES (?, ?)" % table_name, 1, MEGABYTE)
    assert tuple(one(alice, "SELECT length(b), md5(b) FROM public.%s" % table_name)) == (
        len(MEGABYTE), __import__("hashlib").md5(MEGABYTE).hexdigest())
    got = one(alice, "SELECT b FROM public.%s WHERE id = 1" % table_name)[0]
    assert len(got) == len(MEGABYTE)
    assert bytes(got) == MEGABYTE


def test_long_text_round_trip(alice, table_name):
    text = (EMOJI_TEXT + " ") * 20000  # ~ 500 KB of UTF-8 with surrogate pairs in UTF-16
    cur = alice.cursor()
    cur.execute("CREATE TABLE public.%s (t text)" % table_name)
    cur.execute("INSERT INTO public.%s VALUES (?)" % table_name, text)
    assert one(alice, "SELECT t FROM public.%s" % table_name)[0] == text
    assert one(alice, "SELECT char_length(t) FROM public.%s" % table_name)[0] == len(text)


@pytest.mark.parametrize(
    "value",
    [
        "s" * 127,
        "\u00e9" * 128,
        "m" * 1000,
        b"\x00" * 255,
        b"\x00\x01" * 128,
        b"b" * 1000,
    ],
    ids=["str127", "str128", "str1000", "bytes255", "bytes256", "bytes1000"],
)
def test_medium_size_parameters(alice, value):
    """Everyday parameter sizes: a comment, a short document, a small image."""
    cast = "text" if isinstance(value, str) else "bytea"
    got = one(alice, "SELECT CAST(? AS %s), length(CAST(? AS %s))" % (cast, cast), value, value)
    assert (got[0] if isinstance(value, str) else bytes(got[0])) == value
    assert got[1] == len(value)


@pytest.mark.parametrize(
    "value,cast",
    [
        (0, "int8"),
        (-(2**63), "int8"),
        (2**31, "int8"),
        (D("0.01"), "numeric"),
        (D("-99999999.99"), "numeric(12,2)"),
        (D("1E+5"), "numeric"),
        (1e-300, "float8"),
        (-0.5, "float8"),
        (True, "bool"),
        (False, "bool"),
        ("", "text"),
        (EMOJI_TEXT, "text"),
        (b"", "bytea"),
        (NUL_BYTES, "bytea"),
        (datetime.date(1, 1, 1), "date"),
        (datetime.date(9999, 12, 31), "date"),
        (datetime.time(0, 0, 0), "time"),
        (datetime.datetime(1970, 1, 1, 0, 0, 0, 1), "timestamp"),
        (str(SOME_UUID), "uuid"),
    ],
    ids=lambda v: type(v).__name__ if not isinstance(v, str) or len(v) > 12 else v,
)
def test_parameter_echo(alice, value, cast):
    """SELECT ?::type returns the parameter unchanged, for every Python type pyodbc binds."""
    got = one(alice, "SELECT CAST(? AS %s)" % cast, value)[0]
    if isinstance(value, bytes):
        assert bytes(got) == value
    elif cast == "uuid":
        assert as_uuid(got) == as_uuid(value)
    else:
        assert got == value
        assert type(got) is type(value)


def test_parameter_none_is_null(alice):
    # (A bare "SELECT ? IS NULL" gives 42P18 with psqlODBC too: the server cannot type $1.)
    assert one(alice, "SELECT CAST(? AS text) IS NULL", None)[0] is True
    assert one(alice, "SELECT CAST(? AS int4) IS NULL", None)[0] is True


def test_parameters_in_where_clause(alice):
    rows = alice.cursor().execute(
        "SELECT g FROM generate_series(1, 10) g WHERE g > ? AND g <= ? ORDER BY g", 3, 6
    ).fetchall()
    assert [r[0] for r in rows] == [4, 5, 6]
    # A literal question mark inside a string is not a parameter marker.
    assert one(alice, "SELECT '?' || ?", "x")[0] == "?x"


def test_long_results_read_in_chunks(alice):
    """pyodbc reads long text and bytea with SQLGetData in pieces: UTF-16 surrogate pairs and
    multi-byte UTF-8 must survive the chunk boundaries."""
    unit = "\u00e9\u6f22\U0001f600x"
    row = one(
        alice,
        "SELECT repeat(?, 100000), decode(repeat('00ff', 524288), 'hex'), repeat('a', 8191)",
        unit,
    )
    assert row[0] == unit * 100000
    assert bytes(row[1]) == b"\x00\xff" * 524288
    assert row[2] == "a" * 8191


def test_non_ascii_column_names_and_row_attributes(alice):
    cur = alice.cursor()
    row = cur.execute('SELECT 1 AS "caf\u00e9", 2 AS "\u6f22\u5b57", 3 AS plain').fetchone()
    assert [d[0] for d in cur.description] == ["caf\u00e9", "\u6f22\u5b57", "plain"]
    assert row.plain == 3 and tuple(row) == (1, 2, 3)


def test_other_types_come_back_as_text(alice):
    row = one(
        alice,
        "SELECT ARRAY[1,2,3], INTERVAL '1 day 02:03:04', '(1,2)'::point, 'a'::char(3),"
        " 'x'::name, 12.5::money::numeric",
    )
    assert row[0] == "{1,2,3}"
    assert row[1] == "1 day 02:03:04", row[1]
    assert row[2] == "(1,2)"
    assert row[3] == "a  "
    assert row[4] == "x"
    assert row[5] == D("12.50")


def test_insert_returning_and_rowcount(alice, table_name):
    cur = alice.cursor()
    cur.execute("CREATE TABLE public.%s (id serial PRIMARY KEY, v text)" % table_name)
    got = cur.execute(
        "INSERT INTO public.%s (v) VALUES (?), (?) RETURNING id, v" % table_name, "a", "b"
    ).fetchall()
    assert [tuple(r) for r in got] == [(1, "a"), (2, "b")]
    cur.execute("UPDATE public.%s SET v = v || '!'" % table_name)
    assert cur.rowcount == 2
    cur.execute("UPDATE public.%s SET v = 'none' WHERE false" % table_name)
    assert cur.rowcount == 0


def test_several_statements_and_nextset(alice):
    cur = alice.cursor()
    cur.execute("SELECT 1 AS a; SELECT 'two' AS b, 3 AS c")
    assert cur.fetchall()[0][0] == 1
    assert cur.nextset() is True
    assert [d[0] for d in cur.description] == ["b", "c"]
    assert tuple(cur.fetchone()) == ("two", 3)
    assert not cur.nextset()


def test_long_token_as_native_password(rig):
    """A 4 KB password (the size of a real Lakebase JWT) is not truncated anywhere."""
    long_token = rig["LBRIG_LONG_TOKEN"]
    assert len(long_token) >= 4000
    cs = rig.native_str(password=long_token, UID=rig["LBRIG_LONG_USER"])
    with opened(cs) as conn:
        assert current_user(conn) == rig["LBRIG_LONG_USER"]


# ============================================================================ executemany
@pytest.mark.parametrize("fast", [False, True], ids=["plain", "fast_executemany"])
def test_executemany_1000_rows(alice, table_name, fast):
    cur = alice.cursor()
    cur.execute(
        "CREATE TABLE public.%s (id int4 PRIMARY KEY, name varchar(50), amount numeric(12,2),"
        " ratio float8, at timestamp, flag bool, note text)" % table_name
    )
    base = datetime.datetime(2024, 1, 1)
    rows = [
        (
            i,
            "row-%d-\u00e9\u6f22" % i,
            D(i) / 4,
            i / 8.0,
            base + datetime.timedelta(seconds=i),
            i % 3 == 0,
            None if i % 10 == 0 else "n%d" % i,
        )
        for i in range(1000)
    ]
    cur.fast_executemany = fast
    cur.executemany("INSERT INTO public.%s VALUES (?, ?, ?, ?, ?, ?, ?)" % table_name, rows)
    cur.fast_executemany = False
    assert one(alice, "SELECT count(*) FROM public.%s" % table_name)[0] == 1000
    assert one(alice, "SELECT count(note) FROM public.%s" % table_name)[0] == 900
    assert one(alice, "SELECT sum(amount) FROM public.%s" % table_name)[0] == sum(r[2] for r in rows)
    got = alice.cursor().execute("SELECT * FROM public.%s ORDER BY id" % table_name).fetchall()
    assert [tuple(r) for r in got] == rows
    # An UPDATE touching every row reports its row count.
    cur = alice.cursor()
    cur.execute("UPDATE public.%s SET flag = NOT flag WHERE id < ?" % table_name, 1000)
    assert cur.rowcount == 1000
    cur.execute("DELETE FROM public.%s WHERE id >= ?" % table_name, 900)
    assert cur.rowcount == 100


@pytest.mark.parametrize("fast", [False, True], ids=["plain", "fast_executemany"])
def test_executemany_rowcount(alice, table_name, fast):
    """pyodbc's executemany leaves rowcount as the total of rows affected (or -1 if the driver
    cannot tell); it must never be a wrong positive number."""
    cur = alice.cursor()
    cur.execute("CREATE TABLE public.%s (id int4, v text)" % table_name)
    cur.fast_executemany = fast
    cur.executemany("INSERT INTO public.%s VALUES (?, ?)" % table_name,
                    [(i, str(i)) for i in range(1000)])
    assert cur.rowcount in (-1, 1000), cur.rowcount


def _fem_xfail(reason):
    return pytest.mark.xfail(strict=True, reason=reason)


@pytest.mark.parametrize(
    "column,value",
    [
        ("text", "t" * 8190),
        pytest.param("text", "t" * 20000, marks=_fem_xfail(
            "driver bug: SQLDescribeParam gives text parameters SQL_WLONGVARCHAR of size 8190, so "
            "pyodbc's fast_executemany refuses longer values ('String data, right truncation: "
            "length 40000 buffer 16380'); text has no such limit (report size 0 and support "
            "data-at-execution, or a size that fits text); psqlODBC has the same limit")),
        ("bytea", b"\x00" * 255),
        pytest.param("bytea", b"\x00\xff" * 500, marks=_fem_xfail(
            "driver bug: SQLDescribeParam gives bytea parameters SQL_VARBINARY of size 255 (while "
            "text gets SQL_WLONGVARCHAR 8190), so pyodbc's fast_executemany refuses any bytea value "
            "over 255 bytes ('String data, right truncation: length 1000 buffer 255')")),
        ("varchar(500)", "v" * 255),
        pytest.param("varchar(500)", "v" * 300, marks=_fem_xfail(
            "driver limitation: SQLDescribeParam gives varchar parameters SQL_WVARCHAR of size 255 "
            "(MaxVarcharSize; the server's ParameterDescription carries no length), so pyodbc's "
            "fast_executemany refuses 300 characters for a varchar(500) column; psqlODBC too")),
        ("numeric", D("12345.123456")),
        pytest.param("numeric", D("12345.123456789"), marks=_fem_xfail(
            "driver limitation: SQLDescribeParam gives every numeric parameter NUMERIC(28,6), so "
            "pyodbc's fast_executemany refuses a Decimal with 9 fractional digits for an "
            "unconstrained numeric column ('Converting decimal loses precision'); psqlODBC too")),
    ],
    ids=["text8190", "text20000", "bytea255", "bytea1000", "varchar255", "varchar300",
         "numeric6", "numeric9"],
)
def test_fast_executemany_long_values(alice, table_name, column, value):
    """fast_executemany sizes its parameter arrays from SQLDescribeParam: values that the
    column accepts must fit."""
    cur = alice.cursor()
    cur.execute("CREATE TABLE public.%s (id int4, x %s)" % (table_name, column))
    cur.fast_executemany = True
    cur.executemany("INSERT INTO public.%s VALUES (?, ?)" % table_name, [(1, value), (2, value)])
    got = alice.cursor().execute("SELECT x FROM public.%s ORDER BY id" % table_name).fetchall()
    norm = [bytes(r[0]) if isinstance(value, bytes) else r[0] for r in got]
    assert norm == [value, value]


# ============================================================================ fetching
def test_fetchall_fetchmany_fetchone(alice):
    cur = alice.cursor()
    cur.execute("SELECT g, 'v' || g FROM generate_series(1, 2500) g ORDER BY g")
    first = cur.fetchone()
    assert tuple(first) == (1, "v1")
    chunk = cur.fetchmany(999)
    assert [r[0] for r in chunk] == list(range(2, 1001))
    rest = cur.fetchall()
    assert [r[0] for r in rest] == list(range(1001, 2501))
    assert cur.fetchone() is None
    assert cur.fetchmany(5) == []
    # fetchmany with the default arraysize, and iteration
    cur.execute("SELECT g FROM generate_series(1, 7) g ORDER BY g")
    cur.arraysize = 3
    assert [r[0] for r in cur.fetchmany()] == [1, 2, 3]
    assert [r[0] for r in cur] == [4, 5, 6, 7]


def test_rowcount_of_select_and_empty_result(alice):
    cur = alice.cursor()
    cur.execute("SELECT 1 WHERE false")
    assert cur.fetchall() == []
    assert cur.description is not None and len(cur.description) == 1


def test_multiple_cursors_on_one_connection(alice):
    c1 = alice.cursor()
    c2 = alice.cursor()
    c1.execute("SELECT g FROM generate_series(1, 3000) g ORDER BY g")
    c2.execute("SELECT 'other'")
    assert c2.fetchone()[0] == "other"
    assert len(c1.fetchall()) == 3000


def test_description_types(alice):
    cur = alice.cursor()
    cur.execute(
        "SELECT 1::int2 AS a, 1::int4 AS b, 1::int8 AS c, 1.5::numeric(12,2) AS d, 1::numeric AS e,"
        " 1::float4 AS f, 1::float8 AS g, true AS h, 'x'::text AS i, 'x'::varchar(40) AS j,"
        " '\\x00'::bytea AS k, DATE '2020-01-01' AS l, TIME '01:02:03' AS m,"
        " TIMESTAMP '2020-01-01 00:00:00' AS n"
    )
    desc = cur.description
    assert [d[0] for d in desc] == list("abcdefghijklmn")
    types = {d[0]: d[1] for d in desc}
    assert types["a"] is int and types["b"] is int and types["c"] is int
    assert types["d"] is D and types["e"] is D
    assert types["f"] is float and types["g"] is float
    assert types["h"] is bool
    assert types["i"] is str and types["j"] is str
    assert types["k"] in (bytes, bytearray)
    assert types["l"] is datetime.date
    assert types["m"] is datetime.time
    assert types["n"] is datetime.datetime
    # numeric(12,2): precision 12, scale 2; varchar(40): internal size 40
    d = {x[0]: x for x in desc}
    assert d["d"][4] == 12 and d["d"][5] == 2, d["d"]
    assert d["j"][3] == 40 or d["j"][4] == 40, d["j"]
    cur.fetchall()


# ============================================================================ catalog
def test_tables_and_columns(alice, table_name):
    cur = alice.cursor()
    cur.execute(
        "CREATE TABLE public.%s (id int4 NOT NULL PRIMARY KEY, name varchar(40),"
        " amount numeric(12,2), created timestamp, payload bytea)" % table_name
    )
    tables = cur.tables(table=table_name).fetchall()
    assert len(tables) == 1, tables
    t = tables[0]
    assert t.table_name == table_name
    assert t.table_schem == "public"
    assert t.table_type == "TABLE"
    # Also listed among all tables of the schema, and not found under another name.
    assert table_name in [r.table_name for r in cur.tables(schema="public", tableType="TABLE")]
    assert cur.tables(table=table_name + "_nope").fetchall() == []

    cols = cur.columns(table=table_name).fetchall()
    assert [c.column_name for c in cols] == ["id", "name", "amount", "created", "payload"]
    assert [c.ordinal_position for c in cols] == [1, 2, 3, 4, 5]
    by = {c.column_name: c for c in cols}
    assert by["id"].data_type == pyodbc.SQL_INTEGER
    assert by["id"].nullable == pyodbc.SQL_NO_NULLS
    assert by["name"].data_type in (pyodbc.SQL_VARCHAR, pyodbc.SQL_WVARCHAR)
    assert by["name"].column_size == 40
    assert by["name"].nullable == pyodbc.SQL_NULLABLE
    assert by["amount"].data_type in (pyodbc.SQL_NUMERIC, pyodbc.SQL_DECIMAL)
    assert by["amount"].column_size == 12 and by["amount"].decimal_digits == 2
    assert by["created"].data_type == pyodbc.SQL_TYPE_TIMESTAMP
    assert by["payload"].data_type in (pyodbc.SQL_VARBINARY, pyodbc.SQL_LONGVARBINARY)
    assert by["id"].type_name == "int4"
    # a single column by name
    one_col = cur.columns(table=table_name, column="amount").fetchall()
    assert [c.column_name for c in one_col] == ["amount"]


@pytest.fixture
def keyed_tables(alice, table_name):
    cur = alice.cursor()
    cur.execute("CREATE TABLE public.%s (id int4 PRIMARY KEY, code text UNIQUE, x int4)" % table_name)
    cur.execute("CREATE INDEX %s_x ON public.%s (x)" % (table_name, table_name))
    cur.execute(
        "CREATE TABLE public.%s_child (id int4 PRIMARY KEY,"
        " parent int4 REFERENCES public.%s (id))" % (table_name, table_name)
    )
    yield table_name
    cur.execute("DROP TABLE IF EXISTS public.%s_child" % table_name)


def test_primary_keys(alice, keyed_tables):
    pks = alice.cursor().primaryKeys(table=keyed_tables, schema="public").fetchall()
    assert [(p.column_name, p.key_seq) for p in pks] == [("id", 1)]


def test_foreign_keys(alice, keyed_tables):
    fks = alice.cursor().foreignKeys(table=keyed_tables, schema="public").fetchall()
    assert [(f.fktable_name, f.fkcolumn_name, f.pkcolumn_name) for f in fks] == [
        (keyed_tables + "_child", "parent", "id")]


def test_statistics(alice, keyed_tables):
    rows = alice.cursor().statistics(keyed_tables, schema="public").fetchall()
    indexed = {r.column_name for r in rows if r.column_name}
    assert {"id", "code", "x"} <= indexed


def test_row_id_columns(alice, keyed_tables):
    rows = alice.cursor().rowIdColumns(keyed_tables, schema="public").fetchall()
    assert [r.column_name for r in rows] == ["id"]


def test_getinfo(alice):
    assert alice.getinfo(pyodbc.SQL_DBMS_NAME) == "PostgreSQL"
    assert alice.getinfo(pyodbc.SQL_DRIVER_ODBC_VER).startswith("03.")
    # pyodbc turns the "Y"/"N" of this info type into a bool; the endpoint is read-write.
    assert alice.getinfo(pyodbc.SQL_DATA_SOURCE_READ_ONLY) is False


# ============================================================================ errors
def test_undefined_table_42P01(alice):
    cur = alice.cursor()
    with pytest.raises(pyodbc.ProgrammingError) as ei:
        cur.execute("SELECT * FROM no_such_table_%s" % uuid.uuid4().hex)
    SECRETS.error("42P01", ei.value)
    assert sqlstate(ei.value) == "42P01", ei.value.args
    assert "does not exist" in message(ei.value)
    assert one(alice, "SELECT 1")[0] == 1  # the connection is still usable


def test_unique_violation_23505(alice, table_name):
    cur = alice.cursor()
    cur.execute("CREATE TABLE public.%s (id int4 PRIMARY KEY)" % table_name)
    cur.execute("INSERT INTO public.%s VALUES (?)" % table_name, 1)
    with pytest.raises(pyodbc.IntegrityError) as ei:
        cur.execute("INSERT INTO public.%s VALUES (?)" % table_name, 1)
    SECRETS.error("23505", ei.value)
    assert sqlstate(ei.value) == "23505", ei.value.args
    assert one(alice, "SELECT count(*) FROM public.%s" % table_name)[0] == 1


def test_division_by_zero_22012(alice):
    with pytest.raises(pyodbc.DataError) as ei:
        alice.cursor().execute("SELECT 1 / (0 * ?)", 5).fetchall()
    SECRETS.error("22012", ei.value)
    assert sqlstate(ei.value) == "22012", ei.value.args


def test_syntax_error_42601(alice):
    with pytest.raises(pyodbc.ProgrammingError) as ei:
        alice.cursor().execute("SELEC 1")
    assert sqlstate(ei.value) == "42601", ei.value.args


def test_raise_exception_with_custom_sqlstate(alice):
    with pytest.raises(pyodbc.Error) as ei:
        alice.cursor().execute(
            "DO $$BEGIN RAISE EXCEPTION 'custom \u00e9 failure' USING ERRCODE = 'P0001'; END$$")
    assert sqlstate(ei.value) == "P0001", ei.value.args
    assert "custom \u00e9 failure" in message(ei.value)


def test_error_in_transaction_then_rollback(rig):
    with opened(rig.pat_str(), autocommit=False) as conn:
        cur = conn.cursor()
        with pytest.raises(pyodbc.DataError):
            cur.execute("SELECT 1/0")
        # The transaction is aborted: 25P02 until rollback.
        with pytest.raises(pyodbc.Error) as ei:
            cur.execute("SELECT 1")
        assert sqlstate(ei.value) == "25P02", ei.value.args
        conn.rollback()
        assert one(conn, "SELECT 2")[0] == 2


# ============================================================================ transactions
def test_manual_commit_and_rollback(rig, alice, table_name):
    alice.cursor().execute("CREATE TABLE public.%s (id int4, v text)" % table_name)
    with opened(rig.pat_str(), autocommit=False) as conn:
        assert conn.autocommit is False
        cur = conn.cursor()
        cur.execute("INSERT INTO public.%s VALUES (?, ?)" % table_name, 1, "rolled back")
        # Not visible to another connection before commit...
        assert one(alice, "SELECT count(*) FROM public.%s" % table_name)[0] == 0
        conn.rollback()
        assert one(conn, "SELECT count(*) FROM public.%s" % table_name)[0] == 0
        conn.rollback()  # end the read transaction too

        cur.execute("INSERT INTO public.%s VALUES (?, ?)" % table_name, 2, "committed")
        assert one(alice, "SELECT count(*) FROM public.%s" % table_name)[0] == 0
        conn.commit()
        rows = alice.cursor().execute("SELECT id, v FROM public.%s" % table_name).fetchall()
        assert [tuple(r) for r in rows] == [(2, "committed")]

        # Switching autocommit on commits nothing pending by itself but works from now on.
        conn.autocommit = True
        cur.execute("INSERT INTO public.%s VALUES (?, ?)" % table_name, 3, "auto")
        assert one(alice, "SELECT count(*) FROM public.%s" % table_name)[0] == 2


def test_uncommitted_work_is_rolled_back_on_close(rig, alice, table_name):
    alice.cursor().execute("CREATE TABLE public.%s (id int4)" % table_name)
    conn = connect(rig.pat_str(), autocommit=False)
    conn.cursor().execute("INSERT INTO public.%s VALUES (1)" % table_name)
    conn.close()
    assert one(alice, "SELECT count(*) FROM public.%s" % table_name)[0] == 0


def test_transaction_isolation_snapshot(rig, alice, table_name):
    """In a manual transaction, a pooled connection is not handed out mid-transaction: two
    connections with autocommit off stay independent."""
    alice.cursor().execute("CREATE TABLE public.%s (id int4)" % table_name)
    with opened(rig.pat_str(), autocommit=False) as a, opened(rig.pat_str(), autocommit=False) as b:
        a.cursor().execute("INSERT INTO public.%s VALUES (1)" % table_name)
        assert one(b, "SELECT count(*) FROM public.%s" % table_name)[0] == 0
        a.commit()
        b.commit()
        assert one(b, "SELECT count(*) FROM public.%s" % table_name)[0] == 1
        b.rollback()


# ============================================================================ pandas (optional)
def test_pandas_read_sql(rig):
    pandas = pytest.importorskip("pandas")
    with opened(rig.pat_str()) as conn:
        df = pandas.read_sql(
            "SELECT g AS n, 'r' || g AS s, g::numeric / 4 AS d FROM generate_series(1, 5) g "
            "ORDER BY g",
            conn,
        )
    assert list(df.columns) == ["n", "s", "d"]
    assert list(df["n"]) == [1, 2, 3, 4, 5]
    assert list(df["s"]) == ["r1", "r2", "r3", "r4", "r5"]
    assert list(df["d"]) == [D(1) / 4 * i for i in range(1, 6)]
