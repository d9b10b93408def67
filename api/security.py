"""Who calls the API: vendor API keys (``Authorization: Bearer cvg_…``), scopes, rate limits, audit.

Rate limits are fixed windows in the shared cache (``core.throttle``): one per client address for
every operation, one per key for the vendor operations; past them the answer is 429 with
``Retry-After``. Writes run inside a ``pghistory`` context naming the key, so every row they change
is audited with the key's name (``audit`` app).
"""

from contextlib import contextmanager

import pghistory
from django.conf import settings
from django.http import Http404
from ninja.errors import HttpError
from ninja.security import HttpBearer
from ninja.throttling import BaseThrottle

from api.problems import READ_ONLY_KEY
from apikeys.models import ApiKey
from apikeys.selectors import api_key_for
from apikeys.services import api_key_touch
from core.client_ip import client_ip_address
from core.throttle import throttle_hit


class KeyAuth(HttpBearer):
    openapi_description = (
        "Clé d'API d'une entreprise (espace éditeur → Clés d'API), envoyée en jeton porteur."
    )

    def authenticate(self, request, token: str) -> ApiKey | None:
        api_key = api_key_for(token)
        if api_key is not None:
            api_key_touch(api_key=api_key)
        return api_key


class _WindowThrottle(BaseThrottle):
    def __init__(self, *, limit_setting: str, window_setting: str):
        self.limit_setting, self.window_setting = limit_setting, window_setting

    @property
    def window(self) -> int:
        return getattr(settings, self.window_setting)

    def wait(self) -> float:
        return float(self.window)

    def key(self, request) -> str | None:
        raise NotImplementedError

    def allow_request(self, request) -> bool:
        key = self.key(request)
        if key is None:
            return True
        return not throttle_hit(key, limit=getattr(settings, self.limit_setting), window_seconds=self.window)


class AddressThrottle(_WindowThrottle):
    def __init__(self):
        super().__init__(limit_setting="API_ADDRESS_LIMIT", window_setting="API_RATE_WINDOW_SECONDS")

    def key(self, request) -> str:
        return f"api:address:{client_ip_address(request)}"


class KeyThrottle(_WindowThrottle):
    def __init__(self):
        super().__init__(limit_setting="API_KEY_LIMIT", window_setting="API_RATE_WINDOW_SECONDS")

    def key(self, request) -> str | None:
        api_key = getattr(request, "auth", None)
        return f"api:key:{api_key.pk}" if isinstance(api_key, ApiKey) else None


def company_object(api_key: ApiKey, selector, **lookup):
    """An object of the key's company through a vendor access selector (``assessment_for_member``…),
    as the key's creator sees it: 404 for an object of another company, including another company of
    which the creator is also a member."""
    found = selector(user=api_key.created_by, **lookup)
    if found.membership.company_id != api_key.company_id:
        raise Http404("Aucun objet de l'entreprise de cette clé ne correspond.")
    return found


def require_write(api_key: ApiKey) -> None:
    if not api_key.can_write:
        raise HttpError(403, READ_ONLY_KEY)


@contextmanager
def audited_write(request):
    """Run a write as the key's creator, every audited row naming the key (after the scope check)."""
    api_key: ApiKey = request.auth
    require_write(api_key)
    with pghistory.context(
        user=api_key.created_by_id, api_key=api_key.name, api_key_id=str(api_key.public_id), url=request.path
    ):
        yield api_key.created_by
