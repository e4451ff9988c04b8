"""`python xuncha/healthcheck.py`: exit 0 when /healthz answers 200, for docker compose's health check.

It runs beside the app, so it asks 127.0.0.1 — but with the Host header of the first ALLOWED_HOSTS entry: Django
refuses a Host it was not told to serve (ALLOWED_HOSTS names the public host only), and the check would fail on a
healthy app. Standard library only, no Django start-up: it runs every 30 seconds."""

import os
import sys
import urllib.error
import urllib.request

URL = os.environ.get("XUNCHA_HEALTH_URL", "http://127.0.0.1:8000/healthz")


def host() -> str:
    for entry in os.environ.get("ALLOWED_HOSTS", "").split(","):
        entry = entry.strip().lstrip(".")  # ".example.gov.cn" allows example.gov.cn and its subdomains
        if entry and entry != "*":
            return entry
    return "localhost"


def main() -> int:
    request = urllib.request.Request(URL, headers={"Host": host()})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return 0 if response.status == 200 else 1
    except (OSError, urllib.error.URLError) as exc:
        print(f"unhealthy: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
