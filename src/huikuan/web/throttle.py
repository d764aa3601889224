"""Login throttling: after too many failures for one username from one address, refuse further
tries for a while. A counter in the cache; no extra package."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache


def _key(username: str, address: str) -> str:
    digest = hashlib.sha256(f"{username.lower()}|{address}".encode()).hexdigest()[:32]
    return f"huikuan:login-failures:{digest}"


def is_locked(username: str, address: str) -> bool:
    return int(cache.get(_key(username, address), 0)) >= settings.HUIKUAN_LOGIN_FAILURES


def record_failure(username: str, address: str) -> None:
    key = _key(username, address)
    failures = int(cache.get(key, 0)) + 1
    cache.set(key, failures, settings.HUIKUAN_LOGIN_LOCKOUT_SECONDS)


def clear(username: str, address: str) -> None:
    cache.delete(_key(username, address))
