"""The audit trail: who changed what, when, old → new, recorded by PostgreSQL triggers.

Each app declares, beside its models, which of their fields are audited, with ``track`` below; the
event models it makes belong to this app (``app_label="audit"``), so every event table lives in
``audit/migrations`` and is reachable as ``audit.models.<Name>Event`` once the apps are loaded. This
app imports no other app of ours (it sits at the bottom of the layers). The triggers fire on every
write, bulk ``.update()`` and raw SQL included; the person is the ``pghistory`` context set by the
``HistoryMiddleware`` for each web request (empty for workers and commands).

Each tracked model lists its fields explicitly: a field added to a tracked model later is not
audited until it is listed in its ``track`` call (with a migration of ``audit``), but never breaks
the triggers. The triggers are (re)installed after every ``migrate``
(``PGTRIGGER_INSTALL_ON_MIGRATE``): a trigger always matches the current columns of the table it
watches.
"""

import pghistory
from django.contrib.admin.models import LogEntry


def track(model, *, name: str, fields: list[str], attrs: dict | None = None):
    """Audit ``fields`` of ``model`` (inserts, updates, deletes) in the event model ``audit.<name>``."""
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
