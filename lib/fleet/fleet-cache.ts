// The synth cache of an output folder: for each site synthesized, the key of its inputs, the files
// it wrote (with sizes and SHA-256) and its fleet-wide uniqueness claims. An incremental run reuses
// a site whose key is unchanged and whose folder still holds exactly those files; its claims come
// from here, so uniqueness is still checked across the whole fleet.
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { FileDigests } from '../private/file-digests';
import { readText } from '../private/read-text';
import { packageRoot } from '../private/package-root';
import type { FleetClaim, UniqueFact } from './fleet-registry';
import type { SiteDescription } from './site-description';

/** The synth cache, an entry of the output folder owned (and replaced on every run) like the site folders. */
export const FLEET_CACHE = '.cdk8s-baremetal-fleet.cache';

/** Bumped when the layout of the cache changes. */
const FORMAT = 3;
const ABOUT =
  'Written by cdk8s-baremetal synth: what each site was synthesized from, so that the next run rewrites only the sites that changed. Safe to delete (the next run is then a full one).';

/** One file of a site: path relative to the output folder, bytes, SHA-256 (hex). */
export type CachedFile = readonly [path: string, size: number, sha256: string];

/** What the cache holds about one site. */
export interface CachedSite {
  /** Site name (its folder). */
  readonly name: string;
  /** {@link siteKey} of the inputs it was synthesized from. */
  readonly key: string;
  /** Kubernetes objects written. */
  readonly objects: number;
  /** Bytes written. */
  readonly bytes: number;
  /** Its files, all under its folder, sorted by path. */
  readonly files: readonly CachedFile[];
  /** Its claims on fleet-wide unique values, in claim order. */
  readonly claims: readonly FleetClaim[];
  /**
   * Its facts for the fleet report (plain JSON), so that a kept site is in the report too.
   * @default - none: written without the report
   */
  readonly facts?: unknown;
  /**
   * Its report files (diagram, per-site pre-flight files), outside its folder: linked from the
   * previous output when they still match, else drawn again from {@link facts}.
   * @default - none: written without the report
   */
  readonly report?: readonly CachedFile[];
}

/** A file's SHA-256, hex. */
export function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

let libraryPrint: string | undefined;

/**
 * What every site's output depends on besides its inventory entry: this library's name, version
 * and code (every compiled module and generated import, so a rebuilt library never reuses old
 * output), its shipped schemas, and the versions of cdk8s and constructs. Content only (no file
 * times), so that two checkouts of the same version agree.
 */
export function libraryFingerprint(): string {
  if (libraryPrint !== undefined) return libraryPrint;
  const hash = createHash('sha256');
  const root = packageRoot();
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; version: string };
  hash.update(`${manifest.name}@${manifest.version}\n`);
  for (const dep of ['cdk8s', 'constructs']) {
    try {
      hash.update(`${dep}@${(require(`${dep}/package.json`) as { version: string }).version}\n`);
    } catch {
      hash.update(`${dep}@?\n`);
    }
  }
  // The code that runs: lib/ and imports/ next to this module's lib folder (build/ when compiled).
  const libDir = dirname(__dirname);
  const code = (name: string) => /\.(js|ts)$/.test(name) && !name.endsWith('.d.ts');
  walkFiles(libDir, code, hash);
  walkFiles(join(dirname(libDir), 'imports'), code, hash);
  walkFiles(join(root, 'schemas'), () => true, hash);
  libraryPrint = `${manifest.version}:${hash.digest('hex').slice(0, 32)}`;
  return libraryPrint;
}

function walkFiles(dir: string, keep: (name: string) => boolean, hash: ReturnType<typeof createHash>): void {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return;
  }
  for (const name of names) {
    const path = join(dir, name);
    const stat = lstatSync(path);
    if (stat.isDirectory()) walkFiles(path, keep, hash);
    else if (stat.isFile() && keep(name)) {
      hash.update(`${name}\u0000`);
      hash.update(readFileSync(path));
    }
  }
}

/**
 * What a site's output depends on besides its entry: the library, the printer, the kinds module's
 * bytes, and whether the report draws each site (`report`: `none`, `site` or `per-site`).
 */
export function runContext(writer: string, kindsModule: string | undefined, report = 'none'): string {
  let kinds = '';
  if (kindsModule) {
    try {
      kinds = sha256(readFileSync(require.resolve(kindsModule)));
    } catch {
      kinds = `unreadable:${kindsModule}`;
    }
  }
  return `${libraryFingerprint()}\u0000${writer}\u0000${kinds}\u0000${report}`;
}

