import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, isAbsolute, join, relative } from 'node:path';
import { Worker } from 'node:worker_threads';
import { App, Yaml } from 'cdk8s';
import { SiteFile } from '../core/site-file';
import { synthLoneChart } from './chart-synth';
import { FileSink, FileSinkHandle, FileWriter, writeFilesSync } from './file-writer';
import { FleetClaim, FleetClaims, FleetRegistry } from './fleet-registry';
import { GitOpsOptions, GITOPS_FOLDER, writeGitOps } from './gitops';
import { REPORT_FOLDER, siteReport, writeFleetReport } from './fleet-report';
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
import { compiledScript } from '../private/package-root';
import { stringifyManifest, stringifyManifests } from '../core/yaml-writer';
import { PREFLIGHT_FOLDER } from '../report/report-writer';
import type { SiteFacts } from '../report/site-facts';

export * from './fleet-output';
export { GITOPS_FOLDER, gitOpsManifests } from './gitops';
export type { GitOpsOptions } from './gitops';

/** Which YAML printer writes the manifests. */
export type ManifestWriter = 'fast' | 'cdk8s';

/** What synthesizing one site yielded. */
export interface SiteResult {
  /** Site name (its folder under the output folder). */
  readonly name: string;
  /** Kubernetes objects written (0 when the site failed). */
  readonly objects: number;
  /** Bytes written. */
  readonly bytes: number;
  /** Why the site failed; empty when it succeeded. */
  readonly errors: readonly string[];
}

/** Options of {@link synthesizeFleet}. */
export interface FleetSynthOptions {
  /** Output folder: one sub-folder per site, plus `_gitops/`. */
  readonly outdir: string;
  /**
   * Worker threads that synthesize sites; 0 synthesizes in the calling thread. Files are written
   * by a writer thread in either case. The output does not depend on it.
   * @default - {@link defaultFleetWorkers}: one per core but one, none on 1–2 cores
   */
  readonly workers?: number;
  /**
   * Sites per batch handed to a worker.
   * @default 25
   */
  readonly batchSize?: number;
  /**
   * Module each worker `require`s before building sites, to register extra {@link SiteKinds}.
   * @default - only the built-in kinds
   */
  readonly kindsModule?: string;
  /**
   * Git repository and revision the GitOps examples (Argo CD ApplicationSet, Fleet GitRepo) point at,
   * and the output folder's path inside it.
   * @default - https://git.example.com/fleet.git, main, the outdir relative to the working folder
   */
  readonly gitops?: GitOpsOptions;
  /**
   * How manifests are printed: `fast` (this library's writer, byte for byte the output of cdk8s's
   * `Yaml.stringify` and several times faster) or `cdk8s` (`Yaml.stringify` itself).
   * @default 'fast'
   */
  readonly writer?: ManifestWriter;
  /**
   * Called after each batch, in completion order, with the sites done so far.
   * @default - no progress reports
   */
  readonly onProgress?: (done: number, total: number) => void;
  /**
   * Replace the previous output even when sites failed: the sites that succeeded are written, a
   * failed site keeps its previous folder (if any). Without it nothing is written when a site fails.
   * @default false
   */
  readonly partial?: boolean;
  /**
   * Accept an empty list of sites over a folder that holds a previous output (every site folder
   * is then removed).
   * @default false
   */
  readonly allowEmpty?: boolean;
  /**
   * Stops the synthesis when aborted (checked between batches): the staging folder is removed,
   * the previous output is left as it was and a {@link FleetSynthInterrupted} is thrown. Once the
   * output is being replaced (milliseconds of renames) the replacement is finished first.
   * @default - runs to the end
   */
  readonly signal?: AbortSignal;
  /**
   * More folders of the output (a report, pre-flight checks), written after the sites and owned
   * like them: replaced on every run, listed in the manifest.
   * @default - none
   */
  readonly extraOutputs?: readonly ExtraOutput[];
  /**
   * Also write the report: a diagram per site and the fleet page in `_report/`, the DHCP, DNS and
   * BMC pre-flight files of the whole fleet in `_preflight/`.
   * @default true
   */
  readonly report?: boolean;
  /**
   * With the report, also write each site's pre-flight files into `_preflight/<site>/` (five files
   * a site: at 10,000 sites creating them costs more than the rest of the report).
   * @default false
   */
  readonly preflightPerSite?: boolean;
}

/** A folder of the fleet output besides the site folders and `_gitops/`, such as a report. */
export interface ExtraOutput {
  /** Top-level folder name; starts with `_`, so that it can never be a site name (a DNS label). */
  readonly folder: string;
  /** The folder's files: path relative to the folder, and text. */
  files(result: Omit<FleetResult, 'output'>): Record<string, string>;
}

/** Thrown by {@link synthesizeFleet} when its signal aborts it; the previous output is as it was. */
export class FleetSynthInterrupted extends Error {
  constructor(reason: string, outdir: string) {
    super(
      `interrupted (${reason}) before the output was replaced: nothing written; the previous output in ${outdir} is unchanged`,
    );
    this.name = 'FleetSynthInterrupted';
  }
}

