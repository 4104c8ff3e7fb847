import { readFileSync } from 'node:fs';
import { DigestSource, FileDigests, relativeTo } from '../private/file-digests';
import { checkFile, summarizeFile } from './check-files';
import { ObjectPlace, placeOfObject } from './check-manifests';
import { listManifestFiles, loadManifestFile, ManifestProblem, placeOf } from './load-manifests';
import { DEFAULT_NAMESPACE, objectIdentity } from './object-identity';
import { ObjectChange, planChanges } from './plan';
import { FilePlaces, SummaryCache } from './summary-cache';
import { ChangeScope, FileScope, scopeOf } from './change-scope';

/* eslint-disable @typescript-eslint/no-explicit-any */

/** Options of {@link planFiles}. */
export interface PlanFilesOptions {
  /**
   * Namespace of namespaced objects without `metadata.namespace`.
   * @default 'default'
   */
  readonly namespace?: string;
  /**
   * Folder of the summary cache shared with `validate` (see {@link SummaryCache}): files that are
   * the same on both sides are then not parsed at all.
   * @default - no cache
   */
  readonly cacheDir?: string;
  /**
   * Where file digests and folder listings come from, instead of the cache folder's index of
   * file digests: an `OutputChangeView` of an output a synth run just wrote, with its
   * `previousRoot` as the old path.
   * @default - the index of file digests in `cacheDir` (none without it)
   */
  readonly digests?: DigestSource;
}

/** What {@link planFiles} found. */
export interface PlanFilesResult {
  /** The changes, as {@link planChanges} orders them; empty when there are problems. */
  readonly changes: ObjectChange[];
  /**
   * Files that cannot be read or parsed, and objects written twice on one side in the namespaces
   * (or as the cluster-scoped objects) that the differing files hold.
   */
  readonly problems: ManifestProblem[];
  /** Files (by relative path) that differ between the sides, or exist on one side only. */
  readonly differingFiles: number;
  /** Files the same on both sides. */
  readonly sameFiles: number;
  /** Notes that are not problems (a cache that could not be used). */
  readonly notes: string[];
}

const bytesOf = (file: string): Buffer | undefined => {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
};

/**
 * `planChanges` of two folders (or files), file by file: files with the same relative path and
 * the same bytes on both sides hold the same objects, so only their scope is needed (the
 * namespaces and cluster-scoped objects in them, see `FileScope`), taken from the cache when it
 * has it, and their objects' identities only where the differing files hold objects too (for
 * objects written twice there, and objects that moved to another file); files that differ are
 * parsed on both sides, their objects compared and dropped, and only objects added or removed in
 * a file are kept until the end to find those that moved. The result is that of `planChanges` on
 * all objects of both sides.
 */
