"""Questionnaire versions built in the database (any size) and assessments started through the services."""

import itertools

import factory

from assessments import services
from assessments.models import Assessment
from questionnaires.models import (
    Item,
    Level,
    QualificationQuestion,
    Questionnaire,
    QuestionnaireVersion,
    Section,
)
from questionnaires.services import questionnaire_version_publish
from tests.products.factories import ProductVersionFactory

LEVELS = [
    ("rouge", "Non implémenté", "#CE0500"),
    ("orange", "Prévu ou non standard", "#E4794A"),
    ("jaune", "Partiellement conforme", "#C3992A"),
    ("vert", "Conforme au volet du CI-SIS", "#18753C"),
]
QUESTIONS = [
    ("infra_partage", "Le produit est-il une infrastructure de partage de documents de santé ?"),
    (
        "interagit_partage",
        "Le produit interagit-il avec une infrastructure de partage de documents de santé ?",
    ),
    (
        "connecteur_tiers",
        "Le produit est-il un connecteur qui transmet seulement des documents d'autres logiciels ?",
    ),
    ("messagerie_mssante", "Le produit échange-t-il des documents par messagerie sécurisée de santé ?"),
]
# The items the profile rules read, always in the first section (A08.3.1, A08.4.1, A08.4.3 refuse N/A).
RULE_ITEMS = [
    ("A08.3.1", "Connexion synchrone avec d'autres systèmes d'information", False),
    ("A08.4.1", "Mise en œuvre interopérable du service de partage de documents de santé", False),
    ("A08.4.3", "Mise en œuvre interopérable du service de gestion des dossiers partagés", False),
    ("A08.5.01", "Production de documents CDA — structuration minimale", True),
    ("A08.5.23", "Consommation de documents CDA — structuration minimale", True),
]
GATED_ITEM = "A08.4.2"  # applies only when the product uses MSSanté
PROFILE_RULES = {
    "administration": {
        "label": "Administration",
        "rule": {"all": [{"qualification": "infra_partage"}, {"item": "A08.4.3", "at_least": "vert"}]},
    },
    "alimentation": {
        "label": "Alimentation",
        "rule": {
            "all": [
                {"qualification": "interagit_partage"},
                {"item": "A08.3.1", "at_least": "vert"},
                {"item": "A08.4.1", "at_least": "vert"},
                {"any": [{"qualification": "connecteur_tiers"}, {"item": "A08.5.01", "at_least": "vert"}]},
            ]
        },
    },
    "consultation": {
        "label": "Consultation",
        "rule": {
            "all": [
                {"qualification": "interagit_partage"},
                {"item": "A08.3.1", "at_least": "vert"},
                {"item": "A08.4.1", "at_least": "vert"},
                {"item": "A08.5.23", "at_least": "jaune"},
            ]
        },
    },
}
_numbers = itertools.count(1)


