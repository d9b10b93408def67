"""Writes on API keys: create (the key is returned once), revoke."""

import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from apikeys.models import ApiKey, Scope
from companies.models import Membership
from companies.roles import MANAGE_API_KEYS

KEY_PREFIX = "cvg_"
NAME_REQUIRED = "Donnez un nom à la clé (par exemple « Intégration continue »)."
NAME_TAKEN = "Une clé active porte déjà ce nom dans l'entreprise."
UNKNOWN_SCOPE = "Portée inconnue : « lecture » ou « ecriture »."
ROLE_CANNOT = "Seul un mandataire de l'entreprise gère ses clés d'API."
ALREADY_REVOKED = "Cette clé est déjà révoquée."


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _check_manager(membership: Membership) -> None:
    if not membership.can(MANAGE_API_KEYS):
        raise ValidationError(ROLE_CANNOT)


@transaction.atomic
def api_key_create(*, membership: Membership, name: str, scope: str) -> tuple[ApiKey, str]:
    """A new key of the member's company, and the key itself: the only time it exists in clear."""
    _check_manager(membership)
    name = (name or "").strip()
    if not name:
        raise ValidationError(NAME_REQUIRED)
    if scope not in Scope.values:
        raise ValidationError(UNKNOWN_SCOPE)
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    try:
        with transaction.atomic():
            api_key = ApiKey.objects.create(
                company_id=membership.company_id,
                name=name,
                scope=scope,
                prefix=key[: len(KEY_PREFIX) + 6],
                key_hash=key_hash(key),
                created_by=membership.user,
            )
    except IntegrityError as error:
        raise ValidationError(NAME_TAKEN) from error
    return api_key, key


@transaction.atomic
def api_key_revoke(*, api_key: ApiKey, membership: Membership) -> ApiKey:
    """Revoke a key for good: its next request is refused. Logged, never deleted."""
    _check_manager(membership)
    api_key = ApiKey.objects.select_for_update().get(pk=api_key.pk, company_id=membership.company_id)
    if api_key.is_revoked:
        raise ValidationError(ALREADY_REVOKED)
    api_key.revoked_at, api_key.revoked_by = timezone.now(), membership.user
    api_key.save(update_fields=["revoked_at", "revoked_by", "updated_at"])
    return api_key


def api_key_touch(*, api_key: ApiKey) -> None:
    """Record the key's use, at most once a minute (a busy CI job writes the row rarely)."""
    now = timezone.now()
    if api_key.last_used_at is None or (now - api_key.last_used_at).total_seconds() > 60:
        ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
