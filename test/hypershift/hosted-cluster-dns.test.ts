import * as fc from 'fast-check';
import { checkConstruct, ipv4, ipv6, mostly } from '../arbitraries';
import { SiteFile } from '../../lib/core/site-file';
import { HostedClusterDnsRecords, HostedClusterDnsRecordsProps } from '../../lib/hypershift/hosted-cluster-dns';
import { testChart } from '../util';

function files(p: HostedClusterDnsRecordsProps): Record<string, string> {
  const { app, chart } = testChart();
  new HostedClusterDnsRecords(chart, 'Dns', p);
  return Object.fromEntries(SiteFile.all(app).map((f) => [f.path, f.render()]));
}

function build(p: HostedClusterDnsRecordsProps): void {
  const { chart } = testChart();
  new HostedClusterDnsRecords(chart, 'Dns', p);
}

const dual: HostedClusterDnsRecordsProps = {
  clusterName: 'hosted',
  baseDomain: 'dns.base.domain.name',
  apiAddresses: ['192.168.126.10', '2620:52:0:1306::2'],
  ingressAddresses: ['192.168.126.11', '2620:52:0:1306::3'],
  dualStack: true,
};

describe('HostedClusterDnsRecords', () => {
  test('writes the §6.3.4 records as a zone snippet: A for IPv4, AAAA for IPv6', () => {
    // GIVEN / WHEN
    const zone = files(dual)['test/hosted.dns.base.domain.name.zone'];
    // THEN
    expect(zone.split('\n')).toEqual([
      '; DNS records of the hosted cluster hosted.dns.base.domain.name (api, api-int, *.apps)',
      'api.hosted.dns.base.domain.name.     IN A    192.168.126.10',
      'api.hosted.dns.base.domain.name.     IN AAAA 2620:52:0:1306::2',
      'api-int.hosted.dns.base.domain.name. IN A    192.168.126.10',
      'api-int.hosted.dns.base.domain.name. IN AAAA 2620:52:0:1306::2',
      '*.apps.hosted.dns.base.domain.name.  IN A    192.168.126.11',
      '*.apps.hosted.dns.base.domain.name.  IN AAAA 2620:52:0:1306::3',
      '',
    ]);
  });

  test('writes the same records as a dnsmasq snippet', () => {
    const conf = files(dual)['test/hosted.dns.base.domain.name.dnsmasq.conf'];
    expect(conf).toContain('host-record=api.hosted.dns.base.domain.name,192.168.126.10\n');
    expect(conf).toContain('host-record=api-int.hosted.dns.base.domain.name,2620:52:0:1306::2\n');
    expect(conf).toContain('address=/apps.hosted.dns.base.domain.name/192.168.126.11\n');
    expect(conf).toContain('address=/apps.hosted.dns.base.domain.name/2620:52:0:1306::3\n');
  });

  test('takes a single-stack cluster with several API addresses in another directory', () => {
    const out = files({
      clusterName: 'example',
      baseDomain: 'krnl.es',
      apiAddresses: ['192.168.122.20', '192.168.122.21', '192.168.122.22'],
      ingressAddresses: ['192.168.122.23'],
      directory: 'dns',
    });
    expect(out['dns/example.krnl.es.zone']).toContain('api-int.example.krnl.es. IN A    192.168.122.22');
  });

  test('fails on a dual-stack cluster without both families', () => {
    expect(() => build({ ...dual, ingressAddresses: ['192.168.126.11'] })).toThrow(
      /\[test\/Dns\] 'ingressAddresses' has no ipv6 address, but the cluster is dual stack/,
    );
  });

  test('fails on an address that is not an IP, given twice, or an empty list', () => {
    expect(() => build({ ...dual, apiAddresses: ['api.example.com'] })).toThrow(/'apiAddresses\[0\]'/);
    expect(() => build({ ...dual, apiAddresses: ['192.168.126.10', '192.168.126.10', 'fd00::1'] })).toThrow(
      /'apiAddresses\[1\]' is given twice/,
    );
    expect(() => build({ ...dual, apiAddresses: [] })).toThrow(/'apiAddresses' is empty/);
  });

  test('fails on an invalid base domain', () => {
    expect(() => build({ ...dual, baseDomain: 'Example..com' })).toThrow(/'baseDomain' is not a DNS-1123 subdomain/);
  });
});

describe('HostedClusterDnsRecords properties', () => {
  test('random addresses give files or the library error, never a TypeError', () => {
    checkConstruct(
      fc.record({
        api: fc.array(mostly(fc.oneof(ipv4, ipv6)), { maxLength: 3 }),
        apps: fc.array(mostly(fc.oneof(ipv4, ipv6)), { maxLength: 3 }),
        dualStack: fc.boolean(),
      }),
      ({ api, apps, dualStack }) => {
        const { app, chart } = testChart();
        new HostedClusterDnsRecords(chart, 'Dns', {
          clusterName: 'c',
          baseDomain: 'example.com',
          apiAddresses: api,
          ingressAddresses: apps,
          dualStack,
        });
        return SiteFile.all(app)
          .map((f) => f.render())
          .join('\n');
      },
    );
  });
});
