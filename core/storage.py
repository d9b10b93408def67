"""Where uploaded and generated files live: Django's ``STORAGES``, chosen from the environment.

Without ``AWS_STORAGE_BUCKET_NAME`` the default storage is the local filesystem (``make run``): one
machine only. With it, files go to an S3-compatible object store (MinIO, Scaleway, OVH, AWS…) through
django-storages, so web processes and workers on several machines see the same files. Files are never
public: no base URL on disk; private objects on S3, served by the application's authorised views.
"""

from pathlib import Path

S3_BACKEND = "storages.backends.s3.S3Storage"
FILESYSTEM_BACKEND = "django.core.files.storage.FileSystemStorage"


def default_storage_setting(env, *, private_root: Path) -> dict:
    """The ``STORAGES["default"]`` entry for this environment (``env``: a django-environ ``Env``)."""
    bucket = env.str("AWS_STORAGE_BUCKET_NAME", default="")
    if not bucket:
        return {"BACKEND": FILESYSTEM_BACKEND, "OPTIONS": {"location": private_root, "base_url": None}}
    options = {
        "bucket_name": bucket,
        "location": env.str("AWS_LOCATION", default=""),
        "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
        "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
        "access_key": env.str("AWS_ACCESS_KEY_ID", default="") or None,
        "secret_key": env.str("AWS_SECRET_ACCESS_KEY", default="") or None,
        # Private objects: reads go through the application, never a public or signed URL.
        "default_acl": "private",
        "querystring_auth": True,
        # A name already taken is never overwritten (proofs are stored by content hash).
        "file_overwrite": False,
        # MinIO and most S3-compatible services want path-style addressing.
        "addressing_style": env.str("AWS_S3_ADDRESSING_STYLE", default="path"),
        "signature_version": "s3v4",
    }
    return {
        "BACKEND": S3_BACKEND,
        "OPTIONS": {key: value for key, value in options.items() if value is not None},
    }
