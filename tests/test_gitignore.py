"""A run leaves nothing for `git status` to show: the files it makes are ignored, the ones to keep are not."""

import shutil
import subprocess

import pytest
from django.conf import settings

ROOT = settings.BASE_DIR


def ignored(path):
    result = subprocess.run(["git", "check-ignore", "-q", "--no-index", path], cwd=ROOT, capture_output=True)
    return result.returncode == 0


pytestmark = pytest.mark.skipif(
    shutil.which("git") is None or not (ROOT / ".git").exists(), reason="not a git checkout"
)


@pytest.mark.parametrize(
    "path",
    [
        "db.sqlite3",
        "db.sqlite3-wal",
        "db.sqlite3-shm",
        "staticfiles/vendor/bootstrap/css/bootstrap.min.css",
        "media/evidence/a.pdf",
        "var/media/imports/units.xlsx",
        "celerybeat-schedule",
        "celerybeat-schedule.db",
        ".env",
        ".venv",
        "node_modules",
    ],
)
def test_what_a_run_leaves_behind_is_ignored(path):
    assert ignored(path), path


@pytest.mark.parametrize("path", [".env.example", "docs/production.md", "docs/img/dashboard.png", "static/js/x.js"])
def test_what_belongs_to_the_project_is_not(path):
    assert not ignored(path), path
