"""Accessibility statement: what is tested, the known gaps, and how to report a problem."""

import streamlit as st

from ui import context

ctx = context.current()
st.title("Accessibility statement")
st.markdown(
    f"""
This statement covers the Community Safety Agreement performance dashboard of the
{ctx.settings["organisation"]}, including the version embedded on the Safer Lancashire
website. We want as many people as possible to be able to use it: to zoom to 400% without
the page scrolling sideways, to use it with a keyboard alone, and to use it with a screen
reader.

## How we test it
Every change is tested automatically before it is released:

- each public page, at a desktop width (1,000 pixels) and a phone width (390 pixels),
  inside the website embed, against the WCAG 2.2 AA rules and best practices that the
  axe-core checker covers (no violations allowed);
- no page scrolls sideways at 320 pixels;
- statuses are given in words and icons as well as colour, with text contrast of at least
  4.5:1.

## What is accessible
- Every chart and the map has a text alternative: the figures it shows are listed in words
  or in a table beside or under it.
- Sparklines are pictures with a description; they take no keyboard stops.
- The keyboard focus is shown with a yellow and black outline.
- Figures read as people read them: whole numbers for counts, thousands separators, one
  rule for per cent and percentage points.

## Known gaps
- The interactive map can be clicked but not moved with the keyboard; the table under it
  gives the same figures and links.
- Chart tooltips need a pointer; the tables under the charts hold the same figures.
- Excel and Word downloads are made to be readable but have not been tested with every
  screen reader.

## Reporting a problem
If you find a problem not listed here, or need the figures in another format, contact the
{ctx.settings["organisation"]} through the Safer Lancashire website, saying which page and
what went wrong. We aim to reply within 5 working days.

## Enforcement
The Equality and Human Rights Commission enforces the Public Sector Bodies (Websites and
Mobile Applications) (No. 2) Accessibility Regulations 2018. If you are not happy with how we
respond to your complaint, contact the Equality Advisory and Support Service (EASS).

This statement was prepared on 29 November 2026.
"""
)
