#!/usr/bin/python3
"""Databricks workspace emulator for the lakebase-odbc test rig.

A threaded HTTPS server on loopback that implements the workspace APIs the driver uses, as
written in shared/LAKEBASE.md:

  OAuth:     GET  /oidc/.well-known/oauth-authorization-server  (and .../openid-configuration)
             GET  /oidc/v1/authorize     (plays an already signed-in user, answers 302)
             POST /oidc/v1/token         (client_credentials, authorization_code + PKCE S256,
                                          refresh_token)
  Lakebase:  POST /api/2.0/postgres/credentials              -> {"token", "expire_time"}
             GET  /api/2.0/postgres/projects[/{p}[/branches[/{b}[/endpoints[/{e}]]]]]
             POST /api/2.0/database/credentials              -> {"token", "expiration_time"}
             GET  /api/2.0/database/instances[/{name}]
  SCIM:      GET  /api/2.0/preview/scim/v2/Me
  Control:   /_rig/...  (no auth; see README.md beside this file), including
             /_rig/suspend and /_rig/resume, which stop and start Postgres like scale-to-zero

Every database credential it mints is written to <tokens dir>/<token> as two lines, the
Postgres role and the expiry in unix seconds, which the PAM checker reads at login.

Run by rig.py as `emulator.py --config FILE`; it binds a free loopback port itself and writes
the port to the config's `port_file` once it accepts connections. Standard library only.
"""

import argparse
import base64
import copy
import datetime
import hashlib
import http.server
import json
import os
import re
import secrets
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
import urllib.parse

DEFAULT_CONFIG = {
    # Lifetime of a minted database credential, seconds (Lakebase: 1 hour). A request's `ttl`
    # can only shorten it.
    "db_token_lifetime": 3600,
    # expires_in of workspace OAuth access tokens, seconds.
    "oauth_token_lifetime": 3600,
    # Added to every workspace request (not to /_rig/), milliseconds.
    "latency_ms": 0,
    # The identity that /oidc/v1/authorize signs in; "" refuses (error=access_denied).
    "authorize_user": "alice@example.com",
    # Overrides of status.current_state: {"projects/.../endpoints/e": "IDLE"}.
    "endpoint_states": {},
    # Overrides of a provisioned instance's state: {"name": "STARTING"}.
    "instance_states": {},
    # How expire_time / expiration_time are written: "seconds" (2026-02-06T17:07:00Z),
    # "millis" (...:00.000Z), "nanos" (...:00.000000000Z) or "offset" (...:00+00:00).
    "expire_time_format": "seconds",
    # Identities refused a database credential (403 PERMISSION_DENIED).
    "deny": [],
    # Lifetime of an authorization code, seconds.
    "code_lifetime": 300,
}

FAULT_KINDS = ("429", "500", "503", "hang", "malformed", "wrong_fields", "close")

ENDPOINT_NAME_RE = re.compile(r"^projects/([^/]+)/branches/([^/]+)/endpoints/([^/]+)$")
RESOURCE_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def retry_after_value(v):
    """Retry-After is delta-seconds (an integer) or an HTTP-date; 2.0 is written as 2."""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def rfc3339(ts, fmt="seconds"):
    dt = datetime.datetime.fromtimestamp(int(ts), datetime.timezone.utc)
    base = dt.strftime("%Y-%m-%dT%H:%M:%S")
    if fmt == "millis":
        return base + ".000Z"
    if fmt == "nanos":
        return base + ".000000000Z"
    if fmt == "offset":
        return base + "+00:00"
    return base + "Z"


class ApiError(Exception):
    """A Databricks REST error: {"error_code", "message"} with an HTTP status."""

    def __init__(self, status, code, message, headers=None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}


class OAuthError(Exception):
    """An OAuth 2.0 error: {"error", "error_description"} with an HTTP status."""

    def __init__(self, status, error, description):
        super().__init__(description)
        self.status = status
        self.error = error
        self.description = description


