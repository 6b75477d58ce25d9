"""The source register (data/sources.csv): every indicator reaches a source, every source's
files are bundled, every bundled data file has a source, and a malformed register is refused
with an error that names the file, row and column."""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pytest

from csa import inventory, provenance
from csa.seed import build_indicators

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"


@pytest.fixture(scope="module")
def register() -> dict[str, provenance.Source]:
    return provenance.by_id(provenance.read_sources(DATA))


@pytest.fixture(scope="module")
def catalogue():
    indicators, _targets = build_indicators()
    return indicators


def test_the_register_reads_and_holds_the_sources_the_app_uses(register):
    assert set(register) == {
        "police-uk",
        "ho-prc-c2",
        "ho-prc-p1",
        "ons-mye-2023",
        "ons-mye-lancashire",
        "ons-boundaries",
        "mhclg-imd",
        "ons-subnational",
        "fingertips-alcohol",
        "ho-unit-costs",
        "hmt-gdp-deflator",
        "comparator-groups",
        "synthetic",
    }
    assert register["synthetic"].title == "Synthetic demo values (no public source)"
    for source in register.values():
        assert source.url == provenance.NOT_STATED or source.has_link, source.id


@pytest.mark.parametrize(
    "code, data_kind, expected",
    [
        ("ASB-01", "real", ["police-uk", "ons-mye-lancashire"]),
        ("PUK-VSO", "real", ["police-uk", "ons-mye-lancashire"]),
        ("PUK-BIKE", "real", ["police-uk", "ons-mye-lancashire"]),
        ("REC-TOTAL", "real", ["ho-prc-c2", "ons-mye-lancashire"]),
        ("REC-HOM", "real", ["ho-prc-c2", "ons-mye-lancashire"]),
        ("VIO-01", "demo", ["synthetic"]),
        ("ASB-02", "demo", ["synthetic"]),
        # an indicator an analyst added, with figures from returns: no bundled source
        ("NEW-01", "real", []),
        # "ASB-01" is an exact rule, not a prefix
        ("ASB-010", "demo", ["synthetic"]),
    ],
)
def test_sources_for_an_indicator(code, data_kind, expected):
    assert provenance.sources_for(code, data_kind) == expected


def test_every_indicator_in_the_catalogue_maps_to_a_registered_source(catalogue, register):
    assert len(catalogue) == 12 + 13 + 1 + 23  # demo, police.uk crime types, ASB-01, REC
    for ind in catalogue.itertuples(index=False):
        ids = provenance.sources_for(ind.code, ind.data_kind)
        assert ids, ind.code
        assert set(ids) <= set(register), (ind.code, ids)
        # a real series never points at the synthetic values, a demo one only at them
        assert (ids == ["synthetic"]) == (ind.data_kind == "demo"), ind.code


def test_every_source_file_is_bundled(register):
    assert provenance.missing_files(DATA, list(register.values())) == []


def test_every_bundled_data_file_has_a_source(register):
    assert provenance.unregistered_files(DATA, list(register.values())) == []
    # the exceptions are listed by name, and exist
    for name in provenance.NOT_SOURCED:
        assert (DATA / name).is_file(), name


def test_a_new_data_file_without_a_source_is_reported(tmp_path, register):
    for name in [f for s in register.values() for f in s.files] + list(provenance.NOT_SOURCED):
        (tmp_path / name).write_text("x", encoding="utf-8")
    (tmp_path / "new_figures.csv").write_text("x", encoding="utf-8")
    (tmp_path / "csa.db").write_text("x", encoding="utf-8")  # the app's database is not data
    assert provenance.unregistered_files(tmp_path, list(register.values())) == ["new_figures.csv"]
    (tmp_path / "gdp_deflator_hmt_dec2025.csv").unlink()
    assert provenance.missing_files(tmp_path, list(register.values())) == [
        ("hmt-gdp-deflator", "gdp_deflator_hmt_dec2025.csv")
    ]


