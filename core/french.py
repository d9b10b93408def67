"""French typography helpers with no domain words."""

import unicodedata

# Words whose initial h is aspirated: no elision before them ("de Hongrie", "de HAUT"...).
ASPIRATED_H = frozenset(
    {
        "hache", "haie", "hall", "halte", "hameau", "hamac", "hanche", "handicap", "hangar", "hardi",
        "harpe", "hasard", "haut", "haute", "hauteur", "havre", "hérisson", "héros", "hêtre", "hibou",
        "hockey", "hollande", "homard", "hongrie", "honte", "hors", "housse", "huit", "hutte",
    }
)  # fmt: skip
VOWELS = frozenset("aeiou")


def elides(word: str) -> bool:
    """Whether "de", "le", "que"... elide before ``word``: it starts with a vowel or a mute h."""
    letters = unicodedata.normalize("NFKD", word.strip()).encode("ascii", "ignore").decode().lower()
    if not letters:
        return False
    if letters[0] == "h":
        first_word = "".join(c for c in letters.split()[0] if c.isalpha())
        return len(first_word) > 1 and first_word[1] in VOWELS and first_word not in ASPIRATED_H
    return letters[0] in VOWELS


def de(name: str) -> str:
    """ "de" and ``name``, elided when it must be: « d'Agenda », « d'Hôpital Net », « de Convergence »."""
    name = str(name).strip()
    return f"d'{name}" if elides(name) else f"de {name}"
