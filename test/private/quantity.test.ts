import { validateStorageSize } from '../../lib/private/quantity';

const where = { path: 'hub/AgentServiceConfig', prop: 'databaseStorage.size' };

describe('validateStorageSize', () => {
  test.each([
    ['10Gi', 10 * 2 ** 30],
    ['500Mi', 500 * 2 ** 20],
    ['1.5G', 1.5e9],
    ['100', 100],
    ['2Ti', 2 * 2 ** 40],
  ])('reads %s as %d bytes', (text, bytes) => {
    expect(validateStorageSize(text, where)).toEqual({ text, bytes });
  });

  test.each(['10GB', '10 Gi', '-1Gi', '0Gi', '0', 'Gi', '1e3', '', 10, undefined])(
    'refuses %p naming the prop',
    (v) => {
      expect(() => validateStorageSize(v, where)).toThrow(/^\[hub\/AgentServiceConfig\] 'databaseStorage\.size' /);
    },
  );
});
