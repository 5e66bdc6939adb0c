import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  LAMBDA_WEB_ADAPTER_IMAGE,
  officialImage,
  type Runtime,
} from '../../../../runner/dockerfile/base-images';
import { mirrorBaseImages, mirroredImage } from '../../../../runner/ecr/base-image-mirror';

const MIRROR = '123456789012.dkr.ecr.us-east-1.amazonaws.com/kiln-ecr-public';

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
    expect(mirroredImage(ref, MIRROR)).toBe(expected);
  });

  it.each([
    'oven/bun:1', // Docker Hub, not an official image: ECR Public has no copy at a known path
    'ghcr.io/acme/base:1',
    '987654321098.dkr.ecr.eu-west-1.amazonaws.com/private/base:1',
    'localhost:5000/base',
    'registry.example.com:8443/team/base:2',
  ])('%s has no mirror', (ref) => {
    expect(mirroredImage(ref, MIRROR)).toBeUndefined();
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
    const mirrored = mirrorBaseImages(dockerfile, MIRROR);
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
    expect(mirroredImage(image, MIRROR)).toBeDefined();
  });

  const fixtures = join(__dirname, '..', '..', '..', 'fixtures');
  const goldens = readdirSync(fixtures).filter((name) =>
    existsSync(join(fixtures, name, 'Dockerfile.golden')),
  );
  it.each(goldens)('every FROM and COPY --from image of the %s golden is rewritten to the mirror', (name) => {
    const golden = readFileSync(join(fixtures, name, 'Dockerfile.golden'), 'utf8');
    const { unchanged, rewritten } = mirrorBaseImages(golden, MIRROR);
    // `unchanged` also lists images named through an ARG, which the mirror cannot follow.
    expect(unchanged).toEqual([]);
    expect(rewritten.length).toBeGreaterThan(0);
  });
});
