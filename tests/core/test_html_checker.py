"""The Nu Html Checker helper the browser and page tests rely on: it reports real errors with the
document they come from, passes a valid page, and keeps one checker service per test process."""

from tests import html_checker
from tests.html_checker import nu_errors, require_checker

VALID = '<!DOCTYPE html><html lang="fr"><head><title>Page</title></head><body><p>Texte</p></body></html>'
BROKEN = '<!DOCTYPE html><html lang="fr"><head><title>Page</title></head>\n<body><p><div></p></body></html>'


def test_a_valid_page_has_no_error():
    require_checker()
    assert nu_errors([("/valide/", VALID)]) == []


def test_errors_name_their_document_and_line():
    require_checker()
    errors = nu_errors(
        [
            ("/valide/", VALID),
            ("/casse/ (page)", BROKEN),
            ("/accents/", VALID.replace("Texte", "Évaluée « là »")),
        ]
    )
    assert errors and all(error.startswith("/casse/ (page):2: ") for error in errors)
    assert any("Unclosed element “div”" in error for error in errors)


def test_one_checker_service_serves_every_call_of_the_process():
    require_checker()
    nu_errors([("/un/", VALID)])
    process = html_checker._service["process"]
    nu_errors([("/deux/", BROKEN)])
    assert html_checker._service["process"] is process and process.poll() is None
