"""Personal links: a token that opens one page for one person until it expires.

A token is the signed statement "this opens `purpose` of programme `programme` for `subject`
until `expires`". Anything else about it (a wrong signature, another purpose or programme, a
past expiry, garbage) makes it open nothing, and the reader is not told which.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import hmac
import json

PURPOSES = ("video", "packet")  # the applicant's video page; the leader's packet page


def make_token(secret: bytes, purpose: str, programme: str, subject: str,
               expires: dt.datetime) -> str:
    body = json.dumps([purpose, programme, subject, int(expires.timestamp())],
                      separators=(",", ":")).encode()
    return f"{encode(body)}.{encode(mac(secret, body))}"


def read_token(secret: bytes, token: str, purpose: str, programme: str,
               now: dt.datetime) -> str | None:
    """The subject a token opens `purpose` for, or None when it opens nothing."""
    body_text, _, signature = token.partition(".")
    try:
        body, given = decode(body_text), decode(signature)
    except (binascii.Error, ValueError):
        return None
    if not hmac.compare_digest(mac(secret, body), given):
        return None
    made_for, made_in, subject, until = json.loads(body)
    if made_for != purpose or made_in != programme or now.timestamp() >= until:
        return None
    return str(subject)


def mac(secret: bytes, body: bytes) -> bytes:
    return hmac.new(secret, b"link:" + body, hashlib.sha256).digest()


def encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
