import { parse } from 'yaml';
import { ImageReference } from '../../lib/registry/image-reference';
import {
  compareSemver,
  defaultCatalogSourceName,
  imageSetConfiguration,
  renderImageSetConfiguration,
  validateImageSetContent,
} from '../../lib/registry/image-set-configuration';
import { unknownImageSetKeys } from './oc-mirror-keys';

const W = {
  releases: { path: 'T', prop: 'releases' },
  operators: { path: 'T', prop: 'operators' },
  additionalImages: { path: 'T', prop: 'additionalImages' },
};
const content = (props: Parameters<typeof validateImageSetContent>[0]) => validateImageSetContent(props, W);

describe('ImageSetConfiguration', () => {
  test('reads back the same under YAML 1.1 (oc-mirror) and 1.2 whatever the package and channel names', () => {
    const c = content({
      operators: [
        {
          catalog: 'registry.redhat.io/redhat/redhat-operator-index:v4.19',
          packages: [{ name: 'on', channels: [{ name: 'y' }, { name: '1_000' }] }, { name: 'no' }],
        },
      ],
    });
    const text = renderImageSetConfiguration(c);
    const doc = parse(text, { version: '1.1' });
    expect(doc).toEqual(parse(text, { version: '1.2' }));
    expect(doc.mirror.operators[0].packages).toEqual([
      { name: 'on', channels: [{ name: 'y' }, { name: '1_000' }] },
      { name: 'no' },
    ]);
  });

  test('renders channels, graph, kubeVirtContainer, catalogs with packages and additional images', () => {
    // GIVEN §6.3.8 of seed 001
    const c = content({
      releases: {
        channels: [{ name: 'candidate-4.19', minVersion: '4.19.0', maxVersion: '4.19.2' }],
        kubeVirtContainer: true,
        graph: true,
      },
      operators: [
        {
          catalog: 'registry.redhat.io/redhat/redhat-operator-index:v4.19',
          packages: [{ name: 'lvms-operator' }, { name: 'metallb-operator', channels: [{ name: 'stable' }] }],
        },
      ],
      additionalImages: ['registry.redhat.io/ubi9/ubi:latest'],
    });
    // WHEN rendered and read back
    const doc = parse(renderImageSetConfiguration(c));
    // THEN
    expect(doc).toEqual({
      apiVersion: 'mirror.openshift.io/v2alpha1',
      kind: 'ImageSetConfiguration',
      mirror: {
        platform: {
          channels: [{ name: 'candidate-4.19', minVersion: '4.19.0', maxVersion: '4.19.2', type: 'ocp' }],
          kubeVirtContainer: true,
          graph: true,
        },
        operators: [
          {
            catalog: 'registry.redhat.io/redhat/redhat-operator-index:v4.19',
            packages: [{ name: 'lvms-operator' }, { name: 'metallb-operator', channels: [{ name: 'stable' }] }],
          },
        ],
        additionalImages: [{ name: 'registry.redhat.io/ubi9/ubi:latest' }],
      },
    });
    expect(unknownImageSetKeys(doc)).toEqual([]);
  });

  test('renders a single release image (nightly or CI) instead of channels', () => {
    const doc = parse(
      renderImageSetConfiguration(
        content({ releases: { release: 'registry.ci.openshift.org/ocp/release:4.19.0-0.nightly', graph: true } }),
        { archiveSize: 4 },
      ),
    );
    expect(doc).toMatchObject({
      archiveSize: 4,
      mirror: { platform: { release: 'registry.ci.openshift.org/ocp/release:4.19.0-0.nightly', graph: true } },
    });
    expect(doc.mirror.platform.channels).toBeUndefined();
    expect(unknownImageSetKeys(doc)).toEqual([]);
  });

  test('writes every optional field with its oc-mirror spelling', () => {
    const doc = parse(
      renderImageSetConfiguration(
        content({
          releases: {
            channels: [{ name: 'stable-4.18', type: 'okd', shortestPath: true, full: true }],
            architectures: ['amd64', 'arm64'],
          },
          operators: [
            {
              catalog: `registry.redhat.io/redhat/redhat-operator-index@sha256:${'b'.repeat(64)}`,
              full: true,
              skipDependencies: true,
              packages: [
                { name: 'odf-operator', defaultChannel: 'stable-4.18', minVersion: '4.18.0', maxVersion: '4.18.3' },
                { name: 'mcg-operator', channels: [{ name: 'stable-4.18', minVersion: '4.18.0' }] },
              ],
            },
          ],
        }),
      ),
    );
    expect(unknownImageSetKeys(doc)).toEqual([]);
    expect(doc.mirror.platform).toEqual({
      architectures: ['amd64', 'arm64'],
      channels: [{ name: 'stable-4.18', type: 'okd', shortestPath: true, full: true }],
    });
    expect(doc.mirror.operators[0]).toMatchObject({ full: true, skipDependencies: true });
    expect(doc.mirror.operators[0].packages[0]).toEqual({
      name: 'odf-operator',
      defaultChannel: 'stable-4.18',
      minVersion: '4.18.0',
      maxVersion: '4.18.3',
    });
  });

  test('names CatalogSources as oc-mirror v2 does', () => {
    expect(
      defaultCatalogSourceName(ImageReference.parse('registry.redhat.io/redhat/redhat-operator-index:v4.19')),
    ).toBe('cs-redhat-operator-index-v4-19');
    expect(
      defaultCatalogSourceName(
        ImageReference.parse(`registry.redhat.io/redhat/certified-operator-index@sha256:${'c'.repeat(64)}`),
      ),
    ).toBe('cs-certified-operator-index-cccccccccccc');
  });

  test('orders semantic versions, pre-releases first', () => {
    expect(compareSemver('4.19.0', '4.19.2')).toBeLessThan(0);
    expect(compareSemver('4.19.0-rc.1', '4.19.0')).toBeLessThan(0);
    expect(compareSemver('4.19.0-rc.2', '4.19.0-rc.10')).toBeLessThan(0);
    expect(compareSemver('4.20.0', '4.19.9')).toBeGreaterThan(0);
    expect(compareSemver('1.0.0+a', '1.0.0+b')).toBe(0);
  });

  test('fails when a version is not semantic', () => {
    expect(() => content({ releases: { channels: [{ name: 'stable-4.19', minVersion: '4.19' }] } })).toThrow(
      /\[T\] 'releases.channels\[0\].minVersion' is not a semantic version \(got "4.19"\)/,
    );
  });

  test('fails when minVersion is above maxVersion', () => {
    expect(() =>
      content({ releases: { channels: [{ name: 'stable-4.19', minVersion: '4.19.5', maxVersion: '4.19.2' }] } }),
    ).toThrow(/'releases.channels\[0\].minVersion' is above maxVersion 4.19.2/);
  });

  test('fails when a channel repeats', () => {
    expect(() => content({ releases: { channels: [{ name: 'stable-4.19' }, { name: 'stable-4.19' }] } })).toThrow(
      /'releases.channels\[1\].name' repeats channel 0/,
    );
  });

  test('fails when the channel type is unknown (oc-mirror would read it as ocp)', () => {
    expect(() => content({ releases: { channels: [{ name: 'stable-4.19', type: 'OCP' as never }] } })).toThrow(
      /'releases.channels\[0\].type' is not a release stream/,
    );
  });

  test('fails when a release image is combined with channels', () => {
    expect(() =>
      content({
        releases: {
          channels: [{ name: 'stable-4.19' }],
          release: 'quay.io/openshift-release-dev/ocp-release:4.19.0-x86_64',
        },
      }),
    ).toThrow(/'releases.release' cannot be combined with channels/);
  });

  test('fails when releases name nothing', () => {
    expect(() => content({ releases: { graph: true } })).toThrow(/'releases' names no release/);
  });

  test('fails when an architecture is unknown', () => {
    expect(() =>
      content({ releases: { channels: [{ name: 'stable-4.19' }], architectures: ['x86_64' as never] } }),
    ).toThrow(/'releases.architectures\[0\]' is not a release architecture/);
  });

  test('fails when a catalog has no tag or digest', () => {
    expect(() => content({ operators: [{ catalog: 'registry.redhat.io/redhat/redhat-operator-index' }] })).toThrow(
      /'operators\[0\].catalog' has neither a tag nor a digest/,
    );
  });

  test('fails when a package repeats', () => {
    expect(() =>
      content({
        operators: [
          {
            catalog: 'registry.redhat.io/redhat/redhat-operator-index:v4.19',
            packages: [{ name: 'a' }, { name: 'a' }],
          },
        ],
      }),
    ).toThrow(/'operators\[0\].packages\[1\].name' repeats package 0/);
  });

  test('fails when package and channel both set versions', () => {
    expect(() =>
      content({
        operators: [
          {
            catalog: 'registry.redhat.io/redhat/redhat-operator-index:v4.19',
            packages: [{ name: 'a', minVersion: '1.0.0', channels: [{ name: 'stable', maxVersion: '2.0.0' }] }],
          },
        ],
      }),
    ).toThrow(/'operators\[0\].packages\[0\].channels\[0\]' sets versions while the package sets them too/);
  });

  test('fails when a package name is invalid', () => {
    expect(() =>
      content({
        operators: [
          { catalog: 'registry.redhat.io/redhat/redhat-operator-index:v4.19', packages: [{ name: 'Bad Name' }] },
        ],
      }),
    ).toThrow(/'operators\[0\].packages\[0\].name' is not a valid name/);
  });

  test('fails when a CatalogSource name is not a DNS-1123 label', () => {
    expect(() =>
      content({
        operators: [{ catalog: 'registry.redhat.io/redhat/redhat-operator-index:v4.19', catalogSourceName: 'CS' }],
      }),
    ).toThrow(/'operators\[0\].catalogSourceName' is not a DNS-1123 label/);
  });

  test('fails when an additional image has no registry', () => {
    expect(() => content({ additionalImages: ['rancher/hardened-sriov-cni:v2.8.1-build20240820'] })).toThrow(
      /'additionalImages\[0\]' has no registry host/,
    );
  });

  test('fails when lists are not lists', () => {
    expect(() => content({ operators: 'x' })).toThrow(/'operators' must be a list/);
    expect(() => content({ additionalImages: {} })).toThrow(/'additionalImages' must be a list/);
  });
});

