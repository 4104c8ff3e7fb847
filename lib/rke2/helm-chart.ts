import { HelmChart } from '../../imports/helmcharts-helm.cattle.io';
import { At, child, expectNonEmptyString, expectObject, fail } from '../private/errors';
import { validateDns1123Label } from '../net/dns';

/** Where a Helm chart comes from and which version to install. */
export interface HelmChartSource {
  /** Chart reference: an `oci://` URL, an `https://` URL of a chart archive, or a name in `repo`. */
  readonly chart: string;
  /** Chart version. */
  readonly version: string;
  /**
   * Helm repository URL, when `chart` is a plain chart name.
   * @default - none (chart is a full reference)
   */
  readonly repo?: string;
}

/** Options of {@link helmChartManifest}. */
export interface HelmChartManifestOptions {
  /** Name of the HelmChart object (and the Helm release). */
  readonly name: string;
  /** Namespace the chart's resources go to; created when missing. */
  readonly targetNamespace: string;
  /** Chart source and version. */
  readonly source: HelmChartSource;
  /**
   * Values, as YAML text.
   * @default - chart defaults
   */
  readonly valuesContent?: string;
  /**
   * Where the chart is pulled from (air gap).
   * @default - from `source` as given
   */
  readonly placement?: ChartPlacement;
}

/** Validates a chart source given by a user. */
export function validateHelmChartSource(source: HelmChartSource, where: At): HelmChartSource {
  expectObject(source, where, 'pass { chart, version }');
  const chart = expectNonEmptyString(source.chart, child(where, 'chart'));
  const version = expectNonEmptyString(source.version, child(where, 'version'));
  if (source.repo === undefined && !/^(oci|https?):\/\/[^\s]+$/.test(chart)) {
    fail(
      child(where, 'chart'),
      'is neither an oci:// or http(s):// reference nor used with a repo',
      chart,
      'give a full chart reference or set repo',
    );
  }
  if (
    source.repo !== undefined &&
    !/^https?:\/\/[^\s]+$/.test(expectNonEmptyString(source.repo, child(where, 'repo')))
  ) {
    fail(child(where, 'repo'), 'is not an http(s) URL', source.repo, 'give the Helm repository URL');
  }
  if (/\s/.test(version))
    fail(child(where, 'version'), 'contains white space', version, 'give a chart version such as 303.0.0+up0.14.9');
  return source;
}

/**
 * A helm.cattle.io/v1 `HelmChart` in `kube-system`, as RKE2's helm-controller installs it from the
 * server manifests folder.
 */
export function helmChartManifest(options: HelmChartManifestOptions): Record<string, unknown> {
  validateDns1123Label(options.targetNamespace, { path: 'helmChartManifest', prop: 'targetNamespace' });
  const manifest = HelmChart.manifest({
    metadata: { name: options.name, namespace: 'kube-system' },
    spec: {
      chart: options.source.chart,
      ...(options.source.repo ? { repo: options.source.repo } : {}),
      version: options.source.version,
      targetNamespace: options.targetNamespace,
      createNamespace: true,
      ...(options.valuesContent ? { valuesContent: options.valuesContent } : {}),
    },
  });
  return placeHelmChart(manifest, options.source, options.placement);
}

/** Fields a placement policy may set on a HelmChart spec (air gap: mirror, pull secret, CA, values). */
export interface ChartOverride {
  /**
   * Chart reference to use instead of the source's.
   * @default - the source's chart
   */
  readonly chart?: string;
  /**
   * Secret (in kube-system of the workload cluster) with registry credentials for the chart pull.
   * @default - anonymous pull
   */
  readonly dockerRegistrySecret?: { readonly name: string };
  /**
   * ConfigMap (in kube-system) with the CA of the chart registry, key `ca.crt`.
   * @default - the system trust store
   */
  readonly repoCAConfigMap?: { readonly name: string };
  /**
   * Values set on the release (`--set`), as strings.
   * @default - none
   */
  readonly set?: Record<string, string>;
}

/** Decides where a chart comes from and what it needs; identity when connected. */
export type ChartPlacement = (source: HelmChartSource) => ChartOverride;

/** Applies `placement` to a HelmChart manifest made by {@link helmChartManifest}. */
export function placeHelmChart(
  manifest: { spec?: Record<string, unknown> } & Record<string, unknown>,
  source: HelmChartSource,
  placement?: ChartPlacement,
): Record<string, unknown> {
  if (!placement) return manifest;
  const o = placement(source);
  const spec = { ...manifest.spec };
  if (o.chart) {
    spec.chart = o.chart;
    delete spec.repo;
  }
  if (o.dockerRegistrySecret) spec.dockerRegistrySecret = { ...o.dockerRegistrySecret };
  if (o.repoCAConfigMap) spec.repoCAConfigMap = { ...o.repoCAConfigMap };
  if (o.set && Object.keys(o.set).length > 0) spec.set = { ...o.set };
  return { ...manifest, spec };
}
