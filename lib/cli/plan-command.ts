import { Command, Option } from 'commander';
import { LoadedObject, loadManifests, ManifestProblem, placeOf } from '../validation/load-manifests';
import { DEFAULT_NAMESPACE, findDuplicates } from '../validation/object-identity';
import { formatPlan, planChanges } from '../validation/plan';
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
}

/** The objects of one side of a plan, or why they cannot be compared. */
function loadSide(
  path: string,
  side: 'old' | 'new',
  namespace: string,
): { objects: LoadedObject[]; problems: ManifestProblem[] } {
  const { objects, problems } = loadManifests([path]);
  for (const d of findDuplicates(objects, namespace)) {
    problems.push({
      file: d.again.file,
      check: 'duplicates',
      message:
        `[${d.id}] is written twice in the ${side} manifests: in ${placeOf(d.first)} and in ${placeOf(d.again)}; ` +
        'the plan cannot tell which one to compare; keep one',
    });
  }
  return { objects, problems };
}

/**
 * `cdk8s-baremetal plan <old> <new>`: object-by-object diff with the changes controllers refuse.
 * Returns the exit code: 1 when a file cannot be read or parsed or an object is written twice (no
 * plan is printed), 2 when a change would be rejected by a controller, else 0.
 */
export function runPlan(oldDir: string, newDir: string, options: PlanCommandOptions): number {
  const namespace = options.namespace ?? DEFAULT_NAMESPACE;
  const format = options.json ? 'json' : (options.format ?? 'text');
  const before = loadSide(oldDir, 'old', namespace);
  const after = loadSide(newDir, 'new', namespace);
  const problems = [...before.problems, ...after.problems];
  if (problems.length > 0) {
    if (format === 'json') console.log(JSON.stringify({ problems }, null, 2));
    else {
      for (const p of problems) console.error(formatProblem(p));
      console.error(`no plan: ${problems.length} problem(s) in the manifests; fix them and run plan again`);
    }
    return 1;
  }
  const changes = planChanges(
    before.objects.map((o) => o.object),
    after.objects.map((o) => o.object),
    { namespace },
  );
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
