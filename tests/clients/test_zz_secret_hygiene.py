"""Secret hygiene, collected last (test_zz_*): no PAT, client secret, native password, minted
database token or handed-in access token may appear in

- the output connection string of SQLDriverConnect (pyodbc does not expose it, so it is read
  here through ctypes against unixODBC's libodbc.so.2, ANSI and wide entry points),
- the error messages the tests collected,
- the driver's trace log (LogLevel=trace) of every connection the tests made.
"""

import ctypes
import glob
import math
import os

import pytest

from conftest import DSN_M2M, DSN_NATIVE, DSN_PAT, LOG_FILE, ODBC_DIR, SECRETS, conn_str

SQL_HANDLE_ENV, SQL_HANDLE_DBC = 1, 2
SQL_ATTR_ODBC_VERSION, SQL_OV_ODBC3 = 200, 3
SQL_NTS = -3
SQL_DRIVER_NOPROMPT = 0
SQL_SUCCESS, SQL_SUCCESS_WITH_INFO = 0, 1

OUT_STRINGS = []  # (label, output connection string)


def _odbc():
    try:
        lib = ctypes.CDLL("libodbc.so.2")
    except OSError:
        pytest.skip("libodbc.so.2 not loadable")
    lib.SQLAllocHandle.argtypes = [ctypes.c_short, ctypes.c_void_p, ctypes.POINTER(ctypes.c_void_p)]
    lib.SQLSetEnvAttr.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p, ctypes.c_int]
    lib.SQLDriverConnect.argtypes = [
        ctypes.c_void_p, ctypes.c_void_p, ctypes.c_char_p, ctypes.c_short,
        ctypes.c_char_p, ctypes.c_short, ctypes.POINTER(ctypes.c_short), ctypes.c_ushort,
    ]
    lib.SQLDriverConnectW.argtypes = [
        ctypes.c_void_p, ctypes.c_void_p, ctypes.c_char_p, ctypes.c_short,
        ctypes.c_char_p, ctypes.c_short, ctypes.POINTER(ctypes.c_short), ctypes.c_ushort,
    ]
    lib.SQLGetDiagRec.argtypes = [
        ctypes.c_short, ctypes.c_void_p, ctypes.c_short, ctypes.c_char_p,
        ctypes.POINTER(ctypes.c_int), ctypes.c_char_p, ctypes.c_short,
        ctypes.POINTER(ctypes.c_short),
    ]
    lib.SQLDisconnect.argtypes = [ctypes.c_void_p]
    lib.SQLFreeHandle.argtypes = [ctypes.c_short, ctypes.c_void_p]
    return lib


def driver_connect(conn_string, wide):
    """SQLDriverConnect[W] with SQL_DRIVER_NOPROMPT; returns (rc, output string, diagnostics)."""
    lib = _odbc()
    env, dbc = ctypes.c_void_p(), ctypes.c_void_p()
    assert lib.SQLAllocHandle(SQL_HANDLE_ENV, None, ctypes.byref(env)) == SQL_SUCCESS
    try:
        lib.SQLSetEnvAttr(env, SQL_ATTR_ODBC_VERSION, ctypes.c_void_p(SQL_OV_ODBC3), 0)
        assert lib.SQLAllocHandle(SQL_HANDLE_DBC, env, ctypes.byref(dbc)) == SQL_SUCCESS
        try:
            out_len = ctypes.c_short(0)
            if wide:
                chars = 4096
                inp = (conn_string + "\0").encode("utf-16-le")
                out = ctypes.create_string_buffer(chars * 2)
                rc = lib.SQLDriverConnectW(dbc, None, inp, SQL_NTS, out, chars,
                                           ctypes.byref(out_len), SQL_DRIVER_NOPROMPT)
                text = out.raw[: max(out_len.value, 0) * 2].decode("utf-16-le", "replace")
            else:
                out = ctypes.create_string_buffer(8192)
                rc = lib.SQLDriverConnect(dbc, None, conn_string.encode(), SQL_NTS, out,
                                          len(out), ctypes.byref(out_len), SQL_DRIVER_NOPROMPT)
                text = out.value.decode("utf-8", "replace")
            diags = []
            state, native = ctypes.create_string_buffer(6), ctypes.c_int()
            msg, msg_len = ctypes.create_string_buffer(4096), ctypes.c_short()
            i = 1
            while lib.SQLGetDiagRec(SQL_HANDLE_DBC, dbc, i, state, ctypes.byref(native), msg,
                                    len(msg), ctypes.byref(msg_len)) in (0, 1):
                diags.append("[%s] %s" % (state.value.decode(), msg.value.decode("utf-8", "replace")))
                i += 1
            if rc in (SQL_SUCCESS, SQL_SUCCESS_WITH_INFO):
                lib.SQLDisconnect(dbc)
            return rc, text, diags
        finally:
            lib.SQLFreeHandle(SQL_HANDLE_DBC, dbc)
    finally:
        lib.SQLFreeHandle(SQL_HANDLE_ENV, env)


def mask(text, secrets):
    """text with every secret replaced by <label>, for assertion messages."""
    for value, label in sorted(secrets.items(), key=lambda kv: -len(kv[0])):
        if len(value) >= 8:
            text = text.replace(value, "<%s>" % label)
    return text