/** What a run did to the output folder. */
export interface OutputReport {
  /** Absolute output folder. */
  readonly outdir: string;
  /** Whether the new output replaced the previous one. */
  readonly written: boolean;
  /** The previous output: `none` (there was none), `replaced`, or `unchanged` (nothing written). */
  readonly previous: 'none' | 'replaced' | 'unchanged';
  /**
   * What the replacement did to each entry; absent when nothing was written.
   * @default - nothing written
   */
  readonly swap?: SwapReport;
  /** Entries the tool did not write (`.git`, a README, …): kept as they were. */
  readonly kept: readonly string[];
  /** What was done about an earlier run's leftovers (an interrupted replacement completed, staging folders removed). */
  readonly notes: readonly string[];
  /**
   * The file system error that stopped the run (disk full, permissions), with the space needed.
   * @default - none
   */
  readonly error?: string;
}

/** What {@link synthesizeFleet} did. */
export interface FleetResult {
  /** One result per site, in inventory order. */
  readonly sites: readonly SiteResult[];
  /** Kubernetes objects written. */
  readonly objects: number;
  /** Bytes written. */
  readonly bytes: number;
  /** Sites that failed. */
  readonly failed: readonly SiteResult[];
  /** Wall time in milliseconds. */
  readonly millis: number;
  /** What happened to the output folder. */
  readonly output: OutputReport;
}

/** A site result with its uniqueness claims, as a worker returns it. */
export interface SiteOutcome extends SiteResult {
  /** The site's claims on fleet-wide unique values (MACs, BMC addresses, IPs, names). */
  readonly claims: readonly FleetClaim[];
  /**
   * The site's facts for the fleet report.
   * @default - none: no report asked for, or the site failed
   */
  readonly facts?: SiteFacts;
  /**
   * Files written (0 when the site failed).
   * @default - not counted
   */
  readonly files?: number;
}

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
  for (const [, text] of files) bytes += Buffer.byteLength(text);
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
    ...(siteFacts ? { facts: siteFacts.facts } : {}),
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
  const reportFolders = siteReports ? [REPORT_FOLDER, PREFLIGHT_FOLDER] : [];
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
    ...extras.map((e) => e.folder),
  ]);
  const outdir = previous.outdir;
  if (sites.length === 0 && previous.owned.length > 0 && !options.allowEmpty) {
    throw new FleetOutputError(
      `[synthesizeFleet] 'sites' is empty while ${JSON.stringify(options.outdir)} holds a previous output of ${previous.owned.length} entries (got 0 sites); check the inventory, or allow an empty output (--allow-empty) to remove them`,
    );
  }
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
    const need = diskEstimate(previous.bytes, previous.files);
    const free = freeBytes(staged.dir);
    if (free !== undefined && need > free) {
      throw new FleetOutputError(
        `[synthesizeFleet] 'outdir' has ${formatBytes(free)} free on its file system, less than the previous output took (about ${formatBytes(need)}) (got ${JSON.stringify(options.outdir)}); free some space first: the new output is built next to the previous one before it replaces it`,
      );
    }
    return await synthesizeInto(staged, sites, options, {
      batchSize,
      requested,
      writer,
      extras,
      start,
      report,
      siteReports,
    });
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
}

async function synthesizeInto(
  staged: StagedOutput,
  sites: readonly SiteDescription[],
  options: FleetSynthOptions,
  run: RunSettings,
): Promise<FleetResult> {
  const dir = staged.dir;
  const { batchSize, requested, writer } = run;
  const batches: SiteDescription[][] = [];
  for (let i = 0; i < sites.length; i += batchSize) batches.push(sites.slice(i, i + batchSize));
  const outcomes: SiteOutcome[][] = new Array(batches.length);
  let done = 0;
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

  // Fleet-wide uniqueness, in inventory order.
  const claims = new FleetClaims();
  const results: SiteResult[] = [];
  let fatal: string | undefined;
  let wanted = 0;
  let fileCount = 0;
  for (const outcome of outcomes.flat()) {
    wanted += outcome.bytes;
    // A site that built but could not be written, or that claims another site's values, fails
    // here: its folder is removed.
    // Messages name the output folder, not the staging folder the files went to.
    const writeError = unwritten.get(outcome.name)?.split(dir).join(staged.previous.outdir);
    if (writeError && isFatalFsError(writeError)) fatal ??= writeError;
    const late = outcome.errors.length > 0 ? [] : writeError ? [writeError] : claims.add(outcome.name, outcome.claims);
    if (late.length > 0) {
      rmSync(join(dir, outcome.name), { recursive: true, force: true });
      results.push({ name: outcome.name, objects: 0, bytes: 0, errors: late });
    } else {
      results.push({ name: outcome.name, objects: outcome.objects, bytes: outcome.bytes, errors: outcome.errors });
      if (outcome.errors.length === 0) fileCount += outcome.files ?? 0;
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
  const finish = (bytes: number, output: OutputReport): FleetResult => ({
    ...summary,
    bytes,
    millis: Date.now() - run.start,
    output,
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
      const written = writeFleetReport(outcomes.flat(), summary.sites, dir);
      bytes += written.bytes;
      fileCount += written.files;
    }
    for (const extra of run.extras) {
      const written = writeFolder(join(dir, extra.folder), extra.files({ ...summary, millis: Date.now() - run.start }));
      bytes += written.bytes;
      fileCount += written.files;
    }
    const swap = staged.commit(
      { bytes, files: fileCount },
      failed.map((f) => f.name),
    );
    return finish(bytes, run.report(true, { swap }));
  } catch (err) {
    if (err instanceof FleetOutputError || (err as { simulatedCrash?: boolean })?.simulatedCrash) throw err;
    staged.discard();
    const error = describeFsError(err, (err as { path?: string })?.path ?? staged.dir);
    return finish(0, run.report(false, { error: `${error}; nothing written, the previous output is unchanged` }));
  }
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
