import { LineCounter, parse, parseAllDocuments } from 'yaml';
import { IGNITION_SPEC_VERSIONS, IgnitionSpecVersion, validateIgnition } from '../ignition/ignition-schema';
import { checkMetalLbObjects } from '../metallb/metallb-checks';
import { ExternalPatterns } from './external-patterns';
import { findUnresolvedReferences, ManifestObject } from './references';
import { formatIssue, hasSchema, validateManifest } from './schema-validator';
import { findSecretMaterial } from './secret-safety';
import { documentValue } from '../private/yaml-document';
import { describeYamlError, LoadedObject, ManifestProblem, placeOf } from './load-manifests';
import { DEFAULT_NAMESPACE, displayId, effectiveNamespace, objectIdentity } from './object-identity';

/* eslint-disable @typescript-eslint/no-explicit-any */

/** Options of {@link checkManifests}. */
export interface CheckManifestsOptions {
  /**
   * Objects that exist outside the checked set, as `Kind/name` or `Kind/namespace/name`, each part
   * a name or a pattern with `*` and `?` (`Secret/*-bmc`); pass an {@link ExternalPatterns} to learn
   * afterwards which declarations matched nothing.
   * @default - none
   */
  readonly external?: string[] | ExternalPatterns;
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

/** Objects of recently seen inline manifests: a fleet's sites embed the same HelmCharts again and again. */
const inlineMemo = new Map<string, readonly any[]>();

/** The objects of an inline manifest file (a broken document is left out: the file's own schema check reports it). */
function inlineObjects(inline: string): readonly any[] {
  const seen = inlineMemo.get(inline);
  if (seen) return seen;
  const objects: any[] = [];
  for (const doc of parseAllDocuments(inline, { logLevel: 'error' })) {
    const { value: object } = documentValue<any>(doc);
    if (object && typeof object === 'object') objects.push(Object.freeze(object));
  }
  if (inlineMemo.size >= 256) inlineMemo.delete(inlineMemo.keys().next().value!);
  inlineMemo.set(inline, objects);
  return objects;
}

/** Schema issues of embedded objects already checked (the objects of {@link inlineMemo}). */
const embeddedIssues = new WeakMap<object, ReturnType<typeof validateManifest>>();

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
      for (const object of inlineObjects(inline))
        out.push({ where: `${o.object.kind}/${o.object.metadata?.name} ${file.path}`, object });
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
export function manifestConfigMaps(objects: readonly LoadedObject[], namespace: string): Set<string> {
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
  const namespace = options.namespace ?? DEFAULT_NAMESPACE;
  const manifestMaps = manifestConfigMaps(objects, namespace);
  const problems = objects.flatMap((o) => checkObject(o, manifestMaps, namespace));
  problems.push(...duplicateProblems(objects, namespace));
  const all = objects.map((o) => o.object as ManifestObject);
  for (const m of findUnresolvedReferences(all, { external: options.external, namespace }))
    problems.push({ file: '', check: 'references', message: m });
  return problems;
}

/** A place an object is written, with its identity (see {@link objectIdentity}), for the duplicate check. */
export interface ObjectPlace {
  /** File it is in. */
  readonly file: string;
  /** Identity: API group, kind, namespace and name. */
  readonly identity: string;
  /** `Kind.group/namespace/name`, for messages. */
  readonly id: string;
  /** Position of its document in the file, from 1. */
  readonly document: number;
  /**
   * Line its document starts on.
   * @default - unknown
   */
  readonly line?: number;
}

/** Where `o` is written, for {@link duplicateProblems}. */
export function placeOfObject(o: LoadedObject, namespace: string): ObjectPlace {
  return {
    file: o.file,
    identity: objectIdentity(o.object, namespace),
    id: displayId(o.object, namespace),
    document: o.document ?? 1,
    ...(o.line !== undefined ? { line: o.line } : {}),
  };
}

/** Objects written more than once, one problem per repetition (in input order). */
export function duplicateProblems(
  objects: readonly LoadedObject[] | readonly ObjectPlace[],
  namespace: string = DEFAULT_NAMESPACE,
): ManifestProblem[] {
  const places = (objects as readonly (LoadedObject | ObjectPlace)[]).map((o) =>
    'identity' in o ? o : placeOfObject(o, namespace),
  );
  const first = new Map<string, ObjectPlace>();
  const problems: ManifestProblem[] = [];
  for (const p of places) {
    const seen = first.get(p.identity);
    if (seen === undefined) {
      first.set(p.identity, p);
      continue;
    }
    problems.push({
      file: p.file,
      check: 'duplicates',
      message:
        `[${p.id}] is written twice: in ${placeOf({ ...seen, object: undefined })} and in ${placeOf({ ...p, object: undefined })} ` +
        '(same API group, kind, namespace and name); keep one, as the one applied last replaces the other',
    });
  }
  return problems;
}

/**
 * The checks of one object on its own: its CRD schema (structural and CEL), manifests embedded in
 * RKE2 Butane configs and, for a ConfigMap named in `manifestMaps` (`namespace/name`), in its
 * data, Ignition configs, MetalLB consistency of embedded manifests, and secret material.
 */
export function checkObject(o: LoadedObject, manifestMaps: ReadonlySet<string>, namespace: string): ManifestProblem[] {
  const problems: ManifestProblem[] = [];
  const thirdParty = new Set<unknown>();
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
    let issues = embeddedIssues.get(e.object);
    if (issues === undefined) {
      issues = validateManifest(e.object);
      if (Object.isFrozen(e.object)) embeddedIssues.set(e.object, issues);
    }
    for (const issue of issues) {
      problems.push({ file: o.file, check: 'embedded', message: `in ${e.where}: ${formatIssue(issue)}` });
    }
  }
  for (const m of checkMetalLbObjects(embedded.map((e) => e.object)))
    problems.push({ file: o.file, check: 'metallb', message: m });
  for (const m of findSecretMaterial([o.object, ...embedded.map((e) => e.object)]))
    problems.push({ file: o.file, check: 'secrets', message: m });
  return problems;
}
