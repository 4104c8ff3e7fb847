import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-29';
import { Manifest, testChart } from '../util';
import { attachNetworks } from '../../lib/multus/attach';
import { Ipam } from '../../lib/multus/ipam';
import {
  DEFAULT_SRIOV_OPERATOR_NAMESPACE,
  SRIOV_CAPABLE_NODE_SELECTOR,
  SriovDeviceNetwork,
  SriovDeviceNetworkProps,
} from '../../lib/multus/sriov';
import { SriovDevice, TelcoProfile } from '../../lib/telco/telco-profile';
import { validateManifests } from '../../lib/validation/schema-validator';

/** Seed §42.7: the first PF, VFs 2–5 of 8 for DPDK. */
const DU1: SriovDevice = {
  resourceName: 'sriov-resource-du1',
  interface: 'eth0',
  vfRange: [2, 5],
  driver: 'vfio-pci',
  numVfs: 8,
};

/** A PF whose VFs stay kernel interfaces. */
const DATA: SriovDevice = { resourceName: 'sriov-data', interface: 'ens1f0', driver: 'iavf', numVfs: 4 };

function build(props: Partial<SriovDeviceNetworkProps>, chart?: Chart): SriovDeviceNetwork {
  return new SriovDeviceNetwork(chart ?? testChart().chart, 'Du1', { device: DU1, ...props });
}

