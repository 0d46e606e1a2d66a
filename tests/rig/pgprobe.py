#!/usr/bin/python3
"""A minimal PostgreSQL wire-protocol client (standard library only) for rig tests.

libpq and psql hide the SQLSTATE of a failed login; this shows it:

    r = pgprobe.login("localhost", port, "alice@example.com", token, ca_file=ca)
    r.ok, r.sqlstate, r.message          # e.g. False, "28P01", "password authentication ..."
    with pgprobe.connect(...) as c:      # raises PgError on failure
        c.query("SELECT current_user")   # -> [("alice@example.com",)]

TLS with certificate and host-name verification (like sslmode=verify-full), or plain TCP
(ssl=False, like sslmode=disable). Authentication: cleartext password (what the rig's PAM
path asks for) and SCRAM-SHA-256. Simple query protocol, text results.
"""

import base64
import hashlib
import hmac
import os
import socket
import ssl
import struct


class PgError(Exception):
    def __init__(self, fields):
        self.fields = fields
        self.sqlstate = fields.get("C")
        self.severity = fields.get("V") or fields.get("S")
        self.message = fields.get("M", "")
        super().__init__("%s %s: %s" % (self.severity, self.sqlstate, self.message))


class LoginResult:
    def __init__(self, ok, sqlstate=None, message=None):
        self.ok = ok
        self.sqlstate = sqlstate
        self.message = message

    def __repr__(self):
        return "LoginResult(ok=%r, sqlstate=%r, message=%r)" % (self.ok, self.sqlstate, self.message)


def _error_fields(payload):
    fields = {}
    for part in payload.split(b"\0"):
        if part:
            fields[chr(part[0])] = part[1:].decode("utf-8", "replace")
    return fields


class Connection:
    def __init__(self, host, port, user, password, database="databricks_postgres", *,
                 ca_file=None, ssl_on=True, server_hostname=None, timeout=10.0,
                 application_name="rig-pgprobe"):
        self.sock = socket.create_connection((host, int(port)), timeout=timeout)
        try:
            if ssl_on:
                self.sock.sendall(struct.pack("!ii", 8, 80877103))  # SSLRequest
                answer = self._recv_exact(1)
                if answer != b"S":
                    raise ConnectionError("server refused TLS (%r)" % answer)
                ctx = ssl.create_default_context(cafile=ca_file)
                self.sock = ctx.wrap_socket(self.sock, server_hostname=server_hostname or host)
            params = b""
            for k, v in (("user", user), ("database", database),
                         ("application_name", application_name)):
                params += k.encode() + b"\0" + v.encode() + b"\0"
            params += b"\0"
            self.sock.sendall(struct.pack("!ii", 8 + len(params), 196608) + params)
            self._authenticate(user, password)
        except BaseException:
            self.sock.close()
            raise

    # ---- framing
    def _recv_exact(self, n):
        buf = b""
        while len(buf) < n:
            chunk = self.sock.recv(n - len(buf))
            if not chunk:
                raise ConnectionError("server closed the connection")
            buf += chunk
        return buf

    def _read(self):
        head = self._recv_exact(5)
        kind, length = head[:1], struct.unpack("!i", head[1:])[0]
        return kind, self._recv_exact(length - 4)

    def _send(self, kind, payload):
        self.sock.sendall(kind + struct.pack("!i", len(payload) + 4) + payload)

    # ---- authentication
    def _authenticate(self, user, password):
        scram = None
        while True:
            kind, payload = self._read()
            if kind == b"E":
                raise PgError(_error_fields(payload))
            if kind == b"R":
                code = struct.unpack("!i", payload[:4])[0]
                if code == 0:  # AuthenticationOk
                    continue
                if code == 3:  # cleartext password
                    self._send(b"p", password.encode() + b"\0")
                elif code == 10:  # SASL
                    mechs = payload[4:].split(b"\0")
                    if b"SCRAM-SHA-256" not in mechs:
                        raise ConnectionError("no supported SASL mechanism in %r" % mechs)
                    scram = _Scram(password)
                    first = scram.client_first()
                    self._send(b"p", b"SCRAM-SHA-256\0" + struct.pack("!i", len(first)) + first)
                elif code == 11:  # SASLContinue
                    self._send(b"p", scram.client_final(payload[4:]))
                elif code == 12:  # SASLFinal
                    scram.verify_server(payload[4:])
                else:
                    raise ConnectionError("unsupported authentication request %d" % code)
            elif kind == b"Z":
                return
            # S (ParameterStatus), K (BackendKeyData), N (notice): ignored

    # ---- queries
    def query(self, sql):
        self._send(b"Q", sql.encode() + b"\0")
        rows, error = [], None
        while True:
            kind, payload = self._read()
            if kind == b"D":
                n = struct.unpack("!h", payload[:2])[0]
                pos, row = 2, []
                for _ in range(n):
                    ln = struct.unpack("!i", payload[pos : pos + 4])[0]
                    pos += 4
                    if ln < 0:
                        row.append(None)
                    else:
                        row.append(payload[pos : pos + ln].decode())
                        pos += ln
                rows.append(tuple(row))
            elif kind == b"E":
                error = PgError(_error_fields(payload))
            elif kind == b"Z":
                if error:
                    raise error
                return rows

    def close(self):
        try:
            self._send(b"X", b"")
        except OSError:
            pass
        self.sock.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class _Scram:
    def __init__(self, password):
        self.password = password.encode()
        self.nonce = base64.b64encode(os.urandom(18)).decode()
        self.first_bare = "n=,r=" + self.nonce

    def client_first(self):
        return ("n,," + self.first_bare).encode()

    def client_final(self, server_first):
        sf = server_first.decode()
        attrs = dict(a.split("=", 1) for a in sf.split(","))
        if not attrs["r"].startswith(self.nonce):
            raise ConnectionError("SCRAM nonce mismatch")
        salted = hashlib.pbkdf2_hmac("sha256", self.password, base64.b64decode(attrs["s"]),
                                     int(attrs["i"]))
        client_key = hmac.new(salted, b"Client Key", hashlib.sha256).digest()
        stored_key = hashlib.sha256(client_key).digest()
        without_proof = "c=biws,r=" + attrs["r"]
        auth_message = (self.first_bare + "," + sf + "," + without_proof).encode()
        signature = hmac.new(stored_key, auth_message, hashlib.sha256).digest()
        proof = bytes(a ^ b for a, b in zip(client_key, signature))
        server_key = hmac.new(salted, b"Server Key", hashlib.sha256).digest()
        self.server_signature = hmac.new(server_key, auth_message, hashlib.sha256).digest()
        return (without_proof + ",p=" + base64.b64encode(proof).decode()).encode()

    def verify_server(self, server_final):
        v = server_final.decode().split("v=", 1)[-1]
        if base64.b64decode(v) != self.server_signature:
            raise ConnectionError("SCRAM server signature mismatch")


def connect(host, port, user, password, database="databricks_postgres", **kw):
    return Connection(host, port, user, password, database, **kw)


def login(host, port, user, password, database="databricks_postgres", **kw):
    """Tries to log in and out; returns a LoginResult with the server's SQLSTATE on failure."""
    try:
        c = Connection(host, port, user, password, database, **kw)
    except PgError as e:
        return LoginResult(False, e.sqlstate, e.message)
    c.close()
    return LoginResult(True)
