import { IConstruct } from 'constructs';
import { formatIssue, validateManifests, validateScope } from './schema-validator';

/** Constructs that registered their own output validation. */
const validated = new WeakSet<IConstruct>();

/** Kubernetes objects embedded in a file (a Butane file, a ConfigMap key) rather than emitted. */
export interface EmbeddedManifests {
  /** Where the objects are written, for messages. */
  readonly path: string;
  /** The objects. */
  readonly objects: readonly object[];
}

/**
 * Registers a synth-time validation on `scope`: every API object under it, and every embedded
 * object `embedded()` returns, must pass its upstream CRD schema. `app.synth()` fails otherwise
 * (cdk8s prefixes each message with the construct path).
 */
export function validateOutput(scope: IConstruct, embedded: () => EmbeddedManifests[] = () => []): void {
  validated.add(scope);
  scope.node.addValidation({
    validate: () => [
      // Nested constructs that validate themselves (a worker pool in a cluster) are left to do so,
      // so that each object is checked, and each problem reported, once.
      ...validateScope(scope, { skip: (c) => validated.has(c) }),
      ...embedded().flatMap((e) =>
        validateManifests([...e.objects]).map((issue) => `embedded in ${e.path}: ${formatIssue(issue)}`),
      ),
    ],
  });
}
