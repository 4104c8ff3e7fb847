import { At, child, expectArray, fail } from '../private/errors';
import { HelmChartSource, validateHelmChartSource } from '../rke2/helm-chart';

/** The OCI Helm charts to preload, one `<reference>:<version>` each, each once. */
export function checkPreloadChartList(value: unknown, where: At): string[] {
  const charts = expectArray<unknown>(value ?? [], where).map((item, i) => {
    const w = child(where, i);
    const source = validateHelmChartSource(item as HelmChartSource, w);
    if (source.repo !== undefined || !source.chart.startsWith('oci://')) {
      fail(
        child(w, 'chart'),
        'is not an oci:// chart',
        source.chart,
        'only OCI charts can be preloaded into a registry; give the oci:// reference',
      );
    }
    return `${source.chart.slice('oci://'.length)}:${source.version}`;
  });
  const dup = charts.find((c, i) => charts.indexOf(c) !== i);
  if (dup !== undefined) fail(where, 'lists a chart twice', dup, 'list each chart once');
  return charts;
}
