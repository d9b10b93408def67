"""Development-only demo DMN candidatures, made through the real services and workflow.

Beta operates two remote-monitoring devices: « TéléSuivi Cœur » 1.2, whose candidature for two lines
(chronic heart failure, implantable cardiac prostheses) the demo reviewer validated, so that its one
certificate of conformity is issued (rendered by the worker once it runs) and listed in the
catalogue; and « GlycoSuivi » 3.1, a single-line (diabetes) candidature awaiting review. Runs after
``certificates.demo``; idempotent: a version that already has a candidature is skipped.
"""

from django.conf import settings

from accounts.demo import REVIEWER_EMAIL
from accounts.models import User
from assessments import services as assessment_services
from assessments.selectors import applicable_items, assessment_document, assessment_structure
from companies.models import Company
from dmn import services
from dmn.certification import candidature_certificates
from dmn.models import REFERENTIAL, Candidature, Capacity, Grouping, Line
from products import services as product_services
from products.demo import demo_version
from products.models import Product, identity_key
from proofs import services as proof_services
from proofs.demo import EFFECTIVE, sample
from proofs.uploads import received
from questionnaires.models import ExpectedProof, QuestionnaireVersion
from questionnaires.selectors import published_version

BETA = "902345677"
HEART = ("TéléSuivi Cœur", "ios", "mobile", "1.2")
GLUCOSE = ("GlycoSuivi", "android", "mobile", "3.1")
GLUCOSE_PRODUCT = {
    "commercial_name": "GlycoSuivi",
    "description": "Télésurveillance du diabète : glycémies, alertes d'hypoglycémie sévère paramétrées par le soignant.",
    "certifications": "Marquage CE (dispositif médical de classe IIa)",
}
# The device takes identities from its own enrolment, applies the INS, and its data are hosted by an
# HDS-certified host: every item of the referential applies.
QUALIFICATION = {"identite_externe": False, "ins_applicable": True, "etablissement_auto_hebergement": False}


def load(stdout) -> list[tuple[str, str]]:
    try:
        published_version(REFERENTIAL)
    except QuestionnaireVersion.DoesNotExist:
        return []
    reviewer = User.objects.filter(email=REVIEWER_EMAIL).first()
    mandataire = User.objects.filter(email="mandataire@beta.example").first()
    if reviewer is None or mandataire is None:
        return []
    heart = demo_version(BETA, *HEART)
    if heart is not None and not Candidature.objects.filter(product_version=heart).exists():
        candidature = _submitted(heart, [Line.CARDIAQUE, Line.PROTHESES], actor=mandataire)
        services.candidature_take(candidature=candidature, actor=reviewer)
        services.candidature_decide(
            candidature=candidature, decision=services.Decision.VALIDATE, actor=reviewer
        )
        (certificate,) = candidature_certificates(candidature)
        url = f"{settings.SITE_URL.rstrip('/')}/verifier/{certificate.display_code}"
        stdout.write(f"Certificat de conformité de démonstration : TéléSuivi Cœur 1.2 (deux lignes), {url}")
    glucose = _glucose_version()
    if glucose is not None and not Candidature.objects.filter(product_version=glucose).exists():
        _submitted(glucose, [Line.DIABETE], actor=mandataire)
        stdout.write("Candidature DMN de démonstration : GlycoSuivi 3.1 (diabète), en attente d'instruction.")
    return []


def _glucose_version():
    company = Company.objects.filter(siren=BETA).first()
    if company is None:
        return None
    name, os, device, label = GLUCOSE
    if (version := demo_version(BETA, *GLUCOSE)) is not None:
        return version
    identity = identity_key(name=name, os=os, os_other="", device=device)
    product = Product.objects.filter(company=company, identity=identity).first()
    if product is None:
        product = product_services.product_create(
            company=company, actor=None, name=name, os=os, device=device, **GLUCOSE_PRODUCT
        )
    return product_services.product_version_create(product=product, actor=None, label=label)


def _submitted(version, lines, *, actor) -> Candidature:
    (candidature,) = services.candidature_create(
        product_version=version,
        lines=lines,
        grouping=Grouping.TOGETHER,
        capacity=Capacity.OPERATOR,
        actor=actor,
    )
    for assessment in services.candidature_assessments(candidature):
        if assessment.is_editable:
            _complete(assessment, actor)
    return services.candidature_submit(candidature=candidature, actor=actor)


def _complete(assessment, actor) -> None:
    """Every applicable item « vert », and every proof the questionnaire requires deposited."""
    questions = assessment_structure(assessment).questions
    if questions and not assessment.qualification:
        answers = {question["code"]: QUALIFICATION.get(question["code"], False) for question in questions}
        assessment_services.qualification_save(assessment=assessment, answers=answers, actor=actor)
    items = applicable_items(assessment)
    document = assessment_document(assessment) | {
        "answers": {item["code"]: {"level": "vert"} for item in items}
    }
    assessment_services.assessment_import(assessment=assessment, document=document, actor=actor)
    expected = ExpectedProof.objects.filter(
        item_id__in=[item["id"] for item in items], min_count__gte=1
    ).select_related("item")
    for entry in expected.order_by("item__order", "order"):
        common = {"assessment": assessment, "expected": entry, "effective_date": EFFECTIVE, "actor": actor}
        if entry.kind == "link":
            proof_services.proof_add_link(url="https://tests.esante.example/rapports/dmn-demo", **common)
        elif entry.kind == "description":
            proof_services.proof_add_description(
                text="Seuils d'alerte réglés par le professionnel ; alerte après trois franchissements par jour.",
                **common,
            )
        else:
            name, content = sample(entry.formats[0], entry.item.code)
            # Closed here as a request closes its uploads (the storage moved the temporary file).
            with received(name, content, max_size=entry.max_size) as upload:
                proof_services.proof_add_file(upload=upload, **common)
