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
});
