"""Every URL of the project, for every access state: what each kind of visitor gets.

The URLconf is walked (``get_resolver().url_patterns``, recursively); each URL is built with real
objects of the signed-in vendor's company (or random identifiers where any value will do) and
requested as: an anonymous visitor, a vendor with a device who typed only the password, a vendor,
a reviewer who typed only the password, a reviewer, a staff member (the last three having passed
the second factor, all having accepted the terms). Each URL name must be classified in ``ACCESS``
below: a new URL fails this test until someone decides who may reach it.
"""

import re
import uuid
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts.models import User
from certificates.models import Certificate
from certificates.services import certificate_request
from companies.models import Invitation, Role
from companies.selectors import token_hash
from dmn.models import Line
from questionnaires.models import ExpectedProof
from review.statistics.views import TABLES
from tests.accounts.factories import TOTPDeviceFactory, UserFactory
from tests.accounts.helpers import accept_current_terms, verified_login
from tests.assessments.factories import AssessmentFactory
from tests.companies.factories import AccountRequestFactory, MembershipFactory
from tests.dmn.factories import candidature_of
from tests.proofs.factories import stored_proof

pytestmark = pytest.mark.django_db

OPEN = "open"  # no check at all
PUBLIC = "public"  # anyone; a session owing the second factor is sent to it
LANDING = "landing"  # where a login lands: runs the chain itself
SECOND_FACTOR = "second factor"  # signed in, nothing more
TERMS = "terms"  # signed in and second factor passed
SIGNED_IN = "signed in"  # the whole chain, no role
MEMBER = "member"  # the whole chain, then a membership of an active company
REVIEWER = "reviewer"  # the whole chain, then the reviewer role
ADMIN = "admin"  # the whole chain, then staff (every URL of the admin site)

