"""The one contrast computation (WCAG 2 relative luminance and contrast ratio)."""

import pytest

from core.colours import DARK_TEXT, LIGHT_TEXT, contrast_ratio, readable_text_colour


def test_contrast_ratio_follows_wcag():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
    assert contrast_ratio("#ffffff", "#000000") == pytest.approx(21)
    assert contrast_ratio("#777777", "#777777") == pytest.approx(1)
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)  # the AA threshold grey


def test_readable_text_is_the_one_that_contrasts_more():
    assert readable_text_colour("#18753C") == LIGHT_TEXT  # dark green
    assert readable_text_colour("#FFE552") == DARK_TEXT  # light yellow
    assert readable_text_colour("#000091") == LIGHT_TEXT
    assert readable_text_colour("pas une couleur") == DARK_TEXT
    assert readable_text_colour("#12") == DARK_TEXT
