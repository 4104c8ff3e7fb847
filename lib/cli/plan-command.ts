import { Command, Option } from 'commander';
import { DEFAULT_NAMESPACE } from '../validation/object-identity';
import { formatPlan } from '../validation/plan';
import { planFiles } from '../validation/plan-files';
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
  for (const n of result.notes) console.error(n);
  const { problems, changes } = result;
  if (problems.length > 0) {
    if (format === 'json') console.log(JSON.stringify({ problems }, null, 2));
    else {
      for (const p of problems) console.error(formatProblem(p));
      console.error(`no plan: ${problems.length} problem(s) in the manifests; fix them and run plan again`);
    }
    return 1;
  }
  if (format === 'markdown') process.stdout.write(formatPlanMarkdown(changes));
  else console.log(format === 'json' ? JSON.stringify(changes, null, 2) : formatPlan(changes));
  return changes.some((c) => c.risk === 'rejected') ? 2 : 0;
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
