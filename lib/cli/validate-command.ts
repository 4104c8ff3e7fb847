import { Command, InvalidArgumentError } from 'commander';
import { checkManifests } from '../validation/check-manifests';
import { loadManifests, ManifestProblem } from '../validation/load-manifests';
import { DEFAULT_NAMESPACE } from '../validation/object-identity';

/** Options of `cdk8s-baremetal validate`. */
export interface ValidateCommandOptions {
  /**
   * Objects that exist outside these files, as `Kind/name` or `Kind/namespace/name`.
   * @default - none
   */
  readonly external?: string[];
  /**
   * Print a JSON report.
   * @default false
   */
  readonly json?: boolean;
  /**
   * Namespace of namespaced objects without `metadata.namespace`, as `kubectl apply -n`.
   * @default 'default'
   */
  readonly namespace?: string;
}

/** One problem as a line: `file:line:column: check: message`, or `(all files): check: message`. */
export function formatProblem(p: ManifestProblem): string {
  const where = p.file
    ? `${p.file}${p.line !== undefined ? `:${p.line}${p.column !== undefined ? `:${p.column}` : ''}` : ''}`
    : '(all files)';
  return `${where}: ${p.check}: ${p.message}`;
}

/** A namespace given on the command line: a DNS-1123 label, as Kubernetes requires. */
export function namespaceArgument(value: string): string {
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(value) || value.length > 63) {
    throw new InvalidArgumentError('give a namespace name: lowercase letters, digits and -, at most 63 characters');
  }
  return value;
}

/**
 * `cdk8s-baremetal validate <paths...>`: every check of the library on YAML from anywhere. Returns
 * the exit code: 0 when there is no problem, 1 otherwise (a file that cannot be read or parsed is a
 * problem).
 */
export function runValidate(paths: string[], options: ValidateCommandOptions): number {
  const { objects, problems: loadProblems } = loadManifests(paths);
  const problems = [
    ...loadProblems,
    ...checkManifests(objects, {
      external: options.external ?? [],
      namespace: options.namespace ?? DEFAULT_NAMESPACE,
    }),
  ];
  if (options.json) {
    console.log(JSON.stringify({ objects: objects.length, problems }, null, 2));
  } else {
    for (const p of problems) console.log(formatProblem(p));
    console.log(`${objects.length} object(s) checked, ${problems.length} problem(s)`);
  }
  return problems.length === 0 ? 0 : 1;
}

/** Adds the `validate` subcommand to `program`. */
export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description(
      'check manifests (files or folders) against the CRD schemas and CEL rules, references, duplicates, secrets and MetalLB consistency',
    )
    .argument('<paths...>', 'YAML files (read whatever their name) or folders (their .yaml/.yml files)')
    .option('-e, --external <Kind/name...>', 'objects that exist outside these files, e.g. Secret/node1-bmc')
    .option(
      '-n, --namespace <namespace>',
      'namespace of namespaced objects without metadata.namespace, as kubectl apply -n',
      namespaceArgument,
      DEFAULT_NAMESPACE,
    )
    .option('--json', 'print a JSON report')
    .action((paths: string[], options: ValidateCommandOptions) => {
      process.exitCode = runValidate(paths, options);
    });
}
