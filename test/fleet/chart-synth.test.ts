import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as fc from 'fast-check';
import { ApiObject, App, Chart, DependencyGraph, Yaml } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { RUNS, SEED } from '../arbitraries';
import { synthLoneChart, dependencyOrder } from '../../lib/fleet/chart-synth';
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

  describe('properties', () => {
    test("dependencyOrder() orders any construct tree with any dependencies as cdk8s's DependencyGraph, cycles included", () => {
      // A tree of constructs (some API objects) and dependencies between any two of them.
      const shape = fc.record({
        parents: fc.array(fc.nat(), { minLength: 1, maxLength: 12 }),
        api: fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
        deps: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 14 }),
      });
      const build = (s: { parents: number[]; api: boolean[]; deps: [number, number][] }) => {
        const chart = new Chart(new App(), 'c');
        const nodes: IConstruct[] = [chart];
        s.parents.forEach((p, i) => {
          const scope = nodes[p % nodes.length];
          nodes.push(
            s.api[i]
              ? new ApiObject(scope, `n${i}`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `n${i}` } })
              : new Construct(scope, `n${i}`),
          );
        });
        for (const [a, b] of s.deps) {
          const from = nodes[1 + (a % (nodes.length - 1))];
          const to = nodes[1 + (b % (nodes.length - 1))];
          if (from !== to) from.node.addDependency(to);
        }
        return chart;
      };
      const outcome = (f: () => IConstruct[]) => {
        try {
          return f().map((c) => c.node.path);
        } catch (err) {
          return (err as Error).message;
        }
      };
      const seen = { cycles: 0, orders: 0 };
      fc.assert(
        fc.property(shape, (s) => {
          const chart = build(s);
          const mine = outcome(() => dependencyOrder(chart.node.findAll()));
          const theirs = outcome(() => new DependencyGraph(chart.node).topology());
          expect(mine).toEqual(theirs);
          seen[typeof theirs === 'string' ? 'cycles' : 'orders']++;
        }),
        { numRuns: RUNS * 5, seed: SEED },
      );
      // both outcomes were exercised
      expect(seen.cycles).toBeGreaterThan(0);
      expect(seen.orders).toBeGreaterThan(0);
    });
  });
});
