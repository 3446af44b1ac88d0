# Production image: gunicorn serving Django; the same image runs the Celery workers and beat.
# Build: docker compose build (see README, Production). scripts/prod_check.py runs this file's
# build-time manage.py commands without Docker on every CI run.
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM python:3.13-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN apt-get update && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b fonts-dejavu-core gettext \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home --uid 1000 kkr
WORKDIR /app
# Dependencies in their own layer, from the lock file (exact versions, hashes checked): a code
# change does not reinstall them, and two builds install the same packages.
COPY requirements/prod.txt requirements/prod.txt
RUN pip install --no-cache-dir --require-hashes --no-deps -r requirements/prod.txt
COPY --from=assets /app/node_modules ./node_modules
COPY . .
# Settings refuse to load without their secrets when DEBUG is off; collectstatic needs none of
# them, so it gets throw-away build-time values (the real ones come from .env at run time).
RUN DEBUG=0 SECRET_KEY=build-only CPR_HASH_KEY=build-only SURVEY_LINK_KEY=build-only \
    python manage.py collectstatic --noinput
# The media volume is mounted here; created before USER so the app user owns it (a new named
# volume takes over the owner of the directory it is mounted on).
RUN mkdir -p /app/var/media && chown -R kkr:kkr /app/var
USER kkr
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
    CMD ["python", "manage.py", "healthcheck", "web", "--url", "http://127.0.0.1:8000/healthz"]
CMD ["gunicorn", "kkr_portal.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60", "--access-logfile", "-"]
