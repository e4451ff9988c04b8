"""No Docker engine runs here: check that docker-compose.yml describes the production services."""

import yaml
from django.conf import settings


def compose():
    return yaml.safe_load((settings.BASE_DIR / "docker-compose.yml").read_text())


def test_production_services_are_all_there_with_health_checks():
    services = compose()["services"]
    assert set(services) >= {"postgres", "redis", "web", "worker", "beat"}
    for name in ("postgres", "redis", "web", "worker"):
        assert "healthcheck" in services[name], name
    assert "/healthz" in " ".join(services["web"]["healthcheck"]["test"])


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


def test_redis_keeps_its_queue_across_restarts():
    """Queued imports and reminder batches live in Redis: an append-only file on a volume keeps them."""
    redis = compose()["services"]["redis"]
    command = " ".join(redis["command"])
    assert "--appendonly yes" in command
    assert any(volume.endswith(":/data") for volume in redis["volumes"])
