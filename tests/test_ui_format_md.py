"""ui.format.md: user-supplied text (file names, sheet values, e-mail addresses) is shown as
plain words, with every Markdown special backslash-escaped so it cannot add formatting,
links, HTML or LaTeX. The escaped set is exactly \\ ` * _ { } [ ] ( ) # + - . ! | < > ~ $."""

import pytest

from ui.format import md

ESCAPED = "\\`*_{}[]()#+-.!|<>~$"


@pytest.mark.parametrize("char", list(ESCAPED))
def test_every_markdown_special_is_backslash_escaped(char):
    assert md(char) == "\\" + char


@pytest.mark.parametrize("char", list("aZ09 ,:;'\"=&%@^?/\n\t£é"))
def test_other_characters_are_left_alone(char):
    assert md(char) == char


@pytest.mark.parametrize(
    "text, expected",
    [
        ("", ""),
        ("Police return Q1", "Police return Q1"),
        ("**bold** _it_", r"\*\*bold\*\* \_it\_"),
        ("`code`", r"\`code\`"),
        ("[click](http://evil.example)", r"\[click\]\(http://evil\.example\)"),
        ("# Heading", r"\# Heading"),
        ("<img src=x onerror=alert(1)>", r"\<img src=x onerror=alert\(1\)\>"),
        ("a | b", r"a \| b"),
        ("$x^2$", r"\$x^2\$"),
        ("~~gone~~", r"\~\~gone\~\~"),
        ("- item", r"\- item"),
        ("1. item", r"1\. item"),
        ("+ item", r"\+ item"),
        ("!alert", r"\!alert"),
        ("{braces}", r"\{braces\}"),
        ("back\\slash", r"back\\slash"),  # a backslash is escaped too, so it cannot undo one
        (r"\*", r"\\\*"),
        ("ops_q1-2025.xlsx", r"ops\_q1\-2025\.xlsx"),
        ("analyst@example.org", r"analyst@example\.org"),
    ],
)
def test_user_text_cannot_inject_formatting(text, expected):
    assert md(text) == expected


@pytest.mark.parametrize(
    "value, expected", [(12, "12"), (1.5, r"1\.5"), (-3, r"\-3"), (None, "None")]
)
def test_non_strings_are_converted_with_str(value, expected):
    assert md(value) == expected
