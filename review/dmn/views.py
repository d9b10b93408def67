"""Back-office pages of DMN candidatures: the queue beside the assessments', a candidature with its
questionnaires (each instructed on the assessment's own pages: comments, proof verdicts), taking it,
deciding it (valider, compléments, refuser) and its transitions."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.access import reviewer_required
from assessments.models import State
from dmn import selectors, services, workflow
from dmn.certification import candidature_certificates
from review.dmn.forms import CandidatureDecisionForm, CandidatureFilterForm

PAGE_SIZE = 25
TAKEN = "Vous instruisez maintenant cette candidature et chacun de ses questionnaires soumis."
DECIDED = {
    services.Decision.VALIDATE: "La candidature est validée, avec chacun de ses questionnaires en instruction.",
    services.Decision.REQUEST_CHANGES: (
        "La candidature est renvoyée à l'entreprise pour compléments, avec vos commentaires publiés."
    ),
    services.Decision.REFUSE: "La candidature est refusée ; vos commentaires sont publiés à l'entreprise.",
}


@reviewer_required
def candidature_list(request):
    counts = selectors.review_state_counts()
    form = CandidatureFilterForm(request.GET or None, counts=counts)
    state = form.state()
    page = Paginator(selectors.review_candidatures(state=state), PAGE_SIZE).get_page(request.GET.get("page"))
    for candidature in page:
        candidature.line_labels = selectors.line_labels(candidature.line_codes)
    context = {"form": form, "page": page, "state": state, "filtered": bool(state)}
    return render(request, "review/dmn/candidature_list.html", context)


def _detail(request, candidature, *, decision_form=None, status=200):
    can_take = workflow.refusal(candidature=candidature, to=State.IN_REVIEW, actor=request.user) is None
    # Every decision goes from the same state with the same actor rule; validating stands for them.
    can_decide = workflow.refusal(candidature=candidature, to=State.VALIDATED, actor=request.user) is None
    context = {
        "candidature": candidature,
        "product": candidature.product_version.product,
        "questionnaires": selectors.candidature_questionnaires(candidature),
        "history": selectors.candidature_history(candidature),
        "certificates": candidature_certificates(candidature),
        "can_take": can_take,
        "can_decide": can_decide,
        "decision_reserved": not can_decide and candidature.state == State.IN_REVIEW,
        "decision_form": decision_form or CandidatureDecisionForm(),
    }
    return render(request, "review/dmn/candidature_detail.html", context, status=status)


@reviewer_required
def candidature_detail(request, public_id):
    return _detail(request, selectors.candidature_for_reviewer(public_id=public_id))


@reviewer_required
@require_POST
def candidature_take(request, public_id):
    candidature = selectors.candidature_for_reviewer(public_id=public_id)
    try:
        services.candidature_take(candidature=candidature, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, TAKEN)
    return redirect("review:dmn:detail", public_id=candidature.public_id)


@reviewer_required
@require_POST
def candidature_decide(request, public_id):
    candidature = selectors.candidature_for_reviewer(public_id=public_id)
    form = CandidatureDecisionForm(request.POST)
    if form.is_valid():
        try:
            services.candidature_decide(
                candidature=candidature,
                decision=form.cleaned_data["decision"],
                actor=request.user,
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
    if not form.is_valid():
        candidature.refresh_from_db(fields=["state", "reviewer", "decided_at"])
        return _detail(request, candidature, decision_form=form, status=400)
    messages.success(request, DECIDED[form.cleaned_data["decision"]])
    return redirect("review:dmn:detail", public_id=candidature.public_id)
