import * as fc from 'fast-check';
import { SecretRef } from '../../lib/core/secret-ref';
import { BaremetalValidationError } from '../../lib/errors';
import { Bmc, BMC_SCHEMES } from '../../lib/metal3/bmc';

function parsesOrRefuses(f: () => unknown): boolean {
  try {
    f();
    return true;
  } catch (e) {
    return e instanceof BaremetalValidationError;
  }
}

const creds = SecretRef.fromName('node1-bmc');
const REDFISH_BASES = [
  'redfish',
  'redfish-virtualmedia',
  'redfish-uefihttp',
  'idrac-redfish',
  'idrac-virtualmedia',
  'ilo5-redfish',
  'ilo5-virtualmedia',
];
const needsSystem = (scheme: string) => REDFISH_BASES.includes(scheme.split('+')[0]);

describe('Bmc', () => {
  describe('factories', () => {
    test('redfishVirtualMedia writes the seed address', () => {
      // WHEN
      const bmc = Bmc.redfishVirtualMedia('192.168.200.75', '1', creds);
      // THEN
      expect(bmc).toMatchObject({
        address: 'redfish-virtualmedia://192.168.200.75/redfish/v1/Systems/1',
        scheme: 'redfish-virtualmedia',
        host: '192.168.200.75',
        port: undefined,
        systemPath: '/redfish/v1/Systems/1',
        disableCertificateVerification: false,
      });
      expect(bmc.credentials).toBe(creds);
    });

    test('redfish writes a redfish:// address and takes a host with port', () => {
      const bmc = Bmc.redfish('BMC-1.Example.com:8443', 'System.Embedded.1', creds, {
        disableCertificateVerification: true,
      });
      expect(bmc).toMatchObject({
        address: 'redfish://bmc-1.example.com:8443/redfish/v1/Systems/System.Embedded.1',
        host: 'bmc-1.example.com',
        port: 8443,
        disableCertificateVerification: true,
      });
    });

    test('idracVirtualMedia uses the Dell system System.Embedded.1 by default', () => {
      expect(Bmc.idracVirtualMedia('10.0.0.5', creds).address).toBe(
        'idrac-virtualmedia://10.0.0.5/redfish/v1/Systems/System.Embedded.1',
      );
      expect(Bmc.idracVirtualMedia('10.0.0.5', creds, { systemId: 'System.Embedded.2' }).systemPath).toBe(
        '/redfish/v1/Systems/System.Embedded.2',
      );
    });

    test('ilo5VirtualMedia writes the redfish-virtualmedia address upstream documents for iLO 5, system 1 by default', () => {
      expect(Bmc.ilo5VirtualMedia('ilo-7.example.com', creds).address).toBe(
        'redfish-virtualmedia://ilo-7.example.com/redfish/v1/Systems/1',
      );
      expect(Bmc.ilo5VirtualMedia('ilo-7.example.com', creds, { systemId: '2' }).address).toBe(
        'redfish-virtualmedia://ilo-7.example.com/redfish/v1/Systems/2',
      );
    });

    test('ipmi writes the port only when one is given', () => {
      expect(Bmc.ipmi('10.0.0.5', creds).address).toBe('ipmi://10.0.0.5');
      expect(Bmc.ipmi('10.0.0.5', creds, { port: 6230 })).toMatchObject({
        address: 'ipmi://10.0.0.5:6230',
        port: 6230,
      });
      expect(Bmc.ipmi('10.0.0.5:6231', creds).port).toBe(6231);
      expect(Bmc.ipmi('10.0.0.5', creds).systemPath).toBeUndefined();
    });

    test.each([
      ['fd00::5', '[fd00::5]', 'fd00::5'],
      ['[FD00:0::5]', '[fd00::5]', 'fd00::5'],
      ['[fd00::5]:8443', '[fd00::5]:8443', 'fd00::5'],
    ])('takes IPv6 host %s and writes it as %s', (host, inUrl, bare) => {
      const bmc = Bmc.redfishVirtualMedia(host, '1', creds);
      expect(bmc.address).toBe(`redfish-virtualmedia://${inUrl}/redfish/v1/Systems/1`);
      expect(bmc.host).toBe(bare);
    });

    test('fails when the host is a URL, and points at fromAddress', () => {
      expect(() => Bmc.redfishVirtualMedia('https://10.0.0.5', '1', creds)).toThrow(
        /^\[Bmc\.redfishVirtualMedia\] 'host' is a URL or path, not a host .*use Bmc\.fromAddress\(\)/,
      );
    });

    test.each([
      ['', /'host' must not be empty/],
      [' 10.0.0.5', /'host' contains whitespace/],
      ['10.0.0', /'host' has an invalid IPv4 address "10\.0\.0"/],
      ['bmc_1', /'host' has an invalid host name "bmc_1"/],
      ['10.0.0.5:0', /'host' has port 0, which is out of range/],
      ['10.0.0.5:65536', /'host' has port 65536, which is out of range/],
      ['10.0.0.5:https', /'host' has an invalid port "https"/],
      ['fd00::5:zz', /'host' has an IPv6 address without brackets/],
      ['[fd00::5', /'host' has "\[" without "\]"/],
      ['[10.0.0.5x]', /'host' has an invalid IPv6 address in brackets/],
    ])('fails when the host is %p', (host, message) => {
      expect(() => Bmc.redfish(host, '1', creds)).toThrow(message);
    });

    test('fails when the host is not a string', () => {
      expect(() => Bmc.redfish(42 as never, '1', creds)).toThrow(/^\[Bmc\.redfish\] 'host' must be a string/);
    });

    test('fails when the host embeds credentials, without showing them', () => {
      const build = () => Bmc.redfish('root:calvin@10.0.0.5', '1', creds);
      expect(build).toThrow(/'host' embeds credentials \(got <redacted>\)/);
      expect(build).not.toThrow(/calvin/);
    });

    test('fails when the system id is a path, and gives the id', () => {
      expect(() => Bmc.redfishVirtualMedia('10.0.0.5', '/redfish/v1/Systems/1', creds)).toThrow(
        /'systemId' is a path, not a Redfish system id .*pass only the id: "1"/,
      );
    });

    test.each([
      ['', /'systemId' must not be empty/],
      ['System Embedded', /'systemId' has characters a Redfish id cannot have/],
      [1, /'systemId' must be a string/],
    ])('fails when the system id is %p', (systemId, message) => {
      expect(() => Bmc.redfish('10.0.0.5', systemId as string, creds)).toThrow(message);
    });

    test('fails when options.systemId is invalid', () => {
      expect(() => Bmc.idracVirtualMedia('10.0.0.5', creds, { systemId: 'a/b' })).toThrow(
        /^\[Bmc\.idracVirtualMedia\] 'options\.systemId' is a path/,
      );
    });

    test('fails when the credentials are not a SecretRef, without showing them', () => {
      const build = () => Bmc.redfish('10.0.0.5', '1', { username: 'root', password: 'calvin' } as never);
      expect(build).toThrow(
        /^\[Bmc\.redfish\] 'credentials' is not a SecretRef \(got <redacted>\); use SecretRef\.fromName/,
      );
      expect(build).not.toThrow(/calvin/);
    });

    test('fails when disableCertificateVerification is not a boolean', () => {
      expect(() => Bmc.redfish('10.0.0.5', '1', creds, { disableCertificateVerification: 'yes' as never })).toThrow(
        /'options\.disableCertificateVerification' must be true or false/,
      );
    });

    test('fails when the options are not an object', () => {
      expect(() => Bmc.ipmi('10.0.0.5', creds, 623 as never)).toThrow(/^\[Bmc\.ipmi\] 'options' must be an object/);
    });

    test('fails when the ipmi port is out of range', () => {
      expect(() => Bmc.ipmi('10.0.0.5', creds, { port: 70000 })).toThrow(
        /'options\.port' must be an integer from 1 to 65535/,
      );
    });

    test('fails when the ipmi port is given twice', () => {
      expect(() => Bmc.ipmi('10.0.0.5:623', creds, { port: 6230 })).toThrow(
        /'options\.port' repeats the port already given in host/,
      );
    });
  });

  describe('fromAddress', () => {
    test.each([
      [
        'redfish-virtualmedia://192.168.200.75/redfish/v1/Systems/1',
        'redfish-virtualmedia://192.168.200.75/redfish/v1/Systems/1',
      ],
      [
        'Redfish-VirtualMedia+HTTPS://[FD00:0::5]:8443/redfish/v1/Systems/1/',
        'redfish-virtualmedia+https://[fd00::5]:8443/redfish/v1/Systems/1',
      ],
      [
        'idrac-virtualmedia://iDRAC-1.Lab/redfish/v1/Systems/System.Embedded.1',
        'idrac-virtualmedia://idrac-1.lab/redfish/v1/Systems/System.Embedded.1',
      ],
      [
        'redfish+http://10.0.0.5:8000/redfish/v1/Systems/1b67a2ad-2f7c-4d6e-b711-307442164713',
        'redfish+http://10.0.0.5:8000/redfish/v1/Systems/1b67a2ad-2f7c-4d6e-b711-307442164713',
      ],
      ['ipmi://10.0.0.5', 'ipmi://10.0.0.5'],
      ['ipmi://10.0.0.5:623/', 'ipmi://10.0.0.5:623'],
      ['ipmi://10.0.0.5?privilegelevel=OPERATOR', 'ipmi://10.0.0.5?privilegelevel=OPERATOR'],
      ['libvirt://192.168.122.1:6233/', 'libvirt://192.168.122.1:6233'],
      ['ilo4-virtualmedia+https://ilo4.lab', 'ilo4-virtualmedia+https://ilo4.lab'],
      ['irmc://10.0.0.9:443', 'irmc://10.0.0.9:443'],
    ])('accepts %s as %s', (address, canonical) => {
      // WHEN
      const bmc = Bmc.fromAddress(address, creds);
      // THEN
      expect(bmc.address).toBe(canonical);
      expect(Bmc.fromAddress(bmc.address, creds).address).toBe(canonical);
    });

    test.each(BMC_SCHEMES.map((s) => [s]))('accepts every baremetal-operator v0.10 scheme: %s', (scheme) => {
      const address = `${scheme}://10.0.0.5${needsSystem(scheme) ? '/redfish/v1/Systems/1' : ''}`;
      expect(Bmc.fromAddress(address, creds)).toMatchObject({ address, scheme, host: '10.0.0.5' });
    });

    test('exposes the parts of the address', () => {
      expect(
        Bmc.fromAddress('redfish-virtualmedia+https://[fd00::5]:8443/redfish/v1/Systems/1', creds, {
          disableCertificateVerification: true,
        }),
      ).toMatchObject({
        scheme: 'redfish-virtualmedia+https',
        host: 'fd00::5',
        port: 8443,
        systemPath: '/redfish/v1/Systems/1',
        disableCertificateVerification: true,
      });
    });

    test('names Bmc.fromAddress and the address prop', () => {
      expect(() => Bmc.fromAddress('nope://x', creds)).toThrow(/^\[Bmc\.fromAddress\] 'address' /);
    });

    test.each([42, null, undefined, {}])('fails when the address is not a string (%p)', (address) => {
      expect(() => Bmc.fromAddress(address as never, creds)).toThrow(/'address' must be a string/);
    });

    test('fails when the address is empty', () => {
      expect(() => Bmc.fromAddress('', creds)).toThrow(/'address' must not be empty/);
    });

    test('fails when the address has whitespace', () => {
      expect(() => Bmc.fromAddress('ipmi://10.0.0.5 ', creds)).toThrow(/'address' contains whitespace/);
    });

    test('fails when the address has no type, and shows addresses to write', () => {
      expect(() => Bmc.fromAddress('192.168.0.10', creds)).toThrow(
        /'address' has no BMC type \(got "192\.168\.0\.10"\); start it with the type, e\.g\. "redfish-virtualmedia:\/\/192\.168\.0\.10\/redfish\/v1\/Systems\/1" or "ipmi:\/\/192\.168\.0\.10"/,
      );
      expect(() => Bmc.fromAddress('://192.168.0.10', creds)).toThrow(/'address' has no BMC type/);
    });

    test('fails when "//" is missing after the type', () => {
      expect(() => Bmc.fromAddress('redfish:10.0.0.5/redfish/v1/Systems/1', creds)).toThrow(
        /'address' misses "\/\/" after the BMC type .*write "redfish:\/\/10\.0\.0\.5\/redfish\/v1\/Systems\/1"/,
      );
    });

    test('fails when the type is unknown, and lists the known ones', () => {
      expect(() => Bmc.fromAddress('redfish-virtual-media://10.0.0.5/redfish/v1/Systems/1', creds)).toThrow(
        /'address' has an unknown BMC type "redfish-virtual-media" .*use one of ipmi, libvirt, redfish, redfish-virtualmedia, redfish-uefihttp, idrac-redfish, idrac-virtualmedia, .*irmc \(Redfish-based types also take "\+http" or "\+https"\)/,
      );
    });

    test('fails when the address is plain https, and suggests the Redfish type', () => {
      expect(() => Bmc.fromAddress('https://10.0.0.5/redfish/v1/Systems/1', creds)).toThrow(
        /'address' uses plain https:\/\/, which names no BMC type .*"redfish-virtualmedia\+https:\/\/10\.0\.0\.5\/redfish\/v1\/Systems\/1"/,
      );
    });

    test('fails when the type was removed upstream (iDRAC WSMAN), and names the replacement', () => {
      expect(() => Bmc.fromAddress('idrac://10.0.0.5', creds)).toThrow(
        /'address' uses the BMC type "idrac", which baremetal-operator no longer supports .*use idrac-virtualmedia:\/\//,
      );
    });

    test('fails when the type does not take the transport', () => {
      expect(() => Bmc.fromAddress('ipmi+https://10.0.0.5', creds)).toThrow(
        /'address' uses the BMC type "ipmi" with "\+https", which it does not take .*use ipmi/,
      );
      expect(() => Bmc.fromAddress('ilo5+http://10.0.0.5', creds)).toThrow(/use ilo5 or ilo5\+https/);
    });

    test.each([
      'redfish-virtualmedia://10.0.0.5',
      'redfish-virtualmedia://10.0.0.5/',
      'redfish-virtualmedia://10.0.0.5/redfish/v1',
      'redfish-virtualmedia://10.0.0.5/redfish/v1/Systems/',
    ])('fails when Redfish address %s has no system path', (address) => {
      expect(() => Bmc.fromAddress(address, creds)).toThrow(
        /'address' has no Redfish system path .*append it, e\.g\. "redfish-virtualmedia:\/\/10\.0\.0\.5\/redfish\/v1\/Systems\/1"/,
      );
    });

    test('suggests System.Embedded.1 for iDRAC addresses without a system path', () => {
      expect(() => Bmc.fromAddress('idrac-virtualmedia://10.0.0.5', creds)).toThrow(
        /"idrac-virtualmedia:\/\/10\.0\.0\.5\/redfish\/v1\/Systems\/System\.Embedded\.1"/,
      );
    });

    test('fails when the path names a Redfish manager instead of a system', () => {
      expect(() =>
        Bmc.fromAddress('idrac-virtualmedia://10.0.0.5/redfish/v1/Managers/iDRAC.Embedded.1', creds),
      ).toThrow(
        /'address' points at a Redfish manager \(the BMC itself\), not at the computer system .*"idrac-virtualmedia:\/\/10\.0\.0\.5\/redfish\/v1\/Systems\/System\.Embedded\.1"/,
      );
    });

    test('fails when the path names a chassis', () => {
      expect(() => Bmc.fromAddress('redfish://10.0.0.5/redfish/v1/Chassis/1', creds)).toThrow(
        /'address' points at a Redfish chassis/,
      );
    });

    test('accepts the ksushy forms of seed 001: a two-part system id and IPv4 in brackets, written without them', () => {
      // GIVEN the seed's address for a hosted-cluster worker VM
      const bmc = Bmc.fromAddress(
        'redfish-virtualmedia://[192.168.126.1]:9000/redfish/v1/Systems/local/hosted-worker0',
        creds,
      );
      // THEN the address keeps the two-part id and drops the brackets Ironic's URL parser refuses
      expect(bmc.address).toBe('redfish-virtualmedia://192.168.126.1:9000/redfish/v1/Systems/local/hosted-worker0');
      expect(bmc.host).toBe('192.168.126.1');
      expect(bmc.port).toBe(9000);
      expect(Bmc.redfish('[10.0.0.5]', '1', creds).address).toBe('redfish://10.0.0.5/redfish/v1/Systems/1');
    });

    test('refuses a two-part path whose second part is a resource of the system', () => {
      for (const resource of ['Bios', 'storage', 'EthernetInterfaces', 'VirtualMedia']) {
        expect(() => Bmc.fromAddress(`redfish://10.0.0.5/redfish/v1/Systems/1/${resource}`, creds)).toThrow(
          /'address' has extra path after the Redfish system id/,
        );
      }
      expect(() => Bmc.fromAddress('redfish://10.0.0.5/redfish/v1/Systems/a/b/c', creds)).toThrow(
        /'address' has extra path after the Redfish system id/,
      );
    });

    test('fails when the path goes past the system, and shows where to end it', () => {
      expect(() => Bmc.fromAddress('redfish://10.0.0.5/redfish/v1/Systems/1/Bios', creds)).toThrow(
        /'address' has extra path after the Redfish system id .*"redfish:\/\/10\.0\.0\.5\/redfish\/v1\/Systems\/1"/,
      );
    });

    test('fails when the Redfish path has the wrong case', () => {
      expect(() => Bmc.fromAddress('redfish://10.0.0.5/redfish/v1/systems/1', creds)).toThrow(
        /'address' has a Redfish path in the wrong case/,
      );
    });

    test('fails when the path is not a Redfish system path', () => {
      expect(() => Bmc.fromAddress('redfish://10.0.0.5/foo/bar', creds)).toThrow(
        /'address' has a path that is not a Redfish system path/,
      );
    });

    test('fails when a non-Redfish address has a path, and shows it without', () => {
      expect(() => Bmc.fromAddress('ipmi://10.0.0.5:623/redfish/v1/Systems/1', creds)).toThrow(
        /'address' has a path, which ipmi addresses do not take .*remove it: "ipmi:\/\/10\.0\.0\.5:623"/,
      );
    });

    test('fails when the host is empty', () => {
      expect(() => Bmc.fromAddress('redfish-virtualmedia:///redfish/v1/Systems/1', creds)).toThrow(
        /'address' has no host/,
      );
      expect(() => Bmc.fromAddress('ipmi://:623', creds)).toThrow(/'address' has no host/);
    });

    test.each([
      ['ipmi://10.0.0.5:0', /has port 0, which is out of range/],
      ['ipmi://10.0.0.5:65536', /has port 65536, which is out of range/],
      ['ipmi://10.0.0.5:', /has an invalid port ""/],
      ['ipmi://10.0.0.5:-1', /has an invalid port "-1"/],
      ['ipmi://[fd00::5]:99999', /has port 99999, which is out of range/],
    ])('fails when the port of %s is out of range', (address, message) => {
      expect(() => Bmc.fromAddress(address, creds)).toThrow(message);
    });

    test('fails when an IPv6 host has no brackets, and shows them', () => {
      expect(() => Bmc.fromAddress('ipmi://fd00::5', creds)).toThrow(
        /'address' has an IPv6 address without brackets .*"\[fd00::5\]"/,
      );
    });

    test('fails when the address embeds credentials, without showing them', () => {
      const build = () => Bmc.fromAddress('redfish://root:calvin@10.0.0.5/redfish/v1/Systems/1', creds);
      expect(build).toThrow(/'address' embeds credentials \(got <redacted>\); remove "user:password@"/);
      expect(build).not.toThrow(/calvin/);
    });

    test('fails when the address has a query string other than the IPMI privilege level', () => {
      expect(() => Bmc.fromAddress('redfish://10.0.0.5/redfish/v1/Systems/1?x=1', creds)).toThrow(
        /'address' has a query string .*remove "\?x=1"/,
      );
      expect(() => Bmc.fromAddress('ipmi://10.0.0.5?privilegelevel=ROOT', creds)).toThrow(
        /ipmi takes only \?privilegelevel=/,
      );
    });

    test('fails when the address has a fragment', () => {
      expect(() => Bmc.fromAddress('ipmi://10.0.0.5#x', creds)).toThrow(/'address' has a "#" fragment/);
    });

    test('fails when the credentials are not a SecretRef', () => {
      expect(() => Bmc.fromAddress('ipmi://10.0.0.5', 'node1-bmc' as never)).toThrow(
        /^\[Bmc\.fromAddress\] 'credentials' is not a SecretRef/,
      );
    });
  });

  describe('properties', () => {
    test('any address value either parses or throws BaremetalValidationError', () => {
      fc.assert(
        fc.property(fc.anything(), (address) => parsesOrRefuses(() => Bmc.fromAddress(address as string, creds))),
        { numRuns: 200 },
      );
    });

    test('any URL-like string either parses or throws BaremetalValidationError', () => {
      const pieces = fc
        .constantFrom(...BMC_SCHEMES, 'https', 'idrac', '', 'x+y')
        .chain((scheme) =>
          fc
            .tuple(
              fc.constantFrom('://', ':', ''),
              fc.stringMatching(/^[a-zA-Z0-9.:[\]@%-]{0,20}$/),
              fc.stringMatching(/^[/a-zA-Z0-9.?#=]{0,30}$/),
            )
            .map(([sep, host, rest]) => `${scheme}${sep}${host}${rest}`),
        );
      fc.assert(
        fc.property(fc.oneof(pieces, fc.string()), (address) => parsesOrRefuses(() => Bmc.fromAddress(address, creds))),
        { numRuns: 200 },
      );
    });

    test('any host, system id and options either build a Bmc or throw BaremetalValidationError', () => {
      fc.assert(
        fc.property(
          fc.anything(),
          fc.anything(),
          fc.anything(),
          fc.anything(),
          (host, systemId, credentials, options) =>
            parsesOrRefuses(() =>
              Bmc.redfishVirtualMedia(host as string, systemId as string, credentials as SecretRef, options as never),
            ),
        ),
        { numRuns: 200 },
      );
    });

    test('a generated valid address round-trips through fromAddress', () => {
      const host = fc.oneof(
        fc.ipV4(),
        fc
          .ipV6()
          .filter((h) => !/^::\d/.test(h))
          .map((h) => `[${h}]`),
        fc.domain(),
      );
      const address = fc
        .tuple(
          fc.constantFrom(...BMC_SCHEMES),
          host,
          fc.option(fc.integer({ min: 1, max: 65535 })),
          fc.stringMatching(/^[A-Za-z0-9._~-]{1,24}$/),
        )
        .map(
          ([scheme, h, port, id]) =>
            `${scheme}://${h}${port === null ? '' : `:${port}`}${needsSystem(scheme) ? `/redfish/v1/Systems/${id}` : ''}`,
        );
      fc.assert(
        fc.property(address, (text) => {
          const bmc = Bmc.fromAddress(text, creds);
          const again = Bmc.fromAddress(bmc.address, creds);
          return (
            again.address === bmc.address &&
            again.host === bmc.host &&
            bmc.host === bmc.host.toLowerCase() &&
            !/[[\]]/.test(bmc.host) &&
            again.port === bmc.port &&
            again.systemPath === bmc.systemPath
          );
        }),
        { numRuns: 200 },
      );
    });
  });
});

describe('Bmc: limits and messages', () => {
  const EXAMPLE = '"redfish-virtualmedia://192\\.168\\.0\\.10/redfish/v1/Systems/1"';

  test.each([
    'Actions',
    'Bios',
    'BootOptions',
    'Certificates',
    'EthernetInterfaces',
    'FabricAdapters',
    'GraphicsControllers',
    'LogServices',
    'Memory',
    'MemoryDomains',
    'NetworkInterfaces',
    'OperatingSystem',
    'PCIeDevices',
    'PCIeFunctions',
    'Processors',
    'SecureBoot',
    'SimpleStorage',
    'Storage',
    'USBControllers',
    'VirtualMedia',
  ])('refuses a two-part system path ending in the system resource %s', (resource) => {
    expect(() => Bmc.fromAddress(`redfish://10.0.0.5/redfish/v1/Systems/1/${resource}`, creds)).toThrow(
      /'address' has extra path after the Redfish system id .*; end the address at the system: "redfish:\/\/10\.0\.0\.5\/redfish\/v1\/Systems\/1"$/,
    );
  });

  test('names the replacement of the removed ibmc type', () => {
    expect(() => Bmc.fromAddress('ibmc://10.0.0.5', creds)).toThrow(
      /'address' uses the BMC type "ibmc", which baremetal-operator no longer supports .*; use redfish-virtualmedia:\/\/ or redfish:\/\/ with the Redfish system path$/,
    );
  });

  test('takes the IPMI privilege level on ipmi and libvirt only, and only alone', () => {
    expect(Bmc.fromAddress('libvirt://10.0.0.5?privilegelevel=USER', creds).address).toBe(
      'libvirt://10.0.0.5?privilegelevel=USER',
    );
    for (const address of ['ipmi://10.0.0.5?privilegelevel=OPERATORX', 'ipmi://10.0.0.5?a=1?privilegelevel=USER']) {
      expect(() => Bmc.fromAddress(address, creds)).toThrow(
        /'address' has a query string .*; ipmi takes only \?privilegelevel=ADMINISTRATOR, OPERATOR, USER or CALLBACK$/,
      );
    }
    expect(() => Bmc.fromAddress('redfish://10.0.0.5/redfish/v1/Systems/1?privilegelevel=USER', creds)).toThrow(
      /'address' has a query string .*; remove "\?privilegelevel=USER"$/,
    );
  });

  test('reads Redfish system paths only from the start of the path', () => {
    for (const path of [
      '/foo/redfish/v1/Systems/1',
      '/foo/redfish/v1/Systems/local/vm',
      '/x/redfish/v1/Managers/1',
      '/x/redfish/v1/Chassis/1',
      '/x/redfish/v1/systems/1',
    ]) {
      expect(() => Bmc.fromAddress(`redfish://10.0.0.5${path}`, creds)).toThrow(
        /'address' has a path that is not a Redfish system path .*; end the address at the computer system, e\.g\. "redfish:\/\/10\.0\.0\.5\/redfish\/v1\/Systems\/1"$/,
      );
    }
  });

  test('refuses a host name whose last label is only "-", and one over 253 characters', () => {
    expect(() => Bmc.fromAddress('ipmi://bmc.-', creds)).toThrow(
      /'address' has an invalid host name "bmc\.-" .*; use an IP address or a DNS name of letters, digits, "-" and "\."$/,
    );
    const label = 'a'.repeat(63);
    const host253 = `${label}.${label}.${label}.${'b'.repeat(61)}`;
    expect(Bmc.fromAddress(`ipmi://${host253}`, creds).host).toBe(host253);
    expect(() => Bmc.fromAddress(`ipmi://${host253}c`, creds)).toThrow(/'address' has an invalid host name/);
  });

  test('every refusal of the address says what to do', () => {
    const cases: [unknown, RegExp][] = [
      [42, new RegExp(`'address' must be a string .*; pass a BMC address such as ${EXAMPLE}$`)],
      ['', new RegExp(`'address' must not be empty .*; pass a BMC address such as ${EXAMPLE}$`)],
      ['ipmi://10.0.0.5 ', /'address' contains whitespace .*; remove the spaces and line breaks$/],
      ['://10.0.0.5', new RegExp(`'address' has no BMC type .*; start it with the type, e\\.g\\. ${EXAMPLE}$`)],
      ['ipmi://10.0.0.5#top', /'address' has a "#" fragment .*; remove "#top"$/],
      [
        'redfish://10.0.0.5/redfish/v1/systems/1',
        /; Redfish paths are case-sensitive; end the address at the computer system, e\.g\. "redfish:\/\/10\.0\.0\.5\/redfish\/v1\/Systems\/1"$/,
      ],
      ['ipmi://[fd00::5', /'address' has "\[" without "\]" around the IPv6 host .*; write it like "\[fd00::5\]"$/],
      ['ipmi://[fd00::5]x', /'address' has text after the "\]" of the IPv6 host .*; write it like "\[fd00::5\]:8443"$/],
      [
        'ipmi://[fd00::zz]',
        /'address' has an invalid IPv6 address in brackets .*; write it like "\[fd00::5\]" \(RFC 4291 text, no zone id\)$/,
      ],
      [
        'ipmi://a:b:c',
        /'address' has an IPv6 address without brackets .*; write it in brackets, like "\[fd00::5\]:8443"$/,
      ],
      [
        'ipmi://10.0.0',
        /'address' has an invalid IPv4 address "10\.0\.0" .*; write four decimal octets without leading zeros, e\.g\. "192\.168\.0\.10"$/,
      ],
      [
        'ipmi://10.0.0.5:123456',
        /'address' has an invalid port "123456" .*; write a port from 1 to 65535, or leave it out for the default$/,
      ],
      ['ipmi://10.0.0.5:80a', /'address' has an invalid port "80a"/],
      [
        'ipmi://:623',
        /'address' has no host .*; put the IP address or DNS name of the BMC after ":\/\/", e\.g\. "192\.168\.0\.10" or "\[fd00::5\]"$/,
      ],
      ['x/ipmi://10.0.0.5', /'address' has no BMC type/],
      ['1redfish:10.0.0.5', /'address' has no BMC type/],
      [
        'http://10.0.0.5/redfish/v1/Systems/1',
        /uses plain http:\/\/, which names no BMC type .*"redfish-virtualmedia\+http:\/\/10\.0\.0\.5\/redfish\/v1\/Systems\/1"$/,
      ],
      ['foo+https://10.0.0.5', /'address' has an unknown BMC type "foo\+https"/],
      ['redfish://10.0.0.5', /'address' has no Redfish system path/],
      ['redfish://10.0.0.5/redfish/v1//', /'address' has no Redfish system path/],
      ['redfish://10.0.0.5/redfish', /'address' has no Redfish system path/],
      ['redfish://10.0.0.5/redfish/v1/Managers', /'address' points at a Redfish manager/],
      ['redfish://10.0.0.5/redfish/v1/Chassis', /'address' points at a Redfish chassis/],
      [
        'redfish://10.0.0.5/redfish/v1/Systems/12/Bios',
        /has extra path after the Redfish system id .*"redfish:\/\/10\.0\.0\.5\/redfish\/v1\/Systems\/12"$/,
      ],
      [
        'redfish://10.0.0.5/redfish/v1/Systems/a@b',
        /'address' has a Redfish path in the wrong case or with an invalid id/,
      ],
    ];
    for (const [address, message] of cases) expect(() => Bmc.fromAddress(address as string, creds)).toThrow(message);
  });

  test('refuses credentials in an address without a type, without showing them', () => {
    const build = () => Bmc.fromAddress('root:calvin@10.0.0.5', creds);
    expect(build).toThrow(/'address' embeds credentials \(got <redacted>\)/);
    expect(build).not.toThrow(/calvin/);
  });

  test('every refusal of a factory argument names the factory and says what to do', () => {
    const cases: [() => unknown, RegExp][] = [
      [
        () => Bmc.ilo5VirtualMedia('', creds),
        /^\[Bmc\.ilo5VirtualMedia\] 'host' must not be empty .*; pass the IP address or DNS name of the BMC, e\.g\. "192\.168\.0\.10"$/,
      ],
      [
        () => Bmc.ipmi(' 10.0.0.5', creds),
        /^\[Bmc\.ipmi\] 'host' contains whitespace .*; remove the spaces and line breaks$/,
      ],
      [
        () => Bmc.ipmi('u:p@10.0.0.5', creds),
        /^\[Bmc\.ipmi\] 'host' embeds credentials \(got <redacted>\); pass the host alone and put the credentials in a Secret$/,
      ],
      [
        () => Bmc.ipmi('10.0.0.5:623', creds, { port: 6230 }),
        /'options\.port' repeats the port already given in host \(623\) \(got 6230\); give the port once$/,
      ],
      [
        () => Bmc.ipmi('10.0.0.5', creds, 623 as never),
        /'options' must be an object .*; pass an options object or leave it out$/,
      ],
      [
        () => Bmc.redfish('10.0.0.5', '', creds),
        /'systemId' must not be empty .*; pass the id alone, e\.g\. "1" or "System\.Embedded\.1"$/,
      ],
      [
        () => Bmc.redfish('10.0.0.5', 'a b', creds),
        /'systemId' has characters a Redfish id cannot have .*; use letters, digits, "\.", "-", "_" or "~", e\.g\. "System\.Embedded\.1"$/,
      ],
      [
        () => Bmc.redfish('10.0.0.5', '/redfish/v1/Systems/1/', creds),
        /'systemId' is a path, not a Redfish system id .*; pass only the id: "1"$/,
      ],
      [
        () => Bmc.redfish('10.0.0.5', '/', creds),
        /'systemId' is a path, not a Redfish system id .*; pass the id alone, e\.g\. "1" or "System\.Embedded\.1"$/,
      ],
      [
        () => Bmc.redfish('10.0.0.5', 'a/b c', creds),
        /'systemId' is a path, not a Redfish system id .*; pass the id alone/,
      ],
    ];
    for (const [build, message] of cases) expect(build).toThrow(message);
  });
});
