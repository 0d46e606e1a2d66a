#!/usr/bin/python3
"""A tiny client for the rig's control API (and a plain HTTPS helper for tests).

Python:
    import rigclient
    rigclient.stats()["mints"]                      # uses LBRIG_CONTROL and LBRIG_CA_FILE
    rigclient.fault("/api/2.0/postgres/credentials", "429", count=2, retry_after=1)
    rigclient.expire("alice@example.com"); rigclient.config(db_token_lifetime=5)
    rigclient.reset()
    c = rigclient.RigClient(control_url, ca_file)  # or explicitly

CLI (for shell and C++ tests):
    rigclient.py stats | reset | health | resume | suspend [--seconds S]
    rigclient.py fault PATH KIND [--count N] [--retry-after S] [--seconds S]
    rigclient.py expire USER | revoke USER | mint USER [--lifetime S]
    rigclient.py config KEY=VALUE ...              # values are JSON, else strings
"""

import json
import os
import ssl
import sys
import urllib.error
import urllib.request


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def json(self):
        return json.loads(self.body)

    def __repr__(self):
        return "<Response %d %r>" % (self.status, self.body[:200])


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def request(method, url, *, ca_file=None, headers=None, body=None, timeout=30):
    """One HTTPS request; never raises for an HTTP status and never follows redirects.
    body may be bytes, str, or a dict (sent as JSON)."""
    headers = dict(headers or {})
    if isinstance(body, dict):
        body = json.dumps(body).encode()
        headers.setdefault("Content-Type", "application/json")
    elif isinstance(body, str):
        body = body.encode()
    ctx = ssl.create_default_context(cafile=ca_file or os.environ.get("LBRIG_CA_FILE"))
    opener = urllib.request.build_opener(
        urllib.request.HTTPSHandler(context=ctx), _NoRedirect()
    )
    req = urllib.request.Request(url, data=body, method=method, headers=headers)
    try:
        with opener.open(req, timeout=timeout) as r:
            return Response(r.status, r.headers, r.read())
    except urllib.error.HTTPError as e:
        with e:
            return Response(e.code, e.headers, e.read())


class RigClient:
    def __init__(self, control=None, ca_file=None):
        self.control = (control or os.environ["LBRIG_CONTROL"]).rstrip("/")
        self.ca_file = ca_file or os.environ["LBRIG_CA_FILE"]

    def _call(self, method, op, body=None):
        r = request(method, self.control + "/" + op, ca_file=self.ca_file, body=body)
        if r.status != 200:
            raise RuntimeError("rig control %s %s: %d %s" % (method, op, r.status, r.body))
        return r.json()

    def health(self):
        return self._call("GET", "health")

    def stats(self):
        return self._call("GET", "stats")

    def mints(self, user):
        return self.stats()["mints"].get(user, 0)

    def config(self, **kw):
        """Sets config keys (none: just reads it); returns the whole config."""
        return self._call("POST", "config", kw) if kw else self._call("GET", "config")

    def fault(self, path, kind, count=1, retry_after=None, seconds=None):
        body = {"path": path, "kind": str(kind), "count": count}
        if retry_after is not None:
            body["retry_after"] = retry_after
        if seconds is not None:
            body["seconds"] = seconds
        return self._call("POST", "fault", body)

    def expire(self, user=None, token=None):
        return self._call("POST", "expire", _who(user, token))["expired"]

    def revoke(self, user=None, token=None):
        return self._call("POST", "revoke", _who(user, token))["revoked"]

    def expire_oauth(self, identity=None):
        return self._call("POST", "expire_oauth", {"identity": identity} if identity else {})[
            "expired"
        ]

    def mint(self, user, lifetime=None):
        """A database token for user, straight from the rig (not counted in stats mints)."""
        body = {"user": user}
        if lifetime is not None:
            body["lifetime"] = lifetime
        return self._call("POST", "mint", body)

    def suspend(self, seconds=0):
        """Stops Postgres like scale-to-zero (endpoints show IDLE, open sessions end, connects
        are refused); back after `seconds`, or on resume() / reset() when 0."""
        return self._call("POST", "suspend", {"seconds": seconds})

    def resume(self):
        """Starts a suspended Postgres; returns when it accepts connections."""
        return self._call("POST", "resume", {})

    def oauth_token(self, identity, lifetime=None):
        """A workspace OAuth access token for identity, as the Databricks CLI would hold one
        (counted in stats oauth_tokens): {"access_token", "token_type", "expires_in", "expiry"}."""
        body = {"identity": identity}
        if lifetime is not None:
            body["lifetime"] = lifetime
        return self._call("POST", "oauth_token", body)

    def reset(self):
        return self._call("POST", "reset", {})


def _who(user, token):
    body = {}
    if user is not None:
        body["user"] = user
    if token is not None:
        body["token"] = token
    return body


_default = None


def _client():
    global _default
    if _default is None:
        _default = RigClient()
    return _default


def health():
    return _client().health()


def stats():
    return _client().stats()


def config(**kw):
    return _client().config(**kw)


def fault(path, kind, count=1, retry_after=None, seconds=None):
    return _client().fault(path, kind, count, retry_after, seconds)


def expire(user=None, token=None):
    return _client().expire(user, token)


def revoke(user=None, token=None):
    return _client().revoke(user, token)


def expire_oauth(identity=None):
    return _client().expire_oauth(identity)


def mint(user, lifetime=None):
    return _client().mint(user, lifetime)


def suspend(seconds=0):
    return _client().suspend(seconds)


def resume():
    return _client().resume()


def reset():
    return _client().reset()


def main(argv):
    import argparse

    ap = argparse.ArgumentParser(prog="rigclient.py")
    ap.add_argument("--control", default=None, help="default: $LBRIG_CONTROL")
    ap.add_argument("--ca-file", default=None, help="default: $LBRIG_CA_FILE")
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("stats")
    sub.add_parser("health")
    sub.add_parser("reset")
    sub.add_parser("resume")
    p = sub.add_parser("suspend")
    p.add_argument("--seconds", type=float, default=0)
    p = sub.add_parser("fault")
    p.add_argument("path")
    p.add_argument("kind")
    p.add_argument("--count", type=int, default=1)
    p.add_argument("--retry-after", type=float, default=None)
    p.add_argument("--seconds", type=float, default=None)
    for name in ("expire", "revoke"):
        p = sub.add_parser(name)
        p.add_argument("user")
    p = sub.add_parser("expire_oauth")
    p.add_argument("identity", nargs="?")
    p = sub.add_parser("mint")
    p.add_argument("user")
    p.add_argument("--lifetime", type=int, default=None)
    p = sub.add_parser("config")
    p.add_argument("settings", nargs="*", metavar="KEY=VALUE")
    a = ap.parse_args(argv)
    c = RigClient(a.control, a.ca_file)
    if a.cmd == "fault":
        out = c.fault(a.path, a.kind, a.count, a.retry_after, a.seconds)
    elif a.cmd in ("expire", "revoke"):
        out = getattr(c, a.cmd)(a.user)
    elif a.cmd == "expire_oauth":
        out = c.expire_oauth(a.identity)
    elif a.cmd == "suspend":
        out = c.suspend(a.seconds)
    elif a.cmd == "mint":
        out = c.mint(a.user, a.lifetime)
    elif a.cmd == "config":
        kw = {}
        for s in a.settings:
            k, _, v = s.partition("=")
            try:
                kw[k] = json.loads(v)
            except ValueError:
                kw[k] = v
        out = c.config(**kw)
    else:
        out = getattr(c, a.cmd)()
    print(json.dumps(out, indent=1, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
