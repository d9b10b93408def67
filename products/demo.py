"""Development-only demo products of the demo companies (``companies.demo``): several per company,
with their versions. Idempotent: a product or version that exists is left as it is."""

from companies.demo import COMPANIES
from companies.models import Company
from products import services
from products.models import Product, ProductVersion, identity_key

# slug → [(name, os, device, commercial name, description, certifications, [version labels])]
PRODUCTS = {
    "alpha": [
        (
            "Dossier Patient Ville",
            "linux",
            "site_web",
            "Ville Dossier",
            "Dossier patient des cabinets de médecine générale : consultations, documents, prescriptions.",
            "HDS ; participation au connectathon 2025",
            ["4.2", "5.0"],
        ),
        (
            "Agenda Santé",
            "android",
            "mobile",
            "Mon Agenda Santé",
            "Prise de rendez-vous des patients.",
            "",
            ["2.1"],
        ),
        (
            "Agenda Santé",
            "ios",
            "mobile",
            "Mon Agenda Santé",
            "Prise de rendez-vous des patients.",
            "",
            ["2.1"],
        ),
        (
            "Passerelle Documents",
            "windows",
            "site_web",
            "",
            "Connecteur qui transmet au DMP les documents produits par les logiciels métier raccordés.",
            "ISO 27001",
            ["1.0"],
        ),
    ],
    "beta": [
        (
            "BioCompte",
            "linux",
            "site_web",
            "",
            "Édition et diffusion des comptes rendus de biologie médicale.",
            "ISO 15189 (laboratoires clients)",
            ["3.4"],
        ),
        (
            "TéléSuivi Cœur",
            "ios",
            "mobile",
            "TéléSuivi",
            "Télésurveillance de l'insuffisance cardiaque.",
            "",
            ["1.2"],
        ),
        (
            "Portail Patient",
            "linux",
            "site_web",
            "",
            "Portail web d'accès des patients à leurs documents.",
            "",
            ["2.0"],
        ),
    ],
}


def load(stdout) -> list[tuple[str, str]]:
    for siren, _name, _address, slug in COMPANIES:
        company = Company.objects.filter(siren=siren).first()
        if company is None:
            continue
        for name, os, device, commercial_name, description, certifications, labels in PRODUCTS[slug]:
            product = _product(company, name, os, device, commercial_name, description, certifications)
            for label in labels:
                if not ProductVersion.objects.filter(product=product, label=label).exists():
                    services.product_version_create(product=product, actor=None, label=label)
    return []


def _product(company, name, os, device, commercial_name, description, certifications) -> Product:
    identity = identity_key(name=name, os=os, os_other="", device=device)
    existing = Product.objects.filter(company=company, identity=identity).first()
    if existing is not None:
        return existing
    return services.product_create(
        company=company,
        actor=None,
        name=name,
        os=os,
        device=device,
        commercial_name=commercial_name,
        description=description,
        certifications=certifications,
    )


def demo_version(siren: str, name: str, os: str, device: str, label: str) -> ProductVersion | None:
    """A demo product version, for the assessments demo."""
    identity = identity_key(name=name, os=os, os_other="", device=device)
    return ProductVersion.objects.filter(
        product__company__siren=siren, product__identity=identity, label=label
    ).first()
