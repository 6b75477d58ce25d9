"""The publication step: every figure computed once per data version, for each audience, and
stored, so that every surface (pages, map, presentation, board pack, downloads, plan evidence,
the open-data API) draws the same thing.

A published figure is a verdict of :mod:`csa.assess` (value, 95% interval, numerator and
denominator, target and status, SPC class and assurance, benchmark comparison, trend, RAG,
critical flag, reasons), plus its formatted strings (:mod:`csa.formatting`, the one
formatter) and the SPC chart as at its period (:class:`csa.spc.SpcOptions`, the one SPC
result). Two audiences:

``signed_in``
    every indicator, every figure as assessed.
``public``
    public indicators only, after disclosure control (:mod:`csa.disclosure`), which audits
    the area groupings and the indicators that add up to others
    (:data:`csa.catalogue.INDICATOR_PARTS`) together: a hidden cell
    carries no value, interval, numerator, denominator, target, status, SPC class, trend or
    reason, only why it is hidden ("fewer than 5" where that is true, otherwise "hidden to
    protect a small number"). A shown figure loses what would narrow a hidden one: SPC
    (whose mean and limits use every earlier point) when its series so far holds a hidden
    figure, the recent trend when its window does, "for the Nth quarter running" and the
    critical flag when the run does, a target set on a baseline that does, and the
    comparison with Lancashire when Lancashire's own figure is hidden.

:func:`ensure` publishes the current data version once: the first process to need it claims
it in the database (so several app servers share one computation), computes it and stores
it in one transaction; the others wait for it. Readers then take the slice they show by
bound SQL (:meth:`csa.db.published.PublishedGateway.published_figures`).
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Iterable

import numpy as np
import pandas as pd

from csa import disclosure, formatting
from csa.areas import PAN_LANCASHIRE
from csa.assess import (
    _ASSESSED_COLUMNS,
    RAG_LABELS,
    Inputs,
    _baseline_labels,
    assess,
    target_rule,
    to_frame,
)
from csa.catalogue import INDICATOR_PARTS
from csa.db.published import StaleBase

AUDIENCES = ("public", "signed_in")

#: Settings that change what is published: a change of any makes a new publication.
PUBLICATION_SETTINGS = (
    "confidence",
    "suppression_threshold",
    "spc_min_points",
    "spc_run_length",
    "trend_points",
    "default_tolerance_pct",
    "critical_consecutive_off_track",
    "critical_on_spc_concern_with_failing_assurance",
)

#: Plain words first, statistics second.
VARIATION_TEXT = {
    "common_cause": "No unusual change (common cause)",
    "special_cause_improvement_high": "Unusual improvement, higher (special cause)",
    "special_cause_improvement_low": "Unusual improvement, lower (special cause)",
    "special_cause_concern_high": "Unusual change for the worse, higher (special cause)",
    "special_cause_concern_low": "Unusual change for the worse, lower (special cause)",
    "special_cause_neither_high": "Unusually high (special cause)",
    "special_cause_neither_low": "Unusually low (special cause)",
}
ASSURANCE_TEXT = {
    "pass": "Expected to meet the target every time (SPC assurance: pass)",
    "fail": "Expected to miss the target every time unless something changes (SPC assurance: fail)",
    "hit_or_miss": "Could meet or miss the target (SPC assurance: hit and miss)",
}
COMPARISON_TEXT = {
    "better": "Better than Lancashire",
    "worse": "Worse than Lancashire",
    "similar": "Similar to Lancashire",
    "higher": "Higher than Lancashire",
    "lower": "Lower than Lancashire",
    "not compared": "Not compared",
}
HIDDEN_SPC = (
    "SPC is not shown to the public for this series: it includes figures hidden to protect "
    "small numbers."
)
_RUNNING = re.compile(r" for the \w+ \w+ running")


def hidden_text(reason: str, threshold: int) -> str:
    """What a hidden figure says instead of its value."""
    if reason == disclosure.PRIMARY:
        return f"fewer than {threshold}"
    return "hidden to protect a small number"


#: Bumped when what is published changes for the same data and settings, so that a
#: database published by an earlier method is published again rather than read as it is.
#: 2: public disclosure control audits the indicators that add up to others too.
#: 3: complements are never zero or small where a larger cell protects (disclosure).
#: 4: SPC charts stored compactly (phases and point-class letters; points from the series).
METHOD = 4


def publication_key(data_version: int, settings: dict) -> str:
    """The key of a publication: the figures version (``db.figures_version()``), the
    settings that shape it and the :data:`METHOD`."""
    shaping = json.dumps(
        {k: settings[k] for k in PUBLICATION_SETTINGS} | {"method": METHOD}, sort_keys=True
    )
    return f"v{data_version}-{hashlib.sha256(shaping.encode()).hexdigest()[:12]}"


# -- building ----------------------------------------------------------------------------------
def _round(xs) -> list:
    return [None if x is None or not np.isfinite(x) else float(f"{x:.6g}") for x in xs]


#: A point's SPC class in one letter (the stored chart is a short string, not a list).
CLASS_CODES = {"common": "c", "improvement": "i", "concern": "x", "neither": "n"}
_CLASS_NAMES = {v: k for k, v in CLASS_CODES.items()}


def spc_json(result, labels) -> str:
    """The SPC chart as at a figure's period, as compact JSON.

    The values are not stored again: they are the published values of the same series (the
    figures of this indicator and area up to this period, gaps left out), so a chart as at
    each of n periods costs O(n) letters, not O(n) numbers five times over. Stored: ``n``
    (the points), the last point's label and the points' total (so a wrong series is
    refused), the ``message``, and from enough points one row per phase ``[start,
    mean, upl, lpl, u2, l2]`` (an XmR chart's mean and limits are constant within a phase)
    and the point classes as letters (:data:`CLASS_CODES`). :func:`spc_chart` expands it.
    """
    if result is None:
        return ""
    out = {
        "n": len(labels),
        "last": labels[-1] if labels else None,
        "total": _round([float(np.sum(result.values))])[0],  # a check that the points match
        "message": result.message,
    }
    if result.enough_points:
        phases = []
        for i, phase in enumerate(result.phases):
            if i == 0 or phase != result.phases[i - 1]:
                phases.append(
                    [i]
                    + _round(
                        [
                            result.mean[i],
                            result.upper_process_limit[i],
                            result.lower_process_limit[i],
                            result.upper_two_sigma[i],
                            result.lower_two_sigma[i],
                        ]
                    )
                )
        out |= {
            "phases": phases,
            "class": "".join(CLASS_CODES[c] for c in result.point_classes),
        }
    return json.dumps(out, separators=(",", ":"))


def variation_text(code) -> str:
    if code is None or (isinstance(code, float) and np.isnan(code)) or code == "":
        return "Not enough figures for SPC"
    return VARIATION_TEXT.get(code, str(code))


def assurance_text(code) -> str:
    if code is None or (isinstance(code, float) and np.isnan(code)) or code == "":
        return ""
    return ASSURANCE_TEXT.get(code, str(code))


def _texts(df: pd.DataFrame) -> pd.DataFrame:
    """The formatted strings of shown figures (one formatter for every surface)."""
    unit = df["unit"].tolist()
    df["value_text"] = [
        formatting.figure(v, u) if v is not None and not pd.isna(v) else "no figure"
        for v, u in zip(df["value"], unit, strict=True)
    ]
    df["interval_text"] = [
        formatting.interval(lo, hi, u)
        for lo, hi, u in zip(df["lower"], df["upper"], unit, strict=True)
    ]
    df["target_text"] = [
        formatting.figure(t, u) if t is not None and not pd.isna(t) else "no target"
        for t, u in zip(df["target"], unit, strict=True)
    ]
    df["numerator_text"] = df["numerator"].map(formatting.count)
    df["denominator_text"] = df["denominator"].map(formatting.count)
    df["status_text"] = df["label"]
    df["variation_text"] = df["variation"].map(variation_text)
    df["assurance_text"] = df["assurance"].map(assurance_text)
    df["comparison_text"] = df["comparison"].map(lambda c: COMPARISON_TEXT.get(c, str(c)))
    return df


def signed_in_figures(inputs: Inputs, settings: dict) -> pd.DataFrame:
    """Every figure as assessed, with its texts and SPC chart (audience ``signed_in``)."""
    verdicts = assess(inputs, settings)
    df = to_frame(verdicts)
    df["spc"] = [spc_json(v.spc_result, v.spc_labels) for v in verdicts]
    starts = inputs.periods.set_index("label")["start_date"]
    df["period_start"] = pd.to_datetime(df["period_label"].map(starts)).dt.date
    df["hidden"] = ""
    df["audience"] = "signed_in"
    return _texts(df)


def _rag_without(row: dict) -> tuple[str, str]:
    """RAG and label from the target status (or the comparison when there is no target),
    leaving out SPC: for a figure whose SPC is withheld from the public."""
    status = row["target_status"]
    if row["value"] is None or pd.isna(row["value"]) or status == "no judgement":
        return "grey", RAG_LABELS["grey"] if status == "no judgement" else row["label"]
    rag = {"on track": "green", "at risk": "amber", "off track": "red"}.get(status)
    if rag:
        return rag, RAG_LABELS[rag]
    rag = {"better": "green", "similar": "amber", "worse": "red"}.get(row["comparison"], "grey")
    label = {
        "green": "Better than Lancashire",
        "amber": "Similar to Lancashire",
        "red": "Worse than Lancashire",
    }.get(rag, "No target")
    return rag, label


def _hide(row: dict, why: str, threshold: int) -> dict:
    text = hidden_text(why, threshold)
    blank = ("value", "lower", "upper", "numerator", "denominator", "target", "benchmark_value")
    row.update(dict.fromkeys(blank))
    row.update(
        hidden=why,
        target_status="hidden",
        comparison="not compared",
        variation=None,
        assurance=None,
        trend_direction="hidden",
        trend_judgement="hidden",
        rag="grey",
        label="Hidden",
        critical=False,
        periods_off_track=0,
        spc="",
        reasons=[
            f"This figure is {text}: counts of 1 to {threshold - 1} are not published, nor "
            "any figure from which one could be worked out."
        ],
        reason_kinds=["hidden"],
    )
    return row


def _protect(row: dict, hidden_before: list[bool], k: int, settings: dict, withheld) -> dict:
    """Remove from a shown figure what would narrow a hidden one (see the module doc).
    ``hidden_before``: whether each period of this area's series (oldest first) is hidden;
    ``k`` this figure's position; ``withheld``: (target withheld, comparison withheld)."""
    target_withheld, comparison_withheld = withheld
    so_far = hidden_before[: k + 1]
    n_trend = int(settings["trend_points"])
    run = int(row["periods_off_track"])
    spc_hidden = any(so_far)
    trend_hidden = any(hidden_before[max(0, k - n_trend + 1) : k + 1])
    run_hidden = run >= 2 and any(hidden_before[max(0, k - run + 1) : k])
    kinds, reasons = list(row["reason_kinds"]), list(row["reasons"])
    drop = set()
    if spc_hidden:
        drop |= {"spc", "assurance"}
        row.update(variation=None, assurance=None, spc="")
    if trend_hidden:
        drop.add("trend")
        row.update(trend_direction="not shown", trend_judgement="not shown")
    if target_withheld:
        drop.add("target")
        row.update(target=None, target_status="not published")
    if comparison_withheld:
        drop.add("comparison")
        row.update(comparison="not compared", benchmark_value=None)
    critical_by_spc = any(
        k_ == "critical" and "special-cause" in r for k_, r in zip(kinds, reasons, strict=True)
    )
    if (run_hidden and not critical_by_spc) or (spc_hidden and critical_by_spc) or target_withheld:
        drop.add("critical")
        row["critical"] = False
    if run_hidden:
        reasons = [
            _RUNNING.sub("", r) if k_ == "target" else r
            for k_, r in zip(kinds, reasons, strict=True)
        ]
        row["periods_off_track"] = 0
    kept = [(k_, r) for k_, r in zip(kinds, reasons, strict=True) if k_ not in drop]
    if spc_hidden and row["value"] is not None:
        kept.append(("spc", HIDDEN_SPC))
    row["reason_kinds"] = [k_ for k_, _ in kept]
    row["reasons"] = [r for _, r in kept]
    if spc_hidden or target_withheld or comparison_withheld:
        row["rag"], row["label"] = _rag_without(row)
    return row


def public_figures(
    signed_in: pd.DataFrame, inputs: Inputs, settings: dict
) -> pd.DataFrame:  # fmt: skip
    """The public audience's figures from the signed-in ones, after disclosure control."""
    threshold = int(settings["suppression_threshold"])
    public_codes = set(inputs.indicators.loc[inputs.indicators["public"].astype(bool), "code"])
    df = signed_in[signed_in["indicator_code"].isin(public_codes)].copy()
    df["audience"] = "public"
    if df.empty:
        return df
    df["hidden"] = ""
    # records with no location are not a place: no small cell of their own
    not_places = set(inputs.areas.loc[inputs.areas["kind"] == "unassigned", "code"])
    # areas add up to their groupings, and some indicators to others (homicide is part of
    # violence against the person): both audited together, to a fixed point
    df["hidden"] = disclosure.reasons_with_parts(
        df[["indicator_code", "area_code", "period_label", "numerator"]],
        inputs.area_members,
        INDICATOR_PARTS,
        threshold,
        exempt=not_places,
    ).to_numpy()
    if not (df["hidden"] != "").any():
        return df
    hidden_keys = set(
        zip(
            *(
                df.loc[df["hidden"] != "", c]
                for c in ("indicator_code", "area_code", "period_label")
            ),
            strict=True,
        )  # fmt: skip
    )
    rows = df.to_dict("records")
    order = df.sort_values("period_start").groupby(["indicator_code", "area_code"], sort=False)
    position: dict[tuple, tuple[list, int]] = {}
    for (code, area), part in order:
        labels = part["period_label"].tolist()
        flags = [(code, area, p) in hidden_keys for p in labels]
        for i, p in enumerate(labels):
            position[(code, area, p)] = (flags, i)
    touched = {c for c, _a, _p in hidden_keys}
    baselines: dict = {}
    out = []
    for row in rows:
        key = (row["indicator_code"], row["area_code"], row["period_label"])
        if row["hidden"]:
            out.append(_hide(row, row["hidden"], threshold))
            continue
        if row["indicator_code"] not in touched:
            out.append(row)
            continue
        flags, k = position[key]
        rule = target_rule(inputs.targets, row["indicator_code"], row["area_code"])
        target_withheld = False
        if rule is not None and rule["target_type"] == "change_vs_baseline":
            base = rule["baseline_period"]
            if base not in baselines:
                baselines[base] = _baseline_labels(inputs.periods, base)
            target_withheld = any(
                (row["indicator_code"], row["area_code"], p) in hidden_keys for p in baselines[base]
            )
        comparison_withheld = (row["indicator_code"], PAN_LANCASHIRE, row["period_label"]) in (
            hidden_keys
        )
        out.append(_protect(row, flags, k, settings, (target_withheld, comparison_withheld)))
    result = pd.DataFrame(out, columns=df.columns)
    return _texts_public(result, threshold)


def _texts_public(df: pd.DataFrame, threshold: int) -> pd.DataFrame:
    df = _texts(df)
    hidden = df["hidden"] != ""
    for col in ("value_text", "status_text"):
        df.loc[hidden, col] = [hidden_text(h, threshold) for h in df.loc[hidden, "hidden"]]
    for col in ("interval_text", "numerator_text", "denominator_text", "target_text"):
        df.loc[hidden, col] = formatting.MISSING
    df.loc[hidden, "variation_text"] = ""
    df.loc[hidden, "comparison_text"] = ""
    withheld = df["reasons"].map(lambda r: HIDDEN_SPC in r)
    df.loc[withheld, "variation_text"] = "SPC not shown: the series includes hidden figures"
    df.loc[withheld, "assurance_text"] = ""
    return df


def build(inputs: Inputs, settings: dict) -> pd.DataFrame:
    """Every published figure of both audiences (a column ``audience``)."""
    signed = signed_in_figures(inputs, settings)
    public = public_figures(signed, inputs, settings)
    out = pd.concat([signed, public], ignore_index=True)
    out["reasons"] = out["reasons"].map(lambda r: json.dumps(list(r)))
    return out


# -- incremental publication -----------------------------------------------------------------
def _digest(*frames: pd.DataFrame) -> str:
    """A digest of frames' columns and rows, in their order."""
    return _digest_hashed(*((df.columns, _row_hashes(df)) for df in frames))


def _row_hashes(df: pd.DataFrame) -> np.ndarray:
    """One hash per row of ``df`` (its index left out). A row's hash depends on that row's
    values and the columns' types only, so the hashes of some rows of a frame are those rows
    of the whole frame's hashes: a frame is hashed once and sliced (:func:`fingerprints`)."""
    if not len(df):
        return np.empty(0, dtype=np.uint64)
    return pd.util.hash_pandas_object(df, index=False).to_numpy()


def _digest_hashed(*frames: tuple) -> str:
    """:func:`_digest` of frames given as (columns, row hashes)."""
    h = hashlib.sha256()
    for columns, hashes in frames:
        h.update(json.dumps([str(c) for c in columns]).encode())
        h.update(str(len(hashes)).encode())
        if len(hashes):
            h.update(hashes.tobytes())
    return h.hexdigest()[:16]


def _indicator_row_hashes(indicators: pd.DataFrame) -> list[np.ndarray]:
    """The row hash of each indicator as a one-row frame of its own (``pd.DataFrame([row])``,
    whose column types are inferred from that row alone): the rows whose values have the same
    Python types are framed together, which infers the same column types, and hashed once."""
    records = indicators.to_dict("records")
    kinds: dict[tuple, list[int]] = {}
    for i, row in enumerate(records):
        kinds.setdefault(tuple(type(v) for v in row.values()), []).append(i)
    out: list = [None] * len(records)
    for rows in kinds.values():
        hashes = _row_hashes(pd.DataFrame([records[i] for i in rows]))
        for i, h in zip(rows, hashes, strict=True):
            out[i] = np.array([h], dtype=np.uint64)
    return out


def families(codes: Iterable[str]) -> dict[str, frozenset]:
    """Each indicator's offence family: the indicators :data:`INDICATOR_PARTS` joins to it,
    directly or through others (a parent, its parts, their parts, ...), audited together by
    public disclosure control; an indicator outside every family is its own."""
    links: dict[str, set] = {c: {c} for c in codes}
    for parent, parts in INDICATOR_PARTS.items():
        for code in (parent, *parts):
            links.setdefault(code, {code})
        for part in parts:
            links[parent].add(part)
            links[part].add(parent)
    out: dict[str, frozenset] = {}
    for start in links:
        if start in out:
            continue
        seen, todo = set(), [start]
        while todo:
            c = todo.pop()
            if c not in seen:
                seen.add(c)
                todo.extend(links[c] - seen)
        for c in seen:
            out[c] = frozenset(seen)
    return out


def fingerprints(inputs: Inputs, settings: dict) -> dict[str, str]:
    """For each indicator, a digest of everything its published figures (both audiences)
    depend on: its indicator row, the assessed columns of its observations, its target rows
    (in order: the last wins), the periods it reads (its frequency's calendar, the periods of
    its figures and of its targets' baselines), every area and grouping (aggregation and
    disclosure), and the settings and :data:`METHOD`.

    Populations are not among them: the assessment reads numerators and denominators as
    stored in the observations. Cross-indicator coupling (disclosure audits an offence
    family together) is not in the digest: :func:`ensure` rebuilds whole families.
    """
    shared = _digest(
        inputs.areas.sort_values("code").reset_index(drop=True),
        inputs.area_members.sort_values(["group_code", "member_code"]).reset_index(drop=True),
    ) + publication_key(0, settings)
    # each frame hashed once, then sliced per indicator (see _row_hashes)
    obs = inputs.observations[[c for c in _ASSESSED_COLUMNS if c in inputs.observations.columns]]
    obs_hashes = _row_hashes(obs)
    own_obs = obs.groupby("indicator_code", sort=False).indices
    targets = inputs.targets
    target_hashes = _row_hashes(targets)
    own_targets = targets.groupby("indicator_code", sort=False).indices
    periods = inputs.periods
    period_hashes = _row_hashes(periods)
    by_frequency = {
        f: (periods["frequency"] == f).to_numpy() for f in set(inputs.indicators["frequency"])
    }
    obs_labels = obs["period_label"].to_numpy()
    bases_of = (
        targets["baseline_period"].to_numpy() if "baseline_period" in targets else None
    )  # fmt: skip
    none = np.empty(0, dtype=np.intp)
    out = {}
    codes = inputs.indicators["code"].tolist()
    frequencies = inputs.indicators["frequency"].tolist()
    for code, frequency, row in zip(
        codes, frequencies, _indicator_row_hashes(inputs.indicators), strict=True
    ):
        o = own_obs.get(code, none)
        t = own_targets.get(code, none)
        bases = set() if bases_of is None else set(pd.Series(bases_of[t]).dropna())
        used = (
            by_frequency[frequency]
            | periods["label"].isin(set(obs_labels[o])).to_numpy()
            | periods["label"].isin(bases).to_numpy()
            | periods["financial_year"].isin(bases).to_numpy()
        )
        own = _digest_hashed(
            (inputs.indicators.columns, row),
            (obs.columns, obs_hashes[o]),
            (targets.columns, target_hashes[t]),
            (periods.columns, period_hashes[used]),
        )
        out[code] = hashlib.sha256((own + shared).encode()).hexdigest()[:16]
    return out


def plan(old: dict | None, new: dict[str, str]) -> set[str] | None:
    """The indicators to rebuild given the earlier publication's fingerprints ``old``
    ({code: [digest, rows]}) and the current ones: those whose digest changed or that are
    new, with their whole offence family; None (build everything) without an earlier
    publication or when an indicator was deleted."""
    if old is None or set(old) - set(new):
        return None
    changed = {c for c, d in new.items() if c not in old or old[c][0] != d}
    family = families(new)
    return {m for c in changed for m in family[c] if m in new}


def _restricted(inputs: Inputs, codes: set[str]) -> Inputs:
    """The inputs of some indicators only (an indicator's figures read nothing of another's:
    :func:`csa.assess.assess` scopes each to its own observations and targets)."""
    return Inputs(
        indicators=inputs.indicators[inputs.indicators["code"].isin(codes)],
        targets=inputs.targets[inputs.targets["indicator_code"].isin(codes)],
        observations=inputs.observations[inputs.observations["indicator_code"].isin(codes)],
        area_members=inputs.area_members,
        areas=inputs.areas,
        periods=inputs.periods,
    )


def _publish(db, key: str, settings: dict) -> None:
    """Compute and store a claimed publication: incrementally from the newest ready one with
    the same settings and method when there is one, else in full."""
    started = time.perf_counter()
    inputs = Inputs.from_db(db)
    prints = fingerprints(inputs, settings)
    suffix = key[key.index("-") :]
    earlier = db.latest_publication(suffix, before=key)
    old = json.loads(earlier["fingerprints"]) if earlier else None
    rebuild = plan(old, prints)
    if rebuild is not None:
        keep = sorted(set(prints) - rebuild)
        figures = build(_restricted(inputs, rebuild), settings) if rebuild else None
        stored = _fingerprint_rows(prints, figures, rebuild) | {
            c: [prints[c], int(old[c][1])] for c in keep
        }
        try:
            db.store_publication(
                key,
                figures,
                time.perf_counter() - started,
                fingerprints=json.dumps(stored, sort_keys=True),
                rebuilt=len(rebuild),
                copy_from=earlier["key"],
                copy_indicators=keep,
                copy_rows=sum(int(old[c][1]) for c in keep),
            )
            return
        except StaleBase:
            pass  # the earlier publication went away meanwhile: build in full
    figures = build(inputs, settings)
    stored = _fingerprint_rows(prints, figures, prints)
    db.store_publication(
        key,
        figures,
        time.perf_counter() - started,
        fingerprints=json.dumps(stored, sort_keys=True),
        rebuilt=len(prints),
    )


def _fingerprint_rows(prints: dict, figures, codes) -> dict:
    """What is stored of each of ``codes`` (indicators just built into ``figures``): its
    fingerprint and how many figures it published."""
    rows = {} if figures is None or figures.empty else figures.groupby("indicator_code").size()
    return {c: [prints[c], int(rows.get(c, 0))] for c in codes}


# -- storing and reading -------------------------------------------------------------------
def ensure(db, settings: dict, *, wait_seconds: float = 300.0) -> str:
    """Publish the current data version once (if not already) and return its key.

    The first caller claims the publication in the database and computes it; a concurrent
    caller (another app server) waits for it to be ready instead of computing it again.
    """
    version = db.figures_version()
    key = publication_key(version, settings)
    if db.publication_ready(key):
        return key
    deadline = time.monotonic() + wait_seconds
    while True:
        claimed = db.claim_publication(key, version)
        if claimed is None:  # a read-only entry: another server or `init` publishes
            wait_for = "the officer entry, `python -m csa publish` or an import"
            if db.dialect == "sqlite" and not db.publication_claimed(key):
                raise PermissionError(  # nobody else can write a read-only SQLite file
                    f"The figures for data version {version} are not published in this "
                    "read-only database: run `python -m csa publish` on a writable copy "
                    "first."
                )
        else:
            wait_for = "another server"
        if claimed:
            try:
                _publish(db, key, settings)
            except BaseException:
                db.release_publication(key)
                raise
            return key
        while (claimed is None or db.publication_claimed(key)) and not db.publication_ready(key):
            if time.monotonic() > deadline:
                raise TimeoutError(
                    f"The figures for data version {version} were not published after "
                    f"{wait_seconds:.0f} s: waiting for {wait_for} to publish them."
                )
            time.sleep(0.2)
        if db.publication_ready(key):
            return key


def read(
    db,
    key: str,
    audience: str,
    *,
    indicators: Iterable[str] | None = None,
    areas: Iterable[str] | None = None,
    periods: Iterable[str] | None = None,
    columns: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Published figures of ``audience`` (the slice asked for; ``columns`` to leave out,
    say, the SPC chart), reasons as lists; oldest period first within each indicator and
    area."""
    if audience not in AUDIENCES:
        raise ValueError(f"audience must be one of {', '.join(AUDIENCES)}, not {audience!r}")
    df = db.published_figures(
        key, audience, indicators=indicators, areas=areas, periods=periods, columns=columns
    )
    if "reasons" in df:
        df["reasons"] = df["reasons"].map(json.loads)
    if "critical" in df:
        df["critical"] = df["critical"].astype(bool)
    return df


def audience_for(role: str) -> str:
    """The audience a role sees: the public (and the website embed) or signed in."""
    return "public" if role == "public" else "signed_in"


#: The columns :func:`spc_chart` needs of a series (what to read when only the points matter).
SERIES_COLUMNS = ("indicator_code", "area_code", "period_label", "period_start", "value")


def spc_chart(figure, series: pd.DataFrame) -> pd.DataFrame:
    """A published figure's SPC chart as a frame, one row per point (period_label, value,
    mean, upl, lpl, u2, l2, point_class, phase); empty when the figure carries none.

    ``series`` is the published figures of the same indicator and area for the same
    audience (at least period_label, period_start and value; other areas or indicators in it
    are ignored when it has those columns): the chart's points are its values up to the
    figure's period, gaps left out, exactly the points SPC ran on.
    """
    raw = figure.get("spc") if hasattr(figure, "get") else None
    if not raw:
        return pd.DataFrame(columns=["period_label", "value"])
    data = json.loads(raw)
    rows = series
    for col in ("indicator_code", "area_code"):
        if col in rows and hasattr(figure, "get") and figure.get(col) is not None:
            rows = rows[rows[col] == figure[col]]
    rows = rows[pd.to_datetime(rows["period_start"]) <= pd.to_datetime(figure["period_start"])]
    rows = rows[rows["value"].notna()].sort_values("period_start").tail(data["n"])
    total = float(rows["value"].astype(float).sum()) if len(rows) else 0.0
    if (
        len(rows) != data["n"]
        or (len(rows) and rows["period_label"].iloc[-1] != data["last"])
        or not np.isclose(total, data["total"], rtol=1e-5, atol=1e-9)
    ):
        raise ValueError(
            f"The series given for {figure.get('indicator_code')} {figure.get('area_code')} "
            f"{figure.get('period_label')} does not hold the {data['n']} published points "
            "its SPC chart was drawn on: pass the published figures of the same indicator, "
            "area and audience."
        )
    out = pd.DataFrame(
        {"period_label": list(rows["period_label"]), "value": [float(v) for v in rows["value"]]}
    )
    if "phases" in data:
        starts = [p[0] for p in data["phases"]] + [data["n"]]
        for j, col in enumerate(("mean", "upl", "lpl", "u2", "l2"), start=1):
            out[col] = [
                p[j] for p, a, b in zip(data["phases"], starts, starts[1:], strict=False)
                for _ in range(b - a)
            ]  # fmt: skip
        out["point_class"] = [_CLASS_NAMES[c] for c in data["class"]]
        out["phase"] = [
            k for k, (a, b) in enumerate(zip(starts, starts[1:], strict=False))
            for _ in range(b - a)
        ]  # fmt: skip
    out.attrs["message"] = data.get("message", "")
    return out
