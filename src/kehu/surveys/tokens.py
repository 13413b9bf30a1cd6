"""One-time survey tokens: a random URL-safe string shown once; only its SHA-256 is kept, so a
copy of the database cannot answer anyone's survey."""

from __future__ import annotations

import hashlib
import secrets

TOKEN_BYTES = 24


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
