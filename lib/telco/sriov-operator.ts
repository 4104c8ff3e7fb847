import { KubeConfigMap, KubeNamespace } from 'cdk8s-plus-29/lib/imports/k8s';
import { At, fail } from '../private/errors';

/**
 * Namespace of the SR-IOV network operator in SUSE Edge, the one name every SR-IOV object of the
 * library uses: the target of the `sriov-crd` and `sriov-network-operator` charts, the namespace
 * of the `sriov-custom-auto-config` ConfigMap (SUSE's `sriov-auto-filler.sh` reads it with
 * `kubectl get cm sriov-custom-auto-config -n sriov-network-operator`), and the default namespace
 * of SriovNetworkNodePolicies and SriovNetworks.
 */
export const DEFAULT_SRIOV_OPERATOR_NAMESPACE = 'sriov-network-operator';

/** Name of the ConfigMap that lists the SR-IOV devices for the auto-filler (key `config.json`). */
export const SRIOV_CUSTOM_AUTO_CONFIG = 'sriov-custom-auto-config';

/**
 * The objects of `configmap-sriov-custom-auto.yaml` in RKE2's server manifests folder: the
 * operator's Namespace first, then the ConfigMap in it. RKE2's deploy controller applies the file
 * when the server starts, before helm-controller has installed the charts that would create the
 * namespace, and it applies the kinds of a file in the order they first appear: the Namespace
 * exists before the ConfigMap is created. The charts' `createNamespace: true` accepts the
 * existing namespace.
 */
export function sriovCustomAutoConfigManifests(configJson: string): Record<string, unknown>[] {
  return [
    KubeNamespace.manifest({ metadata: { name: DEFAULT_SRIOV_OPERATOR_NAMESPACE } }),
    KubeConfigMap.manifest({
      metadata: { name: SRIOV_CUSTOM_AUTO_CONFIG, namespace: DEFAULT_SRIOV_OPERATOR_NAMESPACE },
      data: { 'config.json': configJson },
    }),
  ];
}

/**
 * A shell command that succeeds once the ConfigMap is readable where the auto-filler reads it,
 * run by the VF unit before the auto-filler, so a missing ConfigMap holds the unit (and fails it
 * at its timeout) instead of letting the auto-filler succeed on empty input.
 *
 * @param kubectl the kubectl command line, with its kubeconfig
 */
export function sriovCustomAutoConfigProbe(kubectl: string): string {
  return `${kubectl} get configmap ${SRIOV_CUSTOM_AUTO_CONFIG} -n ${DEFAULT_SRIOV_OPERATOR_NAMESPACE}`;
}

/**
 * The namespaces a script reads `sriov-custom-auto-config` from
 * (`kubectl get cm|configmap sriov-custom-auto-config -n|--namespace[=] <namespace>`), in order.
 */
export function sriovCustomAutoConfigReads(script: string): string[] {
  const read = new RegExp(
    `get\\s+(?:cm|configmaps?)\\s+${SRIOV_CUSTOM_AUTO_CONFIG}\\s+(?:-n\\s*|--namespace[=\\s]\\s*)["']?([A-Za-z0-9-]+)`,
    'g',
  );
  return [...script.matchAll(read)].map((m) => m[1]);
}

/**
 * Refuses an auto-filler script that reads `sriov-custom-auto-config` from another namespace than
 * the one the telco profile writes it to: the script would read nothing and succeed.
 */
export function checkSriovAutoFiller(script: string, where: At): void {
  const other = sriovCustomAutoConfigReads(script).find((ns) => ns !== DEFAULT_SRIOV_OPERATOR_NAMESPACE);
  if (other !== undefined) {
    fail(
      where,
      `reads ${SRIOV_CUSTOM_AUTO_CONFIG} from ${other}, but the telco profile writes it to ${DEFAULT_SRIOV_OPERATOR_NAMESPACE}`,
      other,
      `make the script read it with -n ${DEFAULT_SRIOV_OPERATOR_NAMESPACE}, as SUSE's sriov-auto-filler.sh does`,
    );
  }
}
