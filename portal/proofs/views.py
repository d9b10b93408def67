"""Vendor side of proofs: an item's proofs page, deposits (file, link, description), withdrawals and
downloads. An item declared not applicable asks for no proof; its sworn declaration, where the item
takes one, is part of its answer (the questionnaire page) and only shown here.

The file upload view reads the body itself: it is exempt from the CSRF middleware (which would parse
the body with the default handlers, before the size limit is known) and checks the token once its own
streaming handler (``proofs.uploads``) is in place.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from assessments.models import State
from assessments.selectors import answer_values, applicable_items, assessment_structure, sworn_declarations
from companies.current import member_required
from companies.roles import ANSWER, role_can
from core.body_limit import body_limit, declared_body_size
from portal.access import member_assessment
from portal.assessments.presenters import anchor
from portal.proofs.forms import DescriptionProofForm, EffectiveDateForm, LinkProofForm
from proofs import filetypes, selectors, services
from proofs.downloads import proof_file_response
from proofs.models import Proof
from proofs.uploads import FIELD, ProofUploadHandler, megabytes
from questionnaires.levels import NA_LEVEL

ADDED = "La preuve « {label} » est enregistrée."
WITHDRAWN = "La preuve est retirée."
FORM_INVALID = "La preuve n'a pas été enregistrée : {errors}"
# The header naming the page to open after an upload sent by the progress bar's script.
UPLOAD_NEXT_HEADER = "X-Proof-Next"
# Multipart framing around the file: the form fields and boundaries, never more than this.
FORM_OVERHEAD = 64 * 1024
# States in which the vendor sees the reviewer's verdicts (as for the item comments).
VERDICTS_SHOWN = (State.CHANGES_REQUESTED, State.VALIDATED, State.REFUSED)


def _item_or_404(assessment, code) -> dict:
    item = assessment_structure(assessment).items_by_code.get(code)
    if item is None or item not in applicable_items(assessment):
        raise Http404("Cette exigence n'existe pas ou ne s'applique pas.")
    return item


def _item_url(assessment, code) -> str:
    return reverse("portal:proofs:item", args=[assessment.public_id, code])


def _after_upload(request, url):
    """Where an upload leads. The progress bar's request (static/js/proof_upload.js) gets the address
    without a redirection: a followed redirection would render the page, and with it the message
    saying what became of the file, inside the request, never shown; the script then opens it."""
    if request.headers.get("X-Requested-With") == "XMLHttpRequest":
        response = HttpResponse(status=204)
        response[UPLOAD_NEXT_HEADER] = url
        return response
    return redirect(url)


@member_required(per_object=True)
@require_GET
def item_proofs(request, public_id, code):
    assessment = member_assessment(request, public_id)
    item = _item_or_404(assessment, code)
    editable = assessment.is_editable and role_can(request.membership.role, ANSWER)
    expected = selectors.expected_by_item(assessment, [item["id"]]).get(item["id"], [])
    proofs = selectors.proofs_by_item(assessment, [item["id"]]).get(item["id"], [])
    level = answer_values(assessment).get(item["id"], ("", ""))[0]
    replacing = request.GET.get("remplacer", "")
    groups = []
    for entry in expected:
        deposited = [proof for proof in proofs if proof.expected_id == entry.pk]
        groups.append(
            {
                "expected": entry,
                "proofs": deposited,
                "formats": ", ".join(filetypes.label(code) for code in entry.formats),
                "max_size": megabytes(entry.max_size) if entry.max_size else "",
                "can_add": editable and len(deposited) < entry.max_count,
                "replacing": replacing
                if any(str(proof.public_id) == replacing for proof in deposited)
                else "",
                "form": _empty_form(entry),
            }
        )
    context = {
        "assessment": assessment,
        "product": assessment.product_version.product,
        "item": item,
        "section_index": _section_index(assessment, code),
        "anchor": anchor(code),
        "groups": groups,
        "editable": editable,
        "show_verdicts": assessment.state in VERDICTS_SHOWN,
        "is_na": level == NA_LEVEL,
        "declaration": sworn_declarations(assessment, [item["id"]]).get(item["id"]),
    }
    return render(request, "portal/proofs/item_proofs.html", context)


def _section_index(assessment, code) -> int:
    struct = assessment_structure(assessment)
    return struct.sections.index(struct.section_of_item[code])


def _empty_form(expected):
    return {"link": LinkProofForm, "description": DescriptionProofForm}.get(
        expected.kind, EffectiveDateForm
    )()


def _replaced(assessment, form) -> Proof | None:
    public_id = form.cleaned_data.get("replaces")
    if not public_id:
        return None
    proof = Proof.objects.filter(assessment=assessment, public_id=public_id).first()
    if proof is None:
        raise services.ProofRefused(services.OTHER_ITEM)
    return proof


@csrf_exempt
@body_limit(settings.PROOF_UPLOAD_MAX_BODY_SIZE)
@member_required(capability=ANSWER, per_object=True)
@require_POST
def proof_upload(request, public_id, code, proof_code):
    """A file proof, streamed to a temporary file while hashed and size-checked, then stored by hash."""
    assessment = member_assessment(request, public_id)
    _item_or_404(assessment, code)
    try:
        _, expected = services.expected_for_item(assessment=assessment, item_code=code, proof_code=proof_code)
    except ValidationError as error:
        raise Http404(error.messages[0]) from None
    if expected.kind != "file":
        raise Http404("Cette preuve ne se dépose pas sous forme de fichier.")
    if declared_body_size(request) > expected.max_size + FORM_OVERHEAD:
        # Refused before reading anything: the declared size already exceeds the limit.
        messages.error(
            request, services.TOO_LARGE.format(size=megabytes(expected.max_size), label=expected.label)
        )
        return _after_upload(request, _item_url(assessment, code))
    handler = ProofUploadHandler(request, max_size=expected.max_size)
    request.upload_handlers = [handler]
    return _receive_file(request, assessment, code, expected, handler)


@csrf_protect
def _receive_file(request, assessment, code, expected, handler):
    form = EffectiveDateForm(request.POST)
    upload = request.FILES.get(FIELD)
    try:
        if handler.refusal:
            raise services.ProofRefused(handler.refusal)
        if not form.is_valid():
            raise services.ProofRefused(_form_errors(form))
        services.proof_add_file(
            assessment=assessment,
            expected=expected,
            upload=upload,
            effective_date=form.cleaned_data["effective_date"],
            actor=request.user,
            replaces=_replaced(assessment, form),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, ADDED.format(label=expected.label))
    finally:
        if upload is not None:
            upload.close()  # the temporary file goes now, whatever happened
    return _after_upload(request, _item_url(assessment, code))


def _form_errors(form) -> str:
    return FORM_INVALID.format(errors=" ".join(error for errors in form.errors.values() for error in errors))


@member_required(capability=ANSWER, per_object=True)
@require_POST
def proof_add(request, public_id, code, proof_code):
    """A link or description proof."""
    assessment = member_assessment(request, public_id)
    _item_or_404(assessment, code)
    try:
        _, expected = services.expected_for_item(assessment=assessment, item_code=code, proof_code=proof_code)
    except ValidationError as error:
        raise Http404(error.messages[0]) from None
    if expected.kind == "file":
        raise Http404("Cette preuve se dépose sous forme de fichier.")
    form = (LinkProofForm if expected.kind == "link" else DescriptionProofForm)(request.POST)
    try:
        if not form.is_valid():
            raise services.ProofRefused(_form_errors(form))
        common = {
            "assessment": assessment,
            "expected": expected,
            "effective_date": form.cleaned_data["effective_date"],
            "actor": request.user,
            "replaces": _replaced(assessment, form),
        }
        if expected.kind == "link":
            services.proof_add_link(url=form.cleaned_data["url"], **common)
        else:
            services.proof_add_description(text=form.cleaned_data["text"], **common)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, ADDED.format(label=expected.label))
    return redirect(_item_url(assessment, code))


@member_required(capability=ANSWER, per_object=True)
@require_POST
def proof_withdraw(request, public_id, proof_id):
    assessment = member_assessment(request, public_id)
    proof = selectors.proof_of_assessment(assessment, proof_id)
    try:
        services.proof_withdraw(proof=proof, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, WITHDRAWN)
    return redirect(_item_url(assessment, proof.item.code))


@member_required(per_object=True)
@require_GET
def proof_download(request, public_id, proof_id):
    assessment = member_assessment(request, public_id)
    proof = selectors.proof_of_assessment(assessment, proof_id)
    if proof.kind != "file":
        raise Http404("Cette preuve n'est pas un fichier.")
    return proof_file_response(request, proof, inline=False)
