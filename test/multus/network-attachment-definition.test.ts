import * as fc from 'fast-check';
import { Chart, Testing } from 'cdk8s';
import { checkConstruct, ipv4, label, mostly } from '../arbitraries';
import { Manifest, testChart } from '../util';
import { AttachmentPlugin } from '../../lib/multus/attachment-plugin';
import { Ipam } from '../../lib/multus/ipam';
import {
  DEFAULT_CNI_VERSION,
  NetworkAttachmentDefinition,
  RESOURCE_NAME_ANNOTATION,
} from '../../lib/multus/network-attachment-definition';
import { validateManifests } from '../../lib/validation/schema-validator';

/** Seed 004, task 3: the config of the first node's attachment, as the seed applies it. */
const SEED_CONFIG_1 = {
  cniVersion: '0.3.1',
  type: 'host-device',
  device: 'ens5',
  ipam: {
    type: 'static',
    addresses: [{ address: '10.0.10.93/24', gateway: '0.0.0.0' }],
    routes: [{ dst: '10.0.10.0/24', gw: '0.0.0.0' }],
  },
};

function seedNad(chart: Chart, id = 'Nad', name = 'sriov-vnic-1', address = '10.0.10.93/24') {
  return new NetworkAttachmentDefinition(chart, id, {
    name,
    plugin: AttachmentPlugin.hostDevice({ device: 'ens5' }),
    ipam: Ipam.static({
      addresses: [{ address, gateway: '0.0.0.0' }],
      routes: [{ dst: '10.0.10.0/24', gw: '0.0.0.0' }],
    }),
  });
}

describe('NetworkAttachmentDefinition', () => {
  test('renders the seed 004 attachment: spec.config means what the seed applies, plus its name', () => {
    // GIVEN
    const { chart } = testChart('default');
    // WHEN
    seedNad(chart);
    // THEN
    const nad = Manifest.of(chart).get('NetworkAttachmentDefinition', 'sriov-vnic-1');
    expect(nad).toMatchObject({ apiVersion: 'k8s.cni.cncf.io/v1', metadata: { namespace: 'default' } });
    expect(JSON.parse(nad.spec.config)).toEqual({ ...SEED_CONFIG_1, name: 'sriov-vnic-1' });
    expect(validateManifests([nad])).toEqual([]);
  });

  test('exposes its name, namespace, CNI version and exclusivity', () => {
    const { chart } = testChart('apps');
    const nad = seedNad(chart);
    expect(nad.name).toBe('sriov-vnic-1');
    expect(nad.namespace).toBe('apps');
    expect(nad.cniVersion).toBe(DEFAULT_CNI_VERSION);
    expect(nad.exclusivity).toBe('one-pod');
    expect(JSON.parse(nad.toCniConfig())).toEqual(nad.cniConfig());
  });

  test('a shared plugin with a dynamic IPAM serves many pods; a host device one per node', () => {
    const { chart } = testChart();
    const macvlan = new NetworkAttachmentDefinition(chart, 'Macvlan', {
      name: 'macvlan-net',
      plugin: AttachmentPlugin.macvlan({ master: 'eth1' }),
      ipam: Ipam.whereabouts({ ranges: [{ range: '192.168.2.0/24' }] }),
    });
    const dev = new NetworkAttachmentDefinition(chart, 'Dev', {
      name: 'dev-net',
      plugin: AttachmentPlugin.hostDevice({ device: 'ens6' }),
      ipam: Ipam.dhcp(),
    });
    const bound = new NetworkAttachmentDefinition(chart, 'Bound', {
      name: 'bound-net',
      plugin: AttachmentPlugin.hostDevice({ device: 'ens6' }),
      nodeName: 'node1',
    });
    expect([macvlan.exclusivity, dev.exclusivity, bound.exclusivity]).toEqual([
      'shared',
      'one-pod-per-node',
      'one-pod',
    ]);
  });

  test('sets the namespace, CNI version and the SR-IOV resource annotation', () => {
    // GIVEN
    const { chart } = testChart();
    // WHEN
    new NetworkAttachmentDefinition(chart, 'Sriov', {
      name: 'sriov-du1',
      namespace: 'cnf',
      cniVersion: '1.0.0',
      plugin: AttachmentPlugin.sriov({ resourceName: 'rancher.io/sriov-resource-du1', vlan: 100 }),
      ipam: Ipam.hostLocal({ ranges: [{ subnet: '10.56.217.0/24' }] }),
    });
    // THEN
    const nad = Manifest.of(chart).get('NetworkAttachmentDefinition', 'sriov-du1');
    expect(nad.metadata).toEqual({
      name: 'sriov-du1',
      namespace: 'cnf',
      annotations: { [RESOURCE_NAME_ANNOTATION]: 'rancher.io/sriov-resource-du1' },
    });
    expect(JSON.parse(nad.spec.config)).toEqual({
      cniVersion: '1.0.0',
      name: 'sriov-du1',
      type: 'sriov',
      vlan: 100,
      ipam: { type: 'host-local', ranges: [[{ subnet: '10.56.217.0/24' }]] },
    });
  });

  test('leaves ipam out when there is none', () => {
    const { chart } = testChart();
    const nad = new NetworkAttachmentDefinition(chart, 'Nad', {
      name: 'raw',
      plugin: AttachmentPlugin.hostDevice({ device: 'ens6' }),
    });
    expect(nad.cniConfig()).toEqual({ cniVersion: '0.3.1', name: 'raw', type: 'host-device', device: 'ens6' });
  });

  test('fails when the name is not a DNS-1123 subdomain', () => {
    const { chart } = testChart();
    expect(() => seedNad(chart, 'Nad', 'SRIOV_vnic')).toThrow(/^\[test\/Nad\] 'name' is not a DNS-1123 subdomain/);
  });

  test('fails when the namespace is not a DNS-1123 label', () => {
    const { chart } = testChart();
    expect(
      () =>
        new NetworkAttachmentDefinition(chart, 'Nad', {
          name: 'n',
          namespace: 'a.b',
          plugin: AttachmentPlugin.macvlan(),
          ipam: Ipam.dhcp(),
        }),
    ).toThrow(/'namespace' is not a DNS-1123 label/);
  });

  test('fails when the plugin is not a AttachmentPlugin', () => {
    const { chart } = testChart();
    expect(
      () => new NetworkAttachmentDefinition(chart, 'Nad', { name: 'n', plugin: { type: 'host-device' } as never }),
    ).toThrow(/'plugin' is not a AttachmentPlugin/);
  });

  test('fails when the ipam is not an Ipam', () => {
    const { chart } = testChart();
    expect(
      () =>
        new NetworkAttachmentDefinition(chart, 'Nad', {
          name: 'n',
          plugin: AttachmentPlugin.macvlan(),
          ipam: { type: 'dhcp' } as never,
        }),
    ).toThrow(/'ipam' is not an Ipam/);
  });

  test('fails when ipvlan has no IPAM', () => {
    const { chart } = testChart();
    expect(
      () => new NetworkAttachmentDefinition(chart, 'Nad', { name: 'n', plugin: AttachmentPlugin.ipvlan() }),
    ).toThrow(/'ipam' is required by the ipvlan plugin/);
  });

  test('fails when the CNI version is unknown', () => {
    const { chart } = testChart();
    expect(
      () =>
        new NetworkAttachmentDefinition(chart, 'Nad', {
          name: 'n',
          plugin: AttachmentPlugin.macvlan(),
          cniVersion: '0.2.0' as never,
        }),
    ).toThrow(
      /'cniVersion' is not a CNI specification version \(got "0.2.0"\); use one of 0.3.0, 0.3.1, 0.4.0, 1.0.0, 1.1.0/,
    );
  });

  test('fails when the node name is invalid', () => {
    const { chart } = testChart();
    expect(
      () =>
        new NetworkAttachmentDefinition(chart, 'Nad', {
          name: 'n',
          plugin: AttachmentPlugin.hostDevice({ device: 'ens5' }),
          nodeName: 'Node_1',
        }),
    ).toThrow(/'nodeName' is not a DNS-1123 subdomain/);
  });

  test('fails when two attachments of the chart share a name and namespace', () => {
    const { chart } = testChart();
    seedNad(chart, 'A', 'same', '10.0.10.93/24');
    expect(() => seedNad(chart, 'B', 'same', '10.0.10.94/24')).toThrow(
      /^\[test\/B\] 'name' names the same object as \[test\/A\] 'name' \(got "NetworkAttachmentDefinition\/site\/same"\)/,
    );
  });

  test('fails when a static address is used by another attachment of the app', () => {
    // GIVEN two sites of one app
    const app = Testing.app();
    seedNad(new Chart(app, 'a', { namespace: 'a' }));
    // WHEN / THEN
    expect(() => seedNad(new Chart(app, 'b', { namespace: 'b' }))).toThrow(
      /^\[b\/Nad\] 'ipam' is also the IP address of \[a\/Nad\] 'ipam' \(got "10.0.10.93"\)/,
    );
  });
});