class State:
    """Everything the emulator knows, behind one lock."""

    def __init__(self, cfg):
        self.lock = threading.Lock()
        self.cfg = cfg
        self.tokens_dir = cfg["tokens_dir"]
        self.base_url = None  # set once the port is known
        self.pats = {}  # PAT -> identity
        self.users = {}  # identity -> info
        for name, info in cfg.get("users", {}).items():
            self.users[name] = dict(info, kind="user")
            self.pats[info["pat"]] = name
        self.sps = {}  # application id -> info (secret)
        for app_id, info in cfg.get("service_principals", {}).items():
            self.users[app_id] = dict(info, kind="service_principal")
            self.sps[app_id] = info
        self.u2m_clients = set(cfg.get("u2m_clients", ["databricks-cli"]))
        self.endpoints = {}  # name -> static description
        for ep in cfg.get("endpoints", []):
            self.endpoints[ep["name"]] = ep
        self.instances = {i["name"]: i for i in cfg.get("instances", [])}
        self.created = int(time.time())
        self.access_tokens = {}  # token -> {"identity", "expiry"}
        self.refresh_tokens = {}  # token -> {"identity", "client_id"}
        self.codes = {}  # code -> {...}
        self.pg_ctl = cfg.get("pg_ctl")
        self.pg_ctl_cwd = cfg.get("pg_ctl_cwd", "/")
        self.pg_lock = threading.Lock()  # one stop/start at a time
        self.pg_state = "running"
        self.suspend_epoch = 0
        self.reset()

    def reset(self):
        self.config = copy.deepcopy(DEFAULT_CONFIG)
        self.config.update(copy.deepcopy(self.cfg.get("config", {})))
        self.mints = {}
        self.oauth_counts = {}
        self.requests = {}
        self.faults = []  # [{"path", "kind", "count", ...}] in arrival order

    # ---- counters and faults
    def count_request(self, path):
        with self.lock:
            self.requests[path] = self.requests.get(path, 0) + 1

    def take_fault(self, path):
        with self.lock:
            for f in self.faults:
                if f["path"] in (path, "*") and f["count"] > 0:
                    f["count"] -= 1
                    taken = dict(f)
                    self.faults = [g for g in self.faults if g["count"] > 0]
                    return taken
        return None

    # ---- identities
    def identity_for_bearer(self, header):
        if not header:
            return None
        parts = header.split(None, 1)
        if len(parts) != 2 or parts[0].lower() != "bearer":
            return None
        token = parts[1].strip()
        with self.lock:
            if token in self.pats:
                return self.pats[token]
            at = self.access_tokens.get(token)
            if at and at["expiry"] > time.time():
                return at["identity"]
        return None

    def issue_access_token(self, identity, client_id, scope, with_refresh, lifetime=None):
        if lifetime is None:
            lifetime = int(self.config["oauth_token_lifetime"])
        now = int(time.time())
        # Real workspace OAuth tokens are JWTs; make ours look like one so that nothing assumes
        # the PAT format. The signature is random: only the emulator ever checks a token.
        header = b64url(json.dumps({"alg": "RS256", "typ": "at+jwt", "kid": "rig"}).encode())
        payload = b64url(
            json.dumps(
                {
                    "iss": (self.base_url or "") + "/oidc",
                    "sub": identity,
                    "client_id": client_id,
                    "scope": scope,
                    "iat": now,
                    "exp": now + lifetime,
                    "jti": secrets.token_hex(8),
                }
            ).encode()
        )
        token = header + "." + payload + "." + b64url(secrets.token_bytes(64))
        out = {
            "access_token": token,
            "token_type": "Bearer",
            "expires_in": lifetime,
            "scope": scope,
        }
        with self.lock:
            self.access_tokens[token] = {"identity": identity, "expiry": now + lifetime}
            self.oauth_counts[identity] = self.oauth_counts.get(identity, 0) + 1
            if with_refresh:
                refresh = "doau_" + secrets.token_hex(24)
                self.refresh_tokens[refresh] = {"identity": identity, "client_id": client_id}
                out["refresh_token"] = refresh
            # Forget long-expired tokens so that the maps stay small in long runs.
            if len(self.access_tokens) > 10000:
                cutoff = time.time() - 3600
                self.access_tokens = {
                    k: v for k, v in self.access_tokens.items() if v["expiry"] > cutoff
                }
        return out

    # ---- database tokens
    def write_token(self, user, expiry, token=None):
        token = token or ("lbdb_" + secrets.token_hex(20))
        path = os.path.join(self.tokens_dir, token)
        tmp = os.path.join(self.tokens_dir, ".tmp-" + secrets.token_hex(8))
        with open(tmp, "w") as f:
            f.write("%s\n%d\n" % (user, expiry))
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
        return token

    def mint(self, identity, lifetime, count=True):
        expiry = int(time.time()) + int(lifetime)
        token = self.write_token(identity, expiry)
        if count:
            with self.lock:
                self.mints[identity] = self.mints.get(identity, 0) + 1
        return token, expiry

    def token_files(self):
        """(token, user, expiry) for every token file."""
        out = []
        try:
            names = os.listdir(self.tokens_dir)
        except FileNotFoundError:
            return out
        for name in names:
            if name.startswith("."):
                continue
            try:
                with open(os.path.join(self.tokens_dir, name)) as f:
                    lines = f.read().split("\n")
                out.append((name, lines[0], int(lines[1])))
            except (OSError, ValueError, IndexError):
                continue
        return out

    def expire_tokens(self, user=None, token=None, delete=False):
        n = 0
        for name, owner, _expiry in self.token_files():
            if (user is not None and owner == user) or (token is not None and name == token):
                if delete:
                    try:
                        os.unlink(os.path.join(self.tokens_dir, name))
                    except FileNotFoundError:
                        continue
                else:
                    self.write_token(owner, int(time.time()) - 1, token=name)
                n += 1
        return n

    def live_tokens(self):
        now = time.time()
        out = {}
        for _name, owner, expiry in self.token_files():
            if expiry > now:
                out[owner] = out.get(owner, 0) + 1
        return out

    # ---- scale to zero
    def _pg_ctl(self, args):
        if not self.pg_ctl:
            raise ApiError(400, "INVALID_PARAMETER_VALUE", "this emulator has no pg_ctl")
        p = subprocess.run(
            self.pg_ctl + args,
            cwd=self.pg_ctl_cwd,
            env={"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL": "C.UTF-8"},
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=90,
        )
        if p.returncode != 0:
            raise ApiError(500, "INTERNAL_ERROR", "pg_ctl %s failed: %s" % (args[-1], p.stdout))

    def suspend(self, seconds):
        """Stops Postgres as scale-to-zero does (open sessions are terminated); with seconds >
        0 it comes back by itself after that long, else on resume()."""
        with self.pg_lock:
            if self.pg_state != "suspended":
                self._pg_ctl(["-m", "fast", "-w", "-t", "30", "-s", "stop"])
                self.pg_state = "suspended"
                self.suspend_epoch += 1
            epoch = self.suspend_epoch
        if seconds > 0:
            t = threading.Timer(seconds, self.resume, kwargs={"epoch": epoch})
            t.daemon = True
            t.start()

    def resume(self, epoch=None):
        with self.pg_lock:
            if self.pg_state != "suspended" or (epoch is not None and epoch != self.suspend_epoch):
                return
            self._pg_ctl(["-w", "-t", "60", "-s", "start"])
            self.pg_state = "running"

    # ---- resources
    def endpoint_json(self, name):
        ep = self.endpoints[name]
        m = ENDPOINT_NAME_RE.match(name)
        ep_type = "ENDPOINT_TYPE_" + ep.get("type", "READ_WRITE")
        default_state = "IDLE" if self.pg_state == "suspended" else ep.get("state", "ACTIVE")
        state = self.config["endpoint_states"].get(name, default_state)
        created = rfc3339(self.created)
        return {
            "name": name,
            "uid": "ep-" + hashlib.sha256(name.encode()).hexdigest()[:16],
            "parent": "projects/%s/branches/%s" % (m.group(1), m.group(2)),
            "create_time": created,
            "update_time": created,
            "spec": {
                "endpoint_type": ep_type,
                "autoscaling_limit_min_cu": 0.5,
                "autoscaling_limit_max_cu": 4,
                "suspend_timeout_duration": "300s",
            },
            "status": {
                "current_state": state,
                "endpoint_type": ep_type,
                "hosts": {
                    "host": ep.get("host", "localhost"),
                    "read_only_host": ep.get("read_only_host", "localhost"),
                },
                "autoscaling_limit_min_cu": 0.5,
                "autoscaling_limit_max_cu": 4,
                "pg_settings": {},
            },
        }

    def projects(self):
        out = []
        for name in self.endpoints:
            p = ENDPOINT_NAME_RE.match(name).group(1)
            if p not in out:
                out.append(p)
        return out

    def branches(self, project):
        out = []
        for name in self.endpoints:
            m = ENDPOINT_NAME_RE.match(name)
            if m.group(1) == project and m.group(2) not in out:
                out.append(m.group(2))
        return out

    def project_json(self, p):
        created = rfc3339(self.created)
        return {
            "name": "projects/" + p,
            "uid": "prj-" + hashlib.sha256(p.encode()).hexdigest()[:16],
            "create_time": created,
            "update_time": created,
            "spec": {"display_name": p, "pg_version": 15},
            "status": {"display_name": p, "pg_version": 15, "owner": "alice@example.com"},
        }

    def branch_json(self, p, b):
        created = rfc3339(self.created)
        return {
            "name": "projects/%s/branches/%s" % (p, b),
            "uid": "br-" + hashlib.sha256((p + "/" + b).encode()).hexdigest()[:16],
            "parent": "projects/" + p,
            "create_time": created,
            "update_time": created,
            "status": {"current_state": "READY", "default": b == "production"},
        }

    def instance_json(self, name):
        inst = self.instances[name]
        return {
            "name": name,
            "uid": hashlib.sha256(name.encode()).hexdigest()[:32],
            "capacity": inst.get("capacity", "CU_1"),
            "creator": "alice@example.com",
            "creation_time": rfc3339(self.created),
            "pg_version": "PG_VERSION_15",
            "read_write_dns": inst.get("read_write_dns", "localhost"),
            "read_only_dns": inst.get("read_only_dns", "localhost"),
            "state": self.config["instance_states"].get(name, inst.get("state", "AVAILABLE")),
            "effective_stopped": False,
        }


