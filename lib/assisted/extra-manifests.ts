import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { ApiObject, Chart } from 'cdk8s';
import * as k8s from 'cdk8s-plus-29/lib/imports/k8s';
import { Construct, IConstruct } from 'constructs';
import { parseAllDocuments } from 'yaml';
import { toKubernetesObject } from '../core/kubernetes-object';
import { stringifyManifests } from '../core/yaml-writer';
import { validateDns1123Subdomain } from '../net/dns';
import { documentValue } from '../private/yaml-document';
import { MachineConfig } from '../openshift/machine-config';
import { at, child, expectArray, expectInteger, expectObject, expectString, fail, show } from '../private/errors';
import { EmbeddedManifests, validateOutput } from '../validation/construct-validation';
import { hasSchema } from '../validation/schema-validator';

/** The most a ConfigMap's data may hold (keys and values), as the API server counts it: 1 MiB. */
export const CONFIGMAP_MAX_BYTES = 1024 * 1024;

/** Props of {@link ExtraManifests}. */
export interface ExtraManifestsProps {
  /**
   * Name of the ConfigMap; when the manifests need several, they are named `<name>-1`, `<name>-2`, …
   * DNS-1123 subdomain, at most 250 characters.
   */
  readonly name: string;
  /**
   * Directory of manifest files, read recursively: every `*.yaml`, `*.yml` and `*.json` file
   * (other files and dot-files are skipped). A file in a subdirectory becomes the key
   * `<dir>-<file>` (ConfigMap keys cannot hold `/`).
   * @default - no directory
   */
  readonly directory?: string;
  /**
   * Objects built with cdk8s: ApiObjects, Charts, or any construct holding ApiObjects, such as a
   * MachineConfig for day 1; or plain Kubernetes objects (`apiVersion`, `kind`, `metadata.name`,
   * JSON values). Each becomes one file, `<kind>-<name>.yaml` for an ApiObject or plain object and
   * `<chart id>.yaml` for any other construct. Constructs must belong to an App of their own (for
   * example `new Chart(new App(), 'day1')`): objects of this app are applied to the management
   * cluster, not to the cluster being installed.
   * @default - none
   */
  readonly objects?: (IConstruct | Record<string, unknown>)[];
  /**
   * Files given as text, by key (`99-network-configmap.yaml`).
   * @default - none
   */
  readonly files?: Record<string, string>;
  /**
   * Day-1 MachineConfigs (built with `applyDirectly: false`), each written as
   * `<machine config name>.yaml`, as they are when this construct is built (add their files first).
   * @default - none
   */
  readonly machineConfigs?: MachineConfig[];
  /**
   * Most bytes (keys and values) one ConfigMap may hold. Lower it to 262144 when the ConfigMaps
   * are applied with client-side `kubectl apply`, whose last-applied annotation is limited to 256 KiB.
   * @default 1048576 (1 MiB, the API server's limit)
   */
  readonly maxConfigMapBytes?: number;
}

/** One manifest file of an {@link ExtraManifests}. */
export interface ExtraManifestFile {
  /** Key in the ConfigMap (file name). */
  readonly name: string;
  /** Text of the file. */
  readonly content: string;
  /** The Kubernetes objects it holds, parsed. */
  readonly objects: readonly Record<string, unknown>[];
  /** Name of the ConfigMap that holds it. */
  readonly configMap: string;
}

const KEY = /^[-._a-zA-Z0-9]+$/;
const MANIFEST_FILE = /\.(ya?ml|json)$/;

/**
 * Extra manifests for an `AgentClusterInstall` (`spec.manifestsConfigMapRefs`): day-1 objects
 * the installer applies with the cluster, such as a third-party CNI (CN2, Calico, Cilium) or a
 * MachineConfig. Built from a directory of files, from cdk8s objects, or from text; each file is
 * parsed and refused, with its name, when it is not YAML (or JSON) or holds something that is
 * not a Kubernetes object. Objects of a kind this library ships a schema for (MachineConfig, …)
 * are checked against it at synth. The files are spread over as many ConfigMaps as the 1 MiB
 * limit needs, in file-name order.
 */
export class ExtraManifests extends Construct {
  /** The files, sorted by name. */
  public readonly files: readonly ExtraManifestFile[];
  /** Names of the ConfigMaps, in order. */
  public readonly configMapNames: readonly string[];
  /** The ConfigMaps. */
  public readonly configMaps: readonly k8s.KubeConfigMap[];

