import { BaremetalValidationError } from '../../lib/errors';
import { BuildSecret, expectOptionalBuildSecret } from '../../lib/eib/build-secret';

const WHERE = { path: 'site/Image', prop: 'sccRegistrationCode' };

describe('BuildSecret', () => {
  test('names an environment variable and writes only its placeholder', () => {
    // GIVEN / WHEN
    const secret = BuildSecret.fromEnv('ROOT_PASSWORD_HASH');
    // THEN
    expect(secret.name).toBe('ROOT_PASSWORD_HASH');
    expect(secret.placeholder).toBe('${ROOT_PASSWORD_HASH}');
    expect(`${secret}`).toBe('${ROOT_PASSWORD_HASH}');
  });

  test('accepts lower-case and underscore names', () => {
    expect(BuildSecret.fromEnv('_scc_code_2').placeholder).toBe('${_scc_code_2}');
  });

  test('fails when the name is not an environment variable name', () => {
    for (const name of ['1ROOT', 'ROOT-HASH', '${ROOT}', 'ROOT HASH', '']) {
      expect(() => BuildSecret.fromEnv(name)).toThrow(
        /^\[BuildSecret\.fromEnv\] 'name' is not an environment variable name \(got .*\); use letters, digits and "_"/,
      );
    }
  });

  test('fails when the name is not a string', () => {
    expect(() => BuildSecret.fromEnv(42 as never)).toThrow(/'name' must be a string \(got 42\)/);
  });
});

describe('expectOptionalBuildSecret', () => {
  test('passes a BuildSecret and undefined through', () => {
    const secret = BuildSecret.fromEnv('SCC_REGISTRATION_CODE');
    expect(expectOptionalBuildSecret(secret, WHERE, 'SCC_REGISTRATION_CODE')).toBe(secret);
    expect(expectOptionalBuildSecret(undefined, WHERE, 'SCC_REGISTRATION_CODE')).toBeUndefined();
  });

  test('fails when given a literal value, without repeating it', () => {
    // GIVEN a registration code typed in
    const literal = 'INTERNAL-USE-ONLY-1234-5678';
    // WHEN / THEN
    let error: unknown;
    try {
      expectOptionalBuildSecret(literal, WHERE, 'SCC_REGISTRATION_CODE');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(BaremetalValidationError);
    expect((error as Error).message).toBe(
      "[site/Image] 'sccRegistrationCode' is a literal value, which would be written into git (got <redacted>); pass BuildSecret.fromEnv('SCC_REGISTRATION_CODE') and let the build pipeline set SCC_REGISTRATION_CODE from its secret store",
    );
    expect((error as Error).message).not.toContain(literal);
  });

  test('fails when given something else', () => {
    expect(() => expectOptionalBuildSecret({ name: 'X' }, WHERE, 'X')).toThrow(
      /'sccRegistrationCode' must be a BuildSecret \(got <redacted>\)/,
    );
  });
});
