"""The public help centre: search and facet filters, an answer with its "was it useful?", and the
questionnaire items as the published referentials define them, with the answers that explain them."""

import secrets

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from core.access import public
from core.client_ip import client_ip_address
from core.throttle import throttle_hit
from helpcentre import selectors, services
from helpcentre.forms import SearchForm, VoteForm
from helpcentre.models import Facet

PAGE_SIZE = 20
VISITOR_SESSION_KEY = "helpcentre_visitor"
THANKS = "Merci pour votre avis !"
TOO_MANY_VOTES = (
    "Trop d'avis envoyés en peu de temps depuis votre connexion. Réessayez dans quelques minutes."
)
INVALID_VOTE = "Choisissez « Oui » ou « Non »."
# A vote costs nothing to send: the limit keeps robots from skewing the figures reviewers read.
VOTE_LIMIT = 30
VOTE_WINDOW_SECONDS = 600


@public
@require_GET
def entry_list(request):
    facets = selectors.facets_with_tags()
    form = SearchForm(request.GET, facets=facets)
    text, tags = form.search()
    entries = selectors.entries_search(text=text, tags=tags)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "searching": bool(text or tags), "text": text}
    return render(request, "helpcentre/entry_list.html", context)


@public
@require_GET
def entry_detail(request, slug):
    entry = selectors.published_entry(slug=slug)
    return render(request, "helpcentre/entry_detail.html", _entry_context(request, entry))


def _entry_context(request, entry, **extra) -> dict:
    tags_by_facet = {facet.value: [] for facet in Facet}
    for tag in entry.tags.all():
        tags_by_facet[tag.facet].append(tag)
    return {
        "entry": entry,
        "facets": [
            (facet.label, tags_by_facet[facet.value]) for facet in Facet if tags_by_facet[facet.value]
        ],
        "items": selectors.items_explained(entry),
        "vote": selectors.visitor_vote(entry=entry, visitor=request.session.get(VISITOR_SESSION_KEY)),
        "vote_message": "",
        "vote_error": False,
        **extra,
    }


@public
@require_POST
def entry_vote(request, slug):
    entry = selectors.published_entry(slug=slug)
    form = VoteForm(request.POST)
    message, status = THANKS, 200
    if throttle_hit(
        f"helpcentre:vote:{client_ip_address(request)}", limit=VOTE_LIMIT, window_seconds=VOTE_WINDOW_SECONDS
    ):
        message, status = TOO_MANY_VOTES, 429
    elif not form.is_valid():
        message, status = INVALID_VOTE, 400
    else:
        # The visitor is a random token of their session, nothing that identifies them.
        visitor = request.session.setdefault(VISITOR_SESSION_KEY, secrets.token_hex(16))
        try:
            services.vote_record(entry=entry, visitor=visitor, useful=form.cleaned_data["useful"])
        except ValidationError as error:
            message = error.messages[0]
    if status == 200 and not request.htmx:
        messages.success(request, message)
        return redirect("helpcentre:entry", slug=entry.slug)
    context = _entry_context(request, entry, vote_message=message, vote_error=status != 200)
    if request.htmx:  # htmx swaps only a 2xx answer: the message says what went wrong
        return render(request, "helpcentre/includes/vote.html", context)
    return render(request, "helpcentre/entry_detail.html", context, status=status)


@public
@require_GET
def item_detail(request, code):
    item = selectors.item_definition(code=code)
    context = {"item": item, "entries": selectors.entries_for_item(code=item.code)}
    return render(request, "helpcentre/item_detail.html", context)
