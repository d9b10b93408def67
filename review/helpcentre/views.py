"""Back office: the help centre's answers, with their visitors' votes, edited and published here."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from accounts.access import reviewer_required
from helpcentre import selectors, services
from helpcentre.models import Tag
from review.helpcentre.forms import EntryFilterForm, EntryForm

PAGE_SIZE = 50
CREATED = "La réponse « {title} » est enregistrée."
SAVED = "Les modifications de « {title} » sont enregistrées."


@reviewer_required
@require_GET
def entry_list(request):
    form = EntryFilterForm(request.GET)
    status = form.cleaned_data["statut"] if form.is_valid() else ""
    page = Paginator(selectors.entries_for_review(status=status), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "review/helpcentre/entry_list.html", {"page": page, "form": form})


def _tags() -> list[Tag]:
    return list(Tag.objects.all())


@reviewer_required
@require_http_methods(["GET", "POST"])
def entry_create(request):
    form = EntryForm(request.POST or None, tags=_tags())
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.entry_create(**form.entry_data())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, CREATED.format(title=entry.title))
            return redirect("review:helpcentre:edit", public_id=entry.public_id)
    return render(request, "review/helpcentre/entry_form.html", {"form": form, "entry": None})


@reviewer_required
@require_http_methods(["GET", "POST"])
def entry_edit(request, public_id):
    entry = selectors.entry_for_reviewer(public_id=public_id)
    tags = _tags()
    form = (
        EntryForm(request.POST, tags=tags)
        if request.method == "POST"
        else EntryForm.for_entry(entry, tags=tags)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.entry_update(entry=entry, **form.entry_data())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, SAVED.format(title=entry.title))
            return redirect("review:helpcentre:edit", public_id=entry.public_id)
    return render(request, "review/helpcentre/entry_form.html", {"form": form, "entry": entry})


@reviewer_required
@require_GET
def entry_history(request, public_id):
    entry = selectors.entry_for_reviewer(public_id=public_id)
    context = {"entry": entry, "events": selectors.entry_history(entry=entry)}
    return render(request, "review/helpcentre/entry_history.html", context)
