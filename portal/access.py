"""The objects a portal page works on, found among the person's companies (404 for anyone else).

Each helper finds the object and the person's membership of its company in one query
(``companies.selectors.of_member``) and enters that company (``companies.current.enter_company``): a
person who belongs to several companies works, on that page, with their role in the company that owns
it. Views using them are declared ``@member_required(per_object=True)``.
"""

from assessments.models import Assessment
from assessments.selectors import assessment_for_member
from companies.current import enter_company
from dmn.models import Candidature
from dmn.selectors import candidature_for_member
from products.models import Product, ProductVersion
from products.selectors import product_for_member, product_version_for_member


def member_assessment(request, public_id, *, among: bool = False, **options) -> Assessment:
    """``among``: the assessment is looked up among the person's memberships (``request.memberships``,
    kept in the session: read from the database at login and after they change), a lighter query than
    one joining the membership: for the questionnaire's pages and its answer save."""
    if among:
        options["memberships"] = request.memberships
    assessment = assessment_for_member(user=request.user, public_id=public_id, **options)
    enter_company(request, assessment.membership)
    return assessment


def member_product(request, public_id, **options) -> Product:
    product = product_for_member(user=request.user, public_id=public_id, **options)
    enter_company(request, product.membership)
    return product


def member_product_version(request, public_id) -> ProductVersion:
    version = product_version_for_member(user=request.user, public_id=public_id)
    enter_company(request, version.membership)
    return version


def member_candidature(request, public_id) -> Candidature:
    candidature = candidature_for_member(user=request.user, public_id=public_id)
    enter_company(request, candidature.membership)
    return candidature
