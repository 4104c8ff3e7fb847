import * as fc from 'fast-check';
import { App, Yaml } from 'cdk8s';
import { Document, isScalar, parse, parseAllDocuments, visit } from 'yaml';
import {
  CDK8S_YAML_OPTIONS,
  isAmbiguousString,
  quoteAmbiguousStrings,
  stringifyManifest,
  stringifyManifests,
  withoutMerge,
  YamlWriterOptions,
} from '../../lib/core/yaml-writer';
import { RUNS, SEED, yamlStringMap } from '../arbitraries';
import { build as buildHa } from '../../examples/ha-metallb/main';
import { build as buildTelco } from '../../examples/telco-sno/main';

/** Strings that exercise every quoting rule: YAML 1.1 booleans, numbers, markers, indicators, whitespace. */
const tricky = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.constantFrom(
    '',
    ' ',
    'yes',
    'No',
    'on',
    'OFF',
    'y',
    'n',
    '~',
    'null',
    'true',
    '0755',
    '0x1F',
    '1e3',
    '.5',
    '-.inf',
    '.NaN',
    '1:20',
    '190:20:30',
    '2001-12-14',
    '<<',
    '=',
    '- a',
    '? x',
    '--- doc',
    '...',
    '%YAML',
    '#c',
    'a #b',
    'a: b',
    'a:',
    ':a',
    '@x',
    '`x',
    '!tag',
    '&a',
    '*a',
    '|',
    '>',
    '"q"',
    "'s'",
    'it\'s "q"',
    'x\n',
    '\n',
    '\n\nx',
    'a\n b',
    'a \nb',
    'a\t',
    ' lead',
    'trail ',
    'l1\nl2\n',
    'l1\nl2\n\n',
    '  indented\nnext',
    '\u0085',
    '\u2028',
    '\u00a0x',
    '\x07bell',
    'tab\there',
    'x'.repeat(100),
    `${'word '.repeat(30)}\nnext line`,
    '{a}',
    '[a]',
    'a,b',
    '0o17',
    '+1',
  ),
  fc
    .array(fc.constantFrom('a', ' ', '\n', '\t', ':', '#', '-', '"', "'", 'y', '0', '.', '\\', '\u00e9', '%'), {
      maxLength: 12,
    })
    .map((a) => a.join('')),
);

const key = fc.oneof(tricky, fc.constantFrom('apiVersion', 'kind', 'metadata', 'spec', '<<', 'on', '0'));

/** JSON as ApiObject.toJson() returns it: maps, lists, strings, finite numbers, booleans. */
const { value: json } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    tricky,
    fc.boolean(),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(key, tie('value'), { maxKeys: 4 }),
  ),
}));
const manifest = fc.dictionary(key, json, { maxKeys: 5 });

/**
 * What the yaml package prints for a version and comment hook, with every string that either
 * YAML version reads as another type double-quoted: the reference of the fast path.
 */
function reference(doc: unknown, options: YamlWriterOptions = {}): string {
  const document = new Document(
    doc,
    options.version === '1.2' ? { version: '1.2' } : { ...CDK8S_YAML_OPTIONS, customTags: withoutMerge },
  );
  quoteAmbiguousStrings(document);
  visit(document, {
    Pair(_, pair) {
      if (!options.comment || !isScalar(pair.key) || !isScalar(pair.value)) return;
      const value = pair.value.value;
      if (typeof pair.key.value !== 'string' || (typeof value !== 'number' && typeof value !== 'boolean')) return;
      const text = options.comment(pair.key.value, value);
      if (text !== undefined) pair.value.comment = ` ${text}`;
    },
  });
  return document.toString({ lineWidth: 0 });
}

