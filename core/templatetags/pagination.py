"""One DSFR pagination for every paginated list; it keeps the other query parameters (filters)."""

from django import template

register = template.Library()


@register.inclusion_tag("includes/pagination.html", takes_context=True)
def pagination(context, page):
    # ``context.request`` survives an ``{% include ... only %}``, unlike the "request" variable.
    params = context.request.GET.copy()
    params.pop("page", None)
    query = params.urlencode()
    return {"page": page, "prefix": f"?{query}&page=" if query else "?page="}
