import { ApiObject, Chart } from 'cdk8s';
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

  const objects = dependencyOrder(chart.node.findAll()).filter(
    (c): c is ApiObject => c instanceof ApiObject && Chart.of(c) === chart,
  );
  const docs = objects.map((o) => (rendered.has(o) ? rendered.get(o) : o.toJson()));
  rendered.clear();
  return docs;
}

function apiObjectsOf(scope: IConstruct, chart: Chart): ApiObject[] {
  return scope.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject && Chart.of(c) === chart);
}

interface Vertex {
  readonly value?: IConstruct;
  readonly children: Set<Vertex>;
  readonly parents: Set<Vertex>;
}

/**
 * `new DependencyGraph(chart.node).topology()` of cdk8s 2.x, vertex for vertex: the same
 * dependency-first depth-first order and the same cycle error, keyed by construct rather than by
 * path string (cdk8s builds a path for every construct of the chart, a tenth of its synthesis).
 * `constructs` is `chart.node.findAll()`.
 */
export function dependencyOrder(constructs: readonly IConstruct[]): IConstruct[] {
  const vertices = new Map<IConstruct, Vertex>();
  for (const c of constructs) vertices.set(c, { value: c, children: new Set(), parents: new Set() });
  for (const source of constructs) {
    for (const target of source.node.dependencies) {
      const to = vertices.get(target);
      if (to) addChild(vertices.get(source)!, to); // dependencies outside the chart are left out
    }
  }
  const root: Vertex = { children: new Set(), parents: new Set() };
  // The root is nobody's child, so these edges cannot close a cycle: no route search (cdk8s
  // searches every orphan's descendants for the root, a full walk each).
  for (const v of vertices.values()) {
    if (v.parents.size === 0) {
      root.children.add(v);
      v.parents.add(root);
    }
  }

  const found = new Set<Vertex>();
  const order: IConstruct[] = [];
  const visit = (n: Vertex): void => {
    for (const c of n.children) visit(c);
    if (!found.has(n)) {
      found.add(n);
      if (n.value) order.push(n.value);
    }
  };
  visit(root);
  return order;
}

function addChild(parent: Vertex, child: Vertex): void {
  const cycle = route(child, parent);
  if (cycle.length !== 0) {
    cycle.push(child);
    const path = cycle.flatMap((v) => (v.value ? [v.value.node.path] : [])).join(' => ');
    throw new Error(`Dependency cycle detected: ${path}`);
  }
  parent.children.add(child);
  child.parents.add(parent);
}

/** cdk8s's `findRoute`: the path from `from` to `to` along children, or empty. */
function route(from: Vertex, to: Vertex): Vertex[] {
  const path: Vertex[] = [];
  const visit = (n: Vertex): boolean => {
    path.push(n);
    let found = false;
    for (const c of n.children) {
      if (c === to) {
        path.push(c);
        return true;
      }
      found = visit(c);
    }
    if (!found) path.pop();
    return found;
  };
  visit(from);
  return path;
}
