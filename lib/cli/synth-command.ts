import { resolve } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { SingleBar, Presets } from 'cli-progress';
import { InventoryError, loadInventory } from '../fleet/inventory';
import { FleetResult, synthesizeFleet } from '../fleet/fleet-synth';

/** Options of `cdk8s-baremetal synth`. */
export interface SynthCommandOptions {
  /** Inventory files (`.csv`, `.yaml`). */
  readonly inventory: string[];
  /**
   * Output folder.
   * @default 'dist'
   */
  readonly output?: string;
  /**
   * Worker threads.
   * @default - one per core
   */
  readonly workers?: number;
  /**
   * Repository URL of the GitOps examples.
   * @default https://git.example.com/fleet.git
   */
  readonly repo?: string;
  /**
   * Revision of the GitOps examples.
   * @default 'main'
   */
  readonly revision?: string;
  /**
   * Module that registers extra site kinds.
   * @default - built-in kinds only
   */
  readonly kinds?: string;
  /**
   * Show progress (a bar on a terminal, lines elsewhere).
   * @default true
   */
  readonly progress?: boolean;
  /**
   * Print the summary as JSON.
   * @default false
   */
  readonly json?: boolean;
  /**
   * Write the report (`_report/`, `_preflight/`).
   * @default true
   */
  readonly report?: boolean;
  /**
   * Also write each site's pre-flight files into `_preflight/<site>/`.
   * @default false
   */
  readonly preflightPerSite?: boolean;
}

/** A progress display: a bar (cli-progress) on a terminal, a plain line every 10% (and at the end) elsewhere (CI logs). */
export function progressReporter(
  enabled: boolean,
  stream: NodeJS.WriteStream,
): { update(done: number, total: number): void; stop(): void } {
  if (!enabled) return { update: () => undefined, stop: () => undefined };
  if (stream.isTTY) {
    const bar = new SingleBar(
      {
        format: 'synth [{bar}] {percentage}% | {value}/{total} sites | {eta_formatted} left',
        stream,
        hideCursor: true,
      },
      Presets.shades_classic,
    );
    let started = false;
    return {
      update(done, total) {
        if (!started) {
          bar.start(total, 0);
          started = true;
        }
        bar.update(done);
      },
      stop: () => started && bar.stop(),
    };
  }
  let lastTenth = -1;
  return {
    update(done, total) {
      const tenth = Math.floor((done * 10) / Math.max(total, 1));
      if (tenth !== lastTenth) {
        lastTenth = tenth;
        stream.write(`synth: ${done}/${total} sites\n`);
      }
    },
    stop: () => undefined,
  };
}

/** The closing summary: sites, objects, bytes, time, and each failed site with its errors. */
export function formatSummary(result: FleetResult, outdir: string): string {
  const lines = [
    `${result.sites.length} site(s), ${result.sites.length - result.failed.length} written to ${outdir}, ` +
      `${result.objects} object(s), ${result.bytes} bytes, ${(result.millis / 1000).toFixed(1)} s`,
  ];
  for (const site of result.failed) {
    lines.push(`FAILED ${site.name}:`);
    for (const e of site.errors) lines.push(`  ${e}`);
  }
  if (result.failed.length > 0) lines.push(`${result.failed.length} site(s) failed`);
  return lines.join('\n');
}

/** `cdk8s-baremetal synth --inventory <files...>`: one GitOps folder per site. Returns the exit code. */
export async function runSynth(options: SynthCommandOptions): Promise<number> {
  const outdir = options.output ?? 'dist';
  let sites;
  try {
    sites = loadInventory(options.inventory);
  } catch (err) {
    if (err instanceof InventoryError) {
      console.error(err.message);
      return 1;
    }
    throw err;
  }
  const progress = progressReporter(options.progress !== false && !options.json, process.stderr);
  let result: FleetResult;
  try {
    result = await synthesizeFleet(sites, {
      outdir,
      workers: options.workers,
      kindsModule: options.kinds ? resolve(options.kinds) : undefined,
      gitops: options.repo ? { repoURL: options.repo, revision: options.revision } : undefined,
      onProgress: (done, total) => progress.update(done, total),
      report: options.report,
      preflightPerSite: options.preflightPerSite,
    });
  } finally {
    progress.stop();
  }
  if (options.json) {
    console.log(
      JSON.stringify(
        {
          sites: result.sites.length,
          objects: result.objects,
          bytes: result.bytes,
          millis: result.millis,
          failed: result.failed.map((f) => ({ site: f.name, errors: f.errors })),
        },
        null,
        2,
      ),
    );
  } else {
    console.log(formatSummary(result, outdir));
  }
  return result.failed.length === 0 ? 0 : 1;
}

function workerCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 256) throw new InvalidArgumentError('give a whole number from 0 to 256');
  return n;
}

/** Adds the `synth` subcommand to `program`. */
export function registerSynth(program: Command): void {
  program
    .command('synth')
    .description(
      'synthesize every site of an inventory (CSV or YAML) into <output>/<site>/ with a kustomization.yaml, plus Argo CD and Fleet examples in <output>/_gitops/; exit 1 when a site fails',
    )
    .requiredOption('-i, --inventory <files...>', 'inventory files (.csv, one row per host; .yaml, sites with hosts)')
    .option('-o, --output <dir>', 'output folder (emptied first; must be empty or a previous output)', 'dist')
    .option(
      '-w, --workers <n>',
      'synthesis worker threads (0: the main thread synthesizes; files are written by a writer thread either way); default: one per core but one, 0 on 1-2 cores',
      workerCount,
    )
    .option('--repo <url>', 'git repository the GitOps examples point at')
    .option('--revision <ref>', 'branch or tag the GitOps examples point at', 'main')
    .option('--kinds <module>', 'module that registers extra site kinds (SiteKinds.register)')
    .option('--no-progress', 'no progress display')
    .option('--json', 'print the summary as JSON')
    .option('--no-report', 'no site diagrams, fleet page (_report/) or pre-flight files (_preflight/)')
    .option('--preflight-per-site', "also write each site's pre-flight files into _preflight/<site>/")
    .action(async (options: SynthCommandOptions) => {
      process.exitCode = await runSynth(options);
    });
}
