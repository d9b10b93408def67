"""Proofs: formats read from the content, limits, storage by hash, freezing and revisions, sworn
declarations, the reviewer's verdicts, the submission's missing proofs."""

import uuid
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import DatabaseError, transaction
from django.utils import timezone

from assessments import services as assessment_services
from assessments.models import Answer, State
from instruction.services import Decision, assessment_decide
from proofs import blobs, scan, services
from proofs.models import Proof, Scan, Status
from questionnaires.models import ExpectedProof, Item
from tests.proofs.factories import (
    DECLARED,
    EICAR,
    MP4,
    PDF,
    PDF_ITEM,
    PNG,
    TODAY,
    VIDEO_ITEM,
    WEBM,
    Received,
    assessment_with_proofs,
    declare,
    deposit,
    submit_with_proofs,
    take,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    return assessment_with_proofs()


# --- Formats, from the content -------------------------------------------------------------------------
def test_a_pdf_is_stored_under_its_hash_with_the_format_read_from_its_content(setup):
    assessment, expected, actor = setup
    proof = deposit(assessment, expected["rapport"], actor=actor)
    assert (proof.file_format, proof.content_type, proof.size) == ("pdf", "application/pdf", len(PDF))
    assert proof.file.name == blobs.blob_name(proof.sha256)
    assert default_storage.open(proof.file.name).read() == PDF
    assert proof.effective_date == TODAY and timezone.localdate(proof.created_at) == timezone.localdate()


@pytest.mark.parametrize(("name", "content"), [("connexion.mp4", MP4), ("connexion.webm", WEBM)])
def test_videos_are_recognised(setup, name, content):
    assessment, expected, actor = setup
    proof = deposit(assessment, expected["video"], name=name, content=content, actor=actor)
    assert proof.content_type.startswith("video/") and proof.plays_inline


def test_a_renamed_file_is_refused_for_its_content_and_nothing_is_kept(setup):
    assessment, expected, actor = setup
    content = PNG + uuid.uuid4().bytes
    with pytest.raises(services.ProofRefused) as refused:
        deposit(assessment, expected["rapport"], name="rapport.pdf", content=content, actor=actor)
    assert refused.value.messages == [
        "Le fichier « rapport.pdf » n'a pas été enregistré : son contenu (fichier PNG) ne correspond à aucun "
        "des formats attendus pour « Rapport de tests » (PDF)."
    ]
    assert not Proof.objects.exists()
    assert not default_storage.exists(blobs.blob_name(Received("x", content).sha256))


def test_text_formats_are_checked_from_the_content():
    from proofs.filetypes import matching_format

    assert matching_format(b'  {"appels": []}', is_text=True, accepted=["json"]) == (
        "json",
        "application/json",
    )
    assert matching_format(b"<ClinicalDocument/>", is_text=True, accepted=["json"]) is None
    assert matching_format(b"<ClinicalDocument/>", is_text=True, accepted=["xml"]) == (
        "xml",
        "application/xml",
    )
    assert matching_format(b"GET /fhir/Practitioner 200", is_text=True, accepted=["log"])[0] == "log"
    assert matching_format(b"binaire\x00\x01", is_text=False, accepted=["txt", "log"]) is None
    assert matching_format(PDF, is_text=True, accepted=["txt"]) is None  # a PDF is not a text file


def test_a_file_over_the_limit_is_refused(setup):
    assessment, expected, actor = setup
    small = expected["rapport"]
    ExpectedProof.objects.filter(pk=small.pk).update(max_size=len(PDF) - 1)
    small.refresh_from_db()
    with pytest.raises(services.ProofRefused, match="dépasse"):
        deposit(assessment, small, actor=actor)
    assert not Proof.objects.exists()


def test_same_content_twice_is_stored_once(setup):
    assessment, expected, actor = setup
    first = deposit(assessment, expected["video"], name="a.mp4", content=MP4, actor=actor)
    second = deposit(assessment, expected["video"], name="b.mp4", content=MP4, actor=actor)
    assert first.file.name == second.file.name
    _, files = default_storage.listdir(f"proofs/{first.sha256[:2]}")
    assert files == [first.sha256]


def test_count_limit_and_future_date_are_refused(setup):
    assessment, expected, actor = setup
    deposit(assessment, expected["rapport"], actor=actor)
    with pytest.raises(services.ProofRefused, match="au plus 1 preuve"):
        deposit(assessment, expected["rapport"], actor=actor)
    with pytest.raises(services.ProofRefused, match="date d'effet"):
        services.proof_add_link(
            assessment=assessment,
            expected=expected["lien"],
            url="https://tests.example/rapport/42",
            effective_date=timezone.localdate() + timedelta(days=1),
            actor=actor,
        )


def test_links_must_be_https(setup):
    assessment, expected, actor = setup
    for url in ("http://tests.example/r", "javascript:alert(1)", "rapport"):
        with pytest.raises(services.ProofRefused, match="https://"):
            services.proof_add_link(
                assessment=assessment, expected=expected["lien"], url=url, effective_date=TODAY, actor=actor
            )


def test_the_wrong_kind_is_refused(setup):
    assessment, expected, actor = setup
    with pytest.raises(services.ProofRefused, match="attend un lien"):
        deposit(assessment, expected["lien"], actor=actor)


# --- Antivirus ------------------------------------------------------------------------------------------------
def test_without_clamd_the_file_is_recorded_as_not_scanned(setup, settings):
    settings.CLAMD_SOCKET = ""
    assessment, expected, actor = setup
    assert deposit(assessment, expected["rapport"], actor=actor).scan == Scan.NOT_SCANNED


CLAMD = "/run/clamav/clamd.ctl"


@pytest.mark.skipif(not __import__("os").path.exists(CLAMD), reason="pas de démon clamd sur cette machine")
def test_eicar_is_refused_by_clamd(setup, settings):
    settings.CLAMD_SOCKET = CLAMD
    assessment, expected, actor = setup
    ExpectedProof.objects.filter(pk=expected["rapport"].pk).update(formats=["txt"])
    expected["rapport"].refresh_from_db()
    with pytest.raises(services.ProofRefused, match="virus"):
        deposit(assessment, expected["rapport"], name="eicar.txt", content=EICAR, actor=actor)
    assert not Proof.objects.exists()


def test_an_infected_file_is_refused_and_nothing_is_kept(setup, monkeypatch):
    def infected(path):
        raise scan.Infected("Eicar-Signature")

    monkeypatch.setattr(scan, "scan_file", infected)
    assessment, expected, actor = setup
    content = PDF + uuid.uuid4().bytes  # never stored before by another test
    with pytest.raises(services.ProofRefused) as refused:
        deposit(assessment, expected["rapport"], content=content, actor=actor)
    assert refused.value.messages == [
        "Le fichier « rapport.pdf » contient un virus (Eicar-Signature) : il n'a pas été enregistré."
    ]
    assert not Proof.objects.exists()
    assert not default_storage.exists(blobs.blob_name(Received("x", content).sha256))


def test_clamd_reply_is_read(tmp_path, settings):
    """A minimal clamd speaking INSTREAM on a unix socket: what the client sends and how it reads replies."""
    import socket
    import threading

    path = str(tmp_path / "clamd.sock")
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(path)
    server.listen(1)
    received = []

    def serve():
        connection, _ = server.accept()
        data = b""
        while not data.endswith(b"\0\0\0\0"):
            data += connection.recv(65536)
        received.append(data)
        verdict = b"Eicar-Signature FOUND" if b"EICAR" in data else b"OK"
        connection.sendall(b"stream: " + verdict + b"\0")
        connection.close()

    settings.CLAMD_SOCKET = path
    for content, expected in ((b"bonjour", Scan.CLEAN), (EICAR, None)):
        thread = threading.Thread(target=serve)
        thread.start()
        file = tmp_path / "f"
        file.write_bytes(content)
        if expected:
            assert scan.scan_file(str(file)) == expected
        else:
            with pytest.raises(scan.Infected, match="Eicar-Signature"):
                scan.scan_file(str(file))
        thread.join()
    assert received[0].startswith(b"zINSTREAM\0\x00\x00\x00\x07bonjour")
    server.close()


# --- Submission -----------------------------------------------------------------------------------------------
def test_submission_is_refused_while_a_required_proof_is_missing(setup):
    assessment, expected, actor = setup
    deposit(assessment, expected["rapport"], actor=actor)
    with pytest.raises(assessment_services.AssessmentIncomplete) as refused:
        services.assessment_submit(assessment=assessment, actor=actor)
    assert [(entry["code"], entry["reason"]) for entry in refused.value.missing] == [
        (VIDEO_ITEM, "preuve manquante : « Vidéo de connexion »")
    ]
    assert refused.value.messages == [
        "Il reste 1 exigence(s) applicable(s) sans réponse complète ou sans leurs preuves."
    ]
    assessment.refresh_from_db()
    assert assessment.state == State.DRAFT


def test_an_item_declared_not_applicable_needs_no_proof(setup):
    assessment, expected, actor = setup
    item = Item.objects.get(version=assessment.questionnaire_version, code="A08.5.01")
    ExpectedProof.objects.create(
        item=item, code="cda", kind="file", label="CDA", instruction="Un CDA.", formats=["xml"], max_size=1000
    )
    Answer.objects.filter(assessment=assessment, item=item).update(
        level="na", justification="Ne produit aucun CDA."
    )
    submit_with_proofs(assessment, expected, actor)
    assert assessment.state == State.SUBMITTED


def test_missing_answers_and_proofs_are_listed_together(setup):
    assessment, _expected, actor = setup
    Answer.objects.filter(assessment=assessment, item__code=PDF_ITEM).update(level="")
    with pytest.raises(assessment_services.AssessmentIncomplete) as refused:
        services.assessment_submit(assessment=assessment, actor=actor)
    codes = [entry["code"] for entry in refused.value.missing]
    assert codes == [PDF_ITEM, VIDEO_ITEM]
    assert "preuve manquante" in refused.value.missing[0]["reason"]


def test_submission_freezes_the_proofs_and_the_database_refuses_changes(setup):
    assessment, expected, actor = setup
    submit_with_proofs(assessment, expected, actor)
    proof = Proof.objects.get(item__code=PDF_ITEM)
    assert proof.frozen_at is not None
    with pytest.raises(DatabaseError), transaction.atomic():
        Proof.objects.filter(pk=proof.pk).update(sha256="0" * 64)
    with pytest.raises(DatabaseError), transaction.atomic():
        Proof.objects.filter(pk=proof.pk).delete()


def test_after_changes_are_requested_a_replacement_is_a_new_revision(setup):
    assessment, expected, actor = setup
    submit_with_proofs(assessment, expected, actor)
    reviewer = take(assessment)
    assessment_services.assessment_request_changes(
        assessment=assessment, actor=reviewer, comment="Vidéo floue."
    )
    old = Proof.objects.get(item__code=VIDEO_ITEM)
    new = deposit(assessment, expected["video"], name="nette.webm", content=WEBM, actor=actor, replaces=old)
    old.refresh_from_db()
    assert (new.revision, new.supersedes, new.frozen_at) == (2, old, None)
    assert old.superseded_at is not None and old.frozen_at is not None
    assert default_storage.exists(old.file.name)  # the submitted file is still there, unchanged
    services.assessment_submit(assessment=assessment, actor=actor)
    new.refresh_from_db()
    assert new.frozen_at is not None


def test_withdrawing_a_draft_proof_deletes_it_a_submitted_one_stays(
    setup, django_capture_on_commit_callbacks
):
    assessment, expected, actor = setup
    draft = deposit(assessment, expected["video"], name="a.webm", content=WEBM, actor=actor)
    with django_capture_on_commit_callbacks(execute=True):
        services.proof_withdraw(proof=draft, actor=actor)
    assert not Proof.objects.filter(pk=draft.pk).exists()
    assert not default_storage.exists(draft.file.name)
    submit_with_proofs(assessment, expected, actor)
    reviewer = take(assessment)
    assessment_services.assessment_request_changes(assessment=assessment, actor=reviewer, comment="À revoir.")
    frozen = Proof.objects.get(item__code=VIDEO_ITEM)
    services.proof_withdraw(proof=frozen, actor=actor)
    frozen.refresh_from_db()
    assert frozen.superseded_at is not None


def test_nothing_is_added_once_submitted(setup):
    assessment, expected, actor = setup
    submit_with_proofs(assessment, expected, actor)
    with pytest.raises(ValidationError, match="ne peuvent plus être modifiées"):
        services.proof_add_link(
            assessment=assessment,
            expected=expected["lien"],
            url="https://a.example/r",
            effective_date=TODAY,
            actor=actor,
        )


# --- Sworn declarations (kept in the answer of the item, the one record of them) ------------------------------
def test_a_sworn_declaration_is_recorded_in_its_answer_then_frozen_with_the_submission(declaration_setup):
    assessment, expected, actor = declaration_setup
    declare(assessment, actor, text="Premier jet.")
    answer = declare(assessment, actor)
    assert (answer.justification, answer.declarant, answer.declarant_role) == (
        DECLARED,
        "Claire Martin",
        "Présidente",
    )
    submit_with_proofs(assessment, expected, actor)
    frozen = assessment.submissions.get().answers["A08.5.01"]
    assert frozen == {
        "level": "na",
        "justification": DECLARED,
        "comment": "",
        "declarant": "Claire Martin",
        "declarant_role": "Présidente",
        "declared_on": "2025-03-01",
    }
    with pytest.raises(ValidationError):
        declare(assessment, actor, text="Changé après la soumission.")


def test_a_declaration_changed_after_a_send_back_keeps_the_submitted_one(declaration_setup):
    assessment, expected, actor = declaration_setup
    declare(assessment, actor)
    submit_with_proofs(assessment, expected, actor)
    reviewer = take(assessment)
    assessment_services.assessment_request_changes(assessment=assessment, actor=reviewer, comment="Précisez.")
    declare(assessment, actor, text="Précision : aucun traitement d'identité.")
    services.assessment_submit(assessment=assessment, actor=actor)
    first, second = assessment.submissions.order_by("number")
    assert first.answers["A08.5.01"]["justification"] == DECLARED
    assert second.answers["A08.5.01"]["justification"] == "Précision : aucun traitement d'identité."


def test_a_declaration_needs_its_role_and_a_past_date(declaration_setup):
    assessment, expected, actor = declaration_setup
    declare(assessment, actor, role="  ")
    deposit(assessment, expected["rapport"], actor=actor)
    deposit(assessment, expected["video"], name="v.mp4", content=MP4, actor=actor)
    with pytest.raises(assessment_services.AssessmentIncomplete) as refused:
        services.assessment_submit(assessment=assessment, actor=actor)
    assert [(e["code"], e["reason"]) for e in refused.value.missing] == [
        ("A08.5.01", assessment_services.DECLARATION_INCOMPLETE_REASON)
    ]
    with pytest.raises(ValidationError) as future:
        declare(assessment, actor, on=timezone.localdate() + timedelta(days=2))
    assert future.value.messages == [assessment_services.DECLARATION_FUTURE]
    declare(assessment, actor)
    services.assessment_submit(assessment=assessment, actor=actor)
    assert assessment.state == State.SUBMITTED


# --- Reviewer verdicts -------------------------------------------------------------------------------------------
def reviewed_setup(setup):
    assessment, expected, actor = setup
    submit_with_proofs(assessment, expected, actor)
    reviewer = take(assessment)
    pdf = Proof.objects.get(item__code=PDF_ITEM)
    video = Proof.objects.get(item__code=VIDEO_ITEM)
    return assessment, reviewer, pdf, video


@pytest.mark.parametrize("status", [Status.VERIFIED, Status.PARTIAL, Status.REFUSED, Status.TO_CHECK])
def test_the_reviewer_sets_each_status(setup, status):
    _assessment, reviewer, pdf, _ = reviewed_setup(setup)
    proof = services.proof_review(proof=pdf, status=status, comment="Vu.", actor=reviewer)
    assert (proof.status, proof.review_comment, proof.reviewed_by) == (status, "Vu.", reviewer)


def test_refusing_needs_a_comment(setup):
    _assessment, reviewer, pdf, _ = reviewed_setup(setup)
    for status in (Status.REFUSED, Status.PARTIAL):
        with pytest.raises(ValidationError, match="commentaire est obligatoire"):
            services.proof_review(proof=pdf, status=status, comment=" ", actor=reviewer)


def test_only_the_assigned_reviewer_in_review_sets_verdicts(setup):
    _assessment, _reviewer, pdf, _ = reviewed_setup(setup)
    from tests.companies.factories import UserFactory

    with pytest.raises(ValidationError, match="autre instructeur"):
        services.proof_review(proof=pdf, status=Status.VERIFIED, comment="", actor=UserFactory(reviewer=True))
    with pytest.raises(ValidationError, match="instructeur de l'agence"):
        services.proof_review(proof=pdf, status=Status.VERIFIED, comment="", actor=UserFactory())


def test_a_refused_proof_sends_the_item_back_instead_of_validating(setup):
    assessment, reviewer, pdf, video = reviewed_setup(setup)
    services.proof_review(proof=pdf, status=Status.VERIFIED, comment="", actor=reviewer)
    services.proof_review(
        proof=video, status=Status.REFUSED, comment="La déconnexion n'est pas filmée.", actor=reviewer
    )
    with pytest.raises(ValidationError, match="demandez des compléments"):
        assessment_decide(assessment=assessment, decision=Decision.VALIDATE, actor=reviewer)
    assessment.refresh_from_db()
    assert assessment.state == State.IN_REVIEW
    assessment_decide(
        assessment=assessment, decision=Decision.REQUEST_CHANGES, actor=reviewer, comment="Voir la vidéo."
    )
    assessment.refresh_from_db()
    assert assessment.state == State.CHANGES_REQUESTED


def test_verified_proofs_let_the_assessment_be_validated(setup):
    assessment, reviewer, pdf, video = reviewed_setup(setup)
    for proof in (pdf, video):
        services.proof_review(proof=proof, status=Status.VERIFIED, comment="", actor=reviewer)
    assessment_decide(assessment=assessment, decision=Decision.VALIDATE, actor=reviewer)
    assessment.refresh_from_db()
    assert assessment.state == State.VALIDATED


def test_storage_root_is_private():
    assert not str(settings.PRIVATE_MEDIA_ROOT).startswith(str(settings.STATIC_ROOT))
