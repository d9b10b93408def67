"""/espace/evaluations/: start, qualification, section pages, item saves (htmx), submit, full view."""

import re

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import services
from assessments.models import Answer, Assessment, State
from assessments.selectors import assessment_progress, assessment_structure
from audit.models import AnswerEvent
from companies.models import Role
from portal.assessments import views
from portal.assessments.presenters import anchor
from tests.assessments.factories import QUALIFIED, AssessmentFactory, fill, questionnaire_version
from tests.companies.factories import CompanyFactory, UserFactory
from tests.products.factories import ProductFactory, ProductVersionFactory

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def html(response) -> str:
    """The page with quotes unescaped: ``&#x27;`` from the Django engine, ``&#39;`` from Jinja2."""
    content = response.content.decode()
    return content.replace("&#x27;", "'").replace("&#39;", "'").replace("&quot;", '"')


@pytest.fixture
def company():
    return CompanyFactory(name="Alpha Santé")


@pytest.fixture
def mandataire(vendor_client_factory, company):
    return vendor_client_factory(role=Role.MANDATAIRE, company=company)


@pytest.fixture
def salarie(vendor_client_factory, company):
    return vendor_client_factory(role=Role.SALARIE, company=company)


@pytest.fixture
def outsider(vendor_client_factory):
    return vendor_client_factory(role=Role.MANDATAIRE, company=CompanyFactory(name="Bêta Logiciels"))


def assessment_of(company, **kwargs):
    product_version = ProductVersionFactory(product=ProductFactory(company=company))
    return AssessmentFactory(product_version=product_version, **kwargs)


def url(name, assessment, *args):
    return reverse(f"portal:assessments:{name}", args=[assessment.public_id, *args])


def save(client, assessment, code, level, revision=0, **extra):
    data = {"level": level, "revision": revision, "justification": "", "comment": ""} | extra
    return client.post(url("answer_save", assessment, code), data, **HTMX)


# --- Start ------------------------------------------------------------------------------------------------
def test_start_then_qualification_then_questionnaire(salarie, company):
    version = questionnaire_version(items=10)
    product_version = ProductVersionFactory(product=ProductFactory(company=company))
    start = reverse("portal:assessments:start", args=[product_version.public_id])
    page = html(salarie.get(start))
    assert version.questionnaire.title in page
    response = salarie.post(start, {"questionnaire_version": str(version.public_id)})
    assessment = Assessment.objects.get(product_version=product_version)
    assert response.url == url("qualification", assessment)
    answers = {
        "infra_partage": "non",
        "interagit_partage": "oui",
        "connecteur_tiers": "non",
        "messagerie_mssante": "non",
    }
    response = salarie.post(url("qualification", assessment), answers)
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.qualification == QUALIFIED
    assert salarie.get(url("section", assessment, 0)).status_code == 200


def test_start_links_the_assessment_in_progress_instead_of_offering_it_again(salarie, company):
    draft = assessment_of(company)
    start = reverse("portal:assessments:start", args=[draft.product_version.public_id])
    page = html(salarie.get(start))
    assert url("detail", draft) in page
    assert f"Reprendre « {draft.questionnaire_version.questionnaire.title} »" in page
    assert f'value="{draft.questionnaire_version.public_id}"' not in page
    assert views.ALL_IN_PROGRESS in page
    # Posting it anyway is refused by the form, not by a failure.
    response = salarie.post(start, {"questionnaire_version": str(draft.questionnaire_version.public_id)})
    assert response.status_code == 200
    assert Assessment.objects.filter(product_version=draft.product_version).count() == 1


def test_start_with_carry_over_shows_the_summary(mandataire, company):
    previous = assessment_of(company, answered=True)
    new_version = ProductVersionFactory(product=previous.product_version.product, label="9.9")
    start = reverse("portal:assessments:start", args=[new_version.public_id])
    questionnaire = previous.questionnaire_version
    response = mandataire.post(
        start, {"questionnaire_version": str(questionnaire.public_id), "carry_from": str(previous.public_id)}
    )
    assert response.status_code == 302
    assessment = Assessment.objects.get(product_version=new_version)
    page = html(mandataire.get(url("detail", assessment)))
    assert "11 réponse(s) reprise(s)" in page
    assert "A08.4.2" in page  # new: never answered before


