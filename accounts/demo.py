from accounts.models import User
from core.demo import DEMO_PASSWORD

ADMIN_EMAIL = "admin@convergence.localhost"


def load(stdout) -> list[tuple[str, str]]:
    if not User.objects.filter(email=ADMIN_EMAIL).exists():
        User.objects.create_superuser(ADMIN_EMAIL, DEMO_PASSWORD, first_name="Admin", last_name="Démo")
    return [(ADMIN_EMAIL, "administrateur technique (/admin/)")]