ACCESS = {
    "healthz": OPEN,
    "accounts:logout": OPEN,
    # Pages meant for anonymous visitors.
    "home": PUBLIC,
    "accounts:login": PUBLIC,
    "accounts:password_reset": PUBLIC,
    "accounts:password_reset_done": PUBLIC,
    "accounts:password_set": PUBLIC,
    "account_requests:create": PUBLIC,
    "account_requests:sent": PUBLIC,
    "portal:members:invitation_accept": PUBLIC,
    "certificates:verify_form": PUBLIC,
    "certificates:verify": PUBLIC,
    "helpcentre:index": PUBLIC,
    "helpcentre:entry": PUBLIC,
    "helpcentre:vote": PUBLIC,
    "helpcentre:item": PUBLIC,
    "pages:legal_notice": PUBLIC,
    "pages:personal_data": PUBLIC,
    "pages:accessibility": PUBLIC,
    "pages:site_map": PUBLIC,
    "catalogue:list": PUBLIC,
    "catalogue:export": PUBLIC,
    "catalogue:product": PUBLIC,
    # Subscriptions: the request (POST only), and the signed links of the mails (no sign-in).
    "catalogue:subscribe": PUBLIC,
    "catalogue:subscription_confirm": PUBLIC,
    "catalogue:subscription_cancel": PUBLIC,
    # The API runs no page access chain: public operations need nothing, vendor ones a key.
    "api:catalogue": OPEN,
    "api:verification": OPEN,
    "api:referentials": OPEN,
    "api:referential": OPEN,
    "api:profiles_evaluation": OPEN,
    "api:products": OPEN,
    "api:assessment": OPEN,
    "api:version_create": OPEN,
    "api:assessment_start": OPEN,
    "api:assessment_import": OPEN,
    "api:assessment_submit": OPEN,
    "api:api-root": OPEN,
    "api:openapi-json": OPEN,
    "api:openapi-view": OPEN,
    "accounts:start": LANDING,
    "accounts:second_factor": SECOND_FACTOR,
    "accounts:second_factor_setup": SECOND_FACTOR,
    "accounts:second_factor_start": SECOND_FACTOR,
    "accounts:second_factor_verify": SECOND_FACTOR,
    "accounts:second_factor_recovery_codes": SECOND_FACTOR,
    "accounts:second_factor_disable": SECOND_FACTOR,
    "accounts:terms": TERMS,
    "accounts:session_resumed": SIGNED_IN,
    "portal:company_switch": SIGNED_IN,
    "certificates:request": SIGNED_IN,
    "certificates:status": SIGNED_IN,
    "certificates:download": SIGNED_IN,
    "portal:home": MEMBER,
    "portal:members:list": MEMBER,
    "portal:api_keys:list": MEMBER,
    "portal:api_keys:revoke": MEMBER,
    "portal:members:invite": MEMBER,
    "portal:members:change_role": MEMBER,
    "portal:members:deactivate": MEMBER,
    "portal:members:invitation_revoke": MEMBER,
    "portal:products:list": MEMBER,
    "portal:products:create": MEMBER,
    "portal:products:detail": MEMBER,
    "portal:products:edit": MEMBER,
    "portal:products:version_create": MEMBER,
    "portal:products:version_edit": MEMBER,
    "portal:product_panels:history": MEMBER,
    "portal:product_panels:comparison": MEMBER,
    "portal:assessments:start": MEMBER,
    "portal:assessments:detail": MEMBER,
    "portal:assessments:qualification": MEMBER,
    "portal:assessments:section": MEMBER,
    "portal:assessments:full": MEMBER,
    "portal:assessments:answer_save": MEMBER,
    "portal:assessments:item": MEMBER,
    "portal:assessments:comment_reply": MEMBER,
    "portal:assessments:submit": MEMBER,
    "portal:assessments:export": MEMBER,
    "portal:assessments:import": MEMBER,
    "review:dashboard:index": REVIEWER,
    "review:assessments:list": REVIEWER,
    "review:assessments:detail": REVIEWER,
    "review:assessments:take": REVIEWER,
    "review:assessments:comment": REVIEWER,
    "review:assessments:decide": REVIEWER,
    "review:assessments:reissue": REVIEWER,
    "review:assessments:trail": REVIEWER,
    "review:assessments:revoke": REVIEWER,
    "review:statistics:index": REVIEWER,
    "review:statistics:export": REVIEWER,
    "review:subscriptions:list": REVIEWER,
    "review:account_requests:list": REVIEWER,
    "review:account_requests:decided": REVIEWER,
    "review:account_requests:detail": REVIEWER,
    "review:account_requests:document": REVIEWER,
    "review:account_requests:approve": REVIEWER,
    "review:account_requests:reject": REVIEWER,
    "portal:proofs:item": MEMBER,
    "portal:proofs:upload": MEMBER,
    "portal:proofs:add": MEMBER,
    "portal:proofs:withdraw": MEMBER,
    "portal:proofs:download": MEMBER,
    "review:proofs:list": REVIEWER,
    "review:proofs:verdict": REVIEWER,
    "review:proofs:download": REVIEWER,
    "review:proofs:inline": REVIEWER,
    "review:referentials:list": REVIEWER,
    "review:referentials:version": REVIEWER,
    "review:helpcentre:list": REVIEWER,
    "review:helpcentre:create": REVIEWER,
    "review:helpcentre:edit": REVIEWER,
    "review:helpcentre:history": REVIEWER,
    "review:referentials:comparison": REVIEWER,
    "portal:dmn:list": MEMBER,
    "portal:dmn:capacity": MEMBER,
    "portal:dmn:create": MEMBER,
    "portal:dmn:detail": MEMBER,
    "portal:dmn:submit": MEMBER,
    "portal:dmn:renew": MEMBER,
    "review:dmn:list": REVIEWER,
    "review:dmn:detail": REVIEWER,
    "review:dmn:take": REVIEWER,
    "review:dmn:decide": REVIEWER,
}
# Built with values that match nothing (a made-up token or code): their own page says so.
MADE_UP_ARGUMENTS = {"accounts:password_set", "portal:members:invitation_accept", "certificates:verify"}
MADE_UP_ARGUMENTS |= {"helpcentre:entry", "helpcentre:item"}
MADE_UP_ARGUMENTS |= {"catalogue:subscription_confirm", "catalogue:subscription_cancel"}
# A page that answers for itself: the import form without a file (422); replacing a device without
# passing the current one sends to it.
OWN_ANSWERS = {"portal:assessments:import": {422}}
OWN_REDIRECT_TO_VERIFY = {"accounts:second_factor_setup"}
# What the staff cannot do in the admin, whatever the chain says: the model admins refuse it (403).
ADMIN_REFUSES = re.compile(r"(_add|_delete|:autocomplete)$")

