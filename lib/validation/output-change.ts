// A synthesized output folder just after a run replaced some of its entries, seen as two trees
// for `checkFiles({ changedFrom })` and `planFiles`: the output as it is now, and as it was
// before (a path that does not exist: `<outdir>@previous`), made of the entries the run kept
// in place and the previous versions of those it replaced or removed (in the run's backup
// folder). File digests the run knows (every site file, from the synth cache) are answered
// without reading or even a status check; other files are hashed once.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, sep } from 'node:path';
import { absolute, Digest, DigestSource, FileDigests } from '../private/file-digests';

export type { Digest, DigestSource } from '../private/file-digests';

/** What a run says about the output it just wrote (see `PreviousOutputFiles` of the fleet synth). */
export interface OutputChangeFiles {
  /**
   * Folder holding the previous versions of the entries the run replaced or removed.
   * @default - none: the output did not exist before
   */
  readonly backup?: string;
  /** Entries the run added that the previous output did not have. */
  readonly added: readonly string[];
  /** Files now in the output whose digest is known: path relative to the output (`/`-separated), size, SHA-256. */
  readonly files: ReadonlyMap<string, { readonly size: number; readonly digest: string }>;
}

/** Suffix of the path that names the output as it was before the run. */
export const PREVIOUS_SUFFIX = '@previous';

/** The two trees of an output after a run, as a {@link DigestSource}. */
export class OutputChangeView implements DigestSource {
  /** The output folder (absolute). */
  public readonly outdir: string;
  /**
   * The path that names the output as it was before: `<outdir>@previous`, with `outdir` as given
   * (relative stays relative, for messages); it does not exist on disk.
   */
  public readonly previousRoot: string;
  /** {@link previousRoot}, absolute. */
  private readonly previous: string;
  private readonly added: Set<string>;
  private readonly moved: Map<string, string>;
  private readonly known = new Map<string, Digest>();
  private readonly folders = new Map<string, Set<string>>();
  private readonly sorted = new Map<string, string[]>();
  private readonly index = FileDigests.open(undefined);

  constructor(
    outdir: string,
    private readonly change: OutputChangeFiles,
  ) {
    this.outdir = absolute(outdir);
    this.previous = `${this.outdir}${PREVIOUS_SUFFIX}`;
    this.previousRoot = `${outdir.length > 1 ? outdir.replace(/[/\\]+$/, '') : outdir}${PREVIOUS_SUFFIX}`;
    this.added = new Set(change.added);
    // The backup's entries with their listing names (`name/` a folder).
    this.moved = new Map();
    if (change.backup !== undefined) {
      try {
        for (const d of readdirSync(change.backup, { withFileTypes: true })) {
          this.moved.set(d.name, d.isDirectory() ? `${d.name}/` : d.isFile() ? d.name : `${d.name}?`);
        }
      } catch {
        // gone: the previous versions are unknown (the caller checks everything)
      }
    }
    for (const [rel, { size, digest }] of change.files) {
      const parts = rel.split('/');
      this.known.set(join(this.outdir, ...parts), { size, digest });
      // The folders of known files hold exactly the known files (a site folder is as the run
      // wrote it or as the synth cache recorded it); the output folder itself is listed.
      for (let i = 1; i < parts.length; i++) {
        const dir = join(this.outdir, ...parts.slice(0, i));
        let names = this.folders.get(dir);
        if (!names) this.folders.set(dir, (names = new Set()));
        names.add(i === parts.length - 1 ? parts[i] : `${parts[i]}/`);
      }
    }
  }

  /** A path under the previous root as the real path it was read from; undefined when it did not exist. */
  private previousPath(path: string): { real: string; moved: boolean } | undefined {
    if (path === this.previous) return undefined;
    const rel = path.slice(this.previous.length + 1);
    const top = rel.split(sep)[0];
    if (this.moved.has(top)) return { real: join(this.change.backup!, rel), moved: true };
    if (this.added.has(top)) return undefined;
    return { real: join(this.outdir, rel), moved: false };
  }

  private under(path: string, root: string): boolean {
    return path === root || path.startsWith(root + sep);
  }

  /**
   * The digest of a file now in the output (known, else hashed), or of a file of the previous
   * output (`previousRoot/…`): a kept entry's is the same file's; a replaced or removed entry's
   * previous version is read from the backup, and comes with its bytes.
   */
  public digest(file: string): Digest | undefined {
    const path = absolute(file);
    if (this.under(path, this.previous)) {
      const p = this.previousPath(path);
      if (p === undefined) return undefined;
      if (!p.moved) return this.digest(p.real);
      // A previous version: read (its bytes are what the checks and the plan compare).
      let bytes: Buffer;
      try {
        bytes = readFileSync(p.real);
      } catch {
        return undefined;
      }
      return { digest: createHash('sha256').update(bytes).digest('hex'), size: bytes.length, bytes };
    }
    return this.known.get(path) ?? this.index.digest(path);
  }

  /**
   * A folder's entries: a folder of known files lists them (not read); the previous output's
   * root is the output's entries without those the run added, with those it moved to the backup.
   */
  public listing(dir: string): string[] | undefined {
    const path = absolute(dir);
    if (path === this.previous) {
      // Now minus what the run added, plus what it moved away.
      const now = this.listing(this.outdir) ?? [];
      const names = now.filter(
        (n) => !this.added.has(n.replace(/[/?]$/, '')) && !this.moved.has(n.replace(/[/?]$/, '')),
      );
      return [...names, ...this.moved.values()].sort();
    }
    if (this.under(path, this.previous)) {
      const p = this.previousPath(path);
      if (p === undefined) return undefined;
      return p.moved ? this.index.listing(p.real) : this.listing(p.real);
    }
    const names = this.folders.get(path);
    if (names) {
      // Sorted once: both trees list a kept folder, and both checks walk them.
      let list = this.sorted.get(path);
      if (!list) this.sorted.set(path, (list = [...names].sort()));
      return [...list];
    }
    const listed = this.index.listing(path);
    // The backup folder, when it sits inside the output, is not part of it.
    const backup = this.change.backup !== undefined ? absolute(this.change.backup) : undefined;
    if (path === this.outdir && listed && backup !== undefined && dirname(backup) === this.outdir) {
      return listed.filter((n) => n !== `${basename(backup)}/`);
    }
    return listed;
  }

  /** Nothing is kept between runs: nothing to cover. */
  public cover(): void {
    // nothing to cover
  }

  /** Nothing is kept between runs: nothing to save. */
  public save(): string | undefined {
    return undefined;
  }
}
