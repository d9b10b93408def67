"""Reads of the help centre: the public search and pages, the links to and from questionnaire items,
and the back office's list with the votes. Every read here costs a fixed number of queries, whatever
the number of entries, tags, votes or items."""

from collections import defaultdict
from dataclasses import dataclass

from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from audit.models import HelpEntryEvent
from core.memo import memo
from helpcentre.models import SEARCH_CONFIG, Entry, Facet, Tag, Vote
from questionnaires.models import Item, QuestionnaireVersion


@dataclass(frozen=True)
class FacetChoices:
    code: str
    label: str
    tags: list[Tag]  # each with ``entry_count`` (published entries)


def _published() -> QuerySet[Entry]:
    # The search column is for PostgreSQL only: never sent back to Python.
    return Entry.objects.filter(status=Entry.Status.PUBLISHED).defer("search_vector")


def _tags_prefetch() -> Prefetch:
    return Prefetch("tags", queryset=Tag.objects.order_by("facet", "order", "label"))


def facets_with_tags() -> list[FacetChoices]:
    """The five facets, in order, with the values that file at least one published entry (1 query)."""
    tags = Tag.objects.annotate(
        entry_count=Count("entries", filter=Q(entries__status=Entry.Status.PUBLISHED))
    ).filter(entry_count__gt=0)
    by_facet = defaultdict(list)
    for tag in tags:
        by_facet[tag.facet].append(tag)
    return [FacetChoices(facet.value, facet.label, by_facet[facet.value]) for facet in Facet]


def entries_search(*, text: str = "", tags: dict[str, str] | None = None) -> QuerySet[Entry]:
    """Published entries matching ``text`` (French full-text search, accents and case ignored; the
    best matches first) and filed under every ``tags`` value ({facet code: tag slug}); by title when
    there is no text. The entries' tags are prefetched (one more query)."""
    entries = _published().prefetch_related(_tags_prefetch())
    for facet, slug in (tags or {}).items():
        filed = Entry.tags.through.objects.filter(entry_id=OuterRef("pk"), tag__facet=facet, tag__slug=slug)
        entries = entries.filter(Exists(filed))
    if not text:
        return entries.order_by("title")
    query = SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch")
    return (
        entries.filter(search_vector=query)
        .annotate(rank=SearchRank(F("search_vector"), query))
        .order_by("-rank", "title")
    )


def published_entry(*, slug: str) -> Entry:
    """A published entry with its tags, or 404 (a draft is not public)."""
    return get_object_or_404(_published().prefetch_related(_tags_prefetch()), slug=slug)


# How long a process keeps the help links of a version's items (seconds): an entry changed by another
# process shows there within this time, at once in the process that changed it.
ITEM_LINKS_TIMEOUT = 60


def entry_links_for_items(codes, *, version_id: int | None = None) -> dict[str, list[dict]]:
    """{item code: [{"title", "url"}]} of the published entries explaining each item (1 query; none
    while memoised).

    ``version_id``: the codes are items of that questionnaire version; the database then matches the
    entries against the version's item codes (a query of constant size: the ORM spends some 70 calls
    per code of a literal list, 20,000 for a 300-item page), and the links of all the version's items
    are memoised in the process (the "local" cache; no query while memoised). They are published
    help-centre content, the same for every company. Freshness: the process that creates or edits an
    entry forgets them when it commits (``item_links_forget``); any other process shows the change
    within ``ITEM_LINKS_TIMEOUT`` seconds, when its memo expires. Without ``version_id``: read afresh.
    """
    codes = list(codes)
    if not codes:
        return {}
    if version_id is None:
        links = _item_links(codes)
    else:
        links = memo().get_or_set(
            _item_links_key(version_id), lambda: _version_item_links(version_id), ITEM_LINKS_TIMEOUT
        )
    return {code: links[code] for code in codes if code in links}


def _item_links(matched) -> dict[str, list[dict]]:
    """The links of the published entries naming any of the ``matched`` codes, by code (plain data)."""
    entries = (
        Entry.objects.filter(status=Entry.Status.PUBLISHED, item_codes__overlap=matched)
        .order_by("title")
        .values_list("slug", "title", "item_codes")
    )
    base = reverse("helpcentre:entry", args=["SLUG"])[: -len("SLUG/")]
    links = defaultdict(list)
    for slug, title, item_codes in entries:
        for code in item_codes:
            links[code].append({"title": title, "url": f"{base}{slug}/"})
    return dict(links)


def _version_item_links(version_id: int) -> dict[str, list[dict]]:
    return _item_links(ArraySubquery(Item.objects.filter(version_id=version_id).values("code")))


def _item_links_key(version_id: int) -> str:
    return f"helpcentre:item-links:{version_id}"


