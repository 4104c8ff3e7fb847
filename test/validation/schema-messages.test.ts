import Ajv from 'ajv';
import {
  DNS1123_LABEL,
  DNS1123_SUBDOMAIN,
  LABEL_VALUE,
  QUALIFIED_NAME,
  QUANTITY,
} from '../../lib/validation/k8s-formats';
import { K8S_FORMATS } from '../../lib/validation/k8s-formats';
import { describeErrors, PATTERN_NAMES, shownValue } from '../../lib/validation/schema-messages';

function errorsOf(schema: object, data: unknown, hide?: (path: string, value: unknown) => boolean) {
  const ajv = new Ajv({ allErrors: true, verbose: true, strict: false });
  for (const [name, format] of Object.entries(K8S_FORMATS)) ajv.addFormat(name, format);
  const validate = ajv.compile(schema);
  validate(data);
  return describeErrors(validate.errors ?? [], hide);
}

describe('describeErrors', () => {
  test('a wrong type names the expected type', () => {
    expect(errorsOf({ type: 'object', properties: { a: { type: 'boolean' } } }, { a: 'yes' })).toEqual([
      { path: '/a', message: 'must be boolean (got "yes")' },
    ]);
  });

  test('an unknown field suggests the close known one', () => {
    const schema = { type: 'object', properties: { bootMACAddress: {} }, additionalProperties: false };
    expect(errorsOf(schema, { bootMacAddress: 'x' })[0].message).toBe(
      "unknown field 'bootMacAddress'; did you mean 'bootMACAddress'?",
    );
  });

  test('the branches of an anyOf are folded into one message', () => {
    const schema = { anyOf: [{ type: 'string' }, { type: 'integer' }] };
    expect(errorsOf(schema, true)).toEqual([
      { path: '', message: 'must satisfy one of: must be string (got true); or must be integer (got true)' },
    ]);
  });

  test('a long value is described by type and size, not shown', () => {
    const long = 'x'.repeat(200);
    expect(errorsOf({ type: 'object', properties: { a: { type: 'boolean' } } }, { a: long })).toEqual([
      { path: '/a', message: 'must be boolean (got a string of 200 characters)' },
    ]);
    expect(
      shownValue(
        '',
        Array.from({ length: 40 }, (_, i) => i),
      ),
    ).toBe('a list of 40 items');
    expect(shownValue('', { a: 'y'.repeat(70) })).toBe('an object with 1 fields');
  });

  test('a value hide() refuses is not shown, in any branch', () => {
    const hide = (path: string) => path === '/password';
    const schema = { type: 'object', properties: { password: { anyOf: [{ type: 'integer' }, { type: 'boolean' }] } } };
    const [problem] = errorsOf(schema, { password: 'hunter2' }, hide);
    expect(problem.message).not.toContain('hunter2');
    expect(problem.message).toContain('a value not shown as it may be secret');
  });
});

const obj = (properties: object, extra: object = {}) => ({ type: 'object', properties, ...extra });

