"""The certificate of conformity rendered by the real Celery worker once the validation commits."""

import io

import pytest
from pypdf import PdfReader

from dmn.certification import candidature_certificates
from dmn.models import Grouping, Line
from tests.certificates.test_worker import wait_ready
from tests.dmn.certify import TWO_LINES, validated_candidatures
from tests.dmn.factories import import_dmn

pytestmark = [pytest.mark.worker, pytest.mark.xdist_group("certificates-worker")]


def pdf_text(certificate) -> str:
    return " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(certificate.file.read())).pages
    )


def test_validation_renders_one_certificate_listing_both_lines(celery_worker):
    import_dmn()
    (candidature,), _reviewer = validated_candidatures(TWO_LINES)
    (certificate,) = candidature_certificates(candidature)
    certificate = wait_ready(certificate)
    text = pdf_text(certificate)
    assert "Certificat de conformité" in text
    # The code is random and letter-spaced: pypdf may read a pair of its letters as two words.
    assert certificate.display_code in "".join(text.split())
    assert "Spécifications techniques — Diabète, version 1" in text
    assert "Spécifications techniques — Insuffisance cardiaque chronique, version 1" in text
    assert candidature.product_version.product.display_name in text


def test_candidatures_filed_per_line_get_a_certificate_each(celery_worker):
    import_dmn()
    candidatures, _reviewer = validated_candidatures([Line.DIABETE, Line.RENAL], Grouping.PER_LINE)
    texts = [
        pdf_text(wait_ready(certificate)) for c in candidatures for certificate in candidature_certificates(c)
    ]
    assert len(texts) == 2
    assert "Lignes génériques certifiées (1)" in texts[0] and "Diabète" in texts[0]
    assert "Insuffisance rénale chronique" in texts[1] and "Diabète" not in texts[1]
