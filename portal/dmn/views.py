"""Vendor pages of the DMN "ligne générique" candidature: the capacity declared for a device, filing a
candidature (or learning that the generic path does not apply), the list, the candidature page with
its questionnaires and submission, and a new candidature for another version of the device.

The questionnaires themselves are answered, proved and read on the assessments' own pages.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from assessments.models import CLOSED_STATES, State
from companies.current import member_required
from companies.roles import SUBMIT_ASSESSMENT, role_can
from dmn import selectors, services, workflow
from dmn.certification import candidature_certificates
from dmn.models import Grouping
from portal.access import member_candidature, member_product, member_product_version
from portal.assessments.presenters import anchor
from portal.dmn.forms import CandidatureForm, CapacityForm, RenewForm

PER_PAGE = 20
CAPACITY_SAVED = "La qualité de votre entreprise pour ce dispositif est enregistrée : {capacity}."
CREATED = {
    Grouping.TOGETHER: "La candidature est créée. Répondez à chacun de ses questionnaires, puis soumettez-la.",
    Grouping.PER_LINE: (
        "{count} candidatures sont créées, une par ligne. Répondez à leurs questionnaires, puis "
        "soumettez chacune d'elles."
    ),
}
SUBMITTED = "La candidature est soumise à l'agence. Ses questionnaires ne sont plus modifiables pendant l'instruction."
RENEWED = "La nouvelle candidature est créée : {count} preuve(s) reprise(s), à vérifier avant de soumettre."
NO_OTHER_VERSION = "Ce produit n'a pas d'autre version : ajoutez d'abord la nouvelle version du dispositif, puis revenez ici."
# The service's messages shown beside the field they concern (others go above the form).
FIELD_OF_MESSAGE = {
    services.NO_LINE: "lines",
    services.DUPLICATE_LINE: "lines",
    services.UNKNOWN_GROUPING: "grouping",
    services.OPERATOR_ONLY: "capacity",
}


def _add_errors(form, error: ValidationError) -> None:
    for message in error.messages:
        form.add_error(FIELD_OF_MESSAGE.get(message), message)


@member_required(capability=SUBMIT_ASSESSMENT, per_object=True)
@require_http_methods(["GET", "POST"])
def capacity_declare(request, public_id):
    product = member_product(request, public_id)
    initial = {"capacity": selectors.declared_capacity(product=product) or None}
    form = CapacityForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        declared = services.capacity_declare(
            product=product, capacity=form.cleaned_data["capacity"], actor=request.user
        )
        messages.success(request, CAPACITY_SAVED.format(capacity=declared.get_capacity_display().lower()))
        return redirect("portal:products:detail", public_id=product.public_id)
    return render(request, "portal/dmn/capacity_declare.html", {"form": form, "product": product})


@member_required(capability=SUBMIT_ASSESSMENT, per_object=True)
@require_http_methods(["GET", "POST"])
def candidature_create(request, public_id):
    product_version = member_product_version(request, public_id)
    product = product_version.product
    initial = {"capacity": selectors.declared_capacity(product=product) or None}
    form = CandidatureForm(request.POST or None, initial=initial)
    context = {"form": form, "product_version": product_version, "product": product}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            candidatures = services.candidature_create(
                product_version=product_version,
                lines=data["lines"],
                grouping=data["grouping"],
                capacity=data["capacity"],
                outside=data["outside"],
                actor=request.user,
            )
        except services.OutsideLines as outside:
            context["outside"] = outside.messages[0]
            return render(request, "portal/dmn/candidature_outside.html", context)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, CREATED[data["grouping"]].format(count=len(candidatures)))
            if len(candidatures) == 1:
                return redirect("portal:dmn:detail", public_id=candidatures[0].public_id)
            return redirect("portal:dmn:list")
    status = 422 if form.errors else 200
    return render(request, "portal/dmn/candidature_create.html", context, status=status)


@member_required
def candidature_list(request):
    candidatures = selectors.company_candidatures(company=request.membership.company)
    page = Paginator(candidatures, PER_PAGE).get_page(request.GET.get("page"))
    _labelled(page)
    return render(request, "portal/dmn/candidature_list.html", {"page": page})


def _labelled(candidatures):
    for candidature in candidatures:
        candidature.line_labels = selectors.line_labels(candidature.line_codes)
    return candidatures


def _detail_context(request, candidature, **extra) -> dict:
    roles = [request.membership.role]
    can_submit = (
        workflow.refusal(candidature=candidature, to=State.SUBMITTED, actor=request.user, roles=roles) is None
    )
    may_file = role_can(request.membership.role, SUBMIT_ASSESSMENT)
    per_line = candidature.grouping == Grouping.PER_LINE
    return {
        "candidature": candidature,
        "product_version": candidature.product_version,
        "product": candidature.product_version.product,
        "questionnaires": selectors.candidature_questionnaires(candidature),
        "history": selectors.candidature_history(candidature),
        "certificates": candidature_certificates(candidature),
        "siblings": _labelled(selectors.sibling_candidatures(candidature)) if per_line else [],
        "per_line": per_line,
        "can_submit": can_submit,
        # Submitting is possible from this state, but the person's role does not allow it.
        "submit_reserved": not can_submit and candidature.is_editable,
        "can_renew": may_file and candidature.state in CLOSED_STATES,
        "sent_back": candidature.state == State.CHANGES_REQUESTED,
        "errors": [],
        "gaps": [],
        **extra,
    }


@member_required(per_object=True)
def candidature_detail(request, public_id):
    candidature = member_candidature(request, public_id)
    return render(request, "portal/dmn/candidature_detail.html", _detail_context(request, candidature))


def _gaps(candidature) -> list[dict]:
    """What blocks the submission, each item linked to where it is answered or proved."""
    gaps = selectors.submission_gaps(candidature)
    for gap in gaps:
        public_id = gap["assessment"].public_id
        for item in gap["missing"]:
            if item["proofs"]:
                item["url"] = reverse("portal:proofs:item", args=[public_id, item["code"]])
            else:
                section = reverse("portal:assessments:section", args=[public_id, item["section_index"]])
                item["url"] = f"{section}#{anchor(item['code'])}"
    return gaps


@member_required(capability=SUBMIT_ASSESSMENT, per_object=True)
@require_POST
def candidature_submit(request, public_id):
    candidature = member_candidature(request, public_id)
    try:
        services.candidature_submit(candidature=candidature, actor=request.user)
    except ValidationError as error:
        candidature.refresh_from_db(fields=["state", "submitted_at", "reviewer"])
        context = _detail_context(request, candidature, errors=error.messages, gaps=_gaps(candidature))
        return render(request, "portal/dmn/candidature_detail.html", context, status=422)
    messages.success(request, SUBMITTED)
    return redirect("portal:dmn:detail", public_id=candidature.public_id)


@member_required(capability=SUBMIT_ASSESSMENT, per_object=True)
@require_http_methods(["GET", "POST"])
def candidature_renew(request, public_id):
    previous = member_candidature(request, public_id)
    form = RenewForm(request.POST or None, versions=selectors.renewal_versions(previous))
    if request.method == "POST" and form.is_valid():
        try:
            renewal = services.candidature_renew(
                previous=previous, product_version=form.cleaned_data["product_version"], actor=request.user
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, RENEWED.format(count=renewal.carried_proofs))
            return redirect("portal:dmn:detail", public_id=renewal.candidatures[0].public_id)
    context = {
        "form": form,
        "candidature": previous,
        "product": previous.product_version.product,
        "line_labels": [row.get_line_display() for row in previous.lines.all()],
        "per_line": previous.grouping == Grouping.PER_LINE,
        "no_version": NO_OTHER_VERSION if not form.fields["product_version"].choices else "",
    }
    return render(request, "portal/dmn/candidature_renew.html", context, status=422 if form.errors else 200)
