"""Proof pages: streamed uploads with their limits, authorised downloads, verdicts, S3 and filesystem."""

import hashlib
import os

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from assessments import services as assessment_services
from assessments.models import State
from helpcentre.selectors import entry_links_for_items
from proofs import blobs, services
from proofs.models import Proof, Status
from proofs.selectors import EXPECTED_PROOFS_TIMEOUT, expected_proof_outline, version_expects_proofs
from questionnaires.models import ExpectedProof
from questionnaires.services import questionnaire_import
from tests.assessments.factories import QUALIFIED, AssessmentFactory
from tests.helpcentre.factories import EntryFactory
from tests.memo import memo_clock_ahead
from tests.proofs.factories import (
    MP4,
    PDF,
    PDF_ITEM,
    PNG,
    VIDEO_ITEM,
    assessment_with_proofs,
    deposit,
    submit_with_proofs,
    take,
)
from tests.questionnaires.test_definition import VALID
from tests.questionnaires.test_expected_proofs import VIDEO, addendum, write

pytestmark = pytest.mark.django_db
EFFECTIVE = "2025-02-01"


@pytest.fixture
def upload_temp(settings, tmp_path):
    """Uploads are received here: a refused file must leave nothing behind."""
    folder = tmp_path / "recus"
    folder.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(folder)
    return folder


@pytest.fixture
def member_setup(vendor_client_factory):
    assessment, expected, _mandataire = assessment_with_proofs()
    client = vendor_client_factory(role="mandataire", company=assessment.product_version.product.company)
    return client, assessment, expected


def upload_url(assessment, code, proof_code):
    return reverse("portal:proofs:upload", args=[assessment.public_id, code, proof_code])


def item_url(assessment, code):
    return reverse("portal:proofs:item", args=[assessment.public_id, code])


def post_file(client, assessment, code, proof_code, name, content, **data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        upload_url(assessment, code, proof_code),
        {"file": SimpleUploadedFile(name, content), "effective_date": EFFECTIVE, **data},
        follow=True,
    )


def page_messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_vendor_uploads_a_pdf_streamed_to_storage(member_setup, upload_temp):
    client, assessment, _ = member_setup
    response = post_file(client, assessment, PDF_ITEM, "rapport", "rapport.pdf", PDF)
    assert page_messages(response) == ["La preuve « Rapport de tests » est enregistrée."]
    proof = Proof.objects.get()
    assert proof.sha256 == hashlib.sha256(PDF).hexdigest()
    assert str(proof.effective_date) == EFFECTIVE
    assert default_storage.open(proof.file.name).read() == PDF
    assert os.listdir(upload_temp) == []
    assert "rapport.pdf" in response.content.decode()