def test_incomplete_qualification_keeps_the_answers_and_says_what_is_missing(salarie, company):
    assessment = assessment_of(company)
    response = salarie.post(url("qualification", assessment), {"infra_partage": "oui"})
    page = html(response)
    assert response.status_code == 200
    assert page.count("Répondez à cette question.") == 3
    assert 'value="oui" id="id_infra_partage_0" required checked' in page
    assert Assessment.objects.get(pk=assessment.pk).qualification == {}


def test_section_page_redirects_to_qualification_first(salarie, company):
    assessment = assessment_of(company)
    response = salarie.get(url("section", assessment, 0))
    assert response.url == url("qualification", assessment)


# --- Section pages and full view --------------------------------------------------------------------------
def page_queries(client, company, items: int, name: str, *args, memo: bool = True) -> tuple[int, str]:
    """Queries and HTML of a questionnaire page for a questionnaire of ``items`` items (warm memos;
    ``memo=False``: the per-process "local" cache emptied first, the definition still memoised)."""
    version = questionnaire_version(items=items, sections=8)
    assessment = assessment_of(company, qualification=QUALIFIED, questionnaire_version=version)
    fill(assessment)
    client.get(url(name, assessment, *args))  # the definition is memoised per process
    if not memo:
        caches["local"].clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url(name, assessment, *args))
    assert response.status_code == 200
    return len(queries), html(response)


def test_section_page_uses_the_same_queries_for_3_and_300_items(salarie, company):
    (few, few_html), (many, many_html) = (page_queries(salarie, company, n, "section", 1) for n in (3, 300))
    # user, assessment, every answer (the session is in the cache and keeps the memberships; the help
    # links, the expected proofs and the assessment's owner are memoised; colleagues' names are read
    # only when one of them saved a shown answer)
    assert few == many <= 3
    assert few_html.count('class="cv-item"') == 1  # A08.4.1, alone in its section
    assert many_html.count('class="cv-item"') == 38


def test_section_page_reads_help_links_expected_proofs_and_owner_once_per_process(salarie, company):
    cold, _ = page_queries(salarie, company, 300, "section", 1, memo=False)
    warm, _ = page_queries(salarie, company, 300, "section", 1)
    assert cold == warm + 3  # the help links, the expected proofs, the company owning the assessment


def test_full_view_uses_the_same_queries_for_3_and_300_items(salarie, company):
    (few, few_html), (many, many_html) = (page_queries(salarie, company, n, "full") for n in (3, 300))
    # user, assessment, every answer (the memberships are kept in the session; the help links and the
    # assessment's owner are memoised)
    assert few == many <= 3
    assert few_html.count('class="cv-item"') == 3
    assert many_html.count('class="cv-item"') == 299  # the MSSanté item does not apply


def test_side_menu_links_every_section_with_its_progress_and_marks_the_current_one(salarie, company):
    assessment = assessment_of(
        company, qualification=QUALIFIED, questionnaire_version=questionnaire_version(items=20, sections=4)
    )
    fill(assessment)
    Answer.objects.filter(assessment=assessment, item__code="A08.3.1").update(level="")
    page = html(salarie.get(url("section", assessment, 1)))
    menu = page.split('id="menu-sections"', 1)[1].split("</nav>", 1)[0]
    for index in range(4):
        assert f'href="{url("section", assessment, index)}"' in menu
    assert menu.count('aria-current="page"') == 1
    assert f'href="{url("section", assessment, 1)}" aria-current="page"' in menu
    figures = {
        int(part.split('"', 1)[0]): part.split(">", 1)[1].split("<", 1)[0]
        for part in menu.split('id="section-progress-')[1:]
    }
    progress = assessment_progress(assessment)
    assert figures == {
        s["index"]: f"{s['answered']}/{s['total']}" for s in progress["sections"] if s["total"]
    }
    assert any(s["answered"] < s["total"] for s in progress["sections"])


