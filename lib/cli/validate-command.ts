import { Command } from 'commander';
import { checkManifests, loadManifests } from '../validation/check-manifests';

/** `cdk8s-baremetal validate <paths...>`: every check of the library on YAML from anywhere. */
export function runValidate(paths: string[], options: { external?: string[]; json?: boolean }): number {
  const { objects, problems: loadProblems } = loadManifests(paths);
  const problems = [...loadProblems, ...checkManifests(objects, { external: options.external ?? [] })];
  if (options.json) {
    console.log(JSON.stringify({ objects: objects.length, problems }, null, 2));
  } else {
    for (const p of problems) console.log(`${p.file || '(all files)'}: ${p.check}: ${p.message}`);
    console.log(`${objects.length} object(s) checked, ${problems.length} problem(s)`);
  }
  return problems.length === 0 ? 0 : 1;
}

/** Adds the `validate` subcommand to `program`. */
export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description(
      'check manifests (files or folders) against the CRD schemas and CEL rules, references, secrets and MetalLB consistency',
    )
    .argument('<paths...>', 'YAML files or folders')
    .option('-e, --external <Kind/name...>', 'objects that exist outside these files, e.g. Secret/node1-bmc')
    .option('--json', 'print a JSON report')
    .action((paths: string[], options: { external?: string[]; json?: boolean }) => {
      process.exitCode = runValidate(paths, options);
    });
}
