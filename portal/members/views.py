from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import User
from accounts.selectors import current_terms
from accounts.services import terms_accept
from companies import services
from companies.current import member_required, set_current_company
from companies.models import Invitation
from companies.roles import MANAGE_MEMBERS, assignable_roles, role_can
from companies.selectors import company_members, invitation_for_token, member_of_company, pending_invitations
from core.access import public
from core.french import de
from portal.members.forms import InvitationAcceptForm, InvitationForm, RoleForm

INVITATION_SENT = "L'invitation est envoyée à {email} ; le lien est valable 7 jours."
INVITATION_REVOKED = "L'invitation {of_email} est annulée."
ROLE_CHANGED = "{name} est désormais {role}."
MEMBER_DEACTIVATED = "{name} n'a plus accès à l'espace de l'entreprise."
WELCOME = "Bienvenue dans l'espace {of_company}."


@member_required
def member_list(request):
    actor = request.membership
    can_manage = role_can(actor.role, MANAGE_MEMBERS)
    members = list(company_members(company=actor.company))
    for member in members:
        member.manageable = can_manage and member.is_active and _may_touch(actor, member)
    context = {
        "members": members,
        "invitations": pending_invitations(company=actor.company) if can_manage else [],
        "can_manage": can_manage,
        "role_choices": [
            (role, label) for role, label in RoleForm(actor_role=actor.role).fields["role"].choices
        ],
    }
    return render(request, "portal/member_list.html", context)


def _may_touch(actor, member) -> bool:
    return member.role in assignable_roles(actor.role)


@member_required(capability=MANAGE_MEMBERS)
@require_http_methods(["GET", "POST"])
def member_invite(request):
    form = InvitationForm(request.POST or None, actor_role=request.membership.role)
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_create(
                company=request.membership.company, actor=request.membership, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error("email", error)
        else:
            messages.success(request, INVITATION_SENT.format(email=form.cleaned_data["email"]))
            return redirect("portal:members:list")
    return render(request, "portal/member_invite.html", {"form": form})


@member_required(capability=MANAGE_MEMBERS)
@require_POST
def member_change_role(request, public_id):
    member = member_of_company(company=request.membership.company, public_id=public_id)
    form = RoleForm(request.POST, actor_role=request.membership.role)
    if not form.is_valid():
        raise PermissionDenied(services.ROLE_NOT_ASSIGNABLE.format(role=request.POST.get("role", "")))
    try:
        services.membership_change_role(
            membership=member, role=form.cleaned_data["role"], actor=request.membership
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request, ROLE_CHANGED.format(name=member.user, role=member.get_role_display().lower())
        )
    return redirect("portal:members:list")


@member_required(capability=MANAGE_MEMBERS)
@require_POST
def member_deactivate(request, public_id):
    member = member_of_company(company=request.membership.company, public_id=public_id)
    try:
        services.membership_deactivate(membership=member, actor=request.membership)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, MEMBER_DEACTIVATED.format(name=member.user))
    return redirect("portal:members:list")


@member_required(capability=MANAGE_MEMBERS)
@require_POST
def invitation_revoke(request, public_id):
    invitation = pending_invitations(company=request.membership.company).filter(public_id=public_id).first()
    if invitation is not None:
        services.invitation_revoke(invitation=invitation, actor=request.membership)
        messages.success(request, INVITATION_REVOKED.format(of_email=de(invitation.email)))
    return redirect("portal:members:list")


# The token-less address an invitation link redirects to (as Django's "set-password" for resets).
INVITATION_URL_TOKEN = "suite"
INVITATION_SESSION_KEY = "_invitation_token"


@public
@require_http_methods(["GET", "POST"])
def invitation_accept(request, token):
    """Public page of an invitation link: a new person creates their account, a known one joins.

    The token leaves the address bar at once: the first GET keeps it in the session and redirects
    to ``invitation/suite/``, so it never lands in access logs, the browser history or a Referer.
    """
    if token == INVITATION_URL_TOKEN:
        token = request.session.get(INVITATION_SESSION_KEY)
        if token is None:  # another browser, or the session ended: the link must be opened again
            return render(request, "portal/invitation_unusable.html", {"link_lost": True}, status=410)
    elif request.method == "GET":
        invitation_for_token(token=token)  # an unknown token is a 404, and is not kept
        request.session[INVITATION_SESSION_KEY] = token
        return redirect("portal:members:invitation_accept", token=INVITATION_URL_TOKEN)
    invitation = invitation_for_token(token=token)
    if not services.invitation_usable(invitation):
        return _unusable(request, invitation)
    if request.user.is_authenticated:
        return _accept_as_logged_in(request, invitation)
    if User.objects.filter(email__iexact=invitation.email).exists():
        return render(request, "portal/invitation_login.html", {"invitation": invitation})
    form = InvitationAcceptForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            membership = services.invitation_accept(
                invitation=invitation,
                password=data["password1"],
                first_name=data["first_name"],
                last_name=data["last_name"],
            )
        except ValidationError:  # used or revoked meanwhile, or the address got an account
            return _unusable(request, invitation)
        if terms := current_terms():
            terms_accept(user=membership.user, terms=terms)
        login(request, membership.user, backend="django.contrib.auth.backends.ModelBackend")
        return _welcome(request, membership)
    return render(
        request,
        "portal/invitation_accept.html",
        {"invitation": invitation, "form": form, "terms": current_terms()},
    )


def _accept_as_logged_in(request, invitation: Invitation):
    if request.user.email.lower() != invitation.email.lower():
        context = {"invitation": invitation, "wrong_account": True}
        return render(request, "portal/invitation_unusable.html", context, status=403)
    if request.method != "POST":
        return render(request, "portal/invitation_join.html", {"invitation": invitation})
    try:
        membership = services.invitation_accept(invitation=invitation, user=request.user)
    except ValidationError:
        return _unusable(request, invitation)
    return _welcome(request, membership)


def _unusable(request, invitation):
    context = {"invitation": invitation, "wrong_account": False}
    return render(request, "portal/invitation_unusable.html", context, status=410)


def _welcome(request, membership):
    request.session.pop(INVITATION_SESSION_KEY, None)
    set_current_company(request, membership)
    messages.success(request, WELCOME.format(of_company=de(membership.company.name)))
    return redirect("portal:home")
