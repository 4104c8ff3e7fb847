// Jest configuration for mutation testing (`npm run mutate`, see stryker.config.mjs): the same
// transform as jest.config.js, but only the test files that mirror the mutated source files, so a
// mutant of lib/net/cidr.ts is judged by test/net/cidr.test.ts alone. scripts/mutate.mjs passes
// the list in MUTATE_TESTS (comma-separated, relative to the repository root).
const base = require('./jest.config.js');

const tests = (process.env.MUTATE_TESTS ?? '')
  .split(',')
  .map((t) => t.trim())
  .filter((t) => t.length > 0);
if (tests.length === 0) {
  throw new Error('jest.mutate.config.js: MUTATE_TESTS is empty; run mutation tests through `npm run mutate`');
}

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  testMatch: tests.map((t) => `<rootDir>/${t}`),
};
