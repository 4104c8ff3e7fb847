// Mutation testing of the checking core (issue 21). Run it through `npm run mutate`
// (scripts/mutate.mjs), which picks the mutated files and the test files that mirror them;
// see docs/development.md (Mutation testing). Survivors judged equivalent are listed, with the reason, in
// stryker-equivalent-mutants.md next to this file.

/** The checking core: the rules that keep a bad site away from the controllers. */
export const CORE = [
  'lib/net/**/*.ts',
  'lib/telco/**/*.ts',
  'lib/registry/**/*.ts',
  'lib/validation/**/*.ts',
  'lib/fleet/inventory.ts',
  'lib/fleet/inventory-draft.ts',
  'lib/fleet/yaml-inventory.ts',
  'lib/fleet/fleet-registry.ts',
  'lib/metal3/bmc.ts',
  'lib/clusters/**/*.ts',
];

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  mutate: CORE,
  testRunner: 'jest',
  jest: {
    projectType: 'custom',
    configFile: 'jest.mutate.config.js',
    // Only test files that import the mutated file run for a mutant.
    enableFindRelatedTests: true,
  },
  // Per-test coverage: a mutant runs only the tests that reach it.
  coverageAnalysis: 'perTest',
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.mutate.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  // The machine is shared: one test runner, one checker.
  concurrency: 1,
  // Reuse earlier results for unchanged code and tests (the file is a local cache, gitignored).
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  reporters: ['clear-text', 'progress-append-only', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
  thresholds: { high: 90, low: 80, break: null },
  timeoutMS: 10000,
  // Only what the tests and the checker read goes into the sandbox.
  ignorePatterns: ['/coverage', '/cdk8s.out', '/reports', '/docs', '/.stryker-tmp'],
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
