import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { SingleBar, Presets } from 'cli-progress';
import { InventoryError, loadInventory } from '../fleet/inventory';
import {
  FleetOutputError,
  FleetResult,
  FleetSynthInterrupted,
  isFatalFsError,
  synthesizeFleet,
} from '../fleet/fleet-synth';
import { ExternalPatterns } from '../validation/external-patterns';
import { externalArgument } from './external-argument';
import type { PlanReport } from './plan-command';
import type { ValidationReport } from './validate-command';

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
   * Write the sites that succeeded even when others failed (a failed site keeps its previous folder).
   * @default false
   */
  readonly partial?: boolean;
  /**
   * Accept an inventory without sites over a previous output (its site folders are removed).
   * @default false
   */
  readonly allowEmpty?: boolean;
  /**
   * Synthesize every site, ignoring the synth cache of the previous output.
   * @default false
   */
  readonly full?: boolean;
  /**
   * Folder of the file digest index shared with validate and plan.
   * @default - none
   */
  readonly cache?: string;
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
  /**
   * After writing, check what the run changed as `validate <output> --changed <previous output>`
   * does (the files that differ, and across objects the namespaces they touch), in this process.
   * @default false
   */
  readonly validate?: boolean;
  /**
   * After writing, print the plan of the change, as `plan <previous output> <output>` does.
   * @default false
   */
  readonly plan?: boolean;
  /**
   * Also write the plan as Markdown (for a pull-request comment, as `plan --format markdown`) to
   * this file, replaced whole (written next to it, then renamed); implies `plan`.
   * @default - no Markdown file
   */
  readonly planMarkdown?: string;
  /**
   * With `validate`: objects that exist outside the output (`Kind/name`, `Kind/namespace/name`, with `*` and `?`).
   * @default - none
   */
  readonly external?: string[];
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

/** The closing summary: sites, objects, bytes, time, each failed site with its errors, and what became of the output folder. */
export function formatSummary(result: FleetResult, outdir: string): string {
  const out = result.output;
  const written = out === undefined || out.written;
  const ok = result.sites.length - result.failed.length;
  const lines = [
    `${result.sites.length} site(s), ${written ? ok : 0} written to ${outdir}, ` +
      `${written ? result.objects : 0} object(s), ${result.bytes} bytes, ${(result.millis / 1000).toFixed(1)} s`,
  ];
  // A full disk fails every later site with the same error: it is said once, under ERROR.
  const unwritable = (f: FleetResult['failed'][number]) => !!out?.error && f.errors.every(isFatalFsError);
  for (const site of result.failed.filter((f) => !unwritable(f))) {
    lines.push(`FAILED ${site.name}:`);
    for (const e of site.errors) lines.push(`  ${e}`);
  }
  const notWritten = result.failed.filter(unwritable).length;
  if (notWritten > 0) lines.push(`${notWritten} site(s) could not be written (see ERROR)`);
  if (result.failed.length > 0) lines.push(`${result.failed.length} site(s) failed`);
  if (out) lines.push(...describeOutput(result, outdir));
  return lines.join('\n');
}

/** What a run did to the output folder, in sentences. */
function describeOutput(result: FleetResult, outdir: string): string[] {
  const out = result.output;
  const lines = [...out.notes];
  if (out.error) {
    lines.push(`ERROR ${out.error}`);
  } else if (!out.written) {
    lines.push(
      out.previous === 'none'
        ? `nothing written to ${outdir} because ${result.failed.length} site(s) failed; fix them, or pass --partial to write the others`
        : `the previous output in ${outdir} is unchanged: nothing written because ${result.failed.length} site(s) failed; fix them, or pass --partial to write the others`,
    );
  } else if (out.swap) {
    const s = out.swap;
    const parts = [
      out.previous === 'none' ? 'new output' : 'previous output replaced',
      `${s.added.length} entr${s.added.length === 1 ? 'y' : 'ies'} added`,
      `${s.replaced.length} replaced`,
      `${s.removed.length} removed${s.removed.length > 0 ? ` (${preview(s.removed)})` : ''}`,
    ];
    if (s.unchanged && s.unchanged.length > 0) parts.push(`${s.unchanged.length} unchanged (kept in place)`);
    if (s.carried.length > 0) parts.push(`${s.carried.length} failed site(s) kept as before (${preview(s.carried)})`);
    if (out.kept.length > 0)
      parts.push(
        `${out.kept.length} entr${out.kept.length === 1 ? 'y' : 'ies'} synth did not write left alone (${preview(out.kept)})`,
      );
    lines.push(parts.join(', '));
  }
  return lines;
}

function preview(names: readonly string[]): string {
  return names.length <= 5 ? names.join(', ') : `${names.slice(0, 5).join(', ')}, … ${names.length - 5} more`;
}

/** Loads the module that registers extra site kinds; returns the problem, if any. */
function loadKinds(module: string): string | undefined {
  try {
    require(module);
    return undefined;
  } catch (err) {
    const message = String((err as Error)?.message ?? err).split('\n')[0];
    const missing = (err as NodeJS.ErrnoException)?.code === 'MODULE_NOT_FOUND';
    return missing
      ? `'--kinds' cannot load ${JSON.stringify(module)}: ${message}; give the path of a module (relative to the working folder) that calls SiteKinds.register`
      : `'--kinds' module ${JSON.stringify(module)} failed while loading: ${message}; fix the module`;
  }
}

