"""How statuses look: RAG badges with icon and words (never colour alone), AA contrast.

Colours (text on background, WCAG contrast ratio): off track white on #B10E1E (7.0:1),
at risk #0B0C0C on #FFBF47 (12.6:1), on track white on #00703C (6.0:1), not judged white on
#505A5F (7.0:1). tests/test_format.py checks the ratios.
"""

from __future__ import annotations

import html
import re

import numpy as np

RAG_STYLE = {
    # rag: (background, text, icon)
    "red": ("#B10E1E", "#FFFFFF", "✖"),
    "amber": ("#FFBF47", "#0B0C0C", "▲"),
    "green": ("#00703C", "#FFFFFF", "✔"),
    "grey": ("#505A5F", "#FFFFFF", "●"),
}

VARIATION_WORDS = {
    "common_cause": ("~", "Common cause: no significant change"),
    "special_cause_improvement_high": ("⬆", "Special cause: improvement (higher)"),
    "special_cause_improvement_low": ("⬇", "Special cause: improvement (lower)"),
    "special_cause_concern_high": ("⬆", "Special cause: concern (higher)"),
    "special_cause_concern_low": ("⬇", "Special cause: concern (lower)"),
    "special_cause_neither_high": ("⬆", "Special cause: higher (no judgement)"),
    "special_cause_neither_low": ("⬇", "Special cause: lower (no judgement)"),
}
ASSURANCE_WORDS = {
    "pass": ("P", "Assurance: will consistently pass the target"),
    "fail": ("F", "Assurance: will consistently fail the target"),
    "hit_or_miss": ("?", "Assurance: will hit and miss the target"),
}
COMPARISON_WORDS = {
    "better": "▲ Better than Lancashire",
    "worse": "▼ Worse than Lancashire",
    "similar": "● Similar to Lancashire",
    "higher": "▲ Higher than Lancashire",
    "lower": "▼ Lower than Lancashire",
    "not compared": "– Not compared",
}


def badge(rag: str, label: str, large: bool = False) -> str:
    """HTML badge: icon + words on an accessible background."""
    bg, fg, icon = RAG_STYLE.get(rag, RAG_STYLE["grey"])
    size = "1.4rem" if large else "0.85rem"
    return (
        f'<span role="img" aria-label="{html.escape(label)}" style="background:{bg};'
        f"color:{fg};padding:0.1em 0.55em;border-radius:0.4em;font-weight:600;"
        f'font-size:{size};white-space:nowrap">{icon} {html.escape(label)}</span>'
    )


MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$])")


def md(text) -> str:
    """Text from users or their files (file names, cell values, e-mail addresses) shown as
    plain words: backslash-escape every Markdown special, so none can add links, formatting,
    HTML or LaTeX. Escaped: \\ ` * _ { } [ ] ( ) # + - . ! | < > ~ $."""
    return MARKDOWN_SPECIALS.sub(r"\\\1", str(text))


def number(x, unit: str = "count", suppressed: bool = False, threshold: int = 5) -> str:
    if suppressed:
        return f"<{threshold}"
    if x is None or (isinstance(x, float) and np.isnan(x)):
        return "–"
    if unit == "percentage":
        return f"{x:,.1f}%"
    if unit == "count":
        return f"{x:,.0f}"
    return f"{x:,.2f}" if abs(x) < 100 else f"{x:,.0f}"


def unit_label(unit: str, multiplier: int) -> str:
    if unit == "percentage":
        return "%"
    if unit == "rate":
        return f"per {multiplier:,}"
    return "count"


def _missing(code) -> bool:
    return code is None or (isinstance(code, float) and np.isnan(code)) or code == ""


def variation_text(code: str | None) -> str:
    if _missing(code):
        return "SPC: not enough points"
    icon, words = VARIATION_WORDS.get(code, ("", code))
    return f"{icon} {words}"


def assurance_text(code: str | None) -> str:
    if _missing(code):
        return "Assurance: no target"
    icon, words = ASSURANCE_WORDS.get(code, ("", code))
    return f"[{icon}] {words}"


def contrast_ratio(fg: str, bg: str) -> float:
    """WCAG 2.1 contrast ratio of two #RRGGBB colours."""

    def lum(hex_colour: str) -> float:
        rgb = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    a, b = sorted((lum(fg), lum(bg)), reverse=True)
    return (a + 0.05) / (b + 0.05)