describe('stringifyManifests', () => {
  test('GIVEN the objects of the examples WHEN written THEN the text is byte for byte cdk8s Yaml.stringify', () => {
    for (const build of [buildHa, buildTelco]) {
      const app = new App();
      const chart = build(app);
      const docs = chart.toJson();
      expect(stringifyManifests(docs)).toBe(Yaml.stringify(...docs));
    }
  });

  test('GIVEN an undefined document THEN it is an empty line, as cdk8s writes it', () => {
    expect(stringifyManifests([{ a: 1 }, undefined, { b: 2 }])).toBe(Yaml.stringify({ a: 1 }, undefined, { b: 2 }));
  });

  test('GIVEN values the fast path leaves alone (null, undefined, long keys) THEN the yaml package prints them', () => {
    const docs = [{ a: null }, { b: undefined }, { ['k'.repeat(1100)]: 1 }, { c: [null, 1] }, 'scalar'];
    for (const doc of docs) expect(stringifyManifest(doc)).toBe(reference(doc));
    expect(stringifyManifest({ a: null, '<<': '0o17' })).toBe('a: null\n"<<": "0o17"\n');
  });

  test('GIVEN either version THEN strings that YAML 1.1 or YAML 1.2 reads as other types are quoted', () => {
    // GIVEN the ConfigMap data of issue 17 and other strings only one YAML version takes for numbers
    const doc = {
      data: { a: 'on', b: 'yes', c: 'y', d: 'off', e: 'n', g: '1_000' },
      mac: '52:54:00:16:00:11',
      mode: '0755',
      octal: '0o17',
      time: '1:30',
      list: ['<<', 'null', '.inf', '2001-12-14', 'Y'],
      '<<': 'merge',
    };
    for (const version of ['1.1', '1.2'] as const) {
      // WHEN written in either version
      const text = stringifyManifest(doc, { version });
      // THEN each is quoted and reads back as the same string under YAML 1.1 and 1.2
      for (const v of ['on', 'yes', 'y', 'off', 'n', '1_000', '52:54:00:16:00:11', '0755', '0o17', '1:30', '<<']) {
        expect(text).toContain(`"${v}"`);
      }
      expect(parse(text, { version: '1.1' })).toEqual(doc);
      expect(parse(text, { version: '1.2' })).toEqual(doc);
    }
    expect(isAmbiguousString('yes')).toBe(true);
    expect(isAmbiguousString('0o17')).toBe(true);
    expect(isAmbiguousString('yess')).toBe(false);
  });

  test('GIVEN a comment hook THEN numbers get a line comment, as a commented yaml Document prints them', () => {
    const doc = { files: [{ path: '/etc/x', mode: 420, contents: { inline: 'a\nb\n' } }], enabled: true };
    const options: YamlWriterOptions = {
      version: '1.2',
      comment: (key, value) => (key === 'mode' && typeof value === 'number' ? `0${value.toString(8)}` : undefined),
    };
    const text = stringifyManifest(doc, options);
    expect(text).toContain('    mode: 420 # 0644\n');
    expect(text).toBe(reference(doc, options));
  });

  test('GIVEN a version that is not 1.1 or 1.2 THEN it is refused with the value', () => {
    expect(() => stringifyManifest({ a: 1 }, { version: '1.3' as '1.2' })).toThrow(
      /\[stringifyManifest\] 'version' is not a YAML version \(got "1.3"\); use '1.1' or '1.2'/,
    );
  });

  describe('properties', () => {
    test('any JSON document, either YAML version, any comment, is printed byte for byte as the yaml package does', () => {
      const comment = fc.option(fc.oneof(tricky, fc.constantFrom('', ' ', '0644', ' x', '#', 'a\nb')), {
        nil: undefined,
      });
      fc.assert(
        fc.property(
          manifest,
          fc.constantFrom<'1.1' | '1.2'>('1.1', '1.2'),
          fc.boolean(),
          comment,
          (doc, version, commented, text) => {
            const options: YamlWriterOptions = { version, comment: commented ? () => text : undefined };
            expect(stringifyManifest(doc, options)).toBe(reference(doc, options));
          },
        ),
        { numRuns: RUNS * 10, seed: SEED },
      );
    });

    test('any JSON manifest without `<<` or YAML 1.2 octals is printed byte for byte as yaml.stringify with the options of cdk8s', () => {
      const differs = (v: unknown): boolean =>
        typeof v === 'string'
          ? v === '<<' || /^[-+]?0o[0-7]+$/.test(v)
          : v !== null && typeof v === 'object' && Object.entries(v).some(([k, x]) => differs(k) || differs(x));
      fc.assert(
        fc.property(fc.array(manifest, { maxLength: 3 }), (docs) => {
          fc.pre(!differs(docs));
          expect(stringifyManifests(docs)).toBe(Yaml.stringify(...docs));
        }),
        { numRuns: RUNS * 10, seed: SEED },
      );
    });

    test('any map of strings, nested or not, reads back the same under YAML 1.1 and YAML 1.2, either version', () => {
      fc.assert(
        fc.property(fc.array(yamlStringMap, { minLength: 1, maxLength: 3 }), (docs) => {
          for (const version of ['1.1', '1.2'] as const) {
            const one = stringifyManifest(docs[0], { version });
            expect(parse(one, { version: '1.1' })).toEqual(docs[0]);
            expect(parse(one, { version: '1.2' })).toEqual(docs[0]);
          }
          const all = stringifyManifests(docs);
          for (const version of ['1.1', '1.2'] as const) {
            expect(parseAllDocuments(all, { version }).map((d) => d.toJS())).toEqual(docs);
          }
        }),
        { numRuns: RUNS * 2, seed: SEED },
      );
    });

    test('a yaml Document passed through quoteAmbiguousStrings (the EIB definition) reads back the same under YAML 1.1 and 1.2', () => {
      fc.assert(
        fc.property(yamlStringMap, (doc) => {
          const document = new Document(doc);
          quoteAmbiguousStrings(document);
          const text = document.toString({ lineWidth: 0 });
          expect(parse(text, { version: '1.1' })).toEqual(doc);
          expect(parse(text, { version: '1.2' })).toEqual(doc);
        }),
        { numRuns: RUNS * 2, seed: SEED },
      );
    });

    test('nested multi-line strings at any depth match too', () => {
      const lines = fc.array(tricky, { minLength: 2, maxLength: 5 }).map((l) => l.join('\n'));
      fc.assert(
        fc.property(fc.array(lines, { minLength: 1, maxLength: 3 }), fc.nat({ max: 4 }), (values, depth) => {
          let doc: unknown = { text: values, first: values[0] };
          for (let i = 0; i < depth; i++) doc = { [`level${i}`]: [doc] };
          expect(stringifyManifest(doc)).toBe(reference(doc));
        }),
        { numRuns: RUNS * 5, seed: SEED },
      );
    });
  });
});
