import * as fc from 'fast-check';
import { ApiObject, App, Chart } from 'cdk8s';
import { BaremetalValidationError } from '../../lib/errors';
import {
  buildSite,
  SiteDescription,
  SiteKinds,
  SYNC_WAVE_ANNOTATION,
  syncWaveOf,
} from '../../lib/fleet/site-description';
import { garbage, mostly, RUNS, SEED } from '../arbitraries';
import { Manifest } from '../util';

const IMAGE = { url: 'http://imagecache.local:8080/os.raw', checksumType: 'sha256' as const };
const host = (n: number) => ({
  name: `edge-node${n}`,
  bootMACAddress: `0c:c4:7a:00:00:0${n}`,
  bmcAddress: `192.168.1.${n}`,
  address: `10.0.0.${10 + n}/24`,
});
const SNO: SiteDescription = {
  name: 'edge',
  kind: 'single-node',
  rke2Version: 'v1.32.4+rke2r1',
  image: IMAGE,
  hosts: [host(1)],
  gateway: '10.0.0.1',
  dnsServers: ['10.0.0.2'],
};
const HA: SiteDescription = { ...SNO, kind: 'ha-metallb', hosts: [host(1), host(2), host(3)], vip: '10.0.0.100' };

describe('buildSite', () => {
  test('GIVEN a single-node site THEN its chart holds the Namespace, the host with static networking and the cluster', () => {
    const m = Manifest.of(buildSite(new App(), SNO));
    expect(m.get('Namespace', 'site-edge').metadata.namespace).toBeUndefined();
    expect(m.get('BareMetalHost', 'edge-node1')).toMatchObject({
      metadata: { namespace: 'site-edge' },
      spec: {
        bootMACAddress: '0c:c4:7a:00:00:01',
        bmc: { address: 'redfish-virtualmedia://192.168.1.1/redfish/v1/Systems/1', credentialsName: 'edge-node1-bmc' },
      },
    });
    expect(m.get('Secret', 'edge-node1-networkdata').stringData.networkData).toContain('next-hop-address: 10.0.0.1');
    expect(m.get('Metal3Cluster', 'edge').spec.controlPlaneEndpoint).toEqual({ host: '10.0.0.11', port: 6443 });
  });

  test('GIVEN an HA site THEN three hosts sit behind the VIP', () => {
    const m = Manifest.of(buildSite(new App(), HA));
    expect(m.all('BareMetalHost')).toHaveLength(3);
    expect(m.get('Metal3Cluster', 'edge').spec.controlPlaneEndpoint.host).toBe('10.0.0.100');
  });

  test('every object carries its sync wave: Namespace, then Secrets, then hosts, then the cluster', () => {
    const m = Manifest.of(buildSite(new App(), HA));
    const wave = (kind: string, name: string) => m.get(kind, name).metadata.annotations[SYNC_WAVE_ANNOTATION];
    expect([
      wave('Namespace', 'site-edge'),
      wave('Secret', 'edge-node1-networkdata'),
      wave('BareMetalHost', 'edge-node1'),
      wave('Cluster', 'edge'),
      wave('RKE2ControlPlane', 'edge'),
    ]).toEqual(['-2', '-1', '0', '1', '1']);
    expect(syncWaveOf('ConfigMap')).toBe('-1');
    expect(syncWaveOf('ExternalSecret')).toBe('-1');
  });

  test('GIVEN a BMC secret store THEN each host gets an ExternalSecret filling its credentials Secret', () => {
    const site = { ...SNO, bmcSecretStore: 'vault', hosts: [{ ...host(1), bmcRemoteKey: 'dc1/edge-node1' }] };
    const m = Manifest.of(buildSite(new App(), site));
    expect(m.get('ExternalSecret', 'edge-node1-bmc')).toMatchObject({
      metadata: { annotations: { [SYNC_WAVE_ANNOTATION]: '-1' } },
      spec: { secretStoreRef: { kind: 'ClusterSecretStore', name: 'vault' }, target: { name: 'edge-node1-bmc' } },
    });
    expect(m.get('ExternalSecret', 'edge-node1-bmc').spec.data[0].remoteRef.key).toBe('dc1/edge-node1');
  });

  test('fails for a remote key without a secret store', () => {
    expect(() => buildSite(new App(), { ...SNO, hosts: [{ ...host(1), bmcRemoteKey: 'x' }] })).toThrow(
      /\[edge\] 'site.hosts' name a bmcRemoteKey but the site has no bmcSecretStore/,
    );
  });

  test('a registered kind builds sites too', () => {
    SiteKinds.register('test-empty', {
      hosts: { accepts: () => true, description: 'any number' },
      fields: [],
      build: (chart) =>
        void new ApiObject(chart, 'Cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }),
    });
    const m = Manifest.of(
      buildSite(new App(), { ...SNO, kind: 'test-empty', gateway: undefined, dnsServers: undefined }),
    );
    expect(m.get('ConfigMap', 'x').metadata.annotations[SYNC_WAVE_ANNOTATION]).toBe('-1');
    expect(SiteKinds.names()).toContain('test-empty');
  });

  test('fails for an unknown kind', () => {
    expect(() => buildSite(new App(), { ...SNO, kind: 'tiny' })).toThrow(
      '[edge] \'site.kind\' is not a site kind (got "tiny"); use one of single-node, ha-metallb',
    );
  });

  test('fails for a wrong number of hosts', () => {
    expect(() => buildSite(new App(), { ...HA, hosts: [host(1), host(2)] })).toThrow(
      /\[edge\] 'site.hosts' holds 2 host\(s\); a ha-metallb site needs an odd number, at least 3/,
    );
  });

  test('fails for a field the kind does not use, and for a missing required one', () => {
    expect(() => buildSite(new App(), { ...SNO, vip: '10.0.0.100' })).toThrow(
      /'site.vip' is not used by kind single-node/,
    );
    expect(() => buildSite(new App(), { ...HA, vip: undefined })).toThrow(/'site.vip' is required by kind ha-metallb/);
  });

  test('fails for a single node without address or endpoint', () => {
    const dhcp = { ...host(1), address: undefined };
    expect(() => buildSite(new App(), { ...SNO, gateway: undefined, dnsServers: undefined, hosts: [dhcp] })).toThrow(
      /'site.controlPlaneEndpoint' is required when the host has no static address/,
    );
  });

  test('fails for a bad site name before defining anything', () => {
    const app = new App();
    expect(() => buildSite(app, { ...SNO, name: 'Edge_1' })).toThrow(/\[<root>\] 'site.name' /);
    expect(app.node.children).toHaveLength(0);
  });

  test('GIVEN a 58-character name THEN the site builds; at 59 it fails once, with the reason, before defining anything', () => {
    const app = new App();
    expect(() => buildSite(app, { ...HA, name: 'a'.repeat(58) })).not.toThrow();
    const other = new App();
    expect(() => buildSite(other, { ...SNO, name: 'a'.repeat(59) })).toThrow(
      `[<root>] 'site.name' is longer than 58 characters (got "${'a'.repeat(59)}"); shorten it: the namespace site-<name> is a DNS-1123 label, at most 63 characters`,
    );
    expect(other.node.children).toHaveLength(0);
  });

  test('fails for an IPv6 host address, naming the inventory fields', () => {
    expect(() => buildSite(new App(), { ...SNO, hosts: [{ ...host(1), address: 'fd00::11/64' }] })).toThrow(
      `[edge] 'site.hosts[0].address' is an IPv6 address (got "fd00::11/64"); a site's hosts take an IPv4 address with prefix (inventory: CSV host_address, YAML address), such as 10.1.2.21/24; leave it out for DHCP`,
    );
  });

  test('construct errors name the construct path under the site chart', () => {
    expect(() => buildSite(new App(), { ...HA, vip: '10.9.9.9' })).toThrow(
      /\[edge\/Cluster\] 'vip' is outside the machine network 10.0.0.0\/24/,
    );
  });

  describe('properties', () => {
    test('mostly-valid site descriptions either build or fail with a validation error, never a TypeError', () => {
      const siteArb = fc.record({
        name: mostly(fc.constantFrom('edge', 'a-1')),
        kind: mostly(fc.constantFrom('single-node', 'ha-metallb')),
        rke2Version: mostly(fc.constant('v1.32.4+rke2r1')),
        image: mostly(fc.constant(IMAGE)),
        hosts: mostly(
          fc.array(mostly(fc.nat({ max: 8 }).map((n) => host(n + 1)) as fc.Arbitrary<unknown>), { maxLength: 4 }),
        ),
        vip: fc.option(mostly(fc.constant('10.0.0.100')), { nil: undefined }),
        gateway: fc.option(mostly(fc.constant('10.0.0.1')), { nil: undefined }),
        dnsServers: fc.option(mostly(fc.constant(['10.0.0.2'])), { nil: undefined }),
      });
      fc.assert(
        fc.property(fc.oneof({ weight: 9, arbitrary: siteArb }, { weight: 1, arbitrary: garbage }), (site) => {
          try {
            const chart = buildSite(new App(), site as SiteDescription);
            chart.toJson();
          } catch (err) {
            if (!(err instanceof BaremetalValidationError) && !/^Validation failed/.test((err as Error).message))
              throw err;
          }
        }),
        { numRuns: RUNS, seed: SEED },
      );
    });
  });
});

test('the chart of a site is a cdk8s Chart named for the site', () => {
  expect(buildSite(new App(), SNO)).toBeInstanceOf(Chart);
});
