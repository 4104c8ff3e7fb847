import * as api from '../../lib';
import * as construct from '../../lib/ignition/ignition-config';
import {
  ButaneFcosVersion,
  IgnitionConfigProps,
  IgnitionDirectoryOptions,
  IgnitionDropin,
  IgnitionFileOptions,
  IgnitionKernelArguments,
  IgnitionLinkOptions,
  IgnitionOwner,
  IgnitionUnitOptions,
  IgnitionUserOptions,
} from '../../lib/ignition/ignition-config-options';

/**
 * ignition-config-options.ts holds the option types of IgnitionConfig only (no code). `npx tsc`
 * checks the compile-time half of these tests: the types stay the same types when imported from
 * the construct module or the package entry.
 */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameEverywhere: [
  Same<IgnitionFileOptions, construct.IgnitionFileOptions>,
  Same<IgnitionFileOptions, api.IgnitionFileOptions>,
  Same<IgnitionDirectoryOptions, api.IgnitionDirectoryOptions>,
  Same<IgnitionLinkOptions, api.IgnitionLinkOptions>,
  Same<IgnitionDropin, api.IgnitionDropin>,
  Same<IgnitionUnitOptions, api.IgnitionUnitOptions>,
  Same<IgnitionUserOptions, api.IgnitionUserOptions>,
  Same<IgnitionKernelArguments, api.IgnitionKernelArguments>,
  Same<IgnitionConfigProps, api.IgnitionConfigProps>,
  Same<IgnitionOwner, api.IgnitionOwner>,
  Same<ButaneFcosVersion, api.ButaneFcosVersion>,
] = [true, true, true, true, true, true, true, true, true, true, true];

describe('IgnitionConfig options', () => {
  test('are the same types from the options module, the construct module and the package entry', () => {
    expect(sameEverywhere.every((t) => t)).toBe(true);
  });

  test('their documented defaults are what IgnitionConfig fills in', () => {
    // GIVEN options that leave every optional field out
    const file: IgnitionFileOptions = { path: '/etc/a.conf' };
    const directory: IgnitionDirectoryOptions = { path: '/etc/d' };
    const link: IgnitionLinkOptions = { path: '/usr/local/bin/a', target: '/etc/a.conf' };
    const unit: IgnitionUnitOptions = {
      name: 'a.service',
      contents: '[Service]\n[Install]\nWantedBy=multi-user.target',
    };
    const props: IgnitionConfigProps = {};
    // WHEN they are added
    const config = new construct.IgnitionConfig(props)
      .addFile(file)
      .addDirectory(directory)
      .addLink(link)
      .addUnit(unit);
    // THEN the defaults are the ones the TSDoc states
    expect(config.files).toEqual([{ path: '/etc/a.conf', contents: '', mode: 0o644, overwrite: true }]);
    expect(config.directories).toEqual([{ path: '/etc/d', mode: 0o755 }]);
    expect(config.links).toEqual([{ path: '/usr/local/bin/a', target: '/etc/a.conf', overwrite: true }]);
    const doc = config.toIgnition('3.4.0') as { systemd: { units: { enabled?: boolean }[] } };
    expect(doc.systemd.units[0].enabled).toBe(true);
    expect(config.toButane()).toMatchObject({ variant: 'fcos', version: '1.4.0' });
    // AND an error names the default place, IgnitionConfig's prop config
    expect(() => new construct.IgnitionConfig(props).addFile({ path: 'relative' })).toThrow(
      /^\[IgnitionConfig\] 'config\.files\.path'/,
    );
  });
});