export function planFiles(oldPath: string, newPath: string, options: PlanFilesOptions = {}): PlanFilesResult {
  const namespace = options.namespace ?? DEFAULT_NAMESPACE;
  const notes: string[] = [];
  const cache = options.cacheDir !== undefined ? SummaryCache.open(options.cacheDir, namespace) : undefined;
  if (cache?.note) notes.push(cache.note);
  // Digests by file status from the cache folder's index: files not touched since they were
  // hashed are not read, folders not changed since they were listed are not listed again.
  const index = options.digests ?? FileDigests.open(options.cacheDir);
  const listing = options.cacheDir !== undefined || options.digests ? (dir: string) => index.listing(dir) : undefined;
  const oldList = listManifestFiles([oldPath], listing);
  const newList = listManifestFiles([newPath], listing);
  const problems: ManifestProblem[] = [...oldList.problems, ...newList.problems];
  const rel = (root: string, file: string) => relativeTo(root, file) || '.';
  const oldFiles = new Map(oldList.files.map((f) => [rel(oldPath, f), f]));
  const newFiles = new Map(newList.files.map((f) => [rel(newPath, f), f]));
  const names = [...new Set([...oldFiles.keys(), ...newFiles.keys()])].sort();

  // Per file name, in order: the places of a differing file's objects (both sides), or a file the
  // same on both sides, known by its scope until the change is known to touch it.
  type Same = { oldFile: string; newFile: string; digest: string; scope: FileScope; check?: FilePlaces };
  const entries: ({ same: Same } | { old: ObjectPlace[]; new: ObjectPlace[] })[] = [];
  const keyed: { key: string; change: ObjectChange }[] = [];
  const leftOld: any[] = [];
  const leftNew: any[] = [];
  const used: { digest: string }[] = [];
  const changedScopes: FileScope[] = [];
  let same = 0;
  let missed = 0; // files the same on both sides that the cache did not have
  for (const name of names) {
    const oldFile = oldFiles.get(name);
    const newFile = newFiles.get(name);
    const oldDigest = oldFile !== undefined ? index.digest(oldFile) : undefined;
    const newDigest = newFile !== undefined ? index.digest(newFile) : undefined;
    if (
      oldFile !== undefined &&
      newFile !== undefined &&
      oldDigest &&
      newDigest &&
      oldDigest.digest === newDigest.digest
    ) {
      same++;
      // The same objects on both sides: their scope only (cached, or parsed once).
      let scope = cache?.scope(newDigest.digest);
      let check: FilePlaces | undefined;
      if (!scope) {
        const full = checkFile(newFile, namespace, false, [], newDigest.bytes ?? bytesOf(newFile));
        cache?.set(full);
        check = full;
        scope = scopeOf(full);
        missed++;
      }
      used.push({ digest: newDigest.digest }); // not the Digest: it may hold the bytes read
      entries.push({ same: { oldFile, newFile, digest: newDigest.digest, scope, check } });
      continue;
    }
    const oldBytes = oldDigest ? (oldDigest.bytes ?? bytesOf(oldFile!)) : undefined;
    const newBytes = newDigest ? (newDigest.bytes ?? bytesOf(newFile!)) : undefined;
    const sides = { old: loadSide(oldFile, oldBytes), new: loadSide(newFile, newBytes) };
    problems.push(...sides.old.problems, ...sides.new.problems);
    const entry = {
      old: sides.old.objects.map((o) => placeOfObject(o, namespace)),
      new: sides.new.objects.map((o) => placeOfObject(o, namespace)),
    };
    entries.push(entry);
    for (const side of ['old', 'new'] as const) changedScopes.push(placesScope(entry[side]));
    if (newFile !== undefined && newBytes) {
      const check = summarizeFile(newFile, sides.new, namespace, false);
      cache?.set(check);
      used.push(check);
    }
    // Objects in both versions of the file are compared now; the others wait for the end.
    const before = new Map(sides.old.objects.map((o) => [objectIdentity(o.object, namespace), o.object]));
    const after = new Map(sides.new.objects.map((o) => [objectIdentity(o.object, namespace), o.object]));
    for (const [key, a] of before) {
      const b = after.get(key);
      if (b === undefined) leftOld.push(a);
      else for (const change of planChanges([a], [b], { namespace })) keyed.push({ key, change });
    }
    for (const [key, b] of after) if (!before.has(key)) leftNew.push(b);
  }
  // Objects written twice: only those the change touches matter (an object written twice in files
  // the same on both sides is planned as unchanged either way); their places, in file order.
  const change = new ChangeScope(changedScopes);
  const places: { old: ObjectPlace[]; new: ObjectPlace[] } = { old: [], new: [] };
  for (const e of entries) {
    if (!('same' in e)) {
      places.old.push(...e.old);
      places.new.push(...e.new);
      continue;
    }
    const { oldFile, newFile, digest, scope } = e.same;
    if (!scope.broken && !change.touches(scope)) continue;
    const check =
      e.same.check ?? cache?.places(digest, newFile) ?? checkFile(newFile, namespace, false, [], bytesOf(newFile));
    problems.push(...check.problems.filter((p) => p.check === 'read' || p.check === 'yaml'));
    for (const p of check.places) {
      if (!change.keepsPlace(p)) continue;
      places.new.push(p);
      places.old.push({ ...p, file: oldFile });
    }
  }
  // The cache is written when it lacked files the same on both sides (the next plan needs them), not for
  // the differing files alone, and not for a handful of them (the files a previous change wrote):
  // rewriting a fleet's cache costs more than parsing them again; as for validate, it is rewritten
  // once they are 1% of the files.
  index.cover(oldPath);
  index.cover(newPath);
  const indexNote = index.save();
  if (indexNote) notes.push(indexNote);
  if (cache && missed > 0 && missed * 100 >= names.length) {
    const note = cache.save(used);
    if (note) notes.push(note);
  }
  problems.push(...duplicates(places.old, 'old'), ...duplicates(places.new, 'new'));
  if (problems.length > 0)
    return { changes: [], problems, differingFiles: names.length - same, sameFiles: same, notes };
  // Objects that left one file and came to another are compared with each other; the rest are added or removed.
  const oldByKey = new Map(leftOld.map((o) => [objectIdentity(o, namespace), o]));
  const newByKey = new Map(leftNew.map((o) => [objectIdentity(o, namespace), o]));
  for (const key of new Set([...oldByKey.keys(), ...newByKey.keys()])) {
    const a = oldByKey.get(key);
    const b = newByKey.get(key);
    for (const change of planChanges(a ? [a] : [], b ? [b] : [], { namespace })) keyed.push({ key, change });
  }
  keyed.sort((x, y) =>
    x.change.id < y.change.id ? -1 : x.change.id > y.change.id ? 1 : x.key < y.key ? -1 : x.key > y.key ? 1 : 0,
  );
  return {
    changes: keyed.map((k) => k.change),
    problems,
    differingFiles: names.length - same,
    sameFiles: same,
    notes,
  };
}

/** The scope of a file version known by its objects' places (for {@link ChangeScope}). */
function placesScope(places: ObjectPlace[]): FileScope {
  return scopeOf({ objects: places.length, problems: [], places, views: [], manifestMaps: [] });
}

function loadSide(file: string | undefined, bytes: Buffer | undefined) {
  if (file === undefined) return { objects: [], problems: [] };
  return loadManifestFile(file, bytes);
}

/** Objects written twice on one side: the plan cannot tell which to compare. */
function duplicates(places: readonly ObjectPlace[], side: 'old' | 'new'): ManifestProblem[] {
  const first = new Map<string, ObjectPlace>();
  const out: ManifestProblem[] = [];
  for (const p of places) {
    const seen = first.get(p.identity);
    if (seen === undefined) {
      first.set(p.identity, p);
      continue;
    }
    out.push({
      file: p.file,
      check: 'duplicates',
      message:
        `[${p.id}] is written twice in the ${side} manifests: in ${placeOf({ ...seen, object: undefined })} and in ${placeOf({ ...p, object: undefined })}; ` +
        'the plan cannot tell which one to compare; keep one',
    });
  }
  return out;
}
