/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // Type checking is done once by `tsc` in `npm test`; jest only transpiles. The CEL evaluator
  // ships as ES modules only, so jest (CommonJS) transpiles it too; Node itself loads it natively.
  transform: {
    '^.+\\.ts$': ['ts-jest', { diagnostics: false }],
    '^.+/@marcbachmann/cel-js/.+\\.js$': [
      'ts-jest',
      { diagnostics: false, tsconfig: { allowJs: true, module: 'commonjs' } },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!@marcbachmann/cel-js/)'],
  testTimeout: 60000,
  // One temporary folder per run, removed afterwards (see the two files).
  globalSetup: '<rootDir>/test/tmpdir-setup.js',
  globalTeardown: '<rootDir>/test/tmpdir-teardown.js',
};
