// A local index of file digests by path and file status (size, modification and change times,
// inode), as git's index keeps them: a file whose status did not change since it was hashed is not
// read again. Content cannot change without the change time (ctime) changing, and ctime cannot be
// set back by a user, so a status match is a proof of the same bytes on the same file system.
// Kept in a cache folder of the user's choice (never in an output folder: it differs per checkout).
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, Stats, writeFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { readText } from './read-text';

/** Name of the index in the cache folder. */
export const FILE_DIGESTS = 'file-digests.tsv';
const FORMAT = 2;

/** size, mtimeMs, ctimeMs, ino, digest (a file's SHA-256; a folder's sorted entry names). */
type Entry = [number, number, number, number, string];

/** A file's SHA-256 and, when it had to be read, its bytes. */
export interface Digest {
  /** The file's SHA-256, hex. */
  readonly digest: string;
  /** The file's size in bytes. */
  readonly size: number;
  /**
   * The bytes, when the file was read to hash it.
   * @default - not read (the digest was known)
   */
  readonly bytes?: Buffer;
}

/**
 * Where file digests and folder listings come from: the index of file digests in a cache folder,
 * or a view that knows them without looking (see `OutputChangeView`).
 */
export interface DigestSource {
  /** The SHA-256 of `file` (with its bytes when they were read); undefined when it is not a readable regular file. */
  digest(file: string): Digest | undefined;
  /** The names in folder `dir`, sorted (`name/` a folder, `name?` neither file nor folder); undefined when it is not a folder. */
  listing(dir: string): string[] | undefined;
  /** Marks `root` as covered by this run: on save, what is known under it and was not seen is dropped. */
  cover(root: string): void;
  /** Writes what was learnt; returns a note when it cannot be written. */
  save(): string | undefined;
}

/**
 * `resolve(path)`, without its cost for a path that is already absolute and normal (what the
 * walks and joins of a fleet's tens of thousands of files give): the key of the index.
 */
export function absolute(path: string): string {
  return sep === '/' && path.startsWith('/') && !/\/\.{0,2}(?:\/|$)/.test(path) ? path : resolve(path);
}

/**
 * `relative(root, file)` for a file a folder walk (`listManifestFiles`) found under `root` (its path starts
 * with the root and a separator), without `relative`'s cost (a fleet has tens of thousands of
 * files); any other path as `relative` makes it.
 */
export function relativeTo(root: string, file: string): string {
  return file.length > root.length + 1 && file.startsWith(root) && file[root.length] === sep && !root.endsWith(sep)
    ? file.slice(root.length + 1)
    : relative(root, file);
}

function statKey(s: Stats): [number, number, number, number] {
  return [s.size, s.mtimeMs, s.ctimeMs, s.ino];
}

function sameStat(e: Entry | undefined, s: Stats): e is Entry {
  return e !== undefined && e[0] === s.size && e[1] === s.mtimeMs && e[2] === s.ctimeMs && e[3] === s.ino;
}

/**
 * Digests of files by path, reused while a file's status is unchanged. Without a folder it keeps
 * nothing between runs (every file is read once per run).
 */
export class FileDigests implements DigestSource {
  /** Opens the index in `dir` (none: an empty index that is never saved). */
  public static open(dir: string | undefined): FileDigests {
    const index = new FileDigests(dir);
    if (dir === undefined) return index;
    // A header line, then `path<TAB>size<TAB>mtimeMs<TAB>ctimeMs<TAB>ino<TAB>digest` lines, split
    // only when looked up (a fleet's index has tens of thousands of lines).
    try {
      const text = readText(join(dir, FILE_DIGESTS));
      const eol = text.indexOf('\n');
      if (eol > 0 && (JSON.parse(text.slice(0, eol)) as { format?: unknown })?.format === FORMAT) {
        for (const line of text.slice(eol + 1).split('\n')) {
          const tab = line.indexOf('\t');
          if (tab > 0) index.entries.set(line.slice(0, tab), line);
        }
      }
    } catch {
      // missing or unreadable: start empty (it only saves reading)
    }
    return index;
  }

  /** Parsed entries, or their line as read. */
  private readonly entries = new Map<string, Entry | string>();
  private readonly roots = new Set<string>();
  private readonly seen = new Set<string>();
  private changed = false;
  /** Files read (their status did not match the index). */
  public reads = 0;