describe('ImageSetConfiguration: limits and messages', () => {
  const CATALOG = 'registry.redhat.io/redhat/redhat-operator-index:v4.19';

  test('orders versions as semver.org does, for every pair of its precedence example', () => {
    const ordered = [
      '1.0.0-alpha',
      '1.0.0-alpha.1',
      '1.0.0-alpha.beta',
      '1.0.0-beta',
      '1.0.0-beta.2',
      '1.0.0-beta.11',
      '1.0.0-rc.1',
      '1.0.0',
      '1.0.1',
      '1.1.0',
      '2.0.0',
    ];
    ordered.forEach((a, i) =>
      ordered.forEach((b, j) => {
        expect([a, b, Math.sign(compareSemver(a, b))]).toEqual([a, b, Math.sign(i - j)]);
      }),
    );
  });

  test('compares numeric identifiers as numbers and by their difference', () => {
    expect(compareSemver('1.0.0-rc.10', '1.0.0-rc.9')).toBe(1);
    expect(compareSemver('1.0.0-x.2', '1.0.0-x.2')).toBe(0);
  });

  test('refuses to compare texts that are not versions', () => {
    expect(() => compareSemver('4.19', '4.19.0')).toThrow('not semantic versions: 4.19, 4.19.0');
  });

  test.each(['v4.19.2', '4.19.2x', '01.19.2', '4.019.2', '4.19.02', '4.19.2-', '4.19.2+'])(
    'fails when %s is not a semantic version, and shows the form',
    (version) => {
      expect(() => content({ releases: { channels: [{ name: 'stable-4.19', maxVersion: version }] } })).toThrow(
        /'releases\.channels\[0\]\.maxVersion' is not a semantic version .*; write major\.minor\.patch, such as "4\.19\.2"$/,
      );
    },
  );

  test.each([
    '10.19.2',
    '4.190.2',
    '4.19.20',
    '4.19.2-rc.1.a-b',
    '4.19.2+build.1.x',
    '4.19.2+build.12',
    '4.19.2-rc.12',
  ])('accepts version %s', (version) => {
    expect(content({ releases: { channels: [{ name: 'stable-4.19', maxVersion: version }] } }).releases).toBeDefined();
  });

  test('accepts minVersion equal to maxVersion, and refuses one patch above, saying what to do', () => {
    expect(
      content({ releases: { channels: [{ name: 'stable-4.19', minVersion: '4.19.2', maxVersion: '4.19.2' }] } })
        .releases,
    ).toBeDefined();
    expect(() =>
      content({ releases: { channels: [{ name: 'stable-4.19', minVersion: '4.19.3', maxVersion: '4.19.2' }] } }),
    ).toThrow(
      /'releases\.channels\[0\]\.minVersion' is above maxVersion 4\.19\.2 .*; swap the two or correct one of them$/,
    );
  });

  test('fails when a version is empty, and gives an example', () => {
    expect(() => content({ releases: { channels: [{ name: 'stable-4.19', minVersion: '' }] } })).toThrow(
      /'releases\.channels\[0\]\.minVersion' must not be empty .*; pass a version such as "4\.19\.2"$/,
    );
  });

  test('accepts a release image with an empty channel list, and refuses neither', () => {
    const release = 'quay.io/openshift-release-dev/ocp-release:4.19.0-x86_64';
    expect(content({ releases: { channels: [], release } }).releases?.releaseImage?.toString()).toBe(release);
    expect(() => content({ releases: { channels: [] } })).toThrow(
      /^\[T\] 'releases' names no release .*; give channels \(with versions\) or one release image$/,
    );
  });

  test('says what to do when a release image is combined with channels', () => {
    expect(() =>
      content({
        releases: { channels: [{ name: 'stable-4.19' }], release: 'quay.io/openshift-release-dev/ocp-release:4.19.0' },
      }),
    ).toThrow(
      /cannot be combined with channels .*; oc-mirror skips channel processing when a release image is given; keep one of the two$/,
    );
  });

  test('lists the architectures and channel types it knows', () => {
    expect(() =>
      content({ releases: { channels: [{ name: 'stable-4.19' }], architectures: ['x86_64' as never] } }),
    ).toThrow(/is not a release architecture \(got "x86_64"\); use amd64, arm64, ppc64le, s390x, multi$/);
    expect(() => content({ releases: { channels: [{ name: 'stable-4.19', type: 'OCP' as never }] } })).toThrow(
      /is not a release stream \(got "OCP"\); use one of ocp, okd$/,
    );
  });

  test('a repeated channel or package says to list it once', () => {
    expect(() => content({ releases: { channels: [{ name: 'stable-4.19' }, { name: 'stable-4.19' }] } })).toThrow(
      /^\[T\] 'releases\.channels\[1\]\.name' repeats channel 0 \(got "stable-4\.19"\); list each channel once$/,
    );
  });

  test.each(['stable-', '-stable', 'Stable', 'sta ble'])('fails when channel name %p is not a valid name', (name) => {
    expect(() => content({ releases: { channels: [{ name }] } })).toThrow(
      /'releases\.channels\[0\]\.name' is not a valid name .*; use lower-case letters, digits, "\.", "_" and "-", such as "stable-4\.19"$/,
    );
  });

  test('accepts one-character names and names with ".", "_" and "-" inside', () => {
    expect(content({ releases: { channels: [{ name: 'a' }, { name: 'stable_4.19-x' }] } }).releases).toBeDefined();
  });

  test('accepts a CatalogSource name of 63 characters and refuses 64', () => {
    const ok = `a${'-'.repeat(61)}b`;
    expect(content({ operators: [{ catalog: CATALOG, catalogSourceName: ok }] }).operators[0].catalogSourceName).toBe(
      ok,
    );
    expect(() => content({ operators: [{ catalog: CATALOG, catalogSourceName: 'a'.repeat(64) }] })).toThrow(
      /'operators\[0\]\.catalogSourceName' is not a DNS-1123 label .*; use at most 63 lower-case letters, digits and "-"$/,
    );
  });

  test.each(['-cs', 'cs-', 'c_s', 'c.s', ''])('fails when CatalogSource name %p is not a DNS-1123 label', (name) => {
    expect(() => content({ operators: [{ catalog: CATALOG, catalogSourceName: name }] })).toThrow(
      /'operators\[0\]\.catalogSourceName' (is not a DNS-1123 label|must not be empty)/,
    );
  });

  test('accepts a one-character CatalogSource name', () => {
    expect(content({ operators: [{ catalog: CATALOG, catalogSourceName: 'c' }] }).operators[0].catalogSourceName).toBe(
      'c',
    );
  });

  test('fails when a display name is empty', () => {
    expect(() => content({ operators: [{ catalog: CATALOG, displayName: '' }] })).toThrow(
      /'operators\[0\]\.displayName' must not be empty/,
    );
  });

  test('fails when a default channel is not a valid name', () => {
    expect(() =>
      content({ operators: [{ catalog: CATALOG, packages: [{ name: 'a', defaultChannel: 'Stable' }] }] }),
    ).toThrow(/'operators\[0\]\.packages\[0\]\.defaultChannel' is not a valid name .*such as "stable"$/);
  });

  test('a channel may set versions when its package does not, and a package when its channels do not', () => {
    expect(
      content({
        operators: [
          {
            catalog: CATALOG,
            packages: [
              { name: 'a', channels: [{ name: 'stable', minVersion: '1.0.0' }] },
              { name: 'b', maxVersion: '2.0.0', channels: [{ name: 'stable' }] },
            ],
          },
        ],
      }).operators[0].packages,
    ).toHaveLength(2);
  });

  test('says what to do when package and channel both set versions', () => {
    expect(() =>
      content({
        operators: [
          {
            catalog: CATALOG,
            packages: [{ name: 'a', maxVersion: '3.0.0', channels: [{ name: 'stable', minVersion: '1.0.0' }] }],
          },
        ],
      }),
    ).toThrow(
      /sets versions while the package sets them too \(got "stable"\); set minVersion\/maxVersion on the package or on its channels, not both \(oc-mirror refuses it\)$/,
    );
  });

  test('a repeated channel of a package is refused', () => {
    expect(() =>
      content({
        operators: [
          { catalog: CATALOG, packages: [{ name: 'a', channels: [{ name: 'stable' }, { name: 'stable' }] }] },
        ],
      }),
    ).toThrow(/'operators\[0\]\.packages\[0\]\.channels\[1\]\.name' repeats channel 0/);
  });

  test('names a CatalogSource within 63 characters, without a trailing "-", replacing other characters', () => {
    const long = defaultCatalogSourceName(ImageReference.parse(`quay.io/a/${'x'.repeat(58)}:v1`));
    expect(long).toBe(`cs-${'x'.repeat(58)}-v`);
    const cut = defaultCatalogSourceName(ImageReference.parse(`quay.io/a/${'x'.repeat(59)}:v1`));
    expect(cut).toBe(`cs-${'x'.repeat(59)}`);
    expect(cut).toHaveLength(62);
    expect(defaultCatalogSourceName(ImageReference.parse('quay.io/a/my_index:V4.19__x'))).toBe('cs-my-index-v4-19-x');
  });
});

