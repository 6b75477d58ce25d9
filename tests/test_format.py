"""RAG badges carry icon and words, and their colours pass WCAG AA (4.5:1)."""

import pytest

from ui.format import RAG_STYLE, badge, contrast_ratio


@pytest.mark.parametrize(
    "fg, bg, expected",
    [
        ("#FFFFFF", "#000000", 21.0),  # WCAG's extremes
        ("#FFFFFF", "#FFFFFF", 1.0),
        ("#FFFFFF", "#767676", 4.54),  # the well-known lightest AA grey on white
    ],
)
def test_contrast_ratio_matches_wcag_reference_values(fg, bg, expected):
    assert contrast_ratio(fg, bg) == pytest.approx(expected, abs=0.01)


@pytest.mark.parametrize("rag", sorted(RAG_STYLE))
def test_rag_colours_pass_aa(rag):
    bg, fg, _icon = RAG_STYLE[rag]
    assert contrast_ratio(fg, bg) >= 4.5


@pytest.mark.parametrize(
    "rag, label, icon",
    [
        ("red", "Off track", "✖"),
        ("amber", "At risk", "▲"),
        ("green", "On track", "✔"),
        ("grey", "Not judged", "●"),
    ],
)
def test_badge_has_icon_and_words(rag, label, icon):
    html = badge(rag, label)
    assert f"{icon} {label}" in html
    assert f'aria-label="{label}"' in html


@pytest.mark.parametrize("value", [None, float("nan"), ""])
def test_missing_spc_codes_read_as_words_not_nan(value):
    from ui.format import assurance_text, variation_text

    assert variation_text(value) == "SPC: not enough points"
    assert assurance_text(value) == "Assurance: no target"
