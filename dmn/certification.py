"""The certificate of conformity of a validated candidature: what it states, frozen from the submitted
questionnaires, and the certificates of a candidature.

``certificates`` knows nothing of candidatures (it sits below this app): this module gathers the
plain data a certificate states and hands it to ``certificates.services.certificate_certify``, naming
the candidature by its public id (``Certificate.procedure_ref``). The certificate anchors on the
candidature's referential assessment (its company, product and access rules), which the candidatures
of one version filed one per line share; the procedure reference tells their certificates apart and
keeps one live certificate per candidature.
"""

from django.core.exceptions import ValidationError

from assessments.models import Assessment, State, Submission
from certificates.models import Certificate
from certificates.services import certificate_certify
from certificates.snapshot import NOT_FROZEN, requirement_counts
from dmn.models import Candidature, CandidatureLine, DeviceCapacity, Line

NOT_VALIDATED = "Seule une candidature validée reçoit un certificat de conformité."


def candidature_certify(*, candidature: Candidature, actor) -> Certificate:
    """Issue (on commit, rendered by the worker) the one certificate of conformity of ``candidature``,
    validated, covering all its lines; the live one when it already has it (idempotent).

    Raises ``ValidationError`` unless the candidature and every one of its questionnaires are
    validated: a partly validated candidature gets nothing. A constant number of queries (5 lines
    at most)."""
    if candidature.state != State.VALIDATED:
        raise ValidationError(NOT_VALIDATED)
    rows = list(
        CandidatureLine.objects.filter(candidature=candidature).select_related(
            "assessment__questionnaire_version__questionnaire"
        )
    )
    referential = Assessment.objects.select_related("product_version__product").get(
        pk=candidature.referential_id
    )
    assessments = [referential, *(row.assessment for row in rows)]
    return certificate_certify(
        assessments=assessments,
        procedure_ref=candidature.public_id,
        content=certificate_content(candidature=candidature, referential=referential, rows=rows),
        actor=actor,
    )


def certificate_content(*, candidature: Candidature, referential: Assessment, rows) -> dict:
    """The keyword arguments of ``certificates.snapshot.conformity_snapshot``: the company, product,
    version and questionnaires as the vendor submitted them (each assessment's latest frozen
    submission, never the rows it can still rename), lines in the order of ``Line``, the reviewer's
    decision date."""
    submissions = _latest_submissions([referential.pk, *(row.assessment_id for row in rows)])
    frozen = submissions[referential.pk]
    identity = frozen.identity
    capacity = DeviceCapacity.objects.filter(product_id=referential.product_version.product_id).first()
    order = list(Line.values)
    lines = sorted(rows, key=lambda row: order.index(row.line))
    return {
        "company": identity["company"],
        "capacity": capacity.get_capacity_display() if capacity else "",
        "product": identity["product"],
        "version": identity["version"],
        "referential": _questionnaire(frozen),
        "lines": [
            {
                "code": row.line,
                "label": Line(row.line).label,
                "questionnaire": _questionnaire(submissions[row.assessment_id]),
            }
            for row in lines
        ],
        "validated_at": candidature.decided_at.isoformat(),
    }


def _latest_submissions(assessment_ids: list[int]) -> dict[int, Submission]:
    """The latest frozen submission of each assessment (one query); ``NOT_FROZEN`` when one lacks it."""
    latest = {
        submission.assessment_id: submission
        for submission in Submission.objects.filter(assessment_id__in=assessment_ids)
        .order_by("assessment_id", "-number")
        .distinct("assessment_id")
    }
    if any(not (submission := latest.get(pk)) or not submission.identity for pk in assessment_ids):
        raise ValidationError(NOT_FROZEN)
    return latest


def _questionnaire(submission: Submission) -> dict:
    return submission.identity["questionnaire"] | requirement_counts(submission.answers)


def candidature_certificates(candidature: Candidature) -> list[Certificate]:
    """The certificates of conformity issued for the candidature, newest first, revoked ones
    included (the candidature's pages show them with their state); failed renders left out."""
    return list(
        Certificate.objects.filter(procedure_ref=candidature.public_id)
        .select_related("assessment")
        .exclude(status=Certificate.Status.FAILED)
        .order_by("-created_at", "-pk")
    )