def test_section_page_shows_levels_descriptions_na_and_the_needs_expression_link(salarie, company, settings):
    settings.NEEDS_EXPRESSION_URL = "https://agence.example/besoin"
    assessment = assessment_of(company, qualification=QUALIFIED)
    page = html(salarie.get(url("section", assessment, 0)))
    assert "Conforme au volet." in page  # a level description
    assert 'id="item-A08-5-01-na"' in page  # N/A allowed there
    assert 'id="item-A08-3-1-na"' not in page  # and forbidden here
    assert "https://agence.example/besoin" in page
    assert 'id="profile-panel"' in page


def test_each_item_of_a_section_says_who_saved_it_colleagues_by_name(salarie, mandataire, company):
    assessment = assessment_of(company, qualification=QUALIFIED)
    struct = assessment_structure(assessment)
    section = struct.section_of_item["A08.3.1"]
    mine, theirs, unsaved = (item["code"] for item in section["items"][:3])
    save(salarie, assessment, mine, "vert")
    save(mandataire, assessment, theirs, "rouge")
    section_url = url("section", assessment, struct.sections.index(section))
    salarie.get(section_url)  # the help links, expected proofs and owner are memoised per process
    with CaptureQueriesContext(connection) as queries:
        page = html(salarie.get(section_url))
    statuses = dict(re.findall(r'id="([^"]+)-status" role="status">(.*?)</p>', page))
    assert re.search(r"Enregistré par vous le \d+ \w+ \d{4} à \d\d:\d\d", statuses[anchor(mine)])
    colleague = f"{mandataire.user.first_name} {mandataire.user.last_name}".strip()
    assert f"Enregistré par {colleague} le " in statuses[anchor(theirs)]
    assert "Enregistré" not in statuses[anchor(unsaved)]
    assert len(queries) <= 4  # user, assessment, every answer, the colleague's name


def test_unknown_section_is_404(salarie, company):
    assessment = assessment_of(company, qualification=QUALIFIED)
    assert salarie.get(url("section", assessment, 99)).status_code == 404


# --- Item saves ------------------------------------------------------------------------------------------
def test_save_says_enregistre_and_updates_profiles_out_of_band(salarie, company):
    assessment = assessment_of(company, qualification=QUALIFIED)
    for code in ("A08.3.1", "A08.4.1", "A08.5.01"):
        response = save(salarie, assessment, code, "vert")
    page = html(response)
    assert "Enregistré" in page
    assert 'id="item-A08-5-01-revision" data-hx-swap-oob="true"' in page.replace('value="1" ', "")
    assert 'id="profile-panel" data-hx-swap-oob="true"' in page
    assert "Atteint" in page
    assert Answer.objects.get(assessment=assessment, item__code="A08.5.01").updated_by == salarie.user


def test_a_save_is_in_the_audit_trail_with_its_author_and_the_same_save_again_is_not(salarie, company):
    assessment = assessment_of(company, qualification=QUALIFIED)
    assert 'name="revision" value="1"' in html(save(salarie, assessment, "A08.3.1", "vert", revision=0))
    updates = AnswerEvent.objects.select_related("pgh_context").filter(
        assessment=assessment, pgh_label="update"
    )
    event = updates.get()
    assert (event.level, event.revision, event.updated_by_id) == ("vert", 1, salarie.user.pk)
    assert event.pgh_context.metadata["user"] == salarie.user.pk
    # The same values again (a double click): saved as they are, same revision, no new history row.
    again = html(save(salarie, assessment, "A08.3.1", "vert", revision=1))
    assert "Enregistré" in again and 'name="revision" value="1"' in again
    assert updates.count() == 1


