"""Development-only demo assessments, made through the real services and workflow.

Per demo company: a complete, submitted assessment and a half-filled draft; for Alpha also a
validated one (taken and validated by the demo reviewer, so the attestation demo has something to
certify) and one resubmitted after a request for changes (two submissions to compare on the product
page). Idempotent: a product version that already has an assessment of the questionnaire is skipped.
"""

import hashlib

from accounts.demo import REVIEWER_EMAIL
from accounts.models import User
from assessments import services
from assessments.models import Assessment
from assessments.selectors import applicable_items, assessment_document, structure
from products.demo import demo_version
from questionnaires.models import NA_LEVEL, QuestionnaireVersion
from questionnaires.selectors import published_version

QUESTIONNAIRE = "interoperabilite"
ALPHA, BETA = "901234567", "902345677"
DOSSIER = ("Dossier Patient Ville", "linux", "site_web")
AGENDA = ("Agenda Santé", "android", "mobile")
PASSERELLE = ("Passerelle Documents", "windows", "site_web")
BIO = ("BioCompte", "linux", "site_web")
PORTAIL = ("Portail Patient", "linux", "site_web")
# Every DMP-profile item at "vert" (A08.5.23 at least "jaune"): Alimentation and Consultation reached.
PROFILE_LEVELS = {"A08.3.1": "vert", "A08.4.1": "vert", "A08.5.01": "vert", "A08.5.23": "vert"}
NA_JUSTIFICATION = "Le produit n'offre pas cette fonction ; le cas d'usage n'est pas couvert par notre offre."
CHANGES_COMMENT = "Merci de préciser la mise en œuvre de la consultation des documents CDA (A08.5.23)."

# (company siren, product, version label, what to do)
PLAN = [
    (ALPHA, DOSSIER, "4.2", "validated"),
    (ALPHA, DOSSIER, "5.0", "resubmitted"),
    (ALPHA, AGENDA, "2.1", "draft"),
    (ALPHA, PASSERELLE, "1.0", "submitted"),
    (BETA, BIO, "3.4", "submitted"),
    (BETA, PORTAIL, "2.0", "draft"),
]


def load(stdout) -> list[tuple[str, str]]:
    try:
        questionnaire = published_version(QUESTIONNAIRE)
    except QuestionnaireVersion.DoesNotExist:
        return []
    reviewer = User.objects.filter(email=REVIEWER_EMAIL).first()
    for siren, product, label, outcome in PLAN:
        version = demo_version(siren, *product, label)
        if version is None or Assessment.objects.filter(product_version=version).exists():
            continue
        domain = "alpha" if siren == ALPHA else "beta"
        people = {
            role: User.objects.get(email=f"{role}@{domain}.example") for role in ("mandataire", "salarie")
        }
        _make(
            version, questionnaire, outcome, people=people, reviewer=reviewer, connector=product == PASSERELLE
        )
        stdout.write(f"Évaluation de démonstration : {version.product.display_name} {label} ({outcome}).")
    return []


def _make(version, questionnaire, outcome, *, people, reviewer, connector: bool) -> Assessment:
    assessment = services.assessment_start(
        product_version=version, questionnaire_version=questionnaire, actor=people["salarie"]
    )
    qualification = _qualification(structure(questionnaire.pk), connector=connector)
    services.qualification_save(assessment=assessment, answers=qualification, actor=people["salarie"])
    share = 0.5 if outcome == "draft" else 1.0
    document = assessment_document(assessment) | {"answers": _answers(assessment, share=share)}
    services.assessment_import(assessment=assessment, document=document, actor=people["salarie"])
    if outcome == "draft":
        return assessment
    services.assessment_submit(assessment=assessment, actor=people["mandataire"])
    if outcome == "submitted" or reviewer is None:
        return assessment
    services.assessment_take(assessment=assessment, actor=reviewer)
    if outcome == "validated":
        return services.assessment_validate(assessment=assessment, actor=reviewer)
    services.assessment_request_changes(assessment=assessment, actor=reviewer, comment=CHANGES_COMMENT)
    answer = assessment.answers.get(item__code="A08.5.23")
    services.answer_save(
        assessment=assessment,
        item_code="A08.5.23",
        level="jaune",
        comment="Lecture et affichage des documents CDA ; l'intégration des données structurées est prévue.",
        expected_revision=answer.revision,
        actor=people["salarie"],
    )
    return services.assessment_submit(assessment=assessment, actor=people["mandataire"])


def _qualification(struct, *, connector: bool) -> dict:
    answers = {}
    for question in struct.questions:
        if question["kind"] == "choice":
            answers[question["code"]] = question["choices"][0]
        else:
            answers[question["code"]] = question["code"] in {"interagit_partage", "messagerie_mssante"}
    if "connecteur_tiers" in answers:
        answers["connecteur_tiers"] = connector
    return answers


def _answers(assessment, *, share: float) -> dict:
    """Plausible, deterministic answers: a stable hash of each code picks its level."""
    struct = structure(assessment.questionnaire_version_id)
    levels = [level["code"] for level in struct.levels]
    items = applicable_items(assessment)
    answers = {}
    for item in items[: round(len(items) * share)]:
        code = item["code"]
        if code in PROFILE_LEVELS:
            answers[code] = {"level": PROFILE_LEVELS[code]}
            continue
        draw = hashlib.sha256(code.encode()).digest()[0]
        if item["na_allowed"] and draw < 20:
            answers[code] = {"level": NA_LEVEL, "justification": NA_JUSTIFICATION}
        else:
            answers[code] = {"level": levels[min(len(levels) - 1, draw * len(levels) // 200)]}
    return answers
