import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { basename, isAbsolute, join, relative } from 'node:path';
import { Worker } from 'node:worker_threads';
import { App, Yaml } from 'cdk8s';
import { SiteFile } from '../core/site-file';
import { synthLoneChart } from './chart-synth';
import { FileSink, FileSinkHandle, FileWriter, writeFilesSync } from './file-writer';
import { FleetClaim, FleetClaims, FleetRegistry } from './fleet-registry';
import { siteReport, writeFleetReport } from './fleet-report';
import { buildSite, SiteDescription, siteNamespace } from './site-description';
import { expectInteger } from '../private/errors';
import { compiledScript } from '../private/package-root';
import { stringifyManifest, stringifyManifests } from '../core/yaml-writer';
import type { SiteFacts } from '../report/site-facts';

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

/** Where the GitOps engine finds the synthesized folders. */
export interface GitOpsOptions {
  /** Repository URL. */
  readonly repoURL: string;
  /**
   * Branch or tag.
   * @default 'main'
   */
  readonly revision?: string;
  /**
   * Path of the output folder inside the repository.
   * @default - the outdir relative to the working folder (its base name when it lies outside)
   */
  readonly path?: string;
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
}

/** File that marks an output folder as written by {@link synthesizeFleet}, so that it may be emptied. */
export const FLEET_MARKER = '.cdk8s-baremetal-fleet';
/** Folder (not a DNS label, so never a site) with the GitOps engine examples. */
export const GITOPS_FOLDER = '_gitops';

