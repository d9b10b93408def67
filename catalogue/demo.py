"""Development-only demo subscriptions: a few (confirmed) subscribers to each product holding a demo
attestation or certificate of conformity, so that the back office shows counts and the mails can be
tried (the console shows them). Runs after ``certificates.demo`` and ``dmn.demo``; loading twice makes nothing new."""

from django.utils import timezone

from catalogue.models import Frequency, Subscription
from certificates.models import LISTED_KINDS, Certificate
from products.models import Product

SUBSCRIBERS = [
    ("veille@chu-exemple.example", Frequency.EACH),
    ("achats@ght-exemple.example", Frequency.WEEKLY),
]


def load(stdout) -> list[tuple[str, str]]:
    attested = Certificate.objects.filter(kind__in=LISTED_KINDS).values(
        "assessment__product_version__product"
    )
    products = Product.objects.filter(pk__in=attested).order_by("pk")
    for index, product in enumerate(products):
        # Every product gets the first subscriber; every other one the second as well.
        for email, frequency in SUBSCRIBERS[: 1 + (index % 2 == 0)]:
            Subscription.objects.get_or_create(
                email=email,
                product=product,
                defaults={"frequency": frequency, "confirmed_at": timezone.now()},
            )
    return []
