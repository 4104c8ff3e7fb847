/**
 * Objects that exist outside a checked set of manifests, declared as `Kind/name` or
 * `Kind/namespace/name`, where each part may hold the wildcards `*` (any run of characters, also
 * none) and `?` (one character): `Secret/*-bmc`, `Secret/site-*\/bmc-*`. A pattern matches a whole
 * part, never across a `/`. `Kind/name` matches the name in any namespace (and a cluster-scoped
 * target); `Kind/namespace/name` only in a matching namespace.
 */
export class ExternalPatterns {
  /** Why `pattern` is not a valid declaration, or `undefined` when it is. */
  public static problemOf(pattern: string): string | undefined {
    const parts = pattern.split('/');
    if (parts.length < 2 || parts.length > 3 || parts.some((p) => p === '')) {
      return `'${pattern}' is not Kind/name or Kind/namespace/name (each part may use * and ?)`;
    }
    return undefined;
  }

  /** Declarations without wildcards, by `kind` and name: `[pattern, namespace or undefined]`. */
  private readonly exact = new Map<string, [string, string | undefined][]>();
  private readonly globs: { pattern: string; kind: RegExp; namespace?: RegExp; name: RegExp }[] = [];
  private readonly used = new Set<string>();

  /** @throws Error when a pattern is not `Kind/name` or `Kind/namespace/name` */
  constructor(private readonly patterns: readonly string[] = []) {
    for (const pattern of patterns) {
      const problem = ExternalPatterns.problemOf(pattern);
      if (problem !== undefined) throw new Error(`'external' ${problem}; for example Secret/*-bmc`);
      if (!/[*?]/.test(pattern)) {
        const parts = pattern.split('/');
        const key = `${parts[0]}\u0000${parts[parts.length - 1]}`;
        const entries = this.exact.get(key) ?? [];
        entries.push([pattern, parts.length === 3 ? parts[1] : undefined]);
        this.exact.set(key, entries);
        continue;
      }
      const parts = pattern.split('/').map(globToRegExp);
      this.globs.push(
        parts.length === 3
          ? { pattern, kind: parts[0], namespace: parts[1], name: parts[2] }
          : { pattern, kind: parts[0], name: parts[1] },
      );
    }
  }

  /**
   * Whether an object of `kind` named `name` in `namespace` is declared external (`undefined`: a
   * cluster-scoped object; `'*'` with `anyNamespace`: whatever namespace the declaration names).
   * Remembers the declarations that matched, for {@link unused}.
   */
  public matches(kind: string, namespace: string | undefined, name: unknown, anyNamespace = false): boolean {
    const n = String(name);
    let found = false;
    const ns = namespace ?? '';
    for (const [pattern, patternNs] of this.exact.get(`${kind}\u0000${n}`) ?? []) {
      if (patternNs !== undefined && !anyNamespace && patternNs !== ns) continue;
      this.used.add(pattern);
      found = true;
    }
    for (const g of this.globs) {
      if (!g.kind.test(kind) || !g.name.test(n)) continue;
      if (g.namespace && !anyNamespace && !g.namespace.test(ns)) continue;
      this.used.add(g.pattern);
      found = true;
    }
    return found;
  }

  /** The declarations that matched no reference so far, in the order given (a typo, or a stale entry). */
  public unused(): string[] {
    return [...new Set(this.patterns)].filter((p) => !this.used.has(p));
  }
}

/** An anchored regular expression for one part of a pattern: `*` any run, `?` one character, the rest literal. */
function globToRegExp(part: string): RegExp {
  const body = part
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '[^/]*')
    .replace(/\?/g, '[^/]');
  return new RegExp(`^${body}$`, 's');
}
