import { parseAllDocuments } from 'yaml';
import { documentValue } from '../../lib/private/yaml-document';

describe('documentValue', () => {
  test('GIVEN a document THEN its value', () => {
    expect(documentValue(parseAllDocuments('a: [1, 2]\n')[0])).toEqual({ value: { a: [1, 2] } });
  });

  test('GIVEN an alias without its anchor THEN the reason, not an exception', () => {
    const { value, error } = documentValue(parseAllDocuments('a: *missing\n')[0]);
    expect(value).toBeUndefined();
    expect(error).toMatch(/missing/);
    expect(error).not.toContain('\n');
  });
});
