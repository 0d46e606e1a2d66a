"""The token lifecycle end to end, through pyodbc against the rig: short-lived database tokens under
load (refreshed in the background, no connect waiting on a mint), 64 cold threads minting once,
two processes sharing one mint through TokenCache=file, every injected workspace fault, and no
secret in logs, diagnostics or cache file names.

Each scenario runs in a fresh Python process (this file is also the worker: `python3
test_auth_lifecycle.py worker '<json spec>'`), so the driver's process-wide token cache starts
cold and the mint counters of the rig measure exactly that process.

Knob: LAKEBASE_AUTH_SOAK_SECONDS (default 40) is how long the 8-thread short-token run lasts;
the acceptance run uses 120.
"""

import json
import os
import re
import stat
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
WORKER_TIMEOUT = 600


# ------------------------------------------------------------------------------ the worker
def worker_conn_str(keys, log_file, level="trace"):
    """A connection string for a worker: Driver=Lakebase, keys, and its own log file."""
    from conftest import DRIVER_NAME, quote

    parts = ["Driver=" + DRIVER_NAME]
    for k, v in keys.items():
        if v is not None:
            parts.append("%s=%s" % (k, quote(v)))
    parts.append("LogLevel=%s" % level)
    parts.append("LogFile=%s" % quote(log_file))
    return ";".join(parts)


