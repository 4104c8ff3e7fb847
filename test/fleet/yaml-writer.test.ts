import * as fc from 'fast-check';
import { App, Yaml } from 'cdk8s';
import { stringify } from 'yaml';
import { CDK8S_YAML_OPTIONS, stringifyManifest, stringifyManifests } from '../../lib/fleet/yaml-writer';
import { RUNS, SEED } from '../arbitraries';
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
    for (const doc of docs) expect(stringifyManifest(doc)).toBe(stringify(doc, CDK8S_YAML_OPTIONS));
  });

  describe('properties', () => {
    test('any JSON manifest is printed byte for byte as yaml.stringify with the options of cdk8s', () => {
      fc.assert(
        fc.property(fc.array(manifest, { maxLength: 3 }), (docs) => {
          expect(stringifyManifests(docs)).toBe(Yaml.stringify(...docs));
        }),
        { numRuns: RUNS * 10, seed: SEED },
      );
    });

    test('nested multi-line strings at any depth match too', () => {
      const lines = fc.array(tricky, { minLength: 2, maxLength: 5 }).map((l) => l.join('\n'));
      fc.assert(
        fc.property(fc.array(lines, { minLength: 1, maxLength: 3 }), fc.nat({ max: 4 }), (values, depth) => {
          let doc: unknown = { text: values, first: values[0] };
          for (let i = 0; i < depth; i++) doc = { [`level${i}`]: [doc] };
          expect(stringifyManifest(doc)).toBe(stringify(doc, CDK8S_YAML_OPTIONS));
        }),
        { numRuns: RUNS * 5, seed: SEED },
      );
    });
  });
});
