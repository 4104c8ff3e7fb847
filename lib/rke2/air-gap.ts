import * as ipaddr from 'ipaddr.js';
import { KubeConfigMap } from 'cdk8s-plus-29/lib/imports/k8s';
import { ButaneConfig } from '../butane/butane-config';
import { ClusterNetwork } from '../clusters/cluster-network';
import { SecretRef } from '../core/secret-ref';
import { IpAddress } from '../net/ip-address';
import { At, fail } from '../private/errors';
import { AirgapRegistryMirror } from '../registry/airgap-registry-mirror';
import { RKE2_MANIFESTS_DIR } from './cni';
import { ChartPlacement } from './helm-chart';

/** Name of the ConfigMap (kube-system) holding the mirror CA for chart pulls. */
export const CHART_CA_CONFIGMAP = 'private-registry-ca';
/** Name of the Secret (kube-system) holding registry credentials for chart pulls. */
export const CHART_PULL_SECRET = 'private-registry-auth';

/** How the workload cluster's helm-controller authenticates to the mirror for chart pulls. */
export interface ChartPullSecretOptions {
  /**
   * A Secret on the management cluster holding, under `key`, a complete manifest of a
   * `kubernetes.io/dockerconfigjson` Secret named `private-registry-auth` in `kube-system`. The RKE2
   * provider copies it onto the nodes (`spec.files` with `contentFrom.secret`), so no credential
   * is written into the manifests. With external-secrets, a template renders it from your vault.
   */
  readonly secret: SecretRef;
  /**
   * Key of the manifest in that Secret.
   * @default 'private-registry-auth.yaml'
   */
  readonly key?: string;
}

/** The `spec.files` entry that copies the chart pull Secret manifest onto control-plane nodes. */
export interface Rke2FileFromSecret {
  readonly path: string;
  readonly owner: string;
  readonly permissions: string;
  readonly contentFrom: { readonly secret: { readonly name: string; readonly key: string } };
}

/** The cluster DNS address RKE2 uses: the tenth address of the first service CIDR. */
export function clusterDnsAddress(network: ClusterNetwork): IpAddress {
  const bytes = ipaddr.parse(network.serviceCidrs[0].network.toString()).toByteArray();
  bytes[bytes.length - 1] += 10;
  return IpAddress.parse(ipaddr.fromByteArray(bytes).toString());
}

/**
 * Global chart values RKE2 gives its own charts but not user charts, computed from the cluster's
 * networks (the seed types them by hand in every air-gapped HelmChart).
 */
export function rke2GlobalChartValues(network: ClusterNetwork): Record<string, string> {
  const v4Pods = network.podCidrs.find((c) => c.family === 'ipv4');
  const v6Pods = network.podCidrs.find((c) => c.family === 'ipv6');
  return {
    'global.clusterCIDR': network.podCidrs.map(String).join(','),
    ...(v4Pods ? { 'global.clusterCIDRv4': v4Pods.toString() } : {}),
    ...(v6Pods ? { 'global.clusterCIDRv6': v6Pods.toString() } : {}),
    'global.clusterDNS': clusterDnsAddress(network).toString(),
    'global.clusterDomain': 'cluster.local',
    'global.rke2DataDir': '/var/lib/rancher/rke2',
    'global.serviceCIDR': network.serviceCidrs.map(String).join(','),
  };
}

/**
 * Prepares an air-gapped cluster's first-boot config for charts from the mirror: adds the CA
 * ConfigMap (public material) when the mirror has a private CA, and returns the placement that
 * re-points every HelmChart the library emits to the mirror with `repoCAConfigMap`,
 * `dockerRegistrySecret` (when a pull secret is given) and the RKE2 global values.
 */
export function airGapChartPlacement(
  mirror: AirgapRegistryMirror,
  network: ClusterNetwork,
  config: ButaneConfig,
  pull: ChartPullSecretOptions | undefined,
  where: At,
): ChartPlacement {
  const caPem = mirror.caPem;
  if (caPem) {
    config.addManifests(`${RKE2_MANIFESTS_DIR}/${CHART_CA_CONFIGMAP}.yaml`, [
      KubeConfigMap.manifest({
        metadata: { name: CHART_CA_CONFIGMAP, namespace: 'kube-system' },
        data: { 'ca.crt': caPem },
      }),
    ]);
  }
  const values = rke2GlobalChartValues(network);
  return (source) => {
    if (!source.chart.startsWith('oci://')) {
      fail(
        where,
        `cannot mirror the chart ${source.chart}: only OCI charts can be preloaded into a registry`,
        source.chart,
        'use an oci:// chart reference',
      );
    }
    const mirrored = mirror.mirroredReference(source.chart.slice('oci://'.length), where);
    return {
      chart: `oci://${mirrored.repository}`,
      ...(pull ? { dockerRegistrySecret: { name: CHART_PULL_SECRET } } : {}),
      ...(caPem ? { repoCAConfigMap: { name: CHART_CA_CONFIGMAP } } : {}),
      set: values,
    };
  };
}

/** The `spec.files` entry for the chart pull Secret, binding the management-side reference. */
export function chartPullSecretFile(
  pull: ChartPullSecretOptions,
  bindName: (ref: SecretRef) => string,
): Rke2FileFromSecret {
  return {
    path: `${RKE2_MANIFESTS_DIR}/${CHART_PULL_SECRET}.yaml`,
    owner: 'root:root',
    permissions: '0600',
    contentFrom: { secret: { name: bindName(pull.secret), key: pull.key ?? `${CHART_PULL_SECRET}.yaml` } },
  };
}