def questionnaire_version(
    *,
    items: int = 12,
    sections: int = 3,
    per_section: int | None = None,
    publish: bool = True,
    code: str = "",
) -> QuestionnaireVersion:
    """A questionnaire version with ``items`` items spread over ``sections`` sections.

    The first items are the ones the DMP profile rules read, then one item gated on the MSSanté
    qualification question, then numbered filler items (fewer than 6 items: the first rule items only). With
    ``per_section``, sections hold that many items each (the last one the rest) and ``sections`` is
    worked out from it.
    """
    code = code or f"interop-{next(_numbers)}"
    questionnaire = Questionnaire.objects.create(
        code=code, title=f"Interopérabilité {code}", theme="interoperabilite"
    )
    version = QuestionnaireVersion.objects.create(
        questionnaire=questionnaire, number=1, checksum="0" * 64, profile_rules=PROFILE_RULES
    )
    Level.objects.bulk_create(
        Level(version=version, code=c, label=label, colour=colour, rank=rank)
        for rank, (c, label, colour) in enumerate(LEVELS)
    )
    QualificationQuestion.objects.bulk_create(
        QualificationQuestion(version=version, code=c, text=text, order=order)
        for order, (c, text) in enumerate(QUESTIONS)
    )
    specs = [(c, title, na, None) for c, title, na in RULE_ITEMS]
    specs.append(
        (
            GATED_ITEM,
            "Échange de documents par messagerie sécurisée",
            True,
            {"qualification": "messagerie_mssante"},
        )
    )
    specs += [
        (f"X.{n:03d}", f"Exigence complémentaire {n}", True, None) for n in range(1, items - len(specs) + 1)
    ]
    specs = specs[:items]
    if per_section:
        sections = -(-len(specs) // per_section)
    per_section = per_section or -(-len(specs) // sections)
    section_rows = Section.objects.bulk_create(
        Section(version=version, code=f"S{index + 1}", title=f"Section {index + 1}", order=index)
        for index in range(sections)
    )
    Item.objects.bulk_create(
        Item(
            version=version,
            section=section_rows[min(index // per_section, sections - 1)],
            code=c,
            title=title,
            help_text=f"Aide de l'exigence {c}.",
            reference="CI-SIS",
            order=index,
            na_allowed=na,
            level_descriptions={"rouge": "Rien n'est fait.", "vert": "Conforme au volet."},
            applicability=applicability,
        )
        for index, (c, title, na, applicability) in enumerate(specs)
    )
    if publish:
        questionnaire_version_publish(version=version)
    return version


# Answered by a sworn declaration (an N/A with text, name, role and date) unless the product uses
# MSSanté: under QUALIFIED, a declaration is expected.
DECLARATION_ITEM = "X.001"


def declaration_questionnaire_version(**kwargs) -> QuestionnaireVersion:
    """``questionnaire_version`` whose ``DECLARATION_ITEM`` is answered by a sworn declaration."""
    version = questionnaire_version(publish=False, **kwargs)
    Item.objects.filter(version=version, code=DECLARATION_ITEM).update(
        declaration_condition={"not": {"qualification": "messagerie_mssante"}}
    )
    return questionnaire_version_publish(version=version)


QUALIFIED = {
    "infra_partage": False,
    "interagit_partage": True,
    "connecteur_tiers": False,
    "messagerie_mssante": False,
}


class AssessmentFactory(factory.django.DjangoModelFactory):
    """Started through ``assessment_start`` (one answer row per item); traits fill and submit it."""

    class Meta:
        model = Assessment

    product_version = factory.SubFactory(ProductVersionFactory)
    questionnaire_version = factory.LazyFunction(questionnaire_version)
    qualification = None
    actor = None

    candidature = False  # a DMN questionnaire, answered inside a candidature (dmn app)
    answered = False  # every applicable item answered "jaune" (vert for the rule items)
    submitted = False  # answered, then submitted by a mandataire of the company

    @classmethod
    def _create(
        cls,
        model_class,
        *,
        product_version,
        questionnaire_version,
        qualification,
        actor,
        answered,
        candidature=False,
        submitted=False,
        **kwargs,
    ):
        assessment = services.assessment_start(
            product_version=product_version,
            questionnaire_version=questionnaire_version,
            actor=actor,
            candidature=candidature,
        )
        answered = answered or submitted
        if qualification is not None or answered:
            services.qualification_save(
                assessment=assessment, answers=qualification or QUALIFIED, actor=actor
            )
        if answered:
            fill(assessment, actor=actor)
        if submitted:
            submitter = actor or _submitter(assessment)
            services.assessment_submit(assessment=assessment, actor=submitter)
        return assessment


def fill(assessment: Assessment, *, actor=None, level: str = "jaune", rule_level: str = "vert") -> None:
    """Answer every applicable item in one go (tests only: the services save one item at a time)."""
    from assessments.models import Answer
    from assessments.selectors import applicable_items

    rule_codes = {c for c, _, _ in RULE_ITEMS}
    for item in applicable_items(assessment):
        Answer.objects.filter(assessment=assessment, item_id=item["id"]).update(
            level=rule_level if item["code"] in rule_codes else level, revision=1, updated_by=actor
        )
    services.assessment_recompute_profiles(assessment=assessment)


def _submitter(assessment: Assessment):
    from tests.companies.factories import MembershipFactory

    company = assessment.product_version.product.company
    return MembershipFactory(company=company, mandataire=True).user
