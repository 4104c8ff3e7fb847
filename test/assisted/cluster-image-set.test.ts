import * as fc from 'fast-check';
import { ClusterImageSet } from '../../lib/assisted/cluster-image-set';
import { AirgapRegistryMirror } from '../../lib/registry/airgap-registry-mirror';
import { RegistryCa } from '../../lib/registry/registry-ca';
import { REGISTRY_CA } from '../../examples/shared/test-registry-ca';
import { checkConstruct, garbage, mostly } from '../arbitraries';
import { Manifest, testChart } from '../util';

const TAG = 'quay.io/openshift-release-dev/ocp-release:4.19.2-x86_64';
const DIGEST = `quay.io/openshift-release-dev/ocp-release@sha256:${'a'.repeat(64)}`;

function mirror(chart: import('cdk8s').Chart): AirgapRegistryMirror {
  return new AirgapRegistryMirror(chart, 'Mirror', {
    registry: 'registry.example.com:5000',
    ca: RegistryCa.fromPem(REGISTRY_CA),
    mirrors: [{ source: 'quay.io/openshift-release-dev/ocp-release', mirror: 'openshift/release-images' }],
  });
}

describe('ClusterImageSet', () => {
  test('two clusters of one release share the one ClusterImageSet', () => {
    const { chart } = testChart('mycluster');
    const a = new ClusterImageSet(chart, 'A', { releaseImage: TAG });
    const b = new ClusterImageSet(chart, 'B', { releaseImage: TAG });
    expect(b.apiObject).toBe(a.apiObject);
    expect(Manifest.of(chart).all('ClusterImageSet')).toHaveLength(1);
  });

  test('fails when two ClusterImageSets of one name have different releases, naming both', () => {
    const { chart } = testChart('mycluster');
    new ClusterImageSet(chart, 'A', { releaseImage: TAG, name: 'release' });
    expect(() => new ClusterImageSet(chart, 'B', { releaseImage: DIGEST, name: 'release' })).toThrow(
      /^\[test\/B\] 'name' needs 'spec.releaseImage' in the one ClusterImageSet\/release of test that \[test\/A\] 'name' already set otherwise \(got "quay\.io[^)]*\); give ClusterImageSets of different releases different names$/,
    );
  });

  test('names itself after the release tag and carries no namespace', () => {
    // GIVEN a chart with a namespace
    const { chart } = testChart('mycluster');
    // WHEN a ClusterImageSet is defined from a tagged release
    const set = new ClusterImageSet(chart, 'Release', { releaseImage: TAG });
    // THEN it is named from the tag, cluster-scoped, with the image
    const obj = Manifest.of(chart).get('ClusterImageSet', 'img4.19.2-x86-64');
    expect(set.name).toBe('img4.19.2-x86-64');
    expect(obj.metadata.namespace).toBeUndefined();
    expect(obj).toMatchObject({ apiVersion: 'hive.openshift.io/v1', spec: { releaseImage: TAG } });
  });

  test('takes a digest with a name when the cluster is disconnected', () => {
    const { chart } = testChart();
    new ClusterImageSet(chart, 'Release', { releaseImage: DIGEST, name: 'img4.19.2', registryMirror: mirror(chart) });
    expect(Manifest.of(chart).get('ClusterImageSet', 'img4.19.2').spec.releaseImage).toBe(DIGEST);
  });

  test('fails when a disconnected release is a tag', () => {
    const { chart } = testChart();
    const m = mirror(chart);
    expect(() => new ClusterImageSet(chart, 'Release', { releaseImage: TAG, registryMirror: m })).toThrow(
      /\[test\/Release\] 'releaseImage' is a tag/,
    );
  });

  test('fails when a disconnected release is not under a mirrored source', () => {
    const { chart } = testChart();
    const m = mirror(chart);
    expect(
      () =>
        new ClusterImageSet(chart, 'Release', {
          releaseImage: `quay.io/other/release@sha256:${'b'.repeat(64)}`,
          name: 'x',
          registryMirror: m,
        }),
    ).toThrow(/'releaseImage' is neither in registry.example.com:5000 nor under a mirrored source/);
  });

  test('fails when a release by digest alone has no name', () => {
    const { chart } = testChart();
    expect(() => new ClusterImageSet(chart, 'Release', { releaseImage: DIGEST })).toThrow(/'name' is missing/);
  });

  test('fails when the release is not an image reference', () => {
    const { chart } = testChart();
    expect(() => new ClusterImageSet(chart, 'Release', { releaseImage: 'ocp-release' })).toThrow(/'releaseImage'/);
  });

  test('fails when the name is not a DNS subdomain', () => {
    const { chart } = testChart();
    expect(() => new ClusterImageSet(chart, 'Release', { releaseImage: TAG, name: 'Img_4' })).toThrow(/'name'/);
  });

  describe('properties', () => {
    test('any props are accepted or refused with a library error', () => {
      const arb = fc.record({
        releaseImage: mostly(fc.constantFrom(TAG, DIGEST, 'quay.io/x/y:4.18.1_', 'quay.io/x/y')),
        name: fc.option(mostly(fc.constantFrom('img4', 'a.b', 'Bad')), { nil: undefined }),
        disconnected: fc.boolean(),
        junk: fc.option(garbage, { nil: undefined }),
      });
      checkConstruct(arb, ({ disconnected, junk, ...p }) => {
        const { chart } = testChart();
        const m = disconnected ? mirror(chart) : undefined;
        new ClusterImageSet(chart, 'Release', {
          ...p,
          ...(m ? { registryMirror: m } : {}),
          ...(junk !== undefined ? { junk } : {}),
        } as never);
        return Manifest.of(chart)
          .objects.map((o) => JSON.stringify(o))
          .join('\n');
      });
    });
  });
});
