import * as api from '../../lib';
import * as construct from '../../lib/assisted/assisted-cluster';
import {
  AssistedClusterNetworkingOptions,
  AssistedClusterProps,
  AssistedDiscoveryOptions,
  AssistedLoadBalancerType,
} from '../../lib/assisted/assisted-cluster-props';
import { ClusterImageSet } from '../../lib/assisted/cluster-image-set';
import { SecretRef } from '../../lib/core/secret-ref';
import { Bmc } from '../../lib/metal3/bmc';
import { Manifest, testChart } from '../util';

/**
 * assisted-cluster-props.ts holds the props and option types of AssistedCluster only (no code).
 * `npx tsc` checks the compile-time half of these tests: the types stay the same types when
 * imported from the construct module or the package entry.
 */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameEverywhere: [
  Same<AssistedClusterProps, construct.AssistedClusterProps>,
  Same<AssistedClusterProps, api.AssistedClusterProps>,
  Same<AssistedClusterNetworkingOptions, api.AssistedClusterNetworkingOptions>,
  Same<AssistedDiscoveryOptions, api.AssistedDiscoveryOptions>,
  Same<AssistedLoadBalancerType, api.AssistedLoadBalancerType>,
] = [true, true, true, true, true];

const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBmBTL3cVbNwFu7ccMf0aR0t3JvElxRVwKN9iwBmcmwZ admin@ai-client';

describe('AssistedClusterProps', () => {
  test('are the same types from the props module, the construct module and the package entry', () => {
    expect(sameEverywhere.every((t) => t)).toBe(true);
  });

  test('a value of every option type reaches the AgentClusterInstall and the InfraEnv', () => {
    // GIVEN props that use each option type of the module
    const { chart } = testChart('mycluster');
    const networking: AssistedClusterNetworkingOptions = {
      machineNetworks: ['172.16.0.0/24'],
      clusterNetworks: [{ cidr: '10.128.0.0/14', hostPrefix: 23 }],
      serviceNetworks: ['172.31.0.0/16'],
      apiVIPs: ['172.16.0.100'],
      ingressVIPs: ['172.16.0.101'],
      networkType: 'OpenShiftSDN',
    };
    const discovery: AssistedDiscoveryOptions = { additionalNTPSources: ['ntp.contrail.lan'] };
    const loadBalancer: AssistedLoadBalancerType = 'UserManaged';
    const props: AssistedClusterProps = {
      clusterName: 'mycluster',
      baseDomain: 'contrail.lan',
      imageSet: new ClusterImageSet(chart, 'Release', {
        releaseImage: 'quay.io/openshift-release-dev/ocp-release:4.14.38-x86_64',
      }),
      pullSecret: SecretRef.fromName('pull-secret'),
      sshPublicKey: KEY,
      networking,
      discovery,
      loadBalancer,
      hosts: [1, 2, 3].map((n) => ({
        name: `ocp${n}`,
        role: 'master' as const,
        bootMACAddress: `52:54:00:16:00:1${n}`,
        bmc: Bmc.redfishVirtualMedia(`192.168.100.1${n}`, '1', SecretRef.fromName(`ocp${n}-bmc`)),
      })),
    };
    // WHEN the construct takes them
    new construct.AssistedCluster(chart, 'Cluster', props);
    const m = Manifest.of(chart);
    // THEN each setting shows in the object it is about
    expect(m.get('AgentClusterInstall', 'mycluster').spec).toMatchObject({
      networking: { networkType: 'OpenShiftSDN' },
      loadBalancer: { type: 'UserManaged' },
    });
    expect(m.get('InfraEnv', 'mycluster').spec).toMatchObject({
      cpuArchitecture: 'x86_64',
      additionalNTPSources: ['ntp.contrail.lan'],
    });
  });
});
