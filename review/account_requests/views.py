from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.access import reviewer_required
from companies import services
from companies.selectors import (
    account_request_for_reviewer,
    decided_account_requests,
    pending_account_requests,
)
from review.account_requests.forms import RejectionForm

PAGE_SIZE = 20
APPROVED = (
    "La demande est acceptée : le compte de « {company} » est ouvert et un e-mail a été envoyé à {email}."
)
REJECTED = "La demande est refusée ; le motif a été envoyé à {email}."


@reviewer_required
def account_request_list(request):
    page = Paginator(pending_account_requests(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "review/account_request_list.html", {"page": page})


@reviewer_required
def account_request_decided_list(request):
    page = Paginator(decided_account_requests(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "review/account_request_decided_list.html", {"page": page})


@reviewer_required
def account_request_detail(request, public_id):
    account_request = account_request_for_reviewer(public_id=public_id)
    context = {"account_request": account_request, "rejection_form": RejectionForm()}
    return render(request, "review/account_request_detail.html", context)


@reviewer_required
def account_request_document(request, public_id):
    account_request = account_request_for_reviewer(public_id=public_id)
    try:
        document = account_request.document.open("rb")
    except FileNotFoundError as error:
        raise Http404("Justificatif introuvable.") from error
    filename = f"justificatif-{account_request.siren}.pdf"
    return FileResponse(document, as_attachment=True, filename=filename, content_type="application/pdf")


@reviewer_required
@require_POST
def account_request_approve(request, public_id):
    account_request = account_request_for_reviewer(public_id=public_id)
    try:
        membership = services.account_request_approve(account_request=account_request, reviewer=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("review:account_requests:detail", public_id=public_id)
    messages.success(request, APPROVED.format(company=membership.company.name, email=membership.user.email))
    return redirect("review:account_requests:list")


@reviewer_required
@require_POST
def account_request_reject(request, public_id):
    account_request = account_request_for_reviewer(public_id=public_id)
    form = RejectionForm(request.POST)
    if form.is_valid():
        try:
            services.account_request_reject(
                account_request=account_request, reviewer=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            messages.error(request, error.messages[0])
            return redirect("review:account_requests:detail", public_id=public_id)
        messages.success(request, REJECTED.format(email=account_request.email))
        return redirect("review:account_requests:list")
    context = {"account_request": account_request, "rejection_form": form}
    return render(request, "review/account_request_detail.html", context, status=400)
