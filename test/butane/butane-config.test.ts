import { ApiObject, App, Chart } from 'cdk8s';
import * as fc from 'fast-check';
import { parse, parseAllDocuments } from 'yaml';
import { ButaneConfig } from '../../lib/butane/butane-config';
import { BaremetalValidationError } from '../../lib/errors';
import { hostileConfigMap, RUNS, SEED } from '../arbitraries';

/** The text of the file at `path` in a rendered Butane config, read as YAML `version`. */
function embedded(config: ButaneConfig, path: string, version: '1.1' | '1.2'): unknown[] {
  const butane = parse(config.render(), { version }) as {
    storage: { files: { path: string; contents: { inline: string } }[] };
  };
  const file = butane.storage.files.find((f) => f.path === path)!;
  return parseAllDocuments(file.contents.inline, { version }).map((d) => d.toJS());
}

describe('ButaneConfig', () => {
  test('renders fcos 1.4.0 with files, units and kernel arguments in snake_case', () => {
    // GIVEN
    const config = new ButaneConfig();
    // WHEN
    config
      .addFile({ path: '/etc/motd', contents: 'hello\n' })
      .addUnit({
        name: 'hello.service',
        contents: '[Service]\nExecStart=/bin/true\n[Install]\nWantedBy=multi-user.target\n',
      })
      .addKernelArguments('nohz=on', 'skew_tick=1');
    const doc = parse(config.render());
    // THEN
    expect(doc).toMatchObject({
      variant: 'fcos',
      version: '1.4.0',
      storage: {
        files: [
          {
            path: '/etc/motd',
            overwrite: true,
            contents: { inline: 'hello\n' },
            mode: 0o644,
            user: { name: 'root' },
            group: { name: 'root' },
          },
        ],
      },
      systemd: { units: [{ name: 'hello.service', enabled: true }] },
      kernel_arguments: { should_exist: ['nohz=on', 'skew_tick=1'] },
    });
  });

  test('writes modes in decimal with the octal form as a comment', () => {
    const yaml = new ButaneConfig()
      .addFile({ path: '/usr/local/bin/x', contents: '#!/bin/sh\n', mode: 0o755 })
      .render();
    expect(yaml).toMatch(/mode: 493 # 0755/);
  });

  test('leaves enabled unset for a unit without an [Install] section', () => {
    const doc = parse(
      new ButaneConfig().addUnit({ name: 'x.service', contents: '[Service]\nType=oneshot\n' }).render(),
    );
    expect(doc.systemd.units[0]).not.toHaveProperty('enabled');
  });

  test('embeds manifests as multi-document YAML and keeps the objects', () => {
    const config = new ButaneConfig();
    const a = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } };
    const b = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b' } };
    config.addManifests('/var/lib/rancher/rke2/server/manifests/x.yaml', [a, b]);
    const file = parse(config.render()).storage.files[0];
    expect(file.contents.inline).toContain('---\n');
    expect(config.embeddedManifests()).toEqual([
      { path: '/var/lib/rancher/rke2/server/manifests/x.yaml', objects: [a, b] },
    ]);
  });

  test('embeds strings YAML 1.1 reads as booleans or numbers quoted, so RKE2 applies the ConfigMap as written', () => {
    // GIVEN the ConfigMap of issue 17
    const cm = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'flags', namespace: 'default' },
      data: { a: 'on', b: 'yes', c: 'y', d: 'off', e: 'n', g: '1_000' },
    };
    // WHEN embedded
    const config = new ButaneConfig().addManifests('/var/lib/rancher/rke2/server/manifests/flags.yaml', [cm]);
    // THEN a YAML 1.1 reader (Kubernetes) and a YAML 1.2 reader both read the same ConfigMap
    const path = '/var/lib/rancher/rke2/server/manifests/flags.yaml';
    expect(embedded(config, path, '1.1')).toEqual([cm]);
    expect(embedded(config, path, '1.2')).toEqual([cm]);
    expect(config.toObject()).toMatchObject({
      storage: { files: [{ contents: { inline: expect.stringContaining('a: "on"') } }] },
    });
  });

  test('embeds a cdk8s ApiObject as its toJson(), not its construct tree', () => {
    const chart = new Chart(new App(), 'embedded');
    const cm = new ApiObject(chart, 'Cm', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'x' },
      data: { k: 'v' },
    });
    const config = new ButaneConfig().addManifests('/etc/x.yaml', [cm]);
    expect(embedded(config, '/etc/x.yaml', '1.1')).toEqual([cm.toJson()]);
    expect(config.embeddedManifests()[0].objects).toEqual([cm.toJson()]);
    expect(config.render()).not.toContain('_children');
  });

  test('fails when an embedded object is a construct that is not an ApiObject', () => {
    const chart = new Chart(new App(), 'embedded');
    expect(() => new ButaneConfig().addManifests('/etc/x.yaml', [chart])).toThrow(
      "[ButaneConfig] 'config.manifests[0]' is a construct (embedded), not one Kubernetes object (got an instance of Chart); pass ApiObjects or plain objects; for a Chart, pass chart.toJson()",
    );
  });

  test('fails when an embedded object is not a plain Kubernetes object, naming the reason', () => {
    const ok = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } };
    const cases: [object, RegExp][] = [
      [new Map(), /'config.manifests\[0\]' is not a Kubernetes object \(a plain object\) \(got an instance of Map\)/],
      [
        { kind: 'ConfigMap', metadata: { name: 'x' } },
        /'config.manifests\[0\].apiVersion' must be a non-empty string \(got undefined\)/,
      ],
      [{ apiVersion: 'v1', metadata: { name: 'x' } }, /'config.manifests\[0\].kind' must be a non-empty string/],
      [
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: {} },
        /'config.manifests\[0\].metadata.name' must be a non-empty string \(got undefined\); give every object a name/,
      ],
      [{ ...ok, data: { f: () => 1 } }, /'config.manifests\[0\].data.f' is not a JSON value \(got function\)/],
      [{ ...ok, data: { n: NaN } }, /'config.manifests\[0\].data.n' is not a JSON number \(got NaN\)/],
      [
        { ...ok, data: { d: new Date(0) } },
        /'config.manifests\[0\].data.d' is not a JSON value \(got an instance of Date\)/,
      ],
    ];
    for (const [o, message] of cases)
      expect(() => new ButaneConfig().addManifests('/etc/x.yaml', [o])).toThrow(message);
    const cyclic: Record<string, unknown> = { ...ok };
    cyclic.spec = { back: cyclic };
    expect(() => new ButaneConfig().addManifests('/etc/x.yaml', [cyclic])).toThrow(
      /'config.manifests\[0\].spec.back' refers back to an object that contains it/,
    );
  });

  test('properties: any ConfigMap of YAML-hostile strings reads back the same under YAML 1.1 and 1.2', () => {
    fc.assert(
      fc.property(fc.array(hostileConfigMap, { minLength: 1, maxLength: 3 }), (objects) => {
        const config = new ButaneConfig().addManifests('/etc/m.yaml', objects);
        expect(embedded(config, '/etc/m.yaml', '1.1')).toEqual(objects);
        expect(embedded(config, '/etc/m.yaml', '1.2')).toEqual(objects);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  test('renders identically twice', () => {
    const make = () =>
      new ButaneConfig().addFile({ path: '/a', contents: 'x' }).addUnit({ name: 'a.service', contents: 'y' }).render();
    expect(make()).toBe(make());
  });

  test('fails when a path is relative', () => {
    expect(() => new ButaneConfig().addFile({ path: 'etc/motd', contents: '' })).toThrow(
      /'config.files.path' is not an absolute file path \(got "etc\/motd"\)/,
    );
  });

  test('fails when a path is written twice', () => {
    const config = new ButaneConfig().addFile({ path: '/etc/motd', contents: '' });
    expect(() => config.addFile({ path: '/etc/motd', contents: 'again' })).toThrow(
      /'config.files.path' is written twice/,
    );
  });

  test('fails when a mode is out of range', () => {
    expect(() => new ButaneConfig().addFile({ path: '/a', contents: '', mode: 0o17777 })).toThrow(
      /'config.files.mode' is not a permission mode/,
    );
  });

  test('fails when contents is not text', () => {
    expect(() => new ButaneConfig().addFile({ path: '/a', contents: 42 as unknown as string })).toThrow(
      /'config.files.contents' must be a string/,
    );
  });

  test('fails when a user name is invalid', () => {
    expect(() => new ButaneConfig().addFile({ path: '/a', contents: '', user: 'Root Admin' })).toThrow(
      /'config.files.user' is not a user or group name/,
    );
  });

  test('fails when a unit name has no type suffix', () => {
    expect(() => new ButaneConfig().addUnit({ name: 'rke2-preinstall' })).toThrow(
      /'config.units.name' is not a systemd unit name/,
    );
  });

  test('fails when a unit is defined twice', () => {
    const config = new ButaneConfig().addUnit({ name: 'a.service', contents: '' });
    expect(() => config.addUnit({ name: 'a.service', contents: '' })).toThrow(/'config.units.name' is defined twice/);
  });

  test('fails when a drop-in name does not end in .conf', () => {
    expect(() => new ButaneConfig().addUnit({ name: 'a.service', dropins: [{ name: 'x', contents: '' }] })).toThrow(
      /'config.units.dropins\[0\]' is not a drop-in file name/,
    );
  });

  test('fails when a kernel argument is repeated or has stray white space', () => {
    expect(() => new ButaneConfig().addKernelArguments('a=1', 'a=1')).toThrow(
      /'config.kernelArguments' is given twice/,
    );
    expect(() => new ButaneConfig().addKernelArguments('a=1  b=2')).toThrow(
      /'config.kernelArguments' has stray white space/,
    );
    expect(() => new ButaneConfig().addKernelArguments('a=1\tb=2')).toThrow(
      /'config.kernelArguments' has stray white space/,
    );
  });

  test('keeps an ordered group of kernel arguments as one entry', () => {
    const doc = parse(
      new ButaneConfig().addKernelArguments('hugepagesz=1G hugepages=40', 'hugepagesz=2M hugepages=0').render(),
    );
    expect(doc.kernel_arguments.should_exist).toEqual(['hugepagesz=1G hugepages=40', 'hugepagesz=2M hugepages=0']);
  });

  test('fails when embedding no manifests', () => {
    expect(() => new ButaneConfig().addManifests('/a.yaml', [])).toThrow(
      /'config.manifests' must hold at least one object/,
    );
  });

  test('fails when the version is unsupported', () => {
    expect(() => new ButaneConfig({ version: '1.6.0' as '1.5.0' })).toThrow(BaremetalValidationError);
  });

  test('names the construct path given in where', () => {
    const config = new ButaneConfig({ where: { path: 'site/Cluster', prop: 'userData' } });
    expect(() => config.addFile({ path: 'x', contents: '' })).toThrow(/^\[site\/Cluster\] 'userData.files.path'/);
  });
});
