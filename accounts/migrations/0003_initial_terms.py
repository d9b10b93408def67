from django.db import migrations

TERMS_V1 = """1. Objet
Convergence est le service par lequel les éditeurs de logiciels de santé auto-évaluent la maturité de leurs produits au regard de la doctrine du numérique en santé, et par lequel l'agence instruit ces évaluations et délivre des attestations. Les présentes conditions régissent l'usage du service par toute personne disposant d'un compte.

2. Comptes et accès
Le compte d'une entreprise est ouvert par l'agence à la demande de son représentant légal, après vérification. Chaque compte est personnel : vous ne communiquez ni votre mot de passe ni vos codes de double authentification. Le mandataire et les représentants de l'entreprise sont responsables des comptes qu'ils créent pour leurs collègues et les désactivent dès qu'une personne quitte l'entreprise.

3. Engagements de l'utilisateur
Vous déclarez des informations exactes et sincères sur les produits de votre entreprise. Les justificatifs déposés ne contiennent aucune donnée de santé à caractère personnel. Toute déclaration manifestement inexacte peut entraîner le refus de l'évaluation ou la révocation de l'attestation.

4. Attestations
Une attestation reflète les déclarations validées à une date donnée. Elle peut être révoquée ; son statut se vérifie publiquement à partir de son code.

5. Données personnelles
Les données des comptes (nom, prénom, adresse e-mail, téléphone, fonction) sont traitées par l'agence pour gérer les accès au service et instruire les évaluations. Vous pouvez exercer vos droits d'accès, de rectification et d'effacement en écrivant au support.

6. Sécurité
Les connexions sont journalisées. Après plusieurs échecs de connexion, l'accès est temporairement bloqué. Signalez sans délai au support tout usage suspect de votre compte.

7. Évolution des conditions
L'agence peut faire évoluer ces conditions. Toute nouvelle version doit être acceptée avant de poursuivre l'usage du service."""


def publish_first_terms(apps, schema_editor):
    TermsVersion = apps.get_model("accounts", "TermsVersion")
    TermsVersion.objects.get_or_create(
        version=1, defaults={"title": "Conditions générales d'utilisation", "text": TERMS_V1}
    )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_terms_of_use")]

    operations = [migrations.RunPython(publish_first_terms, migrations.RunPython.noop)]
