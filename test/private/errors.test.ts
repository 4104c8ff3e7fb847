import { App, Chart } from 'cdk8s';
import { BaremetalValidationError } from '../../lib/errors';
import {
  at,
  child,
  expectArray,
  expectInteger,
  expectNonEmptyString,
  expectObject,
  expectOptionalBoolean,
  expectString,
  fail,
  NOT_SHOWN,
  redacted,
  show,
} from '../../lib/private/errors';

const where = { path: 'site/X', prop: 'p' };

describe('private error helpers', () => {
  test('at and child build dotted and indexed prop names', () => {
    const chart = new Chart(new App(), 'site');
    expect(at(chart, 'host')).toEqual({ path: 'site', prop: 'host' });
    expect(child(child(where, 'hosts'), 2)).toEqual({ path: 'site/X', prop: 'p.hosts[2]' });
  });

  test('show renders values short and on one line, and never a redacted value', () => {
    expect(show('a\nb')).toBe('"a\\nb"');
    // white space stays visible: runs of spaces kept, other white space escaped
    expect(show('a  b')).toBe('"a  b"');
    expect(show('a\u2028b\u00a0')).toBe('"a\\u2028b\\u00a0"');
    expect(show(undefined)).toBe('undefined');
    expect(show(12)).toBe('12');
    expect(show({ a: 1 })).toBe('{"a":1}');
    expect(show('x'.repeat(500)).length).toBeLessThanOrEqual(100);
    expect(show(redacted())).toBe('<redacted>');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(show(cyclic)).toBe('[object Object]');
  });

  test('fail throws the library error', () => {
    expect(() => fail(where, 'is wrong', 1, 'fix it')).toThrow(
      new BaremetalValidationError('site/X', 'p', 'is wrong', '1', 'fix it'),
    );
  });

  test('expect helpers return typed values or fail naming the prop', () => {
    expect(expectString('a', where)).toBe('a');
    expect(() => expectString(1, where)).toThrow(/'p' must be a string/);
    expect(() => expectNonEmptyString('', where)).toThrow(/'p' must not be empty/);
    expect(expectInteger(3, where, 1, 5)).toBe(3);
    expect(() => expectInteger(3.5, where, 1, 5)).toThrow(/'p' must be an integer from 1 to 5/);
    expect(() => expectInteger(9, where, 1, 5)).toThrow(/'p' must be an integer from 1 to 5/);
    expect(expectOptionalBoolean(undefined, where)).toBeUndefined();
    expect(() => expectOptionalBoolean('true', where)).toThrow(/'p' must be true or false/);
    expect(expectArray([1], where)).toEqual([1]);
    expect(() => expectArray('a', where)).toThrow(/'p' must be a list/);
    expect(() => expectObject([], where)).toThrow(/'p' must be an object/);
    expect(() => expectObject(null, where)).toThrow(/'p' must be an object/);
  });
});

describe('show never prints secret material', () => {
  const PEM = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----';

  test('a private key, registry credentials or a URL with credentials is not shown', () => {
    // GIVEN values a user may paste into the wrong prop by mistake
    const values = [
      PEM,
      '{"auths":{"r:5000":{"auth":"dXNlcjpDb3JyZWN0SG9yc2U="}}}',
      'redfish://admin:CorrectHorse@10.0.0.1/x',
    ];
    for (const v of values) {
      // WHEN it is shown in a message, THEN the message says why, not what
      expect(show(v)).toBe(NOT_SHOWN);
    }
    expect(() => fail(where, 'is not a hostname', values[2], 'give a host name')).toThrow(
      `'p' is not a hostname (got ${NOT_SHOWN}); give a host name`,
    );
  });

  test('an object with a credential-named key or secret material inside is not shown', () => {
    expect(show({ user: 'admin', password: 'CorrectHorse' })).toBe(NOT_SHOWN);
    expect(show([{ nested: { key: PEM } }])).toBe(NOT_SHOWN);
    // a key that names a Secret holds none
    expect(show({ credentialsName: 'bmc' })).toBe('{"credentialsName":"bmc"}');
  });

  test('ordinary values and cyclic objects are still shown', () => {
    expect(show('redfish://10.0.0.1/x')).toBe('"redfish://10.0.0.1/x"');
    const cyclic: Record<string, unknown> = { name: 'x' };
    cyclic.self = cyclic;
    expect(show(cyclic)).toBe('[object Object]');
  });
});
