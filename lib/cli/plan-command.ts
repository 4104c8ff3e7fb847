import { Command, Option } from 'commander';
import { loadManifests } from '../validation/check-manifests';
import { formatPlan, planChanges } from '../validation/plan';
import { formatPlanMarkdown } from '../validation/plan-markdown';

/** `cdk8s-baremetal plan <old> <new>`: object-by-object diff with the changes controllers refuse. */
export function runPlan(
  oldDir: string,
  newDir: string,
  options: { json?: boolean; format?: 'text' | 'json' | 'markdown' },
): number {
  const before = loadManifests([oldDir]).objects.map((o) => o.object);
  const after = loadManifests([newDir]).objects.map((o) => o.object);
  const changes = planChanges(before, after);
  const format = options.json ? 'json' : (options.format ?? 'text');
  if (format === 'markdown') process.stdout.write(formatPlanMarkdown(changes));
  else console.log(format === 'json' ? JSON.stringify(changes, null, 2) : formatPlan(changes));
  return changes.some((c) => c.risk === 'rejected') ? 2 : 0;
}

/** Adds the `plan` subcommand to `program`. */
export function registerPlan(program: Command): void {
  program
    .command('plan')
    .description(
      'compare two synthesized folders object by object; exit 2 when a change would be rejected by a controller',
    )
    .argument('<old>', 'folder (or file) synthesized before the change')
    .argument('<new>', 'folder (or file) synthesized after the change')
    .option('--json', 'print the changes as JSON')
    .addOption(
      new Option('--format <format>', 'text, json, or markdown (a pull-request comment)')
        .choices(['text', 'json', 'markdown'])
        .default('text'),
    )
    .action((oldDir: string, newDir: string, options: { json?: boolean; format?: 'text' | 'json' | 'markdown' }) => {
      process.exitCode = runPlan(oldDir, newDir, options);
    });
}
