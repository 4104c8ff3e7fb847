import { ImageReference, RegistryHost } from './image-reference';
import { At, child, expectArray, expectObject, expectOptionalBoolean, fail } from '../private/errors';

/** One repository prefix served from the mirror registry. */
export interface RegistryMirror {
  /**
   * Repository prefix that images are pulled by: a registry host and an optional path, no tag
   * or digest, for example `quay.io/openshift-release-dev/ocp-release` or `docker.io`.
   */
  readonly source: string;
  /**
   * Where the source's content lives in the mirror registry: a path in it
   * (`openshift/release-images`) or the full location starting with the registry
   * (`registry.example.com:5000/openshift/release-images`). Every mirror lives in the one
   * registry of the {@link AirgapRegistryMirror}.
   * @default - the source's path in the mirror registry (`<registry>/<source path>`), which is
   *   where oc-mirror v2 pushes it
   */
  readonly mirror?: string;
  /**
   * Use the mirror only for pulls by digest (OpenShift release payloads and operator bundles are
   * pulled by digest). `false` also mirrors pulls by tag, which needs an `ImageTagMirrorSet`.
   * Every mirror of one source must agree.
   * @default true
   */
  readonly pullByDigestOnly?: boolean;
  /**
   * Never fall back to the source (`mirrorSourcePolicy: NeverContactSource` in the
   * ImageDigestMirrorSet / ImageTagMirrorSet). Only those two objects can express it; the
   * other formats keep the source as a last resort. Every mirror of one source must agree.
   * @default false
   */
  readonly neverContactSource?: boolean;
}

/** A mirrored source with its mirrors, in the order given. */
export interface MirrorRule {
  /** The repository prefix that images are pulled by. */
  readonly source: ImageReference;
  /** Where it is mirrored, in order of preference. */
  readonly mirrors: readonly ImageReference[];
  /** Whether only pulls by digest use the mirrors. */
  readonly pullByDigestOnly: boolean;
  /** Whether the source must never be contacted. */
  readonly neverContactSource: boolean;
}

/**
 * The mirror rules of one registry: which sources are mirrored where, read and checked from the
 * `mirrors` prop of {@link AirgapRegistryMirror}, and the way back from a mirrored reference to its
 * source.
 */
export class MirrorRules {
  /** Mirrored repository → the source repository it was rebased from; null when two sources clash. */
  private readonly mirroredFrom = new Map<string, { mirror: ImageReference; source: ImageReference } | null>();

  private constructor(
    /** The mirror registry. */
    public readonly registry: RegistryHost,
    /** The mirrored sources, each with its mirrors, in the order first given. */
    public readonly rules: readonly MirrorRule[],
  ) {}

  /**
   * Reads the `mirrors` prop: every source a repository prefix outside `registry`, every mirror in
   * `registry`; the mirrors of one source agree on `pullByDigestOnly` and `neverContactSource`.
   */
  public static parse(value: unknown, registry: RegistryHost, where: At): MirrorRules {
    return new MirrorRules(registry, MirrorRules.read(value, registry, where));
  }

  private static read(value: unknown, registry: RegistryHost, where: At): MirrorRule[] {
    const list =
      value === undefined ? [] : expectArray<RegistryMirror>(value, where, 'pass a list of { source, mirror }');
    const rules = new Map<string, { rule: MirrorRule; index: number; mirrors: ImageReference[]; at: number[] }>();
    list.forEach((m, i) => {
      const w = child(where, i);
      expectObject(m, w, 'pass { source, mirror }');
      const source = ImageReference.parseRepository(m.source, child(w, 'source'));
      if (source.registry.equals(registry)) {
        fail(
          child(w, 'source'),
          'is in the mirror registry itself',
          m.source,
          'a source is where images come from; list repositories of other registries',
        );
      }
      const mirror = MirrorRules.mirrorLocation(m.mirror, source, registry, child(w, 'mirror'));
      const pullByDigestOnly = expectOptionalBoolean(m.pullByDigestOnly, child(w, 'pullByDigestOnly')) ?? true;
      const neverContactSource = expectOptionalBoolean(m.neverContactSource, child(w, 'neverContactSource')) ?? false;
      const seen = rules.get(source.repository);
      if (!seen) {
        const mirrors = [mirror];
        rules.set(source.repository, {
          rule: { source, mirrors, pullByDigestOnly, neverContactSource },
          index: i,
          mirrors,
          at: [i],
        });
        return;
      }
      if (seen.rule.pullByDigestOnly !== pullByDigestOnly) {
        fail(
          child(w, 'pullByDigestOnly'),
          `conflicts with mirrors[${seen.index}] for the same source ${source.repository}`,
          pullByDigestOnly,
          'a source is mirrored either for digests only or for tags too; give all its mirrors the same pullByDigestOnly',
        );
      }
      if (seen.rule.neverContactSource !== neverContactSource) {
        fail(
          child(w, 'neverContactSource'),
          `conflicts with mirrors[${seen.index}] for the same source ${source.repository}`,
          neverContactSource,
          'OpenShift refuses one source with two source policies; give all its mirrors the same neverContactSource',
        );
      }
      const dup = seen.mirrors.findIndex((x) => x.equals(mirror));
      if (dup >= 0) {
        fail(
          child(w, 'mirror'),
          `repeats mirrors[${seen.at[dup]}]`,
          mirror.toString(),
          'list each mirror of a source once',
        );
      }
      seen.mirrors.push(mirror);
      seen.at.push(i);
    });
    return [...rules.values()].map((r) => r.rule);
  }

