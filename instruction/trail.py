"""Reads of the audit trail of an assessment, in French, for the reviewer's "journal" page.

State changes are read from the assessment's ``Transition`` log (their one history), everything else
from the event tables. Each event table is read directly, filtered on its indexed foreign key to the
assessment, and the old → new values are worked out here by comparing each event with the previous
one of the same row. (pghistory's aggregate ``Events`` view computes its diffs over whole tables before filtering: seconds
once the answers of every assessment are in there.)
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db import models
from django.utils import timezone

from accounts.models import User
from assessments.models import Assessment, Transition
from audit.models import AnswerEvent, AssessmentEvent, CertificateAuditEvent, ReviewCommentEvent
from questionnaires.models import Item

ACTIONS = {"insert": "création", "update": "modification", "delete": "suppression"}
STATE_CHANGE = "changement d'état"
# (event model, the field pointing at the assessment): one query each.
SOURCES = (
    (AssessmentEvent, "pgh_obj_id"),
    (AnswerEvent, "assessment_id"),
    (ReviewCommentEvent, "assessment_id"),
    (CertificateAuditEvent, "assessment_id"),
)
# Columns that are bookkeeping, not facts a reviewer reads.
HIDDEN = {"assessment_id", "revision"}
EMPTY = (None, "", [])


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class TrailEntry:
    at: datetime
    actor: str
    subject: str
    action: str
    changes: list[Change] = field(default_factory=list)


def assessment_trail(*, assessment: Assessment) -> list[TrailEntry]:
    """Every recorded change touching the assessment (its state, answers, review comments,
    certificates), oldest first, with who made it and old → new values. Seven queries."""
    transitions = list(Transition.objects.filter(assessment=assessment).order_by("at", "pk"))
    raw = []
    for order, (event_model, key) in enumerate(SOURCES):
        rows = (
            event_model.objects.filter(**{key: assessment.pk})
            .select_related("pgh_context")
            .order_by("pgh_id")
        )
        raw.extend((order, row) for row in rows)
    raw.sort(key=lambda pair: (pair[1].pgh_created_at, pair[0], pair[1].pgh_id))
    names = _NameBook([row for _, row in raw], actor_ids={t.actor_id for t in transitions if t.actor_id})
    previous: dict[tuple[type, int], dict] = {}
    entries = [_transition_entry(transition, names) for transition in transitions]
    for _, row in raw:
        snapshot = _snapshot(row)
        before = previous.get((type(row), row.pgh_obj_id))
        previous[(type(row), row.pgh_obj_id)] = snapshot
        entry = _entry(row, snapshot, before, names)
        # An update leaving every shown value as it was (e.g. an assessment event recorded when the
        # trail still copied the state, now read from the transitions) changed nothing to show.
        if row.pgh_label != "update" or entry.changes or before is None:
            entries.append(entry)
    entries.sort(key=lambda entry: entry.at)  # stable: each source keeps its own order
    return entries


def _transition_entry(transition: Transition, names: "_NameBook") -> TrailEntry:
    changes = [
        Change(
            label=str(Assessment._meta.get_field("state").verbose_name).capitalize(),
            old=transition.get_from_state_display(),
            new=transition.get_to_state_display(),
        )
    ]
    if transition.comment:
        changes.append(Change(label="Commentaire", old="—", new=transition.comment))
    if transition.api_key_name:
        changes.append(Change(label="Clé d'API", old="—", new=transition.api_key_name))
    return TrailEntry(
        at=transition.at,
        actor=names.user(transition.actor_id) if transition.actor_id else "Système",
        subject=str(Transition._meta.verbose_name).capitalize(),
        action=STATE_CHANGE,
        changes=changes,
    )


def _tracked_fields(event_model) -> list[models.Field]:
    tracked = {f.attname for f in event_model.pgh_tracked_model._meta.concrete_fields}
    return [f for f in event_model._meta.concrete_fields if f.attname in tracked]


def _snapshot(row) -> dict:
    return {f.attname: getattr(row, f.attname) for f in _tracked_fields(type(row))}


def _entry(row, snapshot: dict, before: dict | None, names: "_NameBook") -> TrailEntry:
    tracked = type(row).pgh_tracked_model
    context = row.pgh_context.metadata if row.pgh_context_id and row.pgh_context else {}
    subject = str(tracked._meta.verbose_name).capitalize()
    if item_id := snapshot.get("item_id"):
        subject = f"{subject} {names.item(item_id)}"
    if row.pgh_label == "update" and before is not None:
        pairs = [
            (name, before.get(name), value) for name, value in snapshot.items() if before.get(name) != value
        ]
    else:  # a creation, a deletion, or an update whose previous state predates the trail
        pairs = [(name, None, value) for name, value in snapshot.items()]
    changes = [
        _change(tracked._meta.get_field(name), old, new, names)
        for name, old, new in pairs
        if name not in HIDDEN and not (old in EMPTY and new in EMPTY)
    ]
    return TrailEntry(
        at=row.pgh_created_at,
        actor=names.user(context["user"]) if context.get("user") else "Système",
        subject=subject,
        action=ACTIONS.get(row.pgh_label, row.pgh_label),
        changes=changes,
    )


def _change(model_field, old, new, names: "_NameBook") -> Change:
    label = str(model_field.verbose_name).capitalize()
    return Change(label=label, old=_display(model_field, old, names), new=_display(model_field, new, names))


def _display(model_field, value, names: "_NameBook") -> str:
    if value in EMPTY:
        return "—"
    if model_field.is_relation and model_field.related_model is User:
        return names.user(value)
    if model_field.is_relation and model_field.related_model is Item:
        return names.item(value)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
    if isinstance(value, list):
        return ", ".join(str(part) for part in value)
    return str(value)


class _NameBook:
    """The people and items the events name, loaded in two queries."""

    USER_COLUMNS = ("updated_by_id", "actor_id", "author_id", "reviewer_id", "revoked_by_id", "user_id")

    def __init__(self, rows, *, actor_ids: set[int] = frozenset()):
        user_ids, item_ids = set(actor_ids), set()
        for row in rows:
            if row.pgh_context_id and row.pgh_context and row.pgh_context.metadata.get("user"):
                user_ids.add(_int(row.pgh_context.metadata["user"]))
            user_ids.update(
                getattr(row, column) for column in self.USER_COLUMNS if getattr(row, column, None)
            )
            if getattr(row, "item_id", None):
                item_ids.add(row.item_id)
        self.users = {user.pk: str(user) for user in User.objects.filter(pk__in=user_ids)} if user_ids else {}
        self.items = dict(Item.objects.filter(pk__in=item_ids).values_list("pk", "code")) if item_ids else {}

    def user(self, pk) -> str:
        return self.users.get(_int(pk), f"utilisateur n° {pk}")

    def item(self, pk) -> str:
        return self.items.get(_int(pk), f"exigence n° {pk}")


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return value
