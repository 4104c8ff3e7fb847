import { At, expectNonEmptyString, fail } from './errors';

/** An absolute path without `.`/`..` parts, empty parts or a trailing slash. */
export function validateAbsolutePath(value: unknown, where: At): string {
  const path = expectNonEmptyString(value, where, 'pass an absolute path such as "/etc/motd"');
  if (
    !path.startsWith('/') ||
    path.endsWith('/') ||
    path
      .slice(1)
      .split('/')
      .some((seg) => seg === '..' || seg === '.' || seg === '') ||
    /[\0\n]/.test(path)
  ) {
    fail(where, 'is not an absolute file path', path, 'use a path such as "/etc/motd" without "." or ".." parts');
  }
  return path;
}
