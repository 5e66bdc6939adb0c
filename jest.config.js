// Three projects: unit (pure, fast), integration (real local servers: s3rver, loopback fakes),
// e2e (real docker engine and registry; started by scripts/e2e/up.sh).
const transform = { '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { target: 'es2022' } }] };
// dist/ holds the built CLI (tests run it as a process), never modules to resolve; its copy of
// package.json would otherwise collide with the real one in jest's module map.
const common = {
  transform,
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  // Fixture apps are data: their package.json names (two are "app") are not modules to map.
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/test/fixtures/', '<rootDir>/test/e2e/fixtures/'],
  setupFiles: ['<rootDir>/test/helpers/sdk-environment.ts'],
  // Every AWS call a test makes must be allowed by the IAM policies the stack ships.
  globalSetup: '<rootDir>/test/helpers/iam/global-setup.ts',
  setupFilesAfterEnv: ['<rootDir>/test/helpers/iam/check-calls.ts'],
};

module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    { ...common, displayName: 'integration', testMatch: ['<rootDir>/test/integration/**/*.test.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.test.ts'] },
  ],
};
