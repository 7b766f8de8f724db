/**
 * End-to-end tests of the built API over HTTP: a real PostgreSQL (DATABASE_URL, else an
 * embedded server started once in globalSetup), a real SMTP listener in the test process,
 * and `node dist/apps/api/main.js` in a child process per test file, on its own database.
 */
module.exports = {
  displayName: 'api-e2e',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  globalSetup: '<rootDir>/src/support/global-setup.ts',
  globalTeardown: '<rootDir>/src/support/global-teardown.ts',
  testMatch: ['<rootDir>/src/**/*.e2e-spec.ts'],
  transform: {
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
  moduleFileExtensions: ['ts', 'js'],
  testTimeout: 120_000,
};
