"""DMN candidatures built through the services, and helpers completing their questionnaires."""

from django.utils import timezone

from assessments import services as assessment_services
from assessments.models import State
from assessments.selectors import applicable_items
from dmn import services
from dmn.models import Candidature, CandidatureLine, Capacity, Grouping
from questionnaires.models import ExpectedProof
from questionnaires.services import questionnaire_import
from tests.assessments.factories import fill
from tests.companies.factories import MembershipFactory
from tests.products.factories import ProductVersionFactory
from tests.proofs.factories import stored_proof
from tests.questionnaires.factories import DEFINITIONS_DIR

LINE_CODES = ["dmn_diabete", "dmn_renal", "dmn_respiratoire", "dmn_cardiaque", "dmn_protheses"]
DMN_CODES = ["dmn_referentiel", *LINE_CODES]
QUALIFIED = {"identite_externe": False, "ins_applicable": True, "etablissement_auto_hebergement": False}


def import_dmn() -> dict:
    return {
        code: questionnaire_import(path=DEFINITIONS_DIR / code / "v1.yaml", publish=True).version
        for code in DMN_CODES
    }


def operator(product_version=None):
    """A mandataire of the company of ``product_version`` (a new one by default)."""
    product_version = product_version or ProductVersionFactory()
    member = MembershipFactory(company=product_version.product.company, mandataire=True)
    return product_version, member.user


def file_candidatures(product_version, user, lines, grouping=Grouping.TOGETHER):
    return services.candidature_create(
        product_version=product_version,
        lines=lines,
        grouping=grouping,
        capacity=Capacity.OPERATOR,
        actor=user,
    )


def complete(assessment, user) -> None:
    """Answer every applicable item « vert » and deposit every required proof."""
    if assessment.questionnaire_version.qualification_questions.exists() and not assessment.qualification:
        assessment_services.qualification_save(assessment=assessment, answers=QUALIFIED, actor=user)
    fill(assessment, actor=user, level="vert", rule_level="vert")
    item_ids = [item["id"] for item in applicable_items(assessment)]
    for expected in ExpectedProof.objects.filter(item_id__in=item_ids, min_count__gte=1):
        stored_proof(assessment, expected)


def complete_candidature(candidature, user) -> None:
    for assessment in services.candidature_assessments(candidature):
        if assessment.is_editable:
            complete(assessment, user)


def candidature_of(referential, *, lines=(), state=State.IN_REVIEW) -> Candidature:
    """A candidature row around existing assessments (``lines``: (line, assessment) pairs), without the
    DMN questionnaires: for the tests walking every page; the real path is ``file_candidatures``."""
    candidature = Candidature.objects.create(
        product_version=referential.product_version,
        grouping=Grouping.TOGETHER,
        referential=referential,
        state=state,
        submitted_at=None if state == State.DRAFT else timezone.now(),
    )
    for line, assessment in lines:
        CandidatureLine.objects.create(candidature=candidature, line=line, assessment=assessment)
    return candidature
