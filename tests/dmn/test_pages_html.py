"""The DMN pages in the states the access walk does not reach (a refused filing, the outside-lines
answer, a refused submission with what is missing, the renewal form, a refused decision), through the
W3C Nu Html Checker in one call."""

import pytest
from django.urls import reverse

from companies.models import Role
from dmn import services
from dmn.models import Capacity, Grouping, Line
from tests.dmn.factories import complete_candidature, file_candidatures, import_dmn
from tests.html_checker import nu_errors, require_checker
from tests.products.factories import ProductVersionFactory

pytestmark = pytest.mark.django_db


def test_dmn_pages_in_every_state_pass_the_nu_checker(vendor_client_factory, reviewer_client):
    require_checker()
    import_dmn()
    vendor = vendor_client_factory(role=Role.MANDATAIRE)
    version = ProductVersionFactory(product__company=vendor.company)
    create = reverse("portal:dmn:create", args=[version.public_id])
    responses = {
        "refused filing": vendor.post(create, {"capacity": Capacity.MANUFACTURER, "lines": [Line.RENAL]}),
        "outside the lines": vendor.post(create, {"capacity": Capacity.OPERATOR, "outside": "on"}),
        "capacity": vendor.get(reverse("portal:dmn:capacity", args=[version.product.public_id])),
    }
    diabetes, _heart = file_candidatures(
        version, vendor.user, [Line.DIABETE, Line.CARDIAQUE], Grouping.PER_LINE
    )
    responses["refused submission"] = vendor.post(reverse("portal:dmn:submit", args=[diabetes.public_id]))
    complete_candidature(diabetes, vendor.user)
    services.candidature_submit(candidature=diabetes, actor=vendor.user)
    services.candidature_take(candidature=diabetes, actor=reviewer_client.user)
    decide = reverse("review:dmn:decide", args=[diabetes.public_id])
    responses["refused decision"] = reviewer_client.post(decide, {"decision": services.Decision.REFUSE})
    reviewer_client.post(decide, {"decision": services.Decision.VALIDATE})
    ProductVersionFactory(product=version.product, label="7.0")
    responses["renewal"] = vendor.get(reverse("portal:dmn:renew", args=[diabetes.public_id]))
    responses["validated, one per line"] = vendor.get(reverse("portal:dmn:detail", args=[diabetes.public_id]))
    responses["product page"] = vendor.get(
        reverse("portal:products:detail", args=[version.product.public_id])
    )
    responses["queue"] = reviewer_client.get(reverse("review:dmn:list"))
    responses["validated, reviewer"] = reviewer_client.get(
        reverse("review:dmn:detail", args=[diabetes.public_id])
    )
    assert {label: r.status_code for label, r in responses.items()} == {
        "refused filing": 422,
        "outside the lines": 200,
        "capacity": 200,
        "refused submission": 422,
        "refused decision": 400,
        "renewal": 200,
        "validated, one per line": 200,
        "product page": 200,
        "queue": 200,
        "validated, reviewer": 200,
    }
    documents = [(label, response.content.decode()) for label, response in responses.items()]
    assert not (errors := nu_errors(documents)), "Nu Html Checker :\n" + "\n".join(errors)