def paginate(items, query, key):
    """Real paging: page_size (default 50, max 100) and an opaque page_token."""
    try:
        size = int(query.get("page_size", ["50"])[0] or 50)
    except ValueError:
        raise ApiError(400, "INVALID_PARAMETER_VALUE", "page_size must be an integer")
    if size < 0:
        raise ApiError(400, "INVALID_PARAMETER_VALUE", "page_size must not be negative")
    size = min(size or 50, 100)
    start = 0
    token = query.get("page_token", [""])[0]
    if token:
        try:
            start = int(base64.urlsafe_b64decode(token + "==").decode().split(":", 1)[1])
        except (ValueError, IndexError, UnicodeDecodeError):
            raise ApiError(400, "INVALID_PARAMETER_VALUE", "invalid page_token")
    out = {key: items[start : start + size]}
    if start + size < len(items):
        out["next_page_token"] = b64url(("%s:%d" % (key, start + size)).encode())
    return out


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "LakebaseRigEmulator/1.0"
    # Idle keep-alive connections and stuck clients are dropped after this many seconds.
    timeout = 120

    # ------------------------------------------------------------------ plumbing
    @property
    def state(self):
        return self.server.state

    def log_message(self, fmt, *args):
        sys.stderr.write(
            "%s %s %s\n"
            % (time.strftime("%H:%M:%S"), self.client_address[0], (fmt % args).replace("\n", " "))
        )

    def do_GET(self):
        self.dispatch("GET")

    def do_POST(self):
        self.dispatch("POST")

    def do_PUT(self):
        self.dispatch("PUT")

    def do_PATCH(self):
        self.dispatch("PATCH")

    def do_DELETE(self):
        self.dispatch("DELETE")

    def read_body(self):
        length = self.headers.get("Content-Length")
        if length is None:
            return b""
        try:
            n = int(length)
        except ValueError:
            raise ApiError(400, "MALFORMED_REQUEST", "bad Content-Length")
        if n < 0 or n > 10 * 1024 * 1024:
            raise ApiError(413, "MALFORMED_REQUEST", "request body too large")
        return self.rfile.read(n)

    def send_raw(self, status, body, ctype="application/json", headers=None):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, str(v))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def send_json(self, status, obj, headers=None):
        self.send_raw(status, json.dumps(obj).encode(), headers=headers)

    def json_body(self, body):
        if not body.strip():
            return {}
        try:
            obj = json.loads(body)
        except ValueError:
            raise ApiError(400, "MALFORMED_REQUEST", "request body is not valid JSON")
        if not isinstance(obj, dict):
            raise ApiError(400, "MALFORMED_REQUEST", "request body must be a JSON object")
        return obj

    def dispatch(self, method):
        split = urllib.parse.urlsplit(self.path)
        path = split.path
        query = urllib.parse.parse_qs(split.query, keep_blank_values=True)
        try:
            body = self.read_body()
            if path.startswith("/_rig/") or path == "/_rig":
                self.control(method, path, body)
                return
            self.state.count_request(path)
            latency = float(self.state.config.get("latency_ms") or 0)
            if latency > 0:
                time.sleep(latency / 1000.0)
            fault = self.state.take_fault(path)
            if fault and self.apply_fault(fault):
                return
            self.route(method, path, query, body)
        except ApiError as e:
            self.send_json(e.status, {"error_code": e.code, "message": e.message}, e.headers)
        except OAuthError as e:
            self.send_json(e.status, {"error": e.error, "error_description": e.description})
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError, socket.timeout):
            self.close_connection = True
        except Exception as e:  # a bug in the emulator: say so loudly, never hang the client
            self.log_message("internal error: %r", e)
            try:
                self.send_json(500, {"error_code": "INTERNAL_ERROR", "message": "emulator: %r" % e})
            except OSError:
                self.close_connection = True

    def apply_fault(self, f):
        """Answers the request with the fault; False when the request goes on normally."""
        kind = f["kind"]
        self.log_message("fault %s on %s", kind, f["path"])
        if kind == "hang":
            time.sleep(float(f.get("seconds") or 5))
            return False
        if kind == "close":
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return True
        if kind == "429":
            retry = f.get("retry_after", 1)
            headers = {"Retry-After": retry_after_value(retry)} if retry is not None else {}
            self.send_json(
                429,
                {"error_code": "REQUEST_LIMIT_EXCEEDED", "message": "rig: too many requests"},
                headers,
            )
            return True
        if kind == "500":
            self.send_json(500, {"error_code": "INTERNAL_ERROR", "message": "rig: injected 500"})
            return True
        if kind == "503":
            retry = f.get("retry_after")
            headers = {"Retry-After": retry_after_value(retry)} if retry is not None else {}
            self.send_json(
                503,
                {"error_code": "TEMPORARILY_UNAVAILABLE", "message": "rig: injected 503"},
                headers,
            )
            return True
        if kind == "malformed":
            self.send_raw(200, b'{"token": "lbdb_0123456789abcdef", "expire_time": ')
            return True
        if kind == "wrong_fields":
            self.send_json(
                200,
                {
                    "tok": "lbdb_" + secrets.token_hex(20),
                    "expire": rfc3339(time.time() + 3600),
                    "accessToken": "not-a-token",
                    "expiresIn": 3600,
                },
            )
            return True
        return False

    # ------------------------------------------------------------------ routing
    def route(self, method, path, query, body):
        st = self.state
        if path in (
            "/oidc/.well-known/oauth-authorization-server",
            "/oidc/.well-known/openid-configuration",
        ):
            self.need(method, "GET")
            return self.send_json(200, self.oauth_metadata())
        if path == "/oidc/v1/authorize":
            self.need(method, "GET")
            return self.authorize(query)
        if path == "/oidc/v1/token":
            self.need(method, "POST")
            return self.token(body)

        if not path.startswith("/api/"):
            raise ApiError(404, "ENDPOINT_NOT_FOUND", "No API found for '%s %s'" % (method, path))

        identity = st.identity_for_bearer(self.headers.get("Authorization"))
        if identity is None:
            raise ApiError(401, "UNAUTHENTICATED", "Invalid or missing access token")

        if path == "/api/2.0/postgres/credentials":
            self.need(method, "POST")
            return self.postgres_credentials(identity, self.json_body(body))
        if path == "/api/2.0/database/credentials":
            self.need(method, "POST")
            return self.database_credentials(identity, self.json_body(body))
        if path == "/api/2.0/preview/scim/v2/Me":
            self.need(method, "GET")
            return self.send_json(200, self.scim_me(identity))
        if path.startswith("/api/2.0/postgres/"):
            self.need(method, "GET")
            return self.postgres_resource(path[len("/api/2.0/postgres/") :], query)
        if path == "/api/2.0/database/instances":
            self.need(method, "GET")
            items = [st.instance_json(n) for n in sorted(st.instances)]
            return self.send_json(200, paginate(items, query, "database_instances"))
        if path.startswith("/api/2.0/database/instances/"):
            self.need(method, "GET")
            name = urllib.parse.unquote(path[len("/api/2.0/database/instances/") :])
            if name not in st.instances:
                raise ApiError(
                    404, "NOT_FOUND", "Database instance '%s' does not exist." % name
                )
            return self.send_json(200, st.instance_json(name))
        raise ApiError(404, "ENDPOINT_NOT_FOUND", "No API found for '%s %s'" % (method, path))

    def need(self, method, wanted):
        if method != wanted:
            raise ApiError(405, "METHOD_NOT_ALLOWED", "use %s" % wanted)

    # ------------------------------------------------------------------ OAuth
    def oauth_metadata(self):
        base = self.state.base_url
        return {
            "issuer": base + "/oidc",
            "authorization_endpoint": base + "/oidc/v1/authorize",
            "token_endpoint": base + "/oidc/v1/token",
            "jwks_uri": base + "/oidc/jwks.json",
            "response_types_supported": ["code"],
            "grant_types_supported": ["client_credentials", "authorization_code", "refresh_token"],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": [
                "client_secret_basic",
                "client_secret_post",
                "none",
            ],
            "scopes_supported": ["all-apis", "offline_access", "sql"],
        }

    def authorize(self, query):
        st = self.state
        q = {k: v[0] for k, v in query.items()}
        client_id = q.get("client_id", "")
        redirect_uri = q.get("redirect_uri", "")
        if client_id not in st.u2m_clients:
            return self.send_raw(
                400, b"rig: unknown client_id", ctype="text/plain; charset=utf-8"
            )
        red = urllib.parse.urlsplit(redirect_uri)
        if red.scheme != "http" or red.hostname not in ("localhost", "127.0.0.1", "::1"):
            return self.send_raw(
                400, b"rig: redirect_uri must be http://localhost", ctype="text/plain"
            )

        def redirect(params):
            if "state" in q:
                params["state"] = q["state"]
            sep = "&" if red.query else "?"
            location = redirect_uri + sep + urllib.parse.urlencode(params)
            self.send_response(302)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()

        if q.get("response_type") != "code":
            return redirect({"error": "unsupported_response_type"})
        if not q.get("code_challenge") or q.get("code_challenge_method") != "S256":
            return redirect(
                {"error": "invalid_request", "error_description": "PKCE S256 is required"}
            )
        user = st.config.get("authorize_user") or ""
        if not user:
            return redirect({"error": "access_denied", "error_description": "user refused"})
        code = "dcode_" + secrets.token_urlsafe(24)
        with st.lock:
            st.codes[code] = {
                "identity": user,
                "client_id": client_id,
                "redirect_uri": redirect_uri,
                "challenge": q["code_challenge"],
                "scope": q.get("scope", "all-apis offline_access"),
                "expiry": time.time() + float(st.config.get("code_lifetime", 300)),
            }
        return redirect({"code": code})

    def client_auth(self, form):
        """(client_id, client_secret) from HTTP Basic auth, else from the form body."""
        header = self.headers.get("Authorization", "")
        if header.lower().startswith("basic "):
            try:
                raw = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
                cid, secret = raw.split(":", 1)
            except (ValueError, UnicodeDecodeError):
                raise OAuthError(401, "invalid_client", "malformed Basic authorization")
            return urllib.parse.unquote_plus(cid), urllib.parse.unquote_plus(secret)
        return form.get("client_id"), form.get("client_secret")

    def token(self, body):
        st = self.state
        try:
            form = {
                k: v[0]
                for k, v in urllib.parse.parse_qs(
                    body.decode("utf-8"), keep_blank_values=True
                ).items()
            }
        except UnicodeDecodeError:
            raise OAuthError(400, "invalid_request", "body is not UTF-8")
        grant = form.get("grant_type")
        cid, secret = self.client_auth(form)
        scope = form.get("scope", "all-apis")
        if grant == "client_credentials":
            sp = st.sps.get(cid or "")
            if sp is None or not secrets.compare_digest(sp["secret"], secret or ""):
                raise OAuthError(401, "invalid_client", "Client authentication failed")
            return self.send_json(200, st.issue_access_token(cid, cid, scope, False))
        if grant == "authorization_code":
            if cid not in st.u2m_clients:
                raise OAuthError(401, "invalid_client", "Client authentication failed")
            code = form.get("code", "")
            with st.lock:
                entry = st.codes.pop(code, None)  # single use
            if entry is None or entry["expiry"] < time.time():
                raise OAuthError(400, "invalid_grant", "authorization code is invalid or expired")
            if entry["client_id"] != cid:
                raise OAuthError(400, "invalid_grant", "code was issued to another client")
            if form.get("redirect_uri", "") != entry["redirect_uri"]:
                raise OAuthError(400, "invalid_grant", "redirect_uri does not match")
            verifier = form.get("code_verifier", "")
            if not 43 <= len(verifier) <= 128:
                raise OAuthError(400, "invalid_grant", "code_verifier must be 43-128 characters")
            if b64url(hashlib.sha256(verifier.encode("ascii", "replace")).digest()) != entry[
                "challenge"
            ]:
                raise OAuthError(400, "invalid_grant", "PKCE verification failed")
            return self.send_json(
                200, st.issue_access_token(entry["identity"], cid, entry["scope"], True)
            )
        if grant == "refresh_token":
            with st.lock:
                entry = st.refresh_tokens.get(form.get("refresh_token", ""))
            if entry is None:
                raise OAuthError(400, "invalid_grant", "refresh token is invalid")
            if cid is not None and cid != entry["client_id"]:
                raise OAuthError(400, "invalid_grant", "refresh token was issued to another client")
            return self.send_json(
                200,
                st.issue_access_token(
                    entry["identity"], entry["client_id"], form.get("scope", "all-apis offline_access"), True
                ),
            )
        raise OAuthError(400, "unsupported_grant_type", "grant_type %r is not supported" % grant)

    # ------------------------------------------------------------------ Lakebase
    def lifetime(self, req):
        lifetime = int(self.state.config["db_token_lifetime"])
        ttl = req.get("ttl")
        if ttl is None:
            return lifetime
        try:
            seconds = float(ttl[:-1]) if isinstance(ttl, str) and ttl.endswith("s") else float(ttl)
        except (TypeError, ValueError):
            raise ApiError(400, "INVALID_PARAMETER_VALUE", "ttl must be a duration like \"3600s\"")
        if not 300 <= seconds <= 3600:
            raise ApiError(400, "INVALID_PARAMETER_VALUE", "ttl must be between 300s and 3600s")
        return min(lifetime, int(seconds))

    def check_deny(self, identity):
        if identity in (self.state.config.get("deny") or []):
            raise ApiError(
                403, "PERMISSION_DENIED", "User %s has no access to this resource" % identity
            )

    def postgres_credentials(self, identity, req):
        st = self.state
        endpoint = req.get("endpoint")
        if not endpoint or not isinstance(endpoint, str):
            raise ApiError(400, "INVALID_PARAMETER_VALUE", "Field 'endpoint' is required")
        if not ENDPOINT_NAME_RE.match(endpoint):
            raise ApiError(
                400,
                "INVALID_PARAMETER_VALUE",
                "endpoint must look like projects/{project}/branches/{branch}/endpoints/{endpoint}",
            )
        if endpoint not in st.endpoints:
            raise ApiError(404, "NOT_FOUND", "Endpoint '%s' not found" % endpoint)
        self.check_deny(identity)
        token, expiry = st.mint(identity, self.lifetime(req))
        self.send_json(
            200,
            {"token": token, "expire_time": rfc3339(expiry, st.config["expire_time_format"])},
        )

    def database_credentials(self, identity, req):
        st = self.state
        names = req.get("instance_names")
        if (
            not isinstance(names, list)
            or not names
            or not all(isinstance(n, str) and n for n in names)
        ):
            raise ApiError(
                400, "INVALID_PARAMETER_VALUE", "Field 'instance_names' must be a non-empty list"
            )
        for n in names:
            if n not in st.instances:
                raise ApiError(404, "NOT_FOUND", "Database instance '%s' does not exist." % n)
        self.check_deny(identity)
        token, expiry = st.mint(identity, self.lifetime(req))
        self.send_json(
            200,
            {
                "token": token,
                "expiration_time": rfc3339(expiry, st.config["expire_time_format"]),
            },
        )

    def postgres_resource(self, rest, query):
        st = self.state
        parts = [urllib.parse.unquote(p) for p in rest.split("/")]
        n = len(parts)
        if parts[0] != "projects" or n > 6 or (n >= 3 and parts[2] != "branches") or (
            n >= 5 and parts[4] != "endpoints"
        ):
            raise ApiError(404, "ENDPOINT_NOT_FOUND", "No API found for 'GET /api/2.0/postgres/%s'" % rest)
        if n == 1:
            items = [st.project_json(p) for p in st.projects()]
            return self.send_json(200, paginate(items, query, "projects"))
        p = parts[1]
        if p not in st.projects():
            raise ApiError(404, "NOT_FOUND", "Project 'projects/%s' not found" % p)
        if n == 2:
            return self.send_json(200, st.project_json(p))
        if n == 3:
            items = [st.branch_json(p, b) for b in st.branches(p)]
            return self.send_json(200, paginate(items, query, "branches"))
        b = parts[3]
        if b not in st.branches(p):
            raise ApiError(404, "NOT_FOUND", "Branch 'projects/%s/branches/%s' not found" % (p, b))
        if n == 4:
            return self.send_json(200, st.branch_json(p, b))
        prefix = "projects/%s/branches/%s/endpoints/" % (p, b)
        if n == 5:
            items = [st.endpoint_json(e) for e in st.endpoints if e.startswith(prefix)]
            return self.send_json(200, paginate(items, query, "endpoints"))
        name = prefix + parts[5]
        if name not in st.endpoints:
            raise ApiError(404, "NOT_FOUND", "Endpoint '%s' not found" % name)
        return self.send_json(200, st.endpoint_json(name))

    def scim_me(self, identity):
        info = self.state.users.get(identity, {})
        out = {
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
            "id": str(int(hashlib.sha256(identity.encode()).hexdigest()[:12], 16)),
            "userName": identity,
            "displayName": info.get("display_name", identity),
            "active": True,
        }
        if info.get("kind") == "user":
            out["emails"] = [{"value": identity, "type": "work", "primary": True}]
        else:
            out["applicationId"] = identity
        return out

    # ------------------------------------------------------------------ control API
    def control(self, method, path, body):
        st = self.state
        host = self.client_address[0]
        if not (host.startswith("127.") or host in ("::1", "::ffff:127.0.0.1")):
            raise ApiError(403, "PERMISSION_DENIED", "control API is loopback only")
        req = self.json_body(body) if method == "POST" else {}
        op = path[len("/_rig/") :] if path.startswith("/_rig/") else ""
        if op == "health":
            return self.send_json(200, {"ok": True, "workspace": st.base_url})
        if op == "stats" and method == "GET":
            with st.lock:
                out = {
                    "mints": dict(st.mints),
                    "oauth_tokens": dict(st.oauth_counts),
                    "requests": dict(st.requests),
                    "faults": [dict(f) for f in st.faults],
                    "config": copy.deepcopy(st.config),
                    "pg_state": st.pg_state,
                }
            out["live_tokens"] = st.live_tokens()
            return self.send_json(200, out)
        if op == "config":
            if method == "POST":
                unknown = [k for k in req if k not in DEFAULT_CONFIG]
                if unknown:
                    raise ApiError(400, "INVALID_PARAMETER_VALUE", "unknown config keys %s" % unknown)
                if "expire_time_format" in req and req["expire_time_format"] not in (
                    "seconds",
                    "millis",
                    "nanos",
                    "offset",
                ):
                    raise ApiError(400, "INVALID_PARAMETER_VALUE", "bad expire_time_format")
                with st.lock:
                    st.config.update(req)
            with st.lock:
                return self.send_json(200, copy.deepcopy(st.config))
        if method != "POST":
            raise ApiError(405, "METHOD_NOT_ALLOWED", "use POST")
        if op == "fault":
            kind = str(req.get("kind", ""))
            fpath = req.get("path")
            if kind not in FAULT_KINDS or not isinstance(fpath, str) or not fpath:
                raise ApiError(
                    400,
                    "INVALID_PARAMETER_VALUE",
                    "need path and kind in %s" % (FAULT_KINDS,),
                )
            fault = {
                "path": fpath,
                "kind": kind,
                "count": int(req.get("count", 1)),
                "retry_after": req.get("retry_after", 1 if kind == "429" else None),
                "seconds": float(req.get("seconds", 5)),
            }
            with st.lock:
                if fault["count"] > 0:
                    st.faults.append(fault)
                faults = [dict(f) for f in st.faults]
            return self.send_json(200, {"faults": faults})
        if op in ("expire", "revoke"):
            user, token = req.get("user"), req.get("token")
            if user is None and token is None:
                raise ApiError(400, "INVALID_PARAMETER_VALUE", "need user or token")
            n = st.expire_tokens(user=user, token=token, delete=(op == "revoke"))
            return self.send_json(200, {("expired" if op == "expire" else "revoked"): n})
        if op == "expire_oauth":
            ident = req.get("identity")
            n = 0
            with st.lock:
                for v in st.access_tokens.values():
                    if (ident is None or v["identity"] == ident) and v["expiry"] > time.time():
                        v["expiry"] = time.time() - 1
                        n += 1
            return self.send_json(200, {"expired": n})
        if op == "oauth_token":
            # A workspace OAuth access token as the Databricks CLI would hold it (bin/databricks).
            ident = req.get("identity")
            if ident not in st.users:
                raise ApiError(400, "INVALID_PARAMETER_VALUE", "unknown identity %r" % ident)
            lifetime = req.get("lifetime")
            tok = st.issue_access_token(
                ident, "databricks-cli", "all-apis offline_access", False,
                lifetime=int(lifetime) if lifetime is not None else None,
            )
            tok["expiry"] = int(time.time()) + tok["expires_in"]
            return self.send_json(200, tok)
        if op == "mint":
            user = req.get("user")
            if not user:
                raise ApiError(400, "INVALID_PARAMETER_VALUE", "need user")
            lifetime = int(req.get("lifetime", st.config["db_token_lifetime"]))
            token, expiry = st.mint(user, lifetime, count=False)
            return self.send_json(
                200, {"token": token, "expire_time": rfc3339(expiry), "expiry": expiry}
            )
        if op == "suspend":
            st.suspend(float(req.get("seconds", 0) or 0))
            return self.send_json(200, {"pg_state": st.pg_state})
        if op == "resume":
            st.resume()
            return self.send_json(200, {"pg_state": st.pg_state})
        if op == "reset":
            st.resume()  # a suspended Postgres comes back
            with st.lock:
                st.reset()
            return self.send_json(200, {"ok": True})
        raise ApiError(404, "ENDPOINT_NOT_FOUND", "unknown control operation %r" % op)


