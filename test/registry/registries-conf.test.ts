import { parse } from 'smol-toml';
import { renderRegistriesConf } from '../../lib/registry/registries-conf';

describe('renderRegistriesConf', () => {
  test('writes search registries, registries and mirrors with the v2 key names', () => {
    // GIVEN the seed's custom-registries content
    const text = renderRegistriesConf({
      unqualifiedSearchRegistries: ['registry.access.redhat.com', 'docker.io'],
      registries: [
        {
          prefix: '',
          location: 'registry.redhat.io/openshift4',
          mirrorByDigestOnly: true,
          mirrors: [{ location: 'registry.dns.base.domain.name:5000/openshift4' }],
        },
      ],
    });
    // THEN it reads back as the same meaning
    expect(parse(text)).toEqual({
      'unqualified-search-registries': ['registry.access.redhat.com', 'docker.io'],
      registry: [
        {
          prefix: '',
          location: 'registry.redhat.io/openshift4',
          'mirror-by-digest-only': true,
          mirror: [{ location: 'registry.dns.base.domain.name:5000/openshift4' }],
        },
      ],
    });
    expect(text.endsWith('\n') && !text.endsWith('\n\n')).toBe(true);
  });

  test('writes insecure, blocked and pull-from-mirror only when set', () => {
    const doc = parse(
      renderRegistriesConf({
        registries: [
          {
            location: 'docker.io/library',
            blocked: true,
            mirrors: [{ location: 'registry.example.com/library', insecure: true, pullFromMirror: 'tag-only' }],
          },
          { location: 'registry.example.com', insecure: true },
        ],
      }),
    );
    expect(doc).toEqual({
      registry: [
        {
          prefix: '',
          location: 'docker.io/library',
          blocked: true,
          mirror: [{ location: 'registry.example.com/library', insecure: true, 'pull-from-mirror': 'tag-only' }],
        },
        { prefix: '', location: 'registry.example.com', insecure: true },
      ],
    });
  });

  test('quotes values that TOML needs quoted', () => {
    const doc = parse(renderRegistriesConf({ registries: [{ location: 'a.example.com/"x"' }] }));
    expect((doc.registry as { location: string }[])[0].location).toBe('a.example.com/"x"');
  });

  test('fails when a location carries a scheme', () => {
    expect(() => renderRegistriesConf({ registries: [{ location: 'https://quay.io/a' }] })).toThrow(
      /\[renderRegistriesConf\] 'conf.registries\[0\].location' carries a URL scheme/,
    );
  });

  test('fails when a search registry has a path', () => {
    expect(() => renderRegistriesConf({ unqualifiedSearchRegistries: ['quay.io/openshift'], registries: [] })).toThrow(
      /'conf.unqualifiedSearchRegistries\[0\]' is not host\[:port\]/,
    );
  });

  test('fails when two entries share a prefix', () => {
    expect(() => renderRegistriesConf({ registries: [{ location: 'quay.io/a' }, { location: 'quay.io/a' }] })).toThrow(
      /'conf.registries\[1\].prefix' is used by an earlier entry/,
    );
  });

  test('fails when entries of one location disagree on insecure', () => {
    expect(() =>
      renderRegistriesConf({
        registries: [
          { prefix: 'quay.io/a', location: 'quay.io/a', insecure: true },
          { prefix: 'quay.io/b', location: 'quay.io/a' },
        ],
      }),
    ).toThrow(/'conf.registries\[1\]' disagrees on insecure or blocked/);
  });

  test('fails when pull-from-mirror is combined with mirror-by-digest-only', () => {
    expect(() =>
      renderRegistriesConf({
        registries: [
          {
            location: 'quay.io/a',
            mirrorByDigestOnly: true,
            mirrors: [{ location: 'r.example.com/a', pullFromMirror: 'all' }],
          },
        ],
      }),
    ).toThrow(/'conf.registries\[0\].mirrors\[0\].pullFromMirror' cannot be combined with mirrorByDigestOnly/);
  });

  test('fails when pull-from-mirror is unknown', () => {
    expect(() =>
      renderRegistriesConf({
        registries: [
          { location: 'quay.io/a', mirrors: [{ location: 'r.example.com/a', pullFromMirror: 'some' as never }] },
        ],
      }),
    ).toThrow(/is not a pull-from-mirror value/);
  });

  test('fails when an entry has neither prefix nor location', () => {
    expect(() => renderRegistriesConf({ registries: [{ location: '' }] })).toThrow(/has neither prefix nor location/);
  });

  test('fails when a mirror location is empty', () => {
    expect(() =>
      renderRegistriesConf({ registries: [{ location: 'quay.io/a', mirrors: [{ location: '' }] }] }),
    ).toThrow(/'conf.registries\[0\].mirrors\[0\].location' is not host\[:port\]\[\/path\]/);
  });
  test('writes no key for empty lists', () => {
    // GIVEN empty search registries, an entry with an empty mirror list, and no entries
    const one = parse(
      renderRegistriesConf({ unqualifiedSearchRegistries: [], registries: [{ location: 'quay.io/a', mirrors: [] }] }),
    );
    const none = renderRegistriesConf({ registries: [] });
    // THEN
    expect(one).toEqual({ registry: [{ prefix: '', location: 'quay.io/a' }] });
    expect(none).toBe('\n');
  });

  test('accepts entries of one location that agree on insecure and blocked', () => {
    const doc = parse(
      renderRegistriesConf({
        registries: [
          { prefix: 'quay.io/a', location: 'quay.io/a', insecure: true, blocked: true },
          { prefix: 'quay.io/b', location: 'quay.io/a', insecure: true, blocked: true },
        ],
      }),
    );
    expect((doc.registry as { prefix: string }[]).map((r) => r.prefix)).toEqual(['quay.io/a', 'quay.io/b']);
  });

  test('fails when entries of one location disagree on blocked, and says to align them', () => {
    expect(() =>
      renderRegistriesConf({
        registries: [
          { prefix: 'quay.io/a', location: 'quay.io/a' },
          { prefix: 'quay.io/b', location: 'quay.io/a', blocked: true },
        ],
      }),
    ).toThrow(
      /^\[renderRegistriesConf\] 'conf\.registries\[1\]' disagrees on insecure or blocked with an entry of the same location \(got "quay\.io\/a"\); use the same settings for every entry of a location$/,
    );
  });

  test('every refusal says what to do', () => {
    const cases: [Parameters<typeof renderRegistriesConf>[0], RegExp][] = [
      [
        { unqualifiedSearchRegistries: ['https://quay.io'], registries: [] },
        /'conf\.unqualifiedSearchRegistries\[0\]' is not host\[:port\] .*; give a registry host without scheme or path$/,
      ],
      [
        { registries: [{ location: '' }] },
        /'conf\.registries\[0\]' has neither prefix nor location .*; give the location of the registry or repository$/,
      ],
      [
        { registries: [{ prefix: 'docker://quay.io', location: 'quay.io' }] },
        /'conf\.registries\[0\]\.prefix' carries a URL scheme .*; write host\[:port\]\[\/path\] only$/,
      ],
      [
        { registries: [{ location: 'quay.io/a' }, { prefix: 'quay.io/a', location: 'quay.io/b' }] },
        /'conf\.registries\[1\]\.prefix' is used by an earlier entry .*; merge the entries: the first one would win and the others be ignored$/,
      ],
      [
        { registries: [{ location: 'quay.io/a', mirrors: [{ location: 'https://r.example.com/a' }] }] },
        /'conf\.registries\[0\]\.mirrors\[0\]\.location' is not host\[:port\]\[\/path\] .*; write the mirror location without scheme$/,
      ],
      [
        {
          registries: [
            { location: 'quay.io/a', mirrors: [{ location: 'r.example.com/a', pullFromMirror: 'x' as never }] },
          ],
        },
        /^\[renderRegistriesConf\] 'conf\.registries\[0\]\.mirrors\[0\]\.pullFromMirror' is not a pull-from-mirror value \(got "x"\); use one of all, digest-only, tag-only$/,
      ],
      [
        {
          registries: [
            {
              location: 'quay.io/a',
              mirrorByDigestOnly: true,
              mirrors: [{ location: 'r.example.com/a', pullFromMirror: 'digest-only' }],
            },
          ],
        },
        /'pullFromMirror' cannot be combined with mirrorByDigestOnly .*; use one of the two$|pullFromMirror' cannot be combined with mirrorByDigestOnly .*; use one of the two$/,
      ],
    ];
    for (const [conf, message] of cases) expect(() => renderRegistriesConf(conf)).toThrow(message);
  });

  test('the text starts with its first key, not a blank line', () => {
    const text = renderRegistriesConf({ registries: [{ location: 'quay.io/a' }] });
    expect(text.startsWith('[[registry]]')).toBe(true);
  });
});
