"""Validated DMN candidatures and their certificates of conformity, for the certificate, catalogue and
API tests: built through the real services (filed, completed, submitted, taken, validated)."""

from django.utils import timezone

from assessments.models import Answer
from certificates.models import Certificate
from dmn import services
from dmn.certification import candidature_certificates
from dmn.models import Grouping, Line
from tests.accounts.factories import UserFactory
from tests.dmn.factories import complete_candidature, file_candidatures, operator

TWO_LINES = [Line.DIABETE, Line.CARDIAQUE]


def validated_candidatures(lines=TWO_LINES, grouping=Grouping.TOGETHER, product_version=None, comment=""):
    """The candidatures filed for ``lines``, each validated by one reviewer; returns them and the
    reviewer. Their certificates are pending (rendered on commit). ``comment``: written on every
    answer before submission (what must never be shown publicly)."""
    product_version, user = operator(product_version)
    candidatures = file_candidatures(product_version, user, lines, grouping)
    reviewer = UserFactory(reviewer=True)
    for candidature in candidatures:
        complete_candidature(candidature, user)
        if comment:
            assessments = services.candidature_assessments(candidature)
            Answer.objects.filter(assessment__in=assessments).update(comment=comment)
        services.candidature_submit(candidature=candidature, actor=user)
        services.candidature_take(candidature=candidature, actor=reviewer)
        services.candidature_decide(
            candidature=candidature, decision=services.Decision.VALIDATE, actor=reviewer
        )
    return candidatures, reviewer


def certified(lines=TWO_LINES, *, revoked: bool = False, product_version=None) -> Certificate:
    """The certificate of a validated candidature for ``lines``, marked ready as the worker leaves it
    (without rendering its PDF); revoked when asked."""
    (candidature,), _reviewer = validated_candidatures(lines, product_version=product_version)
    (certificate,) = candidature_certificates(candidature)
    now = timezone.now()
    extra = {"revoked_at": now, "revocation_reason": "Alerte d'hypoglycémie non conforme."} if revoked else {}
    Certificate.objects.filter(pk=certificate.pk).update(
        status=Certificate.Status.READY, file="certificates/conformite.pdf", rendered_at=now, **extra
    )
    return Certificate.objects.get(pk=certificate.pk)
