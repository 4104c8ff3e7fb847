import * as api from '../../lib';
import { SecretRef } from '../../lib/core/secret-ref';
import * as construct from '../../lib/hypershift/hosted-cluster-agent';
import {
  HostedClusterAgentProps,
  HostedClusterDnsOptions,
  HostedClusterInfraEnvOptions,
  HostedClusterServices,
  ServicePublishing,
} from '../../lib/hypershift/hosted-cluster-agent-props';
import { Bmc } from '../../lib/metal3/bmc';
import { Manifest, testChart } from '../util';

/**
 * hosted-cluster-agent-props.ts holds the props and option types of HostedClusterAgent only (no
 * code). `npx tsc` checks the compile-time half of these tests: the types keep their shape and stay
 * the same types when imported from the construct module or the package entry.
 */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameEverywhere: [
  Same<HostedClusterAgentProps, construct.HostedClusterAgentProps>,
  Same<HostedClusterAgentProps, api.HostedClusterAgentProps>,
  Same<ServicePublishing, api.ServicePublishing>,
  Same<HostedClusterServices, api.HostedClusterServices>,
  Same<HostedClusterDnsOptions, api.HostedClusterDnsOptions>,
  Same<HostedClusterInfraEnvOptions, api.HostedClusterInfraEnvOptions>,
] = [true, true, true, true, true, true];

const DIGEST = 'sha256:e3ba11bd1e5e8ea5a0b36a75791c90f29afb0fdbe4125be4e48f69c76a5c47a0';

describe('HostedClusterAgentProps', () => {
  test('are the same types from the props module, the construct module and the package entry', () => {
    expect(sameEverywhere.every((t) => t)).toBe(true);
  });

  test('a value of every option type reaches the HostedCluster and the InfraEnv', () => {
    // GIVEN props that use each option type of the module
    const oauth: ServicePublishing = { type: 'NodePort', address: '192.168.126.20', port: 30444 };
    const services: HostedClusterServices = {
      oauthServer: oauth,
      ignition: { type: 'Route', hostname: 'ign.example.com' },
    };
    const dns: HostedClusterDnsOptions = { apiAddresses: ['192.168.126.10'], ingressAddresses: ['192.168.126.11'] };
    const infraEnv: HostedClusterInfraEnvOptions = { kernelArguments: [{ operation: 'append', value: 'nosmt' }] };
    const props: HostedClusterAgentProps = {
      name: 'hosted',
      baseDomain: 'example.com',
      releaseImage: `quay.io/openshift-release-dev/ocp-release@${DIGEST}`,
      pullSecret: SecretRef.fromName('hosted-pull-secret'),
      etcdEncryptionKey: SecretRef.fromName('hosted-etcd-encryption-key'),
      services,
      dns,
      infraEnv,
      workers: [
        {
          name: 'worker0',
          bootMACAddress: 'aa:aa:aa:aa:02:11',
          bmc: Bmc.redfishVirtualMedia('192.168.126.1:9000', 'w0', SecretRef.fromName('w0-bmc')),
        },
      ],
    };
    // WHEN the construct takes them
    const { chart } = testChart();
    const cluster = new construct.HostedClusterAgent(chart, 'Hosted', props);
    const m = Manifest.of(chart);
    // THEN each setting shows in the object it is about
    expect(m.get('HostedCluster', 'hosted').spec.services).toEqual(
      expect.arrayContaining([
        {
          service: 'OAuthServer',
          servicePublishingStrategy: { type: 'NodePort', nodePort: { address: '192.168.126.20', port: 30444 } },
        },
        { service: 'Ignition', servicePublishingStrategy: { type: 'Route', route: { hostname: 'ign.example.com' } } },
      ]),
    );
    expect(m.get('InfraEnv', 'hosted').spec).toMatchObject({
      kernelArguments: [{ operation: 'append', value: 'nosmt' }],
    });
    expect(cluster.dnsRecords).toBeDefined();
  });
});