/**
 * The key of a site's inputs: its inventory entry (where it was read from left out: moving a row
 * changes only error messages, and a reused site never failed) under `context` ({@link runContext}).
 */
export function siteKey(site: SiteDescription, context: string): string {
  const entry: Record<string, unknown> = { ...site };
  delete entry.source;
  // Plain JSON (keys in the order the reader built them): another order only costs a rebuild.
  return sha256(`${context}\u0000${JSON.stringify(entry)}`);
}

/** The line each entry read by {@link parseCache} was read from: a kept site's line is written again as it is. */
const readLines = new WeakMap<CachedSite, string>();

/**
 * Renders the cache: a header line (format, library, number of sites and the SHA-256 of the rest)
 * and one line per site, sorted by name, so that it is the same whichever run wrote it.
 */
export function renderCache(context: string, sites: readonly CachedSite[]): string {
  const lines = [...sites]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map(
      (s) =>
        readLines.get(s) ??
        `${JSON.stringify([
          s.name,
          s.key,
          s.objects,
          s.bytes,
          s.files,
          s.claims.map((c) => [c.fact, c.value, c.where.path, c.where.prop]),
          s.facts ?? null,
          s.report ?? null,
        ])}\n`,
    );
  const body = lines.join('');
  const head = {
    about: ABOUT,
    format: FORMAT,
    context: sha256(context),
    library: context.split('\u0000')[0],
    sites: lines.length,
    sha256: sha256(body),
  };
  return `${JSON.stringify(head)}\n${body}`;
}

/** The cache read back, or why it is not used. */
export type CacheRead =
  | { readonly sites: ReadonlyMap<string, CachedSite>; readonly note?: undefined }
  | { readonly sites?: undefined; readonly note: string };

/**
 * Reads the cache text; a cache of another library, kinds module or printer, one that does not
 * match its checksum (edited by hand, cut short, merged) or that is not what this module writes is
 * refused with the reason, never partly used.
 */
export function parseCache(text: string, context: string): CacheRead {
  const eol = text.indexOf('\n');
  let head: { format?: unknown; context?: unknown; sites?: unknown; sha256?: unknown; library?: unknown };
  try {
    head = JSON.parse(eol < 0 ? text : text.slice(0, eol)) as typeof head;
  } catch {
    return { note: 'is not a cache of this tool' };
  }
  if (head?.format !== FORMAT) return { note: 'has another format' };
  if (head.context !== sha256(context)) {
    return {
      note:
        head.library === context.split('\u0000')[0]
          ? 'was written with another kinds module, writer or report setting'
          : `was written by another version of the library (${JSON.stringify(head.library)})`,
    };
  }
  const body = text.slice(eol + 1);
  if (head.sha256 !== sha256(body)) return { note: 'does not match its checksum (edited, cut short or merged)' };
  const sites = new Map<string, CachedSite>();
  try {
    const lines = body === '' ? [] : body.slice(0, -1).split('\n');
    if (lines.length !== head.sites) return { note: 'does not hold the number of sites it says' };
    for (const line of lines) {
      const [name, key, objects, bytes, files, claims, facts, report] = JSON.parse(line) as [
        string,
        string,
        number,
        number,
        CachedFile[],
        [UniqueFact, string, string, string][],
        unknown,
        CachedFile[] | null,
      ];
      const site: CachedSite = {
        name,
        key,
        objects,
        bytes,
        files,
        claims: claims.map(([fact, value, path, prop]) => ({ fact, value, where: { path, prop } })),
        ...(facts !== null && facts !== undefined ? { facts } : {}),
        ...(Array.isArray(report) ? { report } : {}),
      };
      readLines.set(site, `${line}\n`);
      sites.set(name, site);
    }
  } catch {
    return { note: 'is not a cache of this tool' };
  }
  return { sites };
}

/** The cache entry of a site just synthesized into `outdir` (absolute paths in `files`). */
export function cacheEntry(
  site: { name: string; objects: number; bytes: number; claims: readonly FleetClaim[] },
  key: string,
  outdir: string,
  files: readonly (readonly [path: string, text: string])[],
): CachedSite | undefined {
  const entries: CachedFile[] = [];
  for (const [path, text] of files) {
    const rel = relative(outdir, path).split(sep).join('/');
    // A site that writes outside its own folder cannot be reused folder by folder.
    if (!rel.startsWith(`${site.name}/`)) return undefined;
    entries.push([rel, Buffer.byteLength(text), sha256(text)]);
  }
  entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return { name: site.name, key, objects: site.objects, bytes: site.bytes, files: entries, claims: site.claims };
}

