import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import * as k8s from 'cdk8s-plus-29/lib/imports/k8s';
import { Construct } from 'constructs';
import { validateDns1123Label } from '../net/dns';
import { At, at, expectNonEmptyString, fail } from '../private/errors';
import { validateOutput } from '../validation/construct-validation';
import { claimObjectName } from './internal';

/** The Multus release installed when none is given: the current stable v4 release. */
export const DEFAULT_MULTUS_VERSION = 'v4.3.1';

/** Repository of the upstream Multus image (thin plugin tags are `<version>`, thick `<version>-thick`). */
export const MULTUS_IMAGE_REPOSITORY = 'ghcr.io/k8snetworkplumbingwg/multus-cni';

/** Group of the NetworkAttachmentDefinition CRD. */
export const NAD_GROUP = 'k8s.cni.cncf.io';

/** Props of {@link Multus}. */
export interface MultusProps {
  /**
   * Multus release, `v<major>.<minor>.<patch>`, v3.0 or later. From v4 the thin plugin DaemonSet
   * (`/thin_entrypoint`, `/install_multus` in an init container) is rendered; for v3 (seed 004's
   * `v3.7.1` for clusters older than Kubernetes 1.20) the v3 DaemonSet (`/entrypoint.sh
   * --multus-conf-file=auto --cni-version=0.3.1`, which copies the binary itself).
   * @default - the `image` tag when it is a release (`v3.7.1`), else DEFAULT_MULTUS_VERSION
   */
  readonly version?: string;
  /**
   * Container image of the thin plugin, for a mirror in disconnected sites. A release tag
   * (`:v3.7.1`) sets the version, and must have the major version of `version` when both are
   * given; any other tag, or a digest alone, is assumed to be an image of `version`.
   * @default - `ghcr.io/k8snetworkplumbingwg/multus-cni:<version>`
   */
  readonly image?: string;
  /**
   * Namespace of the DaemonSet and its ServiceAccount.
   * @default 'kube-system'
   */
  readonly namespace?: string;
  /**
   * Folder of the CNI configs on the nodes, where Multus writes its config ahead of the primary
   * CNI's (`/var/lib/rancher/rke2/agent/etc/cni/net.d` on RKE2, `/etc/cni/net.d` on most others).
   * @default '/etc/cni/net.d'
   */
  readonly cniConfDir?: string;
  /**
   * Folder of the CNI plugin binaries on the nodes, where the `multus` binary is installed.
   * @default '/opt/cni/bin'
   */
  readonly cniBinDir?: string;
  /**
   * Whether to define the NetworkAttachmentDefinition CRD (turn off when another component, such
   * as the SR-IOV operator chart, owns it).
   * @default true
   */
  readonly installCrd?: boolean;
}

const VERSION = /^v(\d+)\.(\d+)\.(\d+)$/;
const IMAGE =
  /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]+)?(\/[a-z0-9]([a-z0-9._-]*[a-z0-9])?)+(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[a-f0-9]{64})$/;
const NAME = 'multus';
/** A release tag at the end of an image reference (thin or thick), e.g. `:v3.7.1`. */
const RELEASE_TAG = /:(v\d+\.\d+\.\d+)(?:-thick)?$/;

function majorOf(version: string): number {
  return Number(VERSION.exec(version)?.[1]);
}

/**
 * Multus CNI as a thin plugin (seed 004, task 2: `deployments/multus-daemonset.yml`): the
 * NetworkAttachmentDefinition CRD (k8s.cni.cncf.io/v1, as network-attachment-definition-client
 * v1.7.7 defines it), the `multus` ServiceAccount, ClusterRole and ClusterRoleBinding, and the
 * `kube-multus-ds` DaemonSet whose init container installs the `multus` binary and whose
 * container writes the Multus config in front of the primary CNI's (`--multus-conf-file=auto`).
 * For a v3 release (seed 004's `v3.7.1` for older clusters, by `version` or the image tag) the
 * v3 DaemonSet: `/entrypoint.sh --multus-conf-file=auto --cni-version=0.3.1`, no init container.
 *
 * Checked: version `v3.x.y` or later, image a pinned reference (tag or digest) whose release tag
 * agrees with `version`, namespace a DNS-1123 label, host folders absolute, one Multus per chart.
 */
export class Multus extends Construct {
  /** The Multus release. */
  public readonly version: string;
  /** The image of the DaemonSet. */
  public readonly image: string;
  /** Namespace of the DaemonSet and ServiceAccount. */
  public readonly namespace: string;
  /** The NetworkAttachmentDefinition CRD, unless turned off. */
  public readonly crd?: k8s.KubeCustomResourceDefinition;
  /** The ServiceAccount the DaemonSet runs as. */
  public readonly serviceAccount: k8s.KubeServiceAccount;
  /** The ClusterRole. */
  public readonly clusterRole: k8s.KubeClusterRole;
  /** The ClusterRoleBinding. */
  public readonly clusterRoleBinding: k8s.KubeClusterRoleBinding;
  /** The thin plugin DaemonSet. */
  public readonly daemonSet: k8s.KubeDaemonSet;

