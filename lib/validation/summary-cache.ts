import { createHash } from 'node:crypto';
import {
  closeSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../private/package-root';
import { FileScope, scopeOf } from './change-scope';
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
const FORMAT = 3;

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

/**
 * An entry as stored: its scope parsed, the rest (problems and places, then the other parts) as
 * JSON text or as the bytes read from the file, checked against its checksum and parsed only when
 * asked for (a fleet's cache is tens of MB).
 */
interface Stored {
  /** The file's scope (see {@link FileScope}). */
  scope: FileScope;
  /** SHA-256 (first 32 hex digits) of `head` TAB `rest`. */
  sum: string;
  /**
   * `[problems, places]` TAB the rest of the entry: as text (set in this run), as bytes read from
   * the file and checked, or where it is in the file (not read yet).
   */
  body: string | Buffer | { readonly at: number; readonly length: number };
}

/** Entries read one by one before the whole file is read at once. */
const WHOLE_AFTER = 256;

/** `length` bytes of `path` from byte `at`. */
function readAt(path: string, at: number, length: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const out = Buffer.alloc(length);
    let done = 0;
    while (done < length) {
      const n = readSync(fd, out, done, length - done, at + done);
      if (n === 0) break;
      done += n;
    }
    return done === length ? out : out.subarray(0, done);
  } finally {
    closeSync(fd);
  }
}

const bodySum = (body: string | Buffer) => createHash('sha256').update(body).digest('hex').slice(0, 32);

/**
 * Results of the per-file checks by file content (SHA-256), namespace and library
 * ({@link checksFingerprint}), kept in one file in a folder of the user's choice: a header line
 * (format, fingerprint, size and SHA-256 of the table), a table with one line per entry (key,
 * scope — see {@link FileScope} —, checksum and size of its body), then the bodies. The table is
 * read whole (it is small); a body is checked and parsed only when used. A cache of another
 * library version, edited by hand or corrupted is ignored with a note, never trusted: the whole
 * cache when its table does not match, one entry when its body does not.
 */
export class SummaryCache {
  /** Opens the cache in `dir` (missing: empty): reads its header and table, not its entries. */
  public static open(dir: string, namespace: string): SummaryCache {
    const cache = new SummaryCache(dir, namespace);
    const path = join(dir, SUMMARY_CACHE_FILE);
    let fileSize: number;
    let first: Buffer;
    try {
      fileSize = statSync(path).size;
      first = readAt(path, 0, Math.min(fileSize, 65536));
    } catch {
      return cache; // no cache yet
    }
    const eol = first.indexOf(10);
    let head: { format?: unknown; fingerprint?: unknown; table?: unknown; sha256?: unknown };
    try {
      head = JSON.parse(first.toString('utf8', 0, eol >= 0 ? eol : first.length)) as typeof head;
    } catch {
      cache.note = `note: the validate cache in ${dir} is not valid JSON; ignored`;
      return cache;
    }
    if (head?.format !== FORMAT || head.fingerprint !== checksFingerprint()) {
      cache.note = `note: the validate cache in ${dir} was written by another version of the checks; ignored`;
      return cache;
    }
    const damaged = () => {
      cache.note = `note: the validate cache in ${dir} does not match its checksum (edited or cut short); ignored`;
      return cache;
    };
    const size = head.table;
    if (eol < 0 || typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0 || eol + 1 + size > fileSize)
      return damaged();
    let table: Buffer;
    try {
      table = readAt(path, eol + 1, size);
    } catch {
      return damaged();
    }
    if (createHash('sha256').update(table).digest('hex') !== head.sha256) return damaged();
    const stored = new Map<string, Stored>();
    let at = eol + 1 + size;
    try {
      for (const line of table.toString('utf8').split('\n')) {
        if (line === '') continue;
        const [key, scope, sum, length] = line.split('\t');
        const n = Number(length);
        if (!Number.isSafeInteger(n) || n < 0 || at + n > fileSize) return damaged();
        stored.set(key, { scope: JSON.parse(scope) as FileScope, sum, body: { at, length: n } });
        at += n + 1;
      }
    } catch {
      return damaged();
    }
    if (at !== fileSize) return damaged();
    for (const [k, v] of stored) cache.stored.set(k, v);
    cache.size = fileSize;
    return cache;
  }

  /** Why the cache on disk was not used, when it was not. */
  public note?: string;
  private readonly stored = new Map<string, Stored>();
  private changed = false;
  /** Size of the file the entries are read from; the whole file once many entries are needed. */
  private size = 0;
  private whole?: Buffer;
  private reads = 0;

  private constructor(
    private readonly dir: string,
    private readonly namespace: string,
  ) {}