def leaks(text, secrets):
    """(label, how) for every secret found in text: the whole value, or any piece of half its
    length (so a secret cut short or wrapped in quotes is still caught; a 4-8 character hint
    such as dapi...5507 is allowed)."""
    found = []
    for value, label in secrets.items():
        if len(value) < 8:
            continue
        if value in text:
            found.append((label, "whole value"))
            continue
        w = max(12, math.ceil(len(value) / 2))
        for i in range(0, len(value) - w + 1):
            if value[i : i + w] in text:
                found.append((label, "a %d-character piece" % w))
                break
    return found


# ---------------------------------------------------------------------------- output string
def _cases(rig):
    token = rig.oauth_access_token()
    return [
        ("PAT, DSN-less", rig.pat_str()),
        ("M2M, DSN-less", rig.m2m_str()),
        ("native password, DSN-less", rig.native_str()),
        ("access token, DSN-less", conn_str(**rig.base_keys(AuthType="access-token", AccessToken=token))),
        ("PAT DSN", "DSN=%s" % DSN_PAT),
        ("M2M DSN", "DSN=%s" % DSN_M2M),
        ("native DSN", "DSN=%s" % DSN_NATIVE),
    ]


@pytest.mark.parametrize("wide", [False, True], ids=["SQLDriverConnect", "SQLDriverConnectW"])
def test_output_connection_string_has_no_secrets(rig, wide):
    for label, cs in _cases(rig):
        rc, out, diags = driver_connect(cs, wide)
        assert rc in (SQL_SUCCESS, SQL_SUCCESS_WITH_INFO), (label, rc, diags)
        assert out, (label, "empty output connection string")
        OUT_STRINGS.append((label, out))
        if os.environ.get("LAKEBASE_CLIENTS_SHOW_OUT"):
            print("\n%s: %s" % (label, mask(out, SECRETS.all())))
        for d in diags:
            SECRETS.errors.append(("diag of " + label, d))
        assert leaks(out, SECRETS.all()) == [], (label, mask(out, SECRETS.all()))
    rig.snapshot_tokens()


def test_output_connection_string_of_a_dsn_reconnects(rig):
    """The completed string must be usable for a later SQLDriverConnect (ODBC spec); for a DSN
    the secrets stay in odbc.ini, so it reconnects without them."""
    rc, out, diags = driver_connect("DSN=%s" % DSN_PAT, wide=False)
    assert rc in (SQL_SUCCESS, SQL_SUCCESS_WITH_INFO), diags
    rc2, out2, diags2 = driver_connect(out, wide=False)
    assert rc2 in (SQL_SUCCESS, SQL_SUCCESS_WITH_INFO), (out, diags2)


def test_wrong_credentials_through_ctypes_have_no_secrets(rig):
    bad = "dapi" + "7" * 32
    SECRETS.add("wrong PAT (ctypes)", bad)
    rc, out, diags = driver_connect(rig.pat_str(pat=bad), wide=True)
    assert rc not in (SQL_SUCCESS, SQL_SUCCESS_WITH_INFO)
    assert diags, "a failed SQLDriverConnectW must leave a diagnostic record"
    for d in diags:
        SECRETS.errors.append(("ctypes wrong PAT", d))
    assert leaks(" ".join(diags) + out, SECRETS.all()) == []


# ---------------------------------------------------------------------------- collected errors
def test_collected_error_messages_have_no_secrets(rig):
    assert SECRETS.errors, "the tests before this one collect error messages"
    secrets = SECRETS.all()
    bad = [(label, mask(msg, secrets), leaks(msg, secrets)) for label, msg in SECRETS.errors]
    assert [b for b in bad if b[2]] == []


# ---------------------------------------------------------------------------- trace logs
def test_trace_logs_have_no_secrets(rig):
    rig.snapshot_tokens()
    paths = sorted(set(glob.glob(LOG_FILE + "*") + glob.glob(os.path.join(ODBC_DIR, "*.log*"))))
    assert paths, "no driver trace log in %s: LogLevel/LogFile not honoured" % ODBC_DIR
    text = ""
    for p in paths:
        with open(p, "rb") as f:
            text += f.read().decode("utf-8", "replace")
    assert "session opened" in text or "connected to" in text, "the trace log records no connection"
    secrets = SECRETS.all()
    minted = [t for t, label in secrets.items() if label == "minted database token"]
    assert minted, "the rig minted no database token during the tests"
    found = leaks(text, secrets)
    # Name the file and line where each leaked kind of secret first shows, without the secret.
    where = []
    for label, _how in found:
        values = [v for v, l in secrets.items() if l == label]
        hit = None
        for p in paths:
            with open(p, "rb") as f:
                lines = f.read().decode("utf-8", "replace").splitlines()
            for n, line in enumerate(lines, 1):
                if leaks(line, {v: label for v in values}):
                    hit = "%s: %s:%d: %s" % (label, os.path.basename(p), n, mask(line, secrets)[:300])
                    break
            if hit:
                break
        where.append(hit or label)
    assert found == [], where
