import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from pypdf import PdfReader

from certificates import services
from certificates.models import Certificate
from tests.certificates.snapshots import certificate_from_snapshot

pytestmark = pytest.mark.django_db


def test_render_certificate_writes_the_pdf_and_changes_nothing(tmp_path):
    certificate = certificate_from_snapshot()
    out = tmp_path / "attestation.pdf"
    stdout = io.StringIO()
    call_command("render_certificate", str(certificate.public_id), "--out", str(out), stdout=stdout)
    text = PdfReader(out).pages[-1].extract_text()
    # The code is random: pypdf reads a kerned pair (« FQJY ») as two words, so compare without spaces.
    assert certificate.display_code in "".join(text.split())
    assert "octets en" in stdout.getvalue()
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.PENDING and not certificate.file


@pytest.mark.parametrize("public_id", ["00000000-0000-0000-0000-000000000000", "pas-un-uuid"])
def test_render_certificate_reports_an_unknown_document(tmp_path, public_id):
    with pytest.raises(CommandError, match="Aucun document"):
        call_command("render_certificate", public_id, "--out", str(tmp_path / "x.pdf"))


def test_requeue_command_reports_how_many(monkeypatch):
    monkeypatch.setattr(services, "certificate_enqueue", lambda *, certificate_id: True)
    old = certificate_from_snapshot()
    Certificate.objects.filter(pk=old.pk).update(updated_at=timezone.now() - timedelta(minutes=10))
    certificate_from_snapshot()  # recent: left alone
    stdout = io.StringIO()
    call_command("requeue_pending_certificates", "--older-than", "5", stdout=stdout)
    assert stdout.getvalue().startswith("1 document(s)")
