import * as fc from 'fast-check';
import { garbage, mac, mostly, RUNS, SEED } from '../arbitraries';
import { BaremetalValidationError } from '../../lib/errors';
import { AttachmentPlugin } from '../../lib/multus/attachment-plugin';

describe('AttachmentPlugin.hostDevice', () => {
  test('renders the seed 004 device by name; one pod per node can hold it', () => {
    // GIVEN / WHEN
    const plugin = AttachmentPlugin.hostDevice({ device: 'ens5' });
    // THEN
    expect(plugin.toJson()).toEqual({ type: 'host-device', device: 'ens5' });
    expect(plugin.type).toBe('host-device');
    expect(plugin.onePodPerNode).toBe(true);
    expect(plugin.requiresIpam).toBe(false);
    expect(plugin.resourceName).toBeUndefined();
  });

  test('renders a device by PCI address, MAC or kernel path, canonically', () => {
    expect(AttachmentPlugin.hostDevice({ pciBusID: '0000:3D:00.1' }).toJson()).toEqual({
      type: 'host-device',
      pciBusID: '0000:3d:00.1',
    });
    expect(AttachmentPlugin.hostDevice({ hwaddr: '02-00-17-0A-0B-0C' }).toJson()).toEqual({
      type: 'host-device',
      hwaddr: '02:00:17:0a:0b:0c',
    });
    expect(AttachmentPlugin.hostDevice({ kernelpath: '/sys/devices/pci0000:00/0000:00:1f.6' }).toJson()).toEqual({
      type: 'host-device',
      kernelpath: '/sys/devices/pci0000:00/0000:00:1f.6',
    });
  });

  test('fails when no device is named', () => {
    expect(() => AttachmentPlugin.hostDevice({})).toThrow(
      /'plugin' names no device \(got \{\}\); set exactly one of device, pciBusID, hwaddr, kernelpath/,
    );
  });

  test('fails when the device is named two ways', () => {
    expect(() => AttachmentPlugin.hostDevice({ device: 'ens5', pciBusID: '0000:00:1f.6' })).toThrow(
      /'plugin' names the device 2 ways \(device, pciBusID\)/,
    );
  });

  test('fails when the device name is not an interface name', () => {
    expect(() => AttachmentPlugin.hostDevice({ device: 'a-very-long-interface' })).toThrow(
      /'plugin.device' is not a Linux interface name/,
    );
  });

  test('fails when the PCI address is malformed', () => {
    expect(() => AttachmentPlugin.hostDevice({ pciBusID: '00:1f.6' })).toThrow(
      /'plugin.pciBusID' is not a PCI address/,
    );
  });

  test('fails when the MAC is not a unicast MAC', () => {
    expect(() => AttachmentPlugin.hostDevice({ hwaddr: 'ff:ff:ff:ff:ff:ff' })).toThrow(
      /'plugin.hwaddr' is the broadcast/,
    );
  });

  test('fails when the kernel path is outside /sys/devices', () => {
    expect(() => AttachmentPlugin.hostDevice({ kernelpath: '/dev/eth0' })).toThrow(
      /'plugin.kernelpath' is not a kernel device path/,
    );
  });
});

describe('AttachmentPlugin.sriov', () => {
  test('renders VLAN and VF settings with the upstream field names and keeps the resource', () => {
    const plugin = AttachmentPlugin.sriov({
      resourceName: 'rancher.io/sriov-resource-du1',
      vlan: 100,
      vlanQoS: 3,
      spoofchk: false,
      trust: true,
      linkState: 'enable',
      minTxRate: 100,
      maxTxRate: 1000,
    });
    expect(plugin.toJson()).toEqual({
      type: 'sriov',
      vlan: 100,
      vlanQoS: 3,
      spoofchk: 'off',
      trust: 'on',
      link_state: 'enable',
      min_tx_rate: 100,
      max_tx_rate: 1000,
    });
    expect(plugin.resourceName).toBe('rancher.io/sriov-resource-du1');
    expect(plugin.onePodPerNode).toBe(false);
  });

  test('fails when the resource name has no prefix', () => {
    expect(() => AttachmentPlugin.sriov({ resourceName: 'sriov-resource-du1' })).toThrow(
      /'plugin.resourceName' is not a device-plugin resource name/,
    );
  });

  test('fails when the VLAN is out of range', () => {
    expect(() => AttachmentPlugin.sriov({ resourceName: 'rancher.io/du1', vlan: 4095 })).toThrow(
      /'plugin.vlan' must be an integer from 0 to 4094/,
    );
  });

  test('fails when a VLAN priority is set without a VLAN', () => {
    expect(() => AttachmentPlugin.sriov({ resourceName: 'rancher.io/du1', vlanQoS: 2 })).toThrow(
      /'plugin.vlanQoS' is set without a VLAN/,
    );
  });

  test('fails when the link state is unknown', () => {
    expect(() => AttachmentPlugin.sriov({ resourceName: 'rancher.io/du1', linkState: 'up' as never })).toThrow(
      /'plugin.linkState' is not one of the accepted values \(got "up"\); use one of auto, enable, disable/,
    );
  });

  test('fails when the minimum rate is above the maximum', () => {
    expect(() => AttachmentPlugin.sriov({ resourceName: 'rancher.io/du1', minTxRate: 500, maxTxRate: 100 })).toThrow(
      /'plugin.minTxRate' is above maxTxRate 100/,
    );
  });
});

