import * as k8s from 'cdk8s-plus-29/lib/imports/k8s';
import { IpAddressPool } from '../../imports/ipaddresspools-metallb.io';
import { L2Advertisement } from '../../imports/l2advertisements-metallb.io';
import { ButaneConfig } from '../butane/butane-config';
import { IpAddress } from '../net/ip-address';
import { RKE2_MANIFESTS_DIR } from '../rke2/cni';
import { ChartPlacement, HelmChartSource, helmChartManifest } from '../rke2/helm-chart';

export { checkMetalLbObjects } from './metallb-checks';

/** SUSE Edge 3.3's MetalLB chart (MetalLB 0.14.9), the seed's default. */
export const DEFAULT_METALLB_CHART: HelmChartSource = {
  chart: 'oci://registry.suse.com/edge/charts/metallb',
  version: '303.0.0+up0.14.9',
};

/** SUSE Edge 3.3's endpoint-copier-operator chart, the seed's default. */
export const DEFAULT_ENDPOINT_COPIER_CHART: HelmChartSource = {
  chart: 'oci://registry.suse.com/edge/charts/endpoint-copier-operator',
  version: '303.0.0+up0.2.1',
};

/** Label that marks the Service MetalLB gives the API VIP to. */
export const VIP_SERVICE_LABEL = { key: 'serviceType', value: 'kubernetes-vip' };

/** Options of {@link addKubernetesVip}. */
export interface KubernetesVipOptions {
  /** The reserved address MetalLB announces. */
  readonly vip: IpAddress;
  /** Port of the API on the VIP (the kube-apiserver listens on 6443 behind it). */
  readonly apiPort: number;
  /** MetalLB chart. */
  readonly metalLB: HelmChartSource;
  /** endpoint-copier-operator chart. */
  readonly endpointCopier: HelmChartSource;
  /**
   * Where charts are pulled from (air gap).
   * @default - from their sources
   */
  readonly charts?: ChartPlacement;
}

/**
 * Adds to the first-boot config what makes a control-plane VIP with MetalLB: the MetalLB and
 * endpoint-copier-operator HelmCharts, an IPAddressPool holding only the VIP (reserved for the
 * `kubernetes-vip` Service), its L2Advertisement, and the `kubernetes-vip` LoadBalancer Service
 * (RKE2 supervisor 9345 and API) whose endpoints the operator copies from `kubernetes`.
 */
export function addKubernetesVip(config: ButaneConfig, options: KubernetesVipOptions): void {
  const poolName = 'kubernetes-vip-ip-pool';
  config.addManifests(`${RKE2_MANIFESTS_DIR}/endpoint-copier-operator.yaml`, [
    helmChartManifest({
      name: 'endpoint-copier-operator',
      targetNamespace: 'endpoint-copier-operator',
      source: options.endpointCopier,
      placement: options.charts,
    }),
  ]);
  config.addManifests(`${RKE2_MANIFESTS_DIR}/metallb.yaml`, [
    helmChartManifest({
      name: 'metallb',
      targetNamespace: 'metallb-system',
      source: options.metalLB,
      placement: options.charts,
    }),
  ]);
  config.addManifests(`${RKE2_MANIFESTS_DIR}/metallb-cr.yaml`, [
    IpAddressPool.manifest({
      metadata: { name: poolName, namespace: 'metallb-system' },
      spec: {
        addresses: [`${options.vip}/${options.vip.family === 'ipv4' ? 32 : 128}`],
        serviceAllocation: {
          priority: 100,
          namespaces: ['default'],
          serviceSelectors: [
            { matchExpressions: [{ key: VIP_SERVICE_LABEL.key, operator: 'In', values: [VIP_SERVICE_LABEL.value] }] },
          ],
        },
      },
    }),
    L2Advertisement.manifest({
      metadata: { name: 'ip-pool-l2-adv', namespace: 'metallb-system' },
      spec: { ipAddressPools: [poolName] },
    }),
  ]);
  config.addManifests(`${RKE2_MANIFESTS_DIR}/endpoint-svc.yaml`, [
    k8s.KubeService.manifest({
      metadata: {
        name: 'kubernetes-vip',
        namespace: 'default',
        labels: { [VIP_SERVICE_LABEL.key]: VIP_SERVICE_LABEL.value },
      },
      spec: {
        type: 'LoadBalancer',
        ports: [
          { name: 'rke2-api', port: 9345, protocol: 'TCP', targetPort: k8s.IntOrString.fromNumber(9345) },
          { name: 'k8s-api', port: options.apiPort, protocol: 'TCP', targetPort: k8s.IntOrString.fromNumber(6443) },
        ],
      },
    }),
  ]);
}
