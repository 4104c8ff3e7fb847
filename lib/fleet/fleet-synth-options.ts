import type { FleetClaim } from './fleet-registry';
import type { GitOpsOptions } from './gitops';
import type { CachedFile } from './fleet-cache';
import type { SwapReport } from './fleet-output';
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
   * Synthesize every site, ignoring the synth cache of the previous output. Without it a site
   * whose inputs (inventory entry, library, kinds module, writer) did not change since the run
   * that wrote the output, and whose folder still holds what that run wrote, is kept as it is.
   * The output is the same either way.
   * @default false
   */
  readonly full?: boolean;
  /**
   * Folder of a local index of file digests (shared with `validate --cache` and `plan --cache`):
   * the folders of unchanged sites are then verified by file status (size, times, inode) instead
   * of being read and hashed, and the files written are recorded for the next command.
   * @default - every kept site's files are read and hashed
   */
  readonly cacheDir?: string;
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
  /**
   * Keep the previous versions of the entries the run replaced or removed (in a backup folder next
   * to the output) until {@link PreviousOutputFiles.release} is called, and return what the output
   * held before and holds now ({@link FleetResult.previous}), so that the change can be checked
   * (`synth --validate --plan`) without a second copy of the output and without reading the
   * files that did not change.
   * @default false
   */
  readonly keepPrevious?: boolean;
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
   * Sites kept from the previous output (their inputs did not change) and sites synthesized.
   * @default - no cache used
   */
  readonly incremental?: IncrementalReport;
  /**
   * The file system error that stopped the run (disk full, permissions), with the space needed.
   * @default - none
   */
  readonly error?: string;
}

/** What an incremental run kept and synthesized. */
export interface IncrementalReport {
  /** Sites kept as they were: their inputs and folders matched the synth cache. */
  readonly reused: number;
  /** Sites synthesized. */
  readonly synthesized: number;
  /**
   * Why the synth cache was not used (another library version, edited, cut short), or which folders did not match it; one line.
   * @default - the cache was used as it was, or there was none
   */
  readonly note?: string;
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
  /**
   * With `keepPrevious`, when the output was written: the previous output's replaced and removed
   * entries and the digests of the site files now in the output.
   * @default - not asked for, or nothing written
   */
  readonly previous?: PreviousOutputFiles;
}

/**
 * What a run with `keepPrevious` leaves for checking the change: the previous versions of the
 * entries it replaced or removed, in a backup folder, and the SHA-256 of every site file now in
 * the output (kept sites' from the synth cache, built sites' from the bytes written), so that the
 * files that did not change need not be read. A killed process leaves the backup folder, which the
 * next run removes.
 */
export interface PreviousOutputFiles {
  /**
   * The folder holding the previous versions of the replaced and removed entries, under their names.
   * @default - none: the output did not exist before, or the backup is gone
   */
  readonly backup?: string;
  /** Entries the run added that the previous output did not have. */
  readonly added: readonly string[];
  /** Every site file now in the output: path relative to it (`/`-separated), size and SHA-256. */
  readonly files: ReadonlyMap<string, { readonly size: number; readonly digest: string }>;
  /** Removes the backup folder (once; later calls do nothing). */
  release(): void;
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
  /**
   * The files written (path relative to the output folder, bytes, SHA-256), for the synth cache;
   * `null` when a file lies outside the site's folder.
   * @default - not recorded
   */
  readonly digests?: readonly CachedFile[] | null;
  /**
   * The report files drawn for the site (diagram, per-site pre-flight files), for the synth cache.
   * @default - no report
   */
  readonly reportDigests?: readonly CachedFile[];
}
