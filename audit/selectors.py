"""Reads of the audit trail, in French, for the reviewer's "journal" page."""

from dataclasses import dataclass, field
from datetime import datetime

from django.apps import apps
from django.db import models
from pghistory.models import Events

from accounts.models import User
from assessments.models import Assessment
from questionnaires.models import Item

ACTIONS = {"insert": "création", "update": "modification", "delete": "suppression"}
# Columns of the snapshot that are plumbing, not facts a reviewer reads.
HIDDEN_FIELDS = {"pgh_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "pgh_context_id", "id", "revision"}


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
    """Every recorded change touching the assessment: its state, answers, transitions, comments and
    certificates, oldest first. Constant number of queries: the events, then the people and items
    they name."""
    events = list(Events.objects.references(assessment).order_by("pgh_created_at", "pgh_model", "pgh_id"))
    names = _NameBook(events)
    return [_entry(event, names) for event in events]


def _entry(event, names: "_NameBook") -> TrailEntry:
    event_model = apps.get_model(event.pgh_model)
    tracked = event_model.pgh_tracked_model
    user_id = (event.pgh_context or {}).get("user")
    subject = str(tracked._meta.verbose_name).capitalize()
    # Snapshots are keyed by column (``item_id``), as the triggers copy them.
    if item_id := event.pgh_data.get("item_id"):
        subject = f"{subject} {names.item(item_id)}"
    return TrailEntry(
        at=event.pgh_created_at,
        actor=names.user(user_id) if user_id else "Système",
        subject=subject,
        action=ACTIONS.get(event.pgh_label, event.pgh_label),
        changes=_changes(event, tracked, names),
    )


def _changes(event, tracked, names: "_NameBook") -> list[Change]:
    if event.pgh_label == "update" and event.pgh_diff:
        pairs = {name: tuple(values) for name, values in event.pgh_diff.items()}
    else:  # a creation or deletion: the whole row
        pairs = {name: (None, value) for name, value in event.pgh_data.items()}
    changes = []
    for name, (old, new) in pairs.items():
        if name in HIDDEN_FIELDS or (old in (None, "") and new in (None, "", [])):
            continue
        model_field = _field(tracked, name)
        if model_field is None:
            continue
        changes.append(
            Change(
                label=str(model_field.verbose_name).capitalize(),
                old=_display(model_field, old, names),
                new=_display(model_field, new, names),
            )
        )
    return changes


def _field(model, name: str) -> models.Field | None:
    try:
        return model._meta.get_field(name)
    except Exception:
        return None


def _display(model_field, value, names: "_NameBook") -> str:
    if value in (None, "", []):
        return "—"
    if model_field.is_relation and model_field.related_model is User:
        return names.user(value)
    if model_field.is_relation and model_field.related_model is Item:
        return names.item(value)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, list):
        return ", ".join(str(part) for part in value)
    return str(value)


class _NameBook:
    """The people and items an event list names, loaded in two queries."""

    def __init__(self, events):
        user_ids, item_ids = set(), set()
        for event in events:
            if user_id := (event.pgh_context or {}).get("user"):
                user_ids.add(user_id)
            for key in ("updated_by_id", "actor_id", "author_id", "reviewer_id", "revoked_by_id", "user_id"):
                if event.pgh_data.get(key):
                    user_ids.add(event.pgh_data[key])
            if event.pgh_data.get("item_id"):
                item_ids.add(event.pgh_data["item_id"])
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
