#!/usr/bin/python3
"""The lakebase-odbc test rig: PostgreSQL 15 with TLS and Lakebase-style token logins, plus a
Databricks workspace emulator. See README.md beside this file.

CLI:
    /usr/bin/python3 tests/rig/rig.py start --dir DIR     # returns when everything is ready
    /usr/bin/python3 tests/rig/rig.py stop  --dir DIR [--purge]
    /usr/bin/python3 tests/rig/rig.py env   --dir DIR     # print rig.env
    /usr/bin/python3 tests/rig/rig.py status --dir DIR

Python:
    with Rig(dir) as r:           # dir=None makes (and removes) a temporary one
        r.env["LBRIG_PG_PORT"]; r.psql("SELECT 1"); r.client.stats()

Standard library only; run with Debian's /usr/bin/python3.
"""

import argparse
import json
import os
import pwd
import secrets
import shlex
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import rigclient  # noqa: E402

PG_BIN = os.environ.get("LBRIG_PG_BIN", "/usr/lib/postgresql/15/bin")
RUNUSER = shutil.which("runuser", path="/usr/sbin:/sbin:/usr/bin:/bin") or "/usr/sbin/runuser"
PYTHON = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable

DATABASE = "databricks_postgres"
ADMIN_USER = "postgres"
ALICE = "alice@example.com"
BOB = "bob@example.com"
# A service principal's Postgres role is its application (client) id.
SP_CLIENT_ID = "6f1c1d2e-8a3b-4c5d-9e7f-0a1b2c3d4e5f"
NATIVE_USER = "native_user"
LONG_USER = "longtoken_user"
LONG_TOKEN_LEN = 4096
ENDPOINT = "projects/demo/branches/production/endpoints/primary"
READONLY_ENDPOINT = "projects/demo/branches/production/endpoints/replica-1"
INSTANCE = "rig-instance"
U2M_CLIENT_ID = "databricks-cli"

ENDPOINTS = [
    {"name": ENDPOINT, "type": "READ_WRITE"},
    {"name": READONLY_ENDPOINT, "type": "READ_ONLY"},
    {"name": "projects/demo/branches/production/endpoints/replica-2", "type": "READ_ONLY"},
    {"name": "projects/demo/branches/dev/endpoints/primary", "type": "READ_WRITE"},
    {"name": "projects/analytics/branches/production/endpoints/primary", "type": "READ_WRITE"},
]
INSTANCES = [{"name": INSTANCE}, {"name": "rig-instance-2"}]

# Everything start() may create inside DIR; a stale DIR is cleaned of exactly these.
OWNED_NAMES = (
    "rig.env",
    "rig.json",
    "ca.crt",
    "ca.key",
    "ca.srl",
    "server.crt",
    "server.key",
    "server.csr",
    "server.ext",
    "emulator.json",
    "emulator.port",
    "emulator.pid",
    "emulator.log",
    "pg",
    "pg.log",
    "sock",
    "ssl",
    "tokens",
    "checker",
    "setup.sql",
    "runtime",
    "rig_auth.so",
)


class RigError(RuntimeError):
    pass


def _log(msg):
    if os.environ.get("LBRIG_VERBOSE"):
        sys.stderr.write("rig: %s\n" % msg)


def _run(cmd, *, check=True, timeout=120, **kw):
    _log("$ " + " ".join(shlex.quote(c) for c in cmd))
    p = subprocess.run(
        cmd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=timeout,
        **kw,
    )
    if check and p.returncode != 0:
        raise RigError("command failed (%d): %s\n%s" % (p.returncode, " ".join(cmd), p.stdout))
    return p


def _free_port(v6):
    """A port free on 127.0.0.1 (and ::1 when the machine has IPv6 loopback)."""
    for _ in range(50):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        finally:
            s.close()
        if not v6:
            return port
        s6 = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
        try:
            s6.bind(("::1", port))
            return port
        except OSError:
            continue
        finally:
            s6.close()
    raise RigError("no free loopback port")


def _ipv6_loopback():
    try:
        s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
        try:
            s.bind(("::1", 0))
            return True
        finally:
            s.close()
    except OSError:
        return False