/**
 * `cdk8s-baremetal synth --inventory <files...>`: one GitOps folder per site; with `--validate` and
 * `--plan` the change checked and planned. Returns the exit code. With `--plan-markdown` the file
 * is always written: the plan, or why there is none (never one left from an earlier run).
 */
export async function runSynth(options: SynthCommandOptions): Promise<number> {
  const markdown = { written: false };
  const code = await synthAndCheck(options, markdown);
  if (options.planMarkdown !== undefined && !markdown.written) {
    const problem = writePlanMarkdown(options.planMarkdown, `synth stopped before a plan (exit code ${code})`);
    if (problem) {
      console.error(problem);
      return code === 0 ? 1 : code;
    }
  }
  return code;
}

async function synthAndCheck(options: SynthCommandOptions, markdown: { written: boolean }): Promise<number> {
  const outdir = options.output ?? 'dist';
  if (options.external !== undefined && options.external.length > 0 && !options.validate) {
    console.error(
      `'--external' declares objects for --validate only (got ${options.external.join(', ')}); add --validate, or drop it`,
    );
    return 1;
  }
  // Inputs in order, nothing written before all pass: the kinds module (so that the inventory
  // check knows its kinds), the inventory, then the output folder (in synthesizeFleet).
  const kindsModule = options.kinds ? resolve(options.kinds) : undefined;
  if (kindsModule) {
    const problem = loadKinds(kindsModule);
    if (problem) {
      console.error(problem);
      return 1;
    }
  }
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
  const controller = new AbortController();
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];
  const onSignal = (signal: NodeJS.Signals) => {
    // A second signal ends the process at once (the next run cleans up).
    for (const s of signals) process.removeListener(s, onSignal);
    controller.abort(signal);
  };
  for (const s of signals) process.once(s, onSignal);
  let result: FleetResult;
  try {
    result = await synthesizeFleet(sites, {
      outdir,
      workers: options.workers,
      kindsModule,
      gitops: options.repo ? { repoURL: options.repo, revision: options.revision } : undefined,
      onProgress: (done, total) => progress.update(done, total),
      partial: options.partial,
      allowEmpty: options.allowEmpty,
      signal: controller.signal,
      full: options.full,
      cacheDir: options.cache,
      report: options.report,
      preflightPerSite: options.preflightPerSite,
      keepPrevious: options.validate === true || planned(options),
    });
  } catch (err) {
    progress.stop();
    if (err instanceof FleetSynthInterrupted) {
      console.error(err.message);
      return controller.signal.reason === 'SIGTERM' ? 143 : 130;
    }
    // Errors are sentences (path, problem, what to do): never a stack trace.
    console.error(
      err instanceof FleetOutputError ? err.message : `synth failed: ${(err as Error)?.message ?? String(err)}`,
    );
    return 1;
  } finally {
    for (const s of signals) process.removeListener(s, onSignal);
  }
  progress.stop();
  // A cache that was not used is said on stderr, whatever the output format.
  if (result.output.incremental?.note) console.error(result.output.incremental.note);
  let checks: ChangeChecks | undefined;
  try {
    if (result.output.written && (options.validate || planned(options))) {
      checks = await checkChange(result, options);
      markdown.written = options.planMarkdown !== undefined;
    }
  } finally {
    result.previous?.release();
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
          output: result.output,
          ...(checks?.validation ? { validate: checks.validation.json } : {}),
          ...(checks?.plan ? { plan: checks.plan.json } : {}),
        },
        null,
        2,
      ),
    );
    for (const n of [...(checks?.notes ?? []), ...(checks?.validation?.notes ?? []), ...(checks?.plan?.stderr ?? [])])
      console.error(n);
  } else {
    console.log(formatSummary(result, outdir));
    for (const n of checks?.notes ?? []) console.error(n);
    if (checks?.validation) {
      for (const line of checks.validation.problems) console.log(line);
      for (const n of checks.validation.notes) console.error(n);
      console.log(`validate: ${checks.validation.summary}`);
    }
    if (checks?.plan) {
      for (const line of checks.plan.stderr) console.error(line);
      if (checks.plan.stdout) console.log(checks.plan.stdout.text);
    }
  }
  if (result.failed.length > 0 || result.output.error) return 1;
  const codes = [checks?.validation?.code ?? 0, checks?.plan?.code ?? 0, checks?.failed ? 1 : 0];
  return codes.includes(1) ? 1 : codes.includes(2) ? 2 : 0;
}

/** Whether the run plans the change (`--plan`, or `--plan-markdown`). */
function planned(options: SynthCommandOptions): boolean {
  return options.plan === true || options.planMarkdown !== undefined;
}

/**
 * Writes the Markdown plan, or why there is none (a string), to `file`: next to it first, then
 * renamed, so that the file is never half written and never left from an earlier run. Returns a
 * problem, if any.
 */
