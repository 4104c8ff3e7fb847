import { stringify } from 'smol-toml';
import { At, child, fail } from '../private/errors';

/** `pull-from-mirror` values of a `[[registry.mirror]]`. */
export type PullFromMirror = 'all' | 'digest-only' | 'tag-only';

/** One `[[registry.mirror]]` of a `[[registry]]`. */
export interface RegistriesConfMirror {
  /** Where the mirror lives: `host[:port][/path]`, no scheme. */
  readonly location: string;
  /**
   * Allow plain HTTP and unverified TLS for this mirror.
   * @default false
   */
  readonly insecure?: boolean;
  /**
   * Which pulls use this mirror. Not allowed together with the registry's `mirrorByDigestOnly`.
   * @default 'all'
   */
  readonly pullFromMirror?: PullFromMirror;
}

/** One `[[registry]]` table. */
export interface RegistriesConfRegistry {
  /**
   * Which image names the entry applies to. `''` is written as in OpenShift's and Assisted
   * Service's own files and means "the same as `location`".
   * @default ''
   */
  readonly prefix?: string;
  /** Where the prefix-rooted namespace really lives: `host[:port][/path]`, no scheme. */
  readonly location: string;
  /**
   * Allow plain HTTP and unverified TLS.
   * @default false
   */
  readonly insecure?: boolean;
  /**
   * Refuse pulls that match.
   * @default false
   */
  readonly blocked?: boolean;
  /**
   * Use the mirrors only for pulls by digest.
   * @default false
   */
  readonly mirrorByDigestOnly?: boolean;
  /**
   * Mirrors, tried in order before `location`.
   * @default - none
   */
  readonly mirrors?: RegistriesConfMirror[];
}

/** The subset of `containers-registries.conf(5)` (version 2) this library writes. */
export interface RegistriesConf {
  /**
   * Registries (`host[:port]`, no path) tried in order for short names such as `ubi9`.
   * @default - none
   */
  readonly unqualifiedSearchRegistries?: string[];
  /** The `[[registry]]` tables, in order. */
  readonly registries: RegistriesConfRegistry[];
}

const PULL_FROM_MIRROR: readonly PullFromMirror[] = ['all', 'digest-only', 'tag-only'];
const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

/**
 * Renders `conf` as `registries.conf` version 2 TOML (with the `smol-toml` writer, so quoting is
 * always right), after checking the rules containers/image enforces when it loads the file:
 * no URL schemes, `mirror-by-digest-only` not combined with `pull-from-mirror`, known
 * `pull-from-mirror` values, entries with the same location agreeing on `insecure` and
 * `blocked`, and no duplicate prefixes (the first would win silently).
 */
export function renderRegistriesConf(
  conf: RegistriesConf,
  where: At = { path: 'renderRegistriesConf', prop: 'conf' },
): string {
  const doc: Record<string, unknown> = {};
  if (conf.unqualifiedSearchRegistries && conf.unqualifiedSearchRegistries.length > 0) {
    conf.unqualifiedSearchRegistries.forEach((r, i) => {
      if (r.includes('/') || SCHEME.test(r)) {
        fail(
          child(child(where, 'unqualifiedSearchRegistries'), i),
          'is not host[:port]',
          r,
          'give a registry host without scheme or path',
        );
      }
    });
    doc['unqualified-search-registries'] = [...conf.unqualifiedSearchRegistries];
  }
  const byLocation = new Map<string, RegistriesConfRegistry>();
  const prefixes = new Set<string>();
  const registries = conf.registries.map((r, i) => {
    const w = child(child(where, 'registries'), i);
    if (!r.location && !r.prefix)
      fail(w, 'has neither prefix nor location', r, 'give the location of the registry or repository');
    for (const [key, value] of [
      ['location', r.location],
      ['prefix', r.prefix ?? ''],
    ] as const) {
      if (SCHEME.test(value)) fail(child(w, key), 'carries a URL scheme', value, 'write host[:port][/path] only');
    }
    const prefix = r.prefix || r.location;
    if (prefixes.has(prefix))
      fail(
        child(w, 'prefix'),
        'is used by an earlier entry',
        prefix,
        'merge the entries: the first one would win and the others be ignored',
      );
    prefixes.add(prefix);
    const same = byLocation.get(r.location);
    if (same && (!!same.insecure !== !!r.insecure || !!same.blocked !== !!r.blocked)) {
      fail(
        w,
        'disagrees on insecure or blocked with an entry of the same location',
        r.location,
        'use the same settings for every entry of a location',
      );
    }
    byLocation.set(r.location, r);
    const table: Record<string, unknown> = { prefix: r.prefix ?? '', location: r.location };
    if (r.insecure) table.insecure = true;
    if (r.blocked) table.blocked = true;
    if (r.mirrorByDigestOnly) table['mirror-by-digest-only'] = true;
    if (r.mirrors && r.mirrors.length > 0) {
      table.mirror = r.mirrors.map((m, j) => {
        const mw = child(child(w, 'mirrors'), j);
        if (!m.location || SCHEME.test(m.location))
          fail(
            child(mw, 'location'),
            'is not host[:port][/path]',
            m.location,
            'write the mirror location without scheme',
          );
        if (m.pullFromMirror !== undefined && !PULL_FROM_MIRROR.includes(m.pullFromMirror)) {
          fail(
            child(mw, 'pullFromMirror'),
            'is not a pull-from-mirror value',
            m.pullFromMirror,
            `use one of ${PULL_FROM_MIRROR.join(', ')}`,
          );
        }
        if (m.pullFromMirror !== undefined && r.mirrorByDigestOnly) {
          fail(
            child(mw, 'pullFromMirror'),
            'cannot be combined with mirrorByDigestOnly',
            m.pullFromMirror,
            'use one of the two',
          );
        }
        const mirror: Record<string, unknown> = { location: m.location };
        if (m.insecure) mirror.insecure = true;
        if (m.pullFromMirror !== undefined) mirror['pull-from-mirror'] = m.pullFromMirror;
        return mirror;
      });
    }
    return table;
  });
  if (registries.length > 0) doc.registry = registries;
  return stringify(doc).replace(/\n*$/, '\n');
}
