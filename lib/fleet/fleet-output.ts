// The output folder of synthesizeFleet: which entries it owns (a manifest), where the new output
// is built (a staging folder next to it, on the same file system), and how it replaces the
// previous output (renames, with a journal that the next run completes when a run dies midway).
import {
  accessSync,
  constants,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statfsSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/**
 * File that marks an output folder as written by `synthesizeFleet` and lists (JSON, one entry a
 * line) the top-level entries it wrote: only those are replaced or removed by the next run.
 */
export const FLEET_MARKER = '.cdk8s-baremetal-fleet';
/** Journal of a swap in progress, in the output folder; the next run completes the swap. */
export const FLEET_JOURNAL = '.cdk8s-baremetal-fleet.swap';
/** What the marker held before it listed entries (the whole folder was emptied then). */
/** The synth cache (see fleet-cache), owned whenever the folder is. */
const LEGACY_CACHE = '.cdk8s-baremetal-fleet.cache';
const LEGACY_MARKER_TEXT = 'Written by cdk8s-baremetal synth; emptied on every run.\n';
const MANIFEST_ABOUT =
  'Written by cdk8s-baremetal synth. It replaces or removes the entries listed here on every run and keeps everything else in this folder.';

/** A problem with the output folder, found before anything is written; the message says what to do. */
export class FleetOutputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FleetOutputError';
  }
}

/** The manifest of an output folder. */
export interface OutputManifest {
  /** Top-level entries the tool wrote (site folders, `_gitops`, …), sorted; the marker itself is implied. */
  readonly entries: readonly string[];
  /** Bytes of the files written. */
  readonly bytes: number;
  /** Number of files written. */
  readonly files: number;
}

/** Renders a manifest: stable (sorted entries), one entry a line so that merges stay readable. */
export function renderManifest(manifest: OutputManifest): string {
  const entries = [...manifest.entries].sort();
  const list = entries.length === 0 ? '[]' : `[\n${entries.map((e) => `    ${JSON.stringify(e)}`).join(',\n')}\n  ]`;
  return (
    `{\n  "about": ${JSON.stringify(MANIFEST_ABOUT)},\n  "version": 1,\n` +
    `  "bytes": ${manifest.bytes},\n  "files": ${manifest.files},\n  "entries": ${list}\n}\n`
  );
}

/** Reads the manifest text; undefined when it is not one. */
export function parseManifest(text: string): OutputManifest | undefined {
  try {
    const m = JSON.parse(text) as Partial<OutputManifest> & { version?: unknown };
    if (m?.version !== 1 || !Array.isArray(m.entries) || !m.entries.every(isEntryName)) return undefined;
    return {
      entries: m.entries,
      bytes: typeof m.bytes === 'number' ? m.bytes : 0,
      files: typeof m.files === 'number' ? m.files : 0,
    };
  } catch {
    return undefined;
  }
}

function isEntryName(e: unknown): e is string {
  return typeof e === 'string' && e !== '' && e !== '.' && e !== '..' && !/[/\\\0]/.test(e) && e !== FLEET_JOURNAL;
}

/**
 * A file system error as a sentence: the path, what went wrong in words, and what to do. Node's
 * own message (`ENOSPC: no space left on device, write`) names neither the path nor a remedy.
 */
export function describeFsError(err: unknown, path: string, action = 'write'): string {
  const code = (err as NodeJS.ErrnoException)?.code;
  const p = JSON.stringify(path);
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return `cannot ${action} ${p}: no space left on the device (${code}); free some space or pick an output folder on another file system`;
    case 'ENOTDIR':
      return `cannot ${action} ${p}: a part of the path is a file, not a folder (ENOTDIR); pick another output folder or move the file away`;
    case 'ENOENT':
      return `cannot ${action} ${p}: a folder on the path does not exist (ENOENT); create it or pick another output folder`;
    case 'EACCES':
    case 'EPERM':
      return `cannot ${action} ${p}: permission denied (${code}); make the folder writable for this user or pick another output folder`;
    case 'EROFS':
      return `cannot ${action} ${p}: the file system is read-only (EROFS); pick an output folder on a writable file system`;
    case 'EISDIR':
      return `cannot ${action} ${p}: it is a folder (EISDIR); move it away`;
    case 'EEXIST':
    case 'ENOTEMPTY':
      return `cannot ${action} ${p}: something is already there (${code}); move it away`;
    default:
      return `cannot ${action} ${p}: ${(err as Error)?.message ?? String(err)}`;
  }
}

