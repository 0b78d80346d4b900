# The MigraLex API image (used by docker-compose.yml): the package and its bundled corpus.
# The corpus is built when the container starts, into the /data volume and the search backend
# chosen at run time (Elasticsearch in docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    MIGRALEX_HOME=/data

WORKDIR /app
# Only what the package needs (no .git, tests or local caches in the image).
COPY pyproject.toml README.md ./
COPY corpus ./corpus
COPY ingest ./ingest
COPY nlp ./nlp
COPY search_api ./search_api
COPY migralex ./migralex
RUN pip install . \
    && useradd --system --create-home --home-dir /home/migralex migralex \
    && mkdir -p /data && chown migralex: /data

USER migralex
VOLUME ["/data"]
EXPOSE 8000

HEALTHCHECK --interval=15s --timeout=5s --start-period=300s --retries=3 \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=4)"

# Build (ingest + annotate + index; re-indexing swaps the alias, so a restart is safe), then serve.
CMD ["sh", "-c", "migralex build --backend \"${MIGRALEX_BACKEND:-elasticsearch}\" && exec migralex serve --backend \"${MIGRALEX_BACKEND:-elasticsearch}\" --host 0.0.0.0 --port 8000"]