describe('describeErrors: one message per keyword', () => {
  test.each([
    [
      'type with several types',
      obj({ a: { type: ['string', 'integer'] } }),
      { a: true },
      'must be string or integer (got true)',
    ],
    ['required', obj({ a: { type: 'object', required: ['name'] } }), { a: {} }, "missing required field 'name'"],
    ['enum', obj({ a: { enum: ['x', 1] } }), { a: 'y' }, 'must be one of "x", 1 (got "y")'],
    ['const', obj({ a: { const: 'x' } }), { a: 'y' }, 'must be "x" (got "y")'],
    [
      'pattern without a name',
      obj({ a: { type: 'string', pattern: '^a+$' } }),
      { a: 'b' },
      'must match /^a+$/ (got "b")',
    ],
    [
      'format with a meaning',
      obj({ a: { type: 'string', format: 'cidr' } }),
      { a: 'x' },
      'must be a CIDR (address/prefix length) (got "x")',
    ],
    [
      'minLength',
      obj({ a: { type: 'string', minLength: 3 } }),
      { a: 'äb' },
      'must be at least 3 characters long (got 2)',
    ],
    [
      'maxLength',
      obj({ a: { type: 'string', maxLength: 1 } }),
      { a: 'äb' },
      'must be at most 1 characters long (got 2)',
    ],
    ['minimum', obj({ a: { minimum: 1 } }), { a: 0 }, 'must be >= 1 (got 0)'],
    ['maximum', obj({ a: { maximum: 1 } }), { a: 2 }, 'must be <= 1 (got 2)'],
    ['exclusiveMinimum', obj({ a: { exclusiveMinimum: 1 } }), { a: 1 }, 'must be > 1 (got 1)'],
    ['exclusiveMaximum', obj({ a: { exclusiveMaximum: 1 } }), { a: 1 }, 'must be < 1 (got 1)'],
    ['multipleOf', obj({ a: { multipleOf: 4 } }), { a: 6 }, 'must be a multiple of 4 (got 6)'],
    ['minItems', obj({ a: { minItems: 2 } }), { a: [1] }, 'must have at least 2 items (got 1)'],
    ['maxItems', obj({ a: { maxItems: 1 } }), { a: [1, 2] }, 'must have at most 1 items (got 2)'],
    ['minProperties', obj({ a: { minProperties: 2 } }), { a: { x: 1 } }, 'must have at least 2 fields (got 1)'],
    ['maxProperties', obj({ a: { maxProperties: 1 } }), { a: { x: 1, y: 2 } }, 'must have at most 1 fields (got 2)'],
    [
      'uniqueItems',
      obj({ a: { uniqueItems: true } }),
      { a: [1, 2, 1] },
      'must not repeat a value (items 0 and 2 are equal)',
    ],
    ['not', obj({ a: { not: { const: 1 } } }), { a: 1 }, 'must not match the excluded form (got 1)'],
    ['another keyword', obj({ a: { if: { const: 1 }, then: { const: 2 } } }), { a: 1 }, 'must be 2 (got 1)'],
  ])('%s', (_name, schema, data, message) => {
    expect(errorsOf(schema, data)).toContainEqual({ path: '/a', message });
  });

  test("a keyword without a message of its own keeps ajv's message", () => {
    const schema = obj({ a: { dependencies: { x: ['y'] } } });
    expect(errorsOf(schema, { a: { x: 1 } })).toEqual([
      { path: '/a', message: 'must have property y when property x is present' },
    ]);
  });

  test('a format without a meaning of its own is named', () => {
    expect(errorsOf(obj({ a: { type: 'string', format: 'uuid4' } }), { a: 'x' })).toEqual([
      { path: '/a', message: 'must be a valid uuid4 (got "x")' },
    ]);
  });

  test.each([
    ['int32', 'a 32-bit integer'],
    ['int64', 'a 64-bit integer'],
  ])('the number format %s is named: %s', (format, meaning) => {
    expect(errorsOf(obj({ a: { type: 'number', format } }), { a: 1.5 })).toEqual([
      { path: '/a', message: `must be ${meaning} (got 1.5)` },
    ]);
  });

  test.each([
    ['byte', 'base64-encoded data'],
    ['datetime', 'an RFC 3339 date-time'],
    ['date', 'a date (YYYY-MM-DD)'],
    ['uri', 'an absolute URI'],
    ['ipv4', 'an IPv4 address'],
    ['ipv6', 'an IPv6 address'],
    ['cidr', 'a CIDR (address/prefix length)'],
    ['mac', 'a MAC address'],
    ['duration', "a duration such as '30s' or '1h30m'"],
    ['k8sshortname', PATTERN_NAMES[DNS1123_LABEL]],
    ['k8slongname', PATTERN_NAMES[DNS1123_SUBDOMAIN]],
    ['k8sipsloppy', 'an IP address'],
  ])('the string format %s is named: %s', (format, meaning) => {
    expect(errorsOf(obj({ a: { type: 'string', format } }), { a: '?' })).toEqual([
      { path: '/a', message: `must be ${meaning} (got "?")` },
    ]);
  });

  test.each([
    [
      DNS1123_SUBDOMAIN,
      "a DNS-1123 subdomain (lowercase letters, digits, '-' and '.', starting and ending with a letter or digit)",
    ],
    [DNS1123_LABEL, "a DNS-1123 label (lowercase letters, digits and '-', starting and ending with a letter or digit)"],
    [LABEL_VALUE, "a label value (letters, digits, '-', '_' and '.', starting and ending with a letter or digit)"],
    [QUALIFIED_NAME, "a qualified name ([dns-subdomain/]name, the name of letters, digits, '-', '_' and '.')"],
    [QUANTITY, 'a Kubernetes quantity such as 500m, 8Gi or 1.5'],
  ])('a known pattern is named, not shown: %s', (pattern, meaning) => {
    expect(errorsOf(obj({ a: { type: 'string', pattern } }), { a: '-?-' })).toEqual([
      { path: '/a', message: `must be ${meaning} (got "-?-")` },
    ]);
  });

  test('a key refused by propertyNames is named once, without the value', () => {
    const schema = obj({ labels: { type: 'object', propertyNames: { pattern: DNS1123_LABEL, maxLength: 3 } } });
    expect(errorsOf(schema, { labels: { Bad_Key: 'v' } })).toEqual([
      { path: '/labels', message: "key 'Bad_Key' must be at most 3 characters long (got 7)" },
      { path: '/labels', message: `key 'Bad_Key' must be ${PATTERN_NAMES[DNS1123_LABEL]}` },
    ]);
  });

  test('counts of something that is not a list or an object name its type', () => {
    const validateFake = [
      { keyword: 'minItems', instancePath: '/a', schemaPath: '#/minItems', params: {}, schema: 1, data: 'x' },
      {
        keyword: 'maxProperties',
        instancePath: '/b',
        schemaPath: '#/maxProperties',
        params: {},
        schema: 1,
        data: [1, 2],
      },
      {
        keyword: 'minProperties',
        instancePath: '/c',
        schemaPath: '#/minProperties',
        params: {},
        schema: 1,
        data: null,
      },
      { keyword: 'maxLength', instancePath: '/d', schemaPath: '#/maxLength', params: {}, schema: 1, data: 5 },
      { keyword: 'bespoke', instancePath: '/e', schemaPath: '#/bespoke', params: {} },
    ];
    expect(describeErrors(validateFake as never)).toEqual([
      { path: '/a', message: 'must have at least 1 items (got string)' },
      { path: '/b', message: 'must have at most 1 fields (got object)' },
      { path: '/c', message: 'must have at least 1 fields (got object)' },
      { path: '/d', message: 'must be at most 1 characters long (got undefined)' },
      { path: '/e', message: "fails 'bespoke'" },
    ]);
  });

  test('the same message at the same path is given once', () => {
    const e = { keyword: 'required', instancePath: '/a', schemaPath: '#/required', params: { missingProperty: 'x' } };
    expect(describeErrors([e, { ...e }, { ...e, instancePath: '/b' }] as never)).toEqual([
      { path: '/a', message: "missing required field 'x'" },
      { path: '/b', message: "missing required field 'x'" },
    ]);
  });
});

