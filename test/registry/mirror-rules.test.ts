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

describe('MirrorRules limits', () => {
  test('a mirror may be the registry itself, a path, or start with the registry', () => {
    const { rules } = parse([
      { source: 'docker.io', mirror: 'registry.example.com:5000' },
      { source: 'quay.io/a', mirror: 'registry.example.com:5000/x/y' },
      { source: 'ghcr.io/b', mirror: 'deep/path' },
    ]);
    expect(rules.map((r) => r.mirrors[0].repository)).toEqual([
      'registry.example.com:5000',
      'registry.example.com:5000/x/y',
      'registry.example.com:5000/deep/path',
    ]);
  });

  test.each([
    ['localhost/a', 'localhost'],
    ['[fd00::1]:5000/a', 'an IPv6 registry'],
    ['registry.example.com:5001/a', 'the same host on another port'],
    ['registry.example.com/a', 'the same host without the port'],
    ['other:5000', 'a host with a port'],
  ])('a mirror on %s (%s) is refused as another registry, with a path to write instead', (mirror) => {
    expect(() => parse([{ source: 'quay.io/org/a', mirror }])).toThrow(
      `[site/Mirror] 'mirrors[0].mirror' is not in the mirror registry registry.example.com:5000 (got ${JSON.stringify(mirror)}); every mirror lives in registry.example.com:5000 (the RKE2 provider keeps one registry credentials entry, so a second registry's credentials would be lost): write a path such as "org/a" or start with "registry.example.com:5000/"`,
    );
  });

  test('the suggested path of a source without a path is "mirror"', () => {
    expect(() => parse([{ source: 'docker.io', mirror: 'other.example.com' }])).toThrow(
      /write a path such as "mirror" or start with/,
    );
    expect(() => parse([{ source: 'docker.io', mirror: 7 }])).toThrow(
      `[site/Mirror] 'mirrors[0].mirror' is not a path in the mirror registry (got 7); write a path such as "mirror"`,
    );
  });

  test('a mirror path without a dot, colon or bracket in its first part is a path', () => {
    expect(parse([{ source: 'quay.io/a', mirror: 'localhostx/a' }]).rules[0].mirrors[0].repository).toBe(
      'registry.example.com:5000/localhostx/a',
    );
    expect(parse([{ source: 'quay.io/a', mirror: 'xlocalhost' }]).rules[0].mirrors[0].repository).toBe(
      'registry.example.com:5000/xlocalhost',
    );
  });

  test('refusals of the source and the flags say what to do', () => {
    expect(() => parse([{ source: 'registry.example.com:5000' }])).toThrow(
      `[site/Mirror] 'mirrors[0].source' is in the mirror registry itself (got "registry.example.com:5000"); a source is where images come from; list repositories of other registries`,
    );
    expect(() =>
      parse([{ source: 'quay.io/a' }, { source: 'quay.io/a', mirror: 'b', pullByDigestOnly: false }]),
    ).toThrow(
      /; a source is mirrored either for digests only or for tags too; give all its mirrors the same pullByDigestOnly$/,
    );
    expect(() =>
      parse([{ source: 'quay.io/a' }, { source: 'quay.io/a', mirror: 'b', neverContactSource: true }]),
    ).toThrow(
      /; OpenShift refuses one source with two source policies; give all its mirrors the same neverContactSource$/,
    );
    expect(() => parse([{ source: 'quay.io/a', pullByDigestOnly: 'no' }])).toThrow(
      /'mirrors\[0\]\.pullByDigestOnly' must be true or false/,
    );
    expect(() => parse([{ source: 'quay.io/a', neverContactSource: 1 }])).toThrow(
      /'mirrors\[0\]\.neverContactSource' must be true or false/,
    );
    expect(() => parse([{ source: 7 }])).toThrow(/'mirrors\[0\]\.source'/);
  });

  test('the flags are kept per source; the third mirror of a source is checked against the first', () => {
    const { rules } = parse([
      { source: 'quay.io/a', pullByDigestOnly: false, neverContactSource: true },
      { source: 'quay.io/a', mirror: 'b', pullByDigestOnly: false, neverContactSource: true },
      { source: 'quay.io/c' },
    ]);
    expect(rules.map((r) => [r.pullByDigestOnly, r.neverContactSource])).toEqual([
      [false, true],
      [true, false],
    ]);
    expect(() =>
      parse([
        { source: 'quay.io/a', mirror: 'm1' },
        { source: 'quay.io/a', mirror: 'm2' },
        { source: 'quay.io/a', mirror: 'm2' },
      ]),
    ).toThrow(/'mirrors\[2\]\.mirror' repeats mirrors\[1\]/);
    expect(() =>
      parse([
        { source: 'quay.io/a', mirror: 'm1' },
        { source: 'quay.io/x' },
        { source: 'quay.io/a', mirror: 'm2', pullByDigestOnly: false },
      ]),
    ).toThrow(/'mirrors\[2\]\.pullByDigestOnly' conflicts with mirrors\[0\]/);
  });
});

