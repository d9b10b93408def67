"""Verification codes: 80 random bits in base32, printed in groups of four (``ABCD-EFGH-IJKL-MNOP``)."""

import base64
import re
import secrets

CODE_BYTES = 10  # 80 bits of randomness
CODE_LENGTH = 16  # base32 of 10 bytes, no padding
CODE_GROUP = 4
CODE_PATTERN = re.compile(r"^[A-Z2-7]{16}$")
# Characters people mistype for base32 ones (base32 has neither 0, 1 nor 8).
LOOKALIKES = str.maketrans({"0": "O", "1": "I", "8": "B"})


def new_code() -> str:
    return base64.b32encode(secrets.token_bytes(CODE_BYTES)).decode()


def format_code(code: str) -> str:
    return "-".join(code[i : i + CODE_GROUP] for i in range(0, len(code), CODE_GROUP))


def normalise_code(text: str) -> str | None:
    """The stored form of a typed code (any case, dashes, spaces, look-alikes), or None if malformed."""
    code = re.sub(r"[\s\-‐-―.]", "", text or "").upper().translate(LOOKALIKES)
    return code if CODE_PATTERN.match(code) else None
