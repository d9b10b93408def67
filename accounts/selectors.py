from django.db.models import Exists, OuterRef

from accounts.models import TermsAcceptance, TermsVersion


def current_terms() -> TermsVersion | None:
    return TermsVersion.objects.order_by("-version").first()


def terms_pending_for(user) -> bool:
    """Whether the user still has to accept the current terms (one query; False when none exist)."""
    accepted = TermsAcceptance.objects.filter(user=user, terms=OuterRef("pk"))
    latest = TermsVersion.objects.order_by("-version").annotate(accepted=Exists(accepted))
    row = latest.values_list("accepted", flat=True).first()
    return row is False
