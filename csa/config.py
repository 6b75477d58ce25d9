"""The app's own settings, as documented records.

Each setting is a :class:`Setting` with a name, a default and a line of help (the
datasette pattern). Values come from, in order of precedence:

1. the environment (``CSA_DATABASE_URL`` for the database, ``CSA_<NAME>`` for any other),
2. ``config.toml`` at the top of the repository (or the file named by ``CSA_CONFIG``),
3. the defaults below.

``.streamlit/config.toml`` is Streamlit's own file (server, theme) and is not read here.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str
    minimum: Any = None  # the least value allowed, when there is one


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "database_url",
        "sqlite:///data/csa.db",
        "SQLAlchemy URL of the database. A relative SQLite path is taken from the repository "
        "top. Overridden by the environment variable CSA_DATABASE_URL.",
    ),
    Setting("data_dir", "data", "Folder holding the bundled data files and their PROVENANCE.md."),
    Setting(
        "title",
        "Safer Lancashire: Community Safety Agreement performance",
        "Title shown at the top of every page and on exports.",
    ),
    Setting(
        "organisation",
        "Lancashire Community Safety Partnership Board",
        "Owner named in the footer, the board pack and exports.",
    ),
    Setting("confidence", 0.95, "Confidence level for intervals and benchmark comparison."),
    Setting(
        "suppression_threshold",
        5,
        "Counts of 1 to this minus 1 are hidden from the public ('fewer than 5'), with every figure that would reveal one; 0 turns suppression off.",
    ),
    Setting("spc_min_points", 13, "Fewest points before SPC limits and icons are shown."),
    Setting("spc_run_length", 6, "Length of a run or trend that counts as special cause."),
    Setting("trend_points", 5, "How many latest points the recent-trend test uses."),
    Setting(
        "default_tolerance_pct",
        5.0,
        "Amber tolerance (percent of target) for indicators that set none of their own.",
    ),
    Setting(
        "critical_consecutive_off_track",
        2,
        "An indicator is critical (recovery plan required) when off track this many periods "
        "running.",
    ),
    Setting(
        "critical_on_spc_concern_with_failing_assurance",
        True,
        "Also critical when the latest point is special-cause concern and SPC assurance "
        "against the target is 'fail'.",
    ),
    Setting(
        "rows_per_page",
        50,
        "Indicators listed at a time on the overview and the area profile; with more, the "
        "page offers the next ones (?page=2), and its summary still counts them all.",
        minimum=1,
    ),
    Setting(
        "return_due_days",
        30,
        "Days after a period ends by which the lead organisation's return is due.",
    ),
    Setting(
        "returns_open_periods",
        2,
        "How many of the latest periods accept returns (older periods are closed).",
    ),
    Setting("upload_max_mb", 10, "Largest Excel return accepted, in megabytes."),
    Setting(
        "upload_max_uncompressed_mb",
        50,
        "Largest total uncompressed size of an .xlsx (zip) before it is refused as a zip bomb.",
    ),
    Setting(
        "upload_max_compression_ratio",
        100,
        "Largest uncompressed/compressed ratio of an .xlsx before it is refused.",
    ),
    Setting(
        "frame_ancestors",
        "'self' https://www.saferlancashire.co.uk",
        "Sites allowed to embed the public view; the reverse proxy sends it as "
        "Content-Security-Policy: frame-ancestors (Streamlit sends none).",
    ),
    Setting("login_max_failures", 5, "Failed sign-ins before a local account is locked."),
    Setting("login_lockout_minutes", 15, "How long a locked local account stays locked."),
    Setting(
        "session_hours",
        8.0,
        "How long a local sign-in lasts (the session cookie's lifetime) when the app is "
        "served by `make run` (serve.py).",
    ),
    Setting(
        "trusted_proxy_secret",
        "",
        "Shared secret the reverse proxy sends as the header X-CSA-Proxy-Secret when "
        "server.trustedUserHeaders is set and the app listens beyond loopback: requests "
        "without it lose their identity headers. Empty: the app refuses to start on a "
        "non-loopback address with trusted headers. Prefer CSA_TRUSTED_PROXY_SECRET.",
    ),
    Setting(
        "public_only",
        False,
        "Serve only the public, read-only view: nobody can sign in and nothing is written. "
        "For the public entry of the two-entry deployment (docs/access.md), ideally with a "
        "read-only database role; set CSA_PUBLIC_ONLY=true on that server.",
    ),
)

_BY_NAME = {s.name: s for s in SETTINGS}


class ConfigError(ValueError):
    """A setting in config.toml or the environment is unknown or has the wrong type."""


def _coerce(setting: Setting, raw: Any, where: str) -> Any:
    default = setting.default
    try:
        if isinstance(default, bool):
            if isinstance(raw, bool):
                return raw
            text = str(raw).strip().lower()
            if text in {"1", "true", "yes", "on"}:
                return True
            if text in {"0", "false", "no", "off"}:
                return False
            raise ValueError(raw)
        if isinstance(default, int):
            value = int(raw)
        elif isinstance(default, float):
            value = float(raw)
        else:
            return str(raw)
    except (TypeError, ValueError):
        raise ConfigError(
            f"{where}: setting '{setting.name}' has value {raw!r}; expected a "
            f"{type(default).__name__} like {default!r}"
        ) from None
    if setting.minimum is not None and value < setting.minimum:
        raise ConfigError(
            f"{where}: setting '{setting.name}' has value {raw!r}; it must be "
            f"{setting.minimum} or more"
        )
    return value


def config_path() -> Path:
    return Path(os.environ.get("CSA_CONFIG", ROOT / "config.toml"))


def load(path: Path | None = None, env: dict[str, str] | None = None) -> dict[str, Any]:
    """Return every setting's value as a dict, validated against :data:`SETTINGS`."""
    path = path or config_path()
    env = os.environ if env is None else env
    values = {s.name: s.default for s in SETTINGS}
    if path.exists():
        try:
            file_values = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: not valid TOML ({exc})") from None
        for key, raw in file_values.items():
            if key not in _BY_NAME:
                raise ConfigError(f"{path}: unknown setting '{key}'; known: {', '.join(_BY_NAME)}")
            values[key] = _coerce(_BY_NAME[key], raw, str(path))
    for setting in SETTINGS:
        var = f"CSA_{setting.name.upper()}"
        if var in env:
            values[setting.name] = _coerce(setting, env[var], f"environment {var}")
    values["database_url"] = resolve_database_url(values["database_url"])
    return values


def resolve_database_url(url: str) -> str:
    """Make a relative SQLite path absolute from the repository top."""
    prefix = "sqlite:///"
    if url.startswith(prefix) and not url.startswith(prefix + "/") and ":memory:" not in url:
        return prefix + str(ROOT / url[len(prefix) :])
    return url


def data_dir(settings: dict[str, Any] | None = None) -> Path:
    settings = settings or load()
    p = Path(settings["data_dir"])
    return p if p.is_absolute() else ROOT / p
