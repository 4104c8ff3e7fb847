import { Command, Option } from 'commander';
import { DEFAULT_NAMESPACE } from '../validation/object-identity';
import { formatPlan, ObjectChange } from '../validation/plan';
import { planFiles, PlanFilesResult } from '../validation/plan-files';
import { ManifestProblem } from '../validation/load-manifests';
import { formatPlanMarkdown } from '../validation/plan-markdown';
import { formatProblem, namespaceArgument } from './validate-command';

/** Options of `cdk8s-baremetal plan`. */
export interface PlanCommandOptions {
  /**
   * Print the changes (or the problems) as JSON.
   * @default false
   */
  readonly json?: boolean;
  /**
   * Output format: `text` for a terminal, `json`, or `markdown` for a pull-request comment
   * (`--json` is the same as `--format json`).
   * @default 'text'
   */
  readonly format?: 'text' | 'json' | 'markdown';
  /**
   * Namespace of namespaced objects without `metadata.namespace`, as `kubectl apply -n`.
   * @default 'default'
   */
  readonly namespace?: string;
  /**
   * Folder of the summary cache shared with `validate`: files the same on both sides are then not parsed.
   * @default - no cache
   */
  readonly cache?: string;
}

/**
 * `cdk8s-baremetal plan <old> <new>`: object-by-object diff with the changes controllers refuse.
 * Files with the same relative path and bytes on both sides are not compared (see `planFiles`).
 * Returns the exit code: 1 when a file cannot be read or parsed or an object is written twice (no
 * plan is printed), 2 when a change would be rejected by a controller, else 0.
 */
export function runPlan(oldDir: string, newDir: string, options: PlanCommandOptions): number {
  const namespace = options.namespace ?? DEFAULT_NAMESPACE;
  const format = options.json ? 'json' : (options.format ?? 'text');
  const result = planFiles(oldDir, newDir, {
    namespace,
    ...(options.cache !== undefined ? { cacheDir: options.cache } : {}),
  });
  const out = describePlan(result, format);
  for (const line of out.stderr) console.error(line);
  printPlanOutput(out);
  return out.code;
}

/** What `plan` prints about a result, for the plan command and `synth --plan`. */
export interface PlanReport {
  /** What goes to stdout: the plan, or the problems as JSON; `line`: printed as a line (text, JSON), else as it is (Markdown). */
  readonly stdout?: { readonly text: string; readonly line: boolean };
  /** Lines for stderr: notes, and the problems in text formats. */
  readonly stderr: string[];
  /** The changes, or the problems (for a JSON report of its own). */
  readonly json: { changes: ObjectChange[] } | { problems: ManifestProblem[] };
  /** 1 when there are problems (no plan), 2 when a change would be rejected by a controller, else 0. */
  readonly code: number;
}

/** The report of a plan in `format`. */
export function describePlan(result: PlanFilesResult, format: 'text' | 'json' | 'markdown'): PlanReport {
  const { problems, changes } = result;
  if (problems.length > 0) {
    return format === 'json'
      ? {
          stdout: { text: JSON.stringify({ problems }, null, 2), line: true },
          stderr: [...result.notes],
          json: { problems },
          code: 1,
        }
      : {
          stderr: [
            ...result.notes,
            ...problems.map(formatProblem),
            `no plan: ${problems.length} problem(s) in the manifests; fix them and run plan again`,
          ],
          json: { problems },
          code: 1,
        };
  }
  const stdout =
    format === 'markdown'
      ? { text: formatPlanMarkdown(changes), line: false }
      : { text: format === 'json' ? JSON.stringify(changes, null, 2) : formatPlan(changes), line: true };
  return {
    stdout,
    stderr: [...result.notes],
    json: { changes },
    code: changes.some((c) => c.risk === 'rejected') ? 2 : 0,
  };
}

/** Prints a plan report's stdout part. */
export function printPlanOutput(out: PlanReport): void {
  if (out.stdout?.line) console.log(out.stdout.text);
  else if (out.stdout) process.stdout.write(out.stdout.text);
}

/** Adds the `plan` subcommand to `program`. */
export function registerPlan(program: Command): void {
  program
    .command('plan')
    .description(
      'compare two synthesized folders object by object; exit 2 when a change would be rejected by a controller, 1 when a file cannot be read or parsed',
    )
    .argument('<old>', 'folder (or file) synthesized before the change')
    .argument('<new>', 'folder (or file) synthesized after the change')
    .option(
      '-n, --namespace <namespace>',
      'namespace of namespaced objects without metadata.namespace, as kubectl apply -n',
      namespaceArgument,
      DEFAULT_NAMESPACE,
    )
    .option(
      '--cache <dir>',
      'the cache folder of validate and synth: files not touched since they were hashed are not read, files the same on both sides are not parsed',
    )
    .option('--json', 'print the changes as JSON (same as --format json)')
    .addOption(
      new Option('--format <format>', 'text, json, or markdown (a pull-request comment)')
        .choices(['text', 'json', 'markdown'])
        .default('text'),
    )
    .action((oldDir: string, newDir: string, options: PlanCommandOptions) => {
      process.exitCode = runPlan(oldDir, newDir, options);
    });
}
