# Production image: gunicorn (web), Celery (worker, beat). WeasyPrint needs pango and harfbuzz;
# libharfbuzz-subset0 makes font subsetting several times faster.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=convergence.settings

RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 \
        fonts-dejavu-core fonts-liberation shared-mime-info \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 1000 convergence
WORKDIR /app

COPY requirements.txt .
RUN pip install -r requirements.txt

COPY --chown=convergence:convergence . .
# collectstatic needs settings that load: a throw-away key, never used at run time.
RUN DJANGO_DEBUG=false DJANGO_SECRET_KEY=collectstatic-only-$(date +%s)-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx \
    DJANGO_ALLOWED_HOSTS=build EMAIL_URL=smtp://build python manage.py collectstatic --noinput \
    && mkdir -p /app/private && chown convergence:convergence /app/private

USER convergence
EXPOSE 8000
CMD ["gunicorn", "convergence.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