/**
 * Whether the site's folder in `outdir` holds exactly the cached files (no more, no fewer, the
 * same bytes): what an incremental run relies on before it keeps a folder instead of rewriting it.
 * Each file is hashed, or its digest taken from `digests` when its status (size, times, inode)
 * is the one it had when it was hashed.
 */
export function folderMatches(
  outdir: string,
  site: CachedSite,
  digests: FileDigests = FileDigests.open(undefined),
): boolean {
  const wanted = new Map(site.files.map((f) => [f[0], f]));
  let seen = 0;
  const walk = (rel: string): boolean => {
    const names = digests.listing(join(outdir, rel));
    if (!names) return false;
    for (const name of names) {
      if (name.endsWith('/')) {
        if (!walk(`${rel}/${name.slice(0, -1)}`)) return false;
        continue;
      }
      const path = `${rel}/${name}`;
      const file = wanted.get(path);
      if (!file) return false;
      const d = digests.digest(join(outdir, path));
      if (!d || d.size !== file[1] || d.digest !== file[2]) return false;
      seen++;
    }
    return true;
  };
  return walk(site.name) && seen === wanted.size;
}

/** Which sites an incremental run keeps as they are. */
export interface ReusePlan {
  /** {@link siteKey} of each site, in inventory order. */
  readonly keys: readonly string[];
  /** The sites kept (folder and cache entry), by name. */
  readonly reuse: ReadonlyMap<string, CachedSite>;
  /** Whether a cache may be written after this run (site names are unique). */
  readonly cacheable: boolean;
  /** Why the cache was not used, or which folders did not match it; one line. */
  readonly note?: string;
}

/**
 * Reads the cache of the previous output (when it owns one and `full` is not set) and picks the
 * sites whose inputs have the same key and whose folders still hold exactly the cached files.
 */
export function planReuse(
  previous: { readonly outdir: string; readonly owned: readonly string[] },
  sites: readonly SiteDescription[],
  context: string,
  full: boolean,
  digests?: FileDigests,
  needFacts = false,
): ReusePlan {
  const names = sites.map((s) => s?.name);
  const cacheable = names.every((n) => typeof n === 'string' && n !== '') && new Set(names).size === names.length;
  const keys = sites.map((s) => (cacheable ? siteKey(s, context) : ''));
  const reuse = new Map<string, CachedSite>();
  if (full || !cacheable || !previous.owned.includes(FLEET_CACHE)) return { keys, reuse, cacheable };
  const path = join(previous.outdir, FLEET_CACHE);
  let text: string;
  try {
    text = readText(path);
  } catch (err) {
    return {
      keys,
      reuse,
      cacheable,
      note: `note: the synth cache ${path} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}); ignored, every site synthesized`,
    };
  }
  const read = parseCache(text, context);
  if (!read.sites)
    return {
      keys,
      reuse,
      cacheable,
      note: `note: the synth cache ${path} ${read.note}; ignored, every site synthesized`,
    };
  const owned = new Set(previous.owned);
  const edited: string[] = [];
  sites.forEach((site, i) => {
    const cached = read.sites.get(site.name);
    if (!cached || cached.key !== keys[i] || !owned.has(site.name)) return;
    // The report draws every site: a site cached without its facts is synthesized again.
    if (needFacts && cached.facts === undefined) return;
    if (folderMatches(previous.outdir, cached, digests)) reuse.set(site.name, cached);
    else edited.push(site.name);
  });
  const note =
    edited.length > 0
      ? `note: ${edited.length} site folder(s) did not hold what the synth cache says (edited by hand?): synthesized again (${edited.slice(0, 3).join(', ')}${edited.length > 3 ? ', …' : ''})`
      : undefined;
  return { keys, reuse, cacheable, note };
}

/** Records the files of the sites just written in the digest index, so that the next command does not read them. */
export function recordDigests(
  digests: FileDigests,
  outdir: string,
  cache: readonly CachedSite[],
  built: readonly string[],
) {
  const fresh = new Set(built);
  digests.cover(outdir);
  for (const site of cache) {
    // A kept site's report files were linked into the new output: linking changes a file's status
    // (its link count and change time), so they are recorded again, or the next run reads them all.
    for (const [rel, , digest] of site.report ?? []) digests.record(join(outdir, rel), digest);
    if (!fresh.has(site.name)) continue;
    digests.listing(join(outdir, site.name));
    for (const [rel, , digest] of site.files) digests.record(join(outdir, rel), digest);
  }
  digests.save();
}
