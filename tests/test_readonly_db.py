"""A database on a read-only mount can be read, and a write says plainly why it failed.

SQLite in WAL mode writes side files (-wal, -shm) even to read: on a read-only folder the
app could not show anything. The gateway opens such a file read-only (``mode=ro``, and
``immutable=1`` when the folder is read-only), skips the WAL pragma, and turns a write into
"the database at PATH is read-only: ..." rather than a stack trace.

Root ignores file permissions, so when the tests run as root the read-only state cannot be
made with chmod: they then set it by the ``read_only`` argument or ``CSA_DATABASE_READ_ONLY``.
"""

from __future__ import annotations

import os
import shutil
import stat

import pytest

from csa import cli
from csa.db import Database
from csa.db.core import ReadOnlyDatabase, read_only_reason

AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


@pytest.fixture
def mounted(sqlite_template, tmp_path):
    """A seeded database copied into a folder, then the file and folder made read-only."""
    folder = tmp_path / "mount"
    folder.mkdir()
    path = folder / "csa.db"
    shutil.copy(sqlite_template, path)
    path.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR | stat.S_IRGRP | stat.S_IXGRP)
    yield path
    folder.chmod(stat.S_IRWXU)
    path.chmod(stat.S_IRUSR | stat.S_IWUSR)


def open_read_only(path, how, monkeypatch):
    url = f"sqlite:///{path}"
    if how == "permissions":
        if AS_ROOT:  # answer as the kernel would for anyone but root
            real = os.access

            def access(p, mode):
                if mode & os.W_OK and str(p).startswith(str(path.parent)):
                    return False
                return real(p, mode)

            monkeypatch.setattr("csa.db.core.os.access", access)
        return Database(url)
    if how == "argument":
        return Database(url, read_only=True)
    monkeypatch.setenv("CSA_DATABASE_READ_ONLY", "1")
    return Database(url)


@pytest.mark.parametrize(
    "how, reason, options",
    [
        ("permissions", "the file is not writable", {"mode": "ro", "immutable": "1"}),
        ("argument", "opened read-only", {"mode": "ro"}),
        ("environment", "CSA_DATABASE_READ_ONLY", {"mode": "ro"}),
    ],
)
def test_a_read_only_database_is_read_and_a_write_fails_clearly(
    mounted, monkeypatch, how, reason, options
):
    db = open_read_only(mounted, how, monkeypatch)
    try:
        assert reason in db.read_only_reason
        assert dict(db.engine.url.query) == options | {"uri": "true"}
        observations = db.observations(indicator_codes=["DA-01"], area_codes=["E07000117"])
        assert len(observations) > 10 and observations["value"].notna().all()
        assert db.data_version() >= 1
        assert db.is_migrated()
        with pytest.raises(
            ReadOnlyDatabase, match=rf"^the database at {mounted} is read-only: .*{reason}"
        ):
            db.record_audit("someone@example.org", "user_add", "x")
        if "immutable" in options:  # a read-only folder: no side file may be needed
            assert sorted(p.name for p in mounted.parent.iterdir()) == ["csa.db"]
    finally:
        db.dispose()


@pytest.mark.parametrize(
    "flag, expected",
    [("1", True), ("true", True), ("on", True), ("0", False), ("", False), ("no", False)],
)
def test_the_environment_flag(tmp_path, monkeypatch, flag, expected):
    path = tmp_path / "x.db"
    path.write_bytes(b"")
    monkeypatch.setenv("CSA_DATABASE_READ_ONLY", flag)
    assert (read_only_reason(f"sqlite:///{path}") is not None) is expected
    assert read_only_reason(f"sqlite:///{path}", read_only=False) is None


def test_the_command_line_says_the_database_is_read_only(mounted, monkeypatch, capsys):
    monkeypatch.setenv("CSA_DATABASE_READ_ONLY", "1")
    code = cli.main(
        [
            "--database-url",
            f"sqlite:///{mounted}",
            "rollback",
            "2",
            "--user",
            "admin@example.org",
        ]
    )
    err = capsys.readouterr().err
    assert code != 0
    assert f"the database at {mounted} is read-only" in err
    assert "Traceback" not in err
