"""pyodbc and what a host process does to the driver (DESIGN.md sections 4 and 6): pooled
sessions must not leak state, fork() after connecting, the driver manager unloading the
driver, query timeouts and cancel from another thread."""

import os
import subprocess
import sys
import threading
import time

import pytest

import pyodbc
from conftest import SECRETS


def connect(cs, autocommit=True):
    return pyodbc.connect(cs, autocommit=autocommit, timeout=30)


def scalar(conn, sql, *params):
    return conn.cursor().execute(sql, *params).fetchone()[0]


def test_pooled_session_is_reset(rig):
    """SQLDisconnect returns the session to the pool after ROLLBACK + DISCARD ALL: the next
    logical connection sees no settings, temp tables or prepared state of the previous one."""
    cs = rig.pat_str(ApplicationName="clients-pool-reset")
    with_defaults = connect(cs)
    default_tz = scalar(with_defaults, "SHOW TimeZone")
    with_defaults.close()

    a = connect(cs)
    pid_a = scalar(a, "SELECT pg_backend_pid()")
    other_tz = "Asia/Tokyo" if default_tz != "Asia/Tokyo" else "America/Chicago"
    a.cursor().execute("SET TIME ZONE '%s'" % other_tz)
    a.cursor().execute("CREATE TEMP TABLE clients_leak (x int)")
    a.cursor().execute("SET search_path TO pg_catalog")
    a.close()

    b = connect(cs)
    try:
        assert scalar(b, "SHOW TimeZone") == default_tz
        assert scalar(b, "SELECT to_regclass('pg_temp.clients_leak') IS NULL") is True
        assert scalar(b, "SHOW search_path") == '"$user", public'
        assert scalar(b, "SELECT current_setting('application_name')") == "clients-pool-reset"
        # (Whether b reused a's backend is the pool's business; say which for the record.)
        sys.stderr.write("pool reuse: %s\n" % (scalar(b, "SELECT pg_backend_pid()") == pid_a))
    finally:
        b.close()


def test_pooled_session_in_open_transaction_is_rolled_back(rig, tmp_path):
    """A connection closed with autocommit off and work pending: nothing is committed, and the
    next logical connection does not start inside that transaction."""
    cs = rig.pat_str(ApplicationName="clients-pool-tx")
    table = "clients_pool_tx_%d" % os.getpid()
    admin = connect(rig.pat_str())
    admin.cursor().execute("CREATE TABLE public.%s (x int)" % table)
    try:
        a = connect(cs, autocommit=False)
        a.cursor().execute("INSERT INTO public.%s VALUES (1)" % table)
        a.close()
        b = connect(cs)
        try:
            assert scalar(b, "SELECT count(*) FROM public.%s" % table) == 0
            assert scalar(b, "SELECT now() = statement_timestamp()") in (True, False)
            # autocommit: an insert is visible to another session at once
            b.cursor().execute("INSERT INTO public.%s VALUES (2)" % table)
            assert scalar(admin, "SELECT count(*) FROM public.%s" % table) == 1
        finally:
            b.close()
    finally:
        admin.cursor().execute("DROP TABLE public.%s" % table)
        admin.close()


def test_fork_after_connecting(rig):
    """A child forked while the parent holds an open connection and a pooled idle session
    connects on its own; afterwards the parent's sessions still work (the child never used or
    closed them)."""
    cs = rig.pat_str(ApplicationName="clients-fork")
    idle = connect(cs)
    assert scalar(idle, "SELECT 1") == 1
    idle.close()  # back to the pool
    held = connect(cs)
    held_pid = scalar(held, "SELECT pg_backend_pid()")
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: no pytest machinery, report through the pipe
        code = 1
        try:
            os.close(r)
            c = pyodbc.connect(cs, autocommit=True, timeout=30)
            user = c.cursor().execute("SELECT current_user").fetchone()[0]
            child_pid = c.cursor().execute("SELECT pg_backend_pid()").fetchone()[0]
            c.close()
            os.write(w, ("%s %d" % (user, child_pid)).encode())
            code = 0
        except BaseException as e:  # noqa: BLE001
            try:
                os.write(w, ("ERROR %r" % (e,)).encode())
            except OSError:
                pass
        finally:
            os._exit(code)
    os.close(w)
    data = b""
    while True:
        chunk = os.read(r, 4096)
        if not chunk:
            break
        data += chunk
    os.close(r)
    _, status = os.waitpid(pid, 0)
    text = data.decode()
    if text.startswith("ERROR"):
        SECRETS.errors.append(("fork child", text))
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0, (status, text)
    user, child_pid = text.split()
    assert user == rig["LBRIG_ALICE"]
    assert int(child_pid) != held_pid
    # The parent's connections are intact.
    assert scalar(held, "SELECT pg_backend_pid()") == held_pid
    assert scalar(held, "SELECT current_user") == rig["LBRIG_ALICE"]
    held.close()
    again = connect(cs)
    assert scalar(again, "SELECT 2") == 2
    again.close()


UNLOAD_PROBE = r"""
import sys, time, pyodbc
cs = sys.argv[1]
for i in range(4):
    c = pyodbc.connect(cs, autocommit=True, timeout=30)
    assert c.cursor().execute("SELECT current_user").fetchone()[0]
    c.close()  # the last handle: unixODBC unloads the driver library (no DontDLClose)
    time.sleep(0.3)  # background threads of an unloaded library would crash now
print("ok")
"""


def test_driver_unload_and_reload_under_the_driver_manager(rig):
    p = subprocess.run(
        ["/usr/bin/python3", "-c", UNLOAD_PROBE, rig.pat_str(ApplicationName="clients-unload")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert p.returncode == 0 and p.stdout.strip() == "ok", (p.returncode, p.stdout, p.stderr[-2000:])



@pytest.mark.parametrize("how", ["SQL_ATTR_QUERY_TIMEOUT", "QueryTimeout keyword"])
def test_query_timeout(rig, how):
    """pyodbc's Connection.timeout sets SQL_ATTR_QUERY_TIMEOUT on every cursor; the DSN key
    QueryTimeout sets the default. A long statement ends with HYT00 near the deadline, and the
    connection stays usable."""
    if how == "QueryTimeout keyword":
        conn = connect(rig.pat_str(QueryTimeout=1))
    else:
        conn = connect(rig.pat_str())
        conn.timeout = 1
    try:
        t0 = time.monotonic()
        with pytest.raises(pyodbc.Error) as ei:
            conn.cursor().execute("SELECT pg_sleep(6)")
        elapsed = time.monotonic() - t0
        SECRETS.error("query timeout", ei.value)
        assert ei.value.args[0] in ("HYT00", "57014"), ei.value.args
        assert elapsed < 4.5, elapsed
        conn.timeout = 0
        assert scalar(conn, "SELECT 3") == 3
    finally:
        conn.close()


def test_cancel_from_another_thread(rig):
    conn = connect(rig.pat_str())
    cur = conn.cursor()
    errors = []

    def run():
        try:
            cur.execute("SELECT pg_sleep(20)")
        except pyodbc.Error as e:
            errors.append(e)

    t = threading.Thread(target=run)
    t0 = time.monotonic()
    t.start()
    time.sleep(1.0)
    cur.cancel()
    t.join(30)
    try:
        assert not t.is_alive()
        assert time.monotonic() - t0 < 15
        assert len(errors) == 1, "the cancelled statement must fail"
        SECRETS.error("cancel", errors[0])
        assert errors[0].args[0] in ("HY008", "57014"), errors[0].args
        assert scalar(conn, "SELECT 4") == 4
    finally:
        conn.close()