describe('NetworkAttachmentDefinition properties', () => {
  test('random plugins and IPAMs give schema-valid output or the library error, never a TypeError', () => {
    const plugin = fc.oneof(
      fc.constant(() => AttachmentPlugin.hostDevice({ device: 'ens5' })),
      fc.constant(() => AttachmentPlugin.macvlan({ master: 'eth1', mode: 'bridge' })),
      fc.constant(() => AttachmentPlugin.ipvlan({ master: 'eth1' })),
      fc.constant(() => AttachmentPlugin.bridge({ bridge: 'br0', isGateway: true })),
      fc.constant(() => AttachmentPlugin.sriov({ resourceName: 'rancher.io/du1' })),
    );
    const ipam = fc.option(
      fc.oneof(
        fc.tuple(ipv4, fc.integer({ min: 8, max: 32 }), mostly(ipv4)).map(
          ([a, p, gw]) =>
            () =>
              Ipam.static({ addresses: [{ address: `${a}/${p}`, gateway: gw }] }),
        ),
        fc.constant(() => Ipam.whereabouts({ ranges: [{ range: '192.168.2.0/24' }] })),
        fc.constant(() => Ipam.dhcp()),
      ),
      { nil: undefined },
    );
    checkConstruct(
      fc.record({
        name: mostly(label),
        plugin,
        ipam,
        cniVersion: fc.option(mostly(fc.constantFrom('0.3.1', '1.0.0', '0.1.0')), { nil: undefined }),
        nodeName: fc.option(mostly(label), { nil: undefined }),
      }),
      (p) => {
        const { app, chart } = testChart();
        new NetworkAttachmentDefinition(chart, 'Nad', {
          name: p.name,
          plugin: p.plugin(),
          ipam: p.ipam?.(),
          cniVersion: p.cniVersion as never,
          nodeName: p.nodeName,
        });
        const yaml = app.synthYaml();
        const objects = Manifest.of(chart).objects;
        expect(validateManifests(objects)).toEqual([]);
        for (const o of objects) expect(() => JSON.parse(o.spec.config)).not.toThrow();
        return yaml;
      },
    );
  });
});