class TLSServer(http.server.ThreadingHTTPServer):
    """ThreadingHTTPServer whose TLS handshake runs in the request's thread, so that a slow or
    stuck client never blocks accept()."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, addr, state, ctx, family=socket.AF_INET):
        self.address_family = family
        self.state = state
        self.ssl_ctx = ctx
        super().__init__(addr, Handler)

    def finish_request(self, request, client_address):
        request.settimeout(30)
        try:
            conn = self.ssl_ctx.wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError):
            return
        try:
            self.RequestHandlerClass(conn, client_address, self)
        except (ssl.SSLError, OSError):
            pass
        finally:
            try:
                conn.close()
            except OSError:
                pass

    def handle_error(self, request, client_address):
        pass  # client went away: nothing to report


def ipv6_loopback_works():
    try:
        s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
        try:
            s.bind(("::1", 0))
            return True
        finally:
            s.close()
    except OSError:
        return False


def bind_servers(state, ctx):
    """One server on 127.0.0.1 and, when the machine has IPv6 loopback, one on [::1] with the
    same port (so that "localhost" reaches us whichever address a client tries first)."""
    v6 = ipv6_loopback_works()
    for _ in range(20):
        s4 = TLSServer(("127.0.0.1", 0), state, ctx)
        port = s4.server_address[1]
        if not v6:
            return [s4], port
        try:
            s6 = TLSServer(("::1", port), state, ctx, family=socket.AF_INET6)
            return [s4, s6], port
        except OSError:
            s4.server_close()
    return [TLSServer(("127.0.0.1", 0), state, ctx)], None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--config", required=True)
    args = ap.parse_args()
    with open(args.config) as f:
        cfg = json.load(f)

    state = State(cfg)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.load_cert_chain(cfg["cert"], cfg["key"])
    servers, port = bind_servers(state, ctx)
    port = servers[0].server_address[1]
    state.base_url = "https://localhost:%d" % port

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    threads = []
    for s in servers:
        t = threading.Thread(target=s.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True)
        t.start()
        threads.append(t)

    tmp = cfg["port_file"] + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % port)
    os.replace(tmp, cfg["port_file"])
    sys.stderr.write("emulator listening on %s (pid %d)\n" % (state.base_url, os.getpid()))
    sys.stderr.flush()

    while not stop.wait(1.0):
        pass
    for s in servers:
        s.shutdown()
        s.server_close()
    sys.stderr.write("emulator stopped\n")


if __name__ == "__main__":
    main()
