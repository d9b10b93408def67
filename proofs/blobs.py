"""Proof files in the default storage, named by their SHA-256: written once, never overwritten.

Two deposits of the same content share one stored file. Reads of a byte range (video seeking) go to
the storage directly: a ranged GET on S3, a seek on the filesystem; nothing is read whole in memory.
"""

from collections.abc import Iterator

from django.core.files.storage import default_storage

READ_CHUNK = 256 * 1024


def blob_name(sha256: str) -> str:
    return f"proofs/{sha256[:2]}/{sha256}"


def blob_store(upload, *, sha256: str) -> str:
    """Store ``upload`` under its hash unless that content is already stored; return the name."""
    name = blob_name(sha256)
    if default_storage.exists(name):
        return name
    saved = default_storage.save(name, upload)
    if saved != name:  # the same content stored meanwhile by another request: keep that one
        default_storage.delete(saved)
    return name


def blob_read(name: str, *, start: int = 0, end: int | None = None) -> Iterator[bytes]:
    """The bytes ``start``…``end`` (inclusive; None: to the end) of a stored file, in chunks."""
    bucket = getattr(default_storage, "bucket", None)
    if bucket is not None:
        key = default_storage._normalize_name(name)
        byte_range = f"bytes={start}-{'' if end is None else end}"
        body = bucket.Object(key).get(Range=byte_range)["Body"]
        yield from body.iter_chunks(READ_CHUNK)
        return
    remaining = None if end is None else end - start + 1
    with default_storage.open(name, "rb") as source:
        source.seek(start)
        while remaining is None or remaining > 0:
            chunk = source.read(READ_CHUNK if remaining is None else min(READ_CHUNK, remaining))
            if not chunk:
                break
            remaining = None if remaining is None else remaining - len(chunk)
            yield chunk
