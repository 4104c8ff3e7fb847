import { validateInterfaceName } from '../../lib/net/interface-name';

const where = { path: 'test', prop: 'x' };

describe('validateInterfaceName', () => {
  test('accepts Linux interface names', () => {
    for (const n of ['ens5', 'net1', 'bond0.100', 'enp1s0f0v3', 'a'.repeat(15)]) {
      expect(validateInterfaceName(n, where)).toBe(n);
    }
  });

  test('fails when the name is too long, has a slash or is a dot name', () => {
    for (const n of ['a'.repeat(16), 'eth/0', 'eth 0', '.', '..']) {
      expect(() => validateInterfaceName(n, where)).toThrow(/'x' is not a Linux interface name/);
    }
    expect(() => validateInterfaceName('', where)).toThrow(/'x' must not be empty/);
  });
});

describe('validateInterfaceName: messages say what to do', () => {
  test('an empty name is refused with the example of the caller, or ens5', () => {
    expect(() => validateInterfaceName('', where)).toThrow(
      `[test] 'x' must not be empty (got ""); pass an interface name such as "ens5"`,
    );
    expect(() => validateInterfaceName('', where, 'bond0')).toThrow(/; pass an interface name such as "bond0"$/);
  });

  test('a bad name is refused with the allowed characters', () => {
    expect(() => validateInterfaceName('eth/0', where)).toThrow(
      `[test] 'x' is not a Linux interface name (got "eth/0"); use at most 15 letters, digits, "-", "_", "." or ":"`,
    );
  });

  test('names of one dot or two dots are refused, three dots or a dotted name are accepted', () => {
    expect(() => validateInterfaceName('.', where)).toThrow(/is not a Linux interface name/);
    expect(() => validateInterfaceName('..', where)).toThrow(/is not a Linux interface name/);
    expect(validateInterfaceName('...', where)).toBe('...');
    expect(validateInterfaceName('.a', where)).toBe('.a');
  });
});
