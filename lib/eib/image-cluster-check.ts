import { IConstruct } from 'constructs';
import { at, fail } from '../private/errors';
import { EdgeImageClusterFacts } from './edge-image-options';
import { Rke2AirGapArtifacts } from './rke2-airgap-artifacts';

/** What an Edge Image Builder image carries for the RKE2 install. */
export interface CarriedRke2 {
  /** How errors name the image, e.g. `the image of [site/Image] (eibimage-output-telco.raw)`. */
  readonly description: string;
  /**
   * The RKE2 release files of the air-gapped variant.
   * @default - the connected variant: no artifacts
   */
  readonly artifacts?: Rke2AirGapArtifacts;
}

/**
 * Refuses a cluster that does not install what its image carries: air-gapped exactly when the
 * image is the air-gapped variant, and then the RKE2 release, CNI plugin and Multus of the
 * image's artifacts. Errors name the cluster's prop and the image.
 *
 * @param carried what the image carries, and how to name it
 * @param cluster what the cluster installs
 * @param scope the cluster (or worker pool), for the error's path
 */
export function checkImageCarries(carried: CarriedRke2, cluster: EdgeImageClusterFacts, scope: IConstruct): void {
  const { description: image, artifacts } = carried;
  if (cluster.airGapped && !artifacts) {
    fail(
      at(scope, 'airGapped'),
      `is true, but ${image} is the connected variant and carries no RKE2 artifacts to install from`,
      true,
      `give the image airGap: { rke2Version: '${cluster.rke2Version}' }, or set airGapped: false`,
    );
  }
  if (!artifacts) return;
  if (!cluster.airGapped) {
    fail(
      at(scope, 'airGapped'),
      `is false, but ${image} is the air-gapped variant: the install would download RKE2 instead of using the ${artifacts.version} artifacts it carries`,
      false,
      'set airGapped: true (with registryMirror), or build the connected variant without airGap',
    );
  }
  if (cluster.rke2Version.toString() !== artifacts.version.toString()) {
    fail(
      at(scope, 'rke2Version'),
      `is ${cluster.rke2Version}, but ${image} carries the RKE2 ${artifacts.version} artifacts`,
      cluster.rke2Version.toString(),
      `give the cluster and the image's airGap.rke2Version the same release`,
    );
  }
  if (cluster.cni !== artifacts.cniPlugin || cluster.multus !== artifacts.multus) {
    const describe = (plugin: string, multus: boolean) => `${plugin}${multus ? ' with Multus' : ' without Multus'}`;
    fail(
      at(scope, 'cni'),
      `is ${describe(cluster.cni, cluster.multus)}, but ${image} carries the image archives of ${describe(artifacts.cniPlugin, artifacts.multus)}`,
      { plugin: cluster.cni, multus: cluster.multus },
      `give the image's airGap.cni the cluster's choice: { plugin: '${cluster.cni}', multus: ${cluster.multus} }`,
    );
  }
}
