/**
 * Two jest projects:
 * - `unit` (test/unit): pure tests, no Temporal, no PostgreSQL; `npm run test:unit` runs them in seconds.
 * - `services` (everything else): one Temporal dev server on free ports + one fresh PostgreSQL
 *   database + one workflow bundle, made in the project's global setup and torn down after
 *   (test/support). Jest runs a project's globalSetup only when the run selects at least one of
 *   its test files, so a run of unit tests alone starts nothing.
 */
const shared = {
  testEnvironment: 'node',
  rootDir: __dirname,
  transform: { '^.+\\.(t|j)sx?$': ['@swc/jest'] },
};

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    { ...shared, displayName: 'unit', roots: ['<rootDir>/test/unit'], testMatch: ['**/*.test.ts'] },
    {
      ...shared,
      displayName: 'services',
      roots: ['<rootDir>/test'],
      testMatch: ['**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/unit/'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
  testTimeout: 60_000,
  // Two cores: two test files at a time keeps Temporal and PostgreSQL responsive.
  maxWorkers: 2,
};