describe('ImageSetConfiguration: optional keys', () => {
  test('writes no key for an unset option or an empty list', () => {
    // GIVEN empty lists and unset options everywhere
    const c = content({
      releases: { release: 'quay.io/openshift-release-dev/ocp-release:4.19.0-x86_64', channels: [], architectures: [] },
      operators: [
        {
          catalog: 'registry.redhat.io/redhat/redhat-operator-index:v4.19',
          packages: [
            { name: 'a', channels: [] },
            { name: 'b', channels: [{ name: 'stable', maxVersion: '1.2.3' }] },
          ],
        },
        { catalog: 'registry.redhat.io/redhat/certified-operator-index:v4.19', packages: [] },
      ],
      additionalImages: [],
    });
    // THEN only what was set is written
    expect(imageSetConfiguration(c)).toEqual({
      apiVersion: 'mirror.openshift.io/v2alpha1',
      kind: 'ImageSetConfiguration',
      mirror: {
        platform: { release: 'quay.io/openshift-release-dev/ocp-release:4.19.0-x86_64' },
        operators: [
          {
            catalog: 'registry.redhat.io/redhat/redhat-operator-index:v4.19',
            packages: [{ name: 'a' }, { name: 'b', channels: [{ name: 'stable', maxVersion: '1.2.3' }] }],
          },
          { catalog: 'registry.redhat.io/redhat/certified-operator-index:v4.19' },
        ],
      },
    });
  });

  test('writes an empty mirror when there is nothing to mirror', () => {
    expect(imageSetConfiguration(content({ operators: [], additionalImages: [] })).mirror).toEqual({});
  });

  test('writes a channel minimum alone, with the default type', () => {
    const c = content({ releases: { channels: [{ name: 'stable-4.19', minVersion: '4.19.1' }] } });
    expect(imageSetConfiguration(c).mirror).toEqual({
      platform: { channels: [{ name: 'stable-4.19', minVersion: '4.19.1', type: 'ocp' }] },
    });
  });
});

