import { Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-29';
import { K8sObject, Manifest, testChart } from '../util';
import { attachNetworks, NETWORKS_ANNOTATION } from '../../lib/multus/attach';
import { AttachmentPlugin } from '../../lib/multus/attachment-plugin';
import { Ipam } from '../../lib/multus/ipam';
import { NetworkAttachmentDefinition } from '../../lib/multus/network-attachment-definition';

const container = { name: 'app', image: 'centos/tools', resources: {} };

function pod(chart: Chart, name: string): kplus.Pod {
  return new kplus.Pod(chart, name, { metadata: { name }, containers: [container] });
}

function staticNad(chart: Chart, name: string, address: string, nodeName?: string): NetworkAttachmentDefinition {
  return new NetworkAttachmentDefinition(chart, name, {
    name,
    plugin: AttachmentPlugin.hostDevice({ device: 'ens5' }),
    ipam: Ipam.static({ addresses: [{ address }] }),
    nodeName,
  });
}

function sharedNad(chart: Chart, name: string, namespace?: string): NetworkAttachmentDefinition {
  return new NetworkAttachmentDefinition(chart, name, {
    name,
    namespace,
    plugin: AttachmentPlugin.macvlan({ master: 'eth1' }),
    ipam: Ipam.whereabouts({ ranges: [{ range: '192.168.2.0/24' }] }),
  });
}

function nodeAffinity(o: K8sObject) {
  return o.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
}

describe('attachNetworks', () => {
  test('annotates a pod with a node-bound attachment and requires its node (seed 004 task 4)', () => {
    // GIVEN
    const { chart } = testChart('default');
    const nad = staticNad(chart, 'sriov-vnic-1', '10.0.10.93/24', 'node1');
    const testpod1 = pod(chart, 'testpod1');
    // WHEN
    const value = attachNetworks(testpod1, [nad]);
    // THEN
    expect(value).toBe('sriov-vnic-1');
    const synthesized = Manifest.of(chart).get('Pod', 'testpod1');
    expect(synthesized.metadata.annotations).toEqual({ [NETWORKS_ANNOTATION]: 'sriov-vnic-1' });
    expect(nodeAffinity(synthesized)).toEqual({
      nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['node1'] }] }],
    });
  });

  test('lists several networks in order, with interface names and namespaces, across calls', () => {
    // GIVEN a one-replica Deployment in namespace apps, and attachments in apps and in net
    const { chart } = testChart('apps');
    const a = sharedNad(chart, 'net-a');
    const b = sharedNad(chart, 'net-b', 'net');
    const c = staticNad(chart, 'net-c', '10.0.10.5/24');
    const deployment = new kplus.Deployment(chart, 'App', { replicas: 1, containers: [container] });
    // WHEN
    attachNetworks(deployment, [{ network: a, interface: 'data0' }, b]);
    attachNetworks(deployment, [c]);
    // THEN
    const [synthesized] = Manifest.of(chart).all('Deployment');
    expect(synthesized.spec.template.metadata.annotations).toEqual({
      [NETWORKS_ANNOTATION]: 'net-a@data0,net/net-b,net-c',
    });
    expect(nodeAffinity(synthesized.spec.template)).toBeUndefined();
  });

  test('a host device without a node serves one pod per node: fine for a DaemonSet', () => {
    const { chart } = testChart();
    const nad = new NetworkAttachmentDefinition(chart, 'Dev', {
      name: 'dev',
      plugin: AttachmentPlugin.hostDevice({ device: 'ens6' }),
      ipam: Ipam.dhcp(),
    });
    const ds = new kplus.DaemonSet(chart, 'Ds', { containers: [container] });
    expect(attachNetworks(ds, [nad])).toBe('dev');
  });

  test('a shared network may be attached to many workloads and twice with two interfaces', () => {
    const { chart } = testChart();
    const nad = sharedNad(chart, 'shared');
    attachNetworks(new kplus.Deployment(chart, 'A', { containers: [container] }), [nad]);
    expect(
      attachNetworks(pod(chart, 'b'), [
        { network: nad, interface: 'net1' },
        { network: nad, interface: 'net2' },
      ]),
    ).toBe('shared@net1,shared@net2');
  });

  test('fails when the workload is not a cdk8s-plus workload', () => {
    const { chart } = testChart();
    expect(() => attachNetworks(chart as never, [sharedNad(chart, 'n')])).toThrow(
      /^\[attachNetworks\] 'workload' is not a cdk8s-plus Pod or workload/,
    );
  });

  test('fails when no network is given', () => {
    const { chart } = testChart();
    expect(() => attachNetworks(pod(chart, 'p'), [])).toThrow(/^\[test\/p\] 'networks' must name at least one network/);
  });

  test('fails when an entry is not an attachment', () => {
    const { chart } = testChart();
    expect(() => attachNetworks(pod(chart, 'p'), ['sriov-vnic' as never])).toThrow(/'networks\[0\]' must be an object/);
    expect(() => attachNetworks(pod(chart, 'q'), [{ name: 'x' } as never])).toThrow(
      /'networks\[0\]' is not a network attachment/,
    );
  });

  test('fails when the interface is eth0 or not an interface name', () => {
    const { chart } = testChart();
    const nad = sharedNad(chart, 'n');
    expect(() => attachNetworks(pod(chart, 'p'), [{ network: nad, interface: 'eth0' }])).toThrow(
      /'networks\[0\].interface' is the name of the pod's primary interface/,
    );
    expect(() => attachNetworks(pod(chart, 'q'), [{ network: nad, interface: 'net/1' }])).toThrow(
      /'networks\[0\].interface' is not a Linux interface name/,
    );
  });

  test('fails when two networks get one interface name', () => {
    const { chart } = testChart();
    const p = pod(chart, 'p');
    attachNetworks(p, [{ network: sharedNad(chart, 'a'), interface: 'net1' }]);
    expect(() => attachNetworks(p, [{ network: sharedNad(chart, 'b'), interface: 'net1' }])).toThrow(
      /'networks\[0\].interface' is already the name of another attached network/,
    );
  });

  test('fails when an exclusive attachment is attached twice to one workload', () => {
    const { chart } = testChart();
    const nad = staticNad(chart, 'x', '10.0.10.5/24');
    expect(() => attachNetworks(pod(chart, 'p'), [nad, nad])).toThrow(
      /'networks\[1\]' is attached twice, but its device or address serves one interface \(got "site\/x"\)/,
    );
  });

  test('fails when the attachments are bound to different nodes', () => {
    const { chart } = testChart();
    const p = pod(chart, 'p');
    attachNetworks(p, [staticNad(chart, 'a', '10.0.10.5/24', 'node1')]);
    expect(() => attachNetworks(p, [staticNad(chart, 'b', '10.0.10.6/24', 'node2')])).toThrow(
      /'networks\[0\]' is bound to node node2 but the workload is bound to node node1 by another attachment/,
    );
  });

  test('fails when a one-pod attachment goes to a Deployment of two replicas (the default)', () => {
    const { chart } = testChart();
    const deployment = new kplus.Deployment(chart, 'App', { containers: [container] });
    expect(() => attachNetworks(deployment, [staticNad(chart, 'x', '10.0.10.5/24')])).toThrow(
      /'networks\[0\]' serves one pod in the cluster but the workload has 2 replicas/,
    );
  });

  test('fails when a host device goes to a StatefulSet of several replicas', () => {
    const { chart } = testChart();
    const nad = new NetworkAttachmentDefinition(chart, 'Dev', {
      name: 'dev',
      plugin: AttachmentPlugin.hostDevice({ device: 'ens6' }),
    });
    const sts = new kplus.StatefulSet(chart, 'Db', {
      replicas: 3,
      containers: [container],
      service: new kplus.Service(chart, 'Svc', { ports: [{ port: 80 }] }),
    });
    expect(() => attachNetworks(sts, [nad])).toThrow(
      /serves one pod per node but the workload has 3 replicas \(got "site\/dev"\); set replicas: 1, or use a DaemonSet/,
    );
  });

  test('fails when a one-pod attachment without node goes to a DaemonSet', () => {
    const { chart } = testChart();
    const ds = new kplus.DaemonSet(chart, 'Ds', { containers: [container] });
    expect(() => attachNetworks(ds, [staticNad(chart, 'x', '10.0.10.5/24')])).toThrow(
      /serves one pod in the cluster but a DaemonSet runs one per node/,
    );
  });

  test('fails when a one-pod attachment is attached to a second workload', () => {
    const { chart } = testChart();
    const nad = staticNad(chart, 'x', '10.0.10.5/24');
    attachNetworks(pod(chart, 'p'), [nad]);
    expect(() => attachNetworks(pod(chart, 'q'), [nad])).toThrow(
      /^\[test\/q\] 'networks\[0\]' serves one pod but is already attached to \[test\/p\]/,
    );
  });
});
