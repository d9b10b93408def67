"""Every back-office GET page, found by walking the URL configuration, with hostile values in each
query parameter it reads: a page answers normally (the value ignored) or with a French 400, never
a server error."""

import pytest
from django.shortcuts import resolve_url
from django.utils.html import escape

from certificates.models import Certificate
from certificates.services import certificate_request
from instruction.models import ReviewComment
from instruction.services import COMMENT_UNKNOWN_ITEM
from review.assessments.views import UNKNOWN_ITEM
from tests.assessments.factories import AssessmentFactory, questionnaire_version
from tests.companies.factories import AccountRequestFactory
from tests.dmn.factories import candidature_of
from tests.helpcentre.factories import EntryFactory
from tests.proofs.factories import proof_of
from tests.review.test_permissions import PATTERNS, url_kwargs

pytestmark = pytest.mark.django_db

# Query parameters each GET page reads (a new page or parameter must be added here).
PARAMETERS = {
    "review:dashboard:index": [
        "file",
        "recherche",
        "questionnaire",
        "statut",
        "entreprise",
        "profil",
        "page",
    ],
    "review:assessments:list": [
        "file",
        "recherche",
        "questionnaire",
        "statut",
        "entreprise",
        "profil",
        "page",
    ],
    "review:assessments:detail": ["filtre"],
    "review:assessments:comment": ["item", "parent"],
    "review:assessments:trail": [],
    "review:assessments:revoke": [],
    "review:account_requests:list": ["page"],
    "review:account_requests:decided": ["page"],
    "review:subscriptions:list": ["page"],
    "review:account_requests:detail": [],
    "review:account_requests:document": [],
    "review:statistics:index": ["version"],
    "review:statistics:export": [],
    "review:referentials:list": [],
    "review:referentials:version": [],
    "review:helpcentre:list": ["statut", "page"],
    "review:helpcentre:create": [],
    "review:helpcentre:edit": [],
    "review:helpcentre:history": [],
    "review:proofs:list": [],
    "review:proofs:download": [],
    "review:proofs:inline": [],
    "review:referentials:comparison": [],
    "review:dmn:list": ["statut", "page"],
    "review:dmn:detail": [],
}
ACTIONS = {"review:assessments:take", "review:assessments:decide", "review:account_requests:approve"}
ACTIONS |= {"review:account_requests:reject", "review:assessments:reissue", "review:proofs:verdict"}
ACTIONS |= {"review:dmn:take", "review:dmn:decide"}
# Raw (already percent-encoded) values, as a hand-made URL would carry them.
HOSTILE_VALUES = [
    "%s%s",
    "%25s%25s%25(x)s",
    "{0}{}",
    "%00",
    "%ff",
    "%c3%28%ed%a0%80",  # invalid UTF-8, an encoded surrogate
    "%E2%80%AE%F0%9F%98%80",
    "-1",
    "9" * 5000,
    "NaN",
    "%3Cscript%3Ealert(1)%3C/script%3E",
    "'%20OR%201=1--",
    "..%2F..%2Fetc%2Fpasswd",
    "x" * 20_000,
    "",
]
GET_PAGES = [(name, kwargs) for _, name, kwargs in PATTERNS if name not in ACTIONS]


@pytest.fixture
def objects():
    version = questionnaire_version()
    assessment = AssessmentFactory(validated=True, questionnaire_version=version)
    proof = proof_of(assessment)
    return {
        "assessment": assessment,
        "version": version,
        "account_request": AccountRequestFactory(),
        "entry": EntryFactory(),
        "proof": proof,
        "certificate": certificate_request(
            assessment=assessment, kind=Certificate.Kind.ATTESTATION, actor=None
        ),
        "candidature": candidature_of(assessment),
    }


def test_every_get_page_declares_the_parameters_it_reads():
    assert sorted(name for name, _ in GET_PAGES) == sorted(PARAMETERS)


@pytest.mark.parametrize(("name", "kwarg_names"), GET_PAGES, ids=[name for name, _ in GET_PAGES])
def test_hostile_query_parameters_never_break_a_page(reviewer_client, objects, name, kwarg_names):
    url = resolve_url(name, **url_kwargs(name, kwarg_names, objects))
    # Parameters the page does not read are ignored; "page" stands for them.
    parameters = PARAMETERS[name] or ["page"]
    queries = [f"{parameter}={value}" for parameter in parameters for value in HOSTILE_VALUES]
    queries += [f"{parameter}=1&{parameter}=%s%00" for parameter in parameters]  # repeated
    queries += ["&".join(f"{parameter}={value}" for parameter in parameters) for value in HOSTILE_VALUES]
    for query in queries:
        response = reviewer_client.get(url, QUERY_STRING=query)
        assert response.status_code in (200, 400), (query[:80], response.status_code)
        if response.status_code == 400:
            assert "Demande invalide" in response.content.decode(), query[:80]


def test_unknown_item_of_the_comment_form_is_a_french_400(reviewer_client, objects):
    url = resolve_url("review:assessments:comment", public_id=objects["assessment"].public_id)
    response = reviewer_client.get(url, QUERY_STRING="item=%s%s")
    assert response.status_code == 400
    assert escape(UNKNOWN_ITEM) in response.content.decode()
    known = reviewer_client.get(url, QUERY_STRING="item=A08.3.1")
    assert known.status_code == 200


@pytest.mark.parametrize(
    ("item", "parent"), [("%s%s", ""), ("%(body)s", ""), ("A08\x00", ""), ("A08.3.1", "9" * 30)]
)
def test_a_comment_posted_with_hand_made_fields_is_refused_in_french(reviewer_client, item, parent):
    assessment = AssessmentFactory(in_review=True, reviewer=reviewer_client.user)
    url = resolve_url("review:assessments:comment", public_id=assessment.public_id)
    response = reviewer_client.post(url, {"item": item, "body": "Précisez le volet visé.", "parent": parent})
    assert response.status_code == 400
    page = response.content.decode()
    if "%" in item:
        assert escape(COMMENT_UNKNOWN_ITEM.format(code=item)) in page
    assert not ReviewComment.objects.exists()