  constructor(scope: Construct, id: string, props: ExtraManifestsProps) {
    super(scope, id);
    expectObject(props, at(this, 'props'), 'pass { name, directory | objects | files }');
    const name = validateDns1123Subdomain(props.name, at(this, 'name'));
    if (name.length > 250) fail(at(this, 'name'), 'is longer than 250 characters', name, 'use a shorter name');
    const maxBytes = expectInteger(
      props.maxConfigMapBytes ?? CONFIGMAP_MAX_BYTES,
      at(this, 'maxConfigMapBytes'),
      1024,
      CONFIGMAP_MAX_BYTES,
    );

    const raw = new Map<string, { content: string; source: string }>();
    const add = (key: string, content: string, source: string, where: ReturnType<typeof at>) => {
      if (!KEY.test(key)) {
        fail(
          where,
          `gives the file name ${show(key)}, which is not a ConfigMap key`,
          source,
          'use letters, digits, "-", "_" and "." only',
        );
      }
      if (!MANIFEST_FILE.test(key)) {
        fail(
          where,
          `gives the file name ${show(key)}, which assisted-service refuses`,
          source,
          'end the name with .yaml, .yml or .json',
        );
      }
      const other = raw.get(key);
      if (other)
        fail(
          where,
          `adds the file ${key} twice (also from ${other.source})`,
          source,
          'give each manifest its own file name',
        );
      raw.set(key, { content, source });
    };

    if (props.directory !== undefined) {
      const dir = expectString(props.directory, at(this, 'directory'), 'pass the path of a directory of manifests');
      let isDir = false;
      try {
        isDir = statSync(dir).isDirectory();
      } catch {
        isDir = false;
      }
      if (!isDir)
        fail(at(this, 'directory'), 'is not a directory', dir, 'pass the path of a directory of manifest files');
      for (const file of listFiles(dir)) {
        const rel = relative(dir, file).split(sep).join('/');
        add(rel.split('/').join('-'), readFileSync(file, 'utf8'), rel, at(this, 'directory'));
      }
    }

    if (props.files !== undefined) {
      const files = expectObject<Record<string, unknown>>(
        props.files,
        at(this, 'files'),
        'pass { "name.yaml": "text" }',
      );
      for (const [key, content] of Object.entries(files)) {
        add(
          key,
          expectString(content, child(at(this, 'files'), key), 'pass the YAML text'),
          key,
          child(at(this, 'files'), key),
        );
      }
    }

    const objects = expectArray<IConstruct | Record<string, unknown>>(
      props.objects ?? [],
      at(this, 'objects'),
      'pass ApiObjects, Charts or plain Kubernetes objects',
    );
    objects.forEach((given, i) => {
      const w = child(at(this, 'objects'), i);
      if (!(given instanceof Construct)) {
        // A plain Kubernetes object, or the reason it is none.
        const json = toKubernetesObject(given, w);
        const key = `${json.kind}-${json.metadata.name}.yaml`.toLowerCase();
        add(key.replace(/[^-._a-z0-9]+/g, '-'), stringifyManifests([json]), `objects[${i}]`, w);
        return;
      }
      const o: IConstruct = given;
      if (o.node.root === this.node.root) {
        fail(
          w,
          `(${o.node.path}) is in this app, so it would also be applied to the management cluster`,
          o.node.path,
          "define it in a chart of an App of its own, e.g. new Chart(new App(), 'day1')",
        );
      }
      const docs = renderConstruct(o);
      if (docs.length === 0)
        fail(w, `(${o.node.path}) holds no ApiObject`, o.node.path, 'pass objects that define Kubernetes objects');
      const key = ApiObject.isApiObject(o)
        ? `${o.kind}-${o.name}.yaml`.toLowerCase()
        : `${(Chart.isChart(o) ? o.node.id : o.node.id) || 'manifests'}.yaml`.toLowerCase();
      add(key.replace(/[^-._a-z0-9]+/g, '-'), stringifyManifests(docs), o.node.path, w);
    });

    const machineConfigs = expectArray<MachineConfig>(
      props.machineConfigs ?? [],
      at(this, 'machineConfigs'),
      'pass MachineConfig constructs built with applyDirectly: false',
    );
    machineConfigs.forEach((mc, i) => {
      const w = child(at(this, 'machineConfigs'), i);
      if (!(mc instanceof MachineConfig)) fail(w, 'is not a MachineConfig', mc, 'pass a MachineConfig construct');
      if (mc.resource !== undefined) {
        fail(
          w,
          `(${mc.node.path}) is applied directly, so it would also be applied to the management cluster`,
          mc.machineConfigName,
          'build it with applyDirectly: false',
        );
      }
      add(mc.fileName, mc.toYaml(), mc.node.path, w);
    });

    if (raw.size === 0) {
      fail(
        at(this, 'props'),
        'names no manifest',
        props.directory ?? [],
        'give a directory with *.yaml files, objects or files',
      );
    }

    // Parse and check every file.
    const seen = new Map<string, string>();
    const parsed = [...raw.keys()].sort().map((key) => {
      const { content, source } = raw.get(key)!;
      const where = { path: this.node.path, prop: `manifests[${source}]` };
      const objs = parseManifestFile(key, content, where);
      for (const o of objs) {
        const meta = o.metadata as Record<string, unknown>;
        const id = `${o.apiVersion}/${o.kind}/${String(meta.namespace ?? '')}/${String(meta.name)}`;
        const other = seen.get(id);
        if (other) {
          fail(
            where,
            `defines ${o.kind}/${String(meta.name)}, which ${other} defines too`,
            source,
            'define each object once',
          );
        }
        seen.set(id, source);
      }
      return { name: key, content, objects: objs };
    });

    // Spread over ConfigMaps.
    const groups: { name: string; content: string; objects: Record<string, unknown>[] }[][] = [];
    let size = 0;
    for (const f of parsed) {
      const bytes = Buffer.byteLength(f.name) + Buffer.byteLength(f.content);
      if (bytes > maxBytes) {
        fail(
          { path: this.node.path, prop: `manifests[${raw.get(f.name)!.source}]` },
          `is ${bytes} bytes, more than one ConfigMap holds (${maxBytes})`,
          f.name,
          'split it into several files',
        );
      }
      if (groups.length === 0 || size + bytes > maxBytes) {
        groups.push([]);
        size = 0;
      }
      groups[groups.length - 1].push(f);
      size += bytes;
    }
    this.configMapNames = groups.map((_, i) => (groups.length === 1 ? name : `${name}-${i + 1}`));
    this.configMaps = groups.map(
      (group, i) =>
        new k8s.KubeConfigMap(this, groups.length === 1 ? 'Resource' : `Resource${i + 1}`, {
          metadata: { name: this.configMapNames[i] },
          data: Object.fromEntries(group.map((f) => [f.name, f.content])),
        }),
    );
    this.files = groups.flatMap((group, i) => group.map((f) => ({ ...f, configMap: this.configMapNames[i] })));
    validateOutput(this, () => this.embeddedManifests());
  }

