"""French company identifiers: SIREN (9 digits) and SIRET (14 digits), both with a Luhn key."""

SIREN_INVALID = "Le SIREN doit comporter 9 chiffres et sa clé de contrôle doit être valide."
SIRET_INVALID = "Le SIRET doit comporter 14 chiffres et sa clé de contrôle doit être valide."
IDENTIFIER_INVALID = "Saisissez un SIREN (9 chiffres) ou un SIRET (14 chiffres)."

# La Poste's establishments share one SIREN and use a digit sum instead of the Luhn key.
LA_POSTE_SIREN = "356000000"


def luhn_valid(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char) * (2 if index % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def _digits(value: str) -> str:
    return "".join(value.split()).replace(".", "").replace("-", "")


def siren_from(value: str) -> str:
    """The SIREN given by a typed SIREN or SIRET (spaces allowed); ``ValueError`` with a French message."""
    digits = _digits(value or "")
    # ASCII only: str.isdigit() also accepts fullwidth or Arabic-Indic digits, which int() reads but
    # the database constraint (and every register of companies) refuses.
    if not (digits.isascii() and digits.isdigit()) or len(digits) not in (9, 14):
        raise ValueError(IDENTIFIER_INVALID)
    if len(digits) == 14:
        if not (luhn_valid(digits) or (digits.startswith(LA_POSTE_SIREN) and sum(map(int, digits)) % 5 == 0)):
            raise ValueError(SIRET_INVALID)
        digits = digits[:9]
    if not luhn_valid(digits):
        raise ValueError(SIREN_INVALID)
    return digits
