"""Back office: how many people follow each product of the public catalogue (counts, never addresses)."""

from django.core.paginator import Paginator
from django.shortcuts import render

from accounts.access import reviewer_required
from catalogue.selectors import subscriber_counts

PAGE_SIZE = 50


@reviewer_required
def subscriber_list(request):
    page = Paginator(subscriber_counts(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "review/subscriber_list.html", {"page": page})
