"""Development-only demo companies: two vendors, each with a mandataire, a représentant and a
salarié (``<role>@alpha.example``, ``<role>@beta.example``), a consultant working for both (to try
the company switcher), and one pending account request for the reviewer to decide."""

from django.core.files.base import ContentFile

from accounts.demo import demo_user
from companies.models import AccountRequest, Company, Membership, Role

COMPANIES = [
    ("901234567", "Alpha Santé Logiciels", "12 rue des Carmes\n69002 Lyon", "alpha"),
    ("902345677", "Bêta Médical Systèmes", "4 allée des Tilleuls\n33000 Bordeaux", "beta"),
]
PEOPLE = [
    (Role.MANDATAIRE, "mandataire", "Marc", "Mandataire"),
    (Role.REPRESENTANT, "representant", "Rachida", "Représentante"),
    (Role.SALARIE, "salarie", "Samuel", "Salarié"),
]
CONSULTANT_EMAIL = "consultante@conseil.example"
PENDING_SIREN = "903456788"
# A minimal, valid one-page PDF standing in for a Kbis extract.
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def load(stdout) -> list[tuple[str, str]]:
    accounts = []
    for siren, name, address, slug in COMPANIES:
        company, _ = Company.objects.get_or_create(siren=siren, defaults={"name": name, "address": address})
        for role, local, first_name, last_name in PEOPLE:
            email = f"{local}@{slug}.example"
            user = demo_user(email, first_name=first_name, last_name=f"{last_name} {slug.capitalize()}")
            Membership.objects.get_or_create(user=user, company=company, defaults={"role": role})
            accounts.append((email, f"{Role(role).label.lower()}, {name}"))
    consultant = demo_user(CONSULTANT_EMAIL, first_name="Camille", last_name="Consultante")
    for company in Company.objects.filter(siren__in=[siren for siren, *_ in COMPANIES]):
        Membership.objects.get_or_create(user=consultant, company=company, defaults={"role": Role.SALARIE})
    accounts.append((CONSULTANT_EMAIL, "salariée des deux entreprises (changement d'entreprise)"))
    _pending_request()
    return accounts


def _pending_request() -> None:
    if AccountRequest.objects.filter(siren=PENDING_SIREN).exists():
        return
    request = AccountRequest(
        siren=PENDING_SIREN,
        siret=f"{PENDING_SIREN}00012",
        company_name="Gamma e-Santé",
        address="8 boulevard Vauban\n59000 Lille",
        first_name="Gaëlle",
        last_name="Demandeuse",
        email="gaelle.demandeuse@gamma.example",
        phone="03 20 00 00 00",
        position="Présidente",
        certified=True,
        document_name="kbis-gamma.pdf",
    )
    request.document.save("justificatif.pdf", ContentFile(DEMO_PDF), save=False)
    request.save()
