# CareExplain service image. Same install script as a developer machine; models come from
# Python packages, so the image needs no model hub at build or run time.
# torch is pinned to 2.13.0: give pip a CPU wheel source for it (e.g. a pip.conf mounted as
# a build secret), or it downloads the much larger CUDA build.
FROM python:3.11-slim-bookworm

ENV PYTHONUNBUFFERED=1 \
    HF_HUB_OFFLINE=1 \
    TRANSFORMERS_OFFLINE=1 \
    CAREEXPLAIN_HOST=0.0.0.0 \
    CAREEXPLAIN_DATA_DIR=/data

WORKDIR /app
COPY pyproject.toml README.md ./
COPY scripts/ scripts/
COPY service/ service/
COPY prompts/ prompts/
COPY knowledge_base/ knowledge_base/
RUN --mount=type=secret,id=pipconf,target=/etc/pip.conf,required=false \
    bash scripts/install.sh && rm -rf /root/.cache/pip

VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s \
    CMD python -c "import urllib.request as u; u.urlopen('http://127.0.0.1:8000/health', timeout=4)"
# serve builds the index of the bundled guidance on first start, then reuses /data.
CMD ["/app/.venv/bin/careexplain", "serve"]
