import { ImageReference, RegistryHost } from '../../lib/registry/image-reference';
import { MirrorRules } from '../../lib/registry/mirror-rules';

const REGISTRY = RegistryHost.parse('registry.example.com:5000');
const WHERE = { path: 'site/Mirror', prop: 'mirrors' };
const parse = (value: unknown) => MirrorRules.parse(value, REGISTRY, WHERE);
const ref = (s: string) => ImageReference.parse(s);

describe('MirrorRules.parse', () => {
  test('GIVEN no mirror path THEN the source path under the registry, where oc-mirror v2 pushes it', () => {
    const { rules } = parse([{ source: 'quay.io/openshift-release-dev/ocp-release' }, { source: 'docker.io' }]);
    expect(rules.map((r) => [r.source.repository, r.mirrors.map((m) => m.repository)])).toEqual([
      ['quay.io/openshift-release-dev/ocp-release', ['registry.example.com:5000/openshift-release-dev/ocp-release']],
      ['docker.io', ['registry.example.com:5000']],
    ]);
    // AND the defaults: digests only, the source may be contacted
    expect(rules[0]).toMatchObject({ pullByDigestOnly: true, neverContactSource: false });
  });

  test('GIVEN two mirrors of one source THEN one rule with both, in the order given', () => {
    const { rules } = parse([
      { source: 'quay.io/a', mirror: 'one' },
      { source: 'quay.io/b' },
      { source: 'quay.io/a', mirror: 'registry.example.com:5000/two' },
    ]);
    expect(rules.map((r) => r.mirrors.map((m) => m.repository))).toEqual([
      ['registry.example.com:5000/one', 'registry.example.com:5000/two'],
      ['registry.example.com:5000/b'],
    ]);
  });

  test('GIVEN no mirrors THEN no rules', () => {
    expect(parse(undefined).rules).toEqual([]);
    expect(parse([]).rules).toEqual([]);
  });

  test.each([
    ['not a list', 'quay.io/a', /'mirrors' .*pass a list of \{ source, mirror \}/],
    ['an entry that is not an object', ['quay.io/a'], /'mirrors\[0\]' .*pass \{ source, mirror \}/],
    [
      'a source in the mirror registry',
      [{ source: 'registry.example.com:5000/x' }],
      /'mirrors\[0\]\.source' is in the mirror registry itself/,
    ],
    [
      'a mirror on another registry',
      [{ source: 'quay.io/a', mirror: 'other.example.com/a' }],
      /'mirrors\[0\]\.mirror' is not in the mirror registry registry.example.com:5000 \(got "other.example.com\/a"\)/,
    ],
    [
      'a mirror path starting with /',
      [{ source: 'quay.io/a', mirror: '/a' }],
      /'mirrors\[0\]\.mirror' is not a path in the mirror registry \(got "\/a"\); write a path such as "a"/,
    ],
    ['an empty mirror path', [{ source: 'quay.io/a', mirror: '' }], /'mirrors\[0\]\.mirror' is not a path/],
    [
      'a mirror listed twice',
      [
        { source: 'quay.io/a', mirror: 'm' },
        { source: 'quay.io/a', mirror: 'm' },
      ],
      /'mirrors\[1\]\.mirror' repeats mirrors\[0\] \(got "registry.example.com:5000\/m"\); list each mirror of a source once/,
    ],
    [
      'mirrors of one source disagreeing on pullByDigestOnly',
      [{ source: 'quay.io/a' }, { source: 'quay.io/a', mirror: 'b', pullByDigestOnly: false }],
      /'mirrors\[1\]\.pullByDigestOnly' conflicts with mirrors\[0\] for the same source quay.io\/a \(got false\)/,
    ],
    [
      'mirrors of one source disagreeing on neverContactSource',
      [{ source: 'quay.io/a' }, { source: 'quay.io/a', mirror: 'b', neverContactSource: true }],
      /'mirrors\[1\]\.neverContactSource' conflicts with mirrors\[0\] for the same source quay.io\/a \(got true\)/,
    ],
  ])('refuses %s, naming the place', (_what, value, message) => {
    expect(() => parse(value)).toThrow(message);
    expect(() => parse(value)).toThrow(/^\[site\/Mirror\] /);
  });
});

describe('MirrorRules.ruleFor and sourceReference', () => {
  const rules = parse([
    { source: 'docker.io' },
    { source: 'docker.io/library' },
    { source: 'quay.io/a', mirror: 'shared' },
    { source: 'quay.io/b', mirror: 'shared' },
  ]);

  test('ruleFor takes the source with the longest path that covers the reference', () => {
    expect(rules.ruleFor(ref('docker.io/library/nginx:1'))?.source.repository).toBe('docker.io/library');
    expect(rules.ruleFor(ref('docker.io/rancher/k3s:1'))?.source.repository).toBe('docker.io');
    expect(rules.ruleFor(ref('ghcr.io/x/y:1'))).toBeUndefined();
  });

  test('sourceReference traces a mirrored reference back through the longest mirror path', () => {
    expect(rules.sourceReference(ref('registry.example.com:5000/library/nginx:1.27'), WHERE).toString()).toBe(
      'docker.io/library/nginx:1.27',
    );
    // AND a reference outside the registry is returned as it is
    expect(rules.sourceReference(ref('ghcr.io/x/y:1'), WHERE).toString()).toBe('ghcr.io/x/y:1');
  });

  test('sourceReference refuses a mirror path that two sources of equal length share', () => {
    expect(() => rules.sourceReference(ref('registry.example.com:5000/shared/img:1'), WHERE)).toThrow(
      /'mirrors' mirrors both quay.io\/a and quay.io\/b to registry.example.com:5000\/shared, so registry.example.com:5000\/shared\/img cannot be traced back to one source/,
    );
  });

  test('a reference the mirror rebased itself maps back to its source; two sources for one place are forgotten', () => {
    const own = parse([
      { source: 'quay.io/a', mirror: 'shared' },
      { source: 'quay.io/b', mirror: 'shared' },
    ]);
    own.remember(ref('registry.example.com:5000/shared/chart:1'), ref('quay.io/a/chart:1'));
    expect(own.sourceReference(ref('registry.example.com:5000/shared/chart:2'), WHERE).toString()).toBe(
      'quay.io/a/chart:2',
    );
    // WHEN another source is rebased to the same place THEN the place is ambiguous again
    own.remember(ref('registry.example.com:5000/shared/chart:1'), ref('quay.io/b/chart:1'));
    expect(() => own.sourceReference(ref('registry.example.com:5000/shared/chart:2'), WHERE)).toThrow(
      /cannot be traced back to one source/,
    );
  });
});
