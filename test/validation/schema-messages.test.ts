import Ajv from 'ajv';
import { describeErrors, shownValue } from '../../lib/validation/schema-messages';

function errorsOf(schema: object, data: unknown, hide?: (path: string, value: unknown) => boolean) {
  const validate = new Ajv({ allErrors: true, verbose: true, strict: false }).compile(schema);
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