/** A site result with its uniqueness claims, as a worker returns it. */
export interface SiteOutcome extends SiteResult {
  /** The site's claims on fleet-wide unique values (MACs, BMC addresses, IPs, names). */
  readonly claims: readonly FleetClaim[];
  /**
   * The site's facts for the fleet report.
   * @default - none: no report asked for, or the site failed
   */
  readonly facts?: SiteFacts;
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
    return { name, objects: 0, bytes: 0, errors, claims: [] };
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

/** Empties `outdir` when it is missing, empty or marked as a fleet output; refuses any other folder. */
function prepareOutdir(outdir: string): void {
  if (existsSync(outdir)) {
    const entries = readdirSync(outdir);
    if (entries.length > 0 && !entries.includes(FLEET_MARKER)) {
      throw new Error(
        `[synthesizeFleet] 'outdir' is a folder with other content (got ${JSON.stringify(outdir)}); pick an empty folder, so that sites removed from the inventory leave no stale output`,
      );
    }
    for (const entry of entries) rmSync(join(outdir, entry), { recursive: true, force: true });
  }
  mkdirSync(outdir, { recursive: true });
  writeFileSync(join(outdir, FLEET_MARKER), 'Written by cdk8s-baremetal synth; emptied on every run.\n');
}

/** Runs batches on `count` worker threads; results come back per batch index. */
async function runOnWorkers(
  batches: SiteDescription[][],
  count: number,
  script: string,
  workerData: { outdir: string; kindsModule?: string; writer: ManifestWriter; report: boolean | 'per-site' },
  onBatch: (index: number, outcomes: SiteOutcome[]) => void,
  files: FileWriter,
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
 * reported in the result and its folder is not written. Also writes `_gitops/` with an Argo CD
 * ApplicationSet (git directory generator) and a Fleet GitRepo over the site folders.
 */
export async function synthesizeFleet(
  sites: readonly SiteDescription[],
  options: FleetSynthOptions,
): Promise<FleetResult> {
  const start = Date.now();
  const outdir = options.outdir;
  // Options are checked before the output folder is emptied.
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
  const report: boolean | 'per-site' = options.report === false ? false : options.preflightPerSite ? 'per-site' : true;
  prepareOutdir(outdir);
  const batches: SiteDescription[][] = [];
  for (let i = 0; i < sites.length; i += batchSize) batches.push(sites.slice(i, i + batchSize));
  const outcomes: SiteOutcome[][] = new Array(batches.length);
  let done = 0;
  const onBatch = (index: number, batch: SiteOutcome[]) => {
    outcomes[index] = batch;
    done += batch.length;
    options.onProgress?.(done, sites.length);
  };
  const script = compiledScript(__dirname, 'fleet-worker.js');
  const workers = Math.min(requested, batches.length);
  // Files are written on a thread of their own while the sites are synthesized.
  const files = FileWriter.start();
  let unwritten: Map<string, string>;
  try {
    if (workers > 0 && script) {
      const data = { outdir, kindsModule: options.kindsModule, writer, report };
      await runOnWorkers(batches, workers, script, data, onBatch, files);
    } else {
      if (options.kindsModule) require(options.kindsModule);
      batches.forEach((batch, i) =>
        onBatch(
          i,
          batch.map((s) => synthesizeSite(s, outdir, writer, files, report)),
        ),
      );
    }
  } finally {
    unwritten = await files.close();
  }

  // Fleet-wide uniqueness, in inventory order.
  const claims = new FleetClaims();
  const results: SiteResult[] = [];
  for (const outcome of outcomes.flat()) {
    // A site that built but could not be written, or that claims another site's values, fails
    // here: its folder is removed.
    const writeError = unwritten.get(outcome.name);
    const late = outcome.errors.length > 0 ? [] : writeError ? [writeError] : claims.add(outcome.name, outcome.claims);
    if (late.length > 0) {
      rmSync(join(outdir, outcome.name), { recursive: true, force: true });
      results.push({ name: outcome.name, objects: 0, bytes: 0, errors: late });
    } else {
      results.push({ name: outcome.name, objects: outcome.objects, bytes: outcome.bytes, errors: outcome.errors });
    }
  }
  const ok = results.filter((r) => r.errors.length === 0);
  const gitopsBytes = writeGitOps(outdir, options.gitops);
  const reportBytes = report ? writeFleetReport(outcomes.flat(), results, outdir) : 0;
  return {
    sites: results,
    objects: ok.reduce((n, r) => n + r.objects, 0),
    bytes: ok.reduce((n, r) => n + r.bytes, 0) + gitopsBytes + reportBytes,
    failed: results.filter((r) => r.errors.length > 0),
    millis: Date.now() - start,
  };
}

/**
 * The GitOps engine examples over the site folders: an Argo CD ApplicationSet with a git
 * directory generator (one Application per site folder, in namespace `site-<name>`) and a Fleet
 * GitRepo (each folder's `fleet.yaml` makes it a bundle). Apply one of them to the management
 * cluster(s); adjust the destination and targets to your topology.
 */
export function gitOpsManifests(
  outdirPath: string,
  gitops?: GitOpsOptions,
): { applicationSet: object; gitRepo: object } {
  const repoURL = gitops?.repoURL ?? 'https://git.example.com/fleet.git';
  const revision = gitops?.revision ?? 'main';
  const fromCwd = relative(process.cwd(), outdirPath);
  const defaultPath = isAbsolute(fromCwd) || fromCwd.startsWith('..') ? basename(outdirPath) : fromCwd;
  const path = (gitops?.path ?? defaultPath).replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/$/, '');
  const applicationSet = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'ApplicationSet',
    metadata: { name: 'baremetal-sites', namespace: 'argocd' },
    spec: {
      goTemplate: true,
      goTemplateOptions: ['missingkey=error'],
      generators: [
        {
          git: {
            repoURL,
            revision,
            directories: [
              { path: `${path}/*` },
              ...[GITOPS_FOLDER, '_report', '_preflight'].map((f) => ({ path: `${path}/${f}`, exclude: true })),
            ],
          },
        },
      ],
      template: {
        metadata: { name: '{{.path.basename}}', labels: { 'cdk8s-baremetal/site': '{{.path.basename}}' } },
        spec: {
          project: 'default',
          source: { repoURL, targetRevision: revision, path: '{{.path.path}}' },
          destination: { server: 'https://kubernetes.default.svc', namespace: 'site-{{.path.basename}}' },
          syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ['CreateNamespace=true'] },
        },
      },
    },
  };
  const gitRepo = {
    apiVersion: 'fleet.cattle.io/v1alpha1',
    kind: 'GitRepo',
    metadata: { name: 'baremetal-sites', namespace: 'fleet-local' },
    spec: { repo: repoURL, branch: revision, paths: [path] },
  };
  return { applicationSet, gitRepo };
}

function writeGitOps(outdir: string, gitops?: GitOpsOptions): number {
  const dir = join(outdir, GITOPS_FOLDER);
  mkdirSync(dir, { recursive: true });
  const { applicationSet, gitRepo } = gitOpsManifests(outdir, gitops);
  const files: [string, string][] = [
    ['applicationset.yaml', stringifyManifest(applicationSet)],
    ['gitrepo.yaml', stringifyManifest(gitRepo)],
    // Fleet turns the folders under its path into bundles: not this one.
    ['.fleetignore', '*\n'],
  ];
  let bytes = 0;
  for (const [file, text] of files) {
    writeFileSync(join(dir, file), text);
    bytes += Buffer.byteLength(text);
  }
  return bytes;
}
