"""Serving a proof file from the storage, to authorised views only.

Downloads are attachments; video and images may be shown inline in the back office, with HTTP Range
support so a video can be sought without loading it whole. Always ``nosniff`` and a type we
recognised from the content ourselves, never the one the uploader's browser claimed.
"""

import re

from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header

from proofs.blobs import blob_read
from proofs.models import Proof

RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def proof_file_response(request, proof: Proof, *, inline: bool):
    inline = inline and proof.plays_inline
    byte_range = _range(request.headers.get("Range", ""), proof.size) if inline else None
    if byte_range == "invalid":
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{proof.size}"
        return _secure(response)
    if byte_range is None:
        response = FileResponse(
            proof.file.open("rb"),
            as_attachment=not inline,
            filename=proof.original_name,
            content_type=proof.content_type,
        )
        response["Accept-Ranges"] = "bytes" if inline else "none"
        return _secure(response)
    start, end = byte_range
    response = StreamingHttpResponse(blob_read(proof.file.name, start=start, end=end), status=206)
    response["Content-Type"] = proof.content_type
    response["Content-Length"] = str(end - start + 1)
    response["Content-Range"] = f"bytes {start}-{end}/{proof.size}"
    response["Accept-Ranges"] = "bytes"
    response["Content-Disposition"] = content_disposition_header(False, proof.original_name)
    return _secure(response)


def _range(header: str, size: int):
    """(start, end) of a single byte range, None without one, "invalid" when it cannot be served."""
    if not header:
        return None
    match = RANGE.match(header.strip())
    if not match or not (match.group(1) or match.group(2)):
        return "invalid"
    first, last = match.group(1), match.group(2)
    if first:
        start = int(first)
        end = min(int(last), size - 1) if last else size - 1
    else:  # the last N bytes
        start, end = max(size - int(last), 0), size - 1
    if start > end or start >= size:
        return "invalid"
    return start, end


def _secure(response):
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
