"""Text an operation accepts: only what PostgreSQL can store, refused with a 422 otherwise (a NUL
character or a lone UTF-16 surrogate would reach the database and fail there, as a 500)."""

from typing import Annotated

from pydantic import AfterValidator

from assessments.services import storable_text

UNSTORABLE = "Le texte contient un caractère interdit (caractère nul ou demi-paire de substitution UTF-16)."


def _storable(value: str) -> str:
    if not storable_text(value):
        raise ValueError(UNSTORABLE)
    return value


Text = Annotated[str, AfterValidator(_storable)]
