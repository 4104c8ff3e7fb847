import { helmChartManifest, validateHelmChartSource } from '../../lib/rke2/helm-chart';

const where = { path: 'site/C', prop: 'chart' };

describe('helmChartManifest', () => {
  test('renders a kube-system HelmChart that creates its target namespace', () => {
    expect(
      helmChartManifest({
        name: 'metallb',
        targetNamespace: 'metallb-system',
        source: { chart: 'oci://r/metallb', version: '1.0.0' },
        valuesContent: 'a: 1',
      }),
    ).toEqual({
      apiVersion: 'helm.cattle.io/v1',
      kind: 'HelmChart',
      metadata: { name: 'metallb', namespace: 'kube-system' },
      spec: {
        chart: 'oci://r/metallb',
        version: '1.0.0',
        targetNamespace: 'metallb-system',
        createNamespace: true,
        valuesContent: 'a: 1',
      },
    });
  });

  test('passes a repo for plain chart names', () => {
    const m = helmChartManifest({
      name: 'x',
      targetNamespace: 'x',
      source: { chart: 'metallb', repo: 'https://metallb.github.io/metallb', version: '0.14.9' },
    });
    expect(m).toMatchObject({ spec: { chart: 'metallb', repo: 'https://metallb.github.io/metallb' } });
  });
});

describe('validateHelmChartSource', () => {
  test('accepts oci and https references', () => {
    expect(
      validateHelmChartSource(
        { chart: 'oci://registry.suse.com/edge/charts/metallb', version: '303.0.0+up0.14.9' },
        where,
      ),
    ).toBeDefined();
    expect(
      validateHelmChartSource({ chart: 'https://example.com/c-1.0.0.tgz', version: '1.0.0' }, where),
    ).toBeDefined();
  });
  test('fails when a plain name has no repo', () => {
    expect(() => validateHelmChartSource({ chart: 'metallb', version: '1' }, where)).toThrow(
      /'chart.chart' is neither an oci/,
    );
  });
  test('fails when the repo is not http(s)', () => {
    expect(() => validateHelmChartSource({ chart: 'metallb', repo: 'ftp://x', version: '1' }, where)).toThrow(
      /'chart.repo' is not an http\(s\) URL/,
    );
  });
  test('fails when the version is missing or has spaces', () => {
    expect(() => validateHelmChartSource({ chart: 'oci://x/y', version: '' }, where)).toThrow(
      /'chart.version' must not be empty/,
    );
    expect(() => validateHelmChartSource({ chart: 'oci://x/y', version: '1 2' }, where)).toThrow(
      /'chart.version' contains white space/,
    );
  });
  test('fails when the source is not an object', () => {
    expect(() => validateHelmChartSource('oci://x' as never, where)).toThrow(/'chart' must be an object/);
  });
});
