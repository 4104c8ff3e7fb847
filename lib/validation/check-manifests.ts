import { LineCounter, parse, parseAllDocuments } from 'yaml';
import { IGNITION_SPEC_VERSIONS, IgnitionSpecVersion, validateIgnition } from '../ignition/ignition-schema';
import { checkMetalLbObjects } from '../metallb/kubernetes-vip';
import { findUnresolvedReferences, ManifestObject } from './references';
import { formatIssue, hasSchema, validateManifest } from './schema-validator';
import { findSecretMaterial } from './secret-safety';
import { documentValue } from '../private/yaml-document';
import { describeYamlError, LoadedObject, ManifestProblem, placeOf } from './load-manifests';
import { DEFAULT_NAMESPACE, effectiveNamespace, findDuplicates } from './object-identity';

/* eslint-disable @typescript-eslint/no-explicit-any */

/** Options of {@link checkManifests}. */
export interface CheckManifestsOptions {
  /**
   * Objects that exist outside the checked set, as `Kind/name` or `Kind/namespace/name`.
   * @default - none
   */
  readonly external?: string[];
  /**
   * Namespace of namespaced objects without `metadata.namespace`, as `kubectl apply -n` would use,
   * for references, selectors and duplicates.
   * @default 'default'
   */
  readonly namespace?: string;
}

/** `value` when it is a list, else an empty one (the schema check reports a wrong type). */
function list(value: unknown): any[] {
  return Array.isArray(value) ? value : [];
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
      butane = parse(config, { logLevel: 'error' });
    } catch {
      continue; // the structural schema says whether the string is acceptable
    }
    for (const file of list(butane?.storage?.files)) {
      const inline = file?.contents?.inline;
      if (typeof inline !== 'string' || !/\/manifests\/[^/]+\.ya?ml$/.test(file.path ?? '')) continue;
      for (const doc of parseAllDocuments(inline, { logLevel: 'error' })) {
        const { value: object } = documentValue<any>(doc); // a broken document: the file's own schema check reports it
        if (object && typeof object === 'object')
          out.push({ where: `${o.object.kind}/${o.object.metadata?.name} ${file.path}`, object });
      }
    }
  }
  return out;
}

/**
 * Problems of an Ignition config embedded in `where` (a MachineConfig's `spec.config` or an
 * InfraEnv's `spec.ignitionConfigOverride`), checked against the schema of its own spec version.
 */
export function checkEmbeddedIgnition(config: unknown, where: string): string[] {
  let json = config;
  if (typeof config === 'string') {
    try {
      json = JSON.parse(config);
    } catch (e) {
      // V8's message quotes the text, which may hold a password hash or a key: give the position only.
      const at = /position (\d+)/.exec((e as Error).message)?.[1];
      return [`in ${where}: not valid JSON${at !== undefined ? ` (error at character ${at})` : ''}`];
    }
  }
  if (json === null || typeof json !== 'object') return [`in ${where}: an Ignition config must be a JSON object`];
  const version = (json as { ignition?: { version?: unknown } }).ignition?.version;
  if (!IGNITION_SPEC_VERSIONS.includes(version as IgnitionSpecVersion)) {
    const shown =
      typeof version === 'string' && /^[\w.+-]{1,16}$/.test(version) ? JSON.stringify(version) : typeof version;
    return [`in ${where}: 'ignition.version' ${shown} is not one of ${IGNITION_SPEC_VERSIONS.join(', ')}`];
  }
  // An Ignition config holds password hashes, keys and files: say where and what, never the value.
  return validateIgnition(json, version as IgnitionSpecVersion).map(
    (i) => `in ${where}: Ignition ${version} at '${i.path || '/'}': ${i.message.replace(/ \(got [\s\S]*\)$/, '')}`,
  );
}

/** Ignition configs an object carries: MachineConfig `spec.config`, InfraEnv `spec.ignitionConfigOverride`. */
function ignitionProblems(object: any, where: string): string[] {
  if (object?.kind === 'MachineConfig' && object.spec?.config !== undefined) {
    return checkEmbeddedIgnition(object.spec.config, `${where} spec.config`);
  }
  if (object?.kind === 'InfraEnv' && object.spec?.ignitionConfigOverride !== undefined) {
    return checkEmbeddedIgnition(object.spec.ignitionConfigOverride, `${where} spec.ignitionConfigOverride`);
  }
  return [];
}

/**
 * ConfigMaps whose data are manifests for another cluster: the extra manifests an
 * AgentClusterInstall installs and the MachineConfigs a NodePool applies, as `namespace/name`.
 */
