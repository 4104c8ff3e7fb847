import { ApiObject, App, Chart, JsonPatch, YamlOutputType } from 'cdk8s';
import { IConstruct } from 'constructs';
import { At, fail } from '../private/errors';

/**
 * The unit of synthesis `scope` belongs to: the file (or folder) that is applied to one cluster.
 * That is the closest Chart, as cdk8s writes one file per chart (an object goes to its closest
 * chart only, nested charts included); the whole App when it writes one file for all charts
 * (`yamlOutputType: FILE_PER_APP`). Charts of one app may go to different clusters, so an
 * object that must exist once per cluster exists once per unit.
 */
export function synthUnit(scope: IConstruct): IConstruct {
  const root = scope.node.root;
  if (root instanceof App && root.yamlOutputType === YamlOutputType.FILE_PER_APP) return root;
  return Chart.of(scope);
}

/** The group of an apiVersion (`config.openshift.io/v1` → `config.openshift.io`; `v1` → core, ''). */
export function apiGroup(apiVersion: string): string {
  const slash = apiVersion.lastIndexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/**
 * The identity of a Kubernetes object as the API server sees it: group, kind, namespace, name
 * (the version does not count: `v1beta1` and `v1` of one group are the same object).
 */
export function objectKey(apiVersion: string, kind: string, namespace: string | undefined, name: string): string {
  return `${apiGroup(apiVersion)}\u0000${kind}\u0000${namespace ?? ''}\u0000${name}`;
}

/** `Kind namespace/name` or `Kind/name`, for messages. */
export function describeObject(kind: string, namespace: string | undefined, name: string): string {
  return namespace ? `${kind} ${namespace}/${name}` : `${kind}/${name}`;
}

/** What one construct needs of an object that must exist once per cluster (or namespace). */
export interface SingletonOptions<T extends ApiObject> {
  /** apiVersion of the object, such as `config.openshift.io/v1`. */
  readonly apiVersion: string;
  /** Kind of the object, such as `Image`. */
  readonly kind: string;
  /** Name of the object. */
  readonly name: string;
  /**
   * Namespace of the object.
   * @default - cluster-scoped
   */
  readonly namespace?: string;
  /**
   * The fields of the object this construct needs, as they are written (`data`, `spec`,
   * `metadata.labels` under `metadata`), apart from apiVersion, kind, name and namespace.
   */
  readonly content: Record<string, unknown>;
  /**
   * How a second construct's content combines with the first: `merge` (maps merge key by key; a
   * key both give must have the same value) or `equal` (the whole content must be the same).
   * @default 'merge'
   */
  readonly strategy?: 'merge' | 'equal';
  /**
   * Combines two different values of one key (its path, such as `['data', 'ca-bundle.crt']`);
   * returns undefined when they conflict.
   * @default - different values conflict
   */
  readonly combine?: (path: readonly string[], first: unknown, second: unknown) => unknown;
  /** What to do about a conflict, the end of its message. */
  readonly fix: string;
  /**
   * Defines the object, for the first construct that needs it; its JSON must hold `content`.
   * Later contributions are merged into it with JSON patches.
   */
  readonly define: () => T;
}

interface Entry {
  readonly object: ApiObject;
  readonly first: At;
  readonly content: Record<string, unknown>;
  readonly strategy: 'merge' | 'equal';
}

const registries = new WeakMap<IConstruct, Map<string, Entry>>();

/**
 * The one object of its group, kind, namespace and name in the synth unit of `scope` (see
 * {@link synthUnit}): the first construct that asks defines it; a later one merges its content
 * into it (maps merge key by key) and gets the same object. Content that contradicts what is
 * already there (another value for one key, or with `strategy: 'equal'` any difference) is an
 * error naming both constructs. `where` names the asking construct and prop in messages.
 */
export function singletonObject<T extends ApiObject>(scope: IConstruct, where: At, options: SingletonOptions<T>): T {
  const unit = synthUnit(scope);
  let registry = registries.get(unit);
  if (!registry) registries.set(unit, (registry = new Map()));
  const key = objectKey(options.apiVersion, options.kind, options.namespace, options.name);
  const strategy = options.strategy ?? 'merge';
  const entry = registry.get(key);
  if (!entry) {
    const object = options.define();
    registry.set(key, { object, first: where, content: clone(options.content), strategy });
    return object;
  }
  const what = `the one ${describeObject(options.kind, options.namespace, options.name)} of ${unit.node.path || 'the app'}`;
  const conflict = (path: readonly string[], value: unknown): never =>
    fail(
      where,
      `needs ${path.length > 0 ? `'${path.join('.')}'` : 'content'} in ${what} that [${entry.first.path}] '${entry.first.prop}' already set otherwise`,
      value,
      options.fix,
    );
  if (strategy === 'equal' || entry.strategy === 'equal') {
    const path = firstDifference(entry.content, options.content, []);
    if (path) conflict(path, valueAt(options.content, path));
    return entry.object as T;
  }
  const patches: JsonPatch[] = [];
  mergeInto(entry.content, options.content, [], patches, options.combine, conflict);
  for (const p of patches) entry.object.addJsonPatch(p);
  return entry.object as T;
}

function isMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

function pointer(path: readonly string[]): string {
  return `/${path.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;
}

function mergeInto(
  target: Record<string, unknown>,
  source: Record<string, unknown>,
  path: string[],
  patches: JsonPatch[],
  combine: SingletonOptions<ApiObject>['combine'],
  conflict: (path: readonly string[], value: unknown) => never,
): void {
  for (const [k, v] of Object.entries(source)) {
    const here = [...path, k];
    if (!(k in target)) {
      target[k] = clone(v);
      patches.push(JsonPatch.add(pointer(here), clone(v)));
      continue;
    }
    const existing = target[k];
    if (isMap(existing) && isMap(v)) {
      mergeInto(existing, v, here, patches, combine, conflict);
      continue;
    }
    if (deepEqual(existing, v)) continue;
    const combined = combine?.(here, existing, v);
    if (combined === undefined) conflict(here, v);
    target[k] = combined;
    patches.push(JsonPatch.replace(pointer(here), clone(combined)));
  }
}

function firstDifference(a: unknown, b: unknown, path: string[]): string[] | undefined {
  if (isMap(a) && isMap(b)) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const d = firstDifference(a[k], b[k], [...path, k]);
      if (d) return d;
    }
    return undefined;
  }
  return deepEqual(a, b) ? undefined : path;
}

function valueAt(v: unknown, path: readonly string[]): unknown {
  let cur = v;
  for (const k of path) cur = isMap(cur) ? cur[k] : undefined;
  return cur;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isMap(a) && isMap(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  return false;
}
