"""A light fixed-window limit on how often one client may do something.

Kept in the cache (per process with the default local-memory cache), so it
slows down scripted probing and spam; it is not an accounting of attempts.
"""

import time

from django.core.cache import cache


def client_address(request) -> str:
    # REMOTE_ADDR only: forwarded headers can be forged unless a trusted proxy
    # rewrites them, and a forged header would let a client reset its own count.
    return request.META.get("REMOTE_ADDR") or "unknown"


def allow(*, request, action: str, limit: int, window_seconds: int = 3600) -> bool:
    """Count one attempt of `action` by this client; False once `limit` is exceeded."""
    window = int(time.time() // window_seconds)
    key = f"gonghui-throttle:{action}:{client_address(request)}:{window}"
    cache.add(key, 0, timeout=window_seconds)
    try:
        count = cache.incr(key)
    except ValueError:
        # The entry expired between add and incr: this is the first attempt.
        cache.set(key, 1, timeout=window_seconds)
        count = 1
    return count <= limit
