import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { fromDataUrl } from '../../lib/ignition/data-url';
import { IgnitionFiles } from '../../lib/ignition/ignition-files';
import { validateIgnition } from '../../lib/ignition/ignition-schema';
import { KernelModule } from '../../lib/openshift/kernel-module';
import { MachineConfigRole } from '../../lib/openshift/machine-config';
import { validateManifests } from '../../lib/validation/schema-validator';
import { checkConstruct, garbage, mostly } from '../arbitraries';
import { Manifest, testChart } from '../util';

const SEED_UNIT =
  '[Unit]\nRequires=kmods-via-containers@simple-kmod.service\n[Service]\nType=oneshot\nExecStart=/usr/bin/true\n\n[Install]\nWantedBy=multi-user.target';
const CONF = 'KMOD_SOFTWARE_VERSION=dd1a7d4\nKMOD_NAMES="simple-kmod simple-procfs-kmod"\n';

let root: string;

function put(rel: string, contents: string, mode = 0o644): void {
  const p = join(root, rel);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, contents);
  chmodSync(p, mode);
}

/** Seed 003's fake root. */
function fakeRoot(conf: string | null = CONF): string {
  put('etc/systemd/system/kmods-via-containers@.service', '[Unit]\nDescription=kvc %i\n');
  if (conf !== null) put('etc/kvc/simple-kmod.conf', conf);
  put('usr/local/bin/kmods-via-containers', '#!/bin/bash\n', 0o775);
  put('usr/local/lib/kvc/simple-kmod-wrapper.sh', '#!/bin/bash\necho spkut\n', 0o755);
  symlinkSync('../lib/kvc/simple-kmod-wrapper.sh', join(root, 'usr/local/bin/spkut'));
  return root;
}