LOGIN, VERIFY, REACHED, DENIED, NO_COMPANY, ANY = "login", "verify", "reached", "403", "404", "any"
EXPECTED = {
    # state: {class: outcome}
    "anonymous": {
        OPEN: ANY,
        PUBLIC: REACHED,
        LANDING: LOGIN,
        SECOND_FACTOR: LOGIN,
        TERMS: LOGIN,
        SIGNED_IN: LOGIN,
        MEMBER: LOGIN,
        REVIEWER: LOGIN,
        ADMIN: LOGIN,
    },
    "password-only vendor": {
        OPEN: ANY,
        PUBLIC: VERIFY,
        LANDING: VERIFY,
        SECOND_FACTOR: REACHED,
        TERMS: VERIFY,
        SIGNED_IN: VERIFY,
        MEMBER: VERIFY,
        REVIEWER: VERIFY,
        ADMIN: VERIFY,
    },
    "vendor": {
        OPEN: ANY,
        PUBLIC: REACHED,
        LANDING: REACHED,
        SECOND_FACTOR: REACHED,
        TERMS: REACHED,
        SIGNED_IN: REACHED,
        MEMBER: REACHED,
        REVIEWER: DENIED,
        ADMIN: DENIED,
    },
    "password-only reviewer": {
        OPEN: ANY,
        PUBLIC: VERIFY,
        LANDING: VERIFY,
        SECOND_FACTOR: REACHED,
        TERMS: VERIFY,
        SIGNED_IN: VERIFY,
        MEMBER: VERIFY,
        REVIEWER: VERIFY,
        ADMIN: VERIFY,
    },
    "reviewer": {
        OPEN: ANY,
        PUBLIC: REACHED,
        LANDING: REACHED,
        SECOND_FACTOR: REACHED,
        TERMS: REACHED,
        SIGNED_IN: REACHED,
        MEMBER: NO_COMPANY,
        REVIEWER: REACHED,
        ADMIN: DENIED,
    },
    "staff": {
        OPEN: ANY,
        PUBLIC: REACHED,
        LANDING: REACHED,
        SECOND_FACTOR: REACHED,
        TERMS: REACHED,
        SIGNED_IN: REACHED,
        MEMBER: NO_COMPANY,
        REVIEWER: DENIED,
        ADMIN: REACHED,
    },
}


