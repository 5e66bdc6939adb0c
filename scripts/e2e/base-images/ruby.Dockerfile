# Stand-in for the official ruby images: Debian's ruby with gem and bundler, and the official images'
# bundler layout (gems under /usr/local/bundle, on PATH).
ARG BASE=debian:bookworm-slim
FROM ${BASE}
ARG EXTRA_PACKAGES=""
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ruby ruby-bundler ca-certificates $EXTRA_PACKAGES \
 && rm -rf /var/lib/apt/lists/*
ENV LANG=C.UTF-8 GEM_HOME=/usr/local/bundle BUNDLE_SILENCE_ROOT_WARNING=1 BUNDLE_APP_CONFIG=/usr/local/bundle
ENV PATH=/usr/local/bundle/bin:$PATH
RUN mkdir -p /usr/local/bundle && chmod 1777 /usr/local/bundle
CMD ["irb"]
