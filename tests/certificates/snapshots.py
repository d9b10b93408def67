"""Realistic snapshots built from plain data, for rendering tests and the benchmark.

The design point of certificates is that a PDF is rendered from its snapshot alone, so most of the
rendering is tested without any database row; ``certificate_from_snapshot`` stores one as a
certificate row for the tests of rendering, workers and commands.
"""

import random

from certificates.snapshot import ATTESTATION, NA, RAPPORT, build_snapshot, section_entry

LEVELS = [
    {"code": "rouge", "label": "Non implémenté", "colour": "#CE0500"},
    {"code": "orange", "label": "Prévu ou non standard", "colour": "#FC5D00"},
    {"code": "jaune", "label": "Partiellement conforme", "colour": "#FCC63A"},
    {"code": "vert", "label": "Conforme au volet", "colour": "#18753C"},
]
SECTIONS = [
    ("A08.3", "Connexion et transport"),
    ("A08.4", "Implémentation interopérable des services"),
    ("A08.5", "Documents de santé et structuration minimale"),
    ("A08.6", "Identifiant national de santé (INS)"),
    ("A08.7", "Traçabilité et notification d'événements"),
    ("A08.8", "Messagerie sécurisée de santé (MSSanté)"),
    ("A08.9", "Compte rendu d'examens de biologie"),
    ("A08.10", "Guides d'implémentation FHIR"),
]
SUBJECTS = [
    "la connexion synchrone avec les autres systèmes d'information",
    "le service de partage de documents de santé (IHE XDS)",
    "la gestion du dossier partagé du patient",
    "la production de documents CDA en structuration minimale",
    "la consommation de documents CDA en structuration minimale",
    "l'échange de documents par messagerie sécurisée de santé",
    "la notification d'événements au patient",
    "la recherche de l'identité INS par le téléservice INSi",
    "le transport REST sécurisé par Pro Santé Connect",
    "la lettre de liaison à la sortie d'hospitalisation",
]
PROFILES = {
    "administration": {
        "label": "Administration",
        "reached": False,
        "missing": ["Le produit n'est pas une infrastructure de partage de documents de santé."],
        "met": 1,
        "total": 2,
    },
    "alimentation": {"label": "Alimentation", "reached": True, "missing": [], "met": 4, "total": 4},
    "consultation": {
        "label": "Consultation",
        "reached": False,
        "missing": ["A08.5.23 est au niveau orange ; il faut au moins jaune."],
        "met": 3,
        "total": 4,
    },
}


def answers_for(section_code: str, count: int, rng: random.Random) -> list[dict]:
    answers = []
    for index in range(1, count + 1):
        level = rng.choice(["rouge", "orange", "jaune", "vert", "vert", "vert", NA, ""])
        answers.append(
            {
                "code": f"{section_code}.{index}",
                "title": f"Le produit met en œuvre {rng.choice(SUBJECTS)} conformément au volet du CI-SIS.",
                "level": level,
                "comment": rng.choice(["", "", "Mise en œuvre prévue dans la prochaine version majeure."]),
                "justification": "Cas d'usage non couvert par le produit, qui ne gère pas ce flux."
                if level == NA
                else "",
            }
        )
    return answers


def make_snapshot(
    *,
    kind: str = ATTESTATION,
    items: int = 300,
    sections: int = 8,
    draft: bool = False,
    product: str = "Dossier Patient Horizon Windows Site Web",
    seed: int = 7,
) -> dict:
    rng = random.Random(seed)
    level_codes = [level["code"] for level in LEVELS]
    per_section, extra = divmod(items, sections)
    section_entries = []
    for index in range(sections):
        code, title = SECTIONS[index % len(SECTIONS)]
        code = code if index < len(SECTIONS) else f"{code}.{index}"
        answers = answers_for(code, per_section + (1 if index < extra else 0), rng)
        section = {"code": code, "title": title}
        section_entries.append(
            section_entry(
                section=section, answers=answers, level_codes=level_codes, with_items=kind == RAPPORT
            )
        )
    return build_snapshot(
        kind=kind,
        draft=draft,
        company={"name": "Éditions Médicales de l'Ouest", "siren": "732829320"},
        product={"display_name": product, "commercial_name": "Horizon"},
        version={"label": "2026.2"},
        questionnaire={"code": "A08", "title": "Interopérabilité", "version": 1},
        levels=LEVELS,
        profiles=PROFILES,
        sections=section_entries,
        validated_at=None if draft else "2026-11-20T10:30:00+01:00",
        issued_at="2026-11-21T09:00:00+01:00",
    )


def certificate_from_snapshot(*, assessment=None, snapshot: dict | None = None, **fields):
    """For rendering, worker and command tests only: a certificate row holding a hand-made snapshot
    (``make_snapshot()`` by default), of ``assessment`` (a new validated one by default), with no
    event logged. A certificate of an assessment's real content comes from
    ``certificates.services.certificate_request``."""
    from certificates.models import Certificate
    from certificates.snapshot import snapshot_sha256
    from tests.assessments.factories import AssessmentFactory

    assessment = assessment or AssessmentFactory(validated=True)
    snapshot = snapshot or make_snapshot()
    defaults = {
        "kind": snapshot["kind"],
        "company": assessment.product_version.product.company,
        "assessment": assessment,
        "snapshot": snapshot,
        "snapshot_sha256": snapshot_sha256(snapshot),
        "template_version": "2026.1",
    }
    return Certificate.objects.create(**{**defaults, **fields})


# A certificate of conformity (DMN): plain data as ``dmn.certification`` gives it.
DMN_LINES = [
    ("diabete", "Diabète"),
    ("renal", "Insuffisance rénale chronique"),
    ("respiratoire", "Insuffisance respiratoire chronique"),
    ("cardiaque", "Insuffisance cardiaque chronique"),
    ("protheses", "Prothèses cardiaques implantables"),
]


def conformity_content(lines: int = 2) -> dict:
    """The keyword arguments of ``conformity_snapshot`` for a device certified for ``lines`` lines."""
    return {
        "company": {"name": "Télésuivi Santé Atlantique", "siren": "732829320"},
        "capacity": "Exploitant du dispositif",
        "product": {"display_name": "Glyco Suivi Android Mobile", "commercial_name": "GlycoSuivi"},
        "version": {"label": "3.1"},
        "referential": {
            "code": "dmn_referentiel",
            "title": "Référentiel d'interopérabilité et de sécurité des DMN",
            "version": 1,
            "requirements": 42,
            "not_applicable": 3,
        },
        "lines": [
            {
                "code": code,
                "label": label,
                "questionnaire": {
                    "code": f"dmn_{code}",
                    "title": f"Spécifications techniques — {label}",
                    "version": 1,
                    "requirements": 4,
                    "not_applicable": 0,
                },
            }
            for code, label in DMN_LINES[:lines]
        ],
        "validated_at": "2026-11-20T10:30:00+01:00",
    }
