import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../private/package-root';
import type { ObjectPlace } from './check-manifests';
import type { ManifestProblem } from './load-manifests';

/**
 * What the checks of a set of files keep of one file: its problems found on its own, and compact
 * summaries of its objects for the checks across files (duplicates, references). The parsed
 * objects themselves are dropped as soon as the file is checked.
 */
export interface FileCheck {
  /** The file. */
  readonly file: string;
  /** SHA-256 of its bytes, hex (`''` when it cannot be read). */
  readonly digest: string;
  /** Kubernetes objects in it. */
  readonly objects: number;
  /** Whether the checks of each object on its own ran (else `problems` holds only read and YAML problems). */
  readonly checked: boolean;
  /** Read, YAML and per-object problems (schema, CEL, embedded, MetalLB, secrets), in file order. */
  readonly problems: ManifestProblem[];
  /** Where each object is written, for the duplicate check. */
  readonly places: ObjectPlace[];
  /** {@link referenceView} of each object, for the reference check. */
  readonly views: unknown[];
  /** `namespace/name` of the ConfigMaps its objects use as manifests (AgentClusterInstall, NodePool). */
  readonly manifestMaps: string[];
  /** `namespace/name` of the ConfigMaps in it. */
  readonly configMaps: string[];
}

/** Name of the cache file in the cache folder. */
export const SUMMARY_CACHE_FILE = 'validate-summaries.json';

/** Bumped when the layout of an entry changes. */
const FORMAT = 2;

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
/** What `plan` needs of a file the same on both sides: its read and YAML problems and where its objects are. */
export type FilePlaces = Pick<FileCheck, 'file' | 'digest' | 'problems' | 'places'>;

/** An entry as stored: its two parts' JSON, parsed when asked for (a fleet's cache is tens of MB). */
interface Stored {
  /** `[problems, places]`. */
  head: string;
  /** The rest of the entry. */
  rest: string;
}

/**
 * Results of the per-file checks by file content (SHA-256), namespace and library
 * ({@link checksFingerprint}), kept in one file in a folder of the user's choice: a header line
 * (format, fingerprint, SHA-256 of the rest) and one line per entry, parsed only when used. A
 * cache of another library version, edited by hand or corrupted is ignored with a note, never
 * trusted.
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
    const eol = text.indexOf('\n');
    let head: { format?: unknown; fingerprint?: unknown; checksum?: unknown };
    try {
      head = JSON.parse(eol >= 0 ? text.slice(0, eol) : text) as typeof head;
    } catch {
      cache.note = `note: the validate cache in ${dir} is not valid JSON; ignored`;
      return cache;
    }
    const body = eol >= 0 ? text.slice(eol + 1) : '';
    if (head?.format !== FORMAT || head.fingerprint !== checksFingerprint()) {
      cache.note = `note: the validate cache in ${dir} was written by another version of the checks; ignored`;
    } else if (createHash('sha256').update(body).digest('hex') !== head.checksum) {
      cache.note = `note: the validate cache in ${dir} does not match its checksum (edited or cut short); ignored`;
    } else {
      for (const line of body.split('\n')) {
        if (line === '') continue;
        const a = line.indexOf('\t');
        const b = line.indexOf('\t', a + 1);
        cache.stored.set(line.slice(0, a), { head: line.slice(a + 1, b), rest: line.slice(b + 1) });
      }
    }
    return cache;
  }

  /** Why the cache on disk was not used, when it was not. */
  public note?: string;
  private readonly stored = new Map<string, Stored>();
  private changed = false;

  private constructor(
    private readonly dir: string,
    private readonly namespace: string,
  ) {}

  /** The cached check of a file with this content, as if of `file`; `undefined` when none. */
  public get(digest: string, file: string): FileCheck | undefined {
    const s = this.stored.get(`${this.namespace}/${digest}`);
    if (!s) return undefined;
    const [problems, places] = JSON.parse(s.head) as [FileCheck['problems'], FileCheck['places']];
    const rest = JSON.parse(s.rest) as Omit<Entry, 'problems' | 'places'>;
    return {
      ...rest,
      file,
      problems: problems.map((p) => ({ ...p, file })),
      places: places.map((p) => ({ ...p, file })),
    };
  }

  /** Only the problems and places of a file with this content (what `plan` needs); `undefined` when none. */
  public places(digest: string, file: string): FilePlaces | undefined {
    const s = this.stored.get(`${this.namespace}/${digest}`);
    if (!s) return undefined;
    const [problems, places] = JSON.parse(s.head) as [FileCheck['problems'], FileCheck['places']];
    return {
      file,
      digest,
      problems: problems.map((p) => ({ ...p, file })),
      places: places.map((p) => ({ ...p, file })),
    };
  }

  /** Remembers `check` (of a file checked with its own ConfigMap references only). */
  public set(check: FileCheck): void {
    if (check.digest === '') return;
    const key = `${this.namespace}/${check.digest}`;
    const old = this.stored.get(key);
    if (old && (JSON.parse(old.rest) as Entry).checked) return;
    if (old && !check.checked) return;
    const { file, problems, places, ...rest } = check;
    void file;
    this.stored.set(key, {
      head: JSON.stringify([problems.map((p) => ({ ...p, file: '' })), places.map((p) => ({ ...p, file: '' }))]),
      rest: JSON.stringify(rest),
    });
    this.changed = true;
  }

  /**
   * Writes the cache, keeping the entries of `used` (the files of this run) so that it does not
   * grow without bound; atomic (a temporary file renamed). Returns a note when it cannot be written.
   */
  public save(used: readonly { readonly digest: string }[]): string | undefined {
    const keep = new Set(used.map((c) => `${this.namespace}/${c.digest}`));
    const lines: string[] = [];
    for (const [key, e] of this.stored) {
      if (keep.has(key) || !key.startsWith(`${this.namespace}/`)) lines.push(`${key}\t${e.head}\t${e.rest}\n`);
    }
    if (!this.changed && lines.length === this.stored.size) return undefined;
    const body = lines.join('');
    const head = JSON.stringify({
      format: FORMAT,
      fingerprint: checksFingerprint(),
      checksum: createHash('sha256').update(body).digest('hex'),
    });
    try {
      mkdirSync(this.dir, { recursive: true });
      const tmp = join(this.dir, `.${SUMMARY_CACHE_FILE}.${process.pid}.tmp`);
      writeFileSync(tmp, `${head}\n${body}`);
      renameSync(tmp, join(this.dir, SUMMARY_CACHE_FILE));
    } catch (err) {
      return `note: the validate cache could not be written to ${this.dir} (${(err as NodeJS.ErrnoException).code ?? 'error'})`;
    }
    return undefined;
  }
}
