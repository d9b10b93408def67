"""Benchmark of one read of the Redis cache, as every signed-in request does for its session.

Run: ``REDIS_URL=redis://127.0.0.1:6379/13 python bench/cache.py [--reads 5000]``.
It stores a session-sized value (a signed-in person's session: ids, hashes, kept memberships), then
prints, for the cache backend of the settings, for Django's own Redis backend and for redis-py alone
(the floor: one round trip): the best median of 5 runs of ``--reads`` reads in microseconds, and the
Python function calls of one read. It writes under the key prefix ``bench-cache`` only.
"""

import argparse
import cProfile
import os
import pstats
import sys
import timeit
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "convergence.settings")

import django  # noqa: E402

django.setup()

import redis  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.cache.backends.redis import RedisCache  # noqa: E402
from django.utils.module_loading import import_string  # noqa: E402

SESSION = {
    "_auth_user_id": "1234",
    "_auth_user_backend": "django.contrib.auth.backends.ModelBackend",
    "_auth_user_hash": "f" * 64,
    "memberships": [1234, 7, [[5678, "mandataire", 42, "7f1c0e9e-8d1b-4c55-9a51-0b8e4f5a2c11", "Éditeur"]]],
}


def measure(get, reads: int) -> tuple[float, float]:
    """(µs per read, Python calls per read)."""
    best = min(timeit.repeat(get, number=reads, repeat=5)) / reads * 1e6
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(100):
        get()
    profile.disable()
    return best, pstats.Stats(profile).total_calls / 100


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reads", type=int, default=5000)
    reads = parser.parse_args().reads
    location = settings.CACHES["default"]["LOCATION"]
    configured = settings.CACHES["default"]["BACKEND"]
    backends = {
        f"{configured} (réglages)": import_string(configured)(location, {"KEY_PREFIX": "bench-cache"}),
        "django.core.cache.backends.redis.RedisCache": RedisCache(location, {"KEY_PREFIX": "bench-cache"}),
    }
    print(f"Lecture d'une session ({location}), meilleure de 5 séries de {reads} lectures :")
    for label, cache in backends.items():
        cache.set("session", SESSION, 60)
        assert cache.get("session") == SESSION
        micros, calls = measure(lambda cache=cache: cache.get("session"), reads)
        print(f"  {label:<58} {micros:7.1f} µs   {calls:5.0f} appels Python")
    client = redis.Redis.from_url(location)
    client.set("bench-cache:raw", b"x" * 300)
    micros, calls = measure(lambda: client.get("bench-cache:raw"), reads)
    print(f"  {'redis-py seul (un aller-retour)':<58} {micros:7.1f} µs   {calls:5.0f} appels Python")
    client.delete("bench-cache:raw")


if __name__ == "__main__":
    main()
