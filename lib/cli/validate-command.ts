import { Command, InvalidArgumentError } from 'commander';
import { externalArgument } from './external-argument';
import { CheckFilesResult, checkFiles, checkFilesSync } from '../validation/check-files';
import { ExternalPatterns } from '../validation/external-patterns';
import { ManifestProblem } from '../validation/load-manifests';
import { DEFAULT_NAMESPACE } from '../validation/object-identity';

/** Options of `cdk8s-baremetal validate`. */
export interface ValidateCommandOptions {
  /**
   * Objects that exist outside these files, as `Kind/name` or `Kind/namespace/name`; each part may
   * use the wildcards `*` and `?` (`Secret/*-bmc`).
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
  /**
   * The folder as it was before the change: only files that differ from it are checked object by
   * object, and the checks across objects run over the namespaces the changed files hold (over
   * every file when an object refers across namespaces; see `CheckFilesOptions.changedFrom`).
   * @default - every file is checked
   */
  readonly changed?: string;
  /**
   * Folder of the summary cache (per file content: problems and object summaries).
   * @default - no cache
   */
  readonly cache?: string;
  /**
   * Worker threads.
   * @default - one per core for more than 64 files
   */
  readonly workers?: number;
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

/** A number of worker threads given on the command line. */
export function workersArgument(value: string): number {
  if (!/^\d{1,3}$/.test(value)) throw new InvalidArgumentError('give a number of threads from 0 to 999');
  return Number(value);
}

export { externalArgument } from './external-argument';

/** The note printed for declarations that matched no reference (a typo or a stale entry); not a problem. */
export function unusedExternalNote(unused: readonly string[]): string {
  return `note: --external ${unused.join(', ')} matched no reference (a typo, or no longer needed?)`;
}

/**
 * `cdk8s-baremetal validate <paths...>`: every check of the library on YAML from anywhere. Returns
 * the exit code: 0 when there is no problem, 1 otherwise (a file that cannot be read or parsed is a
 * problem).
 */
export function runValidate(paths: string[], options: ValidateCommandOptions): number {
  const external = new ExternalPatterns(options.external ?? []);
  return report(checkFilesSync(paths, checkOptions(options, external)), external, options);
}

/** {@link runValidate} with the files read and checked on worker threads, as the command runs it. */
export async function runValidateAsync(paths: string[], options: ValidateCommandOptions): Promise<number> {
  const external = new ExternalPatterns(options.external ?? []);
  return report(await checkFiles(paths, checkOptions(options, external)), external, options);
}

function checkOptions(options: ValidateCommandOptions, external: ExternalPatterns) {
  return {
    external,
    namespace: options.namespace ?? DEFAULT_NAMESPACE,
    ...(options.changed !== undefined ? { changedFrom: options.changed } : {}),
    ...(options.cache !== undefined ? { cacheDir: options.cache } : {}),
    ...(options.workers !== undefined ? { workers: options.workers } : {}),
  };
}

function report(result: CheckFilesResult, external: ExternalPatterns, options: ValidateCommandOptions): number {
  const out = describeValidation(result, external, options.changed !== undefined);
  if (options.json) {
    console.log(JSON.stringify(out.json, null, 2));
    for (const n of result.notes) console.error(n);
  } else {
    for (const line of out.problems) console.log(line);
    for (const n of out.notes) console.error(n);
    console.log(out.summary);
  }
  return out.code;
}

/** What `validate` prints about a result, for the validate command and `synth --validate`. */
export interface ValidationReport {
  /** The JSON report (`--json`). */
  readonly json: {
    objects: number;
    problems: ManifestProblem[];
    unusedExternal: string[];
    checkedFiles?: number;
    files?: number;
  };
  /** One line per problem (stdout). */
  readonly problems: string[];
  /** Notes (stderr): a cache not used, --external declarations that matched nothing. */
  readonly notes: string[];
  /** The closing line. */
  readonly summary: string;
  /** 0 without problems, else 1. */
  readonly code: number;
}

/** The report of a validation; `changed`: only what changed was checked (the summary says how much). */
export function describeValidation(
  result: CheckFilesResult,
  external: ExternalPatterns,
  changed: boolean,
): ValidationReport {
  const { objects, problems } = result;
  const unusedExternal = external.unused();
  const scope = changed ? ` (${result.checkedFiles} of ${result.files} file(s) changed or touched)` : '';
  return {
    json: {
      objects,
      problems,
      unusedExternal,
      ...(changed ? { checkedFiles: result.checkedFiles, files: result.files } : {}),
    },
    problems: problems.map(formatProblem),
    notes: [...result.notes, ...(unusedExternal.length > 0 ? [unusedExternalNote(unusedExternal)] : [])],
    summary: `${objects} object(s) checked${scope}, ${problems.length} problem(s)`,
    code: problems.length === 0 ? 0 : 1,
  };
}

/** Adds the `validate` subcommand to `program`. */
export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description(
      'check manifests (files or folders) against the CRD schemas and CEL rules, references, duplicates, secrets and MetalLB consistency',
    )
    .argument('<paths...>', 'YAML files (read whatever their name) or folders (their .yaml/.yml files)')
    .option(
      '-e, --external <Kind/name...>',
      'objects that exist outside these files, e.g. Secret/node1-bmc; * and ? match within a part, e.g. Secret/*-bmc',
      externalArgument,
    )
    .option(
      '-n, --namespace <namespace>',
      'namespace of namespaced objects without metadata.namespace, as kubectl apply -n',
      namespaceArgument,
      DEFAULT_NAMESPACE,
    )
    .option(
      '--changed <old>',
      'the folder before the change: check object by object only the files that differ from it, and across objects the namespaces those files hold (every file when an object refers across namespaces)',
    )
    .option(
      '--cache <dir>',
      'keep per-file results by content, and file digests by size, times and inode (shared with synth and plan), in this folder and reuse them',
    )
    .option('--workers <n>', 'worker threads (default: one per core for more than 64 files)', workersArgument)
    .option('--json', 'print a JSON report')
    .action(async (paths: string[], options: ValidateCommandOptions) => {
      process.exitCode = await runValidateAsync(paths, options);
    });
}
