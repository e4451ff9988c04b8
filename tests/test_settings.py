"""Settings come from the environment; a malformed value stops start-up with a message naming it."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

ROOT = settings.BASE_DIR


def start(**env):
    """Import the settings in a fresh interpreter with exactly these variables."""
    base = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL", "REDIS_URL"}}
    return subprocess.run(
        [sys.executable, "-c", "import django; from django.conf import settings; django.setup(); print('ok')"],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "xuncha.settings", **env},
        capture_output=True,
        text=True,
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DEBUG": "maybe", "SECRET_KEY": "x"}, "DEBUG='maybe' is not a boolean"),
        ({"SECRET_KEY": ""}, "SECRET_KEY is required"),
        ({"SECRET_KEY": "x", "DATABASE_URL": "mysql://db/x"}, "DATABASE_URL='mysql://db/x' must start with"),
        ({"SECRET_KEY": "x", "REDIS_URL": "localhost:6379"}, "REDIS_URL='localhost:6379' must start with"),
        ({"SECRET_KEY": "x", "SESSION_COOKIE_AGE": "eight hours"}, "SESSION_COOKIE_AGE='eight hours' is not a whole"),
    ],
)
def test_malformed_environment_stops_start_up_with_a_clear_message(env, message):
    result = start(**env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and message in result.stderr, result.stderr[-500:]


def test_embedded_default_is_sqlite_with_in_process_tasks():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; from django.conf import settings; django.setup();"
            "print(settings.DATABASES['default']['ENGINE'], settings.CELERY_TASK_ALWAYS_EAGER)",
        ],
        cwd=ROOT,
        env={**{k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}, "DEBUG": "1"},
        capture_output=True,
        text=True,
    )
    assert result.stdout.strip() == "django.db.backends.sqlite3 True", result.stderr[-500:]


def test_deploy_check_is_clean_when_debug_is_off():
    # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for themselves; production never has it.
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update(
        SECRET_KEY="a-long-random-production-secret-" + "x" * 40,
        ALLOWED_HOSTS="xuncha.example.gov.cn",
        SITE_URL="https://xuncha.example.gov.cn",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # Without the site's address, reminder e-mails would carry links no mail client opens: the check says so.
    env.pop("SITE_URL")
    env.pop("XUNCHA_SITE_URL", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0 and "rectification.W001" in result.stdout + result.stderr


def test_language_and_time():
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert ("en", "English") in settings.LANGUAGES


def test_static_files_collect_with_hashed_names_for_whitenoise(tmp_path):
    """Production serves Bootstrap, its icons and ECharts from npm packages, hashed; nothing from a CDN."""
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update(SECRET_KEY="x" * 50)
    script = (
        "import django; from django.conf import settings; "
        f"settings.STATIC_ROOT = {str(tmp_path)!r}; django.setup(); "
        "from django.core.management import call_command; call_command('collectstatic', interactive=False, verbosity=0)"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-800:]
    manifest = (tmp_path / "staticfiles.json").read_text()
    for asset in ("vendor/bootstrap/css/bootstrap.min.css", "vendor/echarts/echarts.min.js", "django_htmx/htmx.min.js"):
        assert asset in manifest, asset
    # ECharts' other builds and add-ons (46 MB with their source maps) are not shipped: no page loads them.
    assert not (tmp_path / "vendor/echarts/echarts.esm.js").exists()
    assert not (tmp_path / "vendor/echarts/extension").exists()
    assert sum(f.stat().st_size for f in tmp_path.rglob("*") if f.is_file()) < 60 * 1024 * 1024


def test_management_commands_print_no_library_banner():
    """`manage.py check` (as every command) says what it did and nothing else: no django-axes version line."""
    base = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DJANGO_SETTINGS_MODULE"}}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**base, "DEBUG": "1", "SECRET_KEY": "x"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stderr == ""
    assert result.stdout == "System check identified no issues (0 silenced).\n"


def test_static_root_comes_from_the_environment(tmp_path):
    script = "import django; from django.conf import settings; django.setup(); print(settings.STATIC_ROOT)"
    base = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DJANGO_SETTINGS_MODULE"}}
    env = {**base, "DJANGO_SETTINGS_MODULE": "xuncha.settings", "SECRET_KEY": "x", "STATIC_ROOT": str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.stdout.strip() == str(tmp_path), result.stderr[-800:]


def _proxy_header(**env):
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; from django.conf import settings; print(settings.SECURE_PROXY_SSL_HEADER)",
        ],
        cwd=ROOT,
        env={**{k: v for k, v in os.environ.items() if k != "TRUST_PROXY_SSL_HEADER"}, "SECRET_KEY": "x", **env},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr[-500:]
    return result.stdout.strip()


def test_the_proxy_ssl_header_is_trusted_only_when_the_environment_says_a_proxy_sets_it():
    assert _proxy_header() == "None"
    assert _proxy_header(TRUST_PROXY_SSL_HEADER="0") == "None"
    assert _proxy_header(TRUST_PROXY_SSL_HEADER="1") == "('HTTP_X_FORWARDED_PROTO', 'https')"
    assert (
        "TRUST_PROXY_SSL_HEADER='sometimes' is not a boolean"
        in start(SECRET_KEY="x", TRUST_PROXY_SSL_HEADER="sometimes").stderr
    )


def test_a_client_claiming_https_is_not_believed_without_a_trusted_proxy(rf, settings):
    settings.SECURE_PROXY_SSL_HEADER = None
    assert not rf.get("/", HTTP_X_FORWARDED_PROTO="https").is_secure()
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert rf.get("/", HTTP_X_FORWARDED_PROTO="https").is_secure()
