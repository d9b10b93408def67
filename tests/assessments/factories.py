"""Questionnaire versions built in the database (any size), and assessments brought to any state of
their lifecycle through the services: started, answered, submitted, taken, decided, as in production."""

import itertools
import random

import factory

from assessments import services
from assessments.models import Assessment, State
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
    applicability: dict[int, dict] | None = None,
) -> QuestionnaireVersion:
    """A questionnaire version with ``items`` items spread over ``sections`` sections.

    The first items are the ones the DMP profile rules read, then one item gated on the MSSanté
    qualification question, then numbered filler items (fewer than 6 items: the first rule items only). With
    ``per_section``, sections hold that many items each (the last one the rest) and ``sections`` is
    worked out from it. ``applicability`` ({item index: condition}) makes more items conditional on
    the qualification answers.
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
    for index, condition in (applicability or {}).items():
        specs[index] = (*specs[index][:3], condition)
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
# Qualification answers under which every item of ``questionnaire_version`` applies.
EVERY_ITEM = QUALIFIED | {"messagerie_mssante": True}


# The decisions a reviewer takes on an assessment in review, with the comment each needs.
DECISIONS = {
    State.VALIDATED: (services.assessment_validate, ""),
    State.CHANGES_REQUESTED: (services.assessment_request_changes, "Précisez A08.4.1."),
    State.REFUSED: (services.assessment_refuse, "Hors périmètre."),
}
MIXED_COMMENT = "Prévu au prochain trimestre."
NA_JUSTIFICATION = "Flux non géré par le produit."


class AssessmentFactory(factory.django.DjangoModelFactory):
    """Started through ``assessment_start`` (one answer row per item); traits bring it further through
    the services, each implying the previous ones:

    ``answered`` (qualification ``QUALIFIED`` unless given, answers by ``fill``), ``submitted`` (by
    ``actor`` or a new mandataire of the company: a frozen submission), ``in_review`` (taken by
    ``reviewer``, a new reviewer by default), then one decision: ``validated``, ``changes_requested``
    or ``refused`` (with ``comment``, or a default one where the decision needs one).

    Answers: ``level`` for every applicable item, ``rule_level`` for the items the profile rules
    read, ``levels`` ({item code: level}) for chosen items ("na" gets a justification); ``mixed``
    answers the other items with a seeded mix of levels, N/A and comments. ``items`` sizes the
    default questionnaire version.
    """

    class Meta:
        model = Assessment

    class Params:
        items = 12

    product_version = factory.SubFactory(ProductVersionFactory)
    questionnaire_version = factory.LazyAttribute(lambda o: questionnaire_version(items=o.items))
    qualification = None
    actor = None
    reviewer = None
    comment = None

    candidature = False  # a DMN questionnaire, answered inside a candidature (dmn app)
    answered = False
    submitted = False
    in_review = False
    validated = False
    changes_requested = False
    refused = False
    level = "jaune"
    rule_level = "vert"
    levels = None
    mixed = False

    @classmethod
    def _create(
        cls,
        model_class,
        *,
        product_version,
        questionnaire_version,
        qualification,
        actor,
        reviewer,
        comment,
        candidature,
        answered,
        submitted,
        in_review,
        level,
        rule_level,
        levels,
        mixed,
        **decisions,
    ):
        decided = [state for state in DECISIONS if decisions.pop(state)]
        if decisions:  # a state is reached through the traits, never written
            raise TypeError(f"AssessmentFactory sets no field directly: {sorted(decisions)}")
        assessment = services.assessment_start(
            product_version=product_version,
            questionnaire_version=questionnaire_version,
            actor=actor,
            candidature=candidature,
        )
        target = decided[0] if decided else State.IN_REVIEW if in_review else None
        target = target or (State.SUBMITTED if submitted else None)
        if qualification is not None or answered or target or mixed or levels is not None:
            services.qualification_save(
                assessment=assessment, answers=qualification or QUALIFIED, actor=actor
            )
        if answered or target or mixed or levels is not None:
            fill(assessment, actor=actor, level=level, rule_level=rule_level, levels=levels, mixed=mixed)
        if target:
            advance(assessment, to=target, actor=actor, reviewer=reviewer, comment=comment)
        _refresh(assessment)
        return assessment


def advance(assessment: Assessment, *, to: str, actor=None, reviewer=None, comment=None) -> Assessment:
    """Bring an answered assessment from its state to ``to`` through the services, as its company and
    a reviewer would: submitted by ``actor`` (a new mandataire of the company by default), taken by
    ``reviewer`` (the one who instructed it before, else a new one), then decided (``comment``, or a
    default one where the decision needs one)."""
    if assessment.state in (State.DRAFT, State.CHANGES_REQUESTED):
        services.assessment_submit(assessment=assessment, actor=actor or submitter_of(assessment))
    if to != State.SUBMITTED and assessment.state == State.SUBMITTED:
        reviewer = reviewer or assessment.reviewer or _reviewer()
        services.assessment_take(assessment=assessment, actor=reviewer)
    if to in DECISIONS:
        decide, default = DECISIONS[to]
        reviewer = reviewer or assessment.reviewer
        decide(assessment=assessment, actor=reviewer, comment=default if comment is None else comment)
    _refresh(assessment)
    assert assessment.state == to, (assessment.state, to)
    return assessment


def _refresh(assessment: Assessment) -> None:
    """Reload the assessment's own fields (profiles, dates…), keeping the related objects it holds."""
    assessment.refresh_from_db(
        fields=[field.attname for field in Assessment._meta.concrete_fields if not field.is_relation]
    )