def _rows() -> list[dict]:
    with (DATA / provenance.SOURCES_FILE).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _write(tmp_path: Path, rows: list[dict], columns: list[str] | None = None) -> Path:
    columns = columns or provenance.COLUMNS
    with (tmp_path / provenance.SOURCES_FILE).open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, columns, extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)
    return tmp_path


def _change(row: int, column: str, value: str):
    def apply(rows):
        rows[row - 2][column] = value  # row numbers count the header as row 1
        return rows

    return apply


@pytest.mark.parametrize(
    "change, columns, message",
    [
        (_change(3, "publisher", ""), None, "sources.csv, row 3, column publisher: blank"),
        (_change(2, "licence", "  "), None, "sources.csv, row 2, column licence: blank"),
        (
            _change(5, "url", "data.police.uk"),
            None,
            "sources.csv, row 5, column url: 'data.police.uk' is neither a web address",
        ),
        (
            _change(4, "id", "police-uk"),
            None,
            "sources.csv, row 4, column id: 'police-uk' repeats row 2",
        ),
        (_change(2, "id", "Police UK"), None, "sources.csv, row 2, column id: 'Police UK'"),
        (_change(6, "files", " ; "), None, "sources.csv, row 6, column files: no file named"),
        (
            lambda rows: rows,
            [c for c in provenance.COLUMNS if c != "licence"],
            "sources.csv: missing column(s) licence",
        ),
        (
            lambda rows: rows,
            provenance.COLUMNS + ["vintage"],
            "sources.csv: unknown column(s) vintage",
        ),
    ],
)
def test_a_malformed_register_is_refused_naming_file_row_and_column(
    tmp_path, change, columns, message
):
    folder = _write(tmp_path, change(_rows()), columns)
    with pytest.raises(provenance.SourcesError, match=re.escape(message)):
        provenance.read_sources(folder)


def test_a_row_with_more_fields_than_columns_is_refused(tmp_path):
    shutil.copy(DATA / provenance.SOURCES_FILE, tmp_path / provenance.SOURCES_FILE)
    with (tmp_path / provenance.SOURCES_FILE).open("a", encoding="utf-8") as f:
        f.write("extra,a,b,c,d,https://x.org,e,f.csv,notes,one too many\n")
    with pytest.raises(provenance.SourcesError, match=r"sources\.csv, row 15: more fields"):
        provenance.read_sources(tmp_path)


def test_a_missing_register_is_named(tmp_path):
    with pytest.raises(provenance.SourcesError, match=r"sources\.csv: not found"):
        provenance.read_sources(tmp_path)


@pytest.mark.parametrize(
    "source_id, href",
    [("police-uk", "about#source-police-uk"), ("synthetic", "about#source-synthetic")],
)
def test_links_go_to_the_source_anchor_on_about(source_id, href):
    assert provenance.about_href(source_id) == href


@pytest.mark.parametrize(
    "label, words",
    [
        ("2022-10", "October 2022"),
        ("2019-12", "December 2019"),
        ("2020-01", "January 2020"),
        ("2024-25 Q2", "2024-25 Q2"),
        ("YE Jun 2025", "YE Jun 2025"),
        ("2022-13", "2022-13"),  # not a month: the label as it is
    ],
)
def test_period_words(label, words):
    assert inventory.period_words(label) == words


@pytest.mark.parametrize(
    "label, stale, source, demo, words",
    [
        ("2022-10", False, "police.uk", False, "latest: October 2022"),
        (
            "2022-10",
            True,
            "police.uk",
            False,
            "Latest figure is October 2022: no newer police.uk data is bundled",
        ),
        ("2026-27 Q2", False, None, True, "latest: 2026-27 Q2 (demo data)"),
        (
            "2025-26 Q1",
            True,
            None,
            True,
            "Latest figure is 2025-26 Q1: no newer figure has been returned",
        ),
    ],
)
def test_latest_words(label, stale, source, demo, words):
    assert inventory.latest_words(label, stale, source, demo=demo) == words
