import { ApiObject, Chart, DependencyGraph } from 'cdk8s';
import { IConstruct } from 'constructs';
import { captureValidatedJson } from '../validation/construct-validation';

/**
 * `chart.toJson()` for a chart that is the only chart of its app, rendering each API object once.
 *
 * It takes the steps of cdk8s's `App._synthChart` (cdk8s 2.x) in the same order: construct
 * dependencies become API-object dependencies, every construct of the app is validated (one
 * error lists them all, as `app.synth()` words it), and the chart's objects come out in
 * dependency order. cdk8s's path renders every object twice when this library's output
 * validation has already rendered it; here the validated JSON is written. An app with other
 * charts is handed to `chart.toJson()` itself.
 */
export function synthLoneChart(chart: Chart): unknown[] {
  const app = chart.node.root;
  const all = app.node.findAll();
  if (all.some((c) => c !== chart && Chart.isChart(c))) return chart.toJson();

  // Construct-level dependencies become dependencies between the API objects under them.
  const deps = all.flatMap((source) => source.node.dependencies.map((target) => ({ source, target })));
  for (const { source, target } of deps) {
    const targets = apiObjectsOf(target, chart);
    for (const from of apiObjectsOf(source, chart)) {
      for (const to of targets) if (to !== from) from.node.addDependency(to);
    }
  }

  const rendered = captureValidatedJson(app);
  rendered.clear();
  const errors: string[] = [];
  for (const c of all) {
    for (const error of c.node.validate()) errors.push(`[${c.node.path}] ${error}`);
  }
  if (errors.length > 0) throw new Error(`Validation failed with the following errors:\n  ${errors.join('\n  ')}`);

  const objects = new DependencyGraph(chart.node)
    .topology()
    .filter((c): c is ApiObject => c instanceof ApiObject && Chart.of(c) === chart);
  const docs = objects.map((o) => (rendered.has(o) ? rendered.get(o) : o.toJson()));
  rendered.clear();
  return docs;
}

function apiObjectsOf(scope: IConstruct, chart: Chart): ApiObject[] {
  return scope.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject && Chart.of(c) === chart);
}
