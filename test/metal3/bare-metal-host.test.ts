import * as fc from 'fast-check';
import { checkConstruct, hostArb } from '../arbitraries';
import { SecretRef } from '../../lib/core/secret-ref';
import { BareMetalHost, BareMetalHostProps, validateLabels } from '../../lib/metal3/bare-metal-host';
import { Bmc } from '../../lib/metal3/bmc';
import { NetworkData } from '../../lib/metal3/network-data';
import { Manifest, testChart } from '../util';

function props(overrides: Partial<BareMetalHostProps> = {}): BareMetalHostProps {
  return {
    name: 'node1',
    bootMACAddress: '00:0C:29:3E:3E:3E',
    bmc: Bmc.redfishVirtualMedia('192.168.200.75', '1', SecretRef.fromName('node1-bmc')),
    ...overrides,
  };
}

function synth(p: BareMetalHostProps): Manifest {
  const { chart } = testChart();
  new BareMetalHost(chart, 'Host', p);
  return Manifest.of(chart);
}

function build(p: BareMetalHostProps): void {
  const { chart } = testChart();
  new BareMetalHost(chart, 'Host', p);
}

describe('BareMetalHost', () => {
  test('registers the host online with its BMC and a canonical boot MAC', () => {
    const bmh = synth(props({ labels: { 'cluster-role': 'control-plane' } })).get('BareMetalHost', 'node1');
    expect(bmh).toMatchObject({
      apiVersion: 'metal3.io/v1alpha1',
      metadata: { name: 'node1', namespace: 'site', labels: { 'cluster-role': 'control-plane' } },
      spec: {
        online: true,
        bootMACAddress: '00:0c:29:3e:3e:3e',
        bmc: { address: 'redfish-virtualmedia://192.168.200.75/redfish/v1/Systems/1', credentialsName: 'node1-bmc' },
      },
    });
    expect(bmh.spec.bmc).not.toHaveProperty('disableCertificateVerification');
  });

  test('puts the host and its Secrets into the given namespace', () => {
    const creds = SecretRef.fromLiteral({ username: 'a', password: 'b' }, { writeSecretMaterialToManifests: true });
    const networkData = NetworkData.nmstate({
      interfaces: [
        { type: 'ethernet', name: 'eth0', macAddress: '00:0c:29:3e:3e:3e', ipv4: { addresses: ['10.0.0.5/24'] } },
      ],
    });
    const m = synth(
      props({ namespace: 'clusters-hosted', networkData, bmc: Bmc.redfishVirtualMedia('192.168.200.75', '1', creds) }),
    );
    expect(m.get('BareMetalHost', 'node1').metadata.namespace).toBe('clusters-hosted');
    expect(m.get('Secret', 'node1-bmc').metadata.namespace).toBe('clusters-hosted');
    expect(m.get('Secret', 'node1-networkdata').metadata.namespace).toBe('clusters-hosted');
  });

  test('fails on a namespace that is no DNS-1123 label', () => {
    expect(() => build(props({ namespace: 'Clusters' }))).toThrow(/'namespace' is not a DNS-1123 label/);
  });

  test('references credentials by name and defines no Secret by default', () => {
    const m = synth(props());
    expect(m.all('Secret')).toEqual([]);
  });

  test('defines the credentials Secret only on explicit opt-in', () => {
    const creds = SecretRef.fromLiteral(
      { username: 'admin', password: 'lab-only' },
      { writeSecretMaterialToManifests: true },
    );
    const m = synth(props({ bmc: Bmc.redfishVirtualMedia('192.168.200.75', '1', creds) }));
    expect(m.get('Secret', 'node1-bmc')).toMatchObject({
      type: 'Opaque',
      stringData: { username: 'admin', password: 'lab-only' },
    });
    expect(m.get('BareMetalHost', 'node1').spec.bmc.credentialsName).toBe('node1-bmc');
  });

  test('passes boot mode, cleaning mode, root device hints and certificate verification', () => {
    const spec = synth(
      props({
        bootMode: 'UEFISecureBoot',
        automatedCleaningMode: 'disabled',
        rootDeviceHints: { deviceName: '/dev/nvme0n1', minSizeGigabytes: 100 },
        bmc: Bmc.redfishVirtualMedia('192.168.200.75', '1', SecretRef.fromName('node1-bmc'), {
          disableCertificateVerification: true,
        }),
        online: false,
      }),
    ).get('BareMetalHost', 'node1').spec;
    expect(spec).toMatchObject({
      online: false,
      bootMode: 'UEFISecureBoot',
      automatedCleaningMode: 'disabled',
      rootDeviceHints: { deviceName: '/dev/nvme0n1', minSizeGigabytes: 100 },
      bmc: { disableCertificateVerification: true },
    });
  });

  test('writes static networking into a Secret named by preprovisioningNetworkDataName', () => {
    const networkData = NetworkData.nmstate({
      interfaces: [
        { type: 'ethernet', name: 'eth0', macAddress: '00:0c:29:3e:3e:3e', ipv4: { addresses: ['10.0.0.5/24'] } },
      ],
    });
    const m = synth(props({ networkData, networkDataSecretName: 'controlplane-0-networkdata' }));
    expect(m.get('BareMetalHost', 'node1').spec.preprovisioningNetworkDataName).toBe('controlplane-0-networkdata');
    expect(m.get('Secret', 'controlplane-0-networkdata').stringData).toEqual({ networkData: networkData.render() });
  });

  test('fails when the name is not a DNS-1123 subdomain', () => {
    expect(() => build(props({ name: 'Node_1' }))).toThrow(
      /\[test\/Host\] 'host.name' is not a DNS-1123 subdomain \(got "Node_1"\)/,
    );
  });

  test('fails when the boot MAC is malformed', () => {
    expect(() => build(props({ bootMACAddress: '00:0c:29:3e:3e' }))).toThrow(/'host.bootMACAddress'/);
  });

  test('fails when bmc is not built by Bmc', () => {
    expect(() => build(props({ bmc: { address: 'redfish://x' } as never }))).toThrow(/'host.bmc' is not a Bmc/);
  });

  test('fails when the boot mode is unknown', () => {
    expect(() => build(props({ bootMode: 'BIOS' as never }))).toThrow(
      /'host.bootMode' is not a boot mode \(got "BIOS"\); use one of UEFI, UEFISecureBoot, legacy/,
    );
  });

  test('fails when the cleaning mode is unknown', () => {
    expect(() => build(props({ automatedCleaningMode: 'full' as never }))).toThrow(
      /'host.automatedCleaningMode' is not a cleaning mode/,
    );
  });

  test('fails when online is not a boolean', () => {
    expect(() => build(props({ online: 'yes' as never }))).toThrow(/'host.online' must be true or false/);
  });

  test('fails when a root device hint is unknown, empty or malformed', () => {
    expect(() => build(props({ rootDeviceHints: { disk: 'sda' } as never }))).toThrow(
      /'host.rootDeviceHints.disk' is not a root device hint/,
    );
    expect(() => build(props({ rootDeviceHints: {} }))).toThrow(/'host.rootDeviceHints' holds no hint/);
    expect(() => build(props({ rootDeviceHints: { deviceName: 'sda' } }))).toThrow(
      /'host.rootDeviceHints.deviceName' is not a device path/,
    );
    expect(() => build(props({ rootDeviceHints: { hctl: '0:0' } }))).toThrow(
      /'host.rootDeviceHints.hctl' is not a SCSI address/,
    );
    expect(() => build(props({ rootDeviceHints: { minSizeGigabytes: 0 } }))).toThrow(
      /'host.rootDeviceHints.minSizeGigabytes' must be an integer/,
    );
  });

  test('fails when static networking has no interface with the boot MAC', () => {
    const networkData = NetworkData.nmstate({
      interfaces: [{ type: 'ethernet', name: 'eth0', macAddress: '00:0c:29:00:00:01' }],
    });
    expect(() => build(props({ networkData }))).toThrow(
      /'host.networkData' declares no interface with the boot MAC address/,
    );
  });

  test('fails when networkData is not built by NetworkData', () => {
    expect(() => build(props({ networkData: { interfaces: [] } as never }))).toThrow(
      /'host.networkData' is not a NetworkData/,
    );
  });

  test('fails when a literal credentials Secret lacks a key the BMC needs', () => {
    const creds = SecretRef.fromLiteral({ username: 'admin' }, { writeSecretMaterialToManifests: true });
    expect(() => build(props({ bmc: Bmc.redfishVirtualMedia('10.0.0.1', '1', creds) }))).toThrow(
      /'bmc.credentials' has no key 'password' \(got \["username"\]\)/,
    );
  });

  test('fails when labels are invalid', () => {
    expect(() => build(props({ labels: { role: 'control plane' } }))).toThrow(
      /'labels.role' is not a valid label value/,
    );
  });
});

describe('validateLabels', () => {
  const where = { path: 'p', prop: 'labels' };
  test('accepts prefixed keys and empty values', () => {
    expect(validateLabels({ 'example.com/role': '', app: 'x' }, where)).toEqual({ 'example.com/role': '', app: 'x' });
  });
  test('allows any annotation value', () => {
    expect(validateLabels({ note: 'free text, with spaces' }, where, true)).toEqual({ note: 'free text, with spaces' });
  });
  test('fails when a value is not a string', () => {
    expect(() => validateLabels({ a: 1 } as never, where)).toThrow(/'labels.a' must be a string/);
  });
});

describe('BareMetalHost properties', () => {
  test('random host facts give valid output or the library error, never a TypeError', () => {
    checkConstruct(
      fc.record({
        host: hostArb(10),
        labels: fc.option(fc.dictionary(fc.string(), fc.string(), { maxKeys: 2 }), { nil: undefined }),
      }),
      ({ host, labels }) => {
        const { app, chart } = testChart();
        new BareMetalHost(chart, 'Host', { ...host, labels });
        return app.synthYaml();
      },
    );
  });
});
