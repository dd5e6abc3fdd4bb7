"""HR's way into the portal: a password kept only as its scrypt hash, or the agency's single
sign-on proxy vouching for the person; then a signed session and a token on every form."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import secrets

from tasks.links import Links

SESSION = dt.timedelta(hours=8)  # a working day; then HR logs in again
SCRYPT = {"n": 2**15, "r": 8, "p": 1, "maxmem": 64 * 2**20}


def hash_password(password: str) -> str:
    """What MENTORING_HR_PASSWORD_HASH holds: `scrypt$salt$hash`, never the password."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, **SCRYPT)
    return "$".join(["scrypt", b64(salt), b64(digest)])


def check_password(stored: str, password: str) -> bool:
    kind, _, rest = stored.partition("$")
    salt, _, digest = rest.partition("$")
    if kind != "scrypt" or not salt or not digest:
        return False
    given = hashlib.scrypt(password.encode(), salt=unb64(salt), **SCRYPT)
    return hmac.compare_digest(given, unb64(digest))


def start_session(links: Links, who: str) -> str:
    """The session cookie's value: HR's access, signed, until the end of `SESSION`."""
    return links.token("hr", who, dt.datetime.now(dt.UTC) + SESSION)


def form_token(links: Links, session: str) -> str:
    """The token every HR form carries: only a page of this session can post it."""
    return hmac.new(links.secret, b"form:" + session.encode(), hashlib.sha256).hexdigest()


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def unb64(text: str) -> bytes:
    return base64.b64decode(text)