def test_the_progress_bar_upload_gets_the_next_page_and_its_message_waits_for_it(member_setup, upload_temp):
    """The script's request is not redirected: following a redirection would render the page, and
    consume the message, inside the request; the page the script then opens would show none."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    client, assessment, _ = member_setup
    for name, content, message in [
        ("rapport.pdf", PNG + b"unique-2", "ne correspond à aucun des formats attendus"),
        ("rapport.pdf", PDF, "La preuve « Rapport de tests » est enregistrée."),
    ]:
        response = client.post(
            upload_url(assessment, PDF_ITEM, "rapport"),
            {"file": SimpleUploadedFile(name, content), "effective_date": EFFECTIVE},
            HTTP_X_REQUESTED_WITH="XMLHttpRequest",
        )
        assert response.status_code == 204
        assert response["X-Proof-Next"] == item_url(assessment, PDF_ITEM)
        assert message in " ".join(page_messages(client.get(response["X-Proof-Next"])))
    assert Proof.objects.count() == 1


def test_a_file_whose_content_is_not_the_format_is_refused_and_leaves_nothing(member_setup, upload_temp):
    client, assessment, _ = member_setup
    response = post_file(client, assessment, PDF_ITEM, "rapport", "rapport.pdf", PNG + b"unique-1")
    assert page_messages(response) == [
        "Le fichier « rapport.pdf » n'a pas été enregistré : son contenu (fichier PNG) ne correspond à aucun "
        "des formats attendus pour « Rapport de tests » (PDF)."
    ]
    assert not Proof.objects.exists()
    assert os.listdir(upload_temp) == []
    assert not default_storage.exists(blobs.blob_name(hashlib.sha256(PNG + b"unique-1").hexdigest()))


def test_the_size_limit_is_enforced_while_receiving(member_setup, upload_temp, monkeypatch):
    client, assessment, expected = member_setup
    ExpectedProof.objects.filter(pk=expected["rapport"].pk).update(max_size=1000)
    written = []
    from proofs import uploads

    original = uploads.ProofUploadHandler.receive_data_chunk

    def spy(self, raw_data, start):
        written.append(len(raw_data))
        return original(self, raw_data, start)

    monkeypatch.setattr(uploads.ProofUploadHandler, "receive_data_chunk", spy)
    monkeypatch.setattr(uploads.ProofUploadHandler, "chunk_size", 512)
    content = PDF + b"x" * 5000
    response = post_file(client, assessment, PDF_ITEM, "rapport", "gros.pdf", content)
    assert page_messages(response) == [
        "Le fichier dépasse 0\u00a0Mo, la taille maximale pour cette preuve : il n'a pas été enregistré."
    ]
    assert sum(written) <= 1000 + 512  # stopped as soon as the limit was crossed
    assert not Proof.objects.exists()
    assert os.listdir(upload_temp) == []


def test_a_declared_size_over_the_limit_is_refused_before_reading(member_setup, upload_temp):
    client, assessment, expected = member_setup
    ExpectedProof.objects.filter(pk=expected["rapport"].pk).update(max_size=1000)
    response = post_file(client, assessment, PDF_ITEM, "rapport", "gros.pdf", PDF + b"x" * 200_000)
    assert "dépasse" in page_messages(response)[0]
    assert not Proof.objects.exists()


def test_the_upload_route_takes_bodies_over_the_global_limit_other_routes_do_not(member_setup, settings):
    client, assessment, expected = member_setup
    ExpectedProof.objects.filter(pk=expected["rapport"].pk).update(max_size=10 * 1024 * 1024)
    big = PDF + os.urandom(settings.REQUEST_BODY_MAX_SIZE + 1024)
    response = post_file(client, assessment, PDF_ITEM, "rapport", "gros.pdf", big)
    assert response.status_code == 200 and Proof.objects.get().size == len(big)
    from django.core.files.uploadedfile import SimpleUploadedFile

    elsewhere = client.post(
        reverse("portal:assessments:import", args=[assessment.public_id]),
        {"file": SimpleUploadedFile("gros.json", big)},
    )
    assert elsewhere.status_code == 413


def test_link_and_description_proofs(member_setup):
    client, assessment, _ = member_setup
    url = reverse("portal:proofs:add", args=[assessment.public_id, "A08.4.3", "lien"])
    refused = client.post(url, {"url": "http://a.example/r", "effective_date": EFFECTIVE}, follow=True)
    assert page_messages(refused) == ["Indiquez une adresse web complète, commençant par https://."]
    client.post(url, {"url": "https://tests.example/rapport/42", "effective_date": EFFECTIVE})
    assert Proof.objects.get().url == "https://tests.example/rapport/42"


@pytest.mark.parametrize(
    "data",
    [
        {"effective_date": "pas une date"},
        {"effective_date": EFFECTIVE, "replaces": "pas-un-uuid"},
        {"effective_date": EFFECTIVE, "replaces": "00000000-0000-0000-0000-000000000000"},
        {"effective_date": "9999-12-31"},
    ],
)
def test_hostile_parameters_are_refused_with_a_message(member_setup, data):
    client, assessment, _ = member_setup
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        upload_url(assessment, VIDEO_ITEM, "video"),
        {"file": SimpleUploadedFile("v.mp4", MP4), **data},
        follow=True,
    )
    assert response.status_code == 200
    assert page_messages(response) and not Proof.objects.exists()


def test_unknown_item_or_proof_is_404(member_setup):
    client, assessment, _ = member_setup
    assert client.post(upload_url(assessment, PDF_ITEM, "inconnue")).status_code == 404
    assert client.post(upload_url(assessment, "Z.9", "rapport")).status_code == 404
    assert client.get(item_url(assessment, "Z.9")).status_code == 404


def test_submission_lists_missing_proofs_with_links(member_setup):
    client, assessment, _ = member_setup
    response = client.post(reverse("portal:assessments:submit", args=[assessment.public_id]))
    assert response.status_code == 422
    page = response.content.decode()
    assert f'href="{item_url(assessment, PDF_ITEM)}"' in page
    assert "preuve manquante : « Rapport de tests »" in page.replace("&#x27;", "'")


def test_section_page_shows_each_item_proofs_line(member_setup, django_assert_max_num_queries):
    client, assessment, expected = member_setup
    deposit(assessment, expected["rapport"])
    url = reverse("portal:assessments:section", args=[assessment.public_id, 0])
    page = client.get(url).content.decode()
    assert f'href="{item_url(assessment, PDF_ITEM)}"' in page
    assert "Preuves : 1 déposée(s) · 1 attendue(s)" in page


def section_page(client, assessment) -> str:
    return client.get(reverse("portal:assessments:section", args=[assessment.public_id, 0])).content.decode()


def plain(value) -> bool:
    """Whether ``value`` is made of dicts, lists and tuples of str, int and bool only."""
    if isinstance(value, dict):
        return all(plain(key) and plain(item) for key, item in value.items())
    if isinstance(value, list | tuple):
        return all(plain(item) for item in value)
    return isinstance(value, str | int | bool)


def test_section_memo_shows_each_company_its_own_deposits(member_setup, vendor_client_factory):
    client, assessment, expected = member_setup
    other = AssessmentFactory(questionnaire_version=assessment.questionnaire_version, qualification=QUALIFIED)
    other_client = vendor_client_factory(role="mandataire", company=other.product_version.product.company)
    EntryFactory(title="Le rapport de tests", slug="rapport", item_codes=[PDF_ITEM])
    deposit(assessment, expected["rapport"])
    assert "Preuves : 1 déposée(s) · 1 attendue(s)" in section_page(client, assessment)
    page = section_page(other_client, other)  # read through the memo the first company's page filled
    assert "Preuves : 0 déposée(s) · 1 attendue(s)" in page and "1 déposée(s)" not in page
    assert 'href="/aide/rapport/"' in page
    # What the memo holds: the version's definition and published help, no model instance.
    version_id, section_id = other.questionnaire_version_id, expected["rapport"].item.section_id
    assert plain(expected_proof_outline(version_id, section_id=section_id))
    assert plain(entry_links_for_items([PDF_ITEM], version_id=version_id))


def test_an_addendum_imported_in_this_process_shows_on_the_next_section_page(
    vendor_client_factory, tmp_path, django_capture_on_commit_callbacks
):
    path = write(tmp_path, VALID)
    version = questionnaire_import(path=path, publish=True).version
    assessment = AssessmentFactory(
        questionnaire_version=version, qualification={"partage": True, "secteur": "Ville"}
    )
    client = vendor_client_factory(role="mandataire", company=assessment.product_version.product.company)
    assert "Preuves :" not in section_page(client, assessment)  # memoised: no proof expected
    write(tmp_path, addendum({"S1.2": [VIDEO]}), name="proofs-v1.yaml")
    with django_capture_on_commit_callbacks(execute=True):
        questionnaire_import(path=path, publish=True)
    assert "Preuves : 0 déposée(s) · 1 attendue(s)" in section_page(client, assessment)


def test_whether_a_version_expects_proofs_follows_an_addendum_here_and_elsewhere(
    tmp_path, django_capture_on_commit_callbacks
):
    """The report's « does this version expect proofs » memo: forgotten at once by the importing
    process, and by any other once the memo expires."""
    path = write(tmp_path, VALID)
    version = questionnaire_import(path=path, publish=True).version
    assert version_expects_proofs(version.pk) is False
    write(tmp_path, addendum({"S1.2": [VIDEO]}), name="proofs-v1.yaml")
    with django_capture_on_commit_callbacks(execute=True):
        questionnaire_import(path=path, publish=True)
    assert version_expects_proofs(version.pk) is True
    # Removed elsewhere (another process is not told): seen here once the memo expires.
    ExpectedProof.objects.filter(item__version=version).delete()
    assert version_expects_proofs(version.pk) is True
    with memo_clock_ahead(EXPECTED_PROOFS_TIMEOUT):
        assert version_expects_proofs(version.pk) is False


def test_proofs_expected_by_another_process_show_once_the_memo_expires(member_setup):
    client, assessment, expected = member_setup
    optional_only = "Preuves : 0 déposée(s) · 0 attendue(s) et 1 facultative(s)"
    assert optional_only in section_page(client, assessment)
    # Added elsewhere (as an addendum imported by another process): this process is not told.
    ExpectedProof.objects.create(
        item=expected["lien"].item, code="note", kind="description", label="Note", instruction=".", order=1
    )
    assert optional_only in section_page(client, assessment)
    with memo_clock_ahead(EXPECTED_PROOFS_TIMEOUT - 10):
        assert optional_only in section_page(client, assessment)
    with memo_clock_ahead(EXPECTED_PROOFS_TIMEOUT):
        page = section_page(client, assessment)
    assert "Preuves : 0 déposée(s) · 1 attendue(s) et 1 facultative(s)" in page


def test_item_page_query_count_does_not_grow_with_proofs(member_setup, django_assert_max_num_queries):
    client, assessment, expected = member_setup
    client.get(item_url(assessment, VIDEO_ITEM))  # warm the per-process definition memo
    with django_assert_max_num_queries(20) as few:
        client.get(item_url(assessment, VIDEO_ITEM))
    deposit(assessment, expected["video"], name="a.mp4", content=MP4)
    deposit(assessment, expected["video"], name="b.mp4", content=MP4 + b"2")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(item_url(assessment, VIDEO_ITEM)).status_code == 200


# --- Downloads ---------------------------------------------------------------------------------------------
def test_member_downloads_as_an_attachment_with_nosniff(member_setup):
    client, assessment, expected = member_setup
    proof = deposit(assessment, expected["rapport"])
    response = client.get(reverse("portal:proofs:download", args=[assessment.public_id, proof.public_id]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF


def test_another_company_gets_404(member_setup, vendor_client_factory):
    _, assessment, expected = member_setup
    proof = deposit(assessment, expected["rapport"])
    outsider = vendor_client_factory(role="mandataire")
    url = reverse("portal:proofs:download", args=[assessment.public_id, proof.public_id])
    assert outsider.get(url).status_code == 404
    assert outsider.get(item_url(assessment, PDF_ITEM)).status_code == 404


def test_a_proof_of_another_assessment_is_404(member_setup):
    client, assessment, _ = member_setup
    other, expected, _ = assessment_with_proofs(company=assessment.product_version.product.company)
    proof = deposit(other, expected["rapport"])
    url = reverse("portal:proofs:download", args=[assessment.public_id, proof.public_id])
    assert client.get(url).status_code == 404


def test_reviewer_plays_a_video_with_byte_ranges(reviewer_client):
    assessment, expected, actor = assessment_with_proofs()
    submit_with_proofs(assessment, expected, actor)
    video = Proof.objects.get(item__code=VIDEO_ITEM)
    url = reverse("review:proofs:inline", args=[assessment.public_id, video.public_id])
    whole = reviewer_client.get(url)
    assert whole.status_code == 200 and whole["Accept-Ranges"] == "bytes"
    assert whole["Content-Disposition"].startswith("inline")
    part = reviewer_client.get(url, HTTP_RANGE="bytes=4-11")
    assert part.status_code == 206
    assert part["Content-Range"] == f"bytes 4-11/{len(MP4)}"
    assert b"".join(part.streaming_content) == MP4[4:12]
    tail = reviewer_client.get(url, HTTP_RANGE="bytes=-5")
    assert b"".join(tail.streaming_content) == MP4[-5:]
    assert reviewer_client.get(url, HTTP_RANGE=f"bytes={len(MP4)}-").status_code == 416
    pdf = Proof.objects.get(item__code=PDF_ITEM)
    assert (
        reviewer_client.get(
            reverse("review:proofs:inline", args=[assessment.public_id, pdf.public_id])
        ).status_code
        == 404
    )
    download = reviewer_client.get(
        reverse("review:proofs:download", args=[assessment.public_id, pdf.public_id])
    )
    assert download["Content-Disposition"].startswith("attachment;")


def test_the_reviewer_proofs_page_lets_video_and_images_load_from_our_own_views(reviewer_client):
    assessment, expected, actor = assessment_with_proofs()
    submit_with_proofs(assessment, expected, actor)
    response = reviewer_client.get(reverse("review:proofs:list", args=[assessment.public_id]))
    video = Proof.objects.get(item__code=VIDEO_ITEM)
    inline = reverse("review:proofs:inline", args=[assessment.public_id, video.public_id])
    assert f'src="{inline}"' in response.content.decode()  # a same-origin URL
    directives = {
        name: values
        for name, *values in (part.split() for part in response["Content-Security-Policy"].split(";"))
    }
    assert directives["media-src"] == ["'self'"]
    assert directives["img-src"] == ["'self'", "data:"]


def test_vendor_cannot_reach_the_review_pages(member_setup):
    client, assessment, expected = member_setup
    proof = deposit(assessment, expected["rapport"])
    assert (
        client.get(
            reverse("review:proofs:download", args=[assessment.public_id, proof.public_id])
        ).status_code
        == 403
    )


# --- Verdicts --------------------------------------------------------------------------------------------------
def test_reviewer_verdicts_and_the_vendor_sees_them_once_sent_back(reviewer_client, vendor_client_factory):
    assessment, expected, actor = assessment_with_proofs()
    submit_with_proofs(assessment, expected, actor)
    take(assessment, reviewer_client.user)
    pdf, video = Proof.objects.get(item__code=PDF_ITEM), Proof.objects.get(item__code=VIDEO_ITEM)
    verdict = lambda proof: reverse("review:proofs:verdict", args=[assessment.public_id, proof.public_id])  # noqa: E731
    page = reviewer_client.get(reverse("review:proofs:list", args=[assessment.public_id])).content.decode()
    assert "<video" in page and f"{pdf.sha256}" in page
    refused = reviewer_client.post(verdict(video), {"status": Status.REFUSED, "comment": ""}, follow=True)
    assert page_messages(refused) == [services.REVIEW_COMMENT_REQUIRED]
    reviewer_client.post(verdict(pdf), {"status": Status.VERIFIED})
    reviewer_client.post(verdict(video), {"status": Status.REFUSED, "comment": "La déconnexion manque."})
    bogus = reviewer_client.post(verdict(pdf), {"status": "<script>"}, follow=True)
    assert page_messages(bogus)[-1] == services.REVIEW_UNKNOWN_STATUS
    video.refresh_from_db()
    assert (video.status, video.review_comment) == (Status.REFUSED, "La déconnexion manque.")
    vendor = vendor_client_factory(company=assessment.product_version.product.company)
    hidden = vendor.get(item_url(assessment, VIDEO_ITEM)).content.decode()
    assert "La déconnexion manque." not in hidden
    assessment_services.assessment_request_changes(
        assessment=assessment, actor=reviewer_client.user, comment="Voir."
    )
    assessment.refresh_from_db()
    assert assessment.state == State.CHANGES_REQUESTED
    shown = vendor.get(item_url(assessment, VIDEO_ITEM)).content.decode()
    assert "Refusée" in shown and "La déconnexion manque." in shown


# --- S3 path ---------------------------------------------------------------------------------------------------
def test_upload_and_download_through_s3(s3_storage, member_setup, reviewer_client):
    client, assessment, _expected = member_setup
    content = MP4 + os.urandom(300_000)
    post_file(client, assessment, VIDEO_ITEM, "video", "connexion.mp4", content)
    proof = Proof.objects.get()
    stored = s3_storage["client"].get_object(Bucket=s3_storage["bucket"], Key=proof.file.name)["Body"].read()
    assert stored == content and proof.file.name == blobs.blob_name(hashlib.sha256(content).hexdigest())
    download = client.get(reverse("portal:proofs:download", args=[assessment.public_id, proof.public_id]))
    assert b"".join(download.streaming_content) == content
    post_file(client, assessment, PDF_ITEM, "rapport", "rapport.pdf", PDF)
    services.assessment_submit(assessment=assessment, actor=client.user)
    part = reviewer_client.get(
        reverse("review:proofs:inline", args=[assessment.public_id, proof.public_id]),
        HTTP_RANGE="bytes=100-199",
    )
    assert part.status_code == 206 and b"".join(part.streaming_content) == content[100:200]
