import { BaremetalValidationError } from '../../lib/errors';
import { validateAbsolutePath } from '../../lib/private/node-path';

const where = { path: 'site/Thing', prop: 'files[0].path' };

describe('validateAbsolutePath', () => {
  test.each(['/etc/motd', '/etc/modules-load.d/99-kmod.conf', '/a'])('accepts %s', (path) => {
    expect(validateAbsolutePath(path, where)).toBe(path);
  });

  test.each(['etc/motd', '/etc/', '/etc/../root/x', '/etc/./x', '/etc//x', '/etc/a\nb', '', 42, undefined])(
    'refuses %p naming the prop',
    (path) => {
      expect(() => validateAbsolutePath(path, where)).toThrow(BaremetalValidationError);
      expect(() => validateAbsolutePath(path, where)).toThrow(/^\[site\/Thing\] 'files\[0\]\.path' /);
    },
  );
});
