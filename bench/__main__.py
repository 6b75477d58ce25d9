"""Run the benchmarks: ``python -m bench`` (or ``make bench``)."""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from csa import config as csa_config
from csa.assess import Inputs, assess, latest_period
from csa.db import Database
from csa.seed import seed

RESULTS = Path(__file__).resolve().parent / "results"


def best_of(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def peak_mib(fn) -> float:
    tracemalloc.start()
    fn()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def main() -> int:
    tmp = Path(tempfile.mkdtemp(prefix="csa-bench-"))
    try:
        db = Database(f"sqlite:///{tmp / 'bench.db'}")
        seed_s = best_of(lambda: seed(db, csa_config.data_dir()), repeat=1)
        settings = csa_config.load()
        read_s = best_of(lambda: Inputs.from_db(db))
        inputs = Inputs.from_db(db)
        period = latest_period(inputs)
        one_period_s = best_of(lambda: assess(inputs, settings, period_labels=[period]))
        verdicts = assess(inputs, settings, period_labels=[period])
        reseed_s = best_of(lambda: seed(db, csa_config.data_dir()))
        read_mib = peak_mib(lambda: Inputs.from_db(db))
        assess_mib = peak_mib(lambda: assess(inputs, settings, period_labels=[period]))
        results = {
            "verdicts_per_period": len(verdicts),
            "seconds": {
                "first_seed": seed_s,
                "idempotent_reseed": reseed_s,
                "read_inputs": read_s,
                "assess_one_period": one_period_s,
            },
            "ratios": {
                # a period's assessment (CIs, targets, SPC, trend for ~700 verdicts) against
                # reading its inputs from the database once
                "assess_period_over_read": one_period_s / read_s,
                # an idempotent re-run of init must be much cheaper than the first load
                "reseed_over_first_seed": reseed_s / seed_s,
                "assess_memory_over_read_memory": assess_mib / read_mib,
            },
            "bounds": {
                "assess_period_over_read": 60.0,
                "reseed_over_first_seed": 0.8,
                "assess_memory_over_read_memory": 10.0,
            },
        }
        failures = [k for k, bound in results["bounds"].items() if results["ratios"][k] > bound]
        results["passed"] = not failures
        RESULTS.mkdir(exist_ok=True)
        (RESULTS / "latest.json").write_text(json.dumps(results, indent=2))
        print(json.dumps(results, indent=2))
        if failures:
            print(f"over bound: {', '.join(failures)}", file=sys.stderr)
            return 1
        return 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