def test_answer_save_query_count_is_small_and_constant(salarie, company, django_assert_max_num_queries):
    for items in (8, 300):
        assessment = assessment_of(
            company, qualification=QUALIFIED, questionnaire_version=questionnaire_version(items=items)
        )
        save(salarie, assessment, "X.001", "jaune")
        # user (the session is in the cache); in the transaction: access check (among the memberships
        # the session keeps) and row lock, the answer's conditional update (no read first), every
        # answer's level (profiles and progress), profiles; the test's savepoint and its release.
        with django_assert_max_num_queries(7) as queries:
            response = save(salarie, assessment, "A08.3.1", "vert")
        assert "Enregistré" in html(response)
        # No company switcher to render, and the memberships the access check needs are the
        # session's: the person's membership list is not read from the database.
        membership_lists = [q["sql"] for q in queries if q["sql"].startswith('SELECT "companies_membership"')]
        assert membership_lists == []


def test_conflict_shows_their_value_and_who_saved_it(salarie, mandataire, company):
    assessment = assessment_of(company, qualification=QUALIFIED)
    mandataire.user.first_name, mandataire.user.last_name = "Camille", "Durand"
    mandataire.user.save()
    save(mandataire, assessment, "A08.5.23", "jaune", comment="Lecture CDA faite.")
    page = html(save(salarie, assessment, "A08.5.23", "rouge", revision=0))
    assert "Votre réponse n'est pas enregistrée." in page
    assert "Camille Durand a enregistré une autre réponse" in page
    assert "Partiellement conforme" in page and "Lecture CDA faite." in page
    assert Answer.objects.get(assessment=assessment, item__code="A08.5.23").level == "jaune"
    # "Remplacer par ma réponse" posts with their revision: now it goes through.
    assert "Enregistré" in html(save(salarie, assessment, "A08.5.23", "rouge", revision=1))
    item = html(salarie.get(url("item", assessment, "A08.5.23")))
    assert 'value="rouge" checked' in item


def test_the_save_response_escapes_their_texts_and_links_the_item(salarie, mandataire, company):
    assessment = assessment_of(company, qualification=QUALIFIED)
    hostile = '<script>alert("x")</script> & "guillemets"'
    mandataire.user.first_name = "<b>Camille</b>"
    mandataire.user.save()
    save(mandataire, assessment, "A08.5.23", "jaune", comment=hostile)
    page = save(salarie, assessment, "A08.5.23", "rouge", revision=0).content.decode()
    assert "<script>" not in page and "<b>Camille" not in page
    assert "&lt;script&gt;" in page and "&amp; &#34;guillemets&#34;" in page and "&lt;b&gt;Camille" in page
    assert f'data-hx-post="{url("answer_save", assessment, "A08.5.23")}"' in page
    assert f'data-hx-get="{url("item", assessment, "A08.5.23")}"' in page
    assert 'data-hx-vals=\'{"revision": "1"}\'' in page
    saved = save(salarie, assessment, "A08.5.23", "rouge", revision=1).content.decode()
    progress = assessment_progress(Assessment.objects.get(pk=assessment.pk))
    done, total = progress["answered"], progress["total"]
    bar = f'max="{total}" value="{done}" aria-label="Progression globale : {done} sur {total}"'
    assert (
        '<div id="overall-progress" class="fr-mt-2w" data-hx-swap-oob="true"><div class="cv-progress">'
        in saved
    )
    assert bar in saved and f"{done}/{total} ({round(100 * done / total)} %)" in saved
    # The same template as the pages' progress bar (through the maturity tag).
    section = html(salarie.get(url("section", assessment, 0)))
    assert bar in section


def test_conflict_with_ones_own_save_in_another_tab_says_so(salarie, company):
    assessment = assessment_of(company, qualification=QUALIFIED)
    save(salarie, assessment, "A08.5.23", "jaune", comment="Saisi dans l'autre onglet.")
    page = html(save(salarie, assessment, "A08.5.23", "rouge", revision=0))
    assert "Votre réponse n'est pas enregistrée." in page
    assert "Vous avez enregistré une autre réponse le " in page
    assert "depuis un autre onglet ou une autre fenêtre." in page
    assert "Votre autre réponse : <strong>Partiellement conforme</strong>" in page
    assert "Reprendre cette réponse" in page
    assert "Vous a enregistré" not in page and "Sa réponse" not in page


