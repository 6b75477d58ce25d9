"""``demo``: regenerate data/demo_observations.csv (the labelled synthetic series)."""

from __future__ import annotations

import pandas as pd

from csa import config as csa_config
from csa.demo import generate
from csa.seed import FILES


def register(sub) -> None:
    p = sub.add_parser(
        "demo",
        help="regenerate the labelled demo series file",
        description="Regenerate data/demo_observations.csv deterministically "
        "from the real populations and recorded crime.",
    )
    p.add_argument(
        "--check",
        action="store_true",
        help="only check the file matches what the generator makes (exit 1 if not)",
    )
    p.set_defaults(func=run)


def run(args) -> int:
    data = csa_config.data_dir()
    pop = pd.read_csv(data / FILES["population"]).rename(columns={"lad_code": "area_code"})
    crime = pd.read_csv(data / FILES["crime"])
    fresh = generate(pop, crime)
    path = data / FILES["demo"]
    if args.check:
        same = path.exists() and pd.read_csv(path).equals(
            pd.read_csv(__import__("io").StringIO(fresh.to_csv(index=False)))
        )
        print("demo file is up to date" if same else f"{path} differs from the generator")
        return 0 if same else 1
    fresh.to_csv(path, index=False)
    print(f"Wrote {len(fresh)} demo rows to {path}")
    return 0
