# Stand-in for the official python images: Debian's python3 with pip and venv, `python`/`pip` on PATH,
# and pip allowed to install system-wide as in the official images (no EXTERNALLY-MANAGED marker).
ARG BASE=debian:bookworm-slim
FROM ${BASE}
ARG EXTRA_PACKAGES=""
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends python3 python3-pip python3-venv ca-certificates $EXTRA_PACKAGES \
 && rm -rf /var/lib/apt/lists/* /usr/lib/python3*/EXTERNALLY-MANAGED \
 && ln -s /usr/bin/python3 /usr/local/bin/python && ln -s /usr/bin/pip3 /usr/local/bin/pip
ENV LANG=C.UTF-8 PYTHONDONTWRITEBYTECODE=1
CMD ["python3"]