@pytest.mark.parametrize(
    ("code", "level", "revision", "message"),
    [
        ("A08.3.1", "na", "0", "« Non applicable » n'est pas possible pour l'exigence « A08.3.1 »."),
        ("A08.3.1", "violet", "0", "Niveau « violet » inconnu"),
        ("A08.3.1", "vert", "abc", "La page est incomplète"),
    ],
)
def test_errors_are_shown_on_the_item(salarie, company, code, level, revision, message):
    assessment = assessment_of(company, qualification=QUALIFIED)
    response = save(salarie, assessment, code, level, revision=revision)
    assert response.status_code == 200
    assert message in html(response)


def test_a_nul_character_in_a_comment_is_refused_on_the_item(salarie, company):
    assessment = assessment_of(company, qualification=QUALIFIED)
    response = save(salarie, assessment, "A08.3.1", "vert", comment="Nul\x00 ici")
    assert response.status_code == 200
    assert services.TEXT_FORBIDDEN_CHARACTER.format(field="commentaire") in html(response)
    assert Answer.objects.get(assessment=assessment, item__code="A08.3.1").level == ""


def test_na_without_justification_is_saved_with_a_warning(salarie, company):
    assessment = assessment_of(company, qualification=QUALIFIED)
    page = html(save(salarie, assessment, "X.001", "na"))
    assert "La justification est obligatoire" in page
    assert Answer.objects.get(assessment=assessment, item__code="X.001").level == "na"


def test_unknown_item_is_404(salarie, company):
    assessment = assessment_of(company, qualification=QUALIFIED)
    assert save(salarie, assessment, "NOPE", "vert").status_code == 404


def test_get_never_saves(salarie, company):
    assessment = assessment_of(company, qualification=QUALIFIED)
    assert (
        salarie.get(url("answer_save", assessment, "A08.3.1"), {"level": "vert", "revision": 0}).status_code
        == 405
    )


# --- Submit -------------------------------------------------------------------------------------------------
def test_submit_lists_missing_items_with_links(mandataire, company):
    assessment = assessment_of(company, qualification=QUALIFIED)
    response = mandataire.post(url("submit", assessment))
    page = html(response)
    assert response.status_code == 422
    assert "Il reste 11 exigence(s) applicable(s) sans réponse complète." in page
    assert url("section", assessment, 0) + "#item-A08-3-1" in page
    assert Assessment.objects.get(pk=assessment.pk).state == State.DRAFT


def test_submitted_assessment_is_read_only(mandataire, company):
    assessment = assessment_of(company, qualification=QUALIFIED)
    fill(assessment)
    response = mandataire.post(url("submit", assessment))
    assert response.status_code == 302
    assert Assessment.objects.get(pk=assessment.pk).state == State.SUBMITTED
    page = html(mandataire.get(url("section", assessment, 0)))
    assert "hx-post" not in page and "lecture seule" in page
    assert "ne peuvent plus être modifiées" in html(
        save(mandataire, assessment, "A08.3.1", "rouge", revision=1)
    )


def test_salarie_can_answer_but_not_submit(salarie, company):
    assessment = assessment_of(company, qualification=QUALIFIED)
    fill(assessment)
    assert "Enregistré" in html(save(salarie, assessment, "X.001", "vert", revision=1))
    assert "Soumettre l'évaluation" not in html(salarie.get(url("detail", assessment)))
    assert salarie.post(url("submit", assessment)).status_code == 403
    assert Assessment.objects.get(pk=assessment.pk).state == State.DRAFT


# --- Access -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["detail", "qualification", "full", "export", "import"])
def test_outsider_gets_404(outsider, company, name):
    assessment = assessment_of(company, qualification=QUALIFIED)
    assert outsider.get(url(name, assessment)).status_code == 404


def test_outsider_cannot_save_or_submit(outsider, company):
    assessment = assessment_of(company, qualification=QUALIFIED)
    assert save(outsider, assessment, "A08.3.1", "vert").status_code == 404
    assert outsider.post(url("submit", assessment)).status_code == 404
    assert outsider.get(url("section", assessment, 0)).status_code == 404


