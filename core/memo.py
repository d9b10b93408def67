"""Each process's own memo of reads that rarely change: the "local" cache of ``settings.CACHES``. Whoever
reads through it sets the timeout and says, in its docstring, how stale a value may be."""

from django.core.cache import BaseCache, caches

ALIAS = "local"


def memo() -> BaseCache:
    return caches[ALIAS]
