"""The open-data API's content (csa.open_data): public indicators only, public published
figures only, hidden cells keep only their labels, licence and source on every figure, plain
errors for unknown parameters, formula-safe CSV."""

import io
import json
import shutil

import pandas as pd
import pytest

from csa import config as csa_config
from csa import open_data, publish
from csa.db import Database
from csa.open_data import OpenDataError


@pytest.fixture(scope="module")
def published(sqlite_template, tmp_path_factory):
    """A seeded database with the current data version published (once for the module)."""
    path = tmp_path_factory.mktemp("open_data") / "csa.db"
    shutil.copy(sqlite_template, path)
    db = Database(f"sqlite:///{path}")
    settings = csa_config.load(env={})
    key = publish.ensure(db, settings)
    yield db, settings, key
    db.dispose()


def test_indicators_are_the_public_ones_with_their_licence(published):
    db, _, _ = published
    ind = open_data.indicators(db)
    assert list(ind.columns) == open_data.INDICATOR_COLUMNS
    every = db.indicators()
    restricted = set(every.loc[~every["public"].astype(bool), "code"])
    assert "SOC-01" in restricted  # the catalogue's restricted indicator (seed data)
    assert restricted.isdisjoint(ind["code"])
    assert len(ind) == len(every) - len(restricted)
    by_code = ind.set_index("code")
    assert by_code.loc["ASB-01", "data_kind"] == "real"
    assert by_code.loc["ASB-01", "licence"] == "Open Government Licence v3.0"
    assert by_code.loc["DA-01", "data_kind"] == "demo"
    assert by_code.loc["DA-01", "licence"] == open_data.DEMO_LICENCE
    assert by_code.loc["ASB-01", "lead_organisation"] == "Lancashire Constabulary"


def test_figures_are_the_public_audience_with_hidden_cells_reduced_to_labels(published):
    db, settings, key = published
    out = open_data.figures(db, settings)
    public = publish.read(db, key, "public")
    signed = publish.read(db, key, "signed_in")
    hidden = out[out["hidden"] != ""]
    assert len(hidden) > 0 and set(hidden["hidden"]) <= {"primary", "complementary"}
    for col in open_data.HIDDEN_NUMBERS:
        assert hidden[col].isna().all(), col
    for col in open_data.HIDDEN_TEXTS:
        assert (hidden[col] == "").all(), col
    # the label says why, matching the reason
    primary = hidden[hidden["hidden"] == "primary"]
    assert (primary["value_text"].str.contains("fewer than 5")).all()
    complementary = hidden[hidden["hidden"] == "complementary"]
    assert (complementary["value_text"] == "hidden to protect a small number").all()
    # the signed-in value of a hidden cell exists, and the API does not carry it
    cell = hidden.iloc[0]
    keys = ["indicator_code", "area_code", "period_label"]
    inner = signed.set_index(keys).loc[tuple(cell[k] for k in keys)]
    assert inner["value"] is not None and not pd.isna(inner["value"])
    # shown cells are exactly the public published values
    shown = out[out["hidden"] == ""].set_index(keys)
    pub = public.set_index(keys).loc[shown.index]
    assert shown["value_text"].tolist() == pub["value_text"].tolist()
    assert shown["value"].astype(float).tolist() == pytest.approx(
        pub["value"].tolist(), nan_ok=True
    )


def test_only_public_indicators_have_figures(published):
    db, settings, _ = published
    out = open_data.figures(db, settings)
    assert set(out["indicator_code"]) == set(open_data.indicators(db)["code"])


def test_one_figure_names_its_source_and_licence(published):
    db, settings, _ = published
    out = open_data.figures(db, settings, indicator="ASB-01", area="E23000003", period="2020-02")
    assert len(out) == 1
    row = out.iloc[0]
    assert (row["data_kind"], row["licence"]) == ("real", "Open Government Licence v3.0")
    assert row["source"].startswith("data.police.uk street-level crime")
    assert row["period_start"] == "2020-02-01"


def test_comma_separated_filters(published):
    db, settings, _ = published
    out = open_data.figures(db, settings, indicator="ASB-01,DA-01", area="E07000117")
    assert set(out["indicator_code"]) == {"ASB-01", "DA-01"}
    assert set(out["area_code"]) == {"E07000117"}
    demo = out[out["indicator_code"] == "DA-01"]
    assert set(demo["data_kind"]) == {"demo"}
    assert set(demo["licence"]) == {open_data.DEMO_LICENCE}


@pytest.mark.parametrize(
    "params, message",
    [
        ({"indicator": "NOPE-1"}, "Unknown indicator 'NOPE-1'"),
        ({"indicator": "SOC-01"}, "Unknown indicator 'SOC-01'"),  # restricted: same answer
        ({"area": "E99999999"}, "Unknown area 'E99999999'"),
        ({"period": "1999-00"}, "Unknown period '1999-00'"),
        ({"indicator": ",".join(["ASB-01"] * 101)}, "Too many values for 'indicator'"),
    ],
)
def test_unknown_parameters_are_refused_in_plain_words(published, params, message):
    db, settings, _ = published
    with pytest.raises(OpenDataError, match=message):
        open_data.figures(db, settings, **params)


@pytest.mark.parametrize("fmt, expected", [(None, "json"), ("CSV", "csv"), ("json", "json")])
def test_formats(fmt, expected):
    assert open_data.check_format(fmt) == expected


def test_an_unknown_format_is_refused():
    with pytest.raises(OpenDataError, match="Unknown format 'xml'"):
        open_data.check_format("xml")


def test_csv_neutralises_formula_text_and_json_writes_nulls():
    df = pd.DataFrame(
        {"source": ["=HYPERLINK(1)", "plain", "-x", "@y"], "value": [1.5, None, 2, 3]}
    )
    text = open_data.as_csv(df).decode("utf-8-sig")
    back = pd.read_csv(io.StringIO(text), keep_default_na=False)
    assert back["source"].tolist() == ["'=HYPERLINK(1)", "plain", "'-x", "'@y"]
    body = json.loads(open_data.as_json(df))
    assert body["count"] == 4 and body["data"][1]["value"] is None
