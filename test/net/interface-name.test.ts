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
