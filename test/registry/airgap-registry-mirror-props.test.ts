import { defaultMirrorName, MirrorOutputSource } from '../../lib/registry/airgap-registry-mirror-props';
import { testChart } from '../util';
import { mirrorIn, REGISTRY } from './mirror-fixtures';
import { RegistryHost } from '../../lib/registry/image-reference';

const host = (text: string) => RegistryHost.parse(text, { path: 'test', prop: 'registry' });

describe('defaultMirrorName', () => {
  test('lower-cases the registry and writes each run of other characters as one dash', () => {
    expect(defaultMirrorName(host('Registry.Example.COM:5000'))).toBe('registry-example-com-5000');
    expect(defaultMirrorName(host('[fd00::1]:5000'))).toBe('fd00-1-5000');
  });

  test('drops dashes at both ends', () => {
    // GIVEN an IPv6 registry whose text starts and ends with characters other than letters and digits
    // THEN neither end keeps a dash
    expect(defaultMirrorName(host('[fd00::1]'))).toBe('fd00-1');
    expect(defaultMirrorName(host('[::]:5000'))).toBe('5000');
  });

  test('is "registry" when no letter or digit is left', () => {
    expect(defaultMirrorName(host('[::]'))).toBe('registry');
  });

  test('keeps 56 characters, then drops a dash the cut leaves at the end', () => {
    const a56 = 'a'.repeat(56);
    // a longer first label: cut at 56
    expect(defaultMirrorName(host(`${'a'.repeat(60)}.example.com`))).toBe(a56);
    // exactly 56 characters before the first dot: kept whole, without the dash that follows
    expect(defaultMirrorName(host(`${a56}.example.com`))).toBe(a56);
    // 55 characters and a dot: the cut falls after the dash, which is dropped
    expect(defaultMirrorName(host(`${'a'.repeat(55)}.b.example.com`))).toBe('a'.repeat(55));
    // 54 characters, a dot and two letters: the cut keeps one letter after the dash
    expect(defaultMirrorName(host(`${'a'.repeat(54)}.bc.example.com`))).toBe(`${'a'.repeat(54)}-b`);
  });
});

describe('MirrorOutputSource', () => {
  test('an AirgapRegistryMirror is one, and reads through it as itself', () => {
    const { chart } = testChart();
    const mirror = mirrorIn(chart);
    // compile-time: the construct has every member the OpenShift outputs read
    const source: MirrorOutputSource = mirror;
    expect(source.registry.toString()).toBe(REGISTRY);
    expect(source.mirroredReference('quay.io/openshift-release-dev/ocp-release:4.17.0-x86_64').toString()).toBe(
      mirror.mirroredReference('quay.io/openshift-release-dev/ocp-release:4.17.0-x86_64').toString(),
    );
    expect(
      source.mirroredReference('quay.io/openshift-release-dev/ocp-release:4.17.0-x86_64').registry.toString(),
    ).toBe(REGISTRY);
  });
});
