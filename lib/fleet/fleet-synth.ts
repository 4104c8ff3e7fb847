import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import { Worker } from 'node:worker_threads';
import { App, Yaml } from 'cdk8s';
import { SiteFile } from '../core/site-file';
import { synthLoneChart } from './chart-synth';
import { FileSink, FileSinkHandle, FileWriter, writeFilesSync } from './file-writer';
import {
  CachedFile,
  CachedSite,
  FLEET_CACHE,
  planReuse,
  recordDigests,
  renderCache,
  runContext,
  sha256,
} from './fleet-cache';
import { FleetClaims, FleetRegistry } from './fleet-registry';
import { GITOPS_FOLDER, writeGitOps } from './gitops';
import { linkReportFiles, REPORT_FOLDER, siteReport, writeFleetReport } from './fleet-report';
import {
  ExtraOutput,
  FleetResult,
  FleetSynthInterrupted,
  FleetSynthOptions,
  IncrementalReport,
  ManifestWriter,
  OutputReport,
  PreviousOutputFiles,
  SiteOutcome,
  SiteResult,
} from './fleet-synth-options';
import {
  describeFsError,
  diskEstimate,
  FleetOutputError,
  formatBytes,
  freeBytes,
  inspectOutput,
  isFatalFsError,
  StagedOutput,
  SwapReport,
} from './fleet-output';
import { buildSite, SiteDescription, siteNamespace } from './site-description';
import { expectInteger } from '../private/errors';
import { FileDigests } from '../private/file-digests';
import { compiledScript } from '../private/package-root';
import { stringifyManifest, stringifyManifests } from '../core/yaml-writer';
import { PREFLIGHT_FOLDER } from '../report/report-writer';
import type { SiteFacts } from '../report/site-facts';

export * from './fleet-output';
export * from './fleet-synth-options';
export { FLEET_CACHE } from './fleet-cache';
export { GITOPS_FOLDER, gitOpsManifests } from './gitops';
export type { GitOpsOptions } from './gitops';

/**
 * Synthesizes one site in an app of its own (so the cost does not grow with the fleet): cdk8s
 * validation and dependency ordering as `Chart.toJson()` does them ({@link synthLoneChart}), the YAML written byte for byte as
 * cdk8s's `Yaml.stringify`, into `<outdir>/<site>/<site>.k8s.yaml` with a `kustomization.yaml`, a
 * Fleet `fleet.yaml` and the site's {@link SiteFile}s. Never throws for a bad site: the errors are
 * in the result. With a `sink` (a {@link FileWriter}) the files are handed to it instead of
 * being written before this returns.
 */
