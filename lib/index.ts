export * from './errors';
export * from './core/secret-ref';
export * from './core/object-reference';
export * from './core/site-file';
export { singletonObject, type SingletonOptions, synthUnit } from './core/singleton';
export { toKubernetesObject, type KubernetesObjectJson } from './core/kubernetes-object';
export * from './net/dns';
export * from './net/ip-address';
export * from './net/cidr';
export * from './net/mac-address';
export * from './rke2/rke2-version';
export * from './rke2/cni';
export * from './rke2/helm-chart';
export * from './telco/cpu-set';
export * from './telco/sriov-operator';
export * from './telco/telco-profile';
export * from './rke2/node-identity';
export * from './rke2/rke2-control-plane';
export * from './ignition/ignition-schema';
export * from './ignition/ignition-config';
export * from './ignition/ignition-files';
export type { DataUrlResource } from './ignition/data-url';
export { fromDataUrl, toDataUrl } from './ignition/data-url';
export * from './butane/butane-config';
export * from './metal3/bmc';
export * from './metal3/os-image';
export * from './metal3/network-data';
export * from './metal3/bare-metal-host';
export * from './metal3/metal3-machine-template';
export * from './clusters/cluster-network';
export * from './clusters/rke2-metal3-cluster';
export * from './clusters/single-node-cluster';
export * from './clusters/worker-pool';
export * from './clusters/ha-cluster-with-metallb';
export * from './fleet/fleet-registry';
export * from './metallb/kubernetes-vip';
export * from './validation/schema-validator';
export * from './validation/construct-validation';
export * from './validation/references';
export * from './validation/cel';
export * from './validation/secret-safety';
export * from './validation/check-manifests';
export * from './validation/load-manifests';
export * from './validation/object-identity';
export * from './validation/plan';
export * from './validation/plugin';
export * from './validation/external-patterns';
export * from './validation/check-files';
export * from './validation/plan-files';
export * from './validation/summary-cache';
export * from './validation/change-scope';
export * from './validation/output-change';
export * from './registry/image-reference';
export * from './registry/registry-ca';
export * from './registry/registries-conf';
export * from './registry/image-set-configuration';
export * from './registry/mirror-rules';
export * from './registry/airgap-registry-mirror';
// In the order of their declaration, which the API reference follows.
export type {
  AirgapRegistryMirrorProps,
  MirrorOutputOptions,
  AssistedServiceConfigMapOptions,
  OpenShiftTrustOptions,
  OpenShiftTrust,
  HostedClusterTrustBundleOptions,
  MirrorSetOptions,
  CatalogSourcesOptions,
  HostedClusterCatalogAnnotationsOptions,
  ImageSetConfigurationOptions,
  Rke2PreloadListsOptions,
  Rke2PreloadLists,
} from './registry/airgap-registry-mirror-props';
export { OLM_CATALOGS_REGISTRY_OVERRIDES_ANNOTATION } from './registry/openshift-mirror-outputs';
export * from './eib/image-arch';
export * from './eib/rke2-airgap-artifacts';
export { BuildSecret } from './eib/build-secret';
export type { BuildSecretKind } from './eib/build-secret';
export * from './eib/edge-image-definition';
export * from './agent/agent-host';
export * from './agent/nmstate-config';
export * from './agent/infra-env';
export * from './assisted/assisted-networking';
export * from './assisted/cluster-image-set';
export * from './assisted/extra-manifests';
export * from './assisted/assisted-cluster';
export * from './openshift/machine-config';
export * from './openshift/kernel-module';
export * from './multus/multus';
export * from './multus/attachment-plugin';
export * from './multus/ipam';
export * from './multus/attach';
export * from './multus/network-attachment-definition';
export * from './multus/per-node-static-network';
export * from './multus/sriov';
export * from './mce/multi-cluster-engine';
export * from './mce/agent-service-config';
export * from './hypershift/node-pool';
export * from './hypershift/hosted-cluster-dns';
export * from './hypershift/hosted-cluster-agent';
export * from './fleet/site-description';
export * from './fleet/inventory';
export * from './fleet/fleet-synth';
export * from './fleet/file-writer';
export {
  stringifyManifests,
  stringifyManifest,
  CDK8S_YAML_OPTIONS,
  isAmbiguousString,
  type YamlWriterOptions,
} from './core/yaml-writer';
export * from './fleet/chart-synth';
export * from './report/site-facts';
export * from './report/site-diagram';
export * from './report/preflight';
export * from './report/fleet-page';
export * from './report/report-writer';
export { REPORT_FOLDER, siteReport, writeFleetReport } from './fleet/fleet-report';
