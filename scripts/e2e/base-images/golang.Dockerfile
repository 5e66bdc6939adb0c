# Stand-in for the official golang images: Debian's Go toolchain (with gcc, as the official images
# have) reachable at /usr/local/go/bin, GOPATH /go.
ARG BASE=debian:bookworm-slim
FROM ${BASE}
ARG EXTRA_PACKAGES=""
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends golang-go gcc libc6-dev ca-certificates git $EXTRA_PACKAGES \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /usr/local/go/bin /go/bin /go/src && chmod -R 1777 /go \
 && ln -s /usr/lib/go/bin/go /usr/local/go/bin/go && ln -s /usr/lib/go/bin/gofmt /usr/local/go/bin/gofmt
ENV GOPATH=/go GOTOOLCHAIN=local PATH=/go/bin:/usr/local/go/bin:$PATH
WORKDIR /go
