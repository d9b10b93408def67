import re

import pytest

from companies.identifiers import IDENTIFIER_INVALID, SIREN_INVALID, SIRET_INVALID, luhn_valid, siren_from


@pytest.mark.parametrize("siren", ["732829320", "552100554", "443061841"])
def test_real_sirens_pass_luhn(siren):
    assert luhn_valid(siren)
    assert siren_from(siren) == siren


def test_spaces_are_ignored():
    assert siren_from(" 732 829 320 ") == "732829320"


def test_siret_gives_its_siren():
    assert siren_from("732 829 320 00074") == "732829320"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("732829321", SIREN_INVALID),
        ("73282932000075", SIRET_INVALID),
        ("12345", IDENTIFIER_INVALID),
        ("ABCDEFGHI", IDENTIFIER_INVALID),
        ("", IDENTIFIER_INVALID),
    ],
)
def test_bad_identifiers_are_refused_with_a_french_message(value, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        siren_from(value)


def test_siret_with_valid_key_but_bad_siren_is_refused():
    # A 14-digit number passing Luhn whose first 9 digits do not.
    siret = next(f"1234567800{n:04d}" for n in range(10000) if luhn_valid(f"1234567800{n:04d}"))
    assert not luhn_valid(siret[:9])
    with pytest.raises(ValueError, match=SIREN_INVALID):
        siren_from(siret)


@pytest.mark.parametrize(
    "value",
    [
        "７３２８２９３２０",  # fullwidth digits: str.isdigit() and int() accept them
        "７３２８２９３２００００７４",  # the SIRET 732 829 320 00074
        "٧٣٢٨٢٩٣٢٠",  # Arabic-Indic digits
        "73282932０",
        "²32829320",  # superscript two: isdigit() is true, int() fails
    ],
)
def test_only_ascii_digits_make_an_identifier(value):
    with pytest.raises(ValueError, match=re.escape(IDENTIFIER_INVALID)):
        siren_from(value)
