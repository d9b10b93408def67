"""The certificate of conformity of a DMN candidature: one per validated candidature covering all its
lines, frozen from the submitted questionnaires, never a self-assessment attestation."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from assessments.models import Assessment, State
from assessments.workflow import REVIEW_WITH_CANDIDATURE
from certificates import rendering
from certificates import services as certificate_services
from certificates.models import Certificate
from dmn import services
from dmn.certification import NOT_VALIDATED, candidature_certificates, candidature_certify
from dmn.models import Candidature, Grouping, Line
from instruction.services import assessment_decide
from tests.accounts.factories import UserFactory
from tests.certificates.test_rendering import flat, pdf_text
from tests.dmn.certify import TWO_LINES, validated_candidatures
from tests.dmn.factories import complete_candidature, file_candidatures, import_dmn, operator
from tests.html_checker import nu_errors, require_checker

pytestmark = pytest.mark.django_db

SECRET = "Réponse confidentielle de l'exploitant"
CODE = "ABCDEFGHIJKLMNOP"


@pytest.fixture(autouse=True)
def dmn_questionnaires(db):
    return import_dmn()


def test_validation_issues_one_certificate_stating_both_lines(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        (candidature,), reviewer = validated_candidatures(TWO_LINES, comment=SECRET)
    (certificate,) = Certificate.objects.all()
    assert candidature_certificates(candidature) == [certificate]
    assert (
        certificate.kind == Certificate.Kind.CONFORMITE and certificate.status == Certificate.Status.PENDING
    )
    assert certificate.procedure_ref == candidature.public_id
    assert certificate.assessment_id == candidature.referential_id
    assert certificate.requested_by == reviewer
    assert len(callbacks) >= 1  # the render is enqueued once the decision commits
    snapshot = certificate.snapshot
    product_version = candidature.product_version
    assert snapshot["company"]["name"] == product_version.product.company.name
    assert snapshot["product"]["display_name"] == product_version.product.display_name
    assert snapshot["version"] == {"label": product_version.label}
    assert snapshot["capacity"] == "Exploitant du dispositif"
    assert (
        snapshot["questionnaire"]["code"] == "dmn_referentiel" and snapshot["questionnaire"]["version"] == 1
    )
    assert [line["label"] for line in snapshot["lines"]] == ["Diabète", "Insuffisance cardiaque chronique"]
    assert [line["questionnaire"]["title"] for line in snapshot["lines"]] == [
        "Spécifications techniques — Diabète",
        "Spécifications techniques — Insuffisance cardiaque chronique",
    ]
    assert all(line["questionnaire"]["requirements"] >= 1 for line in snapshot["lines"])
    assert snapshot["validated_at"] == candidature.decided_at.isoformat()
    assert snapshot["profiles"] == {}
    assert SECRET not in json.dumps(snapshot, ensure_ascii=False)


def test_the_snapshot_states_what_was_submitted_not_later_renames():
    (candidature,), _reviewer = validated_candidatures([Line.DIABETE])
    product = candidature.product_version.product
    submitted_name = product.display_name
    (certificate,) = candidature_certificates(candidature)
    product.name = "Nom changé après coup"
    product.save()
    content = candidature_certify(candidature=candidature, actor=None)
    assert content == certificate  # idempotent: the live certificate, unchanged
    assert certificate.snapshot["product"]["display_name"] == submitted_name


def test_the_pdf_lists_every_certified_line_without_internal_codes():
    (candidature,), _reviewer = validated_candidatures(TWO_LINES, comment=SECRET)
    (certificate,) = candidature_certificates(candidature)
    text = flat(" ".join(pdf_text(rendering.render_pdf(certificate.snapshot, CODE))))
    assert "Certificat de conformité" in text
    assert "Diabète" in text and "Insuffisance cardiaque chronique" in text
    assert "Spécifications techniques — Diabète, version 1" in text
    assert "Spécifications techniques — Insuffisance cardiaque chronique, version 1" in text
    assert candidature.product_version.product.display_name in text
    assert "Exploitant du dispositif" in text
    assert "ABCD-EFGH-IJKL-MNOP" in text
    assert "Lignes génériques certifiées (2)" in text
    for internal in ("dmn_referentiel", "dmn_diabete", "dmn_cardiaque", "diabete"):
        assert internal not in text
    assert SECRET not in text


def test_one_certificate_per_candidature_when_filed_per_line():
    (diabetes, heart), _reviewer = validated_candidatures(TWO_LINES, Grouping.PER_LINE)
    (first,) = candidature_certificates(diabetes)
    (second,) = candidature_certificates(heart)
    assert [line["label"] for line in first.snapshot["lines"]] == ["Diabète"]
    assert [line["label"] for line in second.snapshot["lines"]] == ["Insuffisance cardiaque chronique"]
    # Both anchor on the referential the two candidatures share, told apart by their procedure.
    assert first.assessment_id == second.assessment_id == diabetes.referential_id
    assert Certificate.objects.count() == 2


def test_one_live_certificate_per_candidature():
    (candidature,), reviewer = validated_candidatures([Line.DIABETE])
    (certificate,) = candidature_certificates(candidature)
    assert candidature_certify(candidature=candidature, actor=reviewer) == certificate
    with pytest.raises(IntegrityError), transaction.atomic():
        Certificate.objects.create(
            kind=Certificate.Kind.CONFORMITE,
            company=certificate.company,
            assessment=certificate.assessment,
            procedure_ref=candidature.public_id,
            snapshot=certificate.snapshot,
            snapshot_sha256="0" * 64,
            template_version="autre",
        )


def test_validating_the_dmn_questionnaires_issues_no_attestation():
    (candidature,), reviewer = validated_candidatures(TWO_LINES)
    assert not Certificate.objects.filter(kind=Certificate.Kind.ATTESTATION).exists()
    for assessment in services.candidature_assessments(candidature):
        assert assessment.state == State.VALIDATED
        with pytest.raises(ValidationError) as refused:
            certificate_services.certificate_request(
                assessment=assessment, kind=Certificate.Kind.ATTESTATION, actor=reviewer
            )
        assert refused.value.messages == [certificate_services.NOT_A_SELF_ASSESSMENT]
    with pytest.raises(ValidationError) as refused:
        certificate_services.certificate_request(
            assessment=Assessment.objects.get(pk=candidature.referential_id),
            kind=Certificate.Kind.CONFORMITE,
            actor=reviewer,
        )
    assert refused.value.messages == [certificate_services.CONFORMITY_BY_PROCEDURE]


def test_a_dmn_questionnaire_is_not_decided_through_the_self_assessment_review():
    product_version, user = operator()
    (candidature,) = file_candidatures(product_version, user, [Line.DIABETE])
    complete_candidature(candidature, user)
    services.candidature_submit(candidature=candidature, actor=user)
    reviewer = UserFactory(reviewer=True)
    services.candidature_take(candidature=candidature, actor=reviewer)
    line = candidature.lines.get().assessment
    with pytest.raises(ValidationError) as refused:
        assessment_decide(assessment=line, decision="valider", actor=reviewer)
    assert refused.value.messages == [REVIEW_WITH_CANDIDATURE]
    assert Assessment.objects.get(pk=line.pk).state == State.IN_REVIEW
    assert not Certificate.objects.exists()


def test_no_certificate_for_a_candidature_not_wholly_validated():
    product_version, user = operator()
    diabetes, heart = file_candidatures(product_version, user, TWO_LINES, Grouping.PER_LINE)
    first, second = UserFactory(reviewer=True), UserFactory(reviewer=True)
    for candidature, reviewer in ((diabetes, first), (heart, second)):
        complete_candidature(candidature, user)
        services.candidature_submit(candidature=candidature, actor=user)
        services.candidature_take(candidature=candidature, actor=reviewer)
    # The shared referential is in review with the first reviewer: the second cannot validate it.
    with pytest.raises(ValidationError):
        services.candidature_decide(candidature=heart, decision=services.Decision.VALIDATE, actor=second)
    assert Candidature.objects.get(pk=heart.pk).state == State.IN_REVIEW
    assert not Certificate.objects.exists()
    with pytest.raises(ValidationError) as refused:
        candidature_certify(candidature=Candidature.objects.get(pk=heart.pk), actor=second)
    assert refused.value.messages == [NOT_VALIDATED]


def test_a_request_for_changes_issues_nothing():
    product_version, user = operator()
    (candidature,) = file_candidatures(product_version, user, [Line.DIABETE])
    complete_candidature(candidature, user)
    services.candidature_submit(candidature=candidature, actor=user)
    reviewer = UserFactory(reviewer=True)
    services.candidature_take(candidature=candidature, actor=reviewer)
    services.candidature_decide(
        candidature=candidature,
        decision=services.Decision.REQUEST_CHANGES,
        actor=reviewer,
        comment="La fréquence de déclenchement de l'alerte n'est pas paramétrable.",
    )
    assert not Certificate.objects.exists()


def test_revocation_shows_on_the_candidature():
    (candidature,), reviewer = validated_candidatures([Line.DIABETE])
    (certificate,) = candidature_certificates(candidature)
    certificate_services.certificate_revoke(
        certificate=certificate, actor=reviewer, reason="Alerte d'hypoglycémie sévère non conforme."
    )
    (shown,) = candidature_certificates(candidature)
    assert shown.is_revoked and shown.revocation_reason == "Alerte d'hypoglycémie sévère non conforme."


def test_the_candidature_pages_show_the_certificate_and_its_revocation(
    reviewer_client, vendor_client_factory
):
    from django.urls import reverse

    from companies.models import Role

    (candidature,), reviewer = validated_candidatures([Line.DIABETE])
    (certificate,) = candidature_certificates(candidature)
    Certificate.objects.filter(pk=certificate.pk).update(
        status=Certificate.Status.READY,
        file="certificates/conformite.pdf",
        rendered_at=certificate.created_at,
    )
    member = vendor_client_factory(role=Role.MANDATAIRE, company=certificate.company)
    portal_url = reverse("portal:dmn:detail", args=[candidature.public_id])
    review_url = reverse("review:dmn:detail", args=[candidature.public_id])
    revoke_url = reverse(
        "review:assessments:revoke", args=[candidature.referential.public_id, certificate.public_id]
    )
    download_url = reverse("certificates:download", args=[certificate.public_id])
    vendor_page = member.get(portal_url).content.decode()
    assert "Certificat de conformité" in vendor_page and download_url in vendor_page
    reviewer_page = reviewer_client.get(review_url).content.decode()
    assert certificate.display_code in reviewer_page and revoke_url in reviewer_page
    require_checker()
    assert nu_errors([(portal_url, vendor_page), (review_url, reviewer_page)]) == []
    certificate_services.certificate_revoke(
        certificate=certificate, actor=reviewer, reason="Alerte non conforme."
    )
    assert "révoqué le" in member.get(portal_url).content.decode()
    reviewer_page = reviewer_client.get(review_url).content.decode()
    assert "révoqué le" in reviewer_page and "Alerte non conforme." in reviewer_page
    assert revoke_url not in reviewer_page
