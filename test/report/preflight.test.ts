import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bmcPort, preflightFiles, PREFLIGHT_FILES, reverseName } from '../../lib/report/preflight';
import { siteFacts } from '../../lib/report/site-facts';
import { example } from './fixtures';

// Debian's dnsmasq-base and kea-dhcp4-server / kea-dhcp6-server (.ci/run installs them).
const DNSMASQ = '/usr/sbin/dnsmasq';
const KEA4 = '/usr/sbin/kea-dhcp4';
const KEA6 = '/usr/sbin/kea-dhcp6';

function need(binary: string): void {
  if (!existsSync(binary)) {
    throw new Error(
      `${binary} is missing: apt-get install -y dnsmasq-base kea-dhcp4-server kea-dhcp6-server (see .ci/run)`,
    );
  }
}

function filesOf(...names: string[]): Record<string, string> {
  const facts = names.map((n) => {
    const { objects, zones } = example(n);
    return siteFacts(n, objects, { dnsZones: zones });
  });
  return Object.fromEntries(preflightFiles(facts.length === 1 ? facts[0] : facts).map((f) => [f.name, f.text]));
}

/** Runs a syntax check; returns its combined output, throws with it when the check fails. */
function check(binary: string, args: string[]): string {
  need(binary);
  try {
    return execFileSync(binary, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    throw new Error(`${binary} ${args.join(' ')} failed:\n${e.stdout ?? ''}${e.stderr ?? ''}`);
  }
}

function dnsmasqTest(lines: string): void {
  const dir = mkdtempSync(join(tmpdir(), 'preflight-dnsmasq-'));
  writeFileSync(join(dir, 'hosts.conf'), lines);
  writeFileSync(join(dir, 'dnsmasq.conf'), `port=0\nconf-file=${join(dir, 'hosts.conf')}\n`);
  check(DNSMASQ, ['--test', '-C', join(dir, 'dnsmasq.conf')]);
}

function keaTest(binary: string, json: string): void {
  const dir = mkdtempSync(join(tmpdir(), 'preflight-kea-'));
  writeFileSync(join(dir, 'kea.json'), json);
  check(binary, ['-t', join(dir, 'kea.json')]);
}

describe('preflightFiles', () => {
  test('GIVEN a static host THEN a dnsmasq dhcp-host line per address, which dnsmasq --test accepts', () => {
    const files = filesOf('single-node-static');
    expect(Object.keys(files)).toEqual([...PREFLIGHT_FILES]);
    expect(files['dnsmasq-dhcp-hosts.conf'].split('\n').filter((l) => l.startsWith('dhcp-host='))).toEqual([
      'dhcp-host=00:0c:29:3e:3e:3e,192.168.100.10,example-demo',
      'dhcp-host=00:0c:29:3e:3e:3e,[fd00:100::10],example-demo',
    ]);
    dnsmasqTest(files['dnsmasq-dhcp-hosts.conf']);
  });

  test('Kea reservations for IPv4 and IPv6, with routers and DNS servers, pass kea-dhcp4 -t and kea-dhcp6 -t', () => {
    const files = filesOf('single-node-static');
    expect(JSON.parse(files['kea-dhcp4.json']).Dhcp4.subnet4).toEqual([
      {
        id: 1,
        subnet: '192.168.100.0/24',
        'option-data': [
          { name: 'routers', data: '192.168.100.1' },
          { name: 'domain-name-servers', data: '192.168.100.2' },
        ],
        reservations: [{ 'hw-address': '00:0c:29:3e:3e:3e', 'ip-address': '192.168.100.10', hostname: 'example-demo' }],
      },
    ]);
    expect(JSON.parse(files['kea-dhcp6.json']).Dhcp6.subnet6[0].reservations).toEqual([
      { 'hw-address': '00:0c:29:3e:3e:3e', 'ip-addresses': ['fd00:100::10'], hostname: 'example-demo' },
    ]);
    keaTest(KEA4, files['kea-dhcp4.json']);
    keaTest(KEA6, files['kea-dhcp6.json']);
  });

  test('GIVEN several sites THEN the merged files hold them all and still pass dnsmasq and Kea', () => {
    const files = filesOf('single-node-static', 'assisted-cn2');
    const v4 = JSON.parse(files['kea-dhcp4.json']).Dhcp4.subnet4;
    expect(v4.map((s: { id: number; subnet: string }) => `${s.id} ${s.subnet}`)).toEqual([
      '1 192.168.100.0/24',
      '2 172.16.0.0/24',
      '3 10.16.0.0/24',
    ]);
    expect(files['dnsmasq-dhcp-hosts.conf']).toContain(
      '# site assisted-cn2\ndhcp-host=52:54:00:16:00:11,172.16.0.11,ocp1',
    );
    expect(files['bmc-checklist.csv'].trim().split('\n')).toHaveLength(1 + 1 + 5);
    dnsmasqTest(files['dnsmasq-dhcp-hosts.conf']);
    keaTest(KEA4, files['kea-dhcp4.json']);
    keaTest(KEA6, files['kea-dhcp6.json']);
  });

  test('DNS: host records forward and reverse, api and api-int on the API VIP, *.apps on the ingress VIP', () => {
    const zone = filesOf('assisted-cn2')['dns.zone'];
    const records = zone
      .split('\n')
      .filter((l) => !l.startsWith(';') && l.trim())
      .map((l) => l.split(/\s+/).join(' '));
    expect(records).toEqual(
      expect.arrayContaining([
        'ocp1.mycluster.contrail.lan. IN A 172.16.0.11',
        'api.mycluster.contrail.lan. IN A 172.16.0.100',
        'api-int.mycluster.contrail.lan. IN A 172.16.0.100',
        '*.apps.mycluster.contrail.lan. IN A 172.16.0.101',
        '11.0.16.172.in-addr.arpa. IN PTR ocp1.mycluster.contrail.lan.',
      ]),
    );
    // RKE2 clusters name no domain: the default, and IPv6 reverse names in nibble form
    const rke2 = filesOf('single-node-static')['dns.zone'];
    expect(rke2).toMatch(/^api\.single-node-cluster\.home\.arpa\. +IN A +192\.168\.100\.10$/m);
    expect(rke2).toMatch(
      /^0\.1\.0\.0\.0\.0\.0\.0\.0\.0\.0\.0\.0\.0\.0\.0\.0\.0\.0\.0\.0\.0\.0\.0\.0\.0\.1\.0\.0\.0\.d\.f\.ip6\.arpa\. +IN PTR +example-demo/m,
    );
  });

  test("the hosted cluster's own DNS records join the site's zone", () => {
    const zone = filesOf('hosted-cluster-agent')['dns.zone'];
    expect(zone).toMatch(/^api\.hosted\.dns\.base\.domain\.name\. +IN A/m);
    expect(zone).toMatch(/^\*\.apps\.hosted\.dns\.base\.domain\.name\. +IN A/m);
  });

  test('BMC checklist: host, URL, driver, port and the credentials Secret by name only', () => {
    const csv = filesOf('ha-metallb')['bmc-checklist.csv'].trim().split('\n');
    expect(csv[0]).toBe('site,host,bmc_url,driver,port,credentials_secret');
    expect(csv[1]).toBe(
      'ha-metallb,node1-example,redfish-virtualmedia://192.168.200.75/redfish/v1/Systems/1,redfish-virtualmedia,443/tcp,default/node1-example-credentials',
    );
    // a BMC URL with user information never reaches the checklist
    const facts = siteFacts('x', [
      {
        kind: 'BareMetalHost',
        metadata: { name: 'h' },
        spec: {
          bootMACAddress: '00:00:00:00:00:01',
          bmc: { address: 'ipmi://root:s3cret@10.0.0.9', credentialsName: 'h-bmc' },
        },
      },
    ]);
    const text = preflightFiles(facts)
      .map((f) => f.text)
      .join('\n');
    expect(text).not.toContain('s3cret');
    expect(text).toContain('x,h,ipmi://10.0.0.9,ipmi,623/udp,h-bmc');
  });

  test('no static address, no reservation: the Kea files stay valid', () => {
    const files = filesOf('ha-metallb');
    expect(files['dnsmasq-dhcp-hosts.conf'].split('\n').filter((l) => l.startsWith('dhcp-host'))).toEqual([]);
    keaTest(KEA4, files['kea-dhcp4.json']);
  });
});

describe('preflightFiles at fleet scale', () => {
  test('GIVEN more records than a function takes arguments THEN the zone is still written', () => {
    const facts = siteFacts('big', example('single-node-static').objects);
    const addresses = Array.from({ length: 150000 }, (_, i) => `10.${i >> 16}.${(i >> 8) & 255}.${i & 255}/8`);
    const big = {
      ...facts,
      hosts: [{ ...facts.hosts[0], interfaces: [{ ...facts.hosts[0].interfaces[0], addresses }] }],
    };
    const zone = preflightFiles(big).find((f) => f.name === 'dns.zone')!.text;
    expect(zone.split('\n').filter((l) => / IN PTR /.test(l))).toHaveLength(150000);
  });
});

describe('bmcPort / reverseName', () => {
  test('ports by driver, or the one in the URL', () => {
    expect(bmcPort('ipmi', '10.0.0.1')).toBe('623/udp');
    expect(bmcPort('ipmi', '10.0.0.1:6230')).toBe('6230/udp');
    expect(bmcPort('redfish-virtualmedia', '10.0.0.1')).toBe('443/tcp');
    expect(bmcPort('idrac-virtualmedia', '[fd00::1]:8443')).toBe('8443/tcp');
  });

  test('reverse names', () => {
    expect(reverseName('192.168.1.20')).toBe('20.1.168.192.in-addr.arpa.');
    expect(reverseName('2001:db8::1')).toBe(
      '1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa.',
    );
  });
});
