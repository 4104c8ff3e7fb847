import { At, expectNonEmptyString, fail } from '../private/errors';

const IFNAME = /^[A-Za-z0-9_.:-]{1,15}$/;

/**
 * Returns `value` when it is a Linux network interface name: 1–15 characters (IFNAMSIZ), no `/`,
 * no whitespace, not `.` or `..`; `example` shows the kind of name expected in the message.
 */
export function validateInterfaceName(value: unknown, where: At, example = 'ens5'): string {
  const name = expectNonEmptyString(value, where, `pass an interface name such as "${example}"`);
  if (!IFNAME.test(name) || name === '.' || name === '..') {
    fail(where, 'is not a Linux interface name', value, 'use at most 15 letters, digits, "-", "_", "." or ":"');
  }
  return name;
}
