"""Interchange files an attacker (or a broken tool) could upload, with the French message each gets."""

from assessments import services

HOSTILE_FILES = {
    "deeply nested arrays": (b"[" * 100_000 + b"]" * 100_000, services.IMPORT_TOO_DEEP),
    "nested beyond the document's shape": (
        b'{"meta": ' + b'{"a": ' * 40 + b"1" + b"}" * 41,
        services.IMPORT_TOO_DEEP,
    ),
    "integer of thousands of digits": (
        b'{"questionnaire": {"code": "interoperabilite", "version": ' + b"9" * 5000 + b"}}",
        services.IMPORT_NUMBER_TOO_LONG,
    ),
    "non-standard constant": (b'{"questionnaire": {"version": NaN}}', services.IMPORT_NOT_STANDARD),
    "lone surrogate escape": (b'{"answers": {"\\ud800": {"level": "vert"}}}', services.IMPORT_BAD_CHARACTER),
    "non-UTF-8 bytes": (b'{"answers": "\xe9t\xe9"}', services.IMPORT_NOT_UTF8),
    "file over the size limit": (
        b"{" + b" " * services.IMPORT_MAX_BYTES + b"}",
        services.IMPORT_TOO_LARGE,
    ),
}
