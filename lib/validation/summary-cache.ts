import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../private/package-root';
import type { FileCheck } from './check-files';

/** Name of the cache file in the cache folder. */
export const SUMMARY_CACHE_FILE = 'validate-summaries.json';

/** Bumped when the layout of an entry changes. */
const FORMAT = 1;

let fingerprintOf: string | undefined;

/**
 * What the checks depend on besides a file's bytes: the library version and the code and schemas
 * of the checks (a rebuilt library with new checks never reuses old results).
 */
export function checksFingerprint(): string {
  if (fingerprintOf !== undefined) return fingerprintOf;
  const hash = createHash('sha256');
  const root = packageRoot();
  hash.update(readFileSync(join(root, 'package.json')));
  for (const name of readdirSync(__dirname).sort()) {
    hash.update(name);
    hash.update(readFileSync(join(__dirname, name)));
  }
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const stat = statSync(path);
      if (stat.isDirectory()) walk(path);
      else hash.update(`${path}\u0000${stat.size}\u0000${stat.mtimeMs}`);
    }
  };
  walk(join(root, 'schemas'));
  fingerprintOf = hash.digest('hex');
  return fingerprintOf;
}

type Entry = Omit<FileCheck, 'file'>;

interface CacheFile {
  readonly format: number;
  readonly fingerprint: string;
  /** SHA-256 of `JSON.stringify(entries)`: a cache edited by hand or cut short is not trusted. */
  readonly checksum: string;
  readonly entries: Record<string, Entry>;
}

/**
 * Results of the per-file checks by file content (SHA-256), namespace and library
 * ({@link checksFingerprint}), kept in one JSON file in a folder of the user's choice. A cache of
 * another library version, edited by hand or corrupted is ignored with a note, never trusted.
 */
export class SummaryCache {
  /** Opens the cache in `dir` (missing: empty). */
  public static open(dir: string, namespace: string): SummaryCache {
    const cache = new SummaryCache(dir, namespace);
    let text: string;
    try {
      text = readFileSync(join(dir, SUMMARY_CACHE_FILE), 'utf8');
    } catch {
      return cache; // no cache yet
    }
    // The entries are the text after `"entries":` up to the closing brace: their checksum is taken on that text.
    const at = text.indexOf(',"entries":');
    const body = at >= 0 && text.endsWith('}') ? text.slice(at + ',"entries":'.length, -1) : undefined;
    try {
      const head = JSON.parse(at >= 0 ? `${text.slice(0, at)}}` : text) as Omit<CacheFile, 'entries'>;
      if (head.format !== FORMAT || head.fingerprint !== checksFingerprint()) {
        cache.note = `note: the validate cache in ${dir} was written by another version of the checks; ignored`;
      } else if (body === undefined || createHash('sha256').update(body).digest('hex') !== head.checksum) {
        cache.note = `note: the validate cache in ${dir} does not match its checksum (edited or cut short); ignored`;
      } else {
        for (const [key, entry] of Object.entries(JSON.parse(body) as Record<string, Entry>))
          cache.entries.set(key, entry);
      }
    } catch {
      cache.note = `note: the validate cache in ${dir} is not valid JSON; ignored`;
    }
    return cache;
  }

  /** Why the cache on disk was not used, when it was not. */
  public note?: string;
  private readonly entries = new Map<string, Entry>();
  private changed = false;

  private constructor(
    private readonly dir: string,
    private readonly namespace: string,
  ) {}

  /** The cached check of a file with this content, as if of `file`; `undefined` when none. */
  public get(digest: string, file: string): FileCheck | undefined {
    const e = this.entries.get(`${this.namespace}/${digest}`);
    if (!e) return undefined;
    return {
      ...e,
      file,
      problems: e.problems.map((p) => ({ ...p, file })),
      places: e.places.map((p) => ({ ...p, file })),
    };
  }

  /** Remembers `check` (of a file checked with its own ConfigMap references only). */
  public set(check: FileCheck): void {
    if (check.digest === '') return;
    const key = `${this.namespace}/${check.digest}`;
    const old = this.entries.get(key);
    if (old && (old.checked || !check.checked)) return;
    const { file, ...entry } = check;
    void file;
    this.entries.set(key, {
      ...entry,
      problems: entry.problems.map((p) => ({ ...p, file: '' })),
      places: entry.places.map((p) => ({ ...p, file: '' })),
    });
    this.changed = true;
  }

  /**
   * Writes the cache, keeping the entries of `used` (the files of this run) so that it does not
   * grow without bound; atomic (a temporary file renamed). Returns a note when it cannot be written.
   */
  public save(used: readonly FileCheck[]): string | undefined {
    const keep = new Set(used.map((c) => `${this.namespace}/${c.digest}`));
    const entries: Record<string, Entry> = {};
    for (const [key, e] of this.entries) if (keep.has(key) || !key.startsWith(`${this.namespace}/`)) entries[key] = e;
    if (!this.changed && Object.keys(entries).length === this.entries.size) return undefined;
    const body = JSON.stringify(entries);
    const head = JSON.stringify({
      format: FORMAT,
      fingerprint: checksFingerprint(),
      checksum: createHash('sha256').update(body).digest('hex'),
    });
    try {
      mkdirSync(this.dir, { recursive: true });
      const tmp = join(this.dir, `.${SUMMARY_CACHE_FILE}.${process.pid}.tmp`);
      writeFileSync(tmp, `${head.slice(0, -1)},"entries":${body}}`);
      renameSync(tmp, join(this.dir, SUMMARY_CACHE_FILE));
    } catch (err) {
      return `note: the validate cache could not be written to ${this.dir} (${(err as NodeJS.ErrnoException).code ?? 'error'})`;
    }
    return undefined;
  }
}
