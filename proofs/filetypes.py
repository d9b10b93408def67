"""A deposited file's format, read from its content (magic numbers), never from its name alone.

Binary formats are recognised by ``filetype`` from the first bytes; text formats (txt, log, json,
xml) are files that decode as UTF-8 with no NUL byte, json and xml also by their first character.
"""

import codecs
from dataclasses import dataclass

import filetype

HEAD_SIZE = 8192  # more than ``filetype`` reads (261 bytes), enough for a text file's first character

# Our format code → (what ``filetype`` reports, the MIME type we serve it with).
BINARY = {
    "pdf": ({"pdf"}, "application/pdf"),
    "mp4": ({"mp4", "m4v"}, "video/mp4"),
    "webm": ({"webm"}, "video/webm"),
    "png": ({"png"}, "image/png"),
    "jpg": ({"jpg"}, "image/jpeg"),
    "zip": ({"zip"}, "application/zip"),
}
TEXT = {
    "txt": "text/plain",
    "log": "text/plain",
    "json": "application/json",
    "xml": "application/xml",
}
LABELS = {"jpg": "JPEG", "txt": "texte", "log": "journal texte"}


def label(code: str) -> str:
    return LABELS.get(code, code.upper())


@dataclass
class TextSniffer:
    """Fed with every chunk of a file: whether the whole file is UTF-8 text without NUL bytes."""

    is_text: bool = True

    def __post_init__(self):
        self._decoder = codecs.getincrementaldecoder("utf-8")()

    def feed(self, chunk: bytes, *, final: bool = False) -> None:
        if not self.is_text:
            return
        try:
            if "\x00" in self._decoder.decode(chunk, final=final):
                self.is_text = False
        except UnicodeDecodeError:
            self.is_text = False


def detect(head: bytes, *, is_text: bool) -> str | None:
    """What the content is, as one of our format codes (the binary ones), "text", or None (unknown)."""
    kind = filetype.guess(head)
    if kind is not None:
        return next((code for code, (names, _) in BINARY.items() if kind.extension in names), kind.extension)
    return "text" if is_text and head else None


def matching_format(head: bytes, *, is_text: bool, accepted: list[str]) -> tuple[str, str] | None:
    """The accepted format the content is in, with its MIME type; None when it is in none of them."""
    detected = detect(head, is_text=is_text)
    if detected in accepted and detected in BINARY:
        return detected, BINARY[detected][1]
    if detected != "text":
        return None
    first = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    for code in accepted:
        if (
            code in ("txt", "log")
            or (code == "json" and first in (b"{", b"["))
            or (code == "xml" and first == b"<")
        ):
            return code, TEXT[code]
    return None


def describe(head: bytes, *, is_text: bool) -> str:
    """The detected content in words, for the refusal message."""
    detected = detect(head, is_text=is_text)
    if detected is None:
        return "format non reconnu"
    return "texte" if detected == "text" else f"fichier {label(detected)}"
