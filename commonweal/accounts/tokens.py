"""API tokens: made with ``secrets``, stored as SHA-256 hashes, looked up by hash."""

from __future__ import annotations

import hashlib
import secrets

TOKEN_PREFIX = "cw_"


def token_generate() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
