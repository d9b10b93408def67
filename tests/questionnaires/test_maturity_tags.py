"""The maturity widgets: level badge (readable text on any colour), progress bar, profile badges."""

from django.template import Context, Template

from questionnaires.templatetags.maturity import text_colour

LEVELS = [{"code": "jaune", "label": "Partiellement conforme", "colour": "#C3992A"}]


def render(source: str, **context) -> str:
    return Template("{% load maturity %}" + source).render(Context(context))


def test_text_colour_contrasts_with_the_background():
    assert text_colour("#18753C") == "#ffffff"  # dark green
    assert text_colour("#FFE552") == "#161616"  # light yellow
    assert text_colour("pas une couleur") == "#161616"


def test_level_badge_uses_the_level_colour_and_label():
    html = render("{% level_badge 'jaune' levels %}", levels=LEVELS)
    assert "background-color:#C3992A" in html and "jaune — Partiellement conforme" in html


def test_level_badge_for_na_unanswered_and_unknown():
    assert "Non applicable" in render("{% level_badge 'na' levels %}", levels=LEVELS)
    assert "Sans réponse" in render("{% level_badge '' levels %}", levels=LEVELS)
    assert "violet" in render("{% level_badge 'violet' levels %}", levels=LEVELS)


def test_progress_bar_reports_done_over_total():
    html = render("{% progress_bar 3 4 'Section A' %}")
    assert 'value="3"' in html and "3/4 (75 %)" in html and "Section A : 3 sur 4" in html
    assert "(100 %)" in render("{% progress_bar 0 0 %}")


def test_profile_badges():
    assert "Alimentation" in render(
        "{% profile_badges reached labels %}",
        reached=["alimentation"],
        labels={"alimentation": "Alimentation"},
    )
    assert "Aucun profil atteint" in render("{% profile_badges reached %}", reached=[])