function manifestConfigMaps(objects: readonly LoadedObject[], namespace: string): Set<string> {
  const out = new Set<string>();
  for (const { object } of objects) {
    const ns = effectiveNamespace(object, namespace) ?? '';
    const names: unknown[] = [];
    if (object?.kind === 'AgentClusterInstall') {
      names.push(object.spec?.manifestsConfigMapRef?.name);
      for (const r of list(object.spec?.manifestsConfigMapRefs)) names.push(r?.name);
    }
    if (object?.kind === 'NodePool') for (const r of list(object.spec?.config)) names.push(r?.name);
    for (const n of names) if (typeof n === 'string') out.add(`${ns}/${n}`);
  }
  return out;
}

/** The manifests in each data entry of a manifests ConfigMap, or why an entry is not manifests. */
function configMapManifests(configMap: any): { where: string; object?: any; problem?: string }[] {
  const out: { where: string; object?: any; problem?: string }[] = [];
  const name = `ConfigMap/${configMap.metadata?.name}`;
  for (const [key, text] of Object.entries(configMap.data ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const where = `${name} data['${key}']`;
    if (typeof text !== 'string') continue;
    for (const doc of parseAllDocuments(text, { lineCounter: new LineCounter(), logLevel: 'error' })) {
      if (doc.errors.length > 0) {
        out.push({ where, problem: doc.errors.map((e) => describeYamlError(e).message).join('; ') });
        continue;
      }
      const { value: object, error } = documentValue<any>(doc);
      if (error !== undefined) {
        out.push({ where, problem: `not valid YAML (${error.split(':')[0].trim()})` });
        continue;
      }
      if (object === null || object === undefined) continue;
      if (typeof object !== 'object' || typeof object.kind !== 'string' || typeof object.apiVersion !== 'string') {
        out.push({ where, problem: 'a document is not a Kubernetes object (no apiVersion/kind)' });
        continue;
      }
      out.push({ where: `${where} ${object.kind}/${object.metadata?.name}`, object });
    }
  }
  return out;
}

/**
 * Everything this library checks on a set of manifests from anywhere: each object against its
 * CRD schema (structural and CEL), manifests embedded in RKE2 Butane configs and in manifests
 * ConfigMaps (AgentClusterInstall extra manifests, NodePool configs) likewise, Ignition configs in
 * MachineConfigs and InfraEnvs against the Ignition schema, references between objects, secret
 * material, and MetalLB pool/advertisement/Service consistency.
 */
export function checkManifests(
  objects: readonly LoadedObject[],
  options: CheckManifestsOptions = {},
): ManifestProblem[] {
  const problems: ManifestProblem[] = [];
  const namespace = options.namespace ?? DEFAULT_NAMESPACE;
  const manifestMaps = manifestConfigMaps(objects, namespace);
  const thirdParty = new Set<unknown>();
  for (const o of objects) {
    for (const issue of validateManifest(o.object))
      problems.push({ file: o.file, check: 'schema', message: formatIssue(issue) });
    for (const m of ignitionProblems(o.object, `${o.object.kind}/${o.object.metadata?.name}`))
      problems.push({ file: o.file, check: 'embedded', message: m });
    const embedded = embeddedObjects(o);
    if (
      o.object.kind === 'ConfigMap' &&
      manifestMaps.has(`${effectiveNamespace(o.object, namespace) ?? ''}/${o.object.metadata?.name}`)
    ) {
      for (const m of configMapManifests(o.object)) {
        if (m.problem !== undefined)
          problems.push({ file: o.file, check: 'embedded', message: `in ${m.where}: ${m.problem}` });
        else {
          embedded.push({ where: m.where, object: m.object });
          // Extra manifests may be of any third party's kinds (a CNI's CRDs): check the kinds we know.
          if (!hasSchema(m.object.apiVersion, m.object.kind)) thirdParty.add(m.object);
          for (const p of ignitionProblems(m.object, m.where))
            problems.push({ file: o.file, check: 'embedded', message: p });
        }
      }
    }
    for (const e of embedded) {
      if (thirdParty.has(e.object)) continue;
      for (const issue of validateManifest(e.object)) {
        problems.push({ file: o.file, check: 'embedded', message: `in ${e.where}: ${formatIssue(issue)}` });
      }
    }
    for (const m of checkMetalLbObjects(embedded.map((e) => e.object)))
      problems.push({ file: o.file, check: 'metallb', message: m });
    for (const m of findSecretMaterial([o.object, ...embedded.map((e) => e.object)]))
      problems.push({ file: o.file, check: 'secrets', message: m });
  }
  for (const d of findDuplicates(objects, namespace)) {
    problems.push({
      file: d.again.file,
      check: 'duplicates',
      message:
        `[${d.id}] is written twice: in ${placeOf(d.first)} and in ${placeOf(d.again)} ` +
        '(same API group, kind, namespace and name); keep one, as the one applied last replaces the other',
    });
  }
  const all = objects.map((o) => o.object as ManifestObject);
  for (const m of findUnresolvedReferences(all, { external: options.external, namespace }))
    problems.push({ file: '', check: 'references', message: m });
  return problems;
}