/** True for errors after which no further file can be written (disk full, read-only, permissions). */
export function isFatalFsError(message: string): boolean {
  return /\((ENOSPC|EDQUOT|EROFS|EACCES|EPERM|EIO)\)/.test(message);
}

/** What is in the output folder before a run, as far as synthesis is concerned. */
export interface PreviousOutput {
  /** Absolute output folder. */
  readonly outdir: string;
  /** Whether the folder exists. */
  readonly exists: boolean;
  /** Entries the previous run wrote (from its manifest), present in the folder; the marker left out. */
  readonly owned: readonly string[];
  /** Entries the tool did not write (kept on every run): `.git`, a README, CI files, … */
  readonly foreign: readonly string[];
  /** Bytes of the previous output (its manifest), 0 when unknown. */
  readonly bytes: number;
  /** Files of the previous output (its manifest), 0 when unknown. */
  readonly files: number;
  /** The folder was marked by an older version that listed no entries. */
  readonly legacy: boolean;
  /** What was done about an earlier run's leftovers (an interrupted swap completed, stale staging folders removed). */
  readonly notes: readonly string[];
}

/** The name of a staging (or backup) folder of this process, and the pattern of any run's. */
function stagingPattern(base: string): RegExp {
  return new RegExp(`^\\.${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.synth-(\\d+)-[0-9a-z]+(\\.old)?$`);
}

