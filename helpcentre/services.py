"""Writes of the help centre: entries edited in the back office, visitors' votes, and the import of
the answers the repository ships (``helpcentre/content/entries.yaml``)."""

from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from helpcentre.models import Entry, Facet, Tag, Vote
from helpcentre.selectors import item_links_forget
from questionnaires.models import Item

CONTENT_FILE = Path(__file__).resolve().parent / "content" / "entries.yaml"
ALREADY_VOTED = "Vous avez déjà donné votre avis sur cette réponse. Merci !"
NOT_PUBLISHED = "Cette réponse n'est pas publiée."
UNKNOWN_ITEMS = "Exigence inconnue des questionnaires : {codes}."
SLUG_TAKEN = "Une autre réponse a déjà l'adresse « {slug} » : changez la question."


def unknown_item_codes(codes: list[str]) -> list[str]:
    """The codes no questionnaire version (draft or published) has (1 query)."""
    known = set(Item.objects.filter(code__in=codes).values_list("code", flat=True).distinct())
    return [code for code in codes if code not in known]


def _check_items(item_codes: list[str]) -> None:
    if unknown := unknown_item_codes(item_codes):
        raise ValidationError(UNKNOWN_ITEMS.format(codes=", ".join(unknown)))


def _publish_date(entry: Entry) -> None:
    # The first publication is the date shown; unpublishing and publishing again keeps it.
    if entry.status == Entry.Status.PUBLISHED and entry.published_at is None:
        entry.published_at = timezone.now()


@transaction.atomic
def entry_create(*, title: str, body: str, status: str, tags: list[Tag], item_codes: list[str]) -> Entry:
    """A new entry, its address made from its question. Raises ValidationError (unknown item code,
    address already taken)."""
    _check_items(item_codes)
    slug = slugify(title)[:120].strip("-")
    if Entry.objects.filter(slug=slug).exists():
        raise ValidationError(SLUG_TAKEN.format(slug=slug))
    entry = Entry(slug=slug, title=title, body=body, status=status, item_codes=item_codes)
    _publish_date(entry)
    entry.save()
    entry.tags.set(tags)
    transaction.on_commit(item_links_forget)
    return entry


@transaction.atomic
def entry_update(
    *, entry: Entry, title: str, body: str, status: str, tags: list[Tag], item_codes: list[str]
) -> Entry:
    """Edit an entry (its address stays: links to it keep working). Each change is in its history."""
    _check_items(item_codes)
    entry.title, entry.body, entry.status, entry.item_codes = title, body, status, item_codes
    _publish_date(entry)
    entry.save()
    entry.tags.set(tags)
    transaction.on_commit(item_links_forget)
    return entry


def vote_record(*, entry: Entry, visitor: str, useful: bool) -> Vote:
    """Record a visitor's "was this answer useful?"; one per visitor and entry (a database constraint):
    a second one raises ValidationError(ALREADY_VOTED) and leaves the first as it was."""
    if not entry.is_published:
        raise ValidationError(NOT_PUBLISHED)
    try:
        with transaction.atomic():
            return Vote.objects.create(entry=entry, visitor=visitor, useful=useful)
    except IntegrityError as error:
        raise ValidationError(ALREADY_VOTED) from error


@transaction.atomic
def content_import(path: Path = CONTENT_FILE) -> tuple[int, int]:
    """Put the repository's help-centre content in the database: facet values and entries missing
    from it are created (published); what exists is never changed, so the back office's edits,
    drafts included, always win. Idempotent: a second run creates nothing. Returns (tags created,
    entries created)."""
    content = yaml.safe_load(path.read_text(encoding="utf-8"))
    tags_created = 0
    known = {(tag.facet, tag.slug): tag for tag in Tag.objects.all()}
    for facet, values in content["facets"].items():
        Facet(facet)  # an unknown facet in the file is an error
        for order, (slug, label) in enumerate(values.items()):
            if (facet, slug) not in known:
                known[facet, slug] = Tag.objects.create(facet=facet, slug=slug, label=label, order=order)
                tags_created += 1
    existing = set(Entry.objects.values_list("slug", flat=True))
    now, created = timezone.now(), 0
    for data in content["entries"]:
        if data["slug"] in existing:
            continue
        entry = Entry.objects.create(
            slug=data["slug"],
            title=data["title"],
            body=data["body"].strip(),
            item_codes=data.get("items", []),
            status=Entry.Status.PUBLISHED,
            published_at=now,
        )
        entry.tags.set([known[facet, slug] for facet, slugs in data["tags"].items() for slug in slugs])
        created += 1
    if created:
        transaction.on_commit(item_links_forget)
    return tags_created, created