function files(mc: any): Record<string, { mode: number; text: string }> {
  return Object.fromEntries(
    (mc.spec.config.storage?.files ?? []).map((f: any) => [
      f.path,
      { mode: f.mode, text: Buffer.from(fromDataUrl(f.contents.source, f.contents.compression)).toString() },
    ]),
  );
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'kmod-'));
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('KernelModule', () => {
  describe('out of tree (kmods-via-containers)', () => {
    test('delivers the build tree and the unit that requires the instance at boot, as seed 003 does', () => {
      // GIVEN
      const { chart } = testChart();
      // WHEN
      const kmod = new KernelModule(chart, 'SimpleKmod', {
        role: 'worker',
        name: 'simple-kmod',
        outOfTree: { tree: fakeRoot() },
      });
      // THEN
      const mc = Manifest.of(chart).get('MachineConfig', '10-worker-kvc-simple-kmod');
      expect(mc.metadata.labels).toEqual({ 'machineconfiguration.openshift.io/role': 'worker' });
      expect(mc.spec.config.systemd.units).toEqual([
        { name: 'require-kvc-simple-kmod.service', enabled: true, contents: SEED_UNIT },
      ]);
      expect(files(mc)).toEqual({
        '/etc/kvc/simple-kmod.conf': { mode: 0o644, text: CONF },
        '/etc/systemd/system/kmods-via-containers@.service': { mode: 0o644, text: '[Unit]\nDescription=kvc %i\n' },
        '/usr/local/bin/kmods-via-containers': { mode: 0o755, text: '#!/bin/bash\n' },
        '/usr/local/bin/spkut': { mode: 0o755, text: '#!/bin/bash\necho spkut\n' },
        '/usr/local/lib/kvc/simple-kmod-wrapper.sh': { mode: 0o755, text: '#!/bin/bash\necho spkut\n' },
      });
      expect(mc.spec.config.storage).not.toHaveProperty('links');
      expect(mc.spec.config.storage).not.toHaveProperty('directories');
      expect(validateIgnition(mc.spec.config, '3.2.0')).toEqual([]);
      expect(validateManifests([mc])).toEqual([]);
      expect(kmod.moduleNames).toEqual(['simple-kmod', 'simple-procfs-kmod']);
    });

    test('writes the bundle config given in place of the tree one', () => {
      const { chart } = testChart();
      new KernelModule(chart, 'K', {
        role: 'master',
        name: 'simple-kmod',
        outOfTree: {
          tree: fakeRoot(),
          config: {
            buildContext: 'https://git.example.com/kvc-simple-kmod.git',
            buildFile: 'Dockerfile.rhel',
            softwareVersion: 'v1.2',
            kmodNames: ['simple-kmod'],
          },
        },
      });
      const mc = Manifest.of(chart).get('MachineConfig', '10-master-kvc-simple-kmod');
      expect(files(mc)['/etc/kvc/simple-kmod.conf'].text).toBe(
        'KMOD_CONTAINER_BUILD_CONTEXT="https://git.example.com/kvc-simple-kmod.git"\nKMOD_CONTAINER_BUILD_FILE=Dockerfile.rhel\nKMOD_SOFTWARE_VERSION=v1.2\nKMOD_NAMES="simple-kmod"\n',
      );
    });

    test('takes a tree read already, and extra files such as entitlements', () => {
      const { chart } = testChart();
      new KernelModule(chart, 'K', {
        role: MachineConfigRole.customPool('gpu'),
        name: 'simple-kmod',
        order: 60,
        outOfTree: { tree: IgnitionFiles.fromDirectory(fakeRoot(), { symlinks: 'dereference' }) },
        files: [{ path: '/etc/pki/entitlement/1.pem', contents: 'cert', mode: 0o600 }],
      });
      const mc = Manifest.of(chart).get('MachineConfig', '60-gpu-kvc-simple-kmod');
      expect(files(mc)['/etc/pki/entitlement/1.pem']).toEqual({ mode: 0o600, text: 'cert' });
      expect(files(mc)['/usr/local/bin/kmods-via-containers'].mode).toBe(0o775);
    });

    test('refuses an entitlement key unless secretMaterial is set', () => {
      const key = {
        path: '/etc/pki/entitlement/1-key.pem',
        contents: '-----BEGIN RSA PRIVATE KEY-----\nx\n',
        mode: 0o600,
      };
      const a = testChart();
      new KernelModule(a.chart, 'K', {
        role: 'worker',
        name: 'simple-kmod',
        outOfTree: { tree: fakeRoot() },
        files: [key],
      });
      expect(() => Manifest.of(a.chart)).toThrow(/holds a PEM private key/);
      const b = testChart();
      new KernelModule(b.chart, 'K', {
        role: 'worker',
        name: 'simple-kmod',
        outOfTree: { tree: root },
        files: [key],
        secretMaterial: true,
      });
      expect(Manifest.of(b.chart).get('MachineConfig', '10-worker-kvc-simple-kmod').metadata.annotations).toEqual({
        'cdk8s-baremetal/secret-material': 'opted-in',
      });
    });

    test('can be embedded instead of applied', () => {
      const { chart } = testChart();
      const k = new KernelModule(chart, 'K', {
        role: 'worker',
        name: 'simple-kmod',
        outOfTree: { tree: fakeRoot() },
        applyDirectly: false,
      });
      expect(Manifest.of(chart).objects).toEqual([]);
      expect(k.machineConfig.toYaml()).toContain('name: 10-worker-kvc-simple-kmod');
    });

    test('fails when the tree lacks the kmods-via-containers unit', () => {
      put('etc/kvc/simple-kmod.conf', CONF);
      const { chart } = testChart();
      expect(
        () => new KernelModule(chart, 'K', { role: 'worker', name: 'simple-kmod', outOfTree: { tree: root } }),
      ).toThrow(/'outOfTree.tree' holds no kmods-via-containers@.service in \/etc\/systemd\/system/);
    });

    test('fails when the tree lacks the instance config', () => {
      fakeRoot(null);
      const { chart } = testChart();
      expect(
        () => new KernelModule(chart, 'K', { role: 'worker', name: 'simple-kmod', outOfTree: { tree: root } }),
      ).toThrow(/'outOfTree.tree' holds no \/etc\/kvc\/simple-kmod.conf, the config of instance simple-kmod/);
    });

    test('fails when the config names no module or a bad module', () => {
      fakeRoot('KMOD_SOFTWARE_VERSION=1\n');
      const { chart } = testChart();
      expect(
        () => new KernelModule(chart, 'K', { role: 'worker', name: 'simple-kmod', outOfTree: { tree: root } }),
      ).toThrow(/names no module in KMOD_NAMES/);
      expect(
        () =>
          new KernelModule(chart, 'K2', {
            role: 'worker',
            name: 'simple-kmod',
            outOfTree: {
              tree: root,
              config: { buildContext: 'x', softwareVersion: '1', kmodNames: ['simple kmod'] },
            },
          }),
      ).toThrow(/'outOfTree.config.kmodNames\[0\]' is not a kernel module name/);
    });

    test('fails when a config value holds spaces or the module list is empty', () => {
      fakeRoot();
      const { chart } = testChart();
      const make = (config: object) => () =>
        new KernelModule(chart, `K${Math.random()}`, {
          role: 'worker',
          name: 'simple-kmod',
          outOfTree: { tree: root, config: config as never },
        });
      expect(make({ buildContext: 'a b', softwareVersion: '1', kmodNames: ['m'] })).toThrow(
        /'outOfTree.config.buildContext' holds spaces, quotes/,
      );
      expect(make({ buildContext: 'a', softwareVersion: '1', kmodNames: [] })).toThrow(
        /'outOfTree.config.kmodNames' is empty/,
      );
    });

    test('fails when in-tree props are given', () => {
      fakeRoot();
      const { chart } = testChart();
      expect(
        () =>
          new KernelModule(chart, 'K', {
            role: 'worker',
            name: 'simple-kmod',
            outOfTree: { tree: root },
            options: { a: 1 },
          }),
      ).toThrow(/'options' cannot be set for an out-of-tree module here/);
      expect(
        () =>
          new KernelModule(chart, 'K2', {
            role: 'worker',
            name: 'simple-kmod',
            outOfTree: { tree: root },
            loadAtBoot: true,
          }),
      ).toThrow(/'loadAtBoot' is for in-tree modules/);
    });

    test('fails when the tree is missing', () => {
      const { chart } = testChart();
      expect(
        () =>
          new KernelModule(chart, 'K', {
            role: 'worker',
            name: 'simple-kmod',
            outOfTree: { tree: join(root, 'none') },
          }),
      ).toThrow(/'path' is not a folder/);
    });
  });

  describe('in tree', () => {
    test('loads the module at boot and writes its options', () => {
      const { chart } = testChart();
      new KernelModule(chart, 'IpVs', { role: 'worker', name: 'ip_vs', options: { conn_tab_bits: 15, debug: false } });
      const mc = Manifest.of(chart).get('MachineConfig', '50-worker-kmod-ip-vs');
      expect(files(mc)).toEqual({
        '/etc/modules-load.d/ip_vs.conf': { mode: 0o644, text: 'ip_vs\n' },
        '/etc/modprobe.d/ip_vs.conf': { mode: 0o644, text: 'options ip_vs conn_tab_bits=15 debug=0\n' },
      });
      expect(mc.spec.config).not.toHaveProperty('systemd');
    });

    test('writes only options when the module is loaded otherwise', () => {
      const { chart } = testChart();
      new KernelModule(chart, 'Vfio', {
        role: 'master',
        name: 'vfio_pci',
        options: { ids: '8086:154c' },
        loadAtBoot: false,
      });
      const mc = Manifest.of(chart).get('MachineConfig', '50-master-kmod-vfio-pci');
      expect(Object.keys(files(mc))).toEqual(['/etc/modprobe.d/vfio_pci.conf']);
    });

    test('fails when the module name is not a module name', () => {
      const { chart } = testChart();
      expect(() => new KernelModule(chart, 'K', { role: 'worker', name: 'ip vs' })).toThrow(
        /\[test\/K\] 'name' is not a kernel module name \(got "ip vs"\)/,
      );
      expect(() => new KernelModule(chart, 'K2', { role: 'worker', name: '../x' })).toThrow(
        /is not a kernel module name/,
      );
    });

    test('fails when the role does not exist', () => {
      const { chart } = testChart();
      expect(() => new KernelModule(chart, 'K', { role: 'infra' as never, name: 'ip_vs' })).toThrow(
        /'role' is not a pool role of the cluster \(got "infra"\)/,
      );
    });

    test('fails when an option name or value is wrong', () => {
      const { chart } = testChart();
      expect(() => new KernelModule(chart, 'K', { role: 'worker', name: 'm', options: { 'a-b': 1 } })).toThrow(
        /'options.a-b' is not a module parameter name/,
      );
      expect(() => new KernelModule(chart, 'K2', { role: 'worker', name: 'm', options: { a: 'x y' } })).toThrow(
        /'options.a' is not a module parameter value/,
      );
      expect(() => new KernelModule(chart, 'K3', { role: 'worker', name: 'm', options: { a: NaN } })).toThrow(
        /'options.a' is a number that is not a whole number JavaScript holds exactly \(got NaN\)/,
      );
    });

    test('writes whole-number options as typed, and refuses numbers String() would rewrite', () => {
      const { chart } = testChart();
      new KernelModule(chart, 'K', {
        role: 'worker',
        name: 'm',
        options: { a: -3, big: '1000000000000000000000', hex: '0x1f' },
      });
      const mc = Manifest.of(chart).get('MachineConfig', '50-worker-kmod-m');
      expect(files(mc)['/etc/modprobe.d/m.conf'].text).toBe('options m a=-3 big=1000000000000000000000 hex=0x1f\n');
      for (const [id, v] of [
        ['K1', 1e21],
        ['K2', 0.5],
        ['K3', 2 ** 53],
      ] as const) {
        expect(() => new KernelModule(chart, id, { role: 'worker', name: 'm', options: { p: v } })).toThrow(
          new RegExp(
            `\\[test/${id}\\] 'options.p' is a number that is not a whole number JavaScript holds exactly \\(got ${String(v).replace('+', '\\+')}\\); module parameters are integers or text: pass the value as a string`,
          ),
        );
      }
    });

    test('takes the exact MachineConfig name of seed 003', () => {
      const { chart } = testChart();
      const kmod = new KernelModule(chart, 'K', {
        role: 'worker',
        name: 'ip_vs',
        machineConfigName: '10-kvc-simple-kmod',
      });
      expect(kmod.machineConfig.machineConfigName).toBe('10-kvc-simple-kmod');
      expect(Manifest.of(chart).get('MachineConfig', '10-kvc-simple-kmod').metadata.labels).toEqual({
        'machineconfiguration.openshift.io/role': 'worker',
      });
      expect(
        () => new KernelModule(chart, 'K2', { role: 'worker', name: 'ip_vs', machineConfigName: 'Bad_Name' }),
      ).toThrow(/\[test\/K2\/MachineConfig\] 'machineConfigName' is not a DNS-1123 subdomain \(got "Bad_Name"\)/);
    });

    test('fails when it would do nothing', () => {
      const { chart } = testChart();
      expect(() => new KernelModule(chart, 'K', { role: 'worker', name: 'm', loadAtBoot: false })).toThrow(
        /'loadAtBoot' is false and no options are set/,
      );
    });

    test('fails when an extra file path is not absolute', () => {
      const { chart } = testChart();
      expect(
        () => new KernelModule(chart, 'K', { role: 'worker', name: 'm', files: [{ path: 'etc/x', contents: '' }] }),
      ).toThrow(/\[test\/K\] 'machineConfig.files.path' is not an absolute file path \(got "etc\/x"\)/);
    });
  });

  describe('properties', () => {
    test('any in-tree props build a valid MachineConfig or throw the library error', () => {
      checkConstruct(
        fc.record({
          role: mostly(fc.constantFrom('worker', 'master')),
          name: mostly(fc.stringMatching(/^[a-z][a-z0-9_]{0,12}$/)),
          options: fc.option(
            mostly(
              fc.dictionary(
                fc.stringMatching(/^[a-z_]{1,8}$/),
                fc.oneof(fc.integer(), fc.boolean(), fc.stringMatching(/^[a-z0-9:]{1,6}$/)),
              ),
            ),
            { nil: undefined },
          ),
          loadAtBoot: fc.option(mostly(fc.boolean()), { nil: undefined }),
          order: fc.option(mostly(fc.integer({ min: 0, max: 99 })), { nil: undefined }),
          files: fc.option(garbage, { nil: undefined }),
        }),
        (p) => {
          const { app, chart } = testChart();
          new KernelModule(chart, 'K', p as never);
          const yaml = app.synthYaml();
          expect(validateManifests(Manifest.of(chart).objects)).toEqual([]);
          return yaml;
        },
      );
    });
  });
});