  /** The objects of kinds with a shipped schema, by file, for the synth-time schema check. */
  public embeddedManifests(): EmbeddedManifests[] {
    return this.files
      .map((f) => ({
        path: `${f.configMap}/${f.name}`,
        objects: f.objects.filter((o) => hasSchema(String(o.apiVersion), String(o.kind))),
      }))
      .filter((e) => e.objects.length > 0);
  }
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(path));
    else if (entry.isFile() && MANIFEST_FILE.test(entry.name)) out.push(path);
  }
  return out;
}

function renderConstruct(c: IConstruct): Record<string, unknown>[] {
  if (ApiObject.isApiObject(c)) return [c.toJson()];
  if (Chart.isChart(c)) return c.toJson();
  return c.node
    .findAll()
    .filter((x): x is ApiObject => ApiObject.isApiObject(x))
    .map((x) => x.toJson());
}

/**
 * The Kubernetes objects of one manifest file: every YAML document (JSON is YAML too) must be
 * a mapping with `apiVersion`, `kind` and `metadata.name`; empty documents are skipped.
 */
export function parseManifestFile(
  file: string,
  content: string,
  where: { path: string; prop: string },
): Record<string, unknown>[] {
  const docs = parseAllDocuments(content, { prettyErrors: false });
  const objects: Record<string, unknown>[] = [];
  for (const [i, doc] of (Array.isArray(docs) ? docs : [docs]).entries()) {
    if (doc.errors.length > 0) {
      const e = doc.errors[0];
      const line = e.linePos?.[0]?.line;
      fail(
        where,
        `is not valid YAML${line ? ` (line ${line})` : ''}: ${e.message.split('\n')[0]}`,
        file,
        'fix the file',
      );
    }
    const { value, error } = documentValue(doc);
    if (error !== undefined) fail(where, `is not valid YAML (document ${i + 1}): ${error}`, file, 'fix the file');
    if (value === null || value === undefined) continue;
    const what = `document ${i + 1}`;
    if (typeof value !== 'object' || Array.isArray(value)) {
      fail(
        where,
        `${what} is not a Kubernetes object (not a mapping)`,
        file,
        'give each document apiVersion, kind and metadata.name',
      );
    }
    const o = value as Record<string, unknown>;
    const meta = o.metadata as Record<string, unknown> | undefined;
    const missing = [
      typeof o.apiVersion === 'string' && o.apiVersion !== '' ? undefined : 'apiVersion',
      typeof o.kind === 'string' && o.kind !== '' ? undefined : 'kind',
      meta && typeof meta === 'object' && typeof meta.name === 'string' && meta.name !== ''
        ? undefined
        : 'metadata.name',
    ].filter(Boolean);
    if (missing.length > 0) {
      fail(
        where,
        `${what} is not a Kubernetes object (no ${missing.join(', ')})`,
        file,
        'give each document apiVersion, kind and metadata.name',
      );
    }
    objects.push(o);
  }
  if (objects.length === 0) fail(where, 'holds no Kubernetes object', file, 'remove the empty file or add its objects');
  return objects;
}
