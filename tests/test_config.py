"""Settings are documented records: every one has help, a line in config.toml, and types."""

import tomllib
from pathlib import Path

import pytest

from csa import config

ROOT = Path(__file__).resolve().parent.parent


def test_every_setting_has_help():
    for s in config.SETTINGS:
        assert len(s.help) > 20, f"setting {s.name} needs a line of help"


def test_config_toml_documents_every_setting_and_nothing_else():
    text = (ROOT / "config.toml").read_text()
    values = tomllib.loads(text)
    assert set(values) == {s.name for s in config.SETTINGS}
    lines = text.splitlines()
    for s in config.SETTINGS:
        i = next(n for n, line in enumerate(lines) if line.startswith(f"{s.name} ="))
        assert lines[i - 1].startswith("#"), f"{s.name} in config.toml has no comment above it"


def test_environment_overrides_database_url(tmp_path):
    cfg = tmp_path / "config.toml"
    cfg.write_text('database_url = "sqlite:///x.db"\n')
    values = config.load(cfg, env={"CSA_DATABASE_URL": "postgresql://u@h/db"})
    assert values["database_url"] == "postgresql://u@h/db"


def test_relative_sqlite_path_is_taken_from_the_repository_top(tmp_path):
    cfg = tmp_path / "config.toml"
    cfg.write_text('database_url = "sqlite:///data/csa.db"\n')
    assert config.load(cfg, env={})["database_url"] == f"sqlite:///{ROOT / 'data/csa.db'}"


@pytest.mark.parametrize(
    "text, message",
    [
        ("nonsense = 1\n", "unknown setting 'nonsense'"),
        ('suppression_threshold = "five"\n', "setting 'suppression_threshold' has value 'five'"),
        ("title = \n", "not valid TOML"),
        ("rows_per_page = 0\n", "setting 'rows_per_page' has value 0; it must be 1 or more"),
    ],
)
def test_bad_config_gives_a_clear_error(tmp_path, text, message):
    cfg = tmp_path / "config.toml"
    cfg.write_text(text)
    with pytest.raises(config.ConfigError, match=message):
        config.load(cfg, env={})


def test_bad_environment_value_names_the_variable(tmp_path):
    with pytest.raises(config.ConfigError, match="CSA_SPC_MIN_POINTS"):
        config.load(tmp_path / "none.toml", env={"CSA_SPC_MIN_POINTS": "lots"})


def test_the_run_settings_are_read_again_when_the_file_or_environment_changes(
    tmp_path, monkeypatch
):
    """ui.context.settings_now keeps the parsed settings between runs, but never stale ones."""
    import os

    from ui.context import settings_now

    path = tmp_path / "config.toml"
    path.write_text("suppression_threshold = 5\n", encoding="utf-8")
    monkeypatch.setenv("CSA_CONFIG", str(path))
    monkeypatch.delenv("CSA_SUPPRESSION_THRESHOLD", raising=False)
    assert settings_now()["suppression_threshold"] == 5
    path.write_text("suppression_threshold = 6\n", encoding="utf-8")
    os.utime(path, ns=(1, 10**18))  # a different modification time, whatever the clock
    assert settings_now()["suppression_threshold"] == 6
    monkeypatch.setenv("CSA_SUPPRESSION_THRESHOLD", "8")
    assert settings_now()["suppression_threshold"] == 8
    settings_now()["suppression_threshold"] = 1  # a caller's change stays with the caller
    assert settings_now()["suppression_threshold"] == 8