describe('describeErrors: unknown fields', () => {
  const schema = (known: string[]) => ({
    type: 'object',
    properties: Object.fromEntries(known.map((k) => [k, {}])),
    additionalProperties: false,
  });

  test('a field that differs only in case is matched before a closer spelling', () => {
    expect(errorsOf(schema(['hostname', 'HostNames']), { HOSTNAMES: 1 })[0].message).toBe(
      "unknown field 'HOSTNAMES'; did you mean 'HostNames'?",
    );
  });

  test('the allowed edit distance grows with the field: none up to 2 letters, 1 up to 5, 2 from 6 on', () => {
    const hint = (field: string, known: string) => errorsOf(schema([known]), { [field]: 1 })[0].message;
    expect(hint('ab', 'ax')).toBe("unknown field 'ab'");
    expect(hint('abc', 'abx')).toBe("unknown field 'abc'; did you mean 'abx'?");
    expect(hint('abcde', 'abxde')).toBe("unknown field 'abcde'; did you mean 'abxde'?");
    expect(hint('abcde', 'abxye')).toBe("unknown field 'abcde'");
    expect(hint('abcdef', 'abxyef')).toBe("unknown field 'abcdef'; did you mean 'abxyef'?");
    expect(hint('abcdef', 'abcdefgh')).toBe("unknown field 'abcdef'; did you mean 'abcdefgh'?");
    expect(hint('abcdef', 'abxyzf')).toBe("unknown field 'abcdef'");
    expect(hint('abcdefghijkl', 'abcdefghixyz')).toBe("unknown field 'abcdefghijkl'");
    expect(hint('abcdefghijkl', 'abcdefghijxy')).toBe("unknown field 'abcdefghijkl'; did you mean 'abcdefghijxy'?");
    expect(hint('replicas', 'replica')).toBe("unknown field 'replicas'; did you mean 'replica'?");
    expect(hint('replicas', 'replicasXXXX')).toBe("unknown field 'replicas'");
  });

  test('the closest of several known fields wins, the first on a tie', () => {
    const msg = errorsOf(schema(['abcdxy', 'abcdex', 'abcdey']), { abcdef: 1 })[0].message;
    expect(msg).toBe("unknown field 'abcdef'; did you mean 'abcdex'?");
    const later = errorsOf(schema(['abxyzf', 'abcdxf']), { abcdef: 1 })[0].message;
    expect(later).toBe("unknown field 'abcdef'; did you mean 'abcdxf'?");
  });

  test('an object that takes no fields says so; one with fields and no close match gives no hint', () => {
    expect(errorsOf({ type: 'object', additionalProperties: false }, { x: 1 })).toEqual([
      { path: '', message: "unknown field 'x'; this object takes no fields" },
    ]);
    expect(errorsOf(schema(['name']), { zzzzzzzz: 1 })).toEqual([{ path: '', message: "unknown field 'zzzzzzzz'" }]);
  });
});

