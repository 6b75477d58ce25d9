"""The command line: init is idempotent, info reports what is loaded, errors are one line."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run(*args, url):
    env = {"CSA_DATABASE_URL": url, "PATH": "/usr/bin:/bin"}
    return subprocess.run(
        [sys.executable, "-m", "csa", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_init_twice_then_info_json(tmp_path):
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    first = run("init", url=url)
    assert first.returncode == 0, first.stderr
    assert "10761 figures loaded" in first.stdout
    second = run("init", url=url)
    assert second.returncode == 0
    assert "up to date; nothing changed" in second.stdout
    info = run("info", "--json", url=url)
    assert info.returncode == 0, info.stderr
    inv = json.loads(info.stdout)
    assert set(inv) == {"areas", "indicators", "periods", "observations"}
    assert len(inv["areas"]) == 14
    burnley = next(a for a in inv["areas"] if a["code"] == "E07000117")
    assert burnley == {"code": "E07000117", "name": "Burnley", "policing_area": "East"}
    vio = next(i for i in inv["indicators"] if i["code"] == "VIO-01")
    assert {"code", "title", "theme", "unit", "polarity", "lead_organisation", "public"} <= set(vio)
    assert vio["lead_organisation"] == "Lancashire Violence Reduction Network"
    assert inv["periods"]["labels"][0] == "2019-12"  # police.uk, monthly
    assert inv["periods"]["labels"][-1] == "2026-27 Q2"
    assert inv["observations"]["count"] == 10761


def test_info_on_an_empty_database_says_what_to_do(tmp_path):
    out = run("info", url=f"sqlite:///{tmp_path / 'empty.db'}")
    assert out.returncode == 1
    assert "run `python -m csa init` first" in out.stdout


def test_bad_database_url_is_one_clear_line(tmp_path):
    out = run("info", url="nosuchdriver://x")
    assert out.returncode != 0
    assert "Traceback" not in out.stderr


@pytest.mark.parametrize("args", [["--help"], ["init", "--help"], ["info", "--help"]])
def test_help(args, tmp_path):
    out = run(*args, url=f"sqlite:///{tmp_path / 'h.db'}")
    assert out.returncode == 0
    assert "usage: python -m csa" in out.stdout


def test_demo_file_matches_the_generator(tmp_path):
    out = run("demo", "--check", url=f"sqlite:///{tmp_path / 'd.db'}")
    assert out.returncode == 0, out.stdout + out.stderr