function writePlanMarkdown(file: string, plan: PlanReport | string): string | undefined {
  const text =
    typeof plan === 'string'
      ? `**No plan**: ${plan}; see the job's log.\n`
      : plan.stdout !== undefined
        ? plan.stdout.text
        : `**No plan**: ${'problems' in plan.json ? plan.json.problems.length : 0} problem(s) in the manifests; see the job's log.\n`;
  const temporary = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  try {
    writeFileSync(temporary, text);
    renameSync(temporary, file);
    return undefined;
  } catch (err) {
    rmSync(temporary, { force: true });
    return `'--plan-markdown' cannot write ${JSON.stringify(file)} (${(err as NodeJS.ErrnoException).code ?? 'error'}); give a path in a folder that exists and can be written`;
  }
}

interface ChangeChecks {
  readonly validation?: ValidationReport;
  readonly plan?: PlanReport;
  /** Said on stderr before the checks' own notes. */
  readonly notes: string[];
  /** The Markdown plan could not be written. */
  readonly failed?: boolean;
}

/**
 * `--validate` and `--plan`: the change the run made, checked and planned in this process
 * against the previous output (kept in the run's backup folder until now), reading only the
 * files that changed; when the previous versions are gone (a swap completed after an error),
 * every file is checked and no plan is made.
 */
async function checkChange(result: FleetResult, options: SynthCommandOptions): Promise<ChangeChecks> {
  // Loaded only when asked for: a plain synth does not load the file checks.
  const { checkFiles } = await import('../validation/check-files');
  const { OutputChangeView } = await import('../validation/output-change');
  const { planFiles } = await import('../validation/plan-files');
  const { describePlan } = await import('./plan-command');
  const { describeValidation } = await import('./validate-command');
  const external = new ExternalPatterns(options.external ?? []);
  const cacheDir = options.cache !== undefined ? { cacheDir: options.cache } : {};
  // The output as the user named it: a relative path stays relative in messages.
  const named = options.output ?? 'dist';
  const previous = result.previous;
  if (!previous) {
    const note =
      'note: the previous output is gone (its replacement was completed after an error): every file checked, no plan';
    const validation = options.validate
      ? describeValidation(await checkFiles([named], { external, ...cacheDir }), external, false)
      : undefined;
    const notes = [note];
    if (options.planMarkdown !== undefined) {
      const problem = writePlanMarkdown(
        options.planMarkdown,
        'the previous output is gone (its replacement was completed after an error)',
      );
      if (problem) notes.push(problem);
    }
    return { validation, notes, ...(notes.length > 1 ? { failed: true } : {}) };
  }
  const view = new OutputChangeView(named, previous);
  const validation = options.validate
    ? describeValidation(
        await checkFiles([named], { external, changedFrom: view.previousRoot, digests: view, ...cacheDir }),
        external,
        true,
      )
    : undefined;
  const planResult = planned(options) ? planFiles(view.previousRoot, named, { digests: view, ...cacheDir }) : undefined;
  const plan = planResult && describePlan(planResult, options.json ? 'json' : 'text');
  const notes: string[] = [];
  if (planResult && options.planMarkdown !== undefined) {
    const problem = writePlanMarkdown(options.planMarkdown, describePlan(planResult, 'markdown'));
    if (problem) notes.push(problem);
  }
  return { validation, plan, notes, ...(notes.length > 0 ? { failed: true } : {}) };
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
    .option(
      '-o, --output <dir>',
      'output folder; replaced only when every site succeeded, and only what synth wrote (listed in its .cdk8s-baremetal-fleet): .git, README and other files stay',
      'dist',
    )
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
    .option(
      '--partial',
      'write the sites that succeeded even when others failed (a failed site keeps its previous folder)',
    )
    .option('--allow-empty', 'accept an inventory without sites over a previous output (removes its site folders)')
    .option(
      '--cache <dir>',
      'folder for an index of file digests (by size, times and inode) shared with validate and plan --cache: unchanged site folders are verified without reading them',
    )
    .option(
      '--full',
      'synthesize every site; without it a site whose inventory entry, kinds module and library did not change since the last run (and whose folder is as that run wrote it) is kept as it is',
    )
    .option('--no-report', 'no site diagrams, fleet page (_report/) or pre-flight files (_preflight/)')
    .option('--preflight-per-site', "also write each site's pre-flight files into _preflight/<site>/")
    .option(
      '--validate',
      'then check what changed, as validate <output> --changed <previous output> (exit 1 on a problem), reading only the changed files',
    )
    .option(
      '--plan',
      'then print the plan of the change, as plan <previous output> <output> (exit 2 when a controller would reject a change)',
    )
    .option(
      '--plan-markdown <file>',
      'also write the plan as Markdown (a pull-request comment, as plan --format markdown) to this file; implies --plan',
    )
    .option(
      '-e, --external <Kind/name...>',
      'with --validate: objects that exist outside the output, e.g. Secret/*-bmc',
      externalArgument,
    )
    .action(async (options: SynthCommandOptions) => {
      process.exitCode = await runSynth(options);
    });
}
