import Ajv from 'ajv';
import { describeErrors } from '../../lib/validation/schema-messages';

function errorsOf(schema: object, data: unknown) {
  const validate = new Ajv({ allErrors: true, verbose: true, strict: false }).compile(schema);
  validate(data);
  return describeErrors(validate.errors ?? []);
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
});