describe('ImageSetConfiguration: every shape refusal names its prop and what to pass', () => {
  const CATALOG = 'registry.redhat.io/redhat/redhat-operator-index:v4.19';
  const cases: [string, Parameters<typeof validateImageSetContent>[0], RegExp][] = [
    ['operators', { operators: 'x' }, /^\[T\] 'operators' must be a list .*; pass a list of \{ catalog, packages \}$/],
    [
      'additionalImages',
      { additionalImages: {} },
      /^\[T\] 'additionalImages' must be a list .*; pass a list of image references$/,
    ],
    [
      'releases',
      { releases: [] },
      /^\[T\] 'releases' must be an object .*; pass \{ channels, graph, kubeVirtContainer \}$/,
    ],
    ['releases.graph', { releases: { graph: 'yes' } }, /^\[T\] 'releases\.graph' must be true or false/],
    [
      'releases.kubeVirtContainer',
      { releases: { kubeVirtContainer: 1 } },
      /^\[T\] 'releases\.kubeVirtContainer' must be true or false/,
    ],
    [
      'releases.channels',
      { releases: { channels: {} } },
      /^\[T\] 'releases\.channels' must be a list .*; pass a list of \{ name, minVersion, maxVersion \}$/,
    ],
    [
      'releases.channels[0]',
      { releases: { channels: ['stable'] } },
      /^\[T\] 'releases\.channels\[0\]' must be an object .*; pass \{ name, minVersion, maxVersion \}$/,
    ],
    [
      'releases.channels[0].name',
      { releases: { channels: [{ name: '' }] } },
      /^\[T\] 'releases\.channels\[0\]\.name' must not be empty .*; pass a name such as "stable-4\.19"$/,
    ],
    [
      'releases.channels[0].shortestPath',
      { releases: { channels: [{ name: 'a', shortestPath: 'no' }] } },
      /^\[T\] 'releases\.channels\[0\]\.shortestPath' must be true or false/,
    ],
    [
      'releases.channels[0].full',
      { releases: { channels: [{ name: 'a', full: 0 }] } },
      /^\[T\] 'releases\.channels\[0\]\.full' must be true or false/,
    ],
    [
      'releases.release',
      { releases: { release: 'quay.io/a/b' } },
      /^\[T\] 'releases\.release' has neither a tag nor a digest/,
    ],
    [
      'releases.architectures',
      { releases: { release: 'quay.io/a/b:1', architectures: 'amd64' } },
      /^\[T\] 'releases\.architectures' must be a list .*; pass a list such as \["amd64"\]$/,
    ],
    [
      'operators[0]',
      { operators: [CATALOG] },
      /^\[T\] 'operators\[0\]' must be an object .*; pass \{ catalog, packages \}$/,
    ],
    [
      'operators[0].full',
      { operators: [{ catalog: CATALOG, full: 'yes' }] },
      /^\[T\] 'operators\[0\]\.full' must be true or false/,
    ],
    [
      'operators[0].skipDependencies',
      { operators: [{ catalog: CATALOG, skipDependencies: 'yes' }] },
      /^\[T\] 'operators\[0\]\.skipDependencies' must be true or false/,
    ],
    [
      'operators[0].catalogSourceName',
      { operators: [{ catalog: CATALOG, catalogSourceName: 5 }] },
      /^\[T\] 'operators\[0\]\.catalogSourceName' must be a string .*; pass a DNS-1123 label such as "cs-redhat-operator-index-v4-19"$/,
    ],
    [
      'operators[0].packages',
      { operators: [{ catalog: CATALOG, packages: 'a' }] },
      /^\[T\] 'operators\[0\]\.packages' must be a list .*; pass a list of \{ name \}$/,
    ],
    [
      'operators[0].packages[0]',
      { operators: [{ catalog: CATALOG, packages: ['a'] }] },
      /^\[T\] 'operators\[0\]\.packages\[0\]' must be an object .*; pass \{ name, channels \}$/,
    ],
    [
      'operators[0].packages[0].name',
      { operators: [{ catalog: CATALOG, packages: [{ name: '' }] }] },
      /^\[T\] 'operators\[0\]\.packages\[0\]\.name' must not be empty .*; pass a name such as "metallb-operator"$/,
    ],
    [
      'operators[0].packages[0].channels',
      { operators: [{ catalog: CATALOG, packages: [{ name: 'a', channels: 'stable' }] }] },
      /^\[T\] 'operators\[0\]\.packages\[0\]\.channels' must be a list .*; pass a list of \{ name \}$/,
    ],
    [
      'operators[0].packages[0].channels[0]',
      { operators: [{ catalog: CATALOG, packages: [{ name: 'a', channels: ['stable'] }] }] },
      /^\[T\] 'operators\[0\]\.packages\[0\]\.channels\[0\]' must be an object .*; pass \{ name \}$/,
    ],
    [
      'operators[0].packages[0].channels[0].name',
      { operators: [{ catalog: CATALOG, packages: [{ name: 'a', channels: [{ name: '' }] }] }] },
      /^\[T\] 'operators\[0\]\.packages\[0\]\.channels\[0\]\.name' must not be empty .*; pass a name such as "stable"$/,
    ],
    [
      'operators[0].packages[0].minVersion',
      { operators: [{ catalog: CATALOG, packages: [{ name: 'a', minVersion: '1' }] }] },
      /^\[T\] 'operators\[0\]\.packages\[0\]\.minVersion' is not a semantic version/,
    ],
    [
      'operators[0].packages[0].channels[0].maxVersion',
      { operators: [{ catalog: CATALOG, packages: [{ name: 'a', channels: [{ name: 's', maxVersion: '1' }] }] }] },
      /^\[T\] 'operators\[0\]\.packages\[0\]\.channels\[0\]\.maxVersion' is not a semantic version/,
    ],
    [
      'operators[1].catalog',
      { operators: [{ catalog: CATALOG }, { catalog: 'registry.redhat.io/redhat/x' }] },
      /^\[T\] 'operators\[1\]\.catalog' has neither a tag nor a digest/,
    ],
  ];
  test.each(cases)('%s', (_prop, props, message) => {
    expect(() => content(props)).toThrow(message);
  });
});
