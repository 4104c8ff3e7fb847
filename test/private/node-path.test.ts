import { validateAbsolutePath } from '../../lib/private/node-path';

const where = { path: 'test', prop: 'path' };

describe('validateAbsolutePath', () => {
  test('accepts absolute paths', () => {
    for (const p of ['/etc/motd', '/usr/local/lib/kvc/simple-kmod-lib.sh', '/etc/systemd/system/kvc@.service']) {
      expect(validateAbsolutePath(p, where)).toBe(p);
    }
  });

  test('fails for the root, relative paths, dot parts, empty parts, a trailing slash, NUL or newline', () => {
    for (const p of ['/', 'etc/motd', './x', '/etc/../x', '/etc/./x', '/etc//x', '/etc/', '/a\nb', '/a\0b']) {
      expect(() => validateAbsolutePath(p, where)).toThrow(/\[test\] 'path' is not an absolute file path/);
    }
  });

  test('fails for a value that is not a non-empty string', () => {
    expect(() => validateAbsolutePath('', where)).toThrow(/'path' must not be empty/);
    expect(() => validateAbsolutePath(7, where)).toThrow(/'path' must be a string/);
  });
});
