"""The DMN demo: Beta's two-line candidature validated with its one certificate of conformity, and a
single-line candidature awaiting review; loading twice makes nothing new."""

import io

import pytest
from django.core.management import call_command

from assessments.models import State
from certificates.models import Certificate
from demo.management.commands import load_demo
from dmn.models import Candidature

# The demo deposits files as an upload would: a temporary file left for the garbage collector to
# delete (after the storage moved it) is an error, not a warning.
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("error::pytest.PytestUnraisableExceptionWarning"),
]


@pytest.fixture
def loaders(monkeypatch):
    """``load_demo`` with the loaders these data need (the DMN referential and Beta's products)."""
    needed = [
        "questionnaires.demo",
        "accounts.demo",
        "companies.demo",
        "products.demo",
        "certificates.demo",
        "dmn.demo",
        "catalogue.demo",
    ]
    monkeypatch.setattr(load_demo, "DEMO_LOADERS", needed)


def test_demo_has_a_certified_two_line_candidature_and_one_awaiting_review(loaders):
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    call_command("load_demo", stdout=io.StringIO())  # idempotent
    validated, waiting = Candidature.objects.order_by("pk")
    assert validated.state == State.VALIDATED
    assert sorted(validated.lines.values_list("line", flat=True)) == ["cardiaque", "protheses"]
    assert waiting.state == State.SUBMITTED and list(waiting.lines.values_list("line", flat=True)) == [
        "diabete"
    ]
    (certificate,) = Certificate.objects.all()
    assert (
        certificate.kind == Certificate.Kind.CONFORMITE and certificate.procedure_ref == validated.public_id
    )
    assert [line["label"] for line in certificate.snapshot["lines"]] == [
        "Insuffisance cardiaque chronique",
        "Prothèses cardiaques implantables",
    ]
    assert certificate.display_code in out.getvalue()
