import io
from functools import cache

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter

from companies.models import AccountRequest, Company, Membership, Role
from tests.accounts.factories import UserFactory


def siren_with_luhn(prefix: str) -> str:
    """A valid SIREN: ``prefix`` (8 digits) completed with its Luhn check digit."""
    for last in "0123456789":
        candidate = prefix + last
        total = 0
        for index, char in enumerate(reversed(candidate)):
            digit = int(char) * (2 if index % 2 else 1)
            total += digit - 9 if digit > 9 else digit
        if total % 10 == 0:
            return candidate
    raise AssertionError("unreachable")


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    siren = factory.Sequence(lambda n: siren_with_luhn(f"{n + 10000000:08d}"))
    name = factory.Sequence(lambda n: f"Éditeur {n}")
    address = "1 rue de la Santé\n75014 Paris"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    company = factory.SubFactory(CompanyFactory)
    role = Role.SALARIE

    class Params:
        mandataire = factory.Trait(role=Role.MANDATAIRE)
        representant = factory.Trait(role=Role.REPRESENTANT)
        inactive = factory.Trait(is_active=False)


@cache
def pdf_bytes() -> bytes:
    """A real one-page PDF (the account-request form parses the proof)."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def pdf_file(name: str = "kbis.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


class AccountRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AccountRequest

    siren = factory.Sequence(lambda n: siren_with_luhn(f"{n + 50000000:08d}"))
    company_name = factory.Sequence(lambda n: f"Logiciels Santé {n}")
    address = "3 quai de la Loire\n75019 Paris"
    first_name = "Claire"
    last_name = factory.Sequence(lambda n: f"Demandeuse{n}")
    email = factory.Sequence(lambda n: f"demandeur{n}@entreprise.test")
    phone = "01 23 45 67 89"
    position = "Directrice générale"
    certified = True
    document = factory.LazyFunction(pdf_file)
    document_name = "kbis.pdf"
