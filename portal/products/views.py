from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from assessments import diff
from assessments.models import State
from assessments.selectors import submissions_of_product
from companies.current import member_required
from companies.roles import ANSWER, EDIT_PRODUCTS, SUBMIT_ASSESSMENT, role_can
from dmn.selectors import product_dmn_summary
from portal.access import member_product, member_product_version
from portal.products.forms import VARIANT_HELP, ProductForm, ProductSearchForm, ProductVersionForm
from products import selectors, services
from products.services import PRODUCT_IDENTITY_LOCKED, VERSION_LABEL_LOCKED

PER_PAGE = 20
PRODUCT_CREATED = "Le produit « {name} » est créé. Ajoutez maintenant sa version."
PRODUCT_UPDATED = "Le produit « {name} » est modifié."
VERSION_CREATED = "La version « {label} » est ajoutée."
DIFF_IMPOSSIBLE = "Choisissez deux soumissions différentes d'une même version du produit."
VERSION_UPDATED = "La version « {label} » est modifiée."


@member_required
def product_list(request):
    form = ProductSearchForm(request.GET or None)
    search = form.cleaned_data["q"] if form.is_valid() else ""
    products = selectors.company_products(company=request.membership.company, search=search)
    page = Paginator(products, PER_PAGE).get_page(request.GET.get("page"))
    for product in page:
        product.latest_state_label = State(product.latest_state).label if product.latest_state else ""
        # Only the agency's validation makes the profiles reached; before, they are aimed at.
        product.latest_provisional = product.latest_state != State.VALIDATED
    context = {
        "form": form,
        "search": search,
        "page": page,
        "can_edit": role_can(request.membership.role, EDIT_PRODUCTS),
    }
    return render(request, "portal/products/product_list.html", context)


def _apply(form, service, **kwargs):
    """Call the service with the form's data; its ValidationError lands on the form (nothing lost)."""
    try:
        return service(**kwargs, **form.cleaned_data)
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, error)
        return None


@member_required(capability=EDIT_PRODUCTS)
@require_http_methods(["GET", "POST"])
def product_create(request):
    company = request.membership.company
    form = ProductForm(request.POST or None, company=company)
    if request.method == "POST" and form.is_valid():
        product = _apply(form, services.product_create, company=company, actor=request.user)
        if product is not None:
            messages.success(request, PRODUCT_CREATED.format(name=product.display_name))
            return redirect("portal:products:version_create", public_id=product.public_id)
    return render(
        request, "portal/products/product_create.html", {"form": form, "variant_help": VARIANT_HELP}
    )


@member_required(capability=EDIT_PRODUCTS, per_object=True)
@require_http_methods(["GET", "POST"])
def product_edit(request, public_id):
    product = member_product(request, public_id)
    locked = selectors.product_identity_locked(product=product)
    form = ProductForm(
        request.POST or None, instance=product, company=product.company, identity_locked=locked
    )
    if request.method == "POST" and form.is_valid():
        if _apply(form, services.product_update, product=product, actor=request.user) is not None:
            messages.success(request, PRODUCT_UPDATED.format(name=product.display_name))
            return redirect("portal:products:detail", public_id=product.public_id)
        product.refresh_from_db()
    context = {"form": form, "product": product, "locked_message": PRODUCT_IDENTITY_LOCKED if locked else ""}
    return render(request, "portal/products/product_edit.html", context)


@member_required(per_object=True)
def product_detail(request, public_id):
    product = member_product(request, public_id, with_versions=True)
    submissions = submissions_of_product(product=product)
    role = request.membership.role
    requested = request.GET.get(diff.BEFORE_PARAM), request.GET.get(diff.AFTER_PARAM)
    result = diff.requested_diff(submissions, request.GET)
    versions = product.versions.all()
    for version in versions:
        for assessment in version.assessments.all():
            assessment.profiles_provisional = assessment.state != State.VALIDATED
    context = {
        "product": product,
        "versions": versions,
        "comparisons": diff.comparisons(submissions, request.GET),
        "diff": result,
        "diff_error": DIFF_IMPOSSIBLE if all(requested) and result is None else "",
        "can_edit": role_can(role, EDIT_PRODUCTS),
        "can_answer": role_can(role, ANSWER),
        "can_file": role_can(role, SUBMIT_ASSESSMENT),
        "dmn": product_dmn_summary(product=product),
    }
    return render(request, "portal/products/product_detail.html", context)


@member_required(capability=EDIT_PRODUCTS, per_object=True)
@require_http_methods(["GET", "POST"])
def version_create(request, public_id):
    product = member_product(request, public_id)
    form = ProductVersionForm(request.POST or None, product=product)
    if request.method == "POST" and form.is_valid():
        version = _apply(form, services.product_version_create, product=product, actor=request.user)
        if version is not None:
            messages.success(request, VERSION_CREATED.format(label=version.label))
            return redirect("portal:products:detail", public_id=product.public_id)
    return render(request, "portal/products/version_create.html", {"form": form, "product": product})


@member_required(capability=EDIT_PRODUCTS, per_object=True)
@require_http_methods(["GET", "POST"])
def version_edit(request, public_id):
    version = member_product_version(request, public_id)
    locked = selectors.version_label_locked(version=version)
    form = ProductVersionForm(
        request.POST or None, instance=version, product=version.product, label_locked=locked
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and _apply(form, services.product_version_update, version=version, actor=request.user)
    ):
        messages.success(request, VERSION_UPDATED.format(label=version.label))
        return redirect("portal:products:detail", public_id=version.product.public_id)
    return render(
        request,
        "portal/products/version_edit.html",
        {
            "form": form,
            "version": version,
            "product": version.product,
            "locked_message": VERSION_LABEL_LOCKED if locked else "",
        },
    )