  private static mirrorLocation(value: unknown, source: ImageReference, host: RegistryHost, where: At): ImageReference {
    const registry = host.toString();
    if (value === undefined) {
      return ImageReference.parseRepository(source.path ? `${registry}/${source.path}` : registry, where);
    }
    if (typeof value === 'string' && (value === registry || value.startsWith(`${registry}/`))) {
      return ImageReference.parseRepository(value, where);
    }
    const s = typeof value === 'string' ? value : '';
    const first = s.split('/')[0];
    if (typeof value === 'string' && /[.:]|^localhost$|^\[/.test(first)) {
      fail(
        where,
        `is not in the mirror registry ${registry}`,
        value,
        `every mirror lives in ${registry} (the RKE2 provider keeps one registry credentials entry, so a second registry's credentials would be lost): write a path such as "${source.path || 'mirror'}" or start with "${registry}/"`,
      );
    }
    if (typeof value !== 'string' || s === '' || s.startsWith('/')) {
      fail(where, 'is not a path in the mirror registry', value, `write a path such as "${source.path || 'mirror'}"`);
    }
    return ImageReference.parseRepository(`${registry}/${s}`, where);
  }

  /**
   * Where a reference in the mirror registry was mirrored from (the inverse of
   * `AirgapRegistryMirror.mirroredReference`); unchanged when no mirror path covers it.
   *
   * A reference this mirror rebased itself (the charts of air-gapped clusters) maps back to the
   * source it came from. Any other is traced through the rule with the longest mirror path that
   * covers it and, when several mirror to the same path (seed §42.9 puts both
   * `registry.suse.com/edge/charts` and `docker.io` at the registry's root), the longest source
   * prefix: the specific rule was written for what lies there. Refused when that still leaves two
   * sources.
   */
  public sourceReference(ref: ImageReference, where: At): ImageReference {
    if (!ref.registry.equals(this.registry)) return ref;
    const known = this.mirroredFrom.get(ref.repository);
    if (known) return ref.rebase(known.mirror, known.source);
    let best: { rule: MirrorRule; mirror: ImageReference } | undefined;
    let tied: MirrorRule | undefined;
    for (const rule of this.rules) {
      for (const mirror of rule.mirrors) {
        if (!mirror.covers(ref)) continue;
        const order = best
          ? mirror.path.length - best.mirror.path.length || rule.source.path.length - best.rule.source.path.length
          : 1;
        if (order > 0) [best, tied] = [{ rule, mirror }, undefined];
        else if (order === 0 && rule !== best!.rule) tied = rule;
      }
    }
    if (best && tied) {
      fail(
        where,
        `mirrors both ${best.rule.source.repository} and ${tied.source.repository} to ${best.mirror.repository}, so ${ref.repository} cannot be traced back to one source`,
        ref.toString(),
        `give one of the two its own mirror path in ${this.registry}, or a longer source prefix`,
      );
    }
    return best ? ref.rebase(best.mirror, best.rule.source) : ref;
  }

  /** Records that `mirrored` is `source` rebased, for {@link sourceReference}; a clash forgets it. */
  public remember(mirrored: ImageReference, source: ImageReference): void {
    const key = mirrored.repository;
    const entry = {
      mirror: ImageReference.parseRepository(key),
      source: ImageReference.parseRepository(source.repository),
    };
    const seen = this.mirroredFrom.get(key);
    if (seen === undefined) this.mirroredFrom.set(key, entry);
    else if (seen !== null && !seen.source.equals(entry.source)) this.mirroredFrom.set(key, null);
  }

  /** The rule whose source covers `ref` with the longest path, if any. */
  public ruleFor(ref: ImageReference): MirrorRule | undefined {
    let best: MirrorRule | undefined;
    for (const r of this.rules) {
      if (r.source.covers(ref) && (!best || r.source.path.length > best.source.path.length)) best = r;
    }
    return best;
  }
}