describe('AttachmentPlugin.macvlan and ipvlan', () => {
  test('render master, mode and MTU; ipvlan needs an IPAM', () => {
    expect(AttachmentPlugin.macvlan({ master: 'eth1', mode: 'bridge', mtu: 1500 }).toJson()).toEqual({
      type: 'macvlan',
      master: 'eth1',
      mtu: 1500,
      mode: 'bridge',
    });
    expect(AttachmentPlugin.macvlan().toJson()).toEqual({ type: 'macvlan' });
    const ipvlan = AttachmentPlugin.ipvlan({ master: 'eth1', mode: 'l3', linkInContainer: true });
    expect(ipvlan.toJson()).toEqual({ type: 'ipvlan', master: 'eth1', linkInContainer: true, mode: 'l3' });
    expect(ipvlan.requiresIpam).toBe(true);
  });

  test('fails when the mode is unknown', () => {
    expect(() => AttachmentPlugin.macvlan({ mode: 'l2' as never })).toThrow(
      /'plugin.mode' is not one of the accepted values/,
    );
    expect(() => AttachmentPlugin.ipvlan({ mode: 'bridge' as never })).toThrow(/use one of l2, l3, l3s/);
  });

  test('fails when the MTU is out of range', () => {
    expect(() => AttachmentPlugin.macvlan({ mtu: 20 })).toThrow(/'plugin.mtu' must be an integer from 68 to 65535/);
  });

  test('fails when the master is not an interface name', () => {
    expect(() => AttachmentPlugin.ipvlan({ master: 'eth 1' })).toThrow(/'plugin.master' is not a Linux interface name/);
  });
});

describe('AttachmentPlugin.bridge', () => {
  test('renders the bridge options given', () => {
    expect(
      AttachmentPlugin.bridge({
        bridge: 'br0',
        isDefaultGateway: true,
        ipMasq: true,
        vlan: 100,
        preserveDefaultVlan: false,
      }).toJson(),
    ).toEqual({
      type: 'bridge',
      bridge: 'br0',
      isDefaultGateway: true,
      ipMasq: true,
      vlan: 100,
      preserveDefaultVlan: false,
    });
    expect(AttachmentPlugin.bridge().toJson()).toEqual({ type: 'bridge' });
  });

  test('fails when a default gateway is not a gateway', () => {
    expect(() => AttachmentPlugin.bridge({ isGateway: false, isDefaultGateway: true })).toThrow(
      /'plugin.isGateway' is false but isDefaultGateway is true/,
    );
  });

  test('fails when preserveDefaultVlan is set without a VLAN', () => {
    expect(() => AttachmentPlugin.bridge({ preserveDefaultVlan: true })).toThrow(
      /'plugin.preserveDefaultVlan' is set without a VLAN/,
    );
  });

  test('fails when the VLAN is out of range', () => {
    expect(() => AttachmentPlugin.bridge({ vlan: 0 })).toThrow(/'plugin.vlan' must be an integer from 1 to 4094/);
  });

  test('fails when a flag is not a boolean', () => {
    expect(() => AttachmentPlugin.bridge({ hairpinMode: 'yes' as never })).toThrow(
      /'plugin.hairpinMode' must be true or false/,
    );
  });
});

describe('AttachmentPlugin properties', () => {
  test('random options give a plugin or the library error, never a TypeError', () => {
    const name = mostly(fc.constantFrom('ens5', 'eth1', 'br0', 'bond0.100', 'not an ifname'));
    const arb = fc.oneof(
      fc
        .record(
          {
            device: name,
            pciBusID: mostly(fc.constantFrom('0000:00:1f.6', '00:1f.6')),
            hwaddr: mostly(mac),
          },
          { requiredKeys: [] },
        )
        .map((o) => () => AttachmentPlugin.hostDevice(o as never)),
      fc
        .record(
          {
            resourceName: mostly(fc.constantFrom('rancher.io/du1', 'openshift.io/x', 'du1')),
            vlan: mostly(fc.integer({ min: -1, max: 5000 })),
            vlanQoS: mostly(fc.integer({ min: -1, max: 9 })),
            trust: mostly(fc.boolean()),
          },
          { requiredKeys: ['resourceName'] },
        )
        .map((o) => () => AttachmentPlugin.sriov(o as never)),
      fc
        .record(
          {
            master: name,
            mode: mostly(fc.constantFrom('bridge', 'l2', 'vepa')),
            mtu: mostly(fc.integer({ min: 0, max: 70000 })),
          },
          { requiredKeys: [] },
        )
        .map((o) => () => AttachmentPlugin.macvlan(o as never)),
      fc
        .record(
          {
            bridge: name,
            isGateway: mostly(fc.boolean()),
            isDefaultGateway: mostly(fc.boolean()),
            vlan: mostly(fc.integer({ min: 0, max: 5000 })),
          },
          { requiredKeys: [] },
        )
        .map((o) => () => AttachmentPlugin.bridge(o as never)),
      garbage.map((o) => () => AttachmentPlugin.ipvlan(o as never)),
    );
    let accepted = 0;
    fc.assert(
      fc.property(arb, (build) => {
        try {
          expect(typeof build().toJson().type).toBe('string');
          accepted++;
        } catch (e) {
          if (!(e instanceof BaremetalValidationError)) throw e;
        }
      }),
      { numRuns: RUNS, seed: SEED },
    );
    expect(accepted).toBeGreaterThan(0);
  });
});
