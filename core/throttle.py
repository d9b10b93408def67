"""A fixed-window counter per key in the shared cache (Redis): how public forms slow down robots."""

from django.core.cache import cache


def throttle_hit(key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one attempt under ``key``; True once more than ``limit`` were counted in the window.

    The window starts at the first attempt. Every web process shares the count (the cache is Redis).
    """
    cache.add(key, 0, window_seconds)
    try:
        return cache.incr(key) > limit
    except ValueError:  # the key expired between add and incr: a new window
        return False


def throttle_reset(key: str) -> None:
    cache.delete(key)