def item_links_forget() -> None:
    """Drop this process's memo of help links, of every version (1 query): an entry changed."""
    versions = QuestionnaireVersion.objects.values_list("pk", flat=True)
    memo().delete_many([_item_links_key(pk) for pk in versions])


def entries_for_item(*, code: str) -> list[Entry]:
    return list(_published().filter(item_codes__contains=[code]).only("slug", "title").order_by("title"))


def _latest_published_items(codes) -> dict[str, Item]:
    """The item of each code in the newest published questionnaire version having it (1 query)."""
    items = (
        Item.objects.filter(code__in=list(codes), version__status=QuestionnaireVersion.Status.PUBLISHED)
        .select_related("version__questionnaire", "section")
        .order_by("code", "-version__number")
        .distinct("code")
    )
    return {item.code: item for item in items}


def items_explained(entry: Entry) -> list[dict]:
    """The items an entry explains, in its order: {code, title, questionnaire} (title empty for a
    code no published questionnaire has)."""
    items = _latest_published_items(entry.item_codes) if entry.item_codes else {}
    return [
        {
            "code": code,
            "title": items[code].title if code in items else "",
            "questionnaire": items[code].version.questionnaire.title if code in items else "",
        }
        for code in entry.item_codes
    ]


def item_definition(*, code: str) -> Item:
    """The item ``code`` as the newest published questionnaire version defines it, or 404."""
    item = _latest_published_items([code]).get(code)
    if item is None:
        raise Http404("Aucune exigence publiée ne porte ce code.")
    return item


def visitor_vote(*, entry: Entry, visitor: str | None) -> bool | None:
    """What the visitor answered about ``entry`` (True: useful), None when they have not answered."""
    if not visitor:
        return None
    return Vote.objects.filter(entry=entry, visitor=visitor).values_list("useful", flat=True).first()


# --- Back office -------------------------------------------------------------------------------------
def entries_for_review(*, status: str = "") -> QuerySet[Entry]:
    """Every entry (drafts included) with its votes counted: ``useful_count``, ``useless_count``."""
    entries = (
        Entry.objects.defer("search_vector", "body")
        .annotate(
            useful_count=Count("votes", filter=Q(votes__useful=True)),
            useless_count=Count("votes", filter=Q(votes__useful=False)),
        )
        .order_by("title")
    )
    return entries.filter(status=status) if status else entries


def entry_for_reviewer(*, public_id) -> Entry:
    entries = Entry.objects.defer("search_vector").prefetch_related(_tags_prefetch())
    return get_object_or_404(entries, public_id=public_id)


HISTORY_ACTIONS = {"insert": "création", "update": "modification", "delete": "suppression"}
# What an event shows of each tracked field: long texts are named, short values shown.
HISTORY_SHOWN = {"title", "status", "slug", "item_codes"}


@dataclass(frozen=True)
class HistoryEvent:
    at: str
    actor: str
    action: str
    changes: list[str]


def entry_history(*, entry: Entry) -> list[HistoryEvent]:
    """Who created, edited, published or unpublished the entry, newest first (2 queries)."""
    rows = list(
        HelpEntryEvent.objects.filter(pgh_obj_id=entry.pk).select_related("pgh_context").order_by("pgh_id")
    )
    user_ids = {row.pgh_context.metadata.get("user") for row in rows if row.pgh_context_id}
    users = {user.pk: user for user in User.objects.filter(pk__in=[pk for pk in user_ids if pk])}
    events, before = [], None
    for row in rows:
        context = row.pgh_context.metadata if row.pgh_context_id else {}
        user = users.get(context.get("user"))
        events.append(
            HistoryEvent(
                at=timezone.localtime(row.pgh_created_at).strftime("%d/%m/%Y %H:%M"),
                actor=(user.get_full_name() or user.email) if user else "Système",
                action=HISTORY_ACTIONS.get(row.pgh_label, row.pgh_label),
                changes=_changes(row, before),
            )
        )
        before = row
    return events[::-1]


def _changes(row, before) -> list[str]:
    changes = []
    for name in ("title", "slug", "status", "item_codes", "body"):
        value = getattr(row, name)
        if before is not None and getattr(before, name) == value:
            continue
        label = str(Entry._meta.get_field(name).verbose_name).capitalize()
        if name == "status":
            changes.append(f"{label} : {Entry.Status(value).label}")
        elif name == "item_codes":
            changes.append(f"{label} : {', '.join(value) or '—'}")
        elif name in HISTORY_SHOWN:
            changes.append(f"{label} : {value}")
        elif value not in (None, ""):
            changes.append(f"{label} modifiée" if before is not None else f"{label} saisie")
    return changes
