import { checkManifests } from './check-manifests';
import { ExternalPatterns } from './external-patterns';
import { loadManifests } from './load-manifests';

/** What cdk8s-cli passes to a validation plugin (structural subset of its ValidationContext). */
export interface PluginValidationContext {
  /** Paths of the synthesized manifest files. */
  readonly manifests: readonly string[];
  /** Where violations and the final status are reported. */
  readonly report: {
    addViolation(violation: {
      ruleName: string;
      recommendation: string;
      fix: string;
      violatingResources: { resourceName: string; locations: string[]; manifestPath: string }[];
    }): void;
    submit(status: 'success' | 'failure', metadata?: Record<string, string>): void;
  };
  /** Where progress lines go. */
  readonly logger: { log(message: string): void };
}

/** Properties of the plugin in `cdk8s.yaml`. */
export interface BaremetalValidationProperties {
  /**
   * Objects that exist outside the synthesized app, as `Kind/name` or `Kind/namespace/name`; each
   * part may use the wildcards `*` and `?` (`Secret/*-bmc`).
   * @default - none
   */
  readonly external?: string[];
  /**
   * Namespace of namespaced objects without `metadata.namespace`: the one they are applied to.
   * @default 'default'
   */
  readonly namespace?: string;
}

/**
 * cdk8s validation plugin: run by `cdk8s synth` (with `--validate`, the default) when named in
 * `cdk8s.yaml` under `validations:` (`package: cdk8s-baremetal`, `class: BaremetalValidation`). It
 * applies every check of `cdk8s-baremetal validate` to the synthesized manifests.
 */
export class BaremetalValidation {
  constructor(private readonly properties: BaremetalValidationProperties = {}) {}

  /** Validates the synthesized manifests and reports each problem as a violation. */
  public async validate(context: PluginValidationContext): Promise<void> {
    const { objects, problems: loadProblems } = loadManifests(context.manifests);
    const declared = this.properties.external ?? [];
    const wrong = declared.map((e) => ExternalPatterns.problemOf(e)).filter((p) => p !== undefined);
    const external = new ExternalPatterns(declared.filter((e) => ExternalPatterns.problemOf(e) === undefined));
    const problems = [
      ...loadProblems,
      ...wrong.map((m) => ({ file: '', check: 'config', message: `'external' ${m}; for example Secret/*-bmc` })),
      ...checkManifests(objects, { external, namespace: this.properties.namespace }),
    ];
    const unused = external.unused();
    if (unused.length > 0)
      context.logger.log(`cdk8s-baremetal: note: external ${unused.join(', ')} matched no reference`);
    for (const p of problems) {
      context.report.addViolation({
        ruleName: `cdk8s-baremetal/${p.check}`,
        recommendation: p.message,
        fix: 'see the message; the construct props that produce the object are named in synth-time errors',
        violatingResources: [
          { resourceName: p.message.match(/^\[([^\]]+)\]/)?.[1] ?? '', locations: [], manifestPath: p.file },
        ],
      });
    }
    context.logger.log(`cdk8s-baremetal: ${objects.length} object(s) checked, ${problems.length} problem(s)`);
    context.report.submit(problems.length === 0 ? 'success' : 'failure', { objects: String(objects.length) });
  }
}
