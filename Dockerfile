# compcore app on a plain server:  docker build -t compcore . && \
#   docker run -p 8501:8501 -v compcore-data:/data -v $PWD/secrets.toml:/app/.streamlit/secrets.toml:ro compcore
# Sign-in: an [auth] section in secrets.toml (OpenID Connect), or -e COMPCORE_PASSWORD=... (docs/deploy.md).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    COMPCORE_DB_URL=sqlite:////data/compcore.db \
    STREAMLIT_BROWSER_GATHER_USAGE_STATS=false \
    STREAMLIT_CLIENT_SHOW_ERROR_DETAILS=none \
    STREAMLIT_CLIENT_TOOLBAR_MODE=minimal \
    STREAMLIT_SERVER_HEADLESS=true

WORKDIR /app
COPY pyproject.toml README.md ./
COPY compcore ./compcore
RUN pip install --no-cache-dir . "psycopg[binary]>=3.1"
COPY app.py ./
COPY .streamlit/config.toml ./.streamlit/config.toml
COPY ui ./ui
COPY pages ./pages
COPY sample_data ./sample_data

RUN useradd --create-home --uid 10001 compcore && mkdir -p /data && chown compcore /data
USER compcore
VOLUME /data
EXPOSE 8501
HEALTHCHECK CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health')"
# python -m ui.serve is `streamlit run app.py` without the flash of page names on a fresh server (ui/serve.py)
CMD ["python", "-m", "ui.serve", "--server.address=0.0.0.0", "--server.port=8501"]
