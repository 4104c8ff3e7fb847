import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { IGNITION_SPEC_VERSIONS, IgnitionSpecVersion, validateIgnition } from '../ignition/ignition-schema';
import { checkMetalLbObjects } from '../metallb/kubernetes-vip';
import { findUnresolvedReferences, ManifestObject } from './references';
import { formatIssue, validateManifest } from './schema-validator';
import { findSecretMaterial } from './secret-safety';

/* eslint-disable @typescript-eslint/no-explicit-any */

/** A Kubernetes object read from a file. */
export interface LoadedObject {
  /** File it was read from. */
  readonly file: string;
  /** The object. */
  readonly object: any;
}

/** One problem found in a set of manifests. */
export interface ManifestProblem {
  /** File of the object (or `''` for problems of the whole set). */
  readonly file: string;
  /** Which check found it: `schema`, `references`, `secrets`, `metallb`, `embedded`, `ignition` or `yaml`. */
  readonly check: string;
  /** What is wrong. */
  readonly message: string;
}

/** Options of {@link checkManifests}. */
export interface CheckManifestsOptions {
  /**
   * Objects that exist outside the checked set, as `Kind/name` or `Kind/namespace/name`.
   * @default - none
   */
  readonly external?: string[];
}

/** Reads every `.yaml`/`.yml` file under `paths` (files or folders, recursively, sorted). */
export function loadManifests(paths: readonly string[]): { objects: LoadedObject[]; problems: ManifestProblem[] } {
  const objects: LoadedObject[] = [];
  const problems: ManifestProblem[] = [];
  const files: string[] = [];
  const walk = (p: string) => {
    const st = statSync(p);
    if (st.isDirectory()) {
      for (const name of readdirSync(p).sort()) walk(join(p, name));
    } else if (/\.ya?ml$/.test(p)) {
      files.push(p);
    }
  };
  for (const p of paths) walk(p);
  for (const file of files) {
    for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
      if (doc.errors.length > 0) {
        problems.push({ file, check: 'yaml', message: doc.errors.map((e) => e.message).join('; ') });
        continue;
      }
      const object = doc.toJS();
      if (object === null || object === undefined) continue;
      if (typeof object !== 'object' || typeof object.kind !== 'string' || typeof object.apiVersion !== 'string') {
        problems.push({ file, check: 'yaml', message: 'a document is not a Kubernetes object (no apiVersion/kind)' });
        continue;
      }
      if (object.kind === 'Kustomization' && !object.metadata) continue; // kustomization.yaml files
      objects.push({ file, object });
    }
  }
  return { objects, problems };
}

/** Manifests embedded in RKE2 first-boot Butane configs, with where they were found. */
function embeddedObjects(o: LoadedObject): { where: string; object: any }[] {
  const configs: string[] = [];
  if (o.object.kind === 'RKE2ControlPlane') configs.push(o.object.spec?.agentConfig?.additionalUserData?.config);
  if (o.object.kind === 'RKE2ConfigTemplate')
    configs.push(o.object.spec?.template?.spec?.agentConfig?.additionalUserData?.config);
  const out: { where: string; object: any }[] = [];
  for (const config of configs.filter((c): c is string => typeof c === 'string')) {
    let butane: any;
    try {
      butane = parse(config);
    } catch {
      continue; // the structural schema says whether the string is acceptable
    }
    for (const file of butane?.storage?.files ?? []) {
      const inline = file?.contents?.inline;
      if (typeof inline !== 'string' || !/\/manifests\/[^/]+\.ya?ml$/.test(file.path ?? '')) continue;
      for (const doc of parseAllDocuments(inline)) {
        const object = doc.toJS();
        if (object && typeof object === 'object')
          out.push({ where: `${o.object.kind}/${o.object.metadata?.name} ${file.path}`, object });
      }
    }
  }
  return out;
}

/**
 * Everything this library checks on a set of manifests from anywhere: each object against its
 * CRD schema (structural and CEL), manifests embedded in RKE2 Butane configs likewise, the
 * Ignition config of each MachineConfig against the schema of its spec version, references
 * between objects, secret material, and MetalLB pool/advertisement/Service consistency.
 */
export function checkManifests(
  objects: readonly LoadedObject[],
  options: CheckManifestsOptions = {},
): ManifestProblem[] {
  const problems: ManifestProblem[] = [];
  for (const o of objects) {
    for (const issue of validateManifest(o.object))
      problems.push({ file: o.file, check: 'schema', message: formatIssue(issue) });
    const embedded = embeddedObjects(o);
    for (const e of embedded) {
      for (const issue of validateManifest(e.object)) {
        problems.push({ file: o.file, check: 'embedded', message: `in ${e.where}: ${formatIssue(issue)}` });
      }
    }
    for (const m of ignitionProblems(o.object)) problems.push({ file: o.file, check: 'ignition', message: m });
    for (const m of checkMetalLbObjects(embedded.map((e) => e.object)))
      problems.push({ file: o.file, check: 'metallb', message: m });
    for (const m of findSecretMaterial([o.object, ...embedded.map((e) => e.object)]))
      problems.push({ file: o.file, check: 'secrets', message: m });
  }
  const byNamespace = objects.map((o) => o.object as ManifestObject);
  for (const m of findUnresolvedReferences(byNamespace, { external: options.external }))
    problems.push({ file: '', check: 'references', message: m });
  return problems;
}

/** Problems of the Ignition config of a MachineConfig, checked against the schema of its spec version. */
function ignitionProblems(object: any): string[] {
  if (object.kind !== 'MachineConfig' || !String(object.apiVersion).startsWith('machineconfiguration.openshift.io/'))
    return [];
  const config = object.spec?.config;
  if (config === undefined || config === null) return [];
  const where = `MachineConfig/${object.metadata?.name} spec.config`;
  const version = config?.ignition?.version;
  if (!IGNITION_SPEC_VERSIONS.includes(version)) {
    return [`${where}: ignition.version ${JSON.stringify(version)} is not one of ${IGNITION_SPEC_VERSIONS.join(', ')}`];
  }
  return validateIgnition(config, version as IgnitionSpecVersion).map(
    (i) => `${where}: '${i.path || '/'}' ${i.message}`,
  );
}
