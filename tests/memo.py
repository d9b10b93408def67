"""The per-process memo (the "local" cache) as time passes, without waiting for it."""

import time
from contextlib import contextmanager
from types import SimpleNamespace
from unittest import mock

from django.core.cache.backends import locmem


@contextmanager
def memo_clock_ahead(seconds: float):
    """Within the block, the "local" cache judges its entries ``seconds`` later than now: one memoised
    now for a shorter timeout has expired."""
    real = time.time
    with mock.patch.object(locmem, "time", SimpleNamespace(time=lambda: real() + seconds)):
        yield
