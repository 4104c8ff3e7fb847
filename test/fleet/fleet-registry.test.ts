import { App, Chart } from 'cdk8s';
import { FleetClaims, FleetRegistry } from '../../lib/fleet/fleet-registry';
import { SecretRef } from '../../lib/core/secret-ref';
import { BareMetalHost } from '../../lib/metal3/bare-metal-host';
import { Bmc } from '../../lib/metal3/bmc';
import { build, SITES } from '../../examples/fleet/main';

describe('FleetRegistry', () => {
  test('one registry per app', () => {
    const app1 = new App();
    const app2 = new App();
    expect(FleetRegistry.of(new Chart(app1, 'a'))).toBe(FleetRegistry.of(new Chart(app1, 'b')));
    expect(FleetRegistry.of(app1)).not.toBe(FleetRegistry.of(app2));
  });

  test('the same owner may claim a value twice; another owner may not', () => {
    const r = FleetRegistry.of(new App());
    r.claim('IP address', '10.0.0.1', { path: 'a', prop: 'vip' }, 'a');
    r.claim('IP address', '10.0.0.1', { path: 'a', prop: 'vip' }, 'a');
    expect(() => r.claim('IP address', '10.0.0.1', { path: 'b', prop: 'host.networkData' }, 'b')).toThrow(
      "[b] 'host.networkData' is also the IP address of [a] 'vip' (got \"10.0.0.1\"); every IP address must be unique across the fleet; correct one of the two",
    );
  });

  test('different facts with the same value do not collide', () => {
    const r = FleetRegistry.of(new App());
    r.claim('host name', 'x', { path: 'a', prop: 'p' }, 'a');
    expect(() => r.claim('BMC address', 'x', { path: 'b', prop: 'p' }, 'b')).not.toThrow();
  });

  test('entries lists every claim as plain data', () => {
    const r = FleetRegistry.of(new App());
    r.claim('boot MAC address', '02:00:00:00:00:01', { path: 'a/Host', prop: 'host.bootMACAddress' }, 'a/Host');
    expect(r.entries()).toEqual([
      { fact: 'boot MAC address', value: '02:00:00:00:00:01', where: { path: 'a/Host', prop: 'host.bootMACAddress' } },
    ]);
  });

  describe('FleetClaims (claims merged app by app)', () => {
    const claim = (path: string) => ({ fact: 'IP address' as const, value: '10.0.0.1', where: { path, prop: 'vip' } });

    test('GIVEN a value claimed by an earlier site WHEN a later site claims it THEN the conflict names both', () => {
      const claims = new FleetClaims();
      expect(claims.add('a', [claim('a/Cluster')])).toEqual([]);
      expect(claims.add('b', [claim('b/Cluster')])).toEqual([
        "[b/Cluster] 'vip' is also the IP address of [a/Cluster] 'vip' (got \"10.0.0.1\"); every IP address must be unique across the fleet; correct one of the two",
      ]);
    });

    test('a site may claim its own value twice', () => {
      const claims = new FleetClaims();
      expect(claims.add('a', [claim('a/Cluster'), claim('a/Cluster/Host')])).toEqual([]);
    });
  });

  describe('across the sites of the fleet example', () => {
    test('three distinct sites build', () => {
      expect(build(new App())).toHaveLength(3);
    });

    test('fails when two sites share a boot MAC, naming both hosts', () => {
      const sites = [SITES[0], { ...SITES[1], mac: SITES[0].mac.toUpperCase() }];
      expect(() => build(new App(), sites)).toThrow(
        /\[munich-01\/Cluster\/Host\] 'host.bootMACAddress' is also the boot MAC address of \[berlin-01\/Cluster\/Host\] 'host.bootMACAddress' \(got "0c:c4:7a:10:01:01"\)/,
      );
    });

    test('fails when two sites share a BMC address', () => {
      expect(() => build(new App(), [SITES[0], { ...SITES[1], bmc: SITES[0].bmc }])).toThrow(
        /'host.bmc' is also the BMC address of \[berlin-01\/Cluster\/Host\]/,
      );
    });

    test('fails when two hosts share a name', () => {
      const app = new App();
      const chart = new Chart(app, 's');
      const bmc = (ip: string) => Bmc.redfishVirtualMedia(ip, '1', SecretRef.fromName('x-bmc'));
      new BareMetalHost(chart, 'A', { name: 'node1', bootMACAddress: '00:00:00:00:00:01', bmc: bmc('10.0.0.1') });
      expect(
        () =>
          new BareMetalHost(chart, 'B', { name: 'node1', bootMACAddress: '00:00:00:00:00:02', bmc: bmc('10.0.0.2') }),
      ).toThrow(/\[s\/B\] 'host.name' is also the host name of \[s\/A\]/);
    });
  });
});

describe('FleetRegistry and FleetClaims: the first claim is the one named', () => {
  test('a repeated claim of the same owner keeps the first place, in entries and in conflicts', () => {
    // GIVEN owner a claims the address twice, from two props
    const r = FleetRegistry.of(new App());
    r.claim('IP address', '10.0.0.1', { path: 'a', prop: 'vip' }, 'a');
    r.claim('IP address', '10.0.0.1', { path: 'a', prop: 'host.address' }, 'a');
    // THEN the registry holds one claim, the first
    expect(r.entries()).toEqual([{ fact: 'IP address', value: '10.0.0.1', where: { path: 'a', prop: 'vip' } }]);
    // AND another owner's claim names the first place
    expect(() => r.claim('IP address', '10.0.0.1', { path: 'b', prop: 'vip' }, 'b')).toThrow(
      /is also the IP address of \[a\] 'vip'/,
    );
  });

  test('different values of one fact from different sites do not conflict', () => {
    const claims = new FleetClaims();
    const ip = (value: string, path: string) => ({ fact: 'IP address' as const, value, where: { path, prop: 'vip' } });
    expect(claims.add('a', [ip('10.0.0.1', 'a/Cluster')])).toEqual([]);
    expect(claims.add('b', [ip('10.0.0.2', 'b/Cluster')])).toEqual([]);
    expect(claims.add('c', [{ fact: 'host name', value: '10.0.0.1', where: { path: 'c/H', prop: 'name' } }])).toEqual(
      [],
    );
  });

  test('a site claiming its value twice is still named by its first place when a later site collides', () => {
    const claims = new FleetClaims();
    const ip = (path: string, prop: string) => ({
      fact: 'IP address' as const,
      value: '10.0.0.1',
      where: { path, prop },
    });
    expect(claims.add('a', [ip('a/Cluster', 'vip'), ip('a/Cluster/Host', 'host.address')])).toEqual([]);
    expect(claims.add('b', [ip('b/Cluster', 'vip')])).toEqual([
      expect.stringMatching(/^\[b\/Cluster\] 'vip' is also the IP address of \[a\/Cluster\] 'vip'/),
    ]);
  });
});