describe('MirrorRules.sourceReference choices', () => {
  test('two sources mirrored to the registry root: the longer source prefix wins (seed §42.9)', () => {
    const rules = parse([
      { source: 'docker.io' },
      { source: 'registry.suse.com/edge/charts', mirror: 'registry.example.com:5000' },
    ]);
    // both mirrors are the root; only one source path can be traced
    expect(rules.sourceReference(ref('registry.example.com:5000/metallb:0.14'), WHERE).toString()).toBe(
      'registry.suse.com/edge/charts/metallb:0.14',
    );
    const reversed = parse([
      { source: 'registry.suse.com/edge/charts', mirror: 'registry.example.com:5000' },
      { source: 'docker.io' },
    ]);
    expect(reversed.sourceReference(ref('registry.example.com:5000/metallb:0.14'), WHERE).toString()).toBe(
      'registry.suse.com/edge/charts/metallb:0.14',
    );
  });

  test('a longer mirror path wins over a longer source, in either order', () => {
    const rules = parse([
      { source: 'registry.suse.com/edge/charts', mirror: 'registry.example.com:5000' },
      { source: 'docker.io', mirror: 'hub' },
    ]);
    expect(rules.sourceReference(ref('registry.example.com:5000/hub/nginx:1'), WHERE).toString()).toBe(
      'docker.io/nginx:1',
    );
    const reversed = parse([
      { source: 'docker.io', mirror: 'hub' },
      { source: 'registry.suse.com/edge/charts', mirror: 'registry.example.com:5000' },
    ]);
    expect(reversed.sourceReference(ref('registry.example.com:5000/hub/nginx:1'), WHERE).toString()).toBe(
      'docker.io/nginx:1',
    );
  });

  test('of two mirrors of one source covering a reference the longer path is traced; a reference no mirror covers is kept', () => {
    const rules = parse([
      { source: 'quay.io/a', mirror: 'x' },
      { source: 'quay.io/a', mirror: 'registry.example.com:5000/x/img' },
    ]);
    expect(rules.sourceReference(ref('registry.example.com:5000/x/img:1'), WHERE).toString()).toBe('quay.io/a:1');
    expect(rules.sourceReference(ref('registry.example.com:5000/x/other:1'), WHERE).toString()).toBe(
      'quay.io/a/other:1',
    );
    expect(rules.sourceReference(ref('registry.example.com:5000/other/img:1'), WHERE).toString()).toBe(
      'registry.example.com:5000/other/img:1',
    );
  });

  test('remembering the same source twice keeps it; the tie message says what to do', () => {
    const rules = parse([
      { source: 'quay.io/a', mirror: 'shared' },
      { source: 'quay.io/b', mirror: 'shared' },
    ]);
    rules.remember(ref('registry.example.com:5000/shared/chart:1'), ref('quay.io/a/chart:1'));
    rules.remember(ref('registry.example.com:5000/shared/chart:3'), ref('quay.io/a/chart:3'));
    expect(rules.sourceReference(ref('registry.example.com:5000/shared/chart:2'), WHERE).toString()).toBe(
      'quay.io/a/chart:2',
    );
    // a place forgotten after a clash stays forgotten
    rules.remember(ref('registry.example.com:5000/shared/chart:1'), ref('quay.io/b/chart:1'));
    rules.remember(ref('registry.example.com:5000/shared/chart:1'), ref('quay.io/a/chart:1'));
    expect(() => rules.sourceReference(ref('registry.example.com:5000/shared/chart:2'), WHERE)).toThrow(
      `[site/Mirror] 'mirrors' mirrors both quay.io/a and quay.io/b to registry.example.com:5000/shared, so registry.example.com:5000/shared/chart cannot be traced back to one source (got "registry.example.com:5000/shared/chart:2"); give one of the two its own mirror path in registry.example.com:5000, or a longer source prefix`,
    );
  });

  test('ruleFor keeps the first of two sources of one length and ignores shorter later ones', () => {
    const rules = parse([{ source: 'docker.io/library' }, { source: 'docker.io' }]);
    expect(rules.ruleFor(ref('docker.io/library/nginx:1'))?.source.repository).toBe('docker.io/library');
  });
});