def _pid_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie (our own child not yet reaped) is not alive.
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def _cmdline(pid):
    try:
        with open("/proc/%d/cmdline" % pid, "rb") as f:
            return f.read().replace(b"\0", b" ").decode("utf-8", "replace")
    except OSError:
        return ""


def _kill_wait(pid, timeout=5.0):
    """SIGTERM, wait, then SIGKILL."""
    for sig, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, 2.0)):
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            return
        deadline = time.time() + wait
        while time.time() < deadline:
            try:
                os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                pass
            if not _pid_alive(pid):
                return
            time.sleep(0.05)


class Rig:
    """One rig in one directory. start() returns the env; stop() leaves nothing running."""

    def __init__(self, dir=None, *, purge_on_stop=None):
        self._temp = dir is None
        if dir is None:
            dir = tempfile.mkdtemp(prefix="lbrig-", dir="/tmp")
        self.dir = os.path.abspath(dir)
        self.purge_on_stop = self._temp if purge_on_stop is None else purge_on_stop
        self.env = {}
        self.info = {}
        self._client = None

    # ------------------------------------------------------------------ public API
    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop(purge=self.purge_on_stop)
        return False

    @property
    def client(self):
        if self._client is None:
            self._client = rigclient.RigClient(
                self.env["LBRIG_CONTROL"], self.env["LBRIG_CA_FILE"]
            )
        return self._client

    def psql(self, sql, *, database=DATABASE, user=ADMIN_USER, check=True):
        """Runs SQL as admin through the unix socket; returns psql's unaligned output."""
        cmd = [
            os.path.join(PG_BIN, "psql"),
            "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
            "-h", self.env["LBRIG_PG_SOCKET_DIR"], "-p", self.env["LBRIG_PG_PORT"],
            "-U", user, "-d", database, "-c", sql,
        ]
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, text=True)
        if check and p.returncode != 0:
            raise RigError("psql failed: %s" % p.stderr.strip())
        return p.stdout

    @classmethod
    def attach(cls, dir):
        """A Rig object for an already running rig (does not own it)."""
        r = cls(dir, purge_on_stop=False)
        with open(os.path.join(r.dir, "rig.json")) as f:
            r.info = json.load(f)
        r.env = dict(r.info["env"])
        return r

    @classmethod
    def from_env_or_start(cls):
        """(rig, owned): the rig named by LBRIG_DIR (as tests/run.sh starts one) if it is
        running, else a new temporary one that the caller owns and must stop()."""
        d = os.environ.get("LBRIG_DIR")
        if d and os.path.exists(os.path.join(d, "rig.json")):
            r = cls.attach(d)
            try:
                r.client.health()
                return r, False
            except OSError:
                pass
        r = cls()
        r.start()
        return r, True

    # ------------------------------------------------------------------ start
    def start(self):
        t0 = time.time()
        os.makedirs(self.dir, exist_ok=True)
        if any(os.path.lexists(os.path.join(self.dir, n)) for n in OWNED_NAMES):
            _log("cleaning stale rig in %s" % self.dir)
            self.stop()
            self._clean_dir()
        try:
            self._start()
        except BaseException:
            try:
                self.stop()
            except Exception as e:  # keep the original error
                sys.stderr.write("rig: cleanup after failed start: %s\n" % e)
            raise
        _log("ready in %.1fs" % (time.time() - t0))
        return self.env

    def _start(self):
        self.root = os.geteuid() == 0
        if not os.access("/etc/pam.d", os.W_OK):
            raise RigError("the rig writes /etc/pam.d/<service>: run it as root")
        for tool in ("initdb", "pg_ctl", "psql"):
            if not os.access(os.path.join(PG_BIN, tool), os.X_OK):
                raise RigError("%s/%s not found: apt-get install postgresql-15" % (PG_BIN, tool))
        if shutil.which("openssl") is None:
            raise RigError("openssl not found: apt-get install openssl")

        if self.root and not os.stat("/").st_mode & 0o001:
            # The server runs as the postgres user, who must be able to traverse "/". A root
            # directory without o+x (a debootstrapped chroot made with mktemp -d is 0700) makes
            # every exec of the server fail with EACCES; a normal system has 0755.
            _log("making / traversable (it is %o) so the postgres user can run the server"
                 % (os.stat("/").st_mode & 0o7777))
            os.chmod("/", 0o755)

        if self.root:
            try:
                pw = pwd.getpwnam("postgres")
            except KeyError:
                raise RigError("no 'postgres' OS user: apt-get install postgresql-15")
            self.pg_uid, self.pg_gid = pw.pw_uid, pw.pw_gid
        else:
            self.pg_uid, self.pg_gid = os.getuid(), os.getgid()

        st = os.stat(self.dir)
        if st.st_uid == os.geteuid():
            os.chmod(self.dir, (st.st_mode & 0o7777) | 0o755)
        self.runtime = self._choose_runtime()
        self.v6 = _ipv6_loopback()
        rt = self.runtime
        info = {
            "dir": self.dir,
            "runtime": rt,
            "runtime_is_separate": rt != self.dir,
            "started_at": int(time.time()),
            "pid": os.getpid(),
        }
        self.info = info
        self._save_info()

        # Secrets of this rig run.
        alice_pat = "dapi" + secrets.token_hex(16)
        bob_pat = "dapi" + secrets.token_hex(16)
        sp_secret = "dose" + secrets.token_hex(18)
        native_pw = "npw_" + secrets.token_hex(16)
        long_token = self._long_token()

        # Directories the server user needs.
        for sub, owner, mode in (
            ("pg", self.pg_uid, 0o700),
            ("sock", self.pg_uid, 0o755),
            ("ssl", self.pg_uid, 0o700),
            ("tokens", os.geteuid(), 0o711),
        ):
            path = os.path.join(rt, sub)
            os.makedirs(path, exist_ok=True)
            os.chown(path, owner, self.pg_gid if owner == self.pg_uid else -1)
            os.chmod(path, mode)
        if rt != self.dir:
            for sub in ("pg", "sock", "tokens"):
                os.symlink(os.path.join(rt, sub), os.path.join(self.dir, sub))

        self._make_certs()

        # The emulator starts while initdb runs.
        emu_cfg = {
            "port_file": os.path.join(self.dir, "emulator.port"),
            "cert": os.path.join(self.dir, "server.crt"),
            "key": os.path.join(self.dir, "server.key"),
            "tokens_dir": os.path.join(rt, "tokens"),
            "users": {
                ALICE: {"pat": alice_pat, "display_name": "Alice Example"},
                BOB: {"pat": bob_pat, "display_name": "Bob Example"},
            },
            "service_principals": {
                SP_CLIENT_ID: {"secret": sp_secret, "display_name": "rig-service-principal"}
            },
            "u2m_clients": [U2M_CLIENT_ID],
            "endpoints": ENDPOINTS,
            "instances": INSTANCES,
            # For /_rig/suspend and /_rig/resume (scale to zero): how to stop and start the server.
            "pg_ctl": ([RUNUSER, "-u", "postgres", "--"] if self.root else [])
            + [os.path.join(PG_BIN, "pg_ctl"), "-D", os.path.join(rt, "pg"), "-l", os.path.join(rt, "pg.log")],
            "pg_ctl_cwd": rt,
        }
        emu_cfg_path = os.path.join(self.dir, "emulator.json")
        with open(os.open(emu_cfg_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as f:
            json.dump(emu_cfg, f, indent=1)
        emu_log = open(os.path.join(self.dir, "emulator.log"), "ab")
        emu = subprocess.Popen(
            [PYTHON, os.path.join(HERE, "emulator.py"), "--config", emu_cfg_path],
            stdin=subprocess.DEVNULL,
            stdout=emu_log,
            stderr=subprocess.STDOUT,
            cwd=self.dir,
            start_new_session=True,
            close_fds=True,
        )
        emu_log.close()
        info["emulator_pid"] = emu.pid
        with open(os.path.join(self.dir, "emulator.pid"), "w") as f:
            f.write("%d\n" % emu.pid)
        self._save_info()

        pgdata = os.path.join(rt, "pg")
        self._as_pg(
            [
                os.path.join(PG_BIN, "initdb"),
                "-D", pgdata, "-U", ADMIN_USER, "-A", "trust",
                "-E", "UTF8", "--no-locale", "--no-sync", "--no-instructions",
            ]
        )
        info["pgdata"] = pgdata

        hook = self._build_auth_hook()
        info["auth_hook"] = hook

        # The checker is copied next to the tokens, where the server user can surely reach it.
        checker = os.path.join(rt, "checker")
        shutil.copyfile(os.path.join(HERE, "checker"), checker)
        os.chmod(checker, 0o755)

        pg_log = os.path.join(rt, "pg.log")
        with open(pg_log, "a"):
            pass
        os.chown(pg_log, self.pg_uid, self.pg_gid)
        if rt != self.dir:
            os.symlink(pg_log, os.path.join(self.dir, "pg.log"))
        info["pg_log"] = pg_log

        # Start Postgres; a port taken between choosing and binding is retried.
        for attempt in range(5):
            port = _free_port(self.v6)
            # Unique even if two rigs race for one port: the loser must not touch the winner's
            # PAM file when it cleans up.
            service = "lakebase-rig-%d-%s" % (port, secrets.token_hex(3))
            pam_file = "/etc/pam.d/" + service
            info.update({"pg_port": port, "pam_service": service, "pam_file": pam_file})
            self._save_info()
            self._write_pg_conf(pgdata, port, service)
            self._write_pam(pam_file, checker, os.path.join(rt, "tokens"))
            p = self._as_pg(
                [
                    os.path.join(PG_BIN, "pg_ctl"),
                    "-D", pgdata, "-l", pg_log, "-w", "-t", "60", "-s", "start",
                ],
                check=False,
            )
            if p.returncode == 0:
                break
            with open(pg_log, errors="replace") as f:
                tail = f.read()[-3000:]
            self._remove_pam(pam_file)
            if "could not bind" in tail or "already in use" in tail:
                continue
            raise RigError("pg_ctl start failed:\n%s\n%s" % (p.stdout, tail))
        else:
            raise RigError("could not start PostgreSQL on a free port")

        sock = os.path.join(rt, "sock")
        self._setup_sql(sock, port, native_pw, long_token)

        ws_port = self._wait_emulator(emu)
        workspace = "https://localhost:%d" % ws_port
        ca = os.path.join(self.dir, "ca.crt")
        psql = "%s -X -h %s -p %d -U %s -d %s" % (
            os.path.join(PG_BIN, "psql"), sock, port, ADMIN_USER, DATABASE,
        )
        self.env = {
            "LBRIG_DIR": self.dir,
            "LBRIG_PG_HOST": "localhost",
            "LBRIG_PG_PORT": str(port),
            "LBRIG_PG_SOCKET_DIR": sock,
            "LBRIG_PG_ADMIN_USER": ADMIN_USER,
            "LBRIG_PG_LOG": pg_log,
            "LBRIG_DATABASE": DATABASE,
            "LBRIG_CA_FILE": ca,
            "LBRIG_WORKSPACE": workspace,
            "LBRIG_CONTROL": workspace + "/_rig",
            "LBRIG_ENDPOINT": ENDPOINT,
            "LBRIG_READONLY_ENDPOINT": READONLY_ENDPOINT,
            "LBRIG_INSTANCE": INSTANCE,
            "LBRIG_ALICE": ALICE,
            "LBRIG_ALICE_PAT": alice_pat,
            "LBRIG_BOB": BOB,
            "LBRIG_BOB_PAT": bob_pat,
            "LBRIG_SP_CLIENT_ID": SP_CLIENT_ID,
            "LBRIG_SP_CLIENT_SECRET": sp_secret,
            "LBRIG_U2M_CLIENT_ID": U2M_CLIENT_ID,
            "LBRIG_NATIVE_USER": NATIVE_USER,
            "LBRIG_NATIVE_PASSWORD": native_pw,
            "LBRIG_LONG_USER": LONG_USER,
            "LBRIG_LONG_TOKEN": long_token,
            "LBRIG_TOKENS_DIR": os.path.join(rt, "tokens"),
            "LBRIG_PAM_SERVICE": service,
            "LBRIG_PSQL": psql,
            "LBRIG_RIG_PY": os.path.join(HERE, "rig.py"),
            "LBRIG_RIGCLIENT_PY": os.path.join(HERE, "rigclient.py"),
            # A `databricks auth token` stand-in: put this dir first on PATH.
            "LBRIG_FAKE_CLI_DIR": os.path.join(HERE, "bin"),
        }
        info["env"] = self.env
        info["identities"] = {
            "users": {ALICE: alice_pat, BOB: bob_pat},
            "service_principals": {SP_CLIENT_ID: sp_secret},
        }
        self._save_info()
        self._write_env_file()

    def _choose_runtime(self):
        """DIR itself, unless the server user cannot reach it, the unix socket path would be too
        long, or the path has characters a PAM config line cannot carry: then a private
        directory under /tmp (removed again by stop)."""
        ok = len(self.dir) + len("/sock/.s.PGSQL.65535") < 100 and all(
            c.isalnum() or c in "/._-" for c in self.dir
        )
        if ok and self.root:
            ok = (
                subprocess.run(
                    [RUNUSER, "-u", "postgres", "--", "/usr/bin/test", "-x", self.dir],
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    cwd="/",
                ).returncode
                == 0
            )
        if ok:
            return self.dir
        rt = tempfile.mkdtemp(prefix="lbrig-rt-", dir="/tmp")
        os.chmod(rt, 0o755)
        with open(os.path.join(self.dir, "runtime"), "w") as f:
            f.write(rt + "\n")
        return rt

    def _build_auth_hook(self):
        """Compiles rig_auth.c (28P01 for a rejected token, as on Lakebase) into the runtime
        dir; Postgres loads it by absolute path."""
        cc = shutil.which("cc") or shutil.which("gcc")
        pg_config = os.path.join(PG_BIN, "pg_config")
        incdir = None
        if os.access(pg_config, os.X_OK):
            incdir = _run([pg_config, "--includedir-server"]).stdout.strip()
        if not cc or not incdir or not os.path.exists(os.path.join(incdir, "postgres.h")):
            raise RigError(
                "building tests/rig/rig_auth.c needs a C compiler and the server headers: "
                "apt-get install build-essential postgresql-server-dev-15"
            )
        out = os.path.join(self.runtime, "rig_auth.so")
        _run(
            [
                cc, "-O1", "-shared", "-fPIC", "-Wall", "-Wno-unused-parameter",
                "-I" + incdir, "-o", out, os.path.join(HERE, "rig_auth.c"),
            ]
        )
        os.chmod(out, 0o755)
        return out

    def _long_token(self):
        # JWT-shaped, 4096 characters of [A-Za-z0-9_.-].
        alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
        body = "".join(secrets.choice(alphabet) for _ in range(LONG_TOKEN_LEN - 3))
        return "eyJ" + body[:200] + "." + body[201:]

    def _as_pg(self, cmd, check=True):
        if self.root:
            cmd = [RUNUSER, "-u", "postgres", "--"] + cmd
        env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}
        return _run(cmd, check=check, cwd=self.runtime, env=env)

    def _make_certs(self):
        d = self.dir
        ca_key, ca_crt = os.path.join(d, "ca.key"), os.path.join(d, "ca.crt")
        key, csr, crt = (os.path.join(d, n) for n in ("server.key", "server.csr", "server.crt"))
        ext = os.path.join(d, "server.ext")
        ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        _run(
            ["openssl", "req", "-x509"] + ec + [
                "-keyout", ca_key, "-out", ca_crt, "-days", "3650", "-sha256",
                "-subj", "/CN=Lakebase Test Rig CA",
                "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign",
                "-addext", "subjectKeyIdentifier=hash",
            ]
        )
        with open(ext, "w") as f:
            f.write(
                "basicConstraints=critical,CA:FALSE\n"
                "keyUsage=critical,digitalSignature,keyEncipherment\n"
                "extendedKeyUsage=serverAuth\n"
                "subjectKeyIdentifier=hash\n"
                "authorityKeyIdentifier=keyid,issuer\n"
                "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1\n"
            )
        _run(["openssl", "req", "-new"] + ec + ["-keyout", key, "-out", csr, "-subj", "/CN=localhost"])
        _run(
            [
                "openssl", "x509", "-req", "-in", csr, "-CA", ca_crt, "-CAkey", ca_key,
                "-CAcreateserial", "-out", crt, "-days", "825", "-sha256", "-extfile", ext,
            ]
        )
        for p in (ca_key, key):
            os.chmod(p, 0o600)
        os.chmod(ca_crt, 0o644)
        os.chmod(crt, 0o644)
        # The server's copies, owned by the server user (Postgres refuses a group/world
        # readable key).
        for src, name, mode in ((crt, "server.crt", 0o644), (key, "server.key", 0o600)):
            dst = os.path.join(self.runtime, "ssl", name)
            shutil.copyfile(src, dst)
            os.chown(dst, self.pg_uid, self.pg_gid)
            os.chmod(dst, mode)

    def _write_pg_conf(self, pgdata, port, service):
        rt = self.runtime
        listen = "127.0.0.1,::1" if self.v6 else "127.0.0.1"
        conf = os.path.join(pgdata, "postgresql.auto.conf")
        with open(conf, "w") as f:
            f.write(
                "# Written by lakebase-odbc tests/rig/rig.py\n"
                "port = %d\n"
                "listen_addresses = '%s'\n"
                "unix_socket_directories = '%s'\n"
                "ssl = on\n"
                "ssl_cert_file = '%s/ssl/server.crt'\n"
                "ssl_key_file = '%s/ssl/server.key'\n"
                "ssl_min_protocol_version = 'TLSv1.2'\n"
                "password_encryption = 'scram-sha-256'\n"
                "max_connections = 300\n"
                "shared_buffers = '64MB'\n"
                "fsync = off\n"
                "synchronous_commit = off\n"
                "full_page_writes = off\n"
                "dynamic_shared_memory_type = mmap\n"
                "max_wal_size = '256MB'\n"
                "log_connections = on\n"
                "log_disconnections = off\n"
                "log_line_prefix = '%%m [%%p] %%e %%q%%u@%%d '\n"
                "log_min_messages = warning\n"
                "lc_messages = 'C'\n"
                "timezone = 'UTC'\n"
                "shared_preload_libraries = '%s/rig_auth.so'\n"
                % (port, listen, rt + "/sock", rt, rt, rt)
            )
        os.chown(conf, self.pg_uid, self.pg_gid)
        hba = os.path.join(pgdata, "pg_hba.conf")
        lines = [
            "# Written by lakebase-odbc tests/rig/rig.py: Lakebase-style logins.",
            "# TYPE    DATABASE USER            ADDRESS       METHOD",
            "local     all      all                           trust",
        ]
        for net in ("0.0.0.0/0", "::0/0"):
            lines.append("hostnossl all      all             %-13s reject" % net)
        for net in ("127.0.0.1/32", "::1/128"):
            for user in (NATIVE_USER, LONG_USER):
                lines.append("hostssl   all      %-15s %-13s scram-sha-256" % (user, net))
        for net in ("127.0.0.1/32", "::1/128"):
            lines.append("hostssl   all      all             %-13s pam pamservice=%s" % (net, service))
        with open(hba, "w") as f:
            f.write("\n".join(lines) + "\n")
        os.chown(hba, self.pg_uid, self.pg_gid)

    def _write_pam(self, pam_file, checker, tokens):
        fd = os.open(pam_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        with open(fd, "w") as f:
            f.write(
                "# lakebase-odbc test rig in %s; removed by `rig.py stop`.\n"
                "auth    required pam_exec.so expose_authtok quiet %s %s\n"
                "account required pam_permit.so\n" % (self.dir, checker, tokens)
            )
        os.chmod(pam_file, 0o644)

    @staticmethod
    def _remove_pam(pam_file):
        if pam_file and pam_file.startswith("/etc/pam.d/lakebase-rig-"):
            try:
                os.unlink(pam_file)
            except FileNotFoundError:
                pass

    def _setup_sql(self, sock, port, native_pw, long_token):
        def q(ident):
            return '"%s"' % ident.replace('"', '""')

        roles = [ALICE, BOB, SP_CLIENT_ID, NATIVE_USER, LONG_USER]
        all_roles = ", ".join(q(r) for r in roles)
        sql = [
            "CREATE DATABASE %s;" % DATABASE,
            "CREATE ROLE %s LOGIN;" % q(ALICE),
            "CREATE ROLE %s LOGIN;" % q(BOB),
            "CREATE ROLE %s LOGIN;" % q(SP_CLIENT_ID),
            "CREATE ROLE %s LOGIN PASSWORD '%s';" % (NATIVE_USER, native_pw),
            "CREATE ROLE %s LOGIN PASSWORD '%s';" % (LONG_USER, long_token),
            "GRANT CONNECT, TEMPORARY ON DATABASE %s TO %s;" % (DATABASE, all_roles),
            "\\connect %s" % DATABASE,
            "GRANT USAGE, CREATE ON SCHEMA public TO %s;" % all_roles,
            "CREATE TABLE public.rig_rls (id serial PRIMARY KEY,"
            " owner text NOT NULL DEFAULT current_user, item text NOT NULL);",
            "INSERT INTO public.rig_rls (owner, item) VALUES"
            " ('%s', 'alice-1'), ('%s', 'alice-2'), ('%s', 'alice-3'),"
            " ('%s', 'bob-1'), ('%s', 'bob-2');" % (ALICE, ALICE, ALICE, BOB, BOB),
            "ALTER TABLE public.rig_rls ENABLE ROW LEVEL SECURITY;",
            "CREATE POLICY rig_rls_owner ON public.rig_rls"
            " USING (owner = current_user) WITH CHECK (owner = current_user);",
            "GRANT SELECT, INSERT, UPDATE, DELETE ON public.rig_rls TO %s;" % all_roles,
            "GRANT USAGE ON SEQUENCE public.rig_rls_id_seq TO %s;" % all_roles,
        ]
        path = os.path.join(self.dir, "setup.sql")
        with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as f:
            f.write("\n".join(sql) + "\n")
        try:
            _run(
                [
                    os.path.join(PG_BIN, "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1",
                    "-h", sock, "-p", str(port), "-U", ADMIN_USER, "-d", "postgres", "-f", path,
                ]
            )
        finally:
            os.unlink(path)  # it holds the passwords

    def _wait_emulator(self, emu):
        port_file = os.path.join(self.dir, "emulator.port")
        deadline = time.time() + 30
        while time.time() < deadline:
            if emu.poll() is not None:
                with open(os.path.join(self.dir, "emulator.log"), errors="replace") as f:
                    raise RigError("emulator exited (%s):\n%s" % (emu.returncode, f.read()[-3000:]))
            try:
                with open(port_file) as f:
                    port = int(f.read().strip())
                break
            except (FileNotFoundError, ValueError):
                time.sleep(0.05)
        else:
            raise RigError("emulator did not start in 30 s")
        ctx = ssl.create_default_context(cafile=os.path.join(self.dir, "ca.crt"))
        url = "https://localhost:%d/_rig/health" % port
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(url, context=ctx, timeout=5) as r:
                    if r.status == 200:
                        return port
            except OSError:
                time.sleep(0.05)
        raise RigError("emulator at %s does not answer" % url)

    def _save_info(self):
        path = os.path.join(self.dir, "rig.json")
        tmp = path + ".tmp"
        with open(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as f:
            json.dump(self.info, f, indent=1, sort_keys=True)
        os.replace(tmp, path)

    def _write_env_file(self):
        path = os.path.join(self.dir, "rig.env")
        tmp = path + ".tmp"
        with open(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as f:
            f.write("# lakebase-odbc test rig: source me (written by tests/rig/rig.py)\n")
            for k, v in self.env.items():
                f.write("export %s=%s\n" % (k, shlex.quote(v)))
        os.replace(tmp, path)

    # ------------------------------------------------------------------ stop
    def stop(self, purge=False):
        """Stops whatever this DIR's rig started (also a stale one from a killed run)."""
        info = {}
        try:
            with open(os.path.join(self.dir, "rig.json")) as f:
                info = json.load(f)
        except (OSError, ValueError):
            pass
        errors = []

        # Emulator: by pid, only if it really is our emulator.
        pids = set()
        if info.get("emulator_pid"):
            pids.add(int(info["emulator_pid"]))
        try:
            with open(os.path.join(self.dir, "emulator.pid")) as f:
                pids.add(int(f.read().strip()))
        except (OSError, ValueError):
            pass
        for pid in pids:
            cmd = _cmdline(pid)
            if "emulator.py" in cmd and os.path.join(self.dir, "emulator.json") in cmd:
                _kill_wait(pid)

        # Postgres.
        runtime = info.get("runtime")
        if not runtime:
            try:
                with open(os.path.join(self.dir, "runtime")) as f:
                    runtime = f.read().strip()
            except OSError:
                runtime = self.dir
        pgdata = info.get("pgdata") or os.path.join(runtime, "pg")
        pidfile = os.path.join(pgdata, "postmaster.pid")
        if os.path.exists(pidfile):
            try:
                with open(pidfile) as f:
                    pm = int(f.readline().strip())
            except (OSError, ValueError):
                pm = None
            if pm and _pid_alive(pm) and "postgres" in _cmdline(pm):
                cmd = [os.path.join(PG_BIN, "pg_ctl"), "-D", pgdata, "-m", "fast", "-w", "-t", "20", "-s", "stop"]
                if os.geteuid() == 0:
                    cmd = [RUNUSER, "-u", "postgres", "--"] + cmd
                try:
                    _run(cmd, check=False, cwd="/", env={"PATH": "/usr/sbin:/usr/bin:/sbin:/bin"}, timeout=30)
                except subprocess.TimeoutExpired:
                    pass
                if _pid_alive(pm) and "postgres" in _cmdline(pm):
                    try:
                        os.kill(pm, signal.SIGQUIT)  # immediate shutdown
                    except ProcessLookupError:
                        pass
                    deadline = time.time() + 10
                    while _pid_alive(pm) and time.time() < deadline:
                        time.sleep(0.05)
                if _pid_alive(pm) and "postgres" in _cmdline(pm):
                    errors.append("postmaster %d still running" % pm)

        # PAM service file(s).
        self._remove_pam(info.get("pam_file"))

        if info.get("runtime_is_separate") and runtime and runtime != self.dir:
            if os.path.basename(runtime).startswith("lbrig-rt-"):
                shutil.rmtree(runtime, ignore_errors=True)
        if purge:
            self._clean_dir()
            if self._temp or not os.listdir(self.dir):
                shutil.rmtree(self.dir, ignore_errors=True)
        if errors:
            raise RigError("; ".join(errors))

    def _clean_dir(self):
        for name in OWNED_NAMES + ("rig.json.tmp", "rig.env.tmp", "emulator.port.tmp"):
            p = os.path.join(self.dir, name)
            if os.path.islink(p) or os.path.isfile(p):
                os.unlink(p)
            elif os.path.isdir(p):
                shutil.rmtree(p, ignore_errors=True)


# ---------------------------------------------------------------------- CLI
def main(argv=None):
    ap = argparse.ArgumentParser(prog="rig.py", description="lakebase-odbc test rig")
    sub = ap.add_subparsers(dest="cmd", required=True)
    for name in ("start", "stop", "env", "status"):
        p = sub.add_parser(name)
        p.add_argument("--dir", required=True)
        if name == "stop":
            p.add_argument("--purge", action="store_true", help="also remove the rig's files")
    args = ap.parse_args(argv)
    rig = Rig(args.dir, purge_on_stop=False)
    try:
        if args.cmd == "start":
            t0 = time.time()
            env = rig.start()
            print(
                "rig ready in %.1fs: postgres localhost:%s, workspace %s; source %s/rig.env"
                % (time.time() - t0, env["LBRIG_PG_PORT"], env["LBRIG_WORKSPACE"], rig.dir)
            )
        elif args.cmd == "stop":
            rig.stop(purge=args.purge)
        elif args.cmd == "env":
            with open(os.path.join(rig.dir, "rig.env")) as f:
                sys.stdout.write(f.read())
        elif args.cmd == "status":
            r = Rig.attach(args.dir)
            print(json.dumps(r.client.health()))
    except (RigError, OSError, subprocess.SubprocessError) as e:
        sys.stderr.write("rig.py %s: %s\n" % (args.cmd, e))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
