"""The public catalogue: what it lists (valid attestations only, never answers), its search, filters,
sort, pagination, CSV export and per-product history, and its constant query count."""

import csv
import io

import pytest
from django.urls import reverse

from assessments.models import Answer
from certificates.models import Certificate
from certificates.services import certificate_revoke
from tests.accounts.factories import UserFactory
from tests.assessments.factories import questionnaire_version
from tests.catalogue.factories import SECRET_COMMENT, attest, bulk_attestations, requested, validated
from tests.certificates.snapshots import certificate_from_snapshot
from tests.companies.factories import CompanyFactory

pytestmark = pytest.mark.django_db

LIST = reverse("catalogue:list")
EXPORT = reverse("catalogue:export")


def listed_names(response) -> list[str]:
    return [entry.product_name for entry in response.context["entries"]]


def test_lists_valid_attestations_without_sign_in(client):
    attestation = attest(company=CompanyFactory(name="Éditions Alpha"))
    response = client.get(LIST)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Éditions Alpha" in content
    assert attestation.snapshot["product"]["display_name"] in content
    assert attestation.snapshot["version"]["label"] in content
    assert reverse("certificates:verify", kwargs={"code": attestation.display_code}) in content
    assert "Alimentation" in content  # the profile the snapshot says is reached


def test_revoked_pending_reports_and_superseded_documents_are_not_listed(client):
    revoked = attest(revoked=True)
    pending = requested()
    report = attest()
    Certificate.objects.filter(pk=report.pk).update(kind=Certificate.Kind.RAPPORT)
    kept = attest()
    # Same assessment, older template: only the newest document is listed.
    superseded = certificate_from_snapshot(
        assessment=kept.assessment,
        snapshot=kept.snapshot,
        template_version="2020.1",
        status=Certificate.Status.READY,
        file="certificates/ancien.pdf",
        rendered_at=kept.rendered_at,
    )
    Certificate.objects.filter(pk=superseded.pk).update(created_at=kept.created_at.replace(year=2020))
    codes = {entry.verification_code for entry in client.get(LIST).context["entries"]}
    assert codes == {kept.code}
    assert not codes & {revoked.code, pending.code, report.code, superseded.code}


def test_never_shows_answers_or_comments(client):
    attestation = attest()
    Answer.objects.filter(assessment=attestation.assessment).update(comment=SECRET_COMMENT)
    product_url = reverse(
        "catalogue:product", kwargs={"public_id": attestation.assessment.product_version.product.public_id}
    )
    for url in (LIST, EXPORT, product_url):
        body = client.get(url).content.decode("utf-8-sig")
        assert SECRET_COMMENT not in body
        assert "Prévu au prochain trimestre" not in body  # fill's mixed comments
        assert "Flux non géré par le produit" not in body  # fill's N/A justifications


def test_search_ignores_accents_and_case(client):
    bulk_attestations(3, names=["Hôpital Numérique", "Agenda Santé", "Pharmacie"])
    for search in ("hopital numerique", "HÔPITAL", "numériq"):
        assert listed_names(client.get(LIST, {"recherche": search})) == ["Hôpital Numérique Linux Site Web"]
    assert listed_names(client.get(LIST, {"recherche": "sante agenda"})) == ["Agenda Santé Linux Site Web"]
    assert listed_names(client.get(LIST, {"recherche": "100%_"})) == []


def test_filters_by_company_questionnaire_and_profile(client):
    alpha, beta = attest(), attest()
    # Beta's document reaches no profile.
    snapshot = beta.snapshot
    for profile in snapshot["profiles"].values():
        profile["reached"] = False
    Certificate.objects.filter(pk=beta.pk).update(snapshot=snapshot)
    questionnaire_version()  # the profiles offered come from the rules (PROFILE_RULES)
    company = str(alpha.company.public_id)
    assert [e.verification_code for e in client.get(LIST, {"entreprise": company}).context["entries"]] == [
        alpha.code
    ]
    code = alpha.snapshot["questionnaire"]["code"]
    assert [e.verification_code for e in client.get(LIST, {"questionnaire": code}).context["entries"]] == [
        alpha.code
    ]
    by_profile = client.get(LIST, {"profil": "alimentation"}).context["entries"]
    assert [entry.verification_code for entry in by_profile] == [alpha.code]


def test_sorts_and_paginates(client):
    bulk_attestations(30, names=[f"Produit {chr(65 + index % 26)}{index:02d}" for index in range(30)])
    first = client.get(LIST, {"tri": "produit"})
    names = listed_names(first)
    assert len(names) == 25 and names == sorted(names)
    second = client.get(LIST, {"tri": "produit", "page": 2})
    assert len(listed_names(second)) == 6  # 30 bulk rows and the template attestation
    recent = listed_names(client.get(LIST))
    assert recent != names


def test_csv_export_follows_the_filters(client):
    bulk_attestations(3, names=["Hôpital Numérique", "=HYPERLINK(1)", "Pharmacie"])
    response = client.get(EXPORT, {"recherche": "hopital"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "entreprise"
    assert [row[2] for row in rows[1:]] == ["Hôpital Numérique Linux Site Web"]
    assert rows[1][-1].startswith("http://testserver/verifier/")
    formula = list(
        csv.reader(
            io.StringIO(client.get(EXPORT, {"recherche": "hyperlink"}).content.decode("utf-8-sig")),
            delimiter=";",
        )
    )
    assert formula[1][2].startswith("'=")  # a spreadsheet shows it as text


def test_product_page_shows_the_history_with_revocations(client):
    first = attest()
    certificate_revoke(
        certificate=first, actor=UserFactory(reviewer=True), reason="Exigence A08.4.1 non tenue."
    )
    second = attest(validated(product_version__product=first.assessment.product_version.product))
    url = reverse(
        "catalogue:product", kwargs={"public_id": first.assessment.product_version.product.public_id}
    )
    response = client.get(url)
    assert response.status_code == 200
    history = response.context["product"].history
    assert [entry.display_code for entry in history] == [second.display_code, first.display_code]
    assert history[0].revoked_at is None and history[1].revoked_at is not None
    assert "Révoqué le" in response.content.decode()


def test_product_page_of_a_never_attested_product_is_404(client):
    pending = requested()
    url = reverse(
        "catalogue:product", kwargs={"public_id": pending.assessment.product_version.product.public_id}
    )
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("url", [LIST, EXPORT])
def test_query_count_does_not_grow_with_rows(client, django_assert_max_num_queries, url):
    bulk_attestations(3)
    with django_assert_max_num_queries(6) as few:
        client.get(url, {"recherche": "logiciel", "tri": "entreprise"})
    bulk_attestations(300)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url, {"recherche": "logiciel", "tri": "entreprise"})
    assert response.status_code == 200


@pytest.mark.parametrize(
    "value", ["%00", "%ff", "9" * 5000, "'%20OR%201=1--", "%3Cscript%3E", "x" * 20_000, "-1", "{0}{}"]
)
@pytest.mark.parametrize(
    "parameter", ["recherche", "profil", "questionnaire", "ligne", "entreprise", "tri", "page"]
)
def test_hostile_parameters_never_fail(client, parameter, value):
    attest()
    for url in (LIST, EXPORT):
        response = client.get(f"{url}?{parameter}={value}")
        assert response.status_code == 200, (url, parameter, value)
