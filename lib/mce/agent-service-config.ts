import { ApiObject, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import {
  AgentServiceConfig as AgentServiceConfigObject,
  AgentServiceConfigSpecDatabaseStorageResourcesRequests,
  AgentServiceConfigSpecFilesystemStorageResourcesRequests,
  AgentServiceConfigSpecImageStorageResourcesRequests,
} from '../../imports/agentserviceconfigs-agent-install.openshift.io';
import { CPU_ARCHITECTURES, CpuArchitecture } from '../agent/infra-env';
import { singletonObject } from '../core/singleton';
import { validateDns1123Label, validateDns1123Subdomain } from '../net/dns';
import { At, at, child, expectArray, expectNonEmptyString, expectObject, fail, redacted } from '../private/errors';
import { validateStorageSize } from '../private/quantity';
import { AirgapRegistryMirror } from '../registry/airgap-registry-mirror';
import { validateOutput } from '../validation/construct-validation';
import { MultiClusterEngine } from './multi-cluster-engine';

/** Annotation of the AgentServiceConfig naming a ConfigMap of extra assisted-service settings. */
export const ASSISTED_SERVICE_CONFIGMAP_ANNOTATION =
  'unsupported.agent-install.openshift.io/assisted-service-configmap';

/** Access modes a PersistentVolumeClaim takes. */
export type AccessMode = 'ReadWriteOnce' | 'ReadOnlyMany' | 'ReadWriteMany' | 'ReadWriteOncePod';
const ACCESS_MODES: readonly AccessMode[] = ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'];

/** A volume of Assisted Service. */
export interface AgentServiceStorage {
  /** Requested size, such as `10Gi`. */
  readonly size: string;
  /**
   * Storage class of the claim, such as `lvms-vg1`.
   * @default - the cluster's default storage class
   */
  readonly storageClassName?: string;
  /**
   * Access modes of the claim.
   * @default ['ReadWriteOnce']
   */
  readonly accessModes?: AccessMode[];
}

/** A RHCOS live image Assisted Service boots hosts with, for one OpenShift version and architecture. */
export interface AgentServiceOsImage {
  /**
   * CPU architecture.
   * @default 'x86_64'
   */
  readonly cpuArchitecture?: CpuArchitecture;
  /** OpenShift `x.y` version the image serves, such as `4.19`. */
  readonly openshiftVersion: string;
  /** http(s) URL of the live ISO. */
  readonly url: string;
  /**
   * http(s) URL of the live rootfs image; needed where hosts cannot reach the Internet.
   * @default - derived by Assisted Service from the ISO
   */
  readonly rootFSUrl?: string;
  /** RHCOS build version of the image, such as `419.96.202505141236-0`. */
  readonly version: string;
}

/** Props of {@link AgentServiceConfig}. */
export interface AgentServiceConfigProps {
  /** Volume of the Assisted Service database (PostgreSQL); 10Gi is the documented size. */
  readonly databaseStorage: AgentServiceStorage;
  /** Volume of Assisted Service files (logs, manifests, ISO cache); 20Gi or more. */
  readonly filesystemStorage: AgentServiceStorage;
  /**
   * Volume of the image service's ISO cache.
   * @default - no persistent image cache
   */
  readonly imageStorage?: AgentServiceStorage;
  /** RHCOS images, at least one; one per OpenShift version and architecture. */
  readonly osImages: AgentServiceOsImage[];
  /**
   * The disconnected mirror: the Assisted Service ConfigMap (`registries.conf` and the CA,
   * `custom-registries`) is defined from it and named in `spec.mirrorRegistryRef`. Or a name,
   * for a ConfigMap defined elsewhere in the Assisted Service namespace.
   * @default - no mirror (connected)
   */
  readonly mirrorRegistry?: AirgapRegistryMirror | string;
  /**
   * Name of a ConfigMap (in the Assisted Service namespace) with extra assisted-service settings,
   * set as the `unsupported.agent-install.openshift.io/assisted-service-configmap` annotation.
   * @default - none
   */
  readonly unsupportedConfigMap?: string;
  /**
   * Namespace of Assisted Service (the MultiClusterEngine's `targetNamespace`), where the mirror
   * ConfigMap is defined.
   * @default - the `targetNamespace` of `multiClusterEngine`, else 'multicluster-engine'
   */
  readonly namespace?: string;
  /**
   * The MultiClusterEngine that runs Assisted Service: its `targetNamespace` is the namespace,
   * and it must have `assisted-service` on.
   * @default - not checked
   */
  readonly multiClusterEngine?: MultiClusterEngine;
  /**
   * Registries that need no pull secret entry (`unauthenticatedRegistries`).
   * @default - none
   */
  readonly unauthenticatedRegistries?: string[];
}

/**
 * The `AgentServiceConfig` (agent-install.openshift.io/v1beta1, cluster-scoped, always named
 * `agent`) that deploys Assisted Service on a multicluster engine hub: database and file
 * storage, the RHCOS images hosts boot, and for a disconnected site the mirror ConfigMap.
 *
 * Checked: at least one OS image, one per OpenShift version and architecture, http(s) URLs,
 * `x.y` versions; storage sizes and access modes.
 */
export class AgentServiceConfig extends Construct {
  /** Namespace of Assisted Service. */
  public readonly namespace: string;
  /** Name of the mirror ConfigMap, when there is one. */
  public readonly mirrorRegistryConfigMapName?: string;
  /** The generated API object. */
  public readonly apiObject: AgentServiceConfigObject;

  constructor(scope: Construct, id: string, props: AgentServiceConfigProps) {
    super(scope, id);
    expectObject(props, at(this, 'props'), 'pass { databaseStorage, filesystemStorage, osImages }');
    const engine = props.multiClusterEngine;
    if (engine !== undefined) {
      if (!(engine instanceof MultiClusterEngine)) {
        fail(
          at(this, 'multiClusterEngine'),
          'is not a MultiClusterEngine',
          engine,
          'pass the MultiClusterEngine construct',
        );
      }
      if (engine.components['assisted-service'] !== true) {
        fail(
          at(this, 'multiClusterEngine'),
          `has assisted-service off ([${engine.node.path}])`,
          engine.name,
          'switch assistedService on in the MultiClusterEngine',
        );
      }
      if (props.namespace !== undefined && props.namespace !== engine.targetNamespace) {
        fail(
          at(this, 'namespace'),
          `differs from the engine's targetNamespace ${engine.targetNamespace}`,
          props.namespace,
          'leave namespace out: Assisted Service runs in the engine namespace',
        );
      }
    }
    this.namespace = validateDns1123Label(
      props.namespace ?? engine?.targetNamespace ?? 'multicluster-engine',
      at(this, 'namespace'),
    );
    const db = storage(props.databaseStorage, at(this, 'databaseStorage'));
    const fs = storage(props.filesystemStorage, at(this, 'filesystemStorage'));
    const img = props.imageStorage === undefined ? undefined : storage(props.imageStorage, at(this, 'imageStorage'));
    const osImages = validateOsImages(props.osImages, at(this, 'osImages'));
    const unsupported =
      props.unsupportedConfigMap === undefined
        ? undefined
        : validateDns1123Subdomain(props.unsupportedConfigMap, at(this, 'unsupportedConfigMap'));
    const unauthenticated =
      props.unauthenticatedRegistries === undefined
        ? []
        : expectArray<string>(props.unauthenticatedRegistries, at(this, 'unauthenticatedRegistries')).map((r, i) =>
            expectNonEmptyString(r, child(at(this, 'unauthenticatedRegistries'), i)),
          );

    validateOutput(this);
    const mirror = props.mirrorRegistry instanceof AirgapRegistryMirror ? props.mirrorRegistry : undefined;
    const mirrorName =
      mirror || props.mirrorRegistry === undefined
        ? undefined
        : validateDns1123Subdomain(props.mirrorRegistry, at(this, 'mirrorRegistry'));

    // One AgentServiceConfig (named `agent`) per cluster: a second, identical one shares it, and
    // the mirror's ConfigMap, which only the first defines.
    const content = {
      namespace: this.namespace,
      annotations: unsupported ?? null,
      databaseStorage: db,
      filesystemStorage: fs,
      imageStorage: img ?? null,
      mirrorRegistry: mirror ? `mirror ${mirror.node.path}` : (mirrorName ?? null),
      unauthenticatedRegistries: unauthenticated,
      osImages,
    };
    let configMapName = mirrorName;
    let defined = false;
    this.apiObject = singletonObject(this, at(this, 'props'), {
      apiVersion: 'agent-install.openshift.io/v1beta1',
      kind: 'AgentServiceConfig',
      name: 'agent',
      content: JSON.parse(JSON.stringify(content)) as Record<string, unknown>,
      strategy: 'equal',
      fix: 'a cluster has one AgentServiceConfig (agent): define it once and share it',
      define: () => {
        defined = true;
        if (mirror) configMapName = mirror.addAssistedServiceConfigMap({ scope: this, namespace: this.namespace }).name;
        return this.define(configMapName, unsupported, db, fs, img, unauthenticated, osImages);
      },
    });
    // A second, identical one names the ConfigMap the first defined.
    this.mirrorRegistryConfigMapName = defined ? configMapName : mirrorRegistryRefOf(this.apiObject);
  }

  private define(
    mirrorRegistryConfigMapName: string | undefined,
    unsupported: string | undefined,
    db: ReturnType<typeof storage>,
    fs: ReturnType<typeof storage>,
    img: ReturnType<typeof storage> | undefined,
    unauthenticated: readonly string[],
    osImages: ReturnType<typeof validateOsImages>,
  ): AgentServiceConfigObject {
    const apiObject = new AgentServiceConfigObject(this, 'Resource', {
      metadata: {
        name: 'agent',
        ...(unsupported ? { annotations: { [ASSISTED_SERVICE_CONFIGMAP_ANNOTATION]: unsupported } } : {}),
      },
      spec: {
        databaseStorage: {
          ...db.common,
          resources: {
            requests: { storage: AgentServiceConfigSpecDatabaseStorageResourcesRequests.fromString(db.size) },
          },
        },
        filesystemStorage: {
          ...fs.common,
          resources: {
            requests: { storage: AgentServiceConfigSpecFilesystemStorageResourcesRequests.fromString(fs.size) },
          },
        },
        ...(img
          ? {
              imageStorage: {
                ...img.common,
                resources: {
                  requests: { storage: AgentServiceConfigSpecImageStorageResourcesRequests.fromString(img.size) },
                },
              },
            }
          : {}),
        ...(mirrorRegistryConfigMapName ? { mirrorRegistryRef: { name: mirrorRegistryConfigMapName } } : {}),
        ...(unauthenticated.length > 0 ? { unauthenticatedRegistries: [...unauthenticated] } : {}),
        osImages,
      },
    });
    clusterScoped(apiObject);
    return apiObject;
  }
}

/** The ConfigMap an AgentServiceConfig's `spec.mirrorRegistryRef` names, if any. */
function mirrorRegistryRefOf(obj: AgentServiceConfigObject): string | undefined {
  const spec = (obj.toJson() as { spec?: { mirrorRegistryRef?: { name?: string } } }).spec;
  return spec?.mirrorRegistryRef?.name;
}

function clusterScoped(obj: ApiObject): void {
  if (obj.metadata.namespace !== undefined) obj.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
}

function storage(
  value: AgentServiceStorage,
  where: At,
): { size: string; common: { storageClassName?: string; accessModes: string[] } } {
  expectObject(value, where, "pass { size: '10Gi', storageClassName: 'lvms-vg1' }");
  const size = validateStorageSize(value.size, child(where, 'size')).text;
  const modes = expectArray<AccessMode>(value.accessModes ?? ['ReadWriteOnce'], child(where, 'accessModes'));
  if (modes.length === 0)
    fail(child(where, 'accessModes'), 'is empty', modes, "give at least one, e.g. 'ReadWriteOnce'");
  modes.forEach((m, i) => {
    if (!ACCESS_MODES.includes(m)) {
      fail(child(child(where, 'accessModes'), i), 'is not an access mode', m, `use one of ${ACCESS_MODES.join(', ')}`);
    }
  });
  if (new Set(modes).size !== modes.length)
    fail(child(where, 'accessModes'), 'repeats a mode', modes, 'give each once');
  const sc =
    value.storageClassName === undefined
      ? undefined
      : validateDns1123Subdomain(value.storageClassName, child(where, 'storageClassName'));
  return { size, common: { ...(sc ? { storageClassName: sc } : {}), accessModes: [...modes] } };
}

function validateOsImages(
  value: unknown,
  where: At,
): { cpuArchitecture: string; openshiftVersion: string; rootFsUrl?: string; url: string; version: string }[] {
  const list = expectArray<AgentServiceOsImage>(value, where, 'pass a list of OS images');
  if (list.length === 0) {
    fail(
      where,
      'must hold at least one image',
      list,
      'list the RHCOS live ISO (and rootfs) of each OpenShift version you install',
    );
  }
  const seen = new Map<string, number>();
  return list.map((image, i) => {
    const w = child(where, i);
    expectObject(image, w, 'pass { openshiftVersion, url, rootFSUrl, version }');
    const arch = image.cpuArchitecture ?? 'x86_64';
    if (!CPU_ARCHITECTURES.includes(arch)) {
      fail(
        child(w, 'cpuArchitecture'),
        'is not a CPU architecture',
        image.cpuArchitecture,
        `use one of ${CPU_ARCHITECTURES.join(', ')}`,
      );
    }
    const version = expectNonEmptyString(image.openshiftVersion, child(w, 'openshiftVersion'));
    if (!/^\d+\.\d+$/.test(version)) {
      fail(
        child(w, 'openshiftVersion'),
        'is not an OpenShift x.y version',
        version,
        'write e.g. "4.19" (quoted, so YAML keeps it a string)',
      );
    }
    const key = `${version}/${arch === 'arm64' ? 'aarch64' : arch}`;
    const other = seen.get(key);
    if (other !== undefined) {
      fail(
        child(w, 'openshiftVersion'),
        `repeats ${version} for ${arch}, already given at osImages[${other}]`,
        version,
        'give one image per OpenShift version and architecture',
      );
    }
    seen.set(key, i);
    const url = httpUrl(image.url, child(w, 'url'));
    const rootFsUrl = image.rootFSUrl === undefined ? undefined : httpUrl(image.rootFSUrl, child(w, 'rootFSUrl'));
    const build = expectNonEmptyString(image.version, child(w, 'version'));
    if (!/^[0-9][0-9A-Za-z.-]*$/.test(build)) {
      fail(child(w, 'version'), 'is not an RHCOS build version', build, 'write e.g. "419.96.202505141236-0"');
    }
    return {
      cpuArchitecture: arch,
      openshiftVersion: version,
      ...(rootFsUrl ? { rootFsUrl } : {}),
      url,
      version: build,
    };
  });
}

function httpUrl(value: unknown, where: At): string {
  const text = expectNonEmptyString(value, where, 'pass an http(s) URL');
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') {
    fail(
      where,
      'is not an http(s) URL',
      value,
      'write e.g. "http://webserver.example.com:8080/images/rhcos-live.x86_64.iso"',
    );
  }
  if (url.username || url.password)
    fail(where, 'embeds credentials', redacted(), 'serve the images without credentials');
  return text;
}
