from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from companies import services
from core.access import public
from portal.account_requests.forms import AccountRequestForm


@public
@require_http_methods(["GET", "POST"])
def account_request_create(request):
    form = AccountRequestForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.account_request_create(
                    data=form.cleaned_data, document=form.cleaned_data["document"]
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                request.session["account_request_email"] = form.cleaned_data["email"]
                return redirect("account_requests:sent")
        form.ask_to_reattach_document()
    return render(request, "portal/account_request_create.html", {"form": form})


@public
def account_request_sent(request):
    return render(
        request,
        "portal/account_request_sent.html",
        {"email": request.session.get("account_request_email", "")},
    )
