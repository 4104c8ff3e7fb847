// What a change to a set of manifest files touches: the namespaces and cluster-scoped objects of
// the files that changed (both versions), so that `validate --changed` and `plan` re-run the checks
// across objects (duplicates, references, host selectors) only where the change can alter their
// result, and read nothing of the other files but a compact scope kept in the summary cache.
import type { ObjectPlace } from './check-manifests';
import type { ManifestProblem } from './load-manifests';
import { DEFAULT_NAMESPACE, effectiveNamespace } from './object-identity';
import { crossesNamespaces } from './references';

/** Where a file's objects live, in a form small enough to keep for every file of a fleet. */
export interface FileScope {
  /** Namespaces of its namespaced objects, sorted, each once. */
  readonly namespaces: readonly string[];
  /** Identities (see `objectIdentity`) of its cluster-scoped objects, in file order. */
  readonly cluster: readonly string[];
  /**
   * Whether one of its objects has references that may leave its namespace (see
   * `crossesNamespaces`) or names ConfigMaps as manifests: its set of files is then checked
   * across objects as a whole.
   */
  readonly wide: boolean;
  /** Whether reading or parsing it gave problems (`read`, `yaml`). */
  readonly broken: boolean;
  /** Kubernetes objects in it. */
  readonly objects: number;
}

/** What {@link scopeOf} reads of a file's check (a `FileCheck`). */
export interface ScopedCheck {
  /** Kubernetes objects in the file. */
  readonly objects: number;
  /** Its problems (only `read` and `yaml` ones matter here). */
  readonly problems: readonly ManifestProblem[];
  /** Where each object is written, with its identity. */
  readonly places: readonly ObjectPlace[];
  /** Each object's `referenceView`. */
  readonly views: readonly unknown[];
  /** ConfigMaps its objects name as manifests. */
  readonly manifestMaps: readonly string[];
}

/** The namespace part of an object identity (`group\0kind\0namespace\0name`); `''` for a cluster-scoped object. */
export function identityNamespace(identity: string): string {
  const a = identity.indexOf('\u0000');
  const b = identity.indexOf('\u0000', a + 1);
  const c = identity.indexOf('\u0000', b + 1);
  return a < 0 || b < 0 || c < 0 ? '' : identity.slice(b + 1, c);
}

/** The scope of a checked file. */
export function scopeOf(check: ScopedCheck): FileScope {
  const namespaces = new Set<string>();
  const cluster: string[] = [];
  for (const p of check.places) {
    const ns = identityNamespace(p.identity);
    if (ns === '') cluster.push(p.identity);
    else namespaces.add(ns);
  }
  return {
    namespaces: [...namespaces].sort(),
    cluster,
    wide: check.manifestMaps.length > 0 || check.views.some(crossesNamespaces),
    broken: check.problems.some((p) => p.check === 'read' || p.check === 'yaml'),
    objects: check.objects,
  };
}

/**
 * The namespaces and cluster-scoped identities a change touches: those of the files that changed,
 * in their old and new versions, and of the files that were removed or added.
 */
export class ChangeScope {
  private readonly namespaces = new Set<string>();
  private readonly cluster = new Set<string>();

  /** @param changed the scopes of the changed files, old and new versions, and of added and removed files */
  public constructor(changed: Iterable<FileScope>) {
    for (const s of changed) {
      for (const ns of s.namespaces) this.namespaces.add(ns);
      for (const id of s.cluster) this.cluster.add(id);
    }
  }

  /** Whether a file with this scope holds an object the change touches (so its summary is needed). */
  public touches(scope: FileScope): boolean {
    return scope.namespaces.some((ns) => this.namespaces.has(ns)) || scope.cluster.some((id) => this.cluster.has(id));
  }

  /** Whether the duplicate check needs this place: an object in a touched namespace, or a touched cluster-scoped one. */
  public keepsPlace(place: ObjectPlace): boolean {
    const ns = identityNamespace(place.identity);
    return ns === '' ? this.cluster.has(place.identity) : this.namespaces.has(ns);
  }

  /** Whether the reference check needs this object view: one in a touched namespace. */
  public keepsView(view: unknown, namespace: string = DEFAULT_NAMESPACE): boolean {
    if (view === null || typeof view !== 'object' || Array.isArray(view)) return false;
    const ns = effectiveNamespace(view, namespace);
    return ns !== undefined && this.namespaces.has(ns);
  }
}
