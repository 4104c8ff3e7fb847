import { lstatSync, readdirSync, readFileSync, readlinkSync, realpathSync, Stats, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { At, child, expectObject, expectOptionalBoolean, expectString, fail } from '../private/errors';
import { validateAbsolutePath } from '../private/node-path';
import { IgnitionDirectoryOptions, IgnitionFileOptions, IgnitionLinkOptions } from './ignition-config-options';

/** Options of {@link IgnitionFiles.fromDirectory}. */
export interface IgnitionFilesFromDirectoryOptions {
  /**
   * Where the folder's root lands on the node: `/` for a fake root, or a folder such as
   * `/usr/local` for a build tree.
   * @default '/'
   */
  readonly target?: string;
  /**
   * What to do with a symbolic link: `'keep'` writes an Ignition link with the same target;
   * `'dereference'` writes what it points to (a file, or a folder's contents) at the link's path,
   * resolving targets inside the tree as the node would: an absolute target is a node path (so,
   * with `target: '/usr/local'`, `/usr/local/lib/x` is the tree's `lib/x`), and a target outside
   * the tree is an error. A MachineConfig needs `'dereference'`: the Machine Config Operator
   * refuses links.
   * @default 'keep'
   */
  readonly symlinks?: 'keep' | 'dereference';
  /**
   * Permission bits: `'preserve'` keeps each file's and folder's bits (setuid, setgid and sticky
   * included); `'normalize'` writes 0755 for folders and for files with any execute bit, 0644 for
   * other files, which is all a git checkout reliably keeps (checkouts apply the umask, so a
   * file committed as 0644 may come out as 0664).
   * @default 'preserve'
   */
  readonly modes?: 'preserve' | 'normalize';
  /**
   * Permission bits for some node paths, applied after `modes`, for example
   * `{ '/etc/kvc/simple-kmod.conf': 0o600 }`. Every path must be a file or folder of the tree.
   * @default - none
   */
  readonly modeOverrides?: { readonly [path: string]: number };
  /**
   * Write an Ignition directory entry (mode and owner) for every folder below the root. Without
   * entries Ignition still creates the parents of files (root-owned, 0755), but empty folders are
   * not created. A MachineConfig must leave this off: the Machine Config Operator refuses
   * directory entries.
   * @default false
   */
  readonly directories?: boolean;
  /**
   * Keep each node's numeric owner and group. Off by default because a checkout or build tree
   * belongs to whoever made it, which would make the output depend on the machine; nodes are
   * then owned by root.
   * @default false
   */
  readonly preserveOwners?: boolean;
  /**
   * Replace files and links that exist on the node.
   * @default true
   */
  readonly overwrite?: boolean;
}

const FACTORY = 'IgnitionFiles.fromDirectory';
const MAX_LINK_HOPS = 40;

/**
 * The files, folders and links of a directory tree, ready for an {@link IgnitionConfig}
 * (`addTree`) or a `MachineConfig`: the fake-root conversion that tools such as filetranspiler
 * do, inside synth and without them.
 *
 * Entries come in a fixed order (names sorted by code unit, depth first), so the same tree always
 * yields the same config. Text files (valid UTF-8 without NUL bytes) are kept as text, others as
 * bytes; both are embedded as `data:` URLs, gzip-compressed when that is shorter.
 */
export class IgnitionFiles {
  /**
   * Reads the tree at `path` (read at once, so errors name the file at fault).
   *
   * @param path the folder, for example the `DESTDIR` of a `make install`
   */
  public static fromDirectory(path: string, options: IgnitionFilesFromDirectoryOptions = {}): IgnitionFiles {
    const where: At = { path: FACTORY, prop: 'path' };
    const dir = expectString(path, where, 'pass the path of a folder');
    const opts = expectObject<IgnitionFilesFromDirectoryOptions>(options ?? {}, { path: FACTORY, prop: 'options' });
    const ow: At = { path: FACTORY, prop: 'options' };
    let rootStat: Stats | undefined;
    try {
      rootStat = statSync(dir);
    } catch {
      rootStat = undefined;
    }
    if (!rootStat?.isDirectory()) fail(where, 'is not a folder', dir, 'pass the path of an existing folder');
    const target =
      opts.target === undefined || opts.target === '/' ? '/' : validateAbsolutePath(opts.target, child(ow, 'target'));
    const symlinks = opts.symlinks ?? 'keep';
    if (symlinks !== 'keep' && symlinks !== 'dereference') {
      fail(child(ow, 'symlinks'), 'is not a way to handle links', symlinks, "use 'keep' or 'dereference'");
    }
    const modes = opts.modes ?? 'preserve';
    if (modes !== 'preserve' && modes !== 'normalize') {
      fail(child(ow, 'modes'), 'is not a way to take permission bits', modes, "use 'preserve' or 'normalize'");
    }
    const walker = new TreeWalker(resolve(dir), target, {
      dereference: symlinks === 'dereference',
      normalize: modes === 'normalize',
      directories: expectOptionalBoolean(opts.directories, child(ow, 'directories')) ?? false,
      owners: expectOptionalBoolean(opts.preserveOwners, child(ow, 'preserveOwners')) ?? false,
      overwrite: expectOptionalBoolean(opts.overwrite, child(ow, 'overwrite')) ?? true,
    });
    walker.walk();
    const overrides =
      opts.modeOverrides === undefined ? {} : expectObject(opts.modeOverrides, child(ow, 'modeOverrides'));
    for (const [p, mode] of Object.entries(overrides)) {
      const ew = child(child(ow, 'modeOverrides'), p);
      if (typeof mode !== 'number' || !Number.isInteger(mode) || mode < 0 || mode > 0o7777) {
        fail(ew, 'is not a permission mode', mode, 'write an octal literal such as 0o644');
      }
      if (!walker.setMode(p, mode)) {
        const isLink = walker.links.some((l) => l.path === p);
        fail(
          ew,
          isLink ? 'names a link, which has no permission bits' : 'names no file or folder of the tree',
          p,
          'use the path as it lands on the node, such as "/etc/kvc/simple-kmod.conf"',
        );
      }
    }
    return new IgnitionFiles(walker.directories, walker.files, walker.links);
  }

  private constructor(
    /** Folders, when read with `directories: true`, parents first. */
    public readonly directories: readonly IgnitionDirectoryOptions[],
    /** Files, in path order. */
    public readonly files: readonly IgnitionFileOptions[],
    /** Links, when read with `symlinks: 'keep'`, in path order. */
    public readonly links: readonly IgnitionLinkOptions[],
  ) {}

  /** Every node path (folders, files, links), sorted. */
  public get paths(): string[] {
    return [...this.directories, ...this.files, ...this.links].map((n) => n.path).sort();
  }

  /** The file at node path `path`, if the tree has one. */
  public file(path: string): IgnitionFileOptions | undefined {
    return this.files.find((f) => f.path === path);
  }
}

interface WalkOptions {
  readonly dereference: boolean;
  readonly normalize: boolean;
  readonly directories: boolean;
  readonly owners: boolean;
  readonly overwrite: boolean;
}

class TreeWalker {
  public readonly directories: IgnitionDirectoryOptions[] = [];
  public readonly files: IgnitionFileOptions[] = [];
  public readonly links: IgnitionLinkOptions[] = [];
  private readonly where: At = { path: FACTORY, prop: 'path' };

  constructor(
    private readonly root: string,
    private readonly target: string,
    private readonly o: WalkOptions,
  ) {}

  public walk(): void {
    this.walkDir(this.root, '', new Set([realpathSync(this.root)]));
  }

  public setMode(path: string, mode: number): boolean {
    const list: { path: string; mode?: number }[][] = [this.files, this.directories];
    for (const entries of list) {
      const i = entries.findIndex((e) => e.path === path);
      if (i >= 0) {
        entries[i] = { ...entries[i], mode };
        return true;
      }
    }
    return false;
  }

  /** Walks the folder `real` whose tree path (relative to the root, '' for the root) is `rel`. */
  private walkDir(real: string, rel: string, open: Set<string>): void {
    const names = readdirSync(real).sort();
    for (const name of names) {
      const entryRel = `${rel}/${name}`;
      const entryReal = `${real}/${name}`;
      const st = lstatSync(entryReal);
      if (st.isSymbolicLink()) {
        if (!this.o.dereference) {
          this.links.push({
            path: this.nodePath(entryRel),
            target: readlinkSync(entryReal),
            ...this.owner(st),
            overwrite: this.o.overwrite,
          });
          continue;
        }
        const resolved = this.resolveLink(entryRel);
        const targetReal = `${this.root}${resolved}`;
        const tst = statSync(targetReal);
        if (tst.isDirectory()) this.enterDir(targetReal, entryRel, tst, open);
        else this.addNode(targetReal, entryRel, tst);
        continue;
      }
      if (st.isDirectory()) this.enterDir(entryReal, entryRel, st, open);
      else this.addNode(entryReal, entryRel, st);
    }
  }

  private enterDir(real: string, rel: string, st: Stats, open: Set<string>): void {
    const canonical = realpathSync(real);
    if (open.has(canonical)) {
      fail(
        { path: FACTORY, prop: 'options.symlinks' },
        `cannot follow ${this.nodePath(rel)}: it leads back into a folder it is in`,
        'dereference',
        "remove the loop or keep links (symlinks: 'keep')",
      );
    }
    if (this.o.directories) {
      this.directories.push({ path: this.nodePath(rel), mode: this.mode(st, true), ...this.owner(st) });
    }
    this.walkDir(real, rel, new Set([...open, canonical]));
  }

  private addNode(real: string, rel: string, st: Stats): void {
    if (!st.isFile()) {
      fail(this.where, 'holds a node that is neither a file, a folder nor a link', rel, 'remove the special file');
    }
    this.files.push({
      path: this.nodePath(rel),
      contents: asTextIfText(readFileSync(real)),
      mode: this.mode(st, false),
      ...this.owner(st),
      overwrite: this.o.overwrite,
    });
  }

  /**
   * The tree path a link at `rel` finally points to, resolved as on the node: absolute targets
   * start at the tree's root, `..` stops at the root, links on the way are followed.
   */
  private resolveLink(rel: string): string {
    const ow: At = { path: FACTORY, prop: 'options.symlinks' };
    const outside = (path: string): never =>
      fail(
        ow,
        `cannot follow ${this.nodePath(rel)}: ${path} is outside the tree`,
        'dereference',
        "add the target to the tree or keep links (symlinks: 'keep')",
      );
    let pending = rel.split('/').filter(Boolean);
    let done: string[] = [];
    for (let hops = 0; pending.length > 0;) {
      const name = pending.shift()!;
      if (name === '.') continue;
      if (name === '..') {
        if (done.length === 0 && this.target !== '/') outside(`${this.target}/..`);
        done.pop();
        continue;
      }
      const candidate = [...done, name];
      let st: Stats;
      try {
        st = lstatSync(`${this.root}/${candidate.join('/')}`);
      } catch {
        fail(
          ow,
          `cannot follow ${this.nodePath(rel)}: ${this.nodePath(`/${candidate.join('/')}`)} is not in the tree`,
          'dereference',
          "add the target to the tree or keep links (symlinks: 'keep')",
        );
      }
      if (!st.isSymbolicLink()) {
        done = candidate;
        continue;
      }
      if (++hops > MAX_LINK_HOPS) {
        fail(
          ow,
          `cannot follow ${this.nodePath(rel)}: too many levels of links`,
          'dereference',
          'remove the link loop',
        );
      }
      let link = readlinkSync(`${this.root}/${candidate.join('/')}`);
      if (link.startsWith('/')) {
        done = [];
        if (this.target !== '/') {
          // An absolute target is a node path: inside the tree only below `target`.
          if (link !== this.target && !link.startsWith(`${this.target}/`)) outside(link);
          link = link.slice(this.target.length);
        }
      }
      pending = [...link.split('/').filter(Boolean), ...pending];
    }
    return `/${done.join('/')}`;
  }

  private nodePath(rel: string): string {
    return this.target === '/' ? rel : `${this.target}${rel}`;
  }

  private mode(st: Stats, directory: boolean): number {
    if (!this.o.normalize) return st.mode & 0o7777;
    return directory || (st.mode & 0o111) !== 0 ? 0o755 : 0o644;
  }

  private owner(st: Stats): { user?: number; group?: number } {
    return this.o.owners ? { user: st.uid, group: st.gid } : {};
  }
}

/** Text when the bytes are valid UTF-8 without NUL (kept byte for byte, BOM included), else the bytes. */
function asTextIfText(bytes: Buffer): string | Uint8Array {
  if (bytes.includes(0)) return new Uint8Array(bytes);
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return new Uint8Array(bytes);
  }
}
