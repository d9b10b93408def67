"""Files go through STORAGES: the filesystem by default, S3-compatible object storage from the environment."""

import environ
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from certificates import services
from core.storage import FILESYSTEM_BACKEND, S3_BACKEND, default_storage_setting
from tests.certificates.snapshots import certificate_from_snapshot


def test_filesystem_when_no_bucket_is_configured(monkeypatch, tmp_path):
    monkeypatch.delenv("AWS_STORAGE_BUCKET_NAME", raising=False)
    setting = default_storage_setting(environ.Env(), private_root=tmp_path)
    assert setting == {"BACKEND": FILESYSTEM_BACKEND, "OPTIONS": {"location": tmp_path, "base_url": None}}


def test_s3_when_a_bucket_is_configured(monkeypatch, tmp_path):
    monkeypatch.setenv("AWS_STORAGE_BUCKET_NAME", "preuves")
    monkeypatch.setenv("AWS_S3_ENDPOINT_URL", "http://minio:9000")
    setting = default_storage_setting(environ.Env(), private_root=tmp_path)
    assert setting["BACKEND"] == S3_BACKEND
    options = setting["OPTIONS"]
    assert options["bucket_name"] == "preuves"
    assert options["endpoint_url"] == "http://minio:9000"
    assert options["default_acl"] == "private"
    assert options["file_overwrite"] is False


def test_filesystem_storage_keeps_files_under_the_private_root(settings, tmp_path):
    name = default_storage.save("essai/fichier.txt", ContentFile(b"contenu"))
    assert default_storage.path(name).startswith(str(settings.PRIVATE_MEDIA_ROOT))
    default_storage.delete(name)


def test_s3_storage_writes_objects_to_the_bucket(s3_storage):
    name = default_storage.save("essai/fichier.txt", ContentFile(b"contenu"))
    body = s3_storage["client"].get_object(Bucket=s3_storage["bucket"], Key=name)["Body"].read()
    assert body == b"contenu"


@pytest.mark.django_db
def test_certificate_pdf_goes_to_s3_and_downloads_from_it(s3_storage, reviewer_client):
    certificate = services.certificate_render_pdf(certificate=certificate_from_snapshot())
    certificate.refresh_from_db()
    stored = s3_storage["client"].get_object(Bucket=s3_storage["bucket"], Key=certificate.file.name)
    assert stored["Body"].read().startswith(b"%PDF-")
    response = reviewer_client.get(reverse("certificates:download", args=[certificate.public_id]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
