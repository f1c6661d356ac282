"""Login codes and sessions as WeChat issues them, shared by every process on a workspace (P4, P6).

The workbench plays WeChat, so it issues the login codes a pre-pull carries and runs the
``code2session`` endpoint that redeems them. A code is issued by one process (``fetch``,
``coldstart``, the app) and may be redeemed by another (``serve``) on the same workspace, once:

- a code is 32 letters and digits: a random nonce and an HMAC-SHA256 tag over
  (nonce, user, issue time) with the workspace's secret, so a code from another workspace or a
  made-up one is refused without trusting the state file;
- the state file (a small SQLite database of its own, in the workspace's data folder) records
  which user each nonce was issued to and whether it was redeemed; redeeming marks it in one
  transaction, so two processes racing for the same code cannot both win;
- each redemption starts a new session: the user's session_key rotates and the previous one
  becomes stale (P6). :meth:`LoginAuthority.check_signature` answers as WeChat's
  ``checkSessionKey`` does (signature = HMAC-SHA256 keyed with the session_key over "").

A code is valid for 5 minutes, as WeChat documents for ``wx.login`` codes.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import sqlite3
import string
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from workbench.core.errors import StoreError

#: File names in the workspace's data folder (see :meth:`LoginAuthority.in_folder`).
SECRET_NAME = "login.secret"
STATE_NAME = "login.sqlite3"
#: WeChat: a login code is valid for 5 minutes and for one code2session call.
CODE_TTL_S = 300.0
#: WeChat's error codes for code2session and checkSessionKey.
ERR_INVALID_CODE = 40029
ERR_CODE_USED = 40163
ERR_INVALID_SIGNATURE = 87009

_ALPHABET = string.ascii_letters + string.digits
_NONCE_CHARS = 16
_TAG_CHARS = 16
_SCHEMA = """
CREATE TABLE IF NOT EXISTS login_code (
    nonce TEXT PRIMARY KEY,
    user TEXT NOT NULL,
    issued_ms INTEGER NOT NULL,
    redeemed_ms INTEGER
);
CREATE INDEX IF NOT EXISTS login_code_issued ON login_code (issued_ms);
CREATE TABLE IF NOT EXISTS login_session (
    openid TEXT PRIMARY KEY,
    user TEXT NOT NULL,
    session_key TEXT NOT NULL,
    since_ms INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS stale_session_key (
    session_key TEXT PRIMARY KEY,
    openid TEXT NOT NULL,
    replaced_ms INTEGER NOT NULL
)
"""


def default_openid(user: str) -> str:
    """The stable openid of a simulated user (the same formula as the mock server's users)."""
    return "o" + hashlib.sha256(f"openid:{user}".encode()).hexdigest()[:27]


def session_signature(session_key: str) -> str:
    """checkSessionKey's signature: HMAC-SHA256 keyed with the session_key over the empty string."""
    return hmac.new(session_key.encode("utf-8"), b"", hashlib.sha256).hexdigest()


class LoginError(Exception):
    """A code2session or checkSessionKey failure, with WeChat's errcode and errmsg."""

    def __init__(self, errcode: int, errmsg: str) -> None:
        super().__init__(errmsg)
        self.errcode = errcode
        self.errmsg = errmsg


@dataclass(frozen=True, slots=True)
class Session:
    """What code2session returns for a redeemed code (openid, session_key) and for whom."""

    user: str
    openid: str
    session_key: str


@dataclass(frozen=True, slots=True)
class SessionCheck:
    """A checkSessionKey answer: ``state`` is "valid", "stale" (replaced by a newer login) or "unknown"."""

    state: str
    errcode: int
    errmsg: str
    #: when a stale key was replaced (ms), to tell the developer why it stopped working
    replaced_ms: int | None = None

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {"errcode": self.errcode, "errmsg": self.errmsg}
        if self.state == "stale":
            out["workbench_hint"] = (f"this session_key was replaced by a newer login at {self.replaced_ms} ms "
                                     "(P6: every code launch rotates it)")
        return out


def _tag(secret: bytes, nonce: str, user: str, issued_ms: int) -> str:
    digest = hmac.new(secret, f"{nonce}|{user}|{issued_ms}".encode(), hashlib.sha256).digest()
    number = int.from_bytes(digest[:11], "big")  # 88 bits fit in 16 base-62 characters
    chars = []
    for _ in range(_TAG_CHARS):
        number, rest = divmod(number, 62)
        chars.append(_ALPHABET[rest])
    return "".join(chars)


def load_or_create_secret(path: Path) -> bytes:
    """The workspace's login secret (32 random bytes, hex in a private file), made on first use.

    Two processes starting at once agree: the file is created exclusively and the loser reads it.
    """
    path = Path(path)
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            text = ""
            for _ in range(50):  # the creator may not have written it yet
                text = path.read_text(encoding="ascii").strip()
                if text:
                    break
                time.sleep(0.01)
            return bytes.fromhex(text)
        with os.fdopen(fd, "w", encoding="ascii") as f:
            f.write(secrets.token_hex(32))
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    except (OSError, ValueError) as exc:
        raise StoreError(f"Cannot read or create the login secret {path} ({exc}): check the workspace's "
                         "data folder.") from None


class LoginAuthority:
    """Issues login codes and redeems them (code2session) for one workspace, across processes."""

    def __init__(self, secret: bytes, state_path: Path | str, *, code_ttl_s: float = CODE_TTL_S,
                 clock: Callable[[], float] = time.time) -> None:
        if len(secret) < 16:
            raise ValueError("the login secret must be at least 16 bytes")
        self._secret = bytes(secret)
        self.state_path = Path(state_path)
        self.code_ttl_s = code_ttl_s
        self._clock = clock
        self._lock = threading.RLock()
        try:
            self.state_path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            os.close(os.open(self.state_path, os.O_RDWR | os.O_CREAT, 0o600))
            self._db = sqlite3.connect(self.state_path, check_same_thread=False, isolation_level=None,
                                       timeout=5.0)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            for statement in _SCHEMA.split(";"):
                self._db.execute(statement)
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"Cannot open the login state {self.state_path} ({exc}): check the workspace's "
                             "data folder.") from None

    @classmethod
    def in_folder(cls, folder: Path | str, **kw: object) -> LoginAuthority:
        """The authority of the workspace whose data folder is ``folder`` (secret and state in it)."""
        folder = Path(folder)
        return cls(load_or_create_secret(folder / SECRET_NAME), folder / STATE_NAME, **kw)  # type: ignore[arg-type]

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _now_ms(self) -> int:
        return int(self._clock() * 1000)

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            try:
                self._db.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise StoreError(f"The login state {self.state_path} is busy or damaged ({exc}).") from None
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            else:
                self._db.execute("COMMIT")

    # -- codes (P4) ----------------------------------------------------------------------

    def issue_code(self, user: str) -> str:
        """A fresh login code for ``user``, redeemable once by any process on this workspace."""
        return self.issue_codes([user])[0]

    def issue_codes(self, users: Sequence[str]) -> list[str]:
        """A fresh login code for each of ``users``, in one transaction (a traffic run asks for
        hundreds at a time: one transaction each took 37 ms per 512)."""
        issued = self._now_ms()
        nonces = ["".join(secrets.choice(_ALPHABET) for _ in range(_NONCE_CHARS)) for _ in users]
        with self._transaction() as db:
            db.executemany("INSERT INTO login_code (nonce, user, issued_ms) VALUES (?, ?, ?)",
                           [(nonce, user, issued) for nonce, user in zip(nonces, users, strict=True)])
            # codes that can no longer be redeemed are of no use: keep the file small
            db.execute("DELETE FROM login_code WHERE issued_ms < ?", (issued - int(self.code_ttl_s * 1000) * 2,))
        return [nonce + _tag(self._secret, nonce, user, issued) for nonce, user in zip(nonces, users, strict=True)]

    def exchange(self, code: str) -> Session:
        """code2session: the user's openid and a new session_key; the previous key goes stale (P6).

        Raises :class:`LoginError` (40029 invalid or expired, 40163 already used)."""
        if len(code) != _NONCE_CHARS + _TAG_CHARS or not code.isascii() or not code.isalnum():
            raise LoginError(ERR_INVALID_CODE, "invalid code")
        nonce, tag = code[:_NONCE_CHARS], code[_NONCE_CHARS:]
        now = self._now_ms()
        with self._transaction() as db:
            row = db.execute("SELECT user, issued_ms, redeemed_ms FROM login_code WHERE nonce = ?",
                             (nonce,)).fetchone()
            if row is None or not hmac.compare_digest(tag, _tag(self._secret, nonce, row[0], row[1])):
                raise LoginError(ERR_INVALID_CODE, "invalid code")
            user, issued_ms, redeemed_ms = row
            if redeemed_ms is not None:
                raise LoginError(ERR_CODE_USED, "code been used")
            if now - issued_ms >= self.code_ttl_s * 1000:
                raise LoginError(ERR_INVALID_CODE, "invalid code (expired: a code is valid for 5 minutes)")
            db.execute("UPDATE login_code SET redeemed_ms = ? WHERE nonce = ?", (now, nonce))
            openid = default_openid(user)
            session_key = base64.b64encode(secrets.token_bytes(16)).decode("ascii")
            old = db.execute("SELECT session_key FROM login_session WHERE openid = ?", (openid,)).fetchone()
            if old is not None:
                db.execute("INSERT OR REPLACE INTO stale_session_key (session_key, openid, replaced_ms) "
                           "VALUES (?, ?, ?)", (old[0], openid, now))
            db.execute("INSERT OR REPLACE INTO login_session (openid, user, session_key, since_ms) "
                       "VALUES (?, ?, ?, ?)", (openid, user, session_key, now))
        return Session(user=user, openid=openid, session_key=session_key)

    # -- sessions (P6) -------------------------------------------------------------------

    def current_session_key(self, user: str) -> str | None:
        """The user's valid session_key, or None before any code was redeemed."""
        with self._lock:
            row = self._db.execute("SELECT session_key FROM login_session WHERE openid = ?",
                                   (default_openid(user),)).fetchone()
        return row[0] if row else None

    def check_signature(self, openid: str, signature: str, sig_method: str = "hmac_sha256") -> SessionCheck:
        """checkSessionKey: is the session_key behind ``signature`` the user's current one?"""
        if sig_method != "hmac_sha256":
            return SessionCheck("unknown", ERR_INVALID_SIGNATURE, "invalid sig_method")
        with self._lock:
            current = self._db.execute("SELECT session_key FROM login_session WHERE openid = ?",
                                       (openid,)).fetchone()
            stale = self._db.execute("SELECT session_key, replaced_ms FROM stale_session_key WHERE openid = ?",
                                     (openid,)).fetchall()
        if current is not None and hmac.compare_digest(session_signature(current[0]), signature):
            return SessionCheck("valid", 0, "ok")
        for key, replaced_ms in stale:
            if hmac.compare_digest(session_signature(key), signature):
                return SessionCheck("stale", ERR_INVALID_SIGNATURE, "invalid signature", replaced_ms)
        return SessionCheck("unknown", ERR_INVALID_SIGNATURE, "invalid signature")

    def check_session_key(self, openid: str, session_key: str) -> SessionCheck:
        """:meth:`check_signature` for a session_key in hand."""
        return self.check_signature(openid, session_signature(session_key))
