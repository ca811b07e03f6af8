# CTMS production image: gunicorn web, Celery worker and beat share it (docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext libpango-1.0-0 libpangoft2-1.0-0 \
       libharfbuzz-subset0 curl \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md ./
RUN pip install --no-cache-dir -e .
COPY . .
# Build tools run offline (manage.py): no secret in the image, no production requirements.
RUN python manage.py compilemessages -v 0 \
    && python manage.py collectstatic --noinput -v 0

RUN useradd --create-home --uid 1000 ctms && mkdir -p /data/media && chown -R ctms /data
USER ctms
ENV MEDIA_ROOT=/data/media
EXPOSE 8000
CMD ["gunicorn", "ctms.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60"]