function outputBase(outdir: string): string {
  return basename(outdir) || 'output';
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return false; // a folder of this pid is from an earlier process with the same id
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The swap journal: enough to complete an interrupted swap. */
interface Journal {
  readonly pid: number;
  /** Staging folder holding the entries still to install. */
  readonly staging: string;
  /** Folder receiving the replaced and removed entries. */
  readonly backup: string;
  /** Entries moved from the staging folder into the output, in order (the marker last). */
  readonly install: readonly string[];
  /** Previous entries moved out of the output. */
  readonly remove: readonly string[];
}

/**
 * Test seam: called after every rename of a swap with the count so far. An error thrown there is
 * handled as a failed rename; one with `simulatedCrash: true` leaves the swap as a killed process
 * would (the journal in place, for the next run to complete).
 */
export const swapHooks: { afterRename?: (count: number) => void } = {};

/**
 * Checks an output folder before anything is written and reports what is in it. Refuses (with a
 * {@link FleetOutputError}) an empty path, a path that is or runs through a file, a folder that
 * cannot be written, an unreadable marker, and an entry the tool did not write sitting where one
 * of `planned` (the entries this run will write: site folders, `_gitops`) must go. Completes a
 * swap that an earlier run left unfinished (killed midway) and removes staging folders of runs
 * that no longer exist: the only changes it makes.
 */
export function inspectOutput(outdirArg: string, planned: readonly string[]): PreviousOutput {
  try {
    return inspect(outdirArg, planned);
  } catch (err) {
    if (err instanceof FleetOutputError) throw err;
    // A folder that cannot be read or cleaned up: the path and what to do, not an errno.
    const path = (err as { path?: string })?.path ?? String(outdirArg);
    throw new FleetOutputError(`[synthesizeFleet] 'outdir' ${describeFsError(err, path, 'read or clean up')}`);
  }
}

function inspect(outdirArg: string, planned: readonly string[]): PreviousOutput {
  if (typeof outdirArg !== 'string' || outdirArg.trim() === '') {
    throw new FleetOutputError(
      `[synthesizeFleet] 'outdir' is empty (got ${JSON.stringify(outdirArg)}); name an output folder such as dist`,
    );
  }
  const outdir = resolve(outdirArg);
  const shown = JSON.stringify(outdirArg);
  // The nearest existing ancestor must be a writable folder.
  let probe = outdir;
  while (!existsSync(probe) && dirname(probe) !== probe) {
    if (lexists(probe)) break; // a dangling link
    probe = dirname(probe);
  }
  const stat = statOrUndefined(probe);
  if (!stat || !stat.isDirectory()) {
    const kind = stat ? 'a file' : 'a symbolic link to nothing';
    const what =
      probe === outdir ? `is ${kind}, not a folder` : `runs through ${JSON.stringify(probe)}, which is ${kind}`;
    throw new FleetOutputError(
      `[synthesizeFleet] 'outdir' ${what} (got ${shown}); pick a folder path (it is created when missing)`,
    );
  }
  try {
    accessSync(probe, constants.W_OK | constants.X_OK);
  } catch {
    throw new FleetOutputError(
      `[synthesizeFleet] 'outdir' ${probe === outdir ? 'is' : `would be created in ${JSON.stringify(probe)}, which is`} not writable (got ${shown}); make it writable for this user or pick another output folder`,
    );
  }
  const notes: string[] = [];
  const exists = probe === outdir;
  removeLeftovers(outdir, notes);
  if (!exists) return { outdir, exists, owned: [], foreign: [], bytes: 0, files: 0, legacy: false, notes };

  if (existsSync(join(outdir, FLEET_JOURNAL))) notes.push(completeSwap(outdir));
  const staging = stagingPattern(outputBase(outdir));
  const entries = readdirSync(outdir).filter((e) => e !== FLEET_JOURNAL && !staging.test(e));
  const present = new Set(entries);
  let owned: string[] = [];
  let bytes = 0;
  let files = 0;
  let legacy = false;
  if (entries.includes(FLEET_MARKER)) {
    const markerPath = join(outdir, FLEET_MARKER);
    const text = lstatSync(markerPath).isFile() ? readFileSync(markerPath, 'utf8') : '';
    const manifest = parseManifest(text);
    if (manifest) {
      owned = manifest.entries.filter((e) => present.has(e));
      bytes = manifest.bytes;
      files = manifest.files;
    } else if (text === LEGACY_MARKER_TEXT) {
      // An older version emptied the whole folder: its entries are the site folders it wrote
      // (a kustomization.yaml and a fleet.yaml) and _gitops; anything else is kept.
      legacy = true;
      owned = entries.filter(
        (e) =>
          e === '_gitops' ||
          e === LEGACY_CACHE ||
          (isDirectory(join(outdir, e)) &&
            existsSync(join(outdir, e, 'kustomization.yaml')) &&
            existsSync(join(outdir, e, 'fleet.yaml'))),
      );
    } else {
      throw new FleetOutputError(
        `[synthesizeFleet] 'outdir' has a ${FLEET_MARKER} that is not a manifest of this tool (got ${shown}); ` +
          `it lists the entries synth may replace: restore it from Git (a merge conflict?) or remove it and the entries it listed`,
      );
    }
  }
  const ownedSet = new Set(owned);
  const foreign = entries.filter((e) => e !== FLEET_MARKER && !ownedSet.has(e));
  const foreignSet = new Set(foreign);
  const clashes = planned.filter((p) => foreignSet.has(p));
  if (clashes.length > 0) {
    throw new FleetOutputError(
      `[synthesizeFleet] 'outdir' holds ${clashes
        .slice(0, 5)
        .map((c) => JSON.stringify(c))
        .join(
          ', ',
        )}${clashes.length > 5 ? ` and ${clashes.length - 5} more` : ''}, which synth did not write, where the output goes (got ${shown}); ` +
        `move ${clashes.length === 1 ? 'it' : 'them'} away or rename the site${clashes.length === 1 ? '' : 's'}: synth never replaces what it did not write`,
    );
  }
  return { outdir, exists, owned, foreign, bytes, files, legacy, notes };
}

function lexists(p: string): boolean {
  try {
    lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

function statOrUndefined(p: string) {
  try {
    return statSync(p);
  } catch {
    return undefined;
  }
}

function isDirectory(p: string): boolean {
  return statOrUndefined(p)?.isDirectory() ?? false;
}

/** Folders that may hold staging folders of `outdir`: its parent and the folder itself. */
function stagingHomes(outdir: string): string[] {
  return [dirname(outdir), outdir];
}

/** Removes staging and backup folders of runs that no longer exist. */
function removeLeftovers(outdir: string, notes: string[]): void {
  const pattern = stagingPattern(outputBase(outdir));
  const journal = readJournal(outdir);
  for (const home of stagingHomes(outdir)) {
    let names: string[];
    try {
      names = readdirSync(home);
    } catch {
      continue;
    }
    for (const name of names) {
      const m = pattern.exec(name);
      if (!m) continue;
      const path = join(home, name);
      if (journal && (path === journal.staging || path === journal.backup)) continue; // completed below
      if (isAlive(Number(m[1]))) {
        notes.push(`left ${path} alone: process ${m[1]} is running (another synth of this output?)`);
        continue;
      }
      rmSync(path, { recursive: true, force: true });
      notes.push(`removed ${path}, left by an interrupted run`);
    }
  }
}

function readJournal(outdir: string): Journal | undefined {
  try {
    const j = JSON.parse(readFileSync(join(outdir, FLEET_JOURNAL), 'utf8')) as Journal;
    if (
      typeof j.staging === 'string' &&
      typeof j.backup === 'string' &&
      Array.isArray(j.install) &&
      j.install.every(isEntryName) &&
      Array.isArray(j.remove) &&
      j.remove.every(isEntryName)
    ) {
      return j;
    }
  } catch {
    // unreadable: reported by completeSwap
  }
  return undefined;
}

/**
 * Completes a swap an earlier run left midway (the journal is there): moves the entries still in
 * its staging folder into place, the previous ones out, then removes the journal. When the
 * staging folder is gone, restores what the backup folder holds instead. Idempotent.
 */
function completeSwap(outdir: string): string {
  const journal = readJournal(outdir);
  if (!journal) {
    throw new FleetOutputError(
      `[synthesizeFleet] 'outdir' holds an unreadable ${FLEET_JOURNAL} (got ${JSON.stringify(outdir)}); a run stopped while replacing the output: check the folder, then remove the file`,
    );
  }
  mkdirSync(journal.backup, { recursive: true });
  let note: string;
  if (existsSync(journal.staging)) {
    for (const e of journal.remove) {
      if (lexists(join(outdir, e))) moveAside(join(outdir, e), join(journal.backup, e));
    }
    for (const e of journal.install) {
      if (!lexists(join(journal.staging, e))) continue; // installed before the interruption
      if (lexists(join(outdir, e))) moveAside(join(outdir, e), join(journal.backup, e));
      renameSync(join(journal.staging, e), join(outdir, e));
    }
    note = `completed the replacement of the output that run ${journal.pid} started and could not finish`;
  } else {
    // Without the new entries, put the previous ones back where they are missing.
    for (const e of [...journal.remove, ...journal.install]) {
      if (!lexists(join(outdir, e)) && lexists(join(journal.backup, e))) {
        renameSync(join(journal.backup, e), join(outdir, e));
      }
    }
    note = `rolled back the replacement of the output that run ${journal.pid} started (its new output was gone)`;
  }
  unlinkSync(join(outdir, FLEET_JOURNAL));
  rmSync(journal.backup, { recursive: true, force: true });
  rmSync(journal.staging, { recursive: true, force: true });
  return note;
}

function moveAside(from: string, to: string): void {
  if (lexists(to)) rmSync(to, { recursive: true, force: true });
  renameSync(from, to);
}

/** Free bytes for this user on the file system of `dir`; undefined when unknown. */
export function freeBytes(dir: string): number | undefined {
  try {
    const s = statfsSync(dir);
    return Number(s.bavail) * Number(s.bsize);
  } catch {
    return undefined;
  }
}

/** Bytes with a unit, for messages. */
export function formatBytes(n: number): string {
  if (n >= 1024 * 1024 * 1024) return `${(n / 1024 / 1024 / 1024).toFixed(1)} GiB`;
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} bytes`;
}

/** Disk space files take: their bytes plus about one block each. */
export function diskEstimate(bytes: number, files: number): number {
  return bytes + files * 4096;
}

/** What replacing the previous output did. */
export interface SwapReport {
  /** Entries of the previous output replaced by new ones. */
  readonly replaced: readonly string[];
  /** Entries of the previous output removed (sites no longer in the inventory). */
  readonly removed: readonly string[];
  /** Entries of the previous output kept as they were (failed sites, with partial output). */
  readonly carried: readonly string[];
  /** Entries that are new. */
  readonly added: readonly string[];
  /**
   * Entries of the previous output left in place because they did not change (incremental synth):
   * never moved, so a run that stops midway cannot touch them.
   * @default - none
   */
  readonly unchanged?: readonly string[];
}

/**
 * The new output, built in a staging folder next to the output folder (its parent, on the same
 * file system, or inside it when the parent is elsewhere or not writable) and moved into place
 * by {@link commit}, or thrown away by {@link discard}.
 */
export class StagedOutput {
  /** Creates the staging folder for `previous.outdir`. */
  public static create(previous: PreviousOutput): StagedOutput {
    try {
      return StagedOutput.make(previous);
    } catch (err) {
      const path = (err as { path?: string })?.path ?? dirname(previous.outdir);
      throw new FleetOutputError(
        `[synthesizeFleet] 'outdir' ${describeFsError(err, path, 'create the staging folder in')}`,
      );
    }
  }

  private static make(previous: PreviousOutput): StagedOutput {
    const outdir = previous.outdir;
    const parent = dirname(outdir);
    let home = parent;
    if (previous.exists) {
      let sameDevice = false;
      try {
        sameDevice = statSync(parent).dev === statSync(outdir).dev;
        accessSync(parent, constants.W_OK | constants.X_OK);
      } catch {
        sameDevice = false;
      }
      if (!sameDevice) home = outdir;
    } else {
      mkdirSync(parent, { recursive: true });
    }
    const id = `${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
    const dir = join(home, `.${outputBase(outdir)}.synth-${id}`);
    mkdirSync(dir);
    return new StagedOutput(previous, dir);
  }

  private done = false;
  /**
   * After a {@link commit} asked to keep it: the backup folder with the previous versions of the
   * replaced and removed entries (the caller removes it; a later run removes it if the process dies).
   */
  public backup?: string;

  private constructor(
    /** What the output folder held before. */
    public readonly previous: PreviousOutput,
    /** The staging folder: the new output is written here. */
    public readonly dir: string,
  ) {}

  /** Removes the staging folder and what it holds; the output folder is untouched. */
  public discard(): void {
    if (this.done) return;
    this.done = true;
    rmSync(this.dir, { recursive: true, force: true });
  }

  /**
   * Moves the staged output into place. A missing output folder is the staging folder renamed
   * (one atomic rename). Otherwise each entry is swapped: a journal is written first, the
   * previous run's entries move to a backup folder, the new ones move in (the manifest last),
   * the journal is removed, then the backup folder. Entries the tool did not write are never
   * touched; `carry` names previous entries kept as they are (failed sites, partial output), and
   * `keep` previous entries that did not change (incremental synth): both stay where they are,
   * listed in the new manifest, and only the staged entries move. With `keepBackup` the backup
   * folder is left in place and named in {@link backup}.
   */
  public commit(
    stats: { bytes: number; files: number },
    carry: readonly string[] = [],
    keep: readonly string[] = [],
    keepBackup = false,
  ): SwapReport {
    if (this.done) throw new Error('StagedOutput: already committed or discarded');
    const { outdir } = this.previous;
    const fresh = readdirSync(this.dir).filter((e) => e !== FLEET_MARKER);
    const freshSet = new Set(fresh);
    const owned = new Set(this.previous.owned);
    const carried = carry.filter((c) => owned.has(c) && !freshSet.has(c));
    const unchanged = keep.filter((k) => owned.has(k) && !freshSet.has(k));
    const stays = new Set([...carried, ...unchanged]);
    writeFileSync(
      join(this.dir, FLEET_MARKER),
      renderManifest({ entries: [...fresh, ...stays], bytes: stats.bytes, files: stats.files }),
    );
    const report: SwapReport = {
      replaced: fresh.filter((e) => owned.has(e)).sort(),
      removed: this.previous.owned.filter((e) => !freshSet.has(e) && !stays.has(e)).sort(),
      carried: [...carried].sort(),
      added: fresh.filter((e) => !owned.has(e)).sort(),
      ...(unchanged.length > 0 ? { unchanged: [...unchanged].sort() } : {}),
    };
    if (!existsSync(outdir)) {
      renameSync(this.dir, outdir);
      this.done = true;
      return report;
    }
    // Nothing the tool did not write may be in the way (checked before synthesis; checked again).
    const foreign = new Set(this.previous.foreign);
    const blocked = fresh.filter((e) => foreign.has(e) || (!owned.has(e) && lexists(join(outdir, e))));
    if (blocked.length > 0) {
      throw new FleetOutputError(
        `[synthesizeFleet] 'outdir' holds ${blocked.map((b) => JSON.stringify(b)).join(', ')}, which synth did not write, where the output goes (got ${JSON.stringify(outdir)}); move it away`,
      );
    }
    const journal: Journal = {
      pid: process.pid,
      staging: this.dir,
      backup: `${this.dir}.old`,
      install: [...fresh.sort(), FLEET_MARKER],
      remove: report.removed,
    };
    mkdirSync(journal.backup);
    const journalPath = join(outdir, FLEET_JOURNAL);
    writeFileSync(`${journalPath}.tmp`, `${JSON.stringify(journal, null, 2)}\n`);
    renameSync(`${journalPath}.tmp`, journalPath);
    let renames = 0;
    const step = (from: string, to: string) => {
      renameSync(from, to);
      swapHooks.afterRename?.(++renames);
    };
    try {
      for (const e of [...journal.remove, ...journal.install]) {
        if (lexists(join(outdir, e))) step(join(outdir, e), join(journal.backup, e));
      }
      for (const e of journal.install) step(join(this.dir, e), join(outdir, e));
    } catch (err) {
      // From here the journal owns the staging folder: discard() leaves it for the next run.
      this.done = true;
      if ((err as { simulatedCrash?: boolean })?.simulatedCrash) throw err; // test seam: the process "died"
      // Complete the swap from the journal now; when that fails too, the next run does it.
      try {
        completeSwap(outdir);
      } catch {
        throw new FleetOutputError(
          `${describeFsError(err, outdir, 'replace the output in')}; the swap is recorded in ${journalPath} and the next run completes it`,
        );
      }
      return report;
    }
    unlinkSync(journalPath);
    this.done = true;
    if (keepBackup) this.backup = journal.backup;
    else rmSync(journal.backup, { recursive: true, force: true });
    rmSync(this.dir, { recursive: true, force: true });
    return report;
  }
}