def url_patterns(patterns=None, prefix: str = "", namespace: str = ""):
    """(qualified name, route with the converters still in) for every URL of the URLconf."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern).removeprefix("^").removesuffix("$")
        if isinstance(pattern, URLResolver):
            inner = ":".join(part for part in (namespace, pattern.namespace) if part)
            yield from url_patterns(pattern.url_patterns, route, inner)
        else:
            yield ":".join(part for part in (namespace, pattern.name or "") if part), route


def classify(name: str) -> str | None:
    return ADMIN if name.split(":")[0] == "admin" else ACCESS.get(name)


@pytest.fixture
def world():
    """A vendor company with one of everything a page can show, and the people of each state."""
    vendor = MembershipFactory(role=Role.MANDATAIRE)
    company = vendor.company
    colleague = MembershipFactory(company=company)
    assessment = AssessmentFactory(
        validated=True, mixed=True, product_version__product__company=company, items=3
    )
    product_version = assessment.product_version
    certificate = certificate_request(assessment=assessment, kind=Certificate.Kind.ATTESTATION, actor=None)
    certificate.file.save("document.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
    Certificate.objects.filter(pk=certificate.pk).update(
        status=Certificate.Status.READY, file=certificate.file.name, rendered_at=timezone.now()
    )
    invitation = Invitation.objects.create(
        company=company,
        email="invitee@exemple.fr",
        role=Role.SALARIE,
        invited_by=vendor.user,
        token_hash=token_hash("jeton-de-test"),
        expires_at=timezone.now() + timedelta(days=7),
    )
    account_request = AccountRequestFactory()
    questionnaire_version = assessment.questionnaire_version
    item = questionnaire_version.items.order_by("pk").first()
    expected = ExpectedProof.objects.create(
        item=item,
        code="rapport",
        kind="file",
        label="Rapport",
        instruction="Le rapport.",
        formats=["pdf"],
        max_size=10**6,
    )
    proof = stored_proof(assessment, expected)
    line_assessment = AssessmentFactory(validated=True, mixed=True, items=3, product_version=product_version)
    candidature = candidature_of(assessment, lines=[(Line.DIABETE, line_assessment)])
    identifiers = {
        "portal:members": colleague.public_id,
        "portal:members:invitation_revoke": invitation.public_id,
        "portal:products": product_version.product.public_id,
        "portal:products:version_edit": product_version.public_id,
        "portal:product_panels": product_version.product.public_id,
        "portal:assessments": assessment.public_id,
        "portal:proofs": assessment.public_id,
        # Two identifiers in the route: the assessment's, then the proof's.
        "portal:proofs:download": (assessment.public_id, proof.public_id),
        "portal:proofs:withdraw": (assessment.public_id, proof.public_id),
        "review:proofs": (assessment.public_id, proof.public_id),
        "review:proofs:list": assessment.public_id,
        "portal:assessments:start": product_version.public_id,
        "review:assessments": assessment.public_id,
        "review:assessments:revoke": (assessment.public_id, certificate.public_id),
        "review:account_requests": account_request.public_id,
        "review:referentials": questionnaire_version.public_id,
        "review:statistics": questionnaire_version.public_id,
        "certificates": certificate.public_id,
        "certificates:request": assessment.public_id,
        "catalogue:product": product_version.product.public_id,
        "portal:dmn": candidature.public_id,
        "portal:dmn:create": product_version.public_id,
        "portal:dmn:capacity": product_version.product.public_id,
        "review:dmn": candidature.public_id,
    }
    return {"vendor": vendor, "identifiers": identifiers, "item_code": item.code, "table": next(iter(TABLES))}


def sample_url(name: str, route: str, world) -> str:
    """The route with each converter replaced by a value fit for that URL."""

    used = []

    def identifier() -> str:
        for key in (name, name.rsplit(":", 1)[0]):
            if key in world["identifiers"]:
                value = world["identifiers"][key]
                if isinstance(value, tuple):
                    used.append(value[len(used)])
                    return str(used[-1])
                return str(value)
        return str(uuid.uuid4())

    samples = {
        "uuid": identifier,
        "int": lambda: "1",
        "slug": lambda: {"certificates:request": "rapport"}.get(name, world["table"]),
        "str": lambda: (
            world["item_code"] if name.startswith(("portal:assessments", "portal:proofs")) else "inconnu"
        ),
        "path": lambda: "1",
    }
    # The admin's regular expressions first: an application label, and its catch-all.
    route = re.sub(r"\(\?P<app_label>([a-z_]+)[^)]*\)", r"\1", route).replace("(?P<url>.*)", "inconnu/")
    return "/" + re.sub(r"<(?:(\w+):)?\w+>", lambda match: samples[match[1] or "str"](), route)


def _client_for(state: str, world) -> Client:
    client = Client()
    if state == "anonymous":
        return client
    if state.endswith("vendor"):
        user = world["vendor"].user
    elif state.endswith("reviewer"):
        user = UserFactory(reviewer=True)
    else:
        user = User.objects.create_superuser("technique@exemple.fr", "Mot-de-passe-admin-2026")
    accept_current_terms(user)
    device = TOTPDeviceFactory(user=user)
    return verified_login(client, user, None if state.startswith("password-only") else device)


def outcome(response) -> str:
    location = response.get("Location", "") if response.status_code == 302 else ""
    if location.startswith(reverse("accounts:login")):
        return LOGIN
    if location.startswith(reverse("accounts:second_factor_verify")):
        return VERIFY
    if location.startswith(reverse("accounts:terms")):
        return "terms"
    return {403: DENIED, 401: "401"}.get(response.status_code, REACHED)


def test_every_url_is_classified():
    unclassified = [name or route for name, route in url_patterns() if classify(name) is None]
    assert not unclassified, f"URL sans règle d'accès dans ACCESS : {unclassified}"
    assert {name for name, _route in url_patterns()} >= set(ACCESS)  # no stale entry


@pytest.mark.parametrize("state", list(EXPECTED))
def test_every_url_for_each_access_state(state, world):
    client = _client_for(state, world)
    failures = []
    for name, route in url_patterns():
        kind = classify(name)
        url = sample_url(name, route, world)
        response = client.get(url)
        expected, got = EXPECTED[state][kind], outcome(response)
        answers = {200, 302, 405} | OWN_ANSWERS.get(name, set())
        if expected == NO_COMPANY:
            ok = response.status_code == 404
        elif expected == REACHED and state == "vendor" and kind in (MEMBER, SIGNED_IN):
            # Real objects of the vendor's company: the page itself answers, not a 404.
            ok = got == REACHED and response.status_code in answers
        elif expected == REACHED and kind == PUBLIC and name not in MADE_UP_ARGUMENTS:
            ok = got == REACHED and response.status_code in answers
        elif expected == REACHED and kind == SECOND_FACTOR and name in OWN_REDIRECT_TO_VERIFY:
            ok = got in (REACHED, VERIFY)
        elif expected == REACHED and kind == ADMIN and ADMIN_REFUSES.search(name):
            ok = got in (REACHED, DENIED)
        else:
            ok = expected == ANY or got == expected
        if not ok:
            failures.append(
                f"{url} ({name or 'admin'}, {kind}): {response.status_code} {got}, attendu {expected}"
            )
    assert not failures, "\n".join(failures)
