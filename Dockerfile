# One image for every process of the Art Battle operations assistant: `artbattle-ops gateway`
# (default, port 8081) and `artbattle-ops assistant` (port 3000); the Kubernetes manifests in
# deploy/k8s choose the command. Build: docker build -t artbattle-ops:0.1.0 .

# Pinned by tag; bump deliberately (and the deploy/k8s image tag with the project version).
ARG PYTHON_IMAGE=python:3.12.8-slim-bookworm

# --- builder: a wheel of the project and of every runtime dependency ---------------------------
FROM ${PYTHON_IMAGE} AS builder
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
WORKDIR /build
COPY pyproject.toml README.md ./
COPY src ./src
RUN python -m pip wheel --wheel-dir /wheels .

# --- runtime: the wheels only, no compiler, no development extras, a non-root user -------------
FROM ${PYTHON_IMAGE} AS runtime
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH \
    APP_ENV=production \
    DATA_DIR=/var/lib/artbattle-ops \
    GATEWAY_HOST=0.0.0.0

RUN groupadd --gid 10001 artbattle \
    && useradd --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin artbattle \
    && mkdir -p /var/lib/artbattle-ops /app \
    && chown 10001:10001 /var/lib/artbattle-ops

COPY --from=builder /wheels /wheels
RUN python -m venv /opt/venv \
    && /opt/venv/bin/pip install --no-index --find-links=/wheels artbattle-ops \
    && rm -rf /wheels

# The code finds its SQL migrations, tool manifest and tool reference three levels above its
# modules (`Path(__file__).parents[3]`), which for an installed package is the folder that holds
# site-packages; tests/deploy/test_dockerfile.py keeps these paths and the code in step.
COPY sql /opt/venv/lib/python3.12/sql
COPY config/tools /opt/venv/lib/python3.12/config/tools
COPY docs/tools.md /opt/venv/lib/python3.12/docs/tools.md

WORKDIR /app
USER 10001:10001
EXPOSE 8081 3000

# No curl in the slim image: Python asks /healthz on the port of the command running as PID 1.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request as u; cmd = open('/proc/1/cmdline', 'rb').read(); port = os.environ.get('PORT', '3000') if b'assistant' in cmd else os.environ.get('GATEWAY_PORT', '8081'); u.urlopen(f'http://127.0.0.1:{port}/healthz', timeout=4)"]

ENTRYPOINT ["artbattle-ops"]
CMD ["gateway"]
