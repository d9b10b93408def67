import uuid

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from audit.models import track


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("L'adresse e-mail est obligatoire.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person, who logs in with their e-mail address."""

    public_id = models.UUIDField("identifiant public", default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField("adresse e-mail", max_length=254, unique=True)
    first_name = models.CharField("prénom", max_length=150, blank=True)
    last_name = models.CharField("nom", max_length=150, blank=True)
    is_active = models.BooleanField("actif", default=True)
    is_staff = models.BooleanField("accès à l'administration", default=False)
    is_reviewer = models.BooleanField(
        "instructeur de l'agence",
        default=False,
        help_text="Accès au back-office d'instruction ; jamais membre d'une entreprise.",
    )
    date_joined = models.DateTimeField("inscrit le", default=timezone.now)
    # Kept on the row every request loads anyway: a session opened before the second factor was
    # switched on (elsewhere, or before a deployment) owes it too, at no query.
    has_second_factor = models.BooleanField("double authentification activée", default=False, editable=False)
    # Raised by the database whenever one of the person's memberships changes, or the name or activity
    # of one of their companies (triggers in companies.models): the memberships a session keeps
    # (companies.current) are used only while they carry the version of the row this request loaded.
    memberships_version = models.PositiveIntegerField("version des rattachements", default=0, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = "utilisateur"
        verbose_name_plural = "utilisateurs"
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="accounts_user_email_unique",
                violation_error_message="Un compte existe déjà avec cette adresse e-mail.",
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name or self.email


class TermsVersion(models.Model):
    """One published version of the terms of use (CGU); the highest number is the current one."""

    version = models.PositiveIntegerField("version", unique=True)
    title = models.CharField("titre", max_length=200, default="Conditions générales d'utilisation")
    text = models.TextField("texte")
    published_at = models.DateTimeField("publiée le", default=timezone.now)

    class Meta:
        verbose_name = "version des conditions générales d'utilisation"
        verbose_name_plural = "versions des conditions générales d'utilisation"
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"CGU version {self.version}"


class TermsAcceptance(models.Model):
    """A user's acceptance of one version of the terms of use, kept as evidence."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="terms_acceptances")
    terms = models.ForeignKey(TermsVersion, on_delete=models.PROTECT, related_name="acceptances")
    accepted_at = models.DateTimeField("acceptées le", default=timezone.now)

    class Meta:
        verbose_name = "acceptation des CGU"
        verbose_name_plural = "acceptations des CGU"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "terms"],
                name="accounts_terms_accepted_once",
                violation_error_message="Cette version des CGU a déjà été acceptée.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — CGU v{self.terms.version}"


class KnownLoginAddress(models.Model):
    """An address from which a person signed in with their password, or set it from an e-mailed link.

    While their account is throttled (accounts/login_throttle.py), these addresses can still sign
    in. The address itself is not kept, only a keyed digest of it: enough to recognise it again.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="known_login_addresses")
    address_digest = models.CharField("empreinte de l'adresse", max_length=64)
    last_seen_at = models.DateTimeField("dernière connexion")

    class Meta:
        verbose_name = "adresse de connexion connue"
        verbose_name_plural = "adresses de connexion connues"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "address_digest"], name="accounts_known_login_address_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — adresse connue depuis le {timezone.localtime(self.last_seen_at):%d/%m/%Y}"


# Who may sign in and with which privileges, whoever changes it (the admin site above all); never
# the password hash (see audit/models.py).
track(User, name="UserEvent", fields=["email", "is_active", "is_reviewer", "is_staff", "is_superuser"])