describe('SriovDeviceNetwork', () => {
  test('makes the operator create the seed §42.7 VFs and a network of them', () => {
    // GIVEN
    const { chart } = testChart('cnf');
    // WHEN
    new SriovDeviceNetwork(chart, 'Du1', { device: DU1 });
    // THEN
    const m = Manifest.of(chart);
    expect(m.get('SriovNetworkNodePolicy', 'sriov-resource-du1')).toMatchObject({
      apiVersion: 'sriovnetwork.openshift.io/v1',
      metadata: { namespace: DEFAULT_SRIOV_OPERATOR_NAMESPACE },
      spec: {
        resourceName: 'sriov-resource-du1',
        numVfs: 8,
        nicSelector: { pfNames: ['eth0#2-5'] },
        deviceType: 'vfio-pci',
        nodeSelector: SRIOV_CAPABLE_NODE_SELECTOR,
      },
    });
    expect(m.get('SriovNetwork', 'sriov-resource-du1')).toEqual({
      apiVersion: 'sriovnetwork.openshift.io/v1',
      kind: 'SriovNetwork',
      metadata: { name: 'sriov-resource-du1', namespace: DEFAULT_SRIOV_OPERATOR_NAMESPACE },
      spec: { resourceName: 'sriov-resource-du1', networkNamespace: 'cnf' },
    });
    expect(validateManifests(m.objects)).toEqual([]);
  });

  test('takes its device from a TelcoProfile, the same description the first-boot config uses', () => {
    // GIVEN the seed's profile
    const telco = TelcoProfile.suseEdgePreset({ isolatedCpus: '1-30,33-62', cpuCount: 64, sriov: [DU1, DATA] });
    const { chart } = testChart();
    // WHEN
    const net = new SriovDeviceNetwork(chart, 'Data', { device: telco.sriov[1], policy: true });
    // THEN
    expect(net.policy?.toJson().spec).toMatchObject({ nicSelector: { pfNames: ['ens1f0'] }, deviceType: 'netdevice' });
  });

  test('renders IPAM as JSON text and the VF settings of the SriovNetwork', () => {
    // GIVEN
    const { chart } = testChart('cnf');
    // WHEN
    const net = new SriovDeviceNetwork(chart, 'Data', {
      device: DATA,
      name: 'data-net',
      networkNamespace: 'apps',
      operatorNamespace: 'openshift-sriov-network-operator',
      ipam: Ipam.whereabouts({ ranges: [{ range: '10.56.217.0/24' }] }),
      vlan: 100,
      vlanQoS: 5,
      spoofChk: false,
      trust: true,
      linkState: 'enable',
      nodeSelector: { 'node-role.kubernetes.io/worker': '' },
      priority: 10,
      mtu: 9000,
    });
    // THEN
    const m = Manifest.of(chart);
    const network = m.get('SriovNetwork', 'data-net');
    expect(network.metadata.namespace).toBe('openshift-sriov-network-operator');
    expect(network.spec).toMatchObject({
      resourceName: 'sriov-data',
      networkNamespace: 'apps',
      vlan: 100,
      vlanQoS: 5,
      spoofChk: 'off',
      trust: 'on',
      linkState: 'enable',
    });
    expect(JSON.parse(network.spec.ipam)).toEqual({ type: 'whereabouts', range: '10.56.217.0/24' });
    expect(m.get('SriovNetworkNodePolicy', 'sriov-data').spec).toMatchObject({
      nodeSelector: { 'node-role.kubernetes.io/worker': '' },
      priority: 10,
      mtu: 9000,
      deviceType: 'netdevice',
    });
    expect([net.name, net.namespace, net.exclusivity]).toEqual(['data-net', 'apps', 'shared']);
    expect(validateManifests(m.objects)).toEqual([]);
  });

  test('leaves the policy to the TelcoProfile auto-filler when told', () => {
    const { chart } = testChart();
    const net = build({ policy: false }, chart);
    expect(net.policy).toBeUndefined();
    expect(Manifest.of(chart).ids()).toEqual(['SriovNetwork/sriov-resource-du1']);
  });

  test('is attached to workloads like a NetworkAttachmentDefinition; a static address makes it one-pod', () => {
    // GIVEN
    const { chart } = testChart('apps');
    const net = new SriovDeviceNetwork(chart, 'Data', {
      device: DATA,
      networkNamespace: 'cnf',
      ipam: Ipam.static({ addresses: [{ address: '10.56.217.10/24' }] }),
    });
    const pod = new kplus.Pod(chart, 'Cnf', { containers: [{ image: 'cnf', resources: {} }] });
    // WHEN
    attachNetworks(pod, [{ network: net, interface: 'data0' }]);
    // THEN
    expect(net.exclusivity).toBe('one-pod');
    expect(Manifest.of(chart).all('Pod')[0].metadata.annotations).toEqual({
      'k8s.v1.cni.cncf.io/networks': 'cnf/sriov-data@data0',
    });
  });

  test('fails when the resource name is not a DNS-1123 label', () => {
    expect(() => build({ device: { ...DU1, resourceName: 'rancher.io/du1' } })).toThrow(
      /^\[test\/Du1\] 'device.resourceName' is not a valid resource name/,
    );
  });

  test('fails when the PF is not an interface name', () => {
    expect(() => build({ device: { ...DU1, interface: 'eth0#2-5' } })).toThrow(
      /'device.interface' is not a Linux interface name/,
    );
  });

  test('fails when the number of VFs is out of range', () => {
    expect(() => build({ device: { ...DU1, numVfs: 0 } })).toThrow(/'device.numVfs' must be an integer from 1 to 256/);
  });

  test('fails when the driver is unknown', () => {
    expect(() => build({ device: { ...DU1, driver: 'e1000' as never } })).toThrow(
      /'device.driver' is not a known VF driver/,
    );
  });

  test('fails when the VF range goes past the VFs', () => {
    expect(() => build({ device: { ...DU1, vfRange: [2, 8] } })).toThrow(
      /'device.vfRange' is not a range within the 8 VFs \(0-7\)/,
    );
  });

  test('fails when DPDK VFs get an IPAM', () => {
    expect(() => build({ ipam: Ipam.dhcp() })).toThrow(
      /'ipam' is set but vfio-pci VFs have no kernel interface to give an address/,
    );
  });

  test('fails when the VLAN is out of range, or its priority set without it', () => {
    expect(() => build({ vlan: 4095 })).toThrow(/'vlan' must be an integer from 0 to 4094/);
    expect(() => build({ vlanQoS: 3 })).toThrow(/'vlanQoS' is set without a VLAN/);
  });

  test('fails when the link state is unknown', () => {
    expect(() => build({ linkState: 'up' as never })).toThrow(/'linkState' is not a link state/);
  });

  test('fails when the node selector selects every node or has a bad label', () => {
    expect(() => build({ nodeSelector: {} })).toThrow(/'nodeSelector' selects every node/);
    expect(() => build({ nodeSelector: { 'bad key!': 'true' } })).toThrow(
      /'nodeSelector' has a key that is not a label name/,
    );
    expect(() => build({ nodeSelector: { sriov: 'yes please' } })).toThrow(/'nodeSelector.sriov' is not a label value/);
  });

  test('fails when the priority or MTU is out of range', () => {
    expect(() => build({ priority: 100 })).toThrow(/'priority' must be an integer from 0 to 99/);
    expect(() => build({ mtu: 10000 })).toThrow(/'mtu' must be an integer from 68 to 9216/);
  });

  test('fails when policy settings are given with the policy turned off', () => {
    expect(() => build({ policy: false, mtu: 9000 })).toThrow(/'mtu' configures the policy, which is turned off/);
  });

  test('fails when two networks of the chart share a name', () => {
    const { chart } = testChart();
    build({}, chart);
    expect(() => new SriovDeviceNetwork(chart, 'Again', { device: DU1, policy: false })).toThrow(
      /^\[test\/Again\] 'name' names the same object as \[test\/Du1\] 'name'/,
    );
  });

  test('fails when two policies of the chart share a resource', () => {
    const { chart } = testChart();
    build({}, chart);
    expect(() => new SriovDeviceNetwork(chart, 'Other', { device: DU1, name: 'other' })).toThrow(
      /^\[test\/Other\] 'device.resourceName' names the same object as \[test\/Du1\]/,
    );
  });

  test('fails when a static address is used elsewhere in the app', () => {
    const app = Testing.app();
    const ipam = () => Ipam.static({ addresses: [{ address: '10.56.217.10/24' }] });
    new SriovDeviceNetwork(new Chart(app, 'a'), 'Data', { device: DATA, ipam: ipam() });
    expect(
      () => new SriovDeviceNetwork(new Chart(app, 'b'), 'Data', { device: DATA, ipam: ipam(), policy: false }),
    ).toThrow(/^\[b\/Data\] 'ipam' is also the IP address of \[a\/Data\] 'ipam'/);
  });
});
