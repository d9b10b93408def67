from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.access import signed_in
from companies.current import member_required, set_current_company
from companies.roles import MANAGE_MEMBERS, role_can
from companies.selectors import membership_for
from instruction.selectors import sent_back_assessments


@member_required
def home(request):
    context = {
        "can_manage_members": role_can(request.membership.role, MANAGE_MEMBERS),
        # The to-do list: what the agency sent back for changes.
        "sent_back": sent_back_assessments(company=request.membership.company),
    }
    return render(request, "portal/home.html", context)


@signed_in
@require_POST
def company_switch(request):
    """Work for another of one's companies; 404 for a company the person does not belong to."""
    membership = membership_for(user=request.user, company_public_id=request.POST.get("company", ""))
    set_current_company(request, membership)
    return redirect("portal:home")
