"""Subscriptions to a product of the public catalogue: double opt-in without enumeration, one-click
unsubscription, the messages on issue and revocation (enqueued by the certificates services), the
weekly digest, the limits, the agency's counts, and privacy (no address shown anywhere)."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from catalogue import services, tasks
from catalogue.models import DocumentNotice, Frequency, Subscription
from catalogue.views import SUBSCRIBE_LIMIT, SUBSCRIPTION_SENT, TOO_MANY_SUBSCRIPTIONS
from certificates import services as certificate_services
from certificates.models import Certificate
from companies.models import Role
from tests.accounts.factories import UserFactory
from tests.catalogue.factories import attest, bulk_attestations, requested
from tests.companies.factories import MembershipFactory

pytestmark = pytest.mark.django_db

ADDRESS = "lecteur@hopital.example"
HOSTILE = ["%s%s", "\x00", "é" * 300, "<script>", "'; DROP TABLE x;--", "9" * 5000, ""]


def product_of(certificate: Certificate):
    return certificate.assessment.product_version.product


def subscribe(client, product, email=ADDRESS, frequency=Frequency.EACH, **extra):
    url = reverse("catalogue:subscribe", kwargs={"public_id": product.public_id})
    return client.post(url, {"email": email, "frequence": frequency}, **extra)


def link_in(message, name: str) -> str:
    prefix = reverse(name, kwargs={"token": "x"}).rsplit("x/", 1)[0]
    return re.search(re.escape(settings.SITE_URL + prefix) + r"[^/\s]+/", message.body)[0].removeprefix(
        settings.SITE_URL
    )


def subscribed(product, email=ADDRESS, frequency=Frequency.EACH, **extra) -> Subscription:
    return Subscription.objects.create(
        email=email, product=product, frequency=frequency, confirmed_at=timezone.now(), **extra
    )


# --- Double opt-in ----------------------------------------------------------------------------------
def test_product_page_offers_the_subscription_form(client):
    product = product_of(attest())
    page = client.get(reverse("catalogue:product", kwargs={"public_id": product.public_id})).content.decode()
    assert f'action="{reverse("catalogue:subscribe", kwargs={"public_id": product.public_id})}"' in page
    assert 'name="email"' in page and 'name="frequence"' in page


def test_request_stores_nothing_and_mails_a_confirmation_link_to_the_address_only(client):
    attestation = attest()
    MembershipFactory(company=attestation.company, role=Role.MANDATAIRE)
    response = subscribe(client, product_of(attestation))
    assert response.status_code == 302
    assert not Subscription.objects.exists()
    assert [message.to for message in mail.outbox] == [[ADDRESS]]  # nothing to the company
    assert link_in(mail.outbox[0], "catalogue:subscription_confirm")


def test_the_answer_is_the_same_whether_or_not_the_address_is_subscribed(client):
    product = product_of(attest())
    first = subscribe(client, product)
    first_page = client.get(first.url).content.decode()
    subscribed(product)
    again = subscribe(client, product)
    again_page = client.get(again.url).content.decode()
    assert (first.status_code, first.url) == (again.status_code, again.url)
    assert SUBSCRIPTION_SENT.replace("'", "&#x27;") in first_page
    csrf = re.compile(r"\b[A-Za-z0-9]{64}\b")  # the CSRF tokens of the form and of htmx
    assert csrf.sub("", first_page) == csrf.sub("", again_page)
    assert len(mail.outbox) == 2  # a confirmation link both times


def test_following_the_link_shows_a_button_and_only_the_button_subscribes(client):
    product = product_of(attest())
    subscribe(client, product, frequency=Frequency.WEEKLY)
    url = link_in(mail.outbox[0], "catalogue:subscription_confirm")
    page = client.get(url)
    assert page.status_code == 200 and "Confirmer mon abonnement" in page.content.decode()
    assert not Subscription.objects.exists()  # a mail scanner following links confirms nothing
    assert client.post(url).status_code == 200
    assert client.post(url).status_code == 200  # twice: still one subscription
    subscription = Subscription.objects.get()
    assert (subscription.email, subscription.product, subscription.frequency) == (
        ADDRESS,
        product,
        Frequency.WEEKLY,
    )


def test_address_is_normalised_so_one_person_subscribes_once(client):
    product = product_of(attest())
    subscribe(client, product, email="  Lecteur@Hopital.Example ")
    subscribe(client, product, frequency=Frequency.WEEKLY)
    for message in mail.outbox:
        client.post(link_in(message, "catalogue:subscription_confirm"))
    assert list(Subscription.objects.values_list("email", "frequency")) == [(ADDRESS, Frequency.WEEKLY)]


@pytest.mark.parametrize("alter", [lambda token: token[:-2] + "xx", lambda token: "a" + token, lambda _: "x"])
def test_altered_confirmation_link_is_refused(client, alter):
    subscribe(client, product_of(attest()))
    url = link_in(mail.outbox[0], "catalogue:subscription_confirm")
    token = url.rstrip("/").rsplit("/", 1)[1]
    forged = reverse("catalogue:subscription_confirm", kwargs={"token": alter(token)})
    for response in (client.get(forged), client.post(forged)):
        assert response.status_code == 400
        assert services.INVALID_LINK.replace("'", "&#x27;") in response.content.decode()
    assert not Subscription.objects.exists()


def test_expired_confirmation_link_is_refused(client, monkeypatch):
    subscribe(client, product_of(attest()))
    url = link_in(mail.outbox[0], "catalogue:subscription_confirm")
    monkeypatch.setattr(services, "CONFIRM_MAX_AGE", timedelta(seconds=-1))
    assert client.post(url).status_code == 400
    assert not Subscription.objects.exists()


def test_a_product_without_public_page_cannot_be_subscribed_to(client):
    pending = requested()
    assert subscribe(client, product_of(pending)).status_code == 404
    assert not mail.outbox


@pytest.mark.parametrize("field", ["email", "frequence"])
@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_fields_are_a_french_400(client, field, value):
    product = product_of(attest())
    data = {"email": ADDRESS, "frequence": Frequency.EACH, field: value}
    url = reverse("catalogue:subscribe", kwargs={"public_id": product.public_id})
    response = client.post(url, data)
    assert response.status_code == 400
    assert "Suivre ce produit" in response.content.decode()
    assert not mail.outbox


@pytest.mark.parametrize("token", ["%s%s", "..%2F", "x" * 3000, "e30:1tZ:abc", "%00", "é"])
def test_hostile_tokens_never_break_the_link_pages(client, token):
    for name in ("catalogue:subscription_confirm", "catalogue:subscription_cancel"):
        url = reverse(name, kwargs={"token": "T"}).replace("/T/", f"/{token}/")
        assert client.get(url).status_code in (200, 400, 404)
        assert client.post(url).status_code in (400, 404)


# --- Limits -------------------------------------------------------------------------------------------
def test_requests_from_one_address_are_limited(client):
    product = product_of(attest())
    for index in range(SUBSCRIBE_LIMIT):
        assert subscribe(client, product, email=f"personne{index}@exemple.fr").status_code == 302
    response = subscribe(client, product, email="une-de-trop@exemple.fr")
    assert response.status_code == 429
    assert TOO_MANY_SUBSCRIPTIONS.replace("'", "&#x27;") in response.content.decode()
    assert len(mail.outbox) == SUBSCRIBE_LIMIT


def test_one_mailbox_gets_few_links_a_day_and_the_answer_does_not_change(client):
    product = product_of(attest())
    answers = set()
    for index in range(services.ADDRESS_LIMIT + 2):
        # From different client addresses: the per-mailbox limit holds whoever asks.
        response = subscribe(client, product, REMOTE_ADDR=f"192.0.2.{index + 1}")
        answers.add((response.status_code, response.url))
    assert len(answers) == 1
    assert len(mail.outbox) == services.ADDRESS_LIMIT


# --- Unsubscription ---------------------------------------------------------------------------------
def test_unsubscribe_link_works_in_one_click_without_sign_in(client):
    subscription = subscribed(product_of(attest()))
    url = services.cancel_path(subscription)
    assert client.get(url).status_code == 200
    assert Subscription.objects.exists()  # GET never writes
    # The one-click POST of RFC 8058, as a mail client sends it: no session, no CSRF token.
    response = Client(enforce_csrf_checks=True).post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not Subscription.objects.exists()
    assert Client(enforce_csrf_checks=True).post(url).status_code == 200  # a second click too


def test_altered_unsubscribe_link_is_refused(client):
    subscription = subscribed(product_of(attest()))
    other = subscribed(product_of(attest()))
    url = services.cancel_path(subscription)
    # The other subscription's identifier under this one's signature.
    payload = services.cancel_token(other).split(":")[0]
    forged = reverse(
        "catalogue:subscription_cancel",
        kwargs={"token": ":".join([payload, *services.cancel_token(subscription).split(":")[1:]])},
    )
    assert client.post(url[:-3] + "aa/").status_code == 400
    assert client.post(forged).status_code == 400
    assert Subscription.objects.count() == 2


# --- Issue and revocation -----------------------------------------------------------------------------
@pytest.fixture
def published(monkeypatch):
    """The tasks the certificates services enqueue (task name, arguments), instead of the broker."""
    calls = []
    monkeypatch.setattr(certificate_services, "_publish", lambda task, *args: calls.append((task.name, args)))
    return calls


def test_certificates_enqueue_the_subscription_task_on_issue_and_revocation(
    published, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(certificate_services.rendering, "render_pdf", lambda snapshot, code: b"%PDF-1.4")
    pending = requested()
    with django_capture_on_commit_callbacks(execute=True):
        certificate_services.certificate_render_pdf(certificate=pending)
    with django_capture_on_commit_callbacks(execute=True):
        certificate_services.certificate_revoke(
            certificate=pending, actor=UserFactory(reviewer=True), reason="Preuve retirée."
        )
    task = "catalogue.tasks.subscriptions_notify_document"
    assert published == [(task, (pending.pk, "issued")), (task, (pending.pk, "revoked"))]
    assert task == tasks.subscriptions_notify_document.name


def test_reports_and_rolled_back_changes_are_not_announced(published, django_capture_on_commit_callbacks):
    report = attest()
    Certificate.objects.filter(pk=report.pk).update(kind=Certificate.Kind.RAPPORT)
    report.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        certificate_services.certificate_revoke(
            certificate=report, actor=UserFactory(reviewer=True), reason="Preuve retirée."
        )
    assert published == []


def test_change_mails_each_immediate_subscriber_with_an_unsubscribe_link(client):
    attestation = attest()
    product = product_of(attestation)
    member = MembershipFactory(company=attestation.company, role=Role.MANDATAIRE)
    each = subscribed(product)
    subscribed(product, email="hebdo@exemple.fr", frequency=Frequency.WEEKLY)
    subscribed(product_of(attest()), email="autre-produit@exemple.fr")
    sent = services.subscriptions_notify_document(certificate_id=attestation.pk, change="issued")
    assert sent == 1
    assert [message.to for message in mail.outbox] == [[ADDRESS]]
    assert member.user.email not in str([message.to for message in mail.outbox])
    message = mail.outbox[0]
    assert attestation.display_code in message.body
    cancel = services.cancel_path(each)
    assert cancel in message.body and cancel in message.alternatives[0][0]
    assert message.extra_headers["List-Unsubscribe"] == f"<{settings.SITE_URL}{cancel}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    client.post(cancel)  # the link in the mail works
    assert not Subscription.objects.filter(pk=each.pk).exists()


def test_change_is_told_once_and_only_when_it_happened():
    attestation = attest()
    subscribed(product_of(attestation))
    # Not revoked: a "revoked" announcement is stale, nothing is sent.
    assert services.subscriptions_notify_document(certificate_id=attestation.pk, change="revoked") == 0
    assert services.subscriptions_notify_document(certificate_id=attestation.pk, change="issued") == 1
    assert services.subscriptions_notify_document(certificate_id=attestation.pk, change="issued") == 0
    assert len(mail.outbox) == 1
    assert DocumentNotice.objects.get().recipients == 1
    certificate_services.certificate_revoke(
        certificate=attestation, actor=UserFactory(reviewer=True), reason="Exigence A08.4.1 non tenue."
    )
    mail.outbox.clear()
    assert services.subscriptions_notify_document(certificate_id=attestation.pk, change="revoked") == 1
    assert "Exigence A08.4.1 non tenue." in mail.outbox[0].body


# --- Weekly digest --------------------------------------------------------------------------------------
def test_weekly_digest_sends_one_message_per_subscriber_with_the_week_changes():
    first, second, quiet = attest(), attest(), attest()
    now = timezone.now()
    week_ago = now - timedelta(days=7)
    Certificate.objects.filter(pk=quiet.pk).update(rendered_at=now - timedelta(days=30))
    for certificate in (first, second, quiet):
        subscribed(product_of(certificate), frequency=Frequency.WEEKLY, digest_sent_at=week_ago)
    subscribed(product_of(first), email="immediat@exemple.fr", frequency=Frequency.EACH)
    subscribed(product_of(quiet), email="rien-de-neuf@exemple.fr", frequency=Frequency.WEEKLY)
    Subscription.objects.filter(email="rien-de-neuf@exemple.fr").update(digest_sent_at=week_ago)
    assert services.subscriptions_send_digests(now=now) == 1
    [digest] = mail.outbox
    assert digest.to == [ADDRESS]
    assert first.display_code in digest.body and second.display_code in digest.body
    assert quiet.display_code not in digest.body
    for subscription in Subscription.objects.filter(
        email=ADDRESS, product__in=[product_of(first), product_of(second)]
    ):
        assert services.cancel_path(subscription) in digest.body
    # Run again (a redelivered task, a second beat): nothing new, nothing sent.
    assert services.subscriptions_send_digests(now=now + timedelta(minutes=1)) == 0
    assert len(mail.outbox) == 1


def test_weekly_digest_reports_revocations():
    attestation = attest()
    subscription = subscribed(product_of(attestation), frequency=Frequency.WEEKLY)
    Subscription.objects.filter(pk=subscription.pk).update(digest_sent_at=timezone.now())
    certificate_services.certificate_revoke(
        certificate=attestation, actor=UserFactory(reviewer=True), reason="Preuve d'interopérabilité retirée."
    )
    assert services.subscriptions_send_digests(now=timezone.now()) == 1
    assert (
        "révoquée le" in mail.outbox[0].body and "Preuve d'interopérabilité retirée." in mail.outbox[0].body
    )


def test_beat_sends_the_digest_weekly():
    entry = settings.CELERY_BEAT_SCHEDULE["catalogue-weekly-digests"]
    assert entry["task"] == "catalogue.tasks.subscriptions_send_digests"
    assert entry["task"] == tasks.subscriptions_send_digests.name
    assert entry["schedule"].day_of_week == {1}  # Monday


# --- The agency's counts, and privacy -----------------------------------------------------------------
def test_reviewer_sees_the_number_of_confirmed_subscribers_per_product(reviewer_client):
    followed, less_followed = product_of(attest()), product_of(attest())
    for index in range(3):
        subscribed(followed, email=f"abonne{index}@exemple.fr")
    subscribed(less_followed)
    response = reviewer_client.get(reverse("review:subscriptions:list"))
    assert response.status_code == 200
    rows = [(product.pk, product.subscribers) for product in response.context["page"].object_list]
    assert rows == [(followed.pk, 3), (less_followed.pk, 1)]
    assert "@" not in response.content.decode().split("<main", 1)[1].split("</main>")[0]


def test_subscriber_list_query_count_is_constant(reviewer_client, django_assert_max_num_queries):
    url = reverse("review:subscriptions:list")
    for certificate in bulk_attestations(3):
        subscribed(product_of(certificate))
    with django_assert_max_num_queries(30) as few:
        reviewer_client.get(url)
    for certificate in bulk_attestations(40):
        subscribed(product_of(certificate))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert reviewer_client.get(url).status_code == 200


def test_no_public_page_shows_subscribers(client):
    attestation = attest()
    product = product_of(attestation)
    subscription = subscribed(product)
    pages = [
        reverse("catalogue:list"),
        reverse("catalogue:export"),
        reverse("catalogue:product", kwargs={"public_id": product.public_id}),
        reverse("certificates:verify", kwargs={"code": attestation.display_code}),
        reverse("api:catalogue"),
        services.cancel_path(subscription),
    ]
    for url in pages:
        body = client.get(url).content.decode("utf-8-sig")
        assert ADDRESS not in body, url