  private constructor(private readonly dir: string | undefined) {}

  /** Marks `root` as covered by this run: on save, entries under it that were not seen are dropped. */
  public cover(root: string): void {
    this.roots.add(resolve(root));
  }

  /** The SHA-256 of `file`; undefined when it is not a readable regular file. */
  public digest(file: string): Digest | undefined {
    const path = absolute(file);
    let stat: Stats;
    try {
      stat = lstatSync(path);
    } catch {
      return undefined;
    }
    if (!stat.isFile()) return undefined;
    this.seen.add(path);
    const e = this.entry(path);
    if (sameStat(e, stat)) return { digest: e[4], size: e[0] };
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch {
      return undefined;
    }
    this.reads++;
    const digest = createHash('sha256').update(bytes).digest('hex');
    // A file changed while it was read has another status now: not recorded.
    try {
      const after = lstatSync(path);
      if (after.size === bytes.length && after.mtimeMs === stat.mtimeMs && after.ctimeMs === stat.ctimeMs) {
        this.entries.set(path, [...statKey(after), digest]);
        this.changed = true;
      }
    } catch {
      // gone: nothing to record
    }
    return { digest, size: bytes.length, bytes };
  }

  /** The names in folder `dir`, sorted (`/` after sub-folders); undefined when it is not a folder. */
  public listing(dir: string): string[] | undefined {
    const path = absolute(dir);
    let stat: Stats;
    try {
      stat = lstatSync(path);
    } catch {
      return undefined;
    }
    if (!stat.isDirectory()) return undefined;
    this.seen.add(path);
    const e = this.entry(path);
    if (sameStat(e, stat)) return e[4] === '' ? [] : e[4].split('\u0000');
    let names: string[];
    try {
      names = readdirSync(path, { withFileTypes: true })
        .map((d) => (d.isDirectory() ? `${d.name}/` : d.isFile() ? d.name : `${d.name}?`))
        .sort();
    } catch {
      return undefined;
    }
    this.entries.set(path, [...statKey(stat), names.join('\u0000')]);
    this.changed = true;
    return names;
  }

  private entry(path: string): Entry | undefined {
    const e = this.entries.get(path);
    if (typeof e !== 'string') return e;
    const f = e.split('\t');
    if (f.length !== 6) return undefined;
    const parsed: Entry = [Number(f[1]), Number(f[2]), Number(f[3]), Number(f[4]), f[5]];
    this.entries.set(path, parsed);
    return parsed;
  }

  /** Records `file` (just written with this digest) so that the next run does not read it. */
  public record(file: string, digest: string): void {
    const path = absolute(file);
    try {
      const stat = lstatSync(path);
      if (!stat.isFile()) return;
      this.entries.set(path, [...statKey(stat), digest]);
      this.seen.add(path);
      this.changed = true;
    } catch {
      // not there: nothing to record
    }
  }

  /** Writes the index (atomically) when it changed; returns a note when it cannot be written. */
  public save(): string | undefined {
    if (this.dir === undefined) return undefined;
    const roots = [...this.roots].map((r) => r + sep);
    for (const path of this.entries.keys()) {
      if (!this.seen.has(path) && roots.some((r) => path.startsWith(r))) {
        this.entries.delete(path);
        this.changed = true;
      }
    }
    if (!this.changed) return undefined;
    try {
      mkdirSync(this.dir, { recursive: true });
      const tmp = join(this.dir, `.${FILE_DIGESTS}.${process.pid}.tmp`);
      const lines = [`${JSON.stringify({ format: FORMAT })}\n`];
      for (const [path, e] of this.entries) {
        // Paths with a tab or a line break are not kept (they would break the layout).
        if (/[\t\n]/.test(path)) continue;
        lines.push(typeof e === 'string' ? `${e}\n` : `${path}\t${e.join('\t')}\n`);
      }
      writeFileSync(tmp, lines.join(''));
      renameSync(tmp, join(this.dir, FILE_DIGESTS));
      this.changed = false;
    } catch (err) {
      return `note: the file digest index could not be written to ${this.dir} (${(err as NodeJS.ErrnoException).code ?? 'error'})`;
    }
    return undefined;
  }
}
