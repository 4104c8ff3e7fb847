import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { describeObject, objectKey, synthUnit } from '../core/singleton';
import { formatIssue, validateManifest, validateManifests } from './schema-validator';
import { findSecretMaterial } from './secret-safety';

/** Constructs that registered their own output validation. */
const validated = new WeakSet<IConstruct>();

/** Apps whose validation keeps the JSON it rendered, by API object (see {@link captureValidatedJson}). */
const captures = new WeakMap<IConstruct, Map<IConstruct, unknown>>();

/**
 * Makes the output validation of `app` keep the JSON it renders of each API object, so that a
 * synthesizer running right after validation can write it without rendering it again. Returns the
 * (live) map from API object to JSON.
 */
export function captureValidatedJson(app: IConstruct): Map<IConstruct, unknown> {
  const root = app.node.root;
  let map = captures.get(root);
  if (!map) captures.set(root, (map = new Map()));
  return map;
}

/** Kubernetes objects embedded in a file (a Butane file, a ConfigMap key) rather than emitted. */
export interface EmbeddedManifests {
  /** Where the objects are written, for messages. */
  readonly path: string;
  /** The objects. */
  readonly objects: readonly object[];
}

/**
 * Registers a synth-time validation on `scope`: every API object under it, and every embedded
 * object `embedded()` returns, must pass its upstream CRD schema (structural and CEL), and no
 * object may carry secret material without an explicit opt-in. `app.synth()` fails otherwise
 * (cdk8s prefixes each message with the construct path). Nested constructs that validate
 * themselves (a worker pool in a cluster) are left to do so, so that each object is rendered and
 * checked once.
 */
export function validateOutput(scope: IConstruct, embedded: () => EmbeddedManifests[] = () => []): void {
  validated.add(scope);
  checkDuplicates(scope);
  scope.node.addValidation({
    validate: () => {
      const errors: string[] = [];
      const objects: unknown[] = [];
      const stack: IConstruct[] = [scope];
      while (stack.length > 0) {
        const c = stack.pop()!;
        if (c !== scope && validated.has(c)) continue;
        stack.push(...[...c.node.children].reverse());
        if (!ApiObject.isApiObject(c)) continue;
        const json = c.toJson();
        captures.get(c.node.root)?.set(c, json);
        objects.push(json);
        for (const issue of validateManifest(json)) {
          errors.push(`[${c.node.path}] ${issue.kind}/${issue.name} '${issue.path || '/'}' ${issue.message}`);
        }
      }
      const all = embedded();
      const inner = all.flatMap((e) => [...e.objects]);
      for (const e of all) {
        errors.push(
          ...validateManifests([...e.objects]).map((issue) => `embedded in ${e.path}: ${formatIssue(issue)}`),
        );
      }
      errors.push(...findSecretMaterial([...objects, ...inner]));
      return errors;
    },
  });
}

/** Synth units that check their objects for duplicates. */
const duplicateChecked = new WeakSet<IConstruct>();

/**
 * Registers, once per synth unit of `scope` (a chart's file, see {@link synthUnit}), a synth-time
 * check that no two API objects in it share group, kind, namespace and name: applied together,
 * the last would silently win. The error names both constructs. Called by
 * {@link validateOutput}; objects that must exist once are shared through `singletonObject`.
 */
export function checkDuplicates(scope: IConstruct): void {
  let unit: IConstruct;
  try {
    unit = synthUnit(scope);
  } catch {
    return; // not in a chart: nothing is synthesized from it
  }
  if (duplicateChecked.has(unit)) return;
  duplicateChecked.add(unit);
  unit.node.addValidation({
    validate: () => {
      const errors: string[] = [];
      const seen = new Map<string, ApiObject>();
      for (const c of unit.node.findAll()) {
        if (!ApiObject.isApiObject(c) || synthUnit(c) !== unit) continue;
        const namespace = c.metadata.namespace;
        const key = objectKey(c.apiVersion, c.kind, namespace, c.name);
        const first = seen.get(key);
        if (!first) {
          seen.set(key, c);
          continue;
        }
        // Rendered only on a match: a JSON patch may have dropped the namespace (cluster-scoped).
        const [a, b] = [first, c].map((o) => (o.toJson() as { metadata?: { namespace?: string } }).metadata);
        if (a?.namespace !== b?.namespace) continue;
        errors.push(
          `[${c.node.path}] ${describeObject(c.kind, b?.namespace, c.name)} is also defined by [${first.node.path}] in the same output (got ${c.apiVersion} and ${first.apiVersion}); applied together the last one wins: define it once, give one of them another name, or put them in charts for different clusters`,
        );
      }
      return errors;
    },
  });
}

/**
 * Validates every cdk8s `ApiObject` under `scope` (itself included) and returns one line per
 * problem, each starting with `[<ApiObject node path>]`. Meant for
 * `this.node.addValidation({ validate: () => validateScope(this) })`, so that `app.synth()` fails
 * on output the API server would refuse.
 */
export function validateScope(scope: IConstruct, options: ValidateScopeOptions = {}): string[] {
  const errors: string[] = [];
  const stack: IConstruct[] = [scope];
  while (stack.length > 0) {
    const construct = stack.pop()!;
    if (construct !== scope && options.skip?.(construct)) continue;
    stack.push(...[...construct.node.children].reverse());
    if (!ApiObject.isApiObject(construct)) continue;
    const where = `[${construct.node.path}]`;
    let json: unknown;
    try {
      json = construct.toJson();
    } catch (err) {
      errors.push(`${where} cannot be rendered: ${err instanceof Error ? err.message : String(err)}`);
      continue;
    }
    for (const issue of validateManifest(json)) {
      errors.push(`${where} ${issue.kind}/${issue.name} '${issue.path || '/'}' ${issue.message}`);
    }
  }
  return errors;
}

/** Options of {@link validateScope}. */
export interface ValidateScopeOptions {
  /**
   * Subtrees to leave out (a construct below `scope` for which this returns true, and all under
   * it), for example parts that validate themselves.
   * @default - nothing is left out
   */
  readonly skip?: (construct: IConstruct) => boolean;
}
