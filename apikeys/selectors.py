"""Reads on API keys: the key behind a request, and a company's keys for its mandataires."""

from django.db.models import Exists, OuterRef, QuerySet
from django.shortcuts import get_object_or_404

from apikeys.models import ApiKey
from apikeys.services import KEY_PREFIX, key_hash
from companies.models import Membership, Role


def api_key_for(key: str) -> ApiKey | None:
    """The live key ``key`` stands for, with its company and creator (one query), or None.

    A key works while it is not revoked, its company is active, and the mandataire who created it
    is still an active mandataire of it: the API acts as that person, and stops with their access.
    """
    if not key or not key.startswith(KEY_PREFIX) or len(key) > 100:
        return None
    creator_still_mandataire = Membership.objects.filter(
        user_id=OuterRef("created_by_id"),
        company_id=OuterRef("company_id"),
        role=Role.MANDATAIRE,
        is_active=True,
        user__is_active=True,
    )
    return (
        ApiKey.objects.select_related("company", "created_by")
        .filter(key_hash=key_hash(key), revoked_at__isnull=True, company__is_active=True)
        .filter(Exists(creator_still_mandataire))
        .first()
    )


def company_api_keys(*, company) -> QuerySet[ApiKey]:
    return ApiKey.objects.filter(company=company).select_related("created_by", "revoked_by")


def api_key_of_company(*, company, public_id) -> ApiKey:
    return get_object_or_404(ApiKey, company=company, public_id=public_id)
