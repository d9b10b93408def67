"""The audit trail of a certificate becomes its one history (``certificates.CertificateEvent`` goes):
it records who requested it, what it replaces and why, and each requeue.

Existing trails receive these facts: the requester and the replaced document on every row (written once,
at the request, they held all along), and one row per requeue recorded by the old events, dated when it
happened, with each row stating the last requeue before it.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

COPIED = {"pgh_id", "pgh_created_at", "pgh_label", "pgh_context_id"}


def carry_into_trails(apps, schema_editor):
    Certificate = apps.get_model("certificates", "Certificate")
    CertificateEvent = apps.get_model("certificates", "CertificateEvent")
    AuditEvent = apps.get_model("audit", "CertificateAuditEvent")
    certificate = Certificate.objects.filter(pk=OuterRef("pgh_obj_id"))
    AuditEvent.objects.update(
        requested_by_id=Subquery(certificate.values("requested_by_id")[:1]),
        reissue_of_id=Subquery(certificate.values("reissue_of_id")[:1]),
        reissue_reason=Coalesce(Subquery(certificate.values("reissue_reason")[:1]), Value("")),
    )
    requeues: dict[int, list] = {}
    for certificate_id, at in CertificateEvent.objects.filter(action="requeued").values_list(
        "certificate_id", "at"
    ):
        requeues.setdefault(certificate_id, []).append(at)
    for certificate_id, times in requeues.items():
        _carry_requeues(AuditEvent, certificate_id, sorted(times))


def _carry_requeues(AuditEvent, certificate_id: int, times: list) -> None:
    rows = list(AuditEvent.objects.filter(pgh_obj_id=certificate_id).order_by("pgh_created_at", "pgh_id"))
    if not rows:
        return
    for row in rows:
        last = max((at for at in times if at <= row.pgh_created_at), default=None)
        if last != row.requeued_at:
            AuditEvent.objects.filter(pk=row.pk).update(requeued_at=last)
            row.requeued_at = last
    fields = [f.attname for f in AuditEvent._meta.concrete_fields if f.attname not in COPIED]
    for at in times:
        base = max((row for row in rows if row.pgh_created_at <= at), key=_order, default=rows[0])
        copy = AuditEvent.objects.create(
            pgh_label="update", **{name: getattr(base, name) for name in fields} | {"requeued_at": at}
        )
        AuditEvent.objects.filter(pk=copy.pk).update(pgh_created_at=at)  # not ``auto_now_add``'s now


def _order(row):
    return (row.pgh_created_at, row.pgh_id)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0011_one_state_history"),
        ("certificates", "0005_certificate_facts_on_the_row"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="certificateauditevent",
            name="reissue_of",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                related_query_name="+",
                to="certificates.certificate",
                verbose_name="délivré à nouveau à la place de",
            ),
        ),
        migrations.AddField(
            model_name="certificateauditevent",
            name="reissue_reason",
            field=models.TextField(blank=True, verbose_name="motif de la nouvelle délivrance"),
        ),
        migrations.AddField(
            model_name="certificateauditevent",
            name="requested_by",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                related_query_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="demandé par",
            ),
        ),
        migrations.AddField(
            model_name="certificateauditevent",
            name="requeued_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="relancé le"),
        ),
        migrations.RunPython(carry_into_trails, migrations.RunPython.noop),
    ]