  constructor(scope: Construct, id: string, props: MultusProps = {}) {
    super(scope, id);
    if (props === null || typeof props !== 'object')
      fail(at(this, 'props'), 'must be an object', props, 'pass {} or { version }');
    const image = props.image === undefined ? undefined : validateImage(props.image, at(this, 'image'));
    // The DaemonSet depends on the major version: an image's release tag tells it.
    const tagged = image === undefined ? undefined : RELEASE_TAG.exec(image)?.[1];
    this.version = validateVersion(props.version ?? tagged ?? DEFAULT_MULTUS_VERSION, at(this, 'version'));
    if (tagged !== undefined && majorOf(tagged) !== majorOf(this.version)) {
      fail(
        at(this, 'image'),
        `is a v${majorOf(tagged)} release but 'version' is ${this.version}, whose DaemonSet differs`,
        image,
        'leave version out (the tag sets it), or use an image of that version',
      );
    }
    this.image = image ?? `${MULTUS_IMAGE_REPOSITORY}:${this.version}`;
    const v3 = majorOf(this.version) === 3;
    this.namespace = validateDns1123Label(props.namespace ?? 'kube-system', at(this, 'namespace'));
    const confDir = validateHostDir(props.cniConfDir ?? '/etc/cni/net.d', at(this, 'cniConfDir'));
    const binDir = validateHostDir(props.cniBinDir ?? '/opt/cni/bin', at(this, 'cniBinDir'));
    claimObjectName(this, `DaemonSet/${this.namespace}/kube-multus-ds`, at(this, 'namespace'), this.node.path);
    claimObjectName(this, `ClusterRole//${NAME}`, at(this, 'props'), this.node.path);

    if (props.installCrd ?? true) {
      claimObjectName(
        this,
        `CustomResourceDefinition//network-attachment-definitions.${NAD_GROUP}`,
        at(this, 'installCrd'),
        this.node.path,
      );
      this.crd = new k8s.KubeCustomResourceDefinition(this, 'Crd', {
        metadata: { name: `network-attachment-definitions.${NAD_GROUP}` },
        spec: {
          group: NAD_GROUP,
          scope: 'Namespaced',
          names: {
            plural: 'network-attachment-definitions',
            singular: 'network-attachment-definition',
            kind: 'NetworkAttachmentDefinition',
            shortNames: ['net-attach-def'],
          },
          versions: [
            {
              name: 'v1',
              served: true,
              storage: true,
              schema: {
                openApiv3Schema: {
                  type: 'object',
                  properties: { spec: { type: 'object', properties: { config: { type: 'string' } } } },
                },
              },
            },
          ],
        },
      });
      clusterScoped(this.crd);
    }

    this.clusterRole = new k8s.KubeClusterRole(this, 'ClusterRole', {
      metadata: { name: NAME },
      rules: [
        { apiGroups: [NAD_GROUP], resources: ['*'], verbs: ['*'] },
        { apiGroups: [''], resources: ['pods', 'pods/status'], verbs: ['get', 'list', 'update', 'watch'] },
        {
          apiGroups: ['resource.k8s.io'],
          resources: ['resourceclaims', 'resourceclaims/status', 'resourceslices'],
          verbs: ['get', 'list'],
        },
        { apiGroups: ['', 'events.k8s.io'], resources: ['events'], verbs: ['create', 'patch', 'update'] },
      ],
    });
    clusterScoped(this.clusterRole);

    this.serviceAccount = new k8s.KubeServiceAccount(this, 'ServiceAccount', {
      metadata: { name: NAME, namespace: this.namespace },
    });

    this.clusterRoleBinding = new k8s.KubeClusterRoleBinding(this, 'ClusterRoleBinding', {
      metadata: { name: NAME },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: NAME },
      subjects: [{ kind: 'ServiceAccount', name: NAME, namespace: this.namespace }],
    });
    clusterScoped(this.clusterRoleBinding);

