import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  LAMBDA_WEB_ADAPTER_IMAGE,
  officialImage,
  type Runtime,
} from '../../../../runner/dockerfile/base-images';
import {
  frontendNotice,
  mirrorBaseImages,
  mirroredImage,
  unmirroredNotice,
} from '../../../../runner/ecr/base-image-mirror';

const REGISTRY = '123456789012.dkr.ecr.us-east-1.amazonaws.com';
const MIRROR = `${REGISTRY}/kiln-ecr-public`;
const HUB = `${REGISTRY}/kiln-docker-hub`;
/** The default stack: the ECR Public cache only. */
const MIRRORS = { ecrPublic: MIRROR };
/** With kiln:dockerHubCredentialArn: the Docker Hub cache too. */
const WITH_HUB = { ecrPublic: MIRROR, dockerHub: HUB };

describe('mirroredImage', () => {
  it.each([
    ['node:20-bookworm-slim', `${MIRROR}/docker/library/node:20-bookworm-slim`],
    ['python', `${MIRROR}/docker/library/python`],
    ['library/ruby:3.3', `${MIRROR}/docker/library/ruby:3.3`],
    ['docker.io/library/golang:1.22', `${MIRROR}/docker/library/golang:1.22`],
    ['docker.io/debian:bookworm', `${MIRROR}/docker/library/debian:bookworm`],
    [`node@sha256:${'a'.repeat(64)}`, `${MIRROR}/docker/library/node@sha256:${'a'.repeat(64)}`],
    ['public.ecr.aws/lambda/nodejs:20', `${MIRROR}/lambda/nodejs:20`],
    ['public.ecr.aws/docker/library/node:20', `${MIRROR}/docker/library/node:20`],
  ])('%s → %s', (ref, expected) => {
    expect(mirroredImage(ref, MIRRORS)).toBe(expected);
  });

  it.each([
    'oven/bun:1', // Docker Hub, not an official image: ECR Public has no copy at a known path
    'ghcr.io/acme/base:1',
    '987654321098.dkr.ecr.eu-west-1.amazonaws.com/private/base:1',
    'localhost:5000/base',
    'registry.example.com:8443/team/base:2',
  ])('%s has no mirror', (ref) => {
    expect(mirroredImage(ref, MIRRORS)).toBeUndefined();
  });
});

describe('mirroredImage with an ARG in the reference', () => {
  it.each([
    [`node:\${NODE_VERSION}`, `${MIRROR}/docker/library/node:\${NODE_VERSION}`],
    [`node:\${NODE_VERSION:-22}-slim`, `${MIRROR}/docker/library/node:\${NODE_VERSION:-22}-slim`],
    ['python:$PY', `${MIRROR}/docker/library/python:$PY`],
    [`node@\${DIGEST}`, `${MIRROR}/docker/library/node@\${DIGEST}`],
    [`public.ecr.aws/lambda/nodejs:\${V}`, `${MIRROR}/lambda/nodejs:\${V}`],
  ])('the tag or digest only: %s → %s', (ref, expected) => {
    expect(mirroredImage(ref, MIRRORS)).toBe(expected);
  });

  it.each([
    `\${BASE}`,
    `\${REGISTRY}/node:20`,
    `node\${SUFFIX}`,
    `localhost:\${PORT}/base:1`,
    `docker.io/\${ORG}/app:1`,
    `public.ecr.aws/\${NS}/node:20`,
  ])('the registry or repository from an ARG: %s is left alone', (ref) => {
    expect(mirroredImage(ref, WITH_HUB)).toBeUndefined();
  });
});

describe('mirroredImage with the Docker Hub cache (kiln:dockerHubCredentialArn)', () => {
  it.each([
    ['oven/bun:1', `${HUB}/oven/bun:1`],
    ['bitnami/redis:7.2', `${HUB}/bitnami/redis:7.2`],
    ['docker.io/bitnami/redis', `${HUB}/bitnami/redis`],
    ['docker/dockerfile:1', `${HUB}/docker/dockerfile:1`],
    [`oven/bun:\${BUN_VERSION}`, `${HUB}/oven/bun:\${BUN_VERSION}`],
    // Official images keep going through ECR Public (no credential, no Docker Hub quota).
    ['node:22', `${MIRROR}/docker/library/node:22`],
    ['docker.io/library/ruby:3.4', `${MIRROR}/docker/library/ruby:3.4`],
  ])('%s → %s', (ref, expected) => {
    expect(mirroredImage(ref, WITH_HUB)).toBe(expected);
  });

  it('other registries still have no mirror', () => {
    expect(mirroredImage('ghcr.io/acme/base:1', WITH_HUB)).toBeUndefined();
  });
});

