"""Every fact of a certificate's life becomes a column of its row, so the row's audit trail
(``audit.CertificateAuditEvent``) is its one history and ``CertificateEvent`` can go (``0006``).

The facts the row did not state yet are carried from the events: the last requeue (``requeued_at``;
every requeue is carried into the audit trail by ``audit.0012``) and, for an attestation delivered
again, the one it replaces and the reason. The other events repeat what the row and its trail already
hold: the requester (``requested_by``), the render (``rendered_at``, ``file_sha256``; the size is the
file's), the failure (``failure_reason``), the revocation (``revoked_at``, ``revoked_by``,
``revocation_reason``).
"""

import re

import django.db.models.deletion
import pgtrigger
from django.conf import settings
from django.db import migrations, models
from django.db.models import Max

REISSUED = re.compile(r"^(?P<reason>.*) \(remplace le document (?P<code>[A-Z2-7-]+), révoqué\)$", re.S)
REISSUED_WITHOUT_REASON = "Délivré à nouveau après révocation"


def carry_facts(apps, schema_editor):
    Certificate = apps.get_model("certificates", "Certificate")
    CertificateEvent = apps.get_model("certificates", "CertificateEvent")
    requeues = (
        CertificateEvent.objects.filter(action="requeued")
        .values("certificate_id")
        .annotate(last=Max("at"))
        .values_list("certificate_id", "last")
    )
    # Not a change of the certificate: the audit trail receives these facts dated by ``audit.0012``.
    with pgtrigger.ignore("certificates.Certificate:update_update"):
        for certificate_id, last in requeues:
            Certificate.objects.filter(pk=certificate_id).update(requeued_at=last)
        for event in CertificateEvent.objects.filter(action="reissued").select_related("certificate"):
            replaced, reason = _reissue(Certificate, event)
            Certificate.objects.filter(pk=event.certificate_id).update(
                reissue_of=replaced, reissue_reason=reason if replaced else ""
            )


def _reissue(Certificate, event):
    """The attestation ``event`` (a reissue) replaced, and why: as its detail says, else the latest
    attestation of the assessment revoked before it."""
    found = REISSUED.match(event.detail)
    reason = (found["reason"] if found else event.detail).strip() or REISSUED_WITHOUT_REASON
    if found and (named := Certificate.objects.filter(code=found["code"].replace("-", "")).first()):
        return named, reason
    earlier = Certificate.objects.filter(
        assessment_id=event.certificate.assessment_id,
        kind="attestation",
        revoked_at__isnull=False,
        created_at__lt=event.certificate.created_at,
    )
    return earlier.order_by("-created_at", "-pk").first(), reason


class Migration(migrations.Migration):
    dependencies = [
        ("certificates", "0004_catalogue_search"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="certificate",
            name="requested_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="demandé par",
            ),
        ),
        migrations.AddField(
            model_name="certificate",
            name="reissue_of",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="certificates.certificate",
                verbose_name="délivré à nouveau à la place de",
            ),
        ),
        migrations.AddField(
            model_name="certificate",
            name="reissue_reason",
            field=models.TextField(blank=True, verbose_name="motif de la nouvelle délivrance"),
        ),
        migrations.AddField(
            model_name="certificate",
            name="requeued_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="relancé le"),
        ),
        migrations.RunPython(carry_facts, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="certificate",
            constraint=models.CheckConstraint(
                condition=models.Q(("reissue_of__isnull", True), models.Q(("reissue_reason", ""), _negated=True), _connector="OR"),
                name="certificates_reissue_reason_required",
                violation_error_message="Le motif de la nouvelle délivrance est obligatoire.",
            ),
        ),
    ]