def answer(assessment: Assessment, code: str, *, level: str, comment: str = "", actor=None) -> None:
    """Save one item's answer through ``answer_save``, as the questionnaire page does (N/A justified)."""
    from assessments.models import Answer

    revision = Answer.objects.get(assessment=assessment, item__code=code).revision
    justification = NA_JUSTIFICATION if level == "na" else ""
    services.answer_save(
        assessment=assessment,
        item_code=code,
        level=level,
        justification=justification,
        comment=comment,
        expected_revision=revision,
        actor=actor,
    )


def fill(
    assessment: Assessment,
    *,
    actor=None,
    level: str = "jaune",
    rule_level: str = "vert",
    levels: dict[str, str] | None = None,
    mixed: bool = False,
    seed: int = 3,
) -> None:
    """Answer every applicable item in one go (tests only: the services save one item at a time).

    ``levels`` ({item code: level}) wins over ``rule_level`` (the profile rules' items) and ``level``;
    with ``mixed``, the other items get a seeded mix of the four levels and N/A where the item allows
    it, and every item a seeded mix of comments. An N/A gets a justification.
    """
    from assessments.models import Answer
    from assessments.selectors import applicable_items

    rule_codes = {c for c, _, _ in RULE_ITEMS}
    levels = levels or {}
    rng = random.Random(seed)
    for item in applicable_items(assessment):
        chosen, comment = _level_for(item, level, rule_level, levels, rule_codes, rng if mixed else None)
        Answer.objects.filter(assessment=assessment, item_id=item["id"]).update(
            level=chosen,
            justification=NA_JUSTIFICATION if chosen == "na" else "",
            comment=comment,
            revision=1,
            updated_by=actor,
        )
    services.assessment_recompute_profiles(assessment=assessment)


def _level_for(item, level, rule_level, levels, rule_codes, rng) -> tuple[str, str]:
    code = item["code"]
    comment = rng.choice(["", MIXED_COMMENT]) if rng else ""
    if code in levels:
        return levels[code], comment
    if code in rule_codes:
        return rule_level, comment
    if rng is None:
        return level, comment
    choices = ["rouge", "orange", "jaune", "vert"] + (["na"] if item["na_allowed"] else [])
    return rng.choice(choices), comment


def submitter_of(assessment: Assessment):
    """A new mandataire of the assessment's company: someone whose role may submit it."""
    from tests.companies.factories import MembershipFactory

    company = assessment.product_version.product.company
    return MembershipFactory(company=company, mandataire=True).user


def _reviewer():
    from tests.companies.factories import UserFactory

    return UserFactory(reviewer=True)