describe('the notice for an image pulled as named says why and what to do', () => {
  it.each([
    ['oven/bun:1', /ECR Public has no copy.*-c kiln:dockerHubCredentialArn=<secret ARN>/],
    [`\${BASE}`, /comes from an ARG, which kiln cannot follow; an ARG in the tag is fine/],
    ['ghcr.io/acme/base:1', /no pull-through cache serves its registry/],
  ])('%s', (image, why) => {
    const notice = unmirroredNotice('base image', image);
    expect(notice).toMatch(/^notice: base image \S+ is pulled as named \(/);
    expect(notice).toContain(image);
    expect(notice).toMatch(why);
    expect(notice).not.toContain('\n');
  });

  it('says nothing for an image on ECR (the account’s own registry, where the caches lead anyway)', () => {
    expect(unmirroredNotice('prebuilt image', `${REGISTRY}/kiln:app-1`)).toBeUndefined();
  });
});

describe('mirrorBaseImages', () => {
  it('rewrites every base image and COPY --from image, leaving stages, scratch, ARG-named and unmirrored images alone', () => {
    const dockerfile = [
      '# syntax and comments stay',
      'ARG BASE=node:20',
      'FROM --platform=$BUILDPLATFORM node:20-slim AS base',
      'FROM base AS deps',
      `FROM \${BASE} AS from-arg`,
      'FROM ghcr.io/acme/tools:1 AS tools',
      'from python:3.12 as Build',
      'FROM build',
      'FROM scratch',
      'COPY --from=node:20 /usr/local/bin/node /node',
      '',
    ].join('\n');
    const mirrored = mirrorBaseImages(dockerfile, MIRRORS);
    expect(mirrored.text).toBe(
      [
        '# syntax and comments stay',
        'ARG BASE=node:20',
        `FROM --platform=$BUILDPLATFORM ${MIRROR}/docker/library/node:20-slim AS base`,
        'FROM base AS deps',
        `FROM \${BASE} AS from-arg`,
        'FROM ghcr.io/acme/tools:1 AS tools',
        `from ${MIRROR}/docker/library/python:3.12 as Build`,
        'FROM build',
        'FROM scratch',
        `COPY --from=${MIRROR}/docker/library/node:20 /usr/local/bin/node /node`,
        '',
      ].join('\n'),
    );
    expect(mirrored.rewritten).toEqual([
      ['node:20-slim', `${MIRROR}/docker/library/node:20-slim`],
      ['python:3.12', `${MIRROR}/docker/library/python:3.12`],
      ['node:20', `${MIRROR}/docker/library/node:20`],
    ]);
    expect(mirrored.unchanged).toEqual([`\${BASE}`, 'ghcr.io/acme/tools:1']);
  });
});

describe('mirrorBaseImages: ARGs, RUN --mount images, the syntax directive', () => {
  it('rewrites a FROM whose tag is an ARG, and leaves one whose repository is', () => {
    const dockerfile = [
      'ARG NODE_VERSION=22',
      'ARG REGISTRY=ghcr.io/acme',
      `FROM node:\${NODE_VERSION}-slim AS base`,
      `FROM \${REGISTRY}/tools:1 AS tools`,
      '',
    ].join('\n');
    const mirrored = mirrorBaseImages(dockerfile, MIRRORS);
    expect(mirrored.text.split('\n')[2]).toBe(
      `FROM ${MIRROR}/docker/library/node:\${NODE_VERSION}-slim AS base`,
    );
    expect(mirrored.text.split('\n')[3]).toBe(`FROM \${REGISTRY}/tools:1 AS tools`);
    expect(mirrored.unchanged).toEqual([`\${REGISTRY}/tools:1`]);
  });

  it('rewrites RUN --mount from= images (bind and cache, on continuation lines too), not stage names or indexes', () => {
    const dockerfile = [
      'FROM node:22 AS deps',
      'RUN --mount=type=bind,from=python:3.12,source=/usr/local/bin,target=/py \\',
      '    --mount=type=cache,target=/root/.npm,from=deps \\',
      '    --mount=type=bind,from=0,target=/zero \\',
      '    --mount=from=later,target=/later \\',
      '    --mount=type=bind,target=/x,from=ghcr.io/acme/tools:1 \\',
      '    npm ci',
      'FROM debian:bookworm AS later',
      'RUN --mount=type=secret,id=npm cat /run/secrets/npm',
      '',
    ].join('\n');
    const mirrored = mirrorBaseImages(dockerfile, MIRRORS);
    expect(mirrored.text).toBe(
      [
        `FROM ${MIRROR}/docker/library/node:22 AS deps`,
        `RUN --mount=type=bind,from=${MIRROR}/docker/library/python:3.12,source=/usr/local/bin,target=/py \\`,
        '    --mount=type=cache,target=/root/.npm,from=deps \\',
        '    --mount=type=bind,from=0,target=/zero \\',
        '    --mount=from=later,target=/later \\',
        '    --mount=type=bind,target=/x,from=ghcr.io/acme/tools:1 \\',
        '    npm ci',
        `FROM ${MIRROR}/docker/library/debian:bookworm AS later`,
        'RUN --mount=type=secret,id=npm cat /run/secrets/npm',
        '',
      ].join('\n'),
    );
    expect(mirrored.unchanged).toEqual(['ghcr.io/acme/tools:1']);
  });

  it('a COPY --from naming a later stage stays (it is a stage, not an image)', () => {
    const dockerfile = 'FROM node:22 AS app\nCOPY --from=assets /out /out\nFROM nginx:1 AS assets\n';
    const mirrored = mirrorBaseImages(dockerfile, MIRRORS);
    expect(mirrored.text).toContain('COPY --from=assets /out /out');
    expect(mirrored.rewritten.map(([from]) => from)).toEqual(['node:22', 'nginx:1']);
  });

  it('reports the # syntax= frontend, rewritten only when a cache serves it', () => {
    const dockerfile = '# syntax=docker/dockerfile:1\n# check=error=true\nFROM node:22\n';
    const plain = mirrorBaseImages(dockerfile, MIRRORS);
    expect(plain.frontend).toEqual({ image: 'docker/dockerfile:1' });
    expect(plain.text.split('\n')[0]).toBe('# syntax=docker/dockerfile:1');

    const hub = mirrorBaseImages(dockerfile, WITH_HUB);
    expect(hub.frontend).toEqual({ image: 'docker/dockerfile:1', mirrored: `${HUB}/docker/dockerfile:1` });
    expect(hub.text).toBe(
      `# syntax=${HUB}/docker/dockerfile:1\n# check=error=true\nFROM ${MIRROR}/docker/library/node:22\n`,
    );
  });

  it('a syntax= line after the first comment, blank line or instruction is no directive', () => {
    for (const dockerfile of [
      '# a comment\n# syntax=docker/dockerfile:1\nFROM node:22\n',
      '\n# syntax=docker/dockerfile:1\nFROM node:22\n',
      'FROM node:22\n# syntax=docker/dockerfile:1\n',
    ]) {
      expect(mirrorBaseImages(dockerfile, WITH_HUB).frontend).toBeUndefined();
    }
  });

  it('the frontend notice says what is pulled from Docker Hub, why it matters and the two ways out', () => {
    const notice = frontendNotice('docker/dockerfile:1');
    expect(notice).toContain('"# syntax=docker/dockerfile:1"');
    expect(notice).toContain('from Docker Hub, which limits anonymous pulls per address');
    expect(notice).toContain('-c kiln:dockerHubCredentialArn=<secret ARN>');
    expect(notice).toContain("remove the line if the engine's built-in Dockerfile frontend is enough");
    expect(frontendNotice('ghcr.io/acme/frontend:1')).toContain(
      'Dockerfile frontend ghcr.io/acme/frontend:1 is pulled as named',
    );
  });
});

describe('every base image the generator emits has a copy on ECR Public (so CodeBuild never pulls from Docker Hub)', () => {
  // A Record, so a runtime added to base-images.ts without a line here fails to compile.
  const versions: Record<Runtime, string[]> = {
    node: ['18', '20', '22', '24'],
    python: ['3.6', '3.7', '3.12', '3.13'],
    ruby: ['3.1', '3.4'],
    go: ['1.23'],
    debian: [''],
    'lambda-python': ['3.11', '3.13'],
  };
  const images = [
    ...Object.entries(versions).flatMap(([runtime, list]) =>
      list.map((version) => officialImage(runtime as Runtime, version).ref),
    ),
    LAMBDA_WEB_ADAPTER_IMAGE,
  ];
  it.each(images)('%s', (image) => {
    expect(mirroredImage(image, MIRRORS)).toBeDefined();
  });

  const fixtures = join(__dirname, '..', '..', '..', 'fixtures');
  const goldens = readdirSync(fixtures).filter((name) =>
    existsSync(join(fixtures, name, 'Dockerfile.golden')),
  );
  it.each(goldens)('every FROM and COPY --from image of the %s golden is rewritten to the mirror', (name) => {
    const golden = readFileSync(join(fixtures, name, 'Dockerfile.golden'), 'utf8');
    const { unchanged, rewritten } = mirrorBaseImages(golden, MIRRORS);
    // `unchanged` also lists images named through an ARG, which the mirror cannot follow.
    expect(unchanged).toEqual([]);
    expect(rewritten.length).toBeGreaterThan(0);
  });
});
