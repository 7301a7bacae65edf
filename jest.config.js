/**
 * One jest run = one Temporal dev server on free ports + one fresh PostgreSQL database +
 * one workflow bundle, all made in global setup and torn down after (test/support).
 */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.(t|j)sx?$': ['@swc/jest'] },
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 60_000,
  // Two cores: two test files at a time keeps Temporal and PostgreSQL responsive.
  maxWorkers: 2,
};
