# The grader's sandbox image: Python 3.11, the pinned libraries of requirements.lock, the worker package.
#
# Build it with `grader image build` (grader/image.py), not with `docker build .`: the build context is
# a temporary folder holding only this file, requirements.lock, wheels/ (downloaded on the host, so no
# network is needed inside the build) and grader_worker/. Problems, references and tests never enter it.
#
# BASE defaults to grader-base:bookworm, built locally by scripts/build-base-image (debootstrap, no
# registry needed). Where a registry is reachable, `grader image build --base python:3.11-slim` works too.
# Either way the interpreter is a venv at /opt/venv/bin/python (label grader.python), which is what
# grader/sandbox/docker.py runs.
ARG BASE=grader-base:bookworm

FROM ${BASE} AS build
COPY requirements.lock /build/requirements.lock
COPY wheels/ /build/wheels/
RUN python3 -c 'import sys; assert sys.version_info[:2] == (3, 11), sys.version' \
 && python3 -m venv /opt/venv \
 && /opt/venv/bin/pip install --isolated --no-cache-dir --no-index --find-links /build/wheels \
        --only-binary=:all: --no-deps -r /build/requirements.lock \
 && /opt/venv/bin/pip uninstall --isolated -y pip \
 && chmod -R a+rX,go-w /opt/venv \
 && /opt/venv/bin/python -c 'import jax, flax.nnx, orbax.checkpoint, numpy; print("jax", jax.__version__)'

FROM ${BASE}
# The learner: no password, no shell, no home on the (read-only) image. The scratch dir is a tmpfs at run time.
RUN (groupadd --gid 10001 learner && useradd --uid 10001 --gid 10001 --no-create-home \
        --home-dir /work --shell /usr/sbin/nologin learner) \
    || (addgroup -g 10001 learner && adduser -D -H -u 10001 -G learner -h /work learner) \
 && mkdir -p /work /opt/grader/lib && chmod 1777 /work
COPY --from=build /opt/venv /opt/venv
COPY grader_worker/ /opt/grader/lib/grader_worker/
# A smoke test that writes nothing (-B: no bytecode), so it adds no layer of size.
RUN /opt/venv/bin/python -I -B -c 'import sys; sys.path.insert(0, "/opt/grader/lib"); import grader_worker.wire'
ENV PATH=/opt/venv/bin:/usr/local/bin:/usr/bin:/bin LANG=C.UTF-8 PYTHONDONTWRITEBYTECODE=1 \
    JAX_PLATFORMS=cpu HOME=/work
USER 10001:10001
WORKDIR /work
ARG GRADER_IMAGE_HASH=unknown
LABEL grader.image.hash=${GRADER_IMAGE_HASH} grader.python=/opt/venv/bin/python grader.lib=/opt/grader/lib
