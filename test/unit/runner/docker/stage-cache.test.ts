import { cacheRefPrefix, planStageCache } from '../../../../runner/docker/stage-cache';

const PREFIX = cacheRefPrefix('reg.example/kiln', 'shop', 'x86_64');

describe('per-stage registry cache', () => {
  it('one cache ref prefix per project and architecture', () => {
    expect(PREFIX).toBe('reg.example/kiln:cache-shop-x86_64');
    expect(cacheRefPrefix('reg.example/kiln', 'shop', 'arm64')).not.toBe(PREFIX);
  });

  it('caches the deps stage (the install) and the final image; base is inside deps already', () => {
    const dockerfile = [
      'FROM node:22 AS base',
      'WORKDIR /app',
      'FROM base AS deps',
      'RUN npm ci',
      'FROM deps AS build',
      'ARG AWS_SECRET_ACCESS_KEY',
      'RUN npm run build',
      'FROM base AS deployment',
      'COPY --from=build /app /app',
    ].join('\n');
    expect(planStageCache(dockerfile, PREFIX)).toEqual({
      stages: [{ name: 'deps', ref: `${PREFIX}-deps` }],
      finalRef: `${PREFIX}-final`,
      refs: [`${PREFIX}-deps`, `${PREFIX}-final`],
    });
  });

  it('never pushes a stage that declares an ARG: its history would hold the value', () => {
    const dockerfile = [
      'FROM node:22 AS deps',
      'ARG NPM_TOKEN',
      'RUN npm ci',
      'FROM deps AS build',
      'RUN x',
      'FROM node:22',
      'COPY --from=build /a /a',
    ].join('\n');
    expect(planStageCache(dockerfile, PREFIX).stages).toEqual([{ name: 'build', ref: `${PREFIX}-build` }]);
  });

  it('a Dockerfile of one stage: only the final image', () => {
    expect(planStageCache('FROM node:22\nRUN npm ci\n', PREFIX).stages).toEqual([]);
  });
});
