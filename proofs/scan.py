"""Optional antivirus: a deposited file is streamed to clamd (``settings.CLAMD_SOCKET``) before acceptance.

clamd's INSTREAM command over its unix socket: chunks prefixed by their 4-byte big-endian length, a
zero-length chunk to finish; the reply is ``stream: OK`` or ``stream: <signature> FOUND``. Without a
socket configured nothing is scanned and the proof says so ("non analysée").
"""

import socket
import struct

from django.conf import settings

from proofs.models import Scan

CHUNK = 64 * 1024
TIMEOUT_SECONDS = 120


class Infected(Exception):
    def __init__(self, signature: str):
        super().__init__(signature)
        self.signature = signature


class ScanFailed(Exception):
    pass


def scan_file(path: str) -> str:
    """``Scan.CLEAN`` or ``Scan.NOT_SCANNED`` (no clamd configured); raises ``Infected`` or ``ScanFailed``."""
    if not settings.CLAMD_SOCKET:
        return Scan.NOT_SCANNED
    try:
        reply = _instream(settings.CLAMD_SOCKET, path)
    except OSError as error:
        raise ScanFailed(str(error)) from error
    if reply.endswith("FOUND"):
        raise Infected(reply.removeprefix("stream:").removesuffix("FOUND").strip())
    if not reply.endswith("OK"):
        raise ScanFailed(reply)
    return Scan.CLEAN


def _instream(socket_path: str, path: str) -> str:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
        connection.settimeout(TIMEOUT_SECONDS)
        connection.connect(socket_path)
        connection.sendall(b"zINSTREAM\0")
        with open(path, "rb") as source:
            while chunk := source.read(CHUNK):
                connection.sendall(struct.pack("!L", len(chunk)) + chunk)
        connection.sendall(struct.pack("!L", 0))
        reply = b""
        while not reply.endswith(b"\0") and (part := connection.recv(4096)):
            reply += part
    return reply.rstrip(b"\0").decode("utf-8", errors="replace").strip()
