# Bimtek: a slim image that migrates, then serves with uvicorn, as a non-root user.
# Configure with environment variables, e.g.
#   BIMTEK_DATABASE_URL=postgresql+psycopg://bimtek:secret@db:5432/bimtek
#   WEB_CONCURRENCY=2  BIMTEK_DB_POOL_SIZE=4  BIMTEK_THREADPOOL_SIZE=8
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 WEB_CONCURRENCY=2

# The PDFs' fonts ship inside the package (service/rendering/fonts).
RUN useradd --create-home --uid 10001 bimtek

WORKDIR /app
COPY pyproject.toml README.md alembic.ini ./
COPY service ./service
COPY migrations ./migrations
COPY frontend/templates ./frontend/templates
COPY frontend/static ./frontend/static
# Editable install: templates, static files and migrations are read from /app.
RUN pip install -e . && mkdir -p /app/data && chown bimtek:bimtek /app/data

USER bimtek
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s CMD python -c "import urllib.request as u; u.urlopen('http://127.0.0.1:8000/healthz')"
# `serve` runs the migrations first, then uvicorn with WEB_CONCURRENCY processes.
CMD ["sh", "-c", "exec bimtek serve --host 0.0.0.0 --port 8000 --workers ${WEB_CONCURRENCY}"]
