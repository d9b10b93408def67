"""Assessments whose items expect proofs, and files of each format (real signatures, tiny bodies)."""

import hashlib
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from assessments import services as assessment_services
from assessments.models import Answer
from proofs import services
from proofs.filetypes import HEAD_SIZE, TextSniffer
from questionnaires.models import ExpectedProof, Item
from tests.assessments.factories import QUALIFIED, AssessmentFactory, fill
from tests.companies.factories import MembershipFactory, UserFactory
from tests.products.factories import ProductFactory, ProductVersionFactory

PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"
    + b"\x00" * 64
)
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00\x00\x00\x08free" + b"\x11" * 4000
WEBM = (
    b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\xf2\x81\x04\x42\xf3\x81\x08\x42\x82\x84webm"
    + b"\x00" * 200
)
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
TODAY = date(2025, 3, 14)

# The items of tests.assessments.factories.questionnaire_version that expect proofs here.
PDF_ITEM, VIDEO_ITEM, LINK_ITEM = "A08.3.1", "A08.4.1", "A08.4.3"


def expect_proofs(version, *, pdf_max=1024 * 1024) -> dict[str, ExpectedProof]:
    """Declare the proofs of three items of ``version`` (a report, a video, an optional link)."""
    items = dict(Item.objects.filter(version=version).values_list("code", "id"))
    rows = [
        ExpectedProof(
            item_id=items[PDF_ITEM],
            code="rapport",
            kind="file",
            label="Rapport de tests",
            instruction="Le rapport de la plateforme de tests.",
            formats=["pdf"],
            max_size=pdf_max,
        ),
        ExpectedProof(
            item_id=items[VIDEO_ITEM],
            code="video",
            kind="file",
            label="Vidéo de connexion",
            instruction="Filmez la connexion.",
            formats=["mp4", "webm"],
            max_size=20 * 1024 * 1024,
            max_count=2,
        ),
        ExpectedProof(
            item_id=items[LINK_ITEM],
            code="lien",
            kind="link",
            label="Rapport en ligne",
            instruction="Lien permanent.",
            min_count=0,
        ),
    ]
    return {row.code: row for row in ExpectedProof.objects.bulk_create(rows)}


def assessment_with_proofs(*, company=None, answered=True):
    """A draft assessment (answered) whose items expect proofs; returns (assessment, expected, mandataire)."""
    product_version = ProductVersionFactory(
        product=ProductFactory(**({"company": company} if company else {}))
    )
    assessment = AssessmentFactory(product_version=product_version, qualification=QUALIFIED)
    expected = expect_proofs(assessment.questionnaire_version)
    if answered:
        fill(assessment)
    mandataire = MembershipFactory(company=product_version.product.company, mandataire=True).user
    return assessment, expected, mandataire


class Received(SimpleUploadedFile):
    """A file as ``proofs.uploads.ProofUploadHandler`` hands it over: hashed, head kept, text sniffed."""

    def __init__(self, name: str, content: bytes):
        super().__init__(name, content)
        self.sha256 = hashlib.sha256(content).hexdigest()
        self.head = content[:HEAD_SIZE]
        sniffer = TextSniffer()
        sniffer.feed(content, final=True)
        self.is_text = sniffer.is_text
        self._path = None

    def temporary_file_path(self):
        import tempfile

        if self._path is None:
            with tempfile.NamedTemporaryFile(delete=False) as handle:
                handle.write(self.read())
            self.seek(0)
            self._path = handle.name
        return self._path


def deposit(assessment, expected, name="rapport.pdf", content=PDF, actor=None, **options):
    return services.proof_add_file(
        assessment=assessment,
        expected=expected,
        upload=Received(name, content),
        effective_date=TODAY,
        actor=actor,
        **options,
    )


def submit_with_proofs(assessment, expected, actor):
    deposit(assessment, expected["rapport"], actor=actor)
    deposit(assessment, expected["video"], name="connexion.mp4", content=MP4, actor=actor)
    return services.assessment_submit(assessment=assessment, actor=actor)


def take(assessment, reviewer=None):
    reviewer = reviewer or UserFactory(reviewer=True)
    assessment_services.assessment_take(assessment=assessment, actor=reviewer)
    assessment.refresh_from_db()
    return reviewer


def stored_proof(assessment, expected, content=PDF, **fields):
    """A proof row written directly (any assessment state), its file in the storage."""
    from django.core.files.base import ContentFile

    from proofs import blobs
    from proofs.models import Proof

    sha256 = hashlib.sha256(content).hexdigest()
    return Proof.objects.create(
        assessment=assessment,
        item_id=expected.item_id,
        expected=expected,
        kind="file",
        file=blobs.blob_store(ContentFile(content), sha256=sha256),
        sha256=sha256,
        size=len(content),
        effective_date=TODAY,
        scan="non_analysee",
        **{"original_name": "rapport.pdf", "file_format": "pdf", "content_type": "application/pdf", **fields},
    )


def proof_of(assessment, content=MP4):
    """A stored video proof on the first item of ``assessment`` (any state), for page walks."""
    item = Item.objects.filter(version=assessment.questionnaire_version).order_by("order").first()
    expected = ExpectedProof.objects.create(
        item=item,
        code="video",
        kind="file",
        label="Vidéo",
        instruction="Filmez.",
        formats=["mp4"],
        max_size=10**6,
    )
    return stored_proof(
        assessment,
        expected,
        content=content,
        original_name="video.mp4",
        file_format="mp4",
        content_type="video/mp4",
    )


DECLARED = "Le produit ne gère pas l'identité des patients."


def declare(assessment, actor=None, text=DECLARED, role="Présidente", on=date(2025, 3, 1)):
    answer = Answer.objects.get(assessment=assessment, item__code="A08.5.01")
    return assessment_services.answer_save(
        assessment=assessment,
        item_code="A08.5.01",
        level="na",
        justification=text,
        declarant="Claire Martin",
        declarant_role=role,
        declared_on=on,
        expected_revision=answer.revision,
        actor=actor,
    ).answer
