"""Operators read a certificate's history in the admin, from its one record (the audit trail)."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from assessments.services import assessment_take, assessment_validate
from certificates import services
from tests.accounts.factories import TOTPDeviceFactory, UserFactory
from tests.accounts.helpers import accept_current_terms, verified_login
from tests.assessments.factories import AssessmentFactory

pytestmark = pytest.mark.django_db


def test_the_admin_shows_the_history_of_a_reissued_attestation(django_capture_on_commit_callbacks):
    reviewer = UserFactory(reviewer=True)
    assessment = AssessmentFactory(submitted=True)
    assessment_take(assessment=assessment, actor=reviewer)
    assessment_validate(assessment=assessment, actor=reviewer)
    with django_capture_on_commit_callbacks():
        revoked = services.certificate_request(assessment=assessment, kind="attestation", actor=reviewer)
        services.certificate_render_pdf(certificate=revoked)
        services.certificate_revoke(certificate=revoked, actor=reviewer, reason="Déclaration inexacte")
        new = services.certificate_reissue(assessment=assessment, actor=reviewer, reason="Erreur corrigée")
    staff = User.objects.create_superuser("technique@exemple.fr", "Mot-de-passe-admin-2026")
    accept_current_terms(staff)
    client = verified_login(Client(), staff, TOTPDeviceFactory(user=staff))

    old_page = client.get(
        reverse("admin:certificates_certificate_change", args=[revoked.pk])
    ).content.decode()
    new_page = client.get(reverse("admin:certificates_certificate_change", args=[new.pk])).content.decode()

    for action in ("Demandé", "Généré", "Révoqué", "Déclaration inexacte", str(reviewer)):
        assert action in old_page
    assert "Délivré à nouveau après révocation" in new_page
    assert f"Erreur corrigée (remplace le document {revoked.display_code}, révoqué)" in new_page
