import { IGNITION_SPEC_VERSIONS, validateIgnition } from '../../lib/ignition/ignition-schema';

describe('validateIgnition', () => {
  test.each(IGNITION_SPEC_VERSIONS)('accepts a minimal %s config', (version) => {
    expect(validateIgnition({ ignition: { version } }, version)).toEqual([]);
  });

  test('reports a field of the wrong type with its JSON pointer', () => {
    // GIVEN a mode written as an octal string, a classic mistake
    const config = { ignition: { version: '3.2.0' }, storage: { files: [{ path: '/etc/x', mode: '0644' }] } };
    // THEN
    expect(validateIgnition(config, '3.2.0')).toEqual([
      { path: '/storage/files/0/mode', message: 'must be integer,null (got "0644")' },
    ]);
  });

  test('reports a missing required field', () => {
    const config = { ignition: { version: '3.4.0' }, storage: { files: [{ mode: 420 }] } };
    expect(validateIgnition(config, '3.4.0')).toContainEqual({
      path: '/storage/files/0',
      message: "missing required field 'path'",
    });
  });

  test('reports fields the spec does not define, which Ignition refuses', () => {
    const config = { ignition: { version: '3.3.0' }, kernelArguments: { shouldExists: ['a'] } };
    expect(validateIgnition(config, '3.3.0')).toEqual([
      { path: '/kernelArguments', message: "unknown field 'shouldExists'" },
    ]);
  });

  test('reports kernelArguments in a 3.2.0 config, which that spec lacks', () => {
    const config = { ignition: { version: '3.2.0' }, kernelArguments: { shouldExist: ['a'] } };
    expect(validateIgnition(config, '3.2.0')).toEqual([{ path: '', message: "unknown field 'kernelArguments'" }]);
  });

  test('reports a version that differs from the schema checked against', () => {
    expect(validateIgnition({ ignition: { version: '3.4.0' } }, '3.2.0')).toEqual([
      { path: '/ignition/version', message: 'must be "3.2.0" (got "3.4.0")' },
    ]);
  });

  test('reports a spec version it has no schema for', () => {
    expect(validateIgnition({}, '3.1.0' as never)).toEqual([
      { path: '', message: 'no schema for Ignition spec "3.1.0"' },
    ]);
  });
});

describe('validateIgnition never echoes secrets', () => {
  test('a password hash or file contents of the wrong type are reported by path, not value', () => {
    // GIVEN a hash given as a list by mistake and a file source of the wrong type
    const hash = '$6$rounds=4096$CorrectHorseBatteryStaple';
    const config = {
      ignition: { version: '3.4.0' },
      passwd: { users: [{ name: 'core', passwordHash: [hash] }] },
      storage: { files: [{ path: '/etc/key', contents: { source: ['data:,secret-key-material'] } }] },
    };
    // WHEN validated
    const issues = validateIgnition(config, '3.4.0');
    // THEN both are found, and neither value appears in any message
    expect(issues.map((i) => i.path)).toEqual(
      expect.arrayContaining(['/passwd/users/0/passwordHash', '/storage/files/0/contents/source']),
    );
    const text = JSON.stringify(issues);
    expect(text).not.toContain('CorrectHorse');
    expect(text).not.toContain('secret-key-material');
    expect(text).toContain('not shown');
  });
});
