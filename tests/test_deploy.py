"""docs/deploy/ (systemd units, nginx site, xuncha-manage) agree with each other, with .env.example and with the
settings they rely on. docs/production.md was followed on a clean clone; these keep the pieces from drifting apart."""

import configparser
import re
import subprocess

from django.conf import settings

DEPLOY = settings.BASE_DIR / "docs" / "deploy"
UNITS = ("xuncha-web", "xuncha-worker", "xuncha-beat")


def unit(name):
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str
    parser.read_string((DEPLOY / f"{name}.service").read_text())
    return parser


def test_the_three_services_run_the_app_as_its_user_with_the_settings_file():
    for name in UNITS:
        service = unit(name)["Service"]
        assert service["User"] == "xuncha" and service["Group"] == "xuncha", name
        assert service["WorkingDirectory"] == "/srv/xuncha/app", name
        assert service["EnvironmentFile"] == "/etc/xuncha/xuncha.env", name
        assert service["ExecStart"].startswith("/srv/xuncha/app/.venv/bin/"), name
        assert service["Restart"] == "on-failure", name
        assert unit(name)["Install"]["WantedBy"] == "multi-user.target", name


def test_web_binds_to_localhost_where_nginx_sends_requests():
    start = unit("xuncha-web")["Service"]["ExecStart"]
    assert "gunicorn xuncha.wsgi:application" in start
    bind = re.search(r"--bind (\S+)", start).group(1)
    assert bind == "127.0.0.1:8000"  # nginx is the only way in: that is what makes trusting its header safe
    assert int(re.search(r"--workers (\d+)", start).group(1)) >= 2
    nginx = (DEPLOY / "nginx.conf").read_text()
    assert f"proxy_pass http://{bind};" in nginx


def test_worker_and_beat_are_celery_on_the_app():
    assert " -A xuncha worker " in unit("xuncha-worker")["Service"]["ExecStart"]
    beat = unit("xuncha-beat")["Service"]
    assert " -A xuncha beat " in beat["ExecStart"]
    assert "--schedule=/var/lib/xuncha/" in beat["ExecStart"] and beat["StateDirectory"] == "xuncha"


def test_nginx_redirects_to_https_and_overwrites_the_proxy_headers_the_app_trusts():
    nginx = (DEPLOY / "nginx.conf").read_text()
    assert "return 301 https://$host$request_uri;" in nginx
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in nginx
    assert "proxy_set_header Host $host;" in nginx
    size = int(re.search(r"client_max_body_size (\d+)m;", nginx).group(1))
    assert size * 1024 * 1024 > settings.EVIDENCE_MAX_BYTES  # an evidence file at the limit gets through
    env = (settings.BASE_DIR / ".env.example").read_text()
    assert re.search(r"^TRUST_PROXY_SSL_HEADER=1$", env, re.M)
    assert "TRUST_PROXY_SSL_HEADER" in (settings.BASE_DIR / "docs" / "production.md").read_text()


def test_production_steps_name_every_piece():
    doc = (settings.BASE_DIR / "docs" / "production.md").read_text()
    for step in (
        "CREATE ROLE xuncha LOGIN PASSWORD",
        "createdb --owner=xuncha",
        ".venv/bin/pip install --quiet -r requirements.txt",
        "npm ci",
        "install -m 640 -g xuncha .env.example /etc/xuncha/xuncha.env",
        "xuncha-manage collectstatic --no-input",
        "xuncha-manage migrate --no-input",
        "xuncha-manage create_office_user --username office --password-from-env XUNCHA_OFFICE_PASSWORD",
        "systemctl enable --now xuncha-web xuncha-worker xuncha-beat",
        "cp docs/deploy/nginx.conf /etc/nginx/sites-available/xuncha",
    ):
        assert step in doc, step
    for name in UNITS:
        assert f"docs/deploy/{name}.service" in doc


def test_xuncha_manage_is_a_valid_shell_script():
    script = DEPLOY / "xuncha-manage"
    assert script.stat().st_mode & 0o111
    assert subprocess.run(["sh", "-n", str(script)], capture_output=True).returncode == 0
