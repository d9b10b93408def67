from django.core.paginator import Paginator
from django.shortcuts import render

from accounts.access import reviewer_required
from companies.selectors import pending_account_requests
from instruction.selectors import (
    QUEUE_ALL,
    QUEUE_TO_TAKE,
    QUEUES,
    queue_counts,
    queue_filter_choices,
    review_queue,
)
from review.dashboard.forms import QueueFilterForm

PAGE_SIZE = 25


@reviewer_required
def dashboard(request):
    """The reviewer's queues: what waits to be taken, what I instruct, what everyone instructs."""
    return _queue_page(request, default_queue=QUEUE_TO_TAKE)


@reviewer_required
def assessment_list(request):
    """Every assessment the agency has received, with the same filters."""
    return _queue_page(request, default_queue=QUEUE_ALL)


def _queue_tiles(reviewer) -> list[tuple[str, str, int]]:
    counts = queue_counts(reviewer=reviewer)
    return [(code, label, counts[code]) for code, label in QUEUES.items() if code != QUEUE_ALL]


def _queue_page(request, *, default_queue: str):
    form = QueueFilterForm(request.GET or None, choices=queue_filter_choices(), default_queue=default_queue)
    filters = form.filters()
    page = Paginator(review_queue(filters=filters, reviewer=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "queue": filters.queue,
        "queues": _queue_tiles(request.user),
        "account_requests_pending": pending_account_requests().count(),
        "query": query.urlencode(),
        "show_queues": default_queue != QUEUE_ALL,
    }
    return render(request, "review/queue_list.html", context)
