# Production image: Python app + front-end packages from npm, static files collected for WhiteNoise.
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt package.json package-lock.json ./
RUN pip install --no-cache-dir -r requirements.txt && npm ci --no-audit --no-fund
COPY . .
# Translations are compiled in the repo (locale/*/LC_MESSAGES/django.mo); only static files are collected here.
RUN SECRET_KEY=build-only python manage.py collectstatic --no-input
RUN useradd --system --home /app xuncha && mkdir -p /app/var/media && chown -R xuncha /app/var
USER xuncha
EXPOSE 8000
CMD ["gunicorn", "xuncha.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "4"]
