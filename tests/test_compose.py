"""No Docker engine runs here: check that docker-compose.yml describes the production services."""

import os
import re
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml
from django.conf import settings


def compose():
    return yaml.safe_load((settings.BASE_DIR / "docker-compose.yml").read_text())


def test_production_services_are_all_there_with_health_checks():
    services = compose()["services"]
    assert set(services) >= {"postgres", "redis", "web", "worker", "beat"}
    for name in ("postgres", "redis", "web", "worker"):
        assert "healthcheck" in services[name], name
    assert services["web"]["healthcheck"]["test"] == ["CMD", "python", "xuncha/healthcheck.py"]  # asks /healthz
    assert "/healthz" in (settings.BASE_DIR / "xuncha" / "healthcheck.py").read_text()


def test_services_run_the_right_commands():
    services = compose()["services"]
    assert "gunicorn xuncha.wsgi:application" in services["web"]["command"]
    assert "migrate" in services["web"]["command"]
    assert services["worker"]["command"][:4] == ["celery", "-A", "xuncha", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "xuncha", "beat"]


def test_app_services_use_postgres_and_redis():
    services = compose()["services"]
    for name in ("web", "worker", "beat"):
        env = services[name]["environment"]
        assert env["DATABASE_URL"].startswith("postgres://")
        assert env["REDIS_URL"].startswith("redis://redis:6379")
        assert set(services[name]["depends_on"]) == {"postgres", "redis"}


def test_beat_schedules_the_daily_reminder_sweep_at_eight_shanghai_time():
    entry = settings.CELERY_BEAT_SCHEDULE["reminder-sweep"]
    assert entry["task"] == "rectification.tasks.reminder_sweep"
    assert entry["schedule"].hour == {8} and entry["schedule"].minute == {0}
    assert settings.CELERY_TIMEZONE == "Asia/Shanghai"


def env_example() -> dict:
    """.env.example as docker compose and systemd read it: KEY=value lines, # comments."""
    lines = (settings.BASE_DIR / ".env.example").read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if line.strip() and not line.lstrip().startswith("#"))


@pytest.mark.django_db(transaction=True)
def test_the_web_health_check_passes_with_env_example(live_server, settings, tmp_path):
    """The container's check asks 127.0.0.1 while ALLOWED_HOSTS names only the public host: it must send that host."""
    example = env_example()
    settings.ALLOWED_HOSTS = example["ALLOWED_HOSTS"].split(",")
    settings.REDIS_URL = ""  # this test has no worker; /healthz then judges the database only
    Path(settings.MEDIA_ROOT).mkdir(parents=True, exist_ok=True)
    url = f"{live_server.url}/healthz"
    with pytest.raises(urllib.error.HTTPError) as refused:  # what the check used to do: Django refuses the host
        urllib.request.urlopen(url, timeout=10)
    assert refused.value.code == 400

    test = compose()["services"]["web"]["healthcheck"]["test"]
    assert test[:2] == ["CMD", "python"]
    env = {"PATH": os.environ["PATH"], **example, "XUNCHA_HEALTH_URL": url}
    check = subprocess.run(
        [sys.executable, *test[2:]], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=30
    )
    assert check.returncode == 0, check.stderr
    # And it says so when the app does not answer.
    env["XUNCHA_HEALTH_URL"] = "http://127.0.0.1:9/healthz"
    down = subprocess.run(
        [sys.executable, *test[2:]], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=30
    )
    assert down.returncode == 1 and "unhealthy" in down.stderr


def test_redis_keeps_queued_jobs_across_restarts():
    redis = compose()["services"]["redis"]
    command = redis["command"]
    assert command[command.index("--appendonly") + 1] == "yes"
    assert "redisdata:/data" in redis["volumes"]  # the append-only file lives on the volume, not in the container
    assert "redisdata" in compose()["volumes"]


def test_compose_sets_its_own_database_redis_and_media_over_env_example():
    """.env.example also serves installs without Docker (DATABASE_URL, REDIS_URL, MEDIA_ROOT for the host);
    in compose the service's own environment wins over env_file, so the containers talk to each other."""
    assert {"DATABASE_URL", "REDIS_URL", "MEDIA_ROOT"} <= set(env_example())
    for name in ("web", "worker", "beat"):
        service = compose()["services"][name]
        assert service["env_file"] == ".env"
        assert {"DATABASE_URL", "REDIS_URL", "MEDIA_ROOT"} <= set(service["environment"])


def test_every_variable_in_env_example_is_documented():
    documented = (settings.BASE_DIR / "docs" / "configuration.md").read_text()
    commented = re.findall(r"^# ?([A-Z_]+)=", (settings.BASE_DIR / ".env.example").read_text(), re.M)
    for name in [*env_example(), *commented]:
        assert f"`{name}`" in documented, name


def test_the_image_gets_no_secrets_and_no_host_installs():
    """`COPY . .` in the Dockerfile: .env (the secrets) must not be baked into the image, nor the host's .venv and
    node_modules copied over the image's own `pip install` and `npm ci`."""
    ignored = (settings.BASE_DIR / ".dockerignore").read_text().split()
    for path in (".env", ".venv", "node_modules", "db.sqlite3*", "staticfiles/", "var/"):
        assert path in ignored, path
    assert ".env.example" not in ignored  # compose and the docs start from it
