// Seed 004: SR-IOV VFs for pods on VM nodes. Each VM's secondary VNIC (ens5) is a VF passed through
// in VFIO mode; Multus moves it into a pod with the host-device plugin and the address the cloud
// gave it (static IPAM). One attachment per node; each test pod runs on its attachment's node.
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-29';
import { attachNetworks } from '../../lib/multus/attach';
import { AttachmentPlugin } from '../../lib/multus/attachment-plugin';
import { Multus } from '../../lib/multus/multus';
import { PerNodeStaticNetwork } from '../../lib/multus/per-node-static-network';

export function build(app: App): Chart {
  const site = new Chart(app, 'multus-host-device', { namespace: 'default' });

  // Task 2: Multus as a thin plugin.
  new Multus(site, 'Multus');

  // Task 3: one NetworkAttachmentDefinition per node, with that node's VNIC address.
  const vnic = new PerNodeStaticNetwork(site, 'SriovVnic', {
    name: 'sriov-vnic',
    plugin: AttachmentPlugin.hostDevice({ device: 'ens5' }),
    gateways: ['0.0.0.0'],
    routes: [{ dst: '10.0.10.0/24', gw: '0.0.0.0' }],
    nodes: [
      { nodeName: 'node1', attachmentName: 'sriov-vnic-1', addresses: ['10.0.10.93/24'] },
      { nodeName: 'node2', attachmentName: 'sriov-vnic-2', addresses: ['10.0.10.238/24'] },
    ],
  });

  // Task 4: two test pods, each with the VF of its node as net1.
  [1, 2].forEach((n) => {
    const pod = new kplus.Pod(site, `TestPod${n}`, {
      metadata: { name: `testpod${n}` },
      securityContext: { ensureNonRoot: false },
      automountServiceAccountToken: true,
      containers: [
        {
          name: 'appcntr1',
          image: 'centos/tools',
          imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
          command: ['/bin/bash', '-c', '--'],
          args: ['while true; do sleep 300000; done;'],
          securityContext: { ensureNonRoot: false, readOnlyRootFilesystem: false, allowPrivilegeEscalation: true },
          resources: {},
        },
      ],
    });
    attachNetworks(pod, [vnic.attachmentFor(`node${n}`)]);
  });

  return site;
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
