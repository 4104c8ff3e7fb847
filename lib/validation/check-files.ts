import { createHash } from 'node:crypto';
import { Digest, DigestSource, FileDigests, relativeTo } from '../private/file-digests';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { compiledScript } from '../private/package-root';
import { ChangeScope, FileScope, scopeOf } from './change-scope';
import { checkObject, duplicateProblems, manifestConfigMaps, ObjectPlace, placeOfObject } from './check-manifests';
import { ExternalPatterns } from './external-patterns';
import { listManifestFiles, LoadedObject, loadManifestFile, ManifestProblem } from './load-manifests';
import { DEFAULT_NAMESPACE, effectiveNamespace } from './object-identity';
import { findUnresolvedReferences, ManifestObject, referenceView } from './references';
import { FileCheck, SummaryCache } from './summary-cache';

export type { FileCheck } from './summary-cache';

/** SHA-256 of `bytes`, hex. */
export function digestOf(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Reads and checks one file: with `checked`, every object on its own (ConfigMaps named in the
 * file's own objects or in `extraMaps` as manifests included); always its read and YAML problems
 * and the summaries of its objects.
 */
export function checkFile(
  file: string,
  namespace: string,
  checked: boolean,
  extraMaps: readonly string[] = [],
  bytes?: Buffer,
): FileCheck {
  const loaded = loadManifestFile(file, bytes);
  return summarizeFile(file, loaded, namespace, checked, extraMaps);
}

/** {@link checkFile} of a file already loaded. */
export function summarizeFile(
  file: string,
  loaded: { objects: LoadedObject[]; problems: ManifestProblem[]; bytes?: Buffer },
  namespace: string,
  checked: boolean,
  extraMaps: readonly string[] = [],
): FileCheck {
  const local = manifestConfigMaps(loaded.objects, namespace);
  const maps = extraMaps.length > 0 ? new Set([...local, ...extraMaps]) : local;
  const problems = [...loaded.problems];
  if (checked) for (const o of loaded.objects) problems.push(...checkObject(o, maps, namespace));
  return {
    file,
    digest: loaded.bytes ? digestOf(loaded.bytes) : '',
    objects: loaded.objects.length,
    checked,
    problems,
    places: loaded.objects.map((o) => placeOfObject(o, namespace)),
    views: loaded.objects.map((o) => referenceView(o.object)),
    manifestMaps: [...local],
    configMaps: loaded.objects
      .filter((o) => o.object.kind === 'ConfigMap')
      .map((o) => `${effectiveNamespace(o.object, namespace) ?? ''}/${o.object.metadata?.name}`),
  };
}

/** One file to check, as the main thread posts it to a worker. */
export interface FileJob {
  /** Position in the list of files. */
  readonly index: number;
  /** The file. */
  readonly file: string;
  /** Whether to run the checks of each object (else only read, parse and summarize). */
  readonly checked: boolean;
  /** ConfigMaps other files use as manifests. */
  readonly extraMaps: string[];
}

/** Options of {@link checkFiles}. */
export interface CheckFilesOptions {
  /**
   * Objects that exist outside the files (see {@link ExternalPatterns}).
   * @default - none
   */
  readonly external?: string[] | ExternalPatterns;
  /**
   * Namespace of namespaced objects without `metadata.namespace`.
   * @default 'default'
   */
  readonly namespace?: string;
  /**
   * Worker threads that read and check files; 0 checks in the calling thread.
   * @default - one per core when there are more than 64 files, else 0
   */
  readonly workers?: number;
  /**
   * Folder of the summary cache: per file content, its problems and object summaries, so that a
   * file checked before (same bytes, same namespace, same library version) is not parsed again.
   * @default - no cache
   */
  readonly cacheDir?: string;
  /**
   * The same set of files before a change: with it, only files whose bytes differ from the file at
   * the same relative path there (or that are new) are checked object by object, and the checks
   * across objects (duplicates, references, selectors) run over the namespaces and cluster-scoped
   * objects that the changed, added and removed files hold (old and new versions), reading only
   * those files' summaries. When an object's references may cross namespaces (the agent
   * platform's kinds, see `crossesNamespaces`), they run over every file.
   * @default - every file is checked
   */
  readonly changedFrom?: string;
  /**
   * Where file digests and folder listings come from, instead of the cache folder's index of
   * file digests: an `OutputChangeView` of an output a synth run just wrote, whose
   * `previousRoot` is then `changedFrom`.
   * @default - the index of file digests in `cacheDir` (none without it)
   */
  readonly digests?: DigestSource;
}

/** What {@link checkFiles} found. */
export interface CheckFilesResult {
  /** Files read. */
  readonly files: number;
  /** Objects read. */
  readonly objects: number;
  /** Files checked object by object (all, unless `changedFrom`). */
  readonly checkedFiles: number;
  /** Files whose summary came from the cache. */
  readonly cachedFiles: number;
  /** Every problem: per file (in file order), then duplicates, then references. */
  readonly problems: ManifestProblem[];
  /** Notes that are not problems (a cache that could not be used). */
  readonly notes: string[];
}

/** Runs `jobs` on `count` worker threads; the results come back in job order. */
async function runOnWorkers(jobs: FileJob[], count: number, namespace: string): Promise<FileCheck[]> {
  const script = compiledScript(__dirname, 'check-worker.js');
  if (!script) return jobs.map((j) => checkFile(j.file, namespace, j.checked, j.extraMaps));
  const results: FileCheck[] = new Array(jobs.length);
  const batch = Math.max(1, Math.min(32, Math.ceil(jobs.length / (count * 8))));
  let next = 0;
  const workers = Array.from({ length: count }, () => new Worker(script, { workerData: { namespace } }));
  try {
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            const post = () => {
              if (next >= jobs.length) return resolve();
              const slice = jobs.slice(next, next + batch);
              worker.postMessage({ start: next, jobs: slice });
              next += slice.length;
            };
            worker.on('message', (reply: { start: number; checks: FileCheck[] }) => {
              for (const [i, c] of reply.checks.entries()) results[reply.start + i] = c;
              post();
            });
            worker.on('error', reject);
            worker.on('exit', (code) => reject(new Error(`check worker exited early with code ${code}`)));
            post();
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results;
}

/**
 * Every check of `cdk8s-baremetal validate` on the YAML files in `paths` (see `loadManifests`),
 * scaled for fleets: files are read and checked object by object on worker threads (schemas
 * compiled once per thread), only compact summaries of each object are kept for the checks across
 * objects, which run once over all files, and a summary cache and `changedFrom` skip files that
 * did not change. The problems are those of `checkManifests` on all objects (with `changedFrom`:
 * the per-object problems of the changed files only).
 */
export async function checkFiles(paths: readonly string[], options: CheckFilesOptions = {}): Promise<CheckFilesResult> {
  const state = prepare(paths, options);
  const { jobs, namespace } = state;
  const workers = options.workers ?? (jobs.length > 64 ? cpus().length : 0);
  const done =
    workers > 0 && jobs.length > 1
      ? await runOnWorkers(jobs, Math.min(workers, jobs.length), namespace)
      : jobs.map((j) => checkFile(j.file, namespace, j.checked, j.extraMaps));
  return finish(state, done, options);
}

/** {@link checkFiles} in the calling thread. */
export function checkFilesSync(paths: readonly string[], options: CheckFilesOptions = {}): CheckFilesResult {
  const state = prepare(paths, options);
  const done = state.jobs.map((j) => checkFile(j.file, state.namespace, j.checked, j.extraMaps));
  return finish(state, done, options);
}

interface Prepared {
  readonly namespace: string;
  readonly files: string[];
  readonly listProblems: ManifestProblem[];
  readonly notes: string[];
  readonly cache?: SummaryCache;
  readonly checked: boolean[];
  readonly results: (FileCheck | undefined)[];
  /** Scope of each file: of an unchanged file whose summary was not read (`changedFrom` with a cache), else filled from its summary. */
  readonly scopes: (FileScope | undefined)[];
  /** Content digest of each file, when known. */
  readonly digests: (string | undefined)[];
  /** With `changedFrom`: scopes of the old versions of changed files and of removed files. */
  readonly before?: FileScope[];
  readonly cachedFiles: number;
  readonly jobs: FileJob[];
}

/** Lists the files, compares them with the old set, takes what the cache has, and lists the rest as jobs. */
function prepare(paths: readonly string[], options: CheckFilesOptions): Prepared {
  const namespace = options.namespace ?? DEFAULT_NAMESPACE;
  const notes: string[] = [];
  const cache = options.cacheDir !== undefined ? SummaryCache.open(options.cacheDir, namespace) : undefined;
  // File digests by status (size, times, inode) from the cache folder's index: a file hashed
  // before and not touched since is not read, a folder unchanged since is not listed (see FileDigests).
  const index =
    options.digests ?? (options.changedFrom !== undefined || cache ? FileDigests.open(options.cacheDir) : undefined);
  const listing = index ? (dir: string) => index.listing(dir) : undefined;
  const { files, problems: listProblems } = listManifestFiles(paths, listing);

  // Which files are checked object by object: all, or those whose bytes differ from the old set.
  const checked = files.map(() => true);
  const digests: (string | undefined)[] = files.map(() => undefined);
  const root = options.changedFrom !== undefined && paths.length === 1 ? paths[0] : undefined;
  let before: FileScope[] | undefined;
  if (index) {
    const oldVersions: { file: string; digest: Digest }[] = [];
    const rels = new Set<string>();
    for (let i = 0; i < files.length; i++) {
      const now = index.digest(files[i]);
      if (now === undefined) continue; // checkFile reports it
      digests[i] = now.digest;
      if (root !== undefined) {
        const rel = relativeTo(root, files[i]);
        rels.add(rel);
        const oldFile = rel === '' ? options.changedFrom! : join(options.changedFrom!, rel);
        const then = index.digest(oldFile);
        if (then !== undefined && then.digest === now.digest) checked[i] = false;
        else if (then !== undefined) oldVersions.push({ file: oldFile, digest: then });
      }
    }
    if (root !== undefined) {
      // Files of the old set that are gone: their namespaces are touched too.
      for (const oldFile of listManifestFiles([options.changedFrom!], listing).files) {
        if (rels.has(relativeTo(options.changedFrom!, oldFile))) continue;
        const then = index.digest(oldFile);
        if (then !== undefined) oldVersions.push({ file: oldFile, digest: then });
      }
      before = oldVersions.map(({ file, digest }) => {
        const known = cache?.scope(digest.digest);
        if (known) return known;
        const check = checkFile(file, namespace, false, [], digest.bytes);
        cache?.set(check);
        return scopeOf(check);
      });
    }
    for (const p of [...paths, ...(options.changedFrom !== undefined ? [options.changedFrom] : [])]) index.cover(p);
    const note = index.save();
    if (note) notes.push(note);
  }

  const results: (FileCheck | undefined)[] = files.map(() => undefined);
  const scopes: (FileScope | undefined)[] = files.map(() => undefined);
  let cachedFiles = 0;
  if (cache) {
    for (let i = 0; i < files.length; i++) {
      if (digests[i] === undefined) continue;
      if (before !== undefined && !checked[i]) {
        // Unchanged: its scope is enough unless the change touches it (see finish).
        scopes[i] = cache.scope(digests[i]!);
        if (scopes[i]) cachedFiles++;
        continue;
      }
      const hit = cache.get(digests[i]!, files[i]);
      if (hit && (hit.checked || !checked[i])) {
        results[i] = hit;
        cachedFiles++;
      }
    }
  }
  const jobs: FileJob[] = [];
  for (let i = 0; i < files.length; i++) {
    if (!results[i] && !scopes[i]) jobs.push({ index: i, file: files[i], checked: checked[i], extraMaps: [] });
  }
  if (cache?.note) notes.push(cache.note);
  return { namespace, files, listProblems, notes, cache, checked, results, scopes, digests, before, cachedFiles, jobs };
}

/** The summary of file `i` that `prepare` left as a scope only: from the cache, else read again. */
function summaryOf(state: Prepared, i: number): FileCheck {
  const hit = state.digests[i] !== undefined ? state.cache?.get(state.digests[i]!, state.files[i]) : undefined;
  return hit ?? checkFile(state.files[i], state.namespace, false);
}

/** Merges the jobs' results, checks ConfigMaps named across files, saves the cache, and runs the checks across objects. */
function finish(state: Prepared, done: FileCheck[], options: CheckFilesOptions): CheckFilesResult {
  const { namespace, files, listProblems, notes, cache, checked, results, before, cachedFiles, jobs } = state;
  for (const [k, j] of jobs.entries()) {
    results[j.index] = done[k];
    cache?.set(done[k]);
  }
  // A change that touches no object whose references leave its namespace: the checks across
  // objects run over the namespaces (and cluster-scoped objects) the change touches only.
  const local = before !== undefined && !before.some((s) => s.wide) && files.every((_f, i) => !scopeAt(state, i).wide);
  if (local) return finishLocal(state, options);
  for (let i = 0; i < files.length; i++) results[i] ??= summaryOf(state, i);

  // A ConfigMap one file names as manifests and another holds: check it (again) with that name.
  const usedMaps = new Set(results.flatMap((r) => r!.manifestMaps));
  const changedMaps = new Set(results.filter((_r, i) => checked[i]).flatMap((r) => r!.manifestMaps));
  for (let i = 0; i < files.length; i++) {
    const r = results[i]!;
    const local = new Set(r.manifestMaps);
    const extra = r.configMaps.filter((m) => usedMaps.has(m) && !local.has(m));
    // Unchanged files are checked again when a changed file names one of their ConfigMaps.
    const touched = checked[i] || r.configMaps.some((m) => changedMaps.has(m));
    if (extra.length > 0 && touched) {
      checked[i] = true;
      results[i] = checkFile(files[i], namespace, true, extra);
    } else if (touched && !r.checked) {
      checked[i] = true;
      results[i] = checkFile(files[i], namespace, true);
      cache?.set(results[i]!);
    }
  }
  saveCache(state);

  const all = results.map((r) => r!);
  const problems: ManifestProblem[] = [...listProblems];
  for (const [i, r] of all.entries()) if (checked[i]) problems.push(...r.problems);
  problems.push(...duplicateProblems(all.flatMap((r) => r.places)));
  const views = all.flatMap((r) => r.views) as ManifestObject[];
  for (const m of findUnresolvedReferences(views, { external: options.external, namespace }))
    problems.push({ file: '', check: 'references', message: m });
  return {
    files: files.length,
    objects: all.reduce((n, r) => n + r.objects, 0),
    checkedFiles: checked.filter((c) => c).length,
    cachedFiles,
    problems,
    notes,
  };
}

/** The scope of file `i`: as `prepare` left it, else from its summary (computed once). */
function scopeAt(state: Prepared, i: number): FileScope {
  return (state.scopes[i] ??= scopeOf(state.results[i]!));
}

/** Rewriting a fleet's whole cache for a handful of new files costs more than parsing them next time. */
function saveCache(state: Prepared): void {
  const { cache, jobs, files, results, notes } = state;
  if (cache && jobs.length > 0 && jobs.length * 100 >= files.length) {
    const note = cache.save(results.filter((r): r is FileCheck => r !== undefined));
    if (note) notes.push(note);
  }
}

/**
 * {@link finish} of a change whose checks across objects stay within namespaces: the per-object
 * problems of the changed files, and the duplicates and references of the namespaces and
 * cluster-scoped objects the change touches (old and new versions), from the summaries of the
 * files that hold them; the other files are known by their scope only.
 */
function finishLocal(state: Prepared, options: CheckFilesOptions): CheckFilesResult {
  const { namespace, files, listProblems, notes, checked, results, before, cachedFiles } = state;
  const change = new ChangeScope([...before!, ...files.flatMap((_f, i) => (checked[i] ? [scopeAt(state, i)] : []))]);
  const problems: ManifestProblem[] = [...listProblems];
  const places: ObjectPlace[] = [];
  const views: ManifestObject[] = [];
  let objects = 0;
  for (let i = 0; i < files.length; i++) {
    objects += scopeAt(state, i).objects;
    if (!checked[i] && !change.touches(scopeAt(state, i))) continue;
    let r = (results[i] ??= summaryOf(state, i));
    if (checked[i] && !r.checked) {
      r = results[i] = checkFile(files[i], namespace, true);
      state.cache?.set(r);
    }
    if (checked[i]) problems.push(...r.problems);
    for (const p of r.places) if (change.keepsPlace(p)) places.push(p);
    for (const v of r.views) if (change.keepsView(v, namespace)) views.push(v as ManifestObject);
  }
  saveCache(state);
  problems.push(...duplicateProblems(places));
  for (const m of findUnresolvedReferences(views, { external: options.external, namespace }))
    problems.push({ file: '', check: 'references', message: m });
  return {
    files: files.length,
    objects,
    checkedFiles: checked.filter((c) => c).length,
    cachedFiles,
    problems,
    notes,
  };
}
