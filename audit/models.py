"""The audit trail: who changed what, when, old → new, recorded by PostgreSQL triggers.

The other apps' models are tracked FROM here (``app_label="audit"``), so every event table lives in
``audit/migrations`` and no other app carries audit code. The triggers fire on every write, bulk
``.update()`` and raw SQL included; the person is the ``pghistory`` context set by the
``HistoryMiddleware`` for each web request (empty for workers and commands).

Each tracked model lists its fields explicitly: a field added to a tracked model later is not
audited until it is listed here (with a migration of ``audit``), but never breaks the triggers.
The triggers are (re)installed after every ``migrate`` (``PGTRIGGER_INSTALL_ON_MIGRATE``): a
trigger always matches the current columns of the table it watches.
"""

import pghistory
from django.contrib.admin.models import LogEntry
from django.db import models

from accounts.models import User
from assessments.models import Answer, Assessment, ReviewComment, Transition
from certificates.models import Certificate
from companies.models import Membership


def _track(model, *, name: str, fields: list[str], attrs: dict | None = None):
    return pghistory.track(
        pghistory.InsertEvent(),
        pghistory.UpdateEvent(),
        pghistory.DeleteEvent(),
        fields=fields,
        app_label="audit",
        model_name=name,
        obj_field=pghistory.ObjForeignKey(related_name="audit_events", related_query_name="audit_events"),
        attrs=attrs,
        meta={"verbose_name": f"historique : {model._meta.verbose_name}"},
    )(model)


_track(
    Answer,
    name="AnswerEvent",
    fields=["assessment", "item", "level", "justification", "comment", "revision", "updated_by"],
)
_track(
    Assessment,
    name="AssessmentEvent",
    fields=["state", "reviewer", "submitted_at", "validated_at", "reached_profiles"],
)
_track(
    Transition, name="TransitionEvent", fields=["assessment", "actor", "from_state", "to_state", "comment"]
)
_track(
    ReviewComment,
    name="ReviewCommentEvent",
    fields=["assessment", "item", "parent", "author", "body", "is_published"],
)
_track(Membership, name="MembershipEvent", fields=["user", "company", "role", "is_active"])
_track(
    Certificate,
    name="CertificateAuditEvent",
    fields=[
        "assessment",
        "company",
        "kind",
        "status",
        "code",
        "file_sha256",
        "failure_reason",
        "revoked_at",
        "revoked_by",
        "revocation_reason",
    ],
    # The code is copied from the certificate, never generated here.
    attrs={"code": models.CharField("code de vérification", max_length=16)},
)
# Who may sign in and with which privileges, whoever changes it (the admin site above all); never
# the password hash.
_track(User, name="UserEvent", fields=["email", "is_active", "is_reviewer", "is_staff", "is_superuser"])

# Every add, change or delete made through the admin site: Django writes a LogEntry for each, copied
# here with the request's context (the signed-in person, the URL). The copy outlives the LogEntry,
# which Django deletes together with its author.
pghistory.track(
    pghistory.InsertEvent(),
    fields=[
        "action_time",
        "user",
        "content_type",
        "object_id",
        "object_repr",
        "action_flag",
        "change_message",
    ],
    app_label="audit",
    model_name="AdminActionEvent",
    obj_field=pghistory.ObjForeignKey(related_name="audit_events", related_query_name="audit_events"),
    meta={"verbose_name": "action d'administration", "verbose_name_plural": "actions d'administration"},
)(LogEntry)
