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