def run_worker(spec, env=None, background=False):
    """Runs the worker in a new process with os.environ + env (None values removed). Returns its
    JSON result (plus "stderr"), or the Popen when background."""
    full = dict(os.environ)
    for k, v in (env or {}).items():
        if v is None:
            full.pop(k, None)
        else:
            full[k] = str(v)
    cmd = [sys.executable, os.path.abspath(__file__), "worker", json.dumps(spec)]
    p = subprocess.Popen(cmd, env=full, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if background:
        return p
    return collect(p)


def collect(p):
    out, err = p.communicate(timeout=WORKER_TIMEOUT)
    lines = [line for line in out.splitlines() if line.startswith("{")]
    if p.returncode != 0 or not lines:
        raise AssertionError("worker failed (%s):\n%s\n%s" % (p.returncode, out, err[-4000:]))
    result = json.loads(lines[-1])
    result["stderr"] = err
    return result


def _worker(spec):
    import pyodbc

    sys.path.insert(0, os.path.join(os.path.dirname(HERE), "rig"))
    import rigclient

    lock = threading.Lock()
    result = {"users": [], "errors": [], "connect_ms": [], "count": 0}

    def connect_once(cs, timeout):
        t0 = time.monotonic()
        try:
            conn = pyodbc.connect(cs, timeout=timeout, autocommit=True)
        except pyodbc.Error as e:
            with lock:
                result["errors"].append([e.args[0] if e.args else "", " ".join(map(str, e.args))])
            return
        ms = (time.monotonic() - t0) * 1000
        try:
            user = conn.cursor().execute(spec.get("query", "SELECT current_user")).fetchone()[0]
        except pyodbc.Error as e:
            with lock:
                result["errors"].append([e.args[0] if e.args else "", " ".join(map(str, e.args))])
            return
        finally:
            conn.close()
        with lock:
            result["users"].append(user)
            result["connect_ms"].append(ms)
            result["count"] += 1

    def run_connects(step):
        conn_strs = step.get("conn_strs") or [step["conn_str"]]
        threads = int(step.get("threads", 1))
        per_thread = int(step.get("connects", 1))
        duration = step.get("duration")
        timeout = int(step.get("timeout", 30))
        barrier = threading.Barrier(threads)
        start_file = step.get("start_file")

        def body(i):
            cs = conn_strs[i % len(conn_strs)]
            barrier.wait()
            if duration:
                end = time.monotonic() + float(duration)
                while time.monotonic() < end:
                    connect_once(cs, timeout)
            else:
                for _ in range(per_thread):
                    connect_once(cs, timeout)

        if start_file:  # another process starts at the same moment
            while not os.path.exists(start_file):
                time.sleep(0.005)
        ts = [threading.Thread(target=body, args=(i,)) for i in range(threads)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()

    steps = spec.get("steps") or [spec]
    for step in steps:
        if "sleep" in step:
            time.sleep(float(step["sleep"]))
        elif "fault" in step:
            rigclient.fault(**step["fault"])
        elif "rig_reset" in step:
            rigclient.reset()
        else:
            run_connects(step)
    print(json.dumps(result))
    sys.stdout.flush()


# ------------------------------------------------------------------------------ helpers
def mints(rig, user):
    return rig.client.stats()["mints"].get(user, 0)


def secrets_of(rig, extra=()):
    """Every secret the driver may have seen: credentials, minted database tokens, and what the
    caller adds (refresh tokens, OAuth tokens)."""
    from conftest import SECRETS

    out = set(v for v in SECRETS.all() if len(v) >= 12)
    for k in ("LBRIG_ALICE_PAT", "LBRIG_BOB_PAT", "LBRIG_SP_CLIENT_SECRET"):
        out.add(rig[k])
    for name in os.listdir(rig["LBRIG_TOKENS_DIR"]):
        if not name.startswith("."):
            out.add(name)
    out.update(x for x in extra if x)
    return out


def assert_no_secret_in(path, secrets):
    try:
        with open(path, errors="replace") as f:
            text = f.read()
    except FileNotFoundError:
        return
    for s in secrets:
        assert s not in text, "a secret (%s...) is in %s" % (s[:6], path)


def log_count(path, pattern):
    with open(path, errors="replace") as f:
        return len(re.findall(pattern, f.read()))


# ------------------------------------------------------------------------------ the tests
if __name__ != "__main__":
    import pytest

    from conftest import SECRETS

    @pytest.fixture
    def work(tmp_path, rig):
        yield tmp_path
        rig.client.reset()

    def keys_for(rig, endpoint=None, **extra):
        keys = rig.base_keys(Pooling=0, **extra)
        if endpoint:
            keys["Endpoint"] = endpoint
        return keys

    def test_short_tokens_eight_threads_refresh_in_background(rig, work):
        duration = float(os.environ.get("LAKEBASE_AUTH_SOAK_SECONDS", "40"))
        lifetime = 20
        margin = lifetime / 2  # TokenRefreshMargin 300 is capped at half of a token's lifetime
        rig.client.config(db_token_lifetime=lifetime)
        log = str(work / "driver.log")
        user = rig["LBRIG_BOB"]
        before = mints(rig, user)
        cs = worker_conn_str(keys_for(rig, Token=rig["LBRIG_BOB_PAT"]), log, level="debug")
        r = run_worker({"conn_str": cs, "threads": 8, "duration": duration})
        made = mints(rig, user) - before
        assert r["errors"] == [], r["errors"][:5]
        assert r["count"] > 8 * 5
        assert set(r["users"]) == {user}
        expected = duration / (lifetime - margin)
        assert abs(made - expected) <= 1, (made, expected)
        # Only the very first connect minted in the foreground; every other mint was a
        # background refresh that no connect waited for.
        assert log_count(log, r"auth: minted a database credential") == 1
        assert log_count(log, r"refreshed the database credential .* in the background") == made - 1
        assert_no_secret_in(log, secrets_of(rig))

    def test_64_cold_threads_mint_once_per_identity(rig, work):
        log = str(work / "driver.log")
        ep = "projects/analytics/branches/production/endpoints/primary"
        bob = worker_conn_str(keys_for(rig, ep, Token=rig["LBRIG_BOB_PAT"]), log)
        sp = worker_conn_str(
            keys_for(rig, ep, AuthType="oauth-m2m", ClientId=rig["LBRIG_SP_CLIENT_ID"],
                     ClientSecret=rig["LBRIG_SP_CLIENT_SECRET"]), log)
        before = rig.client.stats()
        r = run_worker({"conn_strs": [bob, sp], "threads": 64, "connects": 1})
        after = rig.client.stats()
        assert r["errors"] == [], r["errors"][:5]
        assert r["count"] == 64
        assert sorted(set(r["users"])) == sorted([rig["LBRIG_BOB"], rig["LBRIG_SP_CLIENT_ID"]])
        for who in (rig["LBRIG_BOB"], rig["LBRIG_SP_CLIENT_ID"]):
            assert after["mints"].get(who, 0) - before["mints"].get(who, 0) == 1, who
        # One workspace OAuth token for the service principal too.
        sp_id = rig["LBRIG_SP_CLIENT_ID"]
        assert after["oauth_tokens"].get(sp_id, 0) - before["oauth_tokens"].get(sp_id, 0) == 1
        assert_no_secret_in(log, secrets_of(rig))

    def test_two_processes_with_the_file_cache_mint_once(rig, work):
        cache = work / "tokens"
        start = str(work / "go")
        logs = [str(work / "a.log"), str(work / "b.log")]
        ep = "projects/demo/branches/production/endpoints/replica-2"
        user = rig["LBRIG_ALICE"]
        before = mints(rig, user)
        procs = []
        for log in logs:
            cs = worker_conn_str(
                keys_for(rig, ep, Token=rig["LBRIG_ALICE_PAT"], TokenCache="file",
                         TokenCacheDir=str(cache)), log)
            procs.append(run_worker({"conn_str": cs, "threads": 4, "connects": 3,
                                     "start_file": start}, background=True))
        time.sleep(1.0)  # both processes loaded the driver and wait at the start line
        open(start, "w").close()
        results = [collect(p) for p in procs]
        for r in results:
            assert r["errors"] == [], r["errors"][:5]
            assert set(r["users"]) == {user}
        assert mints(rig, user) - before == 1
        # The cache: a 0700 directory of 0600 files named by hashes.
        assert stat.S_IMODE(os.stat(cache).st_mode) == 0o700
        names = os.listdir(cache)
        assert any(n.endswith(".token") for n in names), names
        stored = []
        for n in names:
            assert re.fullmatch(r"[0-9a-f]{48}\.(token|lock)", n), n
            assert stat.S_IMODE(os.stat(cache / n).st_mode) == 0o600
            if n.endswith(".token"):
                stored.append(json.loads((cache / n).read_text())["token"])
        secrets = secrets_of(rig, stored)
        for n in names:
            for s in secrets:
                assert s not in n
        for log in logs:
            assert_no_secret_in(log, secrets)
        # A third process later: served from the file, no mint at all.
        cs = worker_conn_str(keys_for(rig, ep, Token=rig["LBRIG_ALICE_PAT"], TokenCache="file",
                                      TokenCacheDir=str(cache)), logs[0])
        r = run_worker({"conn_str": cs})
        assert r["errors"] == [] and mints(rig, user) - before == 1

    def test_file_cache_refuses_a_directory_others_can_read(rig, work):
        from conftest import conn_str

        import pyodbc

        cache = work / "loose"
        cache.mkdir()
        cache.chmod(0o755)
        cs = conn_str(**keys_for(rig, Token=rig["LBRIG_ALICE_PAT"], TokenCache="file",
                                 TokenCacheDir=str(cache), ApplicationName="auth-loose"))
        with pytest.raises(pyodbc.Error) as e:
            pyodbc.connect(cs, timeout=30)
        SECRETS.error("loose token cache dir", e.value)
        text = " ".join(map(str, e.value.args))
        assert "chmod 700" in text and str(cache) in text
        assert os.listdir(cache) == []

    # pyodbc repeats a failed SQLDriverConnectW as SQLDriverConnect (ANSI), so a fault meant to fail
    # the connect is injected twice, and the time bound allows two login timeouts.
    COLD_FAULTS = [
        # (fault, login timeout, succeeds, message fragment, most seconds)
        ({"kind": "429", "count": 2, "retry_after": 1}, 30, True, None, 10),
        ({"kind": "503", "count": 1}, 30, True, None, 10),
        ({"kind": "429", "count": 50, "retry_after": 1}, 4, False, "REQUEST_LIMIT_EXCEEDED", 8),
        ({"kind": "503", "count": 50, "retry_after": 1}, 4, False, "TEMPORARILY_UNAVAILABLE", 8),
        ({"kind": "500", "count": 2}, 30, False, "INTERNAL_ERROR: rig: injected 500", 5),
        ({"kind": "hang", "count": 2, "seconds": 8}, 3, False, "timed out", 7),
        ({"kind": "malformed", "count": 2}, 30, False, "not valid JSON", 5),
        ({"kind": "wrong_fields", "count": 2}, 30, False, "no token field", 5),
    ]

    @pytest.mark.parametrize("fault,timeout,ok,fragment,most", COLD_FAULTS,
                             ids=lambda v: v["kind"] + "x" + str(v["count"])
                             if isinstance(v, dict) else None)
    def test_cold_connect_under_fault(rig, work, fault, timeout, ok, fragment, most):
        log = str(work / "driver.log")
        cs = worker_conn_str(keys_for(rig, Token=rig["LBRIG_BOB_PAT"]), log)
        f = dict(fault, path="/api/2.0/postgres/credentials")
        t0 = time.monotonic()
        r = run_worker({"steps": [{"fault": f}, {"conn_str": cs, "timeout": timeout}]})
        elapsed = time.monotonic() - t0
        if ok:
            assert r["errors"] == [] and r["users"] == [rig["LBRIG_BOB"]], r
        else:
            assert len(r["errors"]) == 1, r
            state, msg = r["errors"][0]
            assert fragment in msg, msg
            assert state in ("08001", "HYT00"), r
            if fault["kind"] in ("hang", "429", "503"):
                assert state == "HYT00", r
        assert elapsed < most + 3, elapsed  # + process start-up
        assert_no_secret_in(log, secrets_of(rig))

    def test_warm_connects_never_wait_while_refreshes_fail(rig, work):
        """With a valid token cached, a refresh that fails or hangs never delays a connect."""
        rig.client.config(db_token_lifetime=40)  # refresh margin 20 s, enough validity 10 s
        log = str(work / "driver.log")
        cs = worker_conn_str(keys_for(rig, Token=rig["LBRIG_BOB_PAT"]), log, level="debug")
        path = "/api/2.0/postgres/credentials"
        r = run_worker({"steps": [
            {"conn_str": cs},
            {"sleep": 22},  # into the refresh margin (20 s before expiry)
            {"fault": {"path": path, "kind": "500", "count": 100}},
            {"conn_str": cs, "connects": 4},  # the refresh gets 500: the cached token serves
            {"sleep": 1.0},
            {"rig_reset": True},
            {"fault": {"path": path, "kind": "hang", "count": 1, "seconds": 3}},
            {"sleep": 4.5},  # past the refresh backoff (2.5-5 s after the failure)
            {"conn_str": cs, "connects": 6},  # the next refresh hangs: no connect waits for it
        ]})
        assert r["errors"] == [], r
        assert r["count"] == 11
        assert max(r["connect_ms"][1:]) < 1500, r["connect_ms"]
        with open(log, errors="replace") as f:
            text = f.read()
        assert "background refresh of the database credential" in text  # the failure, logged
        assert "INTERNAL_ERROR" in text
        assert log_count(log, r"auth: minted a database credential") == 1

if __name__ == "__main__" and len(sys.argv) >= 3 and sys.argv[1] == "worker":
    _worker(json.loads(sys.argv[2]))
