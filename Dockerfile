# One image for the web server, the Celery worker and Celery beat.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PROJECT_ENVIRONMENT=/opt/venv \
    PATH=/opt/venv/bin:$PATH

# The same uv as the Makefile's, so the lock file is read the same way.
RUN pip install --no-cache-dir --disable-pip-version-check uv==0.13.9

WORKDIR /app

# Dependencies first: this layer is rebuilt only when the lock file changes.
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project

COPY . .
RUN SECRET_KEY=collectstatic-only DEBUG=0 python manage.py collectstatic --no-input -v0

# Static files are read-only at run time; only var/private (uploaded documents) is written.
RUN useradd --system --uid 1000 --home-dir /app --shell /usr/sbin/nologin kopru \
    && mkdir -p /app/var/private \
    && chown -R kopru:kopru /app/var/private
USER kopru

EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
