"""Development-only demo proofs: an Urbanisation assessment of Alpha's Dossier Patient Ville 4.2 with
proofs of several kinds (report, traces, screenshot, video, description, archive), an item declared
not applicable (no proof asked), submitted and in review, one proof verified and one
refused by the demo reviewer. Made through the real services; idempotent (skipped when it exists)."""

import io
import zipfile
from datetime import date

from accounts.demo import REVIEWER_EMAIL
from accounts.models import User
from assessments import services as assessment_services
from assessments.models import Assessment
from assessments.selectors import applicable_items, assessment_document, assessment_structure
from products.demo import demo_version
from proofs import services
from proofs.uploads import received
from questionnaires.models import NA_LEVEL, ExpectedProof, QuestionnaireVersion
from questionnaires.selectors import published_version

QUESTIONNAIRE = "urbanisation"
ALPHA = "901234567"
PRODUCT = ("Dossier Patient Ville", "linux", "site_web", "4.2")
QUALIFICATION = {"acces_patient": False, "prescripteur": False, "referentiel_identite": True}
NOT_APPLICABLE = "URB.4.2"
EFFECTIVE = date(2025, 1, 15)
REFUSAL = "La vidéo s'arrête avant la déconnexion : filmez aussi la déconnexion puis la nouvelle connexion."


def load(stdout) -> list[tuple[str, str]]:
    try:
        questionnaire = published_version(QUESTIONNAIRE)
    except QuestionnaireVersion.DoesNotExist:
        return []
    version = demo_version(ALPHA, *PRODUCT)
    reviewer = User.objects.filter(email=REVIEWER_EMAIL).first()
    exists = Assessment.objects.filter(product_version=version, questionnaire_version=questionnaire).exists()
    if version is None or reviewer is None or exists:
        return []
    salarie = User.objects.get(email="salarie@alpha.example")
    mandataire = User.objects.get(email="mandataire@alpha.example")
    assessment = assessment_services.assessment_start(
        product_version=version, questionnaire_version=questionnaire, actor=salarie
    )
    # Every question of the version is answered (a later version may ask more: "no" unless listed).
    questions = assessment_structure(assessment).questions
    answers = {question["code"]: QUALIFICATION.get(question["code"], False) for question in questions}
    assessment_services.qualification_save(assessment=assessment, answers=answers, actor=salarie)
    _answer(assessment, salarie)
    _deposit(assessment, salarie)
    services.assessment_submit(assessment=assessment, actor=mandataire)
    assessment_services.assessment_take(assessment=assessment, actor=reviewer)
    _review(assessment, reviewer)
    stdout.write("Preuves de démonstration : Dossier Patient Ville 4.2 (Urbanisation), en instruction.")
    return []


def _answer(assessment, actor) -> None:
    answers = {}
    for item in applicable_items(assessment):
        if item["code"] == NOT_APPLICABLE:
            answers[item["code"]] = {"level": NA_LEVEL, "justification": "Le produit ne consulte pas le DMP."}
        else:
            answers[item["code"]] = {"level": "vert"}
    document = assessment_document(assessment) | {"answers": answers}
    assessment_services.assessment_import(assessment=assessment, document=document, actor=actor)


def _deposit(assessment, actor) -> None:
    codes = {item["code"] for item in applicable_items(assessment)} - {NOT_APPLICABLE}
    expected = ExpectedProof.objects.filter(
        item__version=assessment.questionnaire_version, item__code__in=codes
    ).select_related("item")
    for entry in expected.order_by("item__order", "order"):
        common = {"assessment": assessment, "expected": entry, "effective_date": EFFECTIVE, "actor": actor}
        if entry.kind == "link":
            services.proof_add_link(url="https://tests.esante.example/rapports/demo-42", **common)
        elif entry.kind == "description":
            services.proof_add_description(
                text="Mise à jour différentielle chaque nuit ; en cas d'échec, nouvel essai toutes les heures "
                "et alerte de l'administrateur après trois échecs.",
                **common,
            )
        else:
            name, content = sample(entry.formats[0], entry.item.code)
            # Closed here as a request closes its uploads (the storage moved the temporary file).
            with received(name, content, max_size=entry.max_size) as upload:
                services.proof_add_file(upload=upload, **common)


def _review(assessment, reviewer) -> None:
    proofs = list(assessment.proofs.filter(superseded_at__isnull=True).order_by("pk"))
    videos = [proof for proof in proofs if proof.content_type.startswith("video/")]
    for proof in proofs:
        if proof in videos[:1]:
            services.proof_review(proof=proof, status="refusee", comment=REFUSAL, actor=reviewer)
        elif proof.kind == "file" and proof.file_format in ("pdf", "png"):
            services.proof_review(proof=proof, status="verifiee", comment="", actor=reviewer)


def sample(file_format: str, code: str) -> tuple[str, bytes]:
    """A small file of ``file_format`` whose signature matches it (demo only: not a real recording)."""
    slug = code.lower().replace(".", "-")
    if file_format == "pdf":
        return f"rapport-{slug}.pdf", b"%PDF-1.7\n%demo " + code.encode() + b"\ntrailer\n<<>>\n%%EOF\n"
    if file_format in ("png", "jpg"):
        from PIL import Image

        buffer = io.BytesIO()
        Image.new("RGB", (320, 200), (0, 99, 203)).save(
            buffer, format="PNG" if file_format == "png" else "JPEG"
        )
        return f"capture-{slug}.{file_format}", buffer.getvalue()
    if file_format == "mp4":
        return f"video-{slug}.mp4", b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 2048
    if file_format == "webm":
        return f"video-{slug}.webm", b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x84webm" + b"\x00" * 2048
    if file_format == "zip":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("IHE_XDM/SUBSET01/METADATA.XML", "<SubmitObjectsRequest/>")
            archive.writestr("INDEX.HTM", "<html><body>Archive IHE_XDM de démonstration</body></html>")
        return f"archive-{slug}.zip", buffer.getvalue()
    if file_format == "json":
        return f"traces-{slug}.json", b'{"appels": [{"type": "complet", "statut": 200}]}\n'
    if file_format == "xml":
        return f"document-{slug}.xml", b"<ClinicalDocument xmlns='urn:hl7-org:v3'/>\n"
    return f"traces-{slug}.log", f"2025-01-15T10:00:00Z {code} appel OK\n".encode()
