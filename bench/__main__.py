"""Benchmarks of what a user waits for: ``python -m bench`` (or ``make bench``).

Each figure is a ratio measured in one run (so a slower or busier machine moves both sides):

* every public page's cold first render and warm rerun, over Streamlit's websocket
  (:mod:`bench.driver`), against the raw SQL fetch of the published rows the page shows;
* the same at 10x (and with ``--scale 100``, 100x) the indicators, and with every quarterly
  and monthly series 4x as long (``--history``), made through the gateway by
  :mod:`bench.scale`, so the growth curve is printed;
* 1, 10, 30 and 100 concurrent sessions on the overview, spread over one app server per
  core on one database as deploy/ runs them (``--servers``): p50/p95 rerun and server
  memory per session;
* importing a return against openpyxl's own read of the same file;
* publishing the figures after an import against reading the data once.

Budgets (:data:`BUDGETS`) are checked at the end: a missed one is printed and makes the
command exit 1. Results go to ``bench/results/latest.json`` and ``bench/results/latest.md``.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import date
from pathlib import Path

import openpyxl
import pandas as pd

from bench import driver, scale
from csa import config as csa_config
from csa import publish
from csa.assess import Inputs
from csa.db import Database
from csa.seed import seed

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"
QUARTER = "2026-27 Q1"

#: page url path -> (query string, the published slice it shows: what the raw fetch reads)
PAGES = {
    "overview": ("area=PA-EAST&period=" + QUARTER, {"areas": ["PA-EAST"]}),
    "indicator": ("indicator=VIO-02&area=E07000124", {"indicators": ["VIO-02"]}),
    "area": ("area=E07000124&period=" + QUARTER, {"areas": ["E07000124"]}),
    "map": ("indicator=VIO-02&period=" + QUARTER, {"indicators": ["VIO-02"]}),
    "about": ("", None),
    "costs": ("", None),
}

#: The label of a measurement with a longer history: "4x history" (bench.scale.extend_history).
HISTORY = " history"

#: name -> (limit, what it bounds)
BUDGETS = {
    "warm_rerun_ms_max": (150.0, "warm rerun of any page, server time (ms)"),
    "warm_over_raw_max": (2.0, "warm rerun / raw fetch of what it shows"),
    "growth_1x_to_top_max": (1.5, "warm rerun at the largest scale / at 1x"),
    "cold_first_render_s_max": (2.0, "cold first render (s)"),
    "p95_100_sessions_s_max": (1.0, "p95 rerun with 100 concurrent sessions (s)"),
    "mb_per_idle_session_max": (10.0, "server memory per idle session (MB)"),
    "publish_over_read_max": (2.0, "publishing after an import / reading the data once"),
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """The app as `make run` serves it (uvicorn, serve.py) on a loopback port, one database."""

    def __init__(self, url: str, log: Path):
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "CSA_DATABASE_URL": url, "PYTHONUNBUFFERED": "1"}
        self.proc = subprocess.Popen(  # as `make run` serves it: the ASGI app under uvicorn
            [sys.executable, "-m", "uvicorn", "serve:app", "--host", "127.0.0.1", "--port",
             str(self.port), "--log-level", "warning"],
            cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.base + "/_stcore/health", timeout=2):
                    return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"the app server did not start; see {log}")

    def rss_mb(self) -> float:
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def _median_ms(xs) -> float:
    return statistics.median(xs) * 1000


def raw_fetch_s(db: Database, key: str, slice_: dict | None) -> float | None:
    """Best of 5 reads of the published rows a page shows (bound SQL, the stored table)."""
    if slice_ is None:
        return None
    best = float("inf")
    for _ in range(5):
        t = time.perf_counter()
        publish.read(db, key, "public", **slice_)
        best = min(best, time.perf_counter() - t)
    return best


def pages(db: Database, url: str, label: str, reruns: int) -> dict:
    """Cold first render and warm reruns of every public page, each on a fresh server."""
    key = publish.ensure(db, csa_config.load())
    out = {}
    for page, (query, slice_) in PAGES.items():
        server = Server(url, RESULTS / f"server-{label.replace(' ', '-')}-{page}.log")
        try:
            cold, warm = asyncio.run(driver.open_and_rerun(server.base, page, query, reruns))
        finally:
            server.stop()
        raw = raw_fetch_s(db, key, slice_)
        warm_ms = _median_ms(warm)
        out[page] = {
            "cold_s": round(cold, 3),
            "warm_ms": round(warm_ms, 1),
            "raw_fetch_ms": None if raw is None else round(raw * 1000, 2),
            "warm_over_raw": None if raw is None else round(warm_ms / (raw * 1000), 1),
        }
        print(f"  {label:>4} {page:<10} cold {cold:6.2f} s  warm {warm_ms:7.1f} ms"
              + ("" if raw is None else f"  raw {raw * 1000:6.2f} ms  x{warm_ms / (raw * 1000):.1f}"))  # fmt: skip
    return out


def concurrency(url: str, counts=(1, 10, 30, 100), reruns: int = 3, servers: int = 1) -> dict:
    """``counts`` viewers at once on the overview, spread evenly over ``servers`` app
    servers on one database (deploy/: one per core behind a sticky proxy, which sends each
    viewer's websocket to one server); p50/p95 of every warm rerun and memory per session
    (all servers' resident memory over what they held before the sessions)."""
    pool = [Server(url, RESULTS / f"server-concurrency-{i}.log") for i in range(servers)]
    out = {}
    try:
        query = PAGES["overview"][0]
        for server in pool:  # warm each server's caches
            asyncio.run(driver.open_and_rerun(server.base, "overview", query, 1))
        base_mb = sum(server.rss_mb() for server in pool)
        for n in counts:
            bases = [pool[i % servers].base for i in range(n)]
            times = sorted(asyncio.run(driver.concurrent(bases, "overview", query, reruns)))
            p50 = times[len(times) // 2]
            p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
            mb = sum(server.rss_mb() for server in pool)
            out[n] = {"p50_s": round(p50, 3), "p95_s": round(p95, 3), "rss_mb": round(mb, 1),
                      "mb_per_session": round((mb - base_mb) / n, 2), "servers": servers}  # fmt: skip
            print(f"  {n:>3} sessions on {servers} server(s): p50 {p50:.3f} s  p95 {p95:.3f} s"
                  f"  servers {mb:.0f} MB")  # fmt: skip
    finally:
        for server in pool:
            server.stop()
    return out


def import_and_publish(db: Database) -> dict:
    """Import the largest return a partner sends, against openpyxl's read of it; then publish
    the new data version, against reading the data once."""
    from csa.access import Actor
    from csa.returns import build_template
    from csa.returns.commit import commit_return

    settings = csa_config.load()
    today = date(2026, 11, 29)
    period = "2026-27 Q2"
    content = build_template(db, "LANCS-POLICE", period, today=today, settings=settings)
    # the template's input cells start empty (csa-return-2): type in every figure held,
    # each numerator one more, so that every row is a change
    held = db.observations(period_labels=[period]).set_index(["indicator_code", "area_code"])
    wb = openpyxl.load_workbook(io.BytesIO(content))
    ws = wb["Return"]
    for r in range(2, ws.max_row + 1):
        key = (ws[f"A{r}"].value, ws[f"D{r}"].value)
        if key not in held.index:
            continue
        fig = held.loc[key]
        if pd.isna(fig["numerator"]):
            continue
        ws[f"I{r}"] = int(fig["numerator"]) + 1
        den = fig["denominator"]
        ws[f"J{r}"] = None if pd.isna(den) else int(den) if float(den).is_integer() else den
        ws[f"K{r}"] = fig["status"]
    buf = io.BytesIO()
    wb.save(buf)
    content = buf.getvalue()

    def openpyxl_read():
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        for _row in book["Return"].iter_rows(values_only=True):
            pass

    t = time.perf_counter()
    openpyxl_read()
    read_s = time.perf_counter() - t
    actor = Actor("analyst@lancashire.gov.uk", "analyst", None)
    original = publish.ensure
    publish.ensure = lambda *a, **k: None  # time the import alone, then the publication
    try:
        t = time.perf_counter()
        result = commit_return(db, actor, content, "bench.xlsx", acknowledge_warnings=True,
                               today=today, settings=settings)  # fmt: skip
        import_s = time.perf_counter() - t
        if result.status != "imported" or result.counts["changed"] != ws.max_row - 1:
            raise RuntimeError(f"the bench return did not change every row: {result.message}")
    finally:
        publish.ensure = original
    t = time.perf_counter()
    Inputs.from_db(db)
    data_s = time.perf_counter() - t
    t = time.perf_counter()
    publish.ensure(db, settings)
    publish_s = time.perf_counter() - t
    out = {
        "rows": ws.max_row - 1,
        "import_s": round(import_s, 3),
        "openpyxl_read_s": round(read_s, 3),
        "import_over_openpyxl": round(import_s / read_s, 1),
        "publish_s": round(publish_s, 2),
        "read_data_s": round(data_s, 3),
        "publish_over_read": round(publish_s / data_s, 1),
    }
    print(f"  import {import_s:.2f} s vs openpyxl read {read_s:.3f} s (x{import_s / read_s:.1f});"
          f" publish {publish_s:.2f} s vs read {data_s:.2f} s (x{publish_s / data_s:.1f})")  # fmt: skip
    return out


def check(results: dict) -> list[str]:
    missed = []
    pages_1x = results["pages"]["1x"]
    scales = [k for k in results["pages"] if k.rstrip("x").isdigit()]  # "10x": indicators
    longest = [k for k in results["pages"] if k.endswith(HISTORY)]  # "4x history"
    tops = [max(scales, key=lambda k: int(k.rstrip("x")))]
    tops += [max(longest, key=lambda k: int(k.split("x")[0]))] if longest else []

    def over(name, value):
        limit, words = BUDGETS[name]
        if value is not None and value > limit:
            missed.append(f"{words}: {value} > {limit}")

    for label, per_page in results["pages"].items():
        for r in per_page.values():
            over("warm_rerun_ms_max", r["warm_ms"])
            over("warm_over_raw_max", r["warm_over_raw"])
            if label == "1x":
                over("cold_first_render_s_max", r["cold_s"])
    for top in tops:
        for page, r in results["pages"][top].items():
            over("growth_1x_to_top_max", round(r["warm_ms"] / pages_1x[page]["warm_ms"], 2))
    if 100 in results.get("concurrency", {}):
        over("p95_100_sessions_s_max", results["concurrency"][100]["p95_s"])
        over("mb_per_idle_session_max", results["concurrency"][100]["mb_per_session"])
    over("publish_over_read_max", results["import"]["publish_over_read"])
    return missed


def markdown(results: dict) -> str:
    lines = ["| scale | page | cold (s) | warm (ms) | raw fetch (ms) | warm / raw |",
             "|---|---|---|---|---|---|"]  # fmt: skip
    for label, per_page in results["pages"].items():
        for page, r in per_page.items():
            lines.append(f"| {label} | {page} | {r['cold_s']} | {r['warm_ms']} | "
                         f"{r['raw_fetch_ms'] or '–'} | {r['warm_over_raw'] or '–'} |")  # fmt: skip
    lines += ["", "| sessions | app servers | p50 (s) | p95 (s) | servers' MB | MB per session |",
              "|---|---|---|---|---|---|"]  # fmt: skip
    for n, r in results.get("concurrency", {}).items():
        lines.append(f"| {n} | {r.get('servers', 1)} | {r['p50_s']} | {r['p95_s']} | "
                     f"{r['rss_mb']} | {r['mb_per_session']} |")  # fmt: skip
    imp = results["import"]
    lines += ["", f"Import of a {imp['rows']}-row return: {imp['import_s']} s, "
              f"x{imp['import_over_openpyxl']} openpyxl's read; publishing after it: "
              f"{imp['publish_s']} s, x{imp['publish_over_read']} reading the data once."]  # fmt: skip
    if results["missed"]:
        lines += ["", "Budgets missed:", *[f"- {m}" for m in results["missed"]]]
    return "\n".join(lines) + "\n"


def scaled(base: Path, tmp: Path, label: str, grow, factor: int, reruns: int) -> dict:
    """The pages on a copy of the 1x database grown by ``grow(db, factor)`` (a generator of
    :mod:`bench.scale`) and published again."""
    path = tmp / f"{label.replace(' ', '-')}.db"
    shutil.copy(base, path)
    db = Database(f"sqlite:///{path}")
    try:
        print(f"making {label} through the gateway")
        grow(db, factor)
        t = time.perf_counter()
        publish.ensure(db, csa_config.load())
        print(f"  published {label} in {time.perf_counter() - t:.1f} s")
        return pages(db, db.url, label, reruns)
    finally:
        db.dispose()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    ap.add_argument("--scale", type=int, nargs="*", default=[10],
                    help="extra data scales to measure besides 1x (default: 10; add 100)")  # fmt: skip
    ap.add_argument("--history", type=int, nargs="*", default=[4],
                    help="longer histories to measure (every quarterly and monthly series "
                    "this many times as long; default: 4)")  # fmt: skip
    ap.add_argument("--reruns", type=int, default=10, help="warm reruns per page")
    ap.add_argument("--sessions", type=int, nargs="*", default=[1, 10, 30, 100])
    ap.add_argument("--servers", type=int, default=os.cpu_count() or 1,
                    help="app servers for the concurrent sessions (default: one per core)")  # fmt: skip
    args = ap.parse_args(argv)
    RESULTS.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="csa-bench-"))
    results: dict = {"machine": {"cpus": os.cpu_count()}, "pages": {}}
    try:
        base = tmp / "1x.db"
        db = Database(f"sqlite:///{base}")
        seed(db, csa_config.data_dir())
        publish.ensure(db, csa_config.load())
        db.dispose()
        print("pages at 1x")
        db = Database(f"sqlite:///{base}")
        results["pages"]["1x"] = pages(db, db.url, "1x", args.reruns)
        for factor in args.scale:
            results["pages"][f"{factor}x"] = scaled(
                base, tmp, f"{factor}x", scale.multiply_indicators, factor, args.reruns
            )
        for factor in args.history:
            results["pages"][f"{factor}x{HISTORY}"] = scaled(
                base, tmp, f"{factor}x{HISTORY}", scale.extend_history, factor, args.reruns
            )
        if args.sessions:
            print("concurrent sessions on the overview (1x)")
            results["concurrency"] = concurrency(db.url, tuple(args.sessions), servers=args.servers)
        print("import and publication")
        results["import"] = import_and_publish(db)
        db.dispose()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    results["missed"] = check(results)
    (RESULTS / "latest.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    (RESULTS / "latest.md").write_text(markdown(results), encoding="utf-8")
    print(markdown(results))
    return 1 if results["missed"] else 0


if __name__ == "__main__":
    sys.exit(main())
