import { InvalidArgumentError } from 'commander';
import { externalArgument } from '../../lib/cli/external-argument';
import { externalArgument as reExported } from '../../lib/cli/validate-command';

describe('externalArgument', () => {
  test('collects declarations in the order given', () => {
    expect(externalArgument('Secret/*-bmc', ['Secret/a'])).toEqual(['Secret/a', 'Secret/*-bmc']);
    expect(externalArgument('Secret/ns/b')).toEqual(['Secret/ns/b']);
  });

  test('fails when a declaration is not Kind/name or Kind/namespace/name, with an example', () => {
    expect(() => externalArgument('Secret')).toThrow(InvalidArgumentError);
    expect(() => externalArgument('Secret')).toThrow(
      /'Secret' is not Kind\/name or Kind\/namespace\/name.*for example Secret\/\*-bmc/,
    );
  });

  test('is the one validate-command exports', () => {
    expect(reExported).toBe(externalArgument);
  });
});
