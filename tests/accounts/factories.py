import factory
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import TermsAcceptance, TermsVersion, User

TEST_PASSWORD = "Mot-de-passe-de-test-2026"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"personne{n}@exemple.test")
    first_name = factory.Sequence(lambda n: f"Prénom{n}")
    last_name = factory.Sequence(lambda n: f"Nom{n}")
    password = factory.django.Password(TEST_PASSWORD)

    class Params:
        reviewer = factory.Trait(
            is_reviewer=True, email=factory.Sequence(lambda n: f"instructeur{n}@agence.test")
        )


class TermsVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TermsVersion
        django_get_or_create = ("version",)

    version = factory.Sequence(lambda n: n + 100)
    text = factory.Sequence(lambda n: f"Conditions, version de test {n}.")


class TermsAcceptanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TermsAcceptance

    user = factory.SubFactory(UserFactory)
    terms = factory.SubFactory(TermsVersionFactory)


class TOTPDeviceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TOTPDevice

    user = factory.SubFactory(UserFactory)
    name = "Application d'authentification"
    confirmed = True