describe('describeErrors: alternatives', () => {
  test('a oneOf that more than one branch matches names the matching branches', () => {
    const schema = { oneOf: [{ type: 'integer' }, { minimum: 0 }, { type: 'string' }] };
    expect(errorsOf(schema, 3)).toEqual([
      { path: '', message: 'must match exactly one of 3 alternatives (matches 0 and 1)' },
    ]);
  });

  test('a oneOf that no branch matches lists the branches, each with all its problems, paths relative to the group', () => {
    const schema = {
      type: 'object',
      properties: {
        a: {
          oneOf: [
            { type: 'object', required: ['x', 'y'] },
            { type: 'object', properties: { z: { type: 'string' } } },
          ],
        },
      },
    };
    expect(errorsOf(schema, { a: { z: 1 } })).toEqual([
      {
        path: '/a',
        message:
          "must satisfy one of: missing required field 'x' and missing required field 'y'; or '/z' must be string (got 1)",
      },
    ]);
  });

  test('nested alternatives fold into the outermost group once', () => {
    const schema = { anyOf: [{ anyOf: [{ type: 'string' }, { type: 'integer' }] }, { type: 'boolean' }] };
    expect(errorsOf(schema, null)).toEqual([
      {
        path: '',
        message:
          'must satisfy one of: must be string (got null) and must be integer (got null); or must be boolean (got null)',
      },
    ]);
  });

  test("a branch error outside the group's object keeps its own path", () => {
    const group = { keyword: 'anyOf', instancePath: '/a', schemaPath: '#/anyOf', params: {}, schema: [{}, {}] };
    const branch = {
      keyword: 'required',
      instancePath: '/b',
      schemaPath: '#/anyOf/0/required',
      params: { missingProperty: 'x' },
    };
    expect(describeErrors([branch, group] as never)).toEqual([
      { path: '/a', message: "must satisfy one of: '/b' missing required field 'x'" },
    ]);
  });

  test('errors outside the group stay separate', () => {
    const group = {
      keyword: 'anyOf',
      instancePath: '/a',
      schemaPath: '#/properties/a/anyOf',
      params: {},
      schema: [{}, {}],
    };
    const branch = {
      keyword: 'required',
      instancePath: '/a',
      schemaPath: '#/properties/a/anyOf/1/required',
      params: { missingProperty: 'x' },
    };
    const sibling = {
      keyword: 'required',
      instancePath: '/b',
      schemaPath: '#/properties/a/anyOfX/required',
      params: { missingProperty: 'y' },
    };
    expect(describeErrors([branch, sibling, group] as never)).toEqual([
      { path: '/b', message: "missing required field 'y'" },
      { path: '/a', message: "must satisfy one of: missing required field 'x'" },
    ]);
  });
});

describe('shownValue', () => {
  test('a value is shown up to 64 characters of JSON, then described', () => {
    expect(shownValue('', 'x'.repeat(62))).toBe(JSON.stringify('x'.repeat(62)));
    expect(shownValue('', 'x'.repeat(63))).toBe('a string of 63 characters');
    expect(shownValue('', 'ä'.repeat(70))).toBe('a string of 70 characters');
    expect(shownValue('', 10n ** 80n)).toBe('bigint');
    expect(shownValue('', true)).toBe('true');
  });

  test('hide is asked with the path and the value', () => {
    const asked: unknown[] = [];
    shownValue('/p', 'v', (path, value) => {
      asked.push(path, value);
      return false;
    });
    expect(asked).toEqual(['/p', 'v']);
  });
});

describe('describeErrors: what a branch reports', () => {
  test('a key refused inside a branch is named once, without the propertyNames wrapper', () => {
    const schema = { anyOf: [{ type: 'object', propertyNames: { pattern: '^a' } }, { type: 'string' }] };
    expect(errorsOf(schema, { b: 1 })).toEqual([
      { path: '', message: 'must satisfy one of: key \'b\' must match /^a/; or must be string (got {"b":1})' },
    ]);
  });

  test('a oneOf nested in a branch adds only its own branches', () => {
    const schema = { anyOf: [{ oneOf: [{ type: 'string' }, { type: 'integer' }] }, { type: 'boolean' }] };
    expect(errorsOf(schema, null)).toEqual([
      {
        path: '',
        message:
          'must satisfy one of: must be string (got null) and must be integer (got null); or must be boolean (got null)',
      },
    ]);
  });

  test('branches are told apart by their whole index, past 9', () => {
    const schema = { anyOf: Array.from({ length: 11 }, (_, i) => ({ const: i })) };
    const [problem] = errorsOf(schema, 99);
    expect(problem.message.split('; or ')).toHaveLength(11);
    expect(problem.message).toContain('; or must be 1 (got 99); or ');
    expect(problem.message).toMatch(/; or must be 10 \(got 99\)$/);
  });
});
