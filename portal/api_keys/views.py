"""The company's API keys, managed by its mandataires: create (the key is shown once), revoke."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from apikeys.selectors import api_key_of_company, company_api_keys
from apikeys.services import api_key_create, api_key_revoke
from companies.current import member_required
from companies.roles import MANAGE_API_KEYS
from portal.api_keys.forms import ApiKeyForm

KEY_REVOKED = "La clé « {name} » est révoquée : elle ne donne plus accès à l'API."


@member_required(capability=MANAGE_API_KEYS)
@require_http_methods(["GET", "POST"])
def api_key_list(request):
    membership = request.membership
    form = ApiKeyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            api_key, key = api_key_create(membership=membership, **form.cleaned_data)
        except ValidationError as error:
            form.add_error("name", error)
        else:
            # Shown in this response only: it is stored nowhere in clear.
            return render(request, "portal/api_key_created.html", {"api_key": api_key, "key": key})
    context = {"form": form, "api_keys": company_api_keys(company=membership.company)}
    return render(request, "portal/api_key_list.html", context)


@member_required(capability=MANAGE_API_KEYS)
@require_POST
def api_key_revoke_view(request, public_id):
    api_key = api_key_of_company(company=request.membership.company, public_id=public_id)
    try:
        api_key_revoke(api_key=api_key, membership=request.membership)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, KEY_REVOKED.format(name=api_key.name))
    return redirect("portal:api_keys:list")
