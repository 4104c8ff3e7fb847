// jest globalSetup: every temporary folder of the run (mkdtemp in tests, cdk8s's Testing.app()
// output folders) goes under one folder of its own, removed by tmpdir-teardown.js, so that test
// runs never pile folders up in the machine's /tmp (property tests make thousands of apps).
const { mkdtempSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

module.exports = async function setup() {
  const root = mkdtempSync(join(tmpdir(), 'cdk8s-baremetal-jest-'));
  // Runs that share a process (jest's runCLI, as the mutation test runner uses it) get TMPDIR
  // back from the teardown, so that the next run does not make its folder in a removed one.
  process.env.CDK8S_BAREMETAL_JEST_PREVIOUS_TMPDIR = process.env.TMPDIR ?? '';
  process.env.CDK8S_BAREMETAL_JEST_TMPDIR = root;
  process.env.TMPDIR = root; // os.tmpdir() reads it on every call, in the test workers too
};
