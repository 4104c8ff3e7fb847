import {
  checkPreloadChartList,
  checkPreloadImageList,
  preloadListHeader,
  renderPreloadList,
} from '../../lib/eib/preload-lists';
import { RegistryHost } from '../../lib/registry/image-reference';

const where = { path: 'site/Image', prop: 'airGap.preloadHelmCharts' };
const SUSE = RegistryHost.parse('registry.suse.com');
const CRD = { chart: 'oci://registry.suse.com/edge/charts/sriov-crd', version: '303.0.2+up1.5.0' };

/**
 * What SUSE's save scripts pull for each line of a list given `-s <source>`: edge-save-images.sh
 * pulls `<source>/<line>` for every non-empty line; edge-save-oci-artefacts.sh splits a line at
 * ':' and blanks, skips it unless that gives two fields, and pulls `oci://<source>/<first>` at
 * `--version <second>`.
 */
function pulledBy(kind: 'images' | 'charts', list: string, source: string): string[] {
  return list
    .split('\n')
    .filter((l) => l !== '')
    .flatMap((line) => {
      if (kind === 'images') return [`${source}/${line}`];
      const fields = line.replace(/:/g, ' ').trim().split(/\s+/);
      return fields.length === 2 ? [`oci://${source}/${fields[0]} --version ${fields[1]}`] : [];
    });
}

describe('preload lists', () => {
  test('relative chart lists make edge-save-oci-artefacts.sh -s registry.suse.com pull the chart itself', () => {
    // GIVEN the SR-IOV CRD chart, relative to registry.suse.com
    const list = renderPreloadList('charts', checkPreloadChartList([CRD], where, SUSE), SUSE);
    // THEN the script pulls oci://registry.suse.com/edge/charts/sriov-crd, and skips the header line
    expect(pulledBy('charts', list, 'registry.suse.com')).toEqual([
      'oci://registry.suse.com/edge/charts/sriov-crd --version 303.0.2+up1.5.0',
    ]);
  });

  test('relative image lists make edge-save-images.sh -s registry.suse.com pull the image itself', () => {
    const list = renderPreloadList(
      'images',
      checkPreloadImageList(['registry.suse.com/rancher/hardened-sriov-cni:v2.8.1-build20240820'], where, SUSE),
      SUSE,
    );
    expect(pulledBy('images', list, 'registry.suse.com').slice(1)).toEqual([
      'registry.suse.com/rancher/hardened-sriov-cni:v2.8.1-build20240820',
    ]);
  });

  test('fully qualified lists keep whole references; the header says which convention a list has', () => {
    expect(checkPreloadChartList([CRD], where)).toEqual(['registry.suse.com/edge/charts/sriov-crd:303.0.2+up1.5.0']);
    expect(preloadListHeader('images', undefined)).toMatch(/^# Fully qualified images/);
    expect(preloadListHeader('charts', SUSE)).toMatch(/^# OCI Helm charts relative to registry.suse.com/);
  });

  test('headers carry no glob characters, so the scripts cannot expand them into file names', () => {
    for (const kind of ['images', 'charts'] as const) {
      for (const rel of [undefined, SUSE, RegistryHost.parse('192.168.100.22:5000')]) {
        expect(preloadListHeader(kind, rel)).not.toMatch(/[*?[]/);
      }
    }
  });

  test('fails when a chart is not an OCI chart', () => {
    expect(() =>
      checkPreloadChartList([{ chart: 'https://charts.example.com/x-1.0.0.tgz', version: '1.0.0' }], where),
    ).toThrow(/'airGap.preloadHelmCharts\[0\].chart' is not an oci:\/\/ chart/);
  });

  test('fails when an entry would be listed twice once written relative', () => {
    expect(() => checkPreloadImageList(['rancher/a:1', 'registry.suse.com/rancher/a:1'], where, SUSE)).toThrow(
      /'airGap.preloadHelmCharts' lists an image twice \(got "rancher\/a:1"\)/,
    );
  });
});
