// jest globalTeardown: removes the run's temporary folder made by tmpdir-setup.js.
const { rmSync } = require('node:fs');

module.exports = async function teardown() {
  const root = process.env.CDK8S_BAREMETAL_JEST_TMPDIR;
  if (root) rmSync(root, { recursive: true, force: true });
};
