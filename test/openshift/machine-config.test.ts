import fc from 'fast-check';
import { parse } from 'yaml';
import { IgnitionConfig } from '../../lib/ignition/ignition-config';
import { validateIgnition } from '../../lib/ignition/ignition-schema';
import {
  DEFAULT_MACHINE_CONFIG_IGNITION_VERSION,
  MACHINE_CONFIG_EXTENSIONS,
  ignitionVersionForOpenShift,
  MachineConfig,
  MachineConfigRole,
} from '../../lib/openshift/machine-config';
import { validateManifests } from '../../lib/validation/schema-validator';
import { checkConstruct, garbage, mostly } from '../arbitraries';
import { Manifest, testChart } from '../util';

const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ7Zb3yQk0c8z0zv1rYy0fJ8m7o7v5qj3m9x4h2q1a0b core@site';

function motd(): IgnitionConfig {
  return new IgnitionConfig().addFile({ path: '/etc/motd', contents: 'managed by cdk8s\n' });
}

describe('MachineConfig', () => {
  test('applies a MachineConfig named <order>-<role>-<name> with the role label and the Ignition config', () => {
    // GIVEN
    const { chart } = testChart();
    // WHEN
    new MachineConfig(chart, 'Motd', { role: 'worker', name: 'motd', config: motd() });
    // THEN
    const mc = Manifest.of(chart).get('MachineConfig', '99-worker-motd');
    expect(mc).toMatchObject({
      apiVersion: 'machineconfiguration.openshift.io/v1',
      metadata: { labels: { 'machineconfiguration.openshift.io/role': 'worker' } },
      spec: {
        config: {
          ignition: { version: DEFAULT_MACHINE_CONFIG_IGNITION_VERSION },
          storage: { files: [{ path: '/etc/motd', mode: 0o644, overwrite: true }] },
        },
      },
    });
    expect(mc.metadata).not.toHaveProperty('namespace');
    expect(validateIgnition(mc.spec.config, '3.2.0')).toEqual([]);
    expect(validateManifests([mc])).toEqual([]);
  });

  test('writes kernel arguments, extensions and the kernel type', () => {
    const { chart } = testChart();
    new MachineConfig(chart, 'Rt', {
      role: 'master',
      name: 'realtime',
      order: 50,
      kernelArguments: ['nosmt', 'hugepagesz=1G'],
      extensions: ['kernel-devel', 'usbguard'],
      kernelType: 'realtime',
      fips: true,
    });
    expect(Manifest.of(chart).get('MachineConfig', '50-master-realtime').spec).toEqual({
      fips: true,
      config: { ignition: { version: '3.2.0' } },
      kernelArguments: ['nosmt', 'hugepagesz=1G'],
      extensions: ['kernel-devel', 'usbguard'],
      kernelType: 'realtime',
    });
  });

  test('pads the ordering prefix to two digits and takes a custom pool', () => {
    const { chart } = testChart();
    new MachineConfig(chart, 'Infra', { role: MachineConfigRole.customPool('infra'), name: 'x', order: 5 });
    expect(Manifest.of(chart).get('MachineConfig', '05-infra-x').metadata.labels).toEqual({
      'machineconfiguration.openshift.io/role': 'infra',
    });
  });

  test('writes the Ignition spec version asked for', () => {
    const { chart } = testChart();
    new MachineConfig(chart, 'M', { role: 'worker', name: 'm', config: motd(), ignitionVersion: '3.4.0' });
    expect(Manifest.of(chart).get('MachineConfig', '99-worker-m').spec.config.ignition.version).toBe('3.4.0');
  });

  test('writes the Ignition spec version of the OpenShift release', () => {
    const { chart } = testChart();
    new MachineConfig(chart, 'A', { role: 'worker', name: 'a', openshiftVersion: '4.16.3' });
    new MachineConfig(chart, 'B', { role: 'worker', name: 'b', openshiftVersion: '4.19', ignitionVersion: '3.2.0' });
    const m = Manifest.of(chart);
    expect(m.get('MachineConfig', '99-worker-a').spec.config.ignition.version).toBe('3.4.0');
    expect(m.get('MachineConfig', '99-worker-b').spec.config.ignition.version).toBe('3.2.0');
  });

  test('maps OpenShift releases to the Ignition versions Butane writes for them', () => {
    expect(['4.8', '4.13.40', '4.14', '4.18', '4.19', '4.21'].map((v) => ignitionVersionForOpenShift(v))).toEqual([
      '3.2.0',
      '3.2.0',
      '3.4.0',
      '3.4.0',
      '3.5.0',
      '3.5.0',
    ]);
    expect(() => ignitionVersionForOpenShift('4.7')).toThrow(/is older than 4.8/);
    expect(() => ignitionVersionForOpenShift('v4.16')).toThrow(/is not an OpenShift 4 release/);
  });

  test('renders files added to its config after construction', () => {
    const { chart } = testChart();
    const mc = new MachineConfig(chart, 'M', { role: 'worker', name: 'm' });
    mc.config.addFile({ path: '/etc/late', contents: 'x' });
    expect(Manifest.of(chart).get('MachineConfig', '99-worker-m').spec.config.storage.files[0].path).toBe('/etc/late');
  });

  test('gives SSH keys to core', () => {
    const { chart } = testChart();
    new MachineConfig(chart, 'Ssh', {
      role: 'worker',
      name: 'ssh',
      config: new IgnitionConfig().addUser({ name: 'core', sshAuthorizedKeys: [KEY] }),
    });
    expect(Manifest.of(chart).get('MachineConfig', '99-worker-ssh').spec.config.passwd).toEqual({
      users: [{ name: 'core', sshAuthorizedKeys: [KEY] }],
    });
  });

  describe('day 1 and NodePool', () => {
    test('emits nothing with applyDirectly false, and gives the object and its YAML', () => {
      // GIVEN
      const { chart } = testChart();
      // WHEN
      const mc = new MachineConfig(chart, 'M', { role: 'worker', name: 'm', config: motd(), applyDirectly: false });
      // THEN
      expect(Manifest.of(chart).objects).toEqual([]);
      expect(mc.resource).toBeUndefined();
      expect(mc.toManifest()).toMatchObject({
        apiVersion: 'machineconfiguration.openshift.io/v1',
        kind: 'MachineConfig',
        metadata: { name: '99-worker-m' },
      });
      expect(parse(mc.toYaml())).toEqual(mc.toManifest());
      expect(mc.fileName).toBe('99-worker-m.yaml');
    });

    test('writes a NodePool config ConfigMap with the MachineConfig YAML under config', () => {
      const { chart } = testChart();
      const mc = new MachineConfig(chart, 'M', { role: 'worker', name: 'm', config: motd(), applyDirectly: false });
      mc.toNodePoolConfigMap(chart, 'NodePoolConfig', { namespace: 'clusters' });
      const cm = Manifest.of(chart).get('ConfigMap', '99-worker-m');
      expect(cm.metadata.namespace).toBe('clusters');
      expect(parse(cm.data.config)).toEqual(mc.toManifest());
      expect(Manifest.of(chart).all('MachineConfig')).toEqual([]);
    });

    test('names the ConfigMap as asked', () => {
      const { chart } = testChart();
      const mc = new MachineConfig(chart, 'M', { role: 'worker', name: 'm', applyDirectly: false });
      mc.toNodePoolConfigMap(chart, 'C', { namespace: 'clusters', name: 'kmods' });
      expect(Manifest.of(chart).ids()).toEqual(['ConfigMap/kmods']);
    });

    test('fails when a NodePool MachineConfig is also applied directly', () => {
      const { chart } = testChart();
      const mc = new MachineConfig(chart, 'M', { role: 'worker', name: 'm' });
      expect(() => mc.toNodePoolConfigMap(chart, 'C', { namespace: 'clusters' })).toThrow(
        /'applyDirectly' is true, so this MachineConfig would also be applied to the management cluster/,
      );
    });

    test('fails when a NodePool MachineConfig is not for workers', () => {
      const { chart } = testChart();
      const mc = new MachineConfig(chart, 'M', { role: 'master', name: 'm', applyDirectly: false });
      expect(() => mc.toNodePoolConfigMap(chart, 'C', { namespace: 'clusters' })).toThrow(
        /'role' is not worker, the only role of a NodePool \(got "master"\)/,
      );
    });

    test('fails when the NodePool namespace is not a namespace', () => {
      const { chart } = testChart();
      const mc = new MachineConfig(chart, 'M', { role: 'worker', name: 'm', applyDirectly: false });
      expect(() => mc.toNodePoolConfigMap(chart, 'C', { namespace: 'Clusters' })).toThrow(
        /'toNodePoolConfigMap.namespace' is not a DNS-1123 label/,
      );
    });
  });

  describe('validation', () => {
    const make = (props: object) => () => {
      const { chart } = testChart();
      new MachineConfig(chart, 'M', { role: 'worker', name: 'm', ...props });
      return chart;
    };

    test('takes an exact name (seed 003: 10-kvc-simple-kmod) in place of <order>-<role>-<name>', () => {
      const { chart } = testChart();
      const mc = new MachineConfig(chart, 'M', { role: 'worker', machineConfigName: '10-kvc-simple-kmod' });
      expect(mc.machineConfigName).toBe('10-kvc-simple-kmod');
      expect(mc.fileName).toBe('10-kvc-simple-kmod.yaml');
      expect(Manifest.of(chart).get('MachineConfig', '10-kvc-simple-kmod').metadata.labels).toEqual({
        'machineconfiguration.openshift.io/role': 'worker',
      });
    });

    test('fails when the exact name is not a DNS-1123 subdomain', () => {
      const { chart } = testChart();
      for (const bad of ['10_kvc', 'Kvc', '-a', 'a'.repeat(254), '']) {
        expect(
          () => new MachineConfig(chart, `M${bad.length}${bad[0]}`, { role: 'worker', machineConfigName: bad }),
        ).toThrow(/'machineConfigName' is not a DNS-1123 subdomain|'machineConfigName' must not be empty/);
      }
    });

    test('fails when the exact name comes with name or order', () => {
      expect(make({ machineConfigName: '10-kvc-simple-kmod' })).toThrow(
        '[test/M] \'name\' is given with machineConfigName, which is the whole object name (got "m"); leave name out, or machineConfigName',
      );
      const { chart } = testChart();
      expect(() => new MachineConfig(chart, 'M', { role: 'worker', machineConfigName: 'x', order: 10 })).toThrow(
        /\[test\/M\] 'order' is given with machineConfigName/,
      );
    });

    test('fails when neither a name nor the exact name is given', () => {
      const { chart } = testChart();
      expect(() => new MachineConfig(chart, 'M', { role: 'worker' })).toThrow(
        /\[test\/M\] 'name' must be a string \(got undefined\); pass what the config does, such as "simple-kmod", or the whole machineConfigName/,
      );
    });

    test('writes YAML that reads back the same under YAML 1.1 and 1.2, whatever the strings', () => {
      fc.assert(
        fc.property(
          fc.array(fc.constantFrom('yes', 'on', 'n', '1_000', '1:30', '0o17', '017', '.inf', 'y', 'nosmt'), {
            maxLength: 5,
          }),
          (args) => {
            const { chart } = testChart();
            const mc = new MachineConfig(chart, 'M', {
              role: 'worker',
              name: 'm',
              kernelArguments: [...new Set(args)],
              applyDirectly: false,
            });
            expect(parse(mc.toYaml(), { version: '1.1' })).toEqual(mc.toManifest());
            expect(parse(mc.toYaml(), { version: '1.2' })).toEqual(mc.toManifest());
          },
        ),
        { numRuns: 30, seed: 17 },
      );
    });

    test('fails when the role is not a pool of the cluster', () => {
      expect(make({ role: 'workers' })).toThrow(
        /\[test\/M\] 'role' is not a pool role of the cluster \(got "workers"\); use 'worker', 'master', or MachineConfigRole.customPool/,
      );
    });

    test('fails when a custom pool is not a label or is built in', () => {
      expect(() => MachineConfigRole.customPool('Infra')).toThrow(/'name' is not a DNS-1123 label/);
      expect(() => MachineConfigRole.customPool('worker')).toThrow(
        /is a built-in pool \(got "worker"\); use MachineConfigRole.WORKER/,
      );
    });

    test('fails when the name does not make an object name', () => {
      expect(make({ name: 'Simple_Kmod' })).toThrow(
        /'name' is not a DNS-1123 subdomain \(got "99-worker-Simple_Kmod"\)/,
      );
      expect(make({ name: '' })).toThrow(/'name' must not be empty/);
    });

    test('fails when the order is outside 0-99', () => {
      expect(make({ order: 100 })).toThrow(/'order' must be an integer from 0 to 99/);
    });

    test('fails when the config is not an IgnitionConfig', () => {
      expect(make({ config: { storage: {} } })).toThrow(/'config' is not an IgnitionConfig/);
    });

    test('fails when the Ignition version is unknown', () => {
      expect(make({ ignitionVersion: '3.1.0' })).toThrow(
        /'ignitionVersion' is not an Ignition spec version this library writes/,
      );
    });

    test('fails when the Ignition version is newer than the release reads', () => {
      expect(make({ openshiftVersion: '4.12', ignitionVersion: '3.4.0' })).toThrow(
        /'ignitionVersion' is newer than 3.2.0, the newest OpenShift 4.12 reads \(got "3.4.0"\)/,
      );
      expect(make({ openshiftVersion: '4.x' })).toThrow(/'openshiftVersion' is not an OpenShift 4 release/);
    });

    test('fails when a kernel argument is not one argument or is doubled', () => {
      expect(make({ kernelArguments: ['a b'] })).toThrow(/'kernelArguments\[0\]' is not one kernel argument/);
      expect(make({ kernelArguments: ['a', 'a'] })).toThrow(/'kernelArguments\[1\]' is given twice/);
      expect(make({ kernelArguments: 'nosmt' })).toThrow(/'kernelArguments' must be a list/);
    });

    test('fails when an extension is unknown or doubled', () => {
      expect(make({ extensions: ['kernel-rt'] })).toThrow(
        /'extensions\[0\]' is not an RHCOS extension the Machine Config Operator installs \(got "kernel-rt"\); use one of two-node-ha/,
      );
      expect(make({ extensions: ['wasm', 'wasm'] })).toThrow(/'extensions\[1\]' is given twice/);
    });

    test('fails when the kernel type is unknown', () => {
      expect(make({ kernelType: 'rt' })).toThrow(/'kernelType' is not a kernel type \(got "rt"\)/);
    });

    test('fails when applyDirectly is not a boolean', () => {
      expect(make({ applyDirectly: 'no' })).toThrow(/'applyDirectly' must be true or false/);
    });

    const synthFails = (config: IgnitionConfig, pattern: RegExp) => {
      const { chart } = testChart();
      new MachineConfig(chart, 'M', { role: 'worker', name: 'm', config });
      expect(() => Manifest.of(chart)).toThrow(pattern);
    };

    test('fails at synth when the config has links', () => {
      synthFails(
        new IgnitionConfig().addLink({ path: '/usr/local/bin/x', target: 'y' }),
        /'config.links' cannot be written by a MachineConfig.*symlinks: 'dereference'/,
      );
    });

    test('fails at synth when the config has directory entries', () => {
      synthFails(
        new IgnitionConfig().addDirectory({ path: '/var/x' }),
        /'config.directories' cannot be written by a MachineConfig/,
      );
    });

    test('fails at synth when the config has a user other than core or other fields of core', () => {
      synthFails(new IgnitionConfig().addUser({ name: 'ops' }), /'config.users' names a user other than core/);
      synthFails(
        new IgnitionConfig().addUser({ name: 'core', groups: ['wheel'] }),
        /'config.users' sets fields of core other than sshAuthorizedKeys and passwordHash/,
      );
    });

    test('fails at synth when the config has Ignition kernel arguments', () => {
      synthFails(
        new IgnitionConfig().addKernelArguments('nosmt'),
        /'config.kernelArguments' are set in the Ignition config.*pass them as the kernelArguments prop/,
      );
    });

    test('fails at synth when a file is below /usr but not /usr/local', () => {
      synthFails(
        new IgnitionConfig().addFile({ path: '/usr/lib/modules-load.d/x.conf', contents: 'x' }),
        /'config.files.path' is below \/usr, which is read-only on RHCOS.*\(got "\/usr\/lib\/modules-load.d\/x.conf"\)/,
      );
      const { chart } = testChart();
      new MachineConfig(chart, 'M', {
        role: 'worker',
        name: 'm',
        config: new IgnitionConfig().addFile({ path: '/usr/local/bin/x', contents: 'x' }),
      });
      expect(() => Manifest.of(chart)).not.toThrow();
    });

    test('fails at synth when a file mode has setuid, setgid or sticky bits', () => {
      synthFails(
        new IgnitionConfig().addFile({ path: '/usr/local/bin/x', contents: 'x', mode: 0o4755 }),
        /'config.files.mode' of \/usr\/local\/bin\/x has setuid, setgid or sticky bits.*\(got "04755"\)/,
      );
    });

    test('fails at synth when a file holds a private key, unless secretMaterial is set', () => {
      const key = new IgnitionConfig().addFile({
        path: '/etc/pki/entitlement/1-key.pem',
        contents: '-----BEGIN RSA PRIVATE KEY-----\nc2VjcmV0\n-----END RSA PRIVATE KEY-----\n',
        mode: 0o600,
      });
      synthFails(key, /file '\/etc\/pki\/entitlement\/1-key.pem' holds a PEM private key/);
      const { chart } = testChart();
      const mc = new MachineConfig(chart, 'M', {
        role: 'worker',
        name: 'm',
        config: key,
        secretMaterial: true,
        applyDirectly: false,
      });
      expect(mc.toManifest()).toMatchObject({
        metadata: { annotations: { 'cdk8s-baremetal/secret-material': 'opted-in' } },
      });
      expect(() => Manifest.of(chart)).not.toThrow();
    });

    test('fails at synth when a NodePool MachineConfig holds a private key', () => {
      const { chart } = testChart();
      const mc = new MachineConfig(chart, 'M', {
        role: 'worker',
        name: 'm',
        applyDirectly: false,
        config: new IgnitionConfig().addFile({ path: '/etc/k', contents: '-----BEGIN PRIVATE KEY-----\n' }),
      });
      mc.toNodePoolConfigMap(chart, 'C', { namespace: 'clusters' });
      expect(() => Manifest.of(chart)).toThrow(/file '\/etc\/k' holds a PEM private key/);
    });

    test('fails when secretMaterial is not a boolean', () => {
      expect(make({ secretMaterial: 1 })).toThrow(/'secretMaterial' must be true or false/);
    });

    test('fails when fips is not a boolean', () => {
      expect(make({ fips: 'yes' })).toThrow(/'fips' must be true or false/);
    });

    test('fails in toManifest with the same message', () => {
      const { chart } = testChart();
      const mc = new MachineConfig(chart, 'M', { role: 'worker', name: 'm', applyDirectly: false });
      mc.config.addDirectory({ path: '/var/x' });
      expect(() => mc.toManifest()).toThrow(/'config.directories' cannot be written by a MachineConfig/);
    });
  });

  describe('properties', () => {
    test('any props build a valid MachineConfig or throw the library error', () => {
      checkConstruct(
        fc.record({
          role: mostly(fc.constantFrom('worker', 'master', 'infra')),
          name: mostly(fc.stringMatching(/^[a-z0-9]([a-z0-9.-]{0,20}[a-z0-9])?$/)),
          order: fc.option(mostly(fc.integer({ min: 0, max: 99 })), { nil: undefined }),
          kernelArguments: fc.option(
            mostly(fc.array(fc.stringMatching(/^[a-z_]{1,8}(=[a-z0-9]{1,3})?$/), { maxLength: 3 })),
            {
              nil: undefined,
            },
          ),
          extensions: fc.option(mostly(fc.subarray(Object.keys(MACHINE_CONFIG_EXTENSIONS))), { nil: undefined }),
          kernelType: fc.option(mostly(fc.constantFrom('default', 'realtime', '64k-pages')), { nil: undefined }),
          ignitionVersion: fc.option(mostly(fc.constantFrom('3.2.0', '3.3.0', '3.4.0', '3.5.0')), { nil: undefined }),
          openshiftVersion: fc.option(mostly(fc.constantFrom('4.12', '4.16.2', '4.19')), { nil: undefined }),
          file: fc.option(mostly(fc.stringMatching(/^(\/[a-z]{1,6}){1,3}$/)), { nil: undefined }),
          noise: fc.option(garbage, { nil: undefined }),
        }),
        (p) => {
          const { app, chart } = testChart();
          const config = new IgnitionConfig();
          if (p.file !== undefined) config.addFile({ path: p.file, contents: 'x' });
          new MachineConfig(chart, 'M', {
            role: (p.role === 'infra' ? MachineConfigRole.customPool('infra') : p.role) as never,
            name: p.name,
            order: p.order,
            kernelArguments: p.kernelArguments,
            extensions: p.extensions,
            kernelType: p.kernelType as never,
            ignitionVersion: p.ignitionVersion as never,
            openshiftVersion: p.openshiftVersion,
            config,
            applyDirectly: p.noise as never,
          });
          const yaml = app.synthYaml();
          expect(validateManifests(Manifest.of(chart).objects)).toEqual([]);
          return yaml;
        },
      );
    });
  });
});