export function synthesizeSite(
  site: SiteDescription,
  outdir: string,
  writer: ManifestWriter = 'fast',
  sink?: FileSink,
  report: boolean | 'per-site' = false,
): SiteOutcome {
  const name = typeof site?.name === 'string' ? site.name : String(site?.name);
  const origin = site?.source ? `${site.source.file}:${site.source.line}: ` : '';
  let docs: unknown[];
  let app: App;
  try {
    app = new App({ outdir });
    const chart = buildSite(app, site);
    docs = synthLoneChart(chart);
  } catch (err) {
    const message = (err as Error)?.message ?? String(err);
    const errors = message
      .replace(/^Validation failed with the following errors:\n/, '')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '')
      .map((l) => `${origin}${l}`);
    return { name, objects: 0, bytes: 0, errors, claims: [], files: 0 };
  }
  const dir = join(outdir, name);
  const manifest = `${name}.k8s.yaml`;
  const files: [string, string][] = [
    [join(dir, manifest), writer === 'cdk8s' ? Yaml.stringify(...docs) : stringifyManifests(docs)],
    [
      join(dir, 'kustomization.yaml'),
      stringifyManifest({
        apiVersion: 'kustomize.config.k8s.io/v1beta1',
        kind: 'Kustomization',
        resources: [manifest],
      }),
    ],
    [
      join(dir, 'fleet.yaml'),
      stringifyManifest({ name, labels: { 'cdk8s-baremetal/site': name }, defaultNamespace: siteNamespace(site) }),
    ],
  ];
  for (const file of SiteFile.all(app)) files.push([join(outdir, file.path), file.render()]);
  const siteFacts = report ? siteReport(app, name, docs, outdir, report === 'per-site') : undefined;
  if (siteFacts) files.push(...siteFacts.files);
  let bytes = 0;
  let digests: CachedFile[] | null = [];
  const reportFiles = new Set(siteFacts?.files.map(([path]) => path));
  const reportDigests: CachedFile[] = [];
  for (const [path, text] of files) {
    const size = Buffer.byteLength(text);
    bytes += size;
    const rel = relative(outdir, path).split(sep).join('/');
    // The report's files are not the site's folder: a kept site's are linked or drawn again.
    if (reportFiles.has(path)) reportDigests.push([rel, size, sha256(text)]);
    else if (digests && rel.startsWith(`${name}/`)) digests.push([rel, size, sha256(text)]);
    else digests = null;
  }
  digests?.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  if (sink) {
    sink.write({ site: name, files });
  } else {
    const error = writeFilesSync({ site: name, files });
    if (error) return { name, objects: 0, bytes: 0, errors: [`${origin}${error}`], claims: [] };
  }
  return {
    name,
    objects: docs.length,
    bytes,
    errors: [],
    claims: FleetRegistry.of(app).entries(),
    files: files.length,
    digests,
    ...(siteFacts ? { facts: siteFacts.facts, reportDigests } : {}),
  };
}

/**
 * The number of synthesis worker threads {@link synthesizeFleet} starts by default: one per core
 * but one, which the writer thread and the garbage collector keep busy; none on one or two cores,
 * where the calling thread synthesizes. On a 2-core machine two synthesis workers next to the
 * writer thread were no faster than the calling thread alone (3,000 sites: 1.21× slower; 10,000
 * sites: 1.01×, paired runs), as the writer thread already uses the second core.
 */
export function defaultFleetWorkers(cores: number = cpus().length): number {
  return cores <= 2 ? 0 : cores - 1;
}

