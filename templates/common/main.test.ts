import { Testing } from 'cdk8s';
import { build } from './main';

// The reviewed manifests of this site. A change of main.ts that changes them fails here until
// `npm test -- -u` records the new ones: review the diff of __snapshots__/ like any other change.
test('the site synthesizes to the reviewed manifests', () => {
  const app = Testing.app();
  const charts = [build(app)].flat();
  expect(charts.map((chart) => Testing.synth(chart))).toMatchSnapshot();
});
