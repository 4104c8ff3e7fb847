// jest globalTeardown: removes the run's temporary folder made by tmpdir-setup.js.
const { rmSync } = require('node:fs');

module.exports = async function teardown() {
  const root = process.env.CDK8S_BAREMETAL_JEST_TMPDIR;
  if (root) rmSync(root, { recursive: true, force: true });
  const previous = process.env.CDK8S_BAREMETAL_JEST_PREVIOUS_TMPDIR;
  if (previous !== undefined) {
    if (previous) process.env.TMPDIR = previous;
    else delete process.env.TMPDIR;
    delete process.env.CDK8S_BAREMETAL_JEST_PREVIOUS_TMPDIR;
    delete process.env.CDK8S_BAREMETAL_JEST_TMPDIR;
  }
};