/** Runs batches on `count` worker threads; results come back per batch index. */
async function runOnWorkers(
  batches: SiteDescription[][],
  count: number,
  script: string,
  workerData: { outdir: string; kindsModule?: string; writer: ManifestWriter; report: boolean | 'per-site' },
  onBatch: (index: number, outcomes: SiteOutcome[]) => void,
  files: FileWriter,
  interrupted: () => Error | undefined,
): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: count }, () => {
    const sink: FileSinkHandle | undefined = files.connect();
    return new Worker(script, { workerData: { ...workerData, sink }, transferList: sink ? [sink.port] : [] });
  });
  try {
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            let finished = false;
            const feed = () => {
              const stop = interrupted();
              if (stop) {
                finished = true;
                reject(stop);
                return;
              }
              if (next >= batches.length) {
                finished = true;
                resolve();
                return;
              }
              worker.postMessage({ index: next, sites: batches[next] });
              next++;
            };
            worker.on('message', (msg: { index: number; outcomes: SiteOutcome[] }) => {
              onBatch(msg.index, msg.outcomes);
              feed();
            });
            worker.on('error', reject);
            worker.on('exit', (code) => {
              if (!finished) reject(new Error(`fleet worker exited early with code ${code}`));
            });
            feed();
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/**
 * Synthesizes every site of a fleet into `<outdir>/<site>/`, each in an app of its own (linear in
 * the number of sites), on worker threads over batches of sites. Boot MACs, BMC addresses, host
 * names and IPs are then checked for uniqueness across the whole fleet in inventory order, so the
 * output never depends on the number of workers. A bad site does not stop the others: it is
 * reported in the result. Also writes `_gitops/` with an Argo CD ApplicationSet (git directory
 * generator) and a Fleet GitRepo over the site folders.
 *
 * The output is never half written and never loses what the tool did not write: every input is
 * checked first ({@link inspectOutput}), the new output is built in a staging folder next to the
 * output folder, and it replaces the previous output ({@link StagedOutput.commit}) only when every
 * site succeeded (or with `partial`). Only the entries listed in the output's manifest
 * ({@link FLEET_MARKER}) are replaced or removed; `.git`, a README and other files stay.
 */
export async function synthesizeFleet(
  sites: readonly SiteDescription[],
  options: FleetSynthOptions,
): Promise<FleetResult> {
  const start = Date.now();
  // Every option and the output folder are checked before anything is written.
  const batchSize = expectInteger(options.batchSize ?? 25, { path: 'synthesizeFleet', prop: 'batchSize' }, 1, 1e6);
  const requested =
    options.workers === undefined
      ? defaultFleetWorkers()
      : expectInteger(options.workers, { path: 'synthesizeFleet', prop: 'workers' }, 0, 1024);
  const writer = options.writer ?? 'fast';
  if (writer !== 'fast' && writer !== 'cdk8s') {
    throw new Error(
      `[synthesizeFleet] 'writer' is not a writer (got ${JSON.stringify(writer)}); use 'fast' or 'cdk8s'`,
    );
  }
  const siteReports: boolean | 'per-site' =
    options.report === false ? false : options.preflightPerSite ? 'per-site' : true;
  const reportFolders = siteReportFolders(siteReports);
  const extras = options.extraOutputs ?? [];
  for (const extra of extras) {
    if (
      !/^_[a-z0-9][a-z0-9_-]*$/.test(extra?.folder) ||
      extra.folder === GITOPS_FOLDER ||
      reportFolders.includes(extra.folder)
    ) {
      throw new Error(
        `[synthesizeFleet] 'extraOutputs' names a folder that is not "_" and lower-case letters, digits, "-" or "_" or is taken by ${[GITOPS_FOLDER, ...reportFolders].join(', ')} (got ${JSON.stringify(extra?.folder)}); use another name, such as _checks`,
      );
    }
  }
  const names = sites.map((s) => s?.name).filter((n): n is string => typeof n === 'string' && n !== '');
  const previous = inspectOutput(options.outdir, [
    ...names,
    GITOPS_FOLDER,
    ...reportFolders,
    FLEET_CACHE,
    ...extras.map((e) => e.folder),
  ]);
  const outdir = previous.outdir;
  if (sites.length === 0 && previous.owned.length > 0 && !options.allowEmpty) {
    throw new FleetOutputError(
      `[synthesizeFleet] 'sites' is empty while ${JSON.stringify(options.outdir)} holds a previous output of ${previous.owned.length} entries (got 0 sites); check the inventory, or allow an empty output (--allow-empty) to remove them`,
    );
  }
  const context = runContext(
    writer,
    options.kindsModule,
    siteReports === false ? 'none' : siteReports === true ? 'site' : 'per-site',
  );
  const digests = FileDigests.open(options.cacheDir);
  const reuse = planReuse(previous, sites, context, options.full === true, digests, siteReports !== false);
  const staged = StagedOutput.create(previous);
  const report = (written: boolean, extra: Partial<OutputReport> = {}): OutputReport => ({
    outdir,
    written,
    previous:
      !previous.exists || (previous.owned.length === 0 && !previous.legacy)
        ? 'none'
        : written
          ? 'replaced'
          : 'unchanged',
    kept: previous.foreign,
    notes: previous.notes,
    ...extra,
  });
  try {
    // Sites kept in place take no new space.
    let keptBytes = 0;
    let keptFiles = 0;
    for (const kept of reuse.reuse.values()) {
      keptBytes += kept.bytes;
      keptFiles += kept.files.length;
    }
    const need = diskEstimate(Math.max(0, previous.bytes - keptBytes), Math.max(0, previous.files - keptFiles));
    const free = freeBytes(staged.dir);
    if (free !== undefined && need > free) {
      throw new FleetOutputError(
        `[synthesizeFleet] 'outdir' has ${formatBytes(free)} free on its file system, less than the previous output took (about ${formatBytes(need)}) (got ${JSON.stringify(options.outdir)}); free some space first: the new output is built next to the previous one before it replaces it`,
      );
    }
    const settings = { batchSize, requested, writer, extras, start, report, reuse, context, digests, siteReports };
    const result = await synthesizeInto(staged, sites, options, settings);
    if (result !== 'full') return result;
    // A site synthesized now writes outside its folder: folders cannot be kept one by one.
    const again = StagedOutput.create(previous);
    try {
      const none = { ...reuse, reuse: new Map<string, CachedSite>(), note: undefined };
      return (await synthesizeInto(again, sites, options, { ...settings, reuse: none })) as FleetResult;
    } catch (err) {
      again.discard();
      throw err;
    }
  } catch (err) {
    staged.discard();
    throw err;
  }
}

interface RunSettings {
  readonly siteReports: boolean | 'per-site';
  readonly batchSize: number;
  readonly requested: number;
  readonly writer: ManifestWriter;
  readonly extras: readonly ExtraOutput[];
  readonly start: number;
  readonly report: (written: boolean, extra?: Partial<OutputReport>) => OutputReport;
  readonly reuse: ReturnType<typeof planReuse>;
  readonly context: string;
  readonly digests: FileDigests;
}

async function synthesizeInto(
  staged: StagedOutput,
  sites: readonly SiteDescription[],
  options: FleetSynthOptions,
  run: RunSettings,
): Promise<FleetResult | 'full'> {
  const dir = staged.dir;
  const { batchSize, requested, writer } = run;
  const kept = run.reuse.reuse;
  // Only the sites not kept from the previous output are synthesized.
  const toBuild = kept.size === 0 ? sites : sites.filter((s) => !kept.has(s.name));
  const batches: SiteDescription[][] = [];
  for (let i = 0; i < toBuild.length; i += batchSize) batches.push(toBuild.slice(i, i + batchSize));
  const outcomes: SiteOutcome[][] = new Array(batches.length);
  let done = sites.length - toBuild.length;
  const onBatch = (index: number, batch: SiteOutcome[]) => {
    outcomes[index] = batch;
    done += batch.length;
    options.onProgress?.(done, sites.length);
  };
  const interrupted = () =>
    options.signal?.aborted
      ? new FleetSynthInterrupted(String(options.signal.reason ?? 'aborted'), staged.previous.outdir)
      : undefined;
  const script = compiledScript(__dirname, 'fleet-worker.js');
  const workers = Math.min(requested, batches.length);
  // Files are written on a thread of their own while the sites are synthesized.
  const files = FileWriter.start();
  let unwritten: Map<string, string>;
  try {
    if (workers > 0 && script) {
      const data = { outdir: dir, kindsModule: options.kindsModule, writer, report: run.siteReports };
      await runOnWorkers(batches, workers, script, data, onBatch, files, interrupted);
    } else {
      if (options.kindsModule) require(options.kindsModule);
      for (let i = 0; i < batches.length; i++) {
        const stop = interrupted();
        if (stop) throw stop;
        onBatch(
          i,
          batches[i].map((s) => synthesizeSite(s, dir, writer, files, run.siteReports)),
        );
        // Lets a signal handler run between batches.
        if (options.signal) await new Promise((r) => setImmediate(r));
      }
    }
  } finally {
    unwritten = await files.close();
  }
  const stop = interrupted();
  if (stop) throw stop;
  const built = outcomes.flat();
  if (kept.size > 0 && built.some((o) => o.errors.length === 0 && o.digests === null)) {
    staged.discard();
    return 'full';
  }
  // Kept sites in inventory order between the built ones, with their cached claims.
  let next = 0;
  const all: SiteOutcome[] =
    kept.size === 0
      ? built
      : sites.map((site) => {
          const c = kept.get(site.name);
          if (!c) return built[next++];
          return {
            name: c.name,
            objects: c.objects,
            bytes: c.bytes,
            errors: [],
            claims: c.claims,
            files: c.files.length,
            ...(c.facts ? { facts: c.facts as SiteFacts } : {}),
          };
        });

  // Fleet-wide uniqueness, in inventory order.
  const claims = new FleetClaims();
  const results: SiteResult[] = [];
  let fatal: string | undefined;
  let wanted = 0;
  let fileCount = 0;
  const cache: CachedSite[] = [];
  let cacheable = run.reuse.cacheable;
  const keptOk: string[] = [];
  const builtOk: string[] = [];
  for (const [index, outcome] of all.entries()) {
    wanted += outcome.bytes;
    // A site that built but could not be written, or that claims another site's values, fails
    // here: its folder is removed.
    // Messages name the output folder, not the staging folder the files went to.
    const writeError = unwritten.get(outcome.name)?.split(dir).join(staged.previous.outdir);
    if (writeError && isFatalFsError(writeError)) fatal ??= writeError;
    const late = outcome.errors.length > 0 ? [] : writeError ? [writeError] : claims.add(outcome.name, outcome.claims);
    const keptSite = kept.get(outcome.name);
    if (late.length > 0) {
      if (!keptSite) rmSync(join(dir, outcome.name), { recursive: true, force: true });
      results.push({ name: outcome.name, objects: 0, bytes: 0, errors: late });
    } else {
      results.push({ name: outcome.name, objects: outcome.objects, bytes: outcome.bytes, errors: outcome.errors });
      if (outcome.errors.length === 0) {
        fileCount += outcome.files ?? 0;
        if (keptSite) {
          keptOk.push(outcome.name);
          cache.push(keptSite);
        } else if (outcome.digests) {
          const { name, objects, bytes, claims, digests: files, facts, reportDigests: report } = outcome;
          const key = run.reuse.keys[index];
          cache.push({ name, key, objects, bytes, claims, files, ...(facts ? { facts, report } : {}) });
          builtOk.push(outcome.name);
        } else {
          cacheable = false;
        }
      }
    }
  }
  const ok = results.filter((r) => r.errors.length === 0);
  const failed = results.filter((r) => r.errors.length > 0);
  const summary = {
    sites: results,
    objects: ok.reduce((n, r) => n + r.objects, 0),
    bytes: ok.reduce((n, r) => n + r.bytes, 0),
    failed,
  };
  const incremental: IncrementalReport = {
    reused: kept.size,
    synthesized: toBuild.length,
    ...(run.reuse.note ? { note: run.reuse.note } : {}),
  };
  const finish = (bytes: number, output: OutputReport): FleetResult => ({
    ...summary,
    bytes,
    millis: Date.now() - run.start,
    output: { ...output, incremental },
  });
  if (fatal) {
    staged.discard();
    const free = freeBytes(staged.previous.exists ? staged.previous.outdir : dirname(staged.dir));
    const space = /\((ENOSPC|EDQUOT)\)/.test(fatal)
      ? `; the new output needs about ${formatBytes(diskEstimate(wanted, fileCount + failed.length * 3))}${free !== undefined ? `, ${formatBytes(free)} free now` : ''}`
      : '';
    return finish(
      0,
      run.report(false, { error: `${fatal}${space}; nothing written, the previous output is unchanged` }),
    );
  }
  if (failed.length > 0 && !options.partial) {
    staged.discard();
    return finish(0, run.report(false));
  }
  try {
    let bytes = summary.bytes + writeGitOps(dir, staged.previous.outdir, options.gitops);
    fileCount += 3;
    if (run.siteReports) {
      // A kept site's report files are linked from the previous output when they are as the
      // cache says (else drawn again from its facts).
      const linked = linkReportFiles(keptOk, kept, staged.previous.outdir, dir, run.digests);
      fileCount += linked.files;
      const draw = new Set(keptOk.filter((name) => !linked.sites.has(name)));
      const written = writeFleetReport(all, summary.sites, dir, run.siteReports === 'per-site', draw);
      bytes += written.bytes;
      fileCount += written.files;
    }
    for (const extra of run.extras) {
      const written = writeFolder(join(dir, extra.folder), extra.files({ ...summary, millis: Date.now() - run.start }));
      bytes += written.bytes;
      fileCount += written.files;
    }
    // The cache is not counted in the manifest's bytes and files (nor is the manifest).
    if (cacheable) writeFileSync(join(dir, FLEET_CACHE), renderCache(run.context, cache));
    const swap = staged.commit(
      { bytes, files: fileCount },
      failed.map((f) => f.name),
      keptOk,
      options.keepPrevious === true,
    );
    // The previous report holds no manifests, and its files share their inodes with the linked
    // ones of the new report: removing it later would change their status after it is recorded.
    if (staged.backup !== undefined) {
      for (const folder of siteReportFolders(run.siteReports))
        rmSync(join(staged.backup, folder), { recursive: true, force: true });
    }
    if (options.cacheDir !== undefined) recordDigests(run.digests, staged.previous.outdir, cache, builtOk);
    const previous = options.keepPrevious === true ? previousFiles(staged, swap, cache) : undefined;
    return { ...finish(bytes, run.report(true, { swap })), ...(previous ? { previous } : {}) };
  } catch (err) {
    if (err instanceof FleetOutputError || (err as { simulatedCrash?: boolean })?.simulatedCrash) throw err;
    staged.discard();
    const error = describeFsError(err, (err as { path?: string })?.path ?? staged.dir);
    return finish(0, run.report(false, { error: `${error}; nothing written, the previous output is unchanged` }));
  }
}

/** The folders the report writes (none without it). */
function siteReportFolders(siteReports: boolean | 'per-site'): string[] {
  return siteReports ? [REPORT_FOLDER, PREFLIGHT_FOLDER] : [];
}

/**
 * What a run with `keepPrevious` hands over: the backup of the replaced and removed entries, the
 * added entries, and the digests of every site file now in the output. Undefined when a previous
 * output existed but its backup is gone (a swap completed after an error): the change cannot be told.
 */
function previousFiles(
  staged: StagedOutput,
  swap: SwapReport,
  sites: readonly CachedSite[],
): PreviousOutputFiles | undefined {
  const backup = staged.backup;
  if (backup === undefined && staged.previous.exists && staged.previous.owned.length > 0) return undefined;
  const files = new Map<string, { size: number; digest: string }>();
  for (const site of sites) for (const [path, size, digest] of site.files) files.set(path, { size, digest });
  let released = false;
  return {
    ...(backup !== undefined ? { backup } : {}),
    added: swap.added,
    files,
    release() {
      if (released || backup === undefined) return;
      released = true;
      rmSync(backup, { recursive: true, force: true });
    },
  };
}

function writeFolder(dir: string, files: Record<string, string>): { bytes: number; files: number } {
  let bytes = 0;
  let count = 0;
  for (const [path, text] of Object.entries(files)) {
    const target = join(dir, path);
    if (relative(dir, target).startsWith('..') || isAbsolute(relative(dir, target))) {
      throw new Error(
        `[synthesizeFleet] 'extraOutputs' writes outside its folder (got ${JSON.stringify(path)}); use a relative path`,
      );
    }
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, text);
    bytes += Buffer.byteLength(text);
    count++;
  }
  return { bytes, files: count };
}
