import { BaremetalValidationError } from '../lib/errors';

test('BaremetalValidationError reads [path] prop problem (got value); fix', () => {
  const e = new BaremetalValidationError(
    'berlin-01/Cluster',
    'vip',
    'is inside the pod CIDR 10.20.0.0/16',
    '"10.20.0.120"',
    'pick an address in the machine network',
  );
  expect(e.message).toBe(
    `[berlin-01/Cluster] 'vip' is inside the pod CIDR 10.20.0.0/16 (got "10.20.0.120"); pick an address in the machine network`,
  );
  expect(e).toBeInstanceOf(Error);
  expect(e.name).toBe('BaremetalValidationError');
  expect(e.path).toBe('berlin-01/Cluster');
  expect(e.prop).toBe('vip');
});
