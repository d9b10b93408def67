from django.db.models import Exists, OuterRef

from accounts.models import TermsAcceptance, TermsVersion


def current_terms() -> TermsVersion | None:
    return TermsVersion.objects.order_by("-version").first()


def current_terms_number() -> int | None:
    return TermsVersion.objects.order_by("-version").values_list("version", flat=True).first()


def latest_terms_state(user) -> tuple[int, bool] | None:
    """(number of the current terms, whether the user accepted them); None when no terms exist."""
    accepted = TermsAcceptance.objects.filter(user=user, terms=OuterRef("pk"))
    latest = TermsVersion.objects.order_by("-version").annotate(accepted=Exists(accepted))
    return latest.values_list("version", "accepted").first()


def terms_pending_for(user) -> bool:
    """Whether the user still has to accept the current terms (one query; False when none exist)."""
    state = latest_terms_state(user)
    return state is not None and not state[1]
