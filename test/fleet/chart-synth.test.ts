import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ApiObject, App, Chart, Yaml } from 'cdk8s';
import { synthLoneChart } from '../../lib/fleet/chart-synth';
import { buildSite } from '../../lib/fleet/site-description';
import { loadInventory } from '../../lib/fleet/inventory';

const root = join(__dirname, '..', '..');
const examples = readdirSync(join(root, 'examples')).filter((d) => existsSync(join(root, 'examples', d, 'main.ts')));

/** Builds an example; its charts. */
function charts(example: string): Chart[] {
  const { build } = require(join(root, 'examples', example, 'main.ts')) as { build: (app: App) => Chart | Chart[] };
  const app = new App();
  const out = build(app);
  return Array.isArray(out) ? out : [out];
}

describe('synthLoneChart', () => {
  test.each(examples)('GIVEN example %s THEN the documents are exactly those of chart.toJson()', (example) => {
    const mine = charts(example);
    const theirs = charts(example);
    mine.forEach((chart, i) => {
      expect(Yaml.stringify(...synthLoneChart(chart))).toBe(Yaml.stringify(...theirs[i].toJson()));
    });
  });

  test('GIVEN construct dependencies THEN objects come out in dependency order, as cdk8s orders them', () => {
    const build = () => {
      const chart = new Chart(new App(), 'c');
      const a = new ApiObject(chart, 'a', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } });
      const group = new Chart(chart, 'inner');
      void group; // a nested chart: handed to cdk8s as is
      const b = new ApiObject(chart, 'b', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b' } });
      a.node.addDependency(b);
      return chart;
    };
    expect(synthLoneChart(build())).toEqual(build().toJson());
    const lone = new Chart(new App(), 'c');
    const wrapper = new ApiObject(lone, 'a', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } });
    const b = new ApiObject(lone, 'b', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b' } });
    wrapper.node.addDependency(b);
    expect(synthLoneChart(lone).map((d) => (d as { metadata: { name: string } }).metadata.name)).toEqual(['b', 'a']);
  });

  test('GIVEN a failing validation THEN the error reads as cdk8s words it', () => {
    const build = () => {
      const chart = new Chart(new App(), 'c');
      chart.node.addValidation({ validate: () => ['first problem', 'second problem'] });
      return chart;
    };
    expect(() => synthLoneChart(build())).toThrow(
      'Validation failed with the following errors:\n  [c] first problem\n  [c] second problem',
    );
    expect(() => build().toJson()).toThrow('Validation failed with the following errors:\n  [c] first problem');
  });

  test('GIVEN generated sites THEN the output matches chart.toJson() too', () => {
    const sites = loadInventory([join(root, 'examples', 'fleet-inventory', 'sites.csv')]).slice(0, 8);
    for (const site of sites) {
      expect(synthLoneChart(buildSite(new App(), site))).toEqual(buildSite(new App(), site).toJson());
    }
  });
});
