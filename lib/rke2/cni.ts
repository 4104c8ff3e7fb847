import { HelmChartConfig } from '../../imports/helmchartconfigs-helm.cattle.io';
import { ButaneConfig } from '../butane/butane-config';
import { At, fail } from '../private/errors';

/** CNI plugins the RKE2 provider accepts in `serverConfig.cni`. */
export type CniPlugin = 'cilium' | 'calico' | 'canal' | 'none';

/** The CNI plugins the RKE2 provider accepts. */
export const CNI_PLUGINS: readonly CniPlugin[] = ['cilium', 'calico', 'canal', 'none'];

/** Folder whose manifests RKE2 applies when the server starts. */
export const RKE2_MANIFESTS_DIR = '/var/lib/rancher/rke2/server/manifests';

/** Cluster networking plugin settings. */
export interface CniOptions {
  /**
   * The primary CNI plugin.
   * @default 'cilium'
   */
  readonly plugin?: CniPlugin;
  /**
   * Add Multus next to the primary plugin, for secondary networks (SR-IOV, host-device).
   * With Cilium this also sets Cilium's `cni.exclusive: false`, so Multus can chain.
   * @default false
   */
  readonly multus?: boolean;
}

/** `serverConfig` fields for the CNI choice. */
export interface CniServerConfig {
  /** The primary CNI plugin, as RKE2's `cni` server setting. */
  readonly cni: CniPlugin;
  /**
   * Whether Multus runs in front of the primary plugin (RKE2 `cni: [multus, <plugin>]`).
   * @default - not set (no Multus)
   */
  readonly cniMultusEnable?: boolean;
}

/** Validates CNI options and adds what they need to the first-boot config; returns the serverConfig fields. */
export function applyCni(options: CniOptions | undefined, config: ButaneConfig, where: At): CniServerConfig {
  const plugin = options?.plugin ?? 'cilium';
  if (!CNI_PLUGINS.includes(plugin)) {
    fail(where, 'is not a CNI plugin the RKE2 provider knows', plugin, `use one of ${CNI_PLUGINS.join(', ')}`);
  }
  const multus = options?.multus ?? false;
  if (typeof multus !== 'boolean') fail(where, "'multus' must be true or false", multus, 'pass a boolean');
  if (multus && plugin === 'none') {
    fail(where, 'enables Multus without a primary CNI', plugin, 'pick a primary plugin such as cilium');
  }
  if (multus && plugin === 'cilium') {
    // https://docs.rke2.io/networking/multus_sriov#using-multus-with-cilium
    config.addManifests(`${RKE2_MANIFESTS_DIR}/rke2-cilium-config.yaml`, [
      HelmChartConfig.manifest({
        metadata: { name: 'rke2-cilium', namespace: 'kube-system' },
        spec: { valuesContent: 'cni:\n  exclusive: false' },
      }),
    ]);
  }
  return multus ? { cni: plugin, cniMultusEnable: true } : { cni: plugin };
}
