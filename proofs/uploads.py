"""Receiving a proof file: streamed to a temporary file while hashed, the size limit enforced as it arrives.

``ProofUploadHandler`` replaces Django's upload handlers for the proof upload view only: the body is
never held in memory (chunks of ``CHUNK`` bytes), and past the limit it stops keeping anything (the
partial temporary file is deleted at once) and records why, in French, for the view to answer.
"""

import hashlib

from django.core.files.uploadedfile import TemporaryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload

from proofs.filetypes import HEAD_SIZE, TextSniffer

CHUNK = 256 * 1024
TOO_LARGE = "Le fichier dépasse {size}, la taille maximale pour cette preuve : il n'a pas été enregistré."
ONE_FILE = "Déposez un seul fichier à la fois."
FIELD = "file"


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f}\u00a0Mo"


class ProofUploadHandler(FileUploadHandler):
    chunk_size = CHUNK

    def __init__(self, request=None, *, max_size: int):
        super().__init__(request)
        self.max_size = max_size
        self.refusal = ""
        self.upload: TemporaryUploadedFile | None = None
        self._files = 0

    def new_file(
        self, field_name, file_name, content_type, content_length, charset=None, content_type_extra=None
    ):
        super().new_file(field_name, file_name, content_type, content_length, charset, content_type_extra)
        self._files += 1
        if field_name != FIELD or self._files > 1:
            self._refuse(ONE_FILE)
        self.upload = TemporaryUploadedFile(file_name, content_type, 0, charset, content_type_extra)
        self.hasher = hashlib.sha256()
        self.head = b""
        self.text = TextSniffer()
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.max_size:
            self._refuse(TOO_LARGE.format(size=megabytes(self.max_size)))
        if len(self.head) < HEAD_SIZE:
            self.head += raw_data[: HEAD_SIZE - len(self.head)]
        self.hasher.update(raw_data)
        self.text.feed(raw_data)
        self.upload.write(raw_data)
        return None

    def file_complete(self, file_size):
        self.text.feed(b"", final=True)
        self.upload.flush()
        self.upload.seek(0)
        self.upload.size = file_size
        self.upload.sha256 = self.hasher.hexdigest()
        self.upload.head = self.head
        self.upload.is_text = self.text.is_text
        return self.upload

    def upload_interrupted(self):
        self._discard()

    def _refuse(self, message: str):
        self.refusal = message
        self._discard()
        # Keep reading (and dropping) the rest of the body so the client gets the answer, not a reset.
        raise StopUpload(connection_reset=False)

    def _discard(self):
        if self.upload is not None:
            self.upload.close()  # a temporary upload deletes its file when closed
            self.upload = None


def received(name: str, content: bytes, *, max_size: int) -> TemporaryUploadedFile:
    """``content`` passed through the handler as an upload would be (demo data, commands, benchmarks)."""
    handler = ProofUploadHandler(max_size=max_size)
    handler.new_file(FIELD, name, "application/octet-stream", len(content))
    for start in range(0, len(content), CHUNK):
        handler.receive_data_chunk(content[start : start + CHUNK], start)
    return handler.file_complete(len(content))
