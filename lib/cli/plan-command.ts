import { Command } from 'commander';
import { loadManifests } from '../validation/check-manifests';
import { formatPlan, planChanges } from '../validation/plan';

/** `cdk8s-baremetal plan <old> <new>`: object-by-object diff with the changes controllers refuse. */
export function runPlan(oldDir: string, newDir: string, options: { json?: boolean }): number {
  const before = loadManifests([oldDir]).objects.map((o) => o.object);
  const after = loadManifests([newDir]).objects.map((o) => o.object);
  const changes = planChanges(before, after);
  console.log(options.json ? JSON.stringify(changes, null, 2) : formatPlan(changes));
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
    .action((oldDir: string, newDir: string, options: { json?: boolean }) => {
      process.exitCode = runPlan(oldDir, newDir, options);
    });
}
