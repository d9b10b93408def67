"""The objects a portal page works on, found among the person's companies (404 for anyone else).

Each helper also enters the object's company (``companies.current.enter_company``): a person who
belongs to several companies works, on that page, with their role in the company that owns it.
"""

from assessments.models import Assessment
from assessments.selectors import assessment_for_member
from companies.current import enter_company
from products.models import Product, ProductVersion
from products.selectors import product_for_member, product_version_for_member


def member_assessment(request, public_id, **options) -> Assessment:
    assessment = assessment_for_member(memberships=request.memberships, public_id=public_id, **options)
    enter_company(request, assessment.company_id)
    return assessment


def member_product(request, public_id, **options) -> Product:
    product = product_for_member(memberships=request.memberships, public_id=public_id, **options)
    enter_company(request, product.company_id)
    return product


def member_product_version(request, public_id) -> ProductVersion:
    version = product_version_for_member(memberships=request.memberships, public_id=public_id)
    enter_company(request, version.product.company_id)
    return version