    const labels = { tier: 'node', app: NAME, name: NAME };
    const privileged = { privileged: true };
    this.daemonSet = new k8s.KubeDaemonSet(this, 'DaemonSet', {
      metadata: { name: 'kube-multus-ds', namespace: this.namespace, labels },
      spec: {
        selector: { matchLabels: { name: NAME } },
        updateStrategy: { type: 'RollingUpdate' },
        template: {
          metadata: { labels },
          spec: {
            hostNetwork: true,
            tolerations: [
              { operator: 'Exists', effect: 'NoSchedule' },
              { operator: 'Exists', effect: 'NoExecute' },
            ],
            serviceAccountName: NAME,
            containers: [
              {
                name: 'kube-multus',
                image: this.image,
                // v3 images have no thin entry points: entrypoint.sh copies the binary and writes the config.
                command: v3 ? ['/entrypoint.sh'] : ['/thin_entrypoint'],
                args: v3
                  ? ['--multus-conf-file=auto', '--cni-version=0.3.1']
                  : [
                      '--multus-conf-file=auto',
                      '--multus-autoconfig-dir=/host/etc/cni/net.d',
                      '--cni-conf-dir=/host/etc/cni/net.d',
                    ],
                resources: {
                  requests: { cpu: k8s.Quantity.fromString('100m'), memory: k8s.Quantity.fromString('50Mi') },
                  limits: { cpu: k8s.Quantity.fromString('100m'), memory: k8s.Quantity.fromString('50Mi') },
                },
                securityContext: privileged,
                terminationMessagePolicy: 'FallbackToLogsOnError',
                volumeMounts: [
                  { name: 'cni', mountPath: '/host/etc/cni/net.d' },
                  { name: 'cnibin', mountPath: '/host/opt/cni/bin' },
                ],
              },
            ],
            ...(v3 ? {} : { initContainers: [thinInstaller(this.image, privileged)] }),
            terminationGracePeriodSeconds: 10,
            volumes: [
              { name: 'cni', hostPath: { path: confDir } },
              { name: 'cnibin', hostPath: { path: binDir } },
            ],
          },
        },
      },
    });
    validateOutput(this);
  }
}

/** The v4 init container that installs the thin `multus` binary. */
function thinInstaller(image: string, privileged: { privileged: boolean }): k8s.Container {
  return {
    name: 'install-multus-binary',
    image,
    command: ['/install_multus'],
    args: ['--type', 'thin'],
    resources: {
      requests: { cpu: k8s.Quantity.fromString('10m'), memory: k8s.Quantity.fromString('15Mi') },
    },
    securityContext: privileged,
    terminationMessagePolicy: 'FallbackToLogsOnError',
    volumeMounts: [{ name: 'cnibin', mountPath: '/host/opt/cni/bin', mountPropagation: 'Bidirectional' }],
  };
}

/** Cluster-scoped objects carry no namespace, whatever the chart's. */
function clusterScoped(object: ApiObject): void {
  if (Chart.of(object).namespace !== undefined) object.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
}

function validateVersion(value: unknown, where: At): string {
  const text = expectNonEmptyString(value, where, `pass a release such as "${DEFAULT_MULTUS_VERSION}"`);
  const m = VERSION.exec(text);
  if (!m)
    fail(where, 'is not a Multus release', value, `write v<major>.<minor>.<patch>, e.g. "${DEFAULT_MULTUS_VERSION}"`);
  if (Number(m[1]) < 3) {
    fail(
      where,
      'is older than v3, whose DaemonSet this construct does not render',
      value,
      `use v3.0.0 or later, e.g. "${DEFAULT_MULTUS_VERSION}" (or "v3.7.1" for clusters older than Kubernetes 1.20)`,
    );
  }
  return text;
}

function validateImage(value: unknown, where: At): string {
  const text = expectNonEmptyString(
    value,
    where,
    `pass an image such as "${MULTUS_IMAGE_REPOSITORY}:${DEFAULT_MULTUS_VERSION}"`,
  );
  if (!IMAGE.test(text)) {
    fail(
      where,
      'is not a pinned image reference',
      value,
      `write <registry>/<repository>:<tag> or @sha256:<digest>, e.g. "${MULTUS_IMAGE_REPOSITORY}:${DEFAULT_MULTUS_VERSION}"`,
    );
  }
  if (/:(latest|stable|snapshot)(-thick)?$/.test(text)) {
    fail(where, 'uses a moving tag', value, `pin a release tag such as ":${DEFAULT_MULTUS_VERSION}" or a digest`);
  }
  if (/-thick$/.test(text)) {
    fail(
      where,
      'is the thick plugin image',
      value,
      'use the thin image (the tag without "-thick"); this construct deploys the thin plugin',
    );
  }
  return text;
}

function validateHostDir(value: unknown, where: At): string {
  const text = expectNonEmptyString(value, where, 'pass an absolute folder such as "/etc/cni/net.d"');
  if (!text.startsWith('/') || /\s|\0/.test(text) || text.split('/').includes('..') || text === '/') {
    fail(where, 'is not an absolute folder', value, 'write a folder path from "/" without spaces or ".."');
  }
  return text;
}
