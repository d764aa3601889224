"""Login throttling: after too many failures for one username from one address, refuse further
tries for a while; and after many more failures from one address, whatever usernames it tried,
refuse that address too. Counters in the cache; no extra package.

A username is counted as Django authenticates it and more: NFKC (fullwidth ``ｖｉｅｗｅｒＡ``
is ``viewerA``), surrounding blanks stripped, case folded. Otherwise ``" viewerA"``,
``"viewerA\\t"`` or the fullwidth form would each get five fresh tries at the same account.
The address is ``REMOTE_ADDR``; behind reverse proxies set ``HUIKUAN_TRUSTED_PROXIES`` to how
many there are, and the address the nearest trusted proxy saw in ``X-Forwarded-For`` is used
(a client can prepend anything to that header, so only the proxies' own entries are believed)."""

from __future__ import annotations

import hashlib
import unicodedata

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def login_name(username: str) -> str:
    """The form of a typed username that throttling counts under."""
    return unicodedata.normalize("NFKC", username).strip().casefold()


def client_address(request: HttpRequest | None) -> str:
    """The address a login comes from (see the module's note on proxies)."""
    if request is None:
        return ""
    proxies = int(getattr(settings, "HUIKUAN_TRUSTED_PROXIES", 0) or 0)
    if proxies > 0:
        hops = [h.strip() for h in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",") if h.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return str(request.META.get("REMOTE_ADDR", ""))


def _key(kind: str, *parts: str) -> str:
    digest = hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]
    return f"huikuan:login-failures:{kind}:{digest}"


def _keys(username: str, address: str) -> tuple[tuple[str, int], tuple[str, int]]:
    return ((_key("user", login_name(username), address), settings.HUIKUAN_LOGIN_FAILURES),
            (_key("address", address), settings.HUIKUAN_LOGIN_FAILURES_PER_ADDRESS))


def is_locked(username: str, address: str) -> bool:
    return any(int(cache.get(key, 0)) >= limit for key, limit in _keys(username, address))


def record_failure(username: str, address: str) -> None:
    for key, _limit in _keys(username, address):
        cache.set(key, int(cache.get(key, 0)) + 1, settings.HUIKUAN_LOGIN_LOCKOUT_SECONDS)


def clear(username: str, address: str) -> None:
    """A successful login clears its username's count (not the address's: one good password
    must not reset a spray over other accounts)."""
    cache.delete(_keys(username, address)[0][0])