def test_detail_page_query_count(mandataire, company, django_assert_max_num_queries):
    assessment = assessment_of(company, qualification=QUALIFIED)
    mandataire.get(url("detail", assessment))
    with django_assert_max_num_queries(10):
        assert mandataire.get(url("detail", assessment)).status_code == 200


def test_reviewer_is_not_a_member(reviewer_client, company):
    assessment = assessment_of(company, qualification=QUALIFIED)
    assert reviewer_client.get(url("detail", assessment)).status_code == 404
    assert UserFactory(reviewer=True).is_reviewer


def test_outsider_cannot_start_an_assessment_of_another_company(outsider, company):
    product_version = ProductVersionFactory(product=ProductFactory(company=company))
    start = reverse("portal:assessments:start", args=[product_version.public_id])
    assert outsider.get(start).status_code == 404
    assert outsider.post(start, {"questionnaire_version": "x"}).status_code == 404


def test_published_reviewer_comments_show_on_their_items_when_changes_are_requested(mandataire, company):
    from assessments import services
    from instruction.models import ReviewComment

    assessment = assessment_of(company, submitted=True)
    reviewer = UserFactory(reviewer=True)
    services.assessment_take(assessment=assessment, actor=reviewer)
    item = assessment.questionnaire_version.items.get(code="A08.4.1")
    ReviewComment.objects.create(
        assessment=assessment, item=item, author=reviewer, body="Quelle version du volet ?", is_published=True
    )
    ReviewComment.objects.create(
        assessment=assessment, item=item, author=reviewer, body="Note interne", is_published=False
    )
    services.assessment_request_changes(assessment=assessment, actor=reviewer, comment="Voir A08.4.1.")
    page = html(mandataire.get(url("section", assessment, 0)))
    assert "Quelle version du volet ?" in page
    assert "Note interne" not in page
    assert "hx-post" in page  # editable again


def test_overview_resumes_at_the_first_unfinished_section(salarie, company):
    assessment = assessment_of(
        company, qualification=QUALIFIED, questionnaire_version=questionnaire_version(items=8)
    )
    for code in ("A08.3.1", "A08.4.1", "A08.4.3"):  # the whole first section
        save(salarie, assessment, code, "vert")
    page = html(salarie.get(url("detail", assessment)))
    assert f'href="{url("section", assessment, 1)}">Répondre au questionnaire' in page


def test_taking_their_answer_returns_the_item_as_saved_now(
    salarie, mandataire, company, django_assert_max_num_queries
):
    assessment = assessment_of(company, qualification=QUALIFIED)
    save(mandataire, assessment, "A08.5.23", "jaune", comment="Lecture CDA faite.")
    # session, user, membership, assessment, this answer, comments, the help centre's links
    with django_assert_max_num_queries(7):
        response = salarie.get(url("item", assessment, "A08.5.23"), **HTMX)
    page = html(response)
    assert page.count('class="cv-item"') == 1
    assert 'value="jaune" checked' in page
    assert "Lecture CDA faite." in page
    assert 'name="revision" value="1"' in page
    assert salarie.get(url("item", assessment, "Z99"), **HTMX).status_code == 404


def test_previous_and_next_skip_the_sections_without_an_applicable_item(salarie, company):
    gated = {"qualification": "messagerie_mssante"}  # QUALIFIED answers no: these items do not apply
    version = questionnaire_version(items=12, per_section=4, applicability=dict.fromkeys(range(4, 8), gated))
    assessment = assessment_of(company, qualification=QUALIFIED, questionnaire_version=version)
    buttons = re.compile(r'<a class="fr-btn[^"]*" href="([^"]+)">([^<]+)</a>')

    first = buttons.findall(html(salarie.get(url("section", assessment, 0))))
    assert first == [(url("section", assessment, 2), "Section suivante : S3 Section 3")]
    last = buttons.findall(html(salarie.get(url("section", assessment, 2))))
    assert last == [
        (url("section", assessment, 0), "Section précédente : S1 Section 1"),
        (url("detail", assessment), "Terminer et vérifier avant de soumettre"),
    ]
