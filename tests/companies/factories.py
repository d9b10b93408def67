import factory

from companies.models import Company, Membership, Role
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