  /** The bytes of an entry body at a position of the file: read alone, or from the whole file once many are needed. */
  private bytesAt(at: number, length: number): Buffer | undefined {
    const path = join(this.dir, SUMMARY_CACHE_FILE);
    try {
      if (this.whole === undefined && ++this.reads > WHOLE_AFTER) this.whole = readFileSync(path);
      if (this.whole === undefined) return readAt(path, at, length);
      return this.whole.length === this.size ? this.whole.subarray(at, at + length) : undefined;
    } catch {
      return undefined;
    }
  }

  /** The parts of the stored entry of a file with this content, when its body matches its checksum. */
  private entry(digest: string): { head: string; rest: string } | undefined {
    const key = `${this.namespace}/${digest}`;
    const s = this.stored.get(key);
    if (!s) return undefined;
    if (typeof s.body !== 'string' && !Buffer.isBuffer(s.body)) {
      const bytes = this.bytesAt(s.body.at, s.body.length);
      if (bytes && bodySum(bytes) === s.sum) s.body = bytes;
    }
    const body = typeof s.body === 'string' ? s.body : Buffer.isBuffer(s.body) ? s.body.toString('utf8') : '';
    const tab = body.indexOf('\t');
    if (tab < 0) {
      this.note ??= `note: an entry of the validate cache in ${this.dir} does not match its checksum (edited); ignored`;
      this.stored.delete(key);
      // Written again without it, so that the next run does not find it and say so again.
      this.changed = true;
      return undefined;
    }
    return { head: body.slice(0, tab), rest: body.slice(tab + 1) };
  }

  /** The scope of a file with this content (see {@link FileScope}); `undefined` when none. */
  public scope(digest: string): FileScope | undefined {
    return this.stored.get(`${this.namespace}/${digest}`)?.scope;
  }

  /** The cached check of a file with this content, as if of `file`; `undefined` when none. */
  public get(digest: string, file: string): FileCheck | undefined {
    const s = this.entry(digest);
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
    const s = this.entry(digest);
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
    // A checked entry is kept; an unchecked one is replaced only by a checked one.
    const old = this.entry(check.digest);
    if (old && (!check.checked || (JSON.parse(old.rest) as Entry).checked)) return;
    const { file, problems, places, ...rest } = check;
    void file;
    const head = JSON.stringify([problems.map((p) => ({ ...p, file: '' })), places.map((p) => ({ ...p, file: '' }))]);
    const body = `${head}\t${JSON.stringify(rest)}`;
    this.stored.set(key, { scope: scopeOf(check), sum: bodySum(body), body });
    this.changed = true;
  }

  /**
   * Writes the cache, keeping the entries of `used` (the files of this run) so that it does not
   * grow without bound; atomic (a temporary file renamed). Returns a note when it cannot be written.
   */
  public save(used: readonly { readonly digest: string }[]): string | undefined {
    const keep = new Set(used.map((c) => `${this.namespace}/${c.digest}`));
    const table: string[] = [];
    const bodies: (string | Buffer)[] = [];
    let dropped = 0;
    for (const [key, e] of this.stored) {
      if (keep.has(key) || !key.startsWith(`${this.namespace}/`)) {
        const body =
          typeof e.body === 'string' || Buffer.isBuffer(e.body) ? e.body : this.bytesAt(e.body.at, e.body.length);
        // An entry that can no longer be read as it was (the file changed under this run) is dropped.
        if (body === undefined || (typeof e.body !== 'string' && bodySum(body) !== e.sum)) {
          dropped++;
          continue;
        }
        const length = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
        table.push(`${key}\t${JSON.stringify(e.scope)}\t${e.sum}\t${length}\n`);
        bodies.push(body, '\n');
      }
    }
    if (!this.changed && dropped === 0 && table.length === this.stored.size) return undefined;
    const tableBytes = Buffer.from(table.join(''));
    const head = JSON.stringify({
      format: FORMAT,
      fingerprint: checksFingerprint(),
      table: tableBytes.length,
      sha256: createHash('sha256').update(tableBytes).digest('hex'),
    });
    const body = Buffer.concat([
      Buffer.from(`${head}\n`),
      tableBytes,
      ...bodies.map((b) => (typeof b === 'string' ? Buffer.from(b) : b)),
    ]);
    try {
      mkdirSync(this.dir, { recursive: true });
      const tmp = join(this.dir, `.${SUMMARY_CACHE_FILE}.${process.pid}.tmp`);
      writeFileSync(tmp, body);
      renameSync(tmp, join(this.dir, SUMMARY_CACHE_FILE));
    } catch (err) {
      return `note: the validate cache could not be written to ${this.dir} (${(err as NodeJS.ErrnoException).code ?? 'error'})`;
    }
    return undefined;
  }
}
