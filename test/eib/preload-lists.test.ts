import { checkPreloadChartList } from '../../lib/eib/preload-lists';

const where = { path: 'site/Image', prop: 'airGap.preloadHelmCharts' };

describe('preload lists', () => {
  test('charts are written <reference>:<version>', () => {
    expect(
      checkPreloadChartList(
        [{ chart: 'oci://registry.suse.com/edge/charts/sriov-crd', version: '303.0.2+up1.5.0' }],
        where,
      ),
    ).toEqual(['registry.suse.com/edge/charts/sriov-crd:303.0.2+up1.5.0']);
  });

  test('fails when a chart is not an OCI chart', () => {
    expect(() =>
      checkPreloadChartList([{ chart: 'https://charts.example.com/x-1.0.0.tgz', version: '1.0.0' }], where),
    ).toThrow(/'airGap.preloadHelmCharts\[0\].chart' is not an oci:\/\/ chart/);
  });
});
