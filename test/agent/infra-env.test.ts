import * as fc from 'fast-check';
import { checkConstruct, hostArb, mostly, label } from '../arbitraries';
import { InfraEnv, InfraEnvProps } from '../../lib/agent/infra-env';
import { SecretRef } from '../../lib/core/secret-ref';
import { Bmc } from '../../lib/metal3/bmc';
import { NetworkData } from '../../lib/metal3/network-data';
import { findUnresolvedReferences } from '../../lib/validation/references';
import { Manifest, testChart } from '../util';

const SSH = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl user@example';

function props(overrides: Partial<InfraEnvProps> = {}): InfraEnvProps {
  return {
    name: 'hosted',
    namespace: 'clusters-hosted',
    pullSecret: SecretRef.fromName('pull-secret'),
    sshAuthorizedKey: SSH,
    ...overrides,
  };
}

function worker(n: number, withNetwork = false) {
  const mac = `aa:aa:aa:aa:02:1${n}`;
  return {
    name: `hosted-worker${n}`,
    bootMACAddress: mac,
    bmc: Bmc.fromAddress(
      `redfish-virtualmedia://192.168.126.1:9000/redfish/v1/Systems/hosted-worker${n}`,
      SecretRef.fromName(`hosted-worker${n}-bmc-secret`),
    ),
    ...(withNetwork
      ? {
          networkData: NetworkData.nmstate({
            interfaces: [
              { type: 'ethernet', name: 'eth0', macAddress: mac, ipv4: { addresses: [`192.168.126.3${n}/24`] } },
            ],
            routes: [{ destination: '0.0.0.0/0', nextHopAddress: '192.168.126.1', nextHopInterface: 'eth0' }],
          }),
        }
      : {}),
  };
}

function synth(p: InfraEnvProps, hosts: ReturnType<typeof worker>[] = []): Manifest {
  const { chart } = testChart();
  const env = new InfraEnv(chart, 'InfraEnv', p);
  hosts.forEach((h) => env.addHost(h));
  return Manifest.of(chart);
}

function build(p: InfraEnvProps): void {
  const { chart } = testChart();
  new InfraEnv(chart, 'InfraEnv', p);
}

describe('InfraEnv', () => {
  test('defines the seed §6.3.12.3 InfraEnv: pull secret by reference, SSH key, architecture', () => {
    // GIVEN / WHEN
    const m = synth(props());
    // THEN
    expect(m.get('InfraEnv', 'hosted')).toMatchObject({
      apiVersion: 'agent-install.openshift.io/v1beta1',
      metadata: { name: 'hosted', namespace: 'clusters-hosted' },
      spec: { pullSecretRef: { name: 'pull-secret' }, sshAuthorizedKey: SSH, cpuArchitecture: 'x86_64' },
    });
    expect(m.get('InfraEnv', 'hosted').spec).not.toHaveProperty('nmStateConfigLabelSelector');
    expect(m.all('Secret')).toEqual([]);
  });

  test('passes NTP, cluster reference, proxy, agent labels, kernel arguments and Ignition override', () => {
    const ignition = JSON.stringify({ ignition: { version: '3.2.0' }, storage: { files: [] } });
    const spec = synth(
      props({
        additionalNTPSources: ['ntp.example.com', '10.0.0.1'],
        clusterRef: { name: 'sno', namespace: 'sno' },
        proxy: { httpProxy: 'http://proxy:3128', noProxy: ['.example.com', '10.0.0.0/8'] },
        agentLabels: { site: 'berlin' },
        kernelArguments: [{ operation: 'append', value: 'rd.net.timeout.carrier=60' }],
        ignitionConfigOverride: ignition,
        cpuArchitecture: 'aarch64',
      }),
    ).get('InfraEnv', 'hosted').spec;
    expect(spec).toMatchObject({
      additionalNTPSources: ['ntp.example.com', '10.0.0.1'],
      clusterRef: { name: 'sno', namespace: 'sno' },
      proxy: { httpProxy: 'http://proxy:3128', noProxy: '.example.com,10.0.0.0/8' },
      agentLabels: { site: 'berlin' },
      kernelArguments: [{ operation: 'append', value: 'rd.net.timeout.carrier=60' }],
      ignitionConfigOverride: ignition,
      cpuArchitecture: 'aarch64',
    });
  });

  test('defines the pull secret in the InfraEnv namespace through an ExternalSecret', () => {
    const m = synth(props({ pullSecret: SecretRef.fromExternalSecret({ storeName: 'vault', remoteKey: 'ocp/pull' }) }));
    expect(m.get('ExternalSecret', 'hosted-pull-secret')).toMatchObject({
      metadata: { namespace: 'clusters-hosted' },
      spec: { data: [{ secretKey: '.dockerconfigjson', remoteRef: { key: 'ocp/pull' } }] },
    });
    expect(m.get('InfraEnv', 'hosted').spec.pullSecretRef.name).toBe('hosted-pull-secret');
  });

  test('adds Agent-platform hosts labelled with the InfraEnv, in its namespace', () => {
    const m = synth(props(), [worker(1), worker(2)]);
    expect(m.all('BareMetalHost').map((h) => h.metadata.name)).toEqual(['hosted-worker1', 'hosted-worker2']);
    expect(m.get('BareMetalHost', 'hosted-worker1')).toMatchObject({
      metadata: { namespace: 'clusters-hosted', labels: { 'infraenvs.agent-install.openshift.io': 'hosted' } },
    });
    expect(m.all('NMStateConfig')).toEqual([]);
  });

  test('selects the NMStateConfigs of hosts with static networks', () => {
    // GIVEN hosts with static networking
    const m = synth(props(), [worker(1, true), worker(2, true)]);
    // THEN one NMStateConfig per host, selected by the InfraEnv
    expect(m.get('InfraEnv', 'hosted').spec.nmStateConfigLabelSelector).toEqual({
      matchLabels: { 'infraenvs.agent-install.openshift.io': 'hosted' },
    });
    expect(m.get('NMStateConfig', 'hosted-worker1')).toMatchObject({
      metadata: { namespace: 'clusters-hosted', labels: { 'infraenvs.agent-install.openshift.io': 'hosted' } },
      spec: { interfaces: [{ name: 'eth0', macAddress: 'aa:aa:aa:aa:02:11' }] },
    });
    // AND the host itself carries no preprovisioning network data
    expect(m.get('BareMetalHost', 'hosted-worker1').spec).not.toHaveProperty('preprovisioningNetworkDataName');
    expect(
      findUnresolvedReferences(m.objects, {
        external: ['Secret/pull-secret', 'Secret/hosted-worker1-bmc-secret', 'Secret/hosted-worker2-bmc-secret'],
      }),
    ).toEqual([]);
  });

  test('uses the given NMStateConfig labels', () => {
    const m = synth(props({ nmStateConfigLabels: { 'nmstate-label': 'hosted' } }), [worker(1, true)]);
    expect(m.get('InfraEnv', 'hosted').spec.nmStateConfigLabelSelector.matchLabels).toEqual({
      'nmstate-label': 'hosted',
    });
    expect(m.get('NMStateConfig', 'hosted-worker1').metadata.labels).toEqual({ 'nmstate-label': 'hosted' });
  });

  test('fails when a host is added twice', () => {
    const { chart } = testChart();
    const env = new InfraEnv(chart, 'InfraEnv', props());
    env.addHost(worker(1));
    expect(() => env.addHost(worker(1))).toThrow(/'addHost.name' is already a host of this InfraEnv/);
  });

  test('fails when the pull secret is not a SecretRef, without showing it', () => {
    expect(() => build(props({ pullSecret: { '.dockerconfigjson': 'top-secret' } as never }))).toThrow(
      /\[test\/InfraEnv\] 'pullSecret' is not a SecretRef \(got <redacted>\)/,
    );
  });

  test('fails on an unknown CPU architecture', () => {
    expect(() => build(props({ cpuArchitecture: 'amd64' as never }))).toThrow(
      /'cpuArchitecture' is not a CPU architecture/,
    );
  });

  test('fails on a private key given as SSH key, without showing it', () => {
    const e = () => build(props({ sshAuthorizedKey: '-----BEGIN OPENSSH PRIVATE KEY-----\nabc' }));
    expect(e).toThrow(/'sshAuthorizedKey' is a private key \(got <redacted>\)/);
  });

  test('fails on text that is no SSH public key', () => {
    expect(() => build(props({ sshAuthorizedKey: 'AAAAB3Nza' }))).toThrow(
      /'sshAuthorizedKey' is not an OpenSSH public key/,
    );
  });

  test('fails on an NTP source that is no host', () => {
    expect(() => build(props({ additionalNTPSources: ['ntp server'] }))).toThrow(
      /'additionalNTPSources\[0\]' is neither an IP address nor a host name/,
    );
  });

  test('fails on an Ignition override that is not JSON, without showing it', () => {
    expect(() => build(props({ ignitionConfigOverride: '{"passwd": secret' }))).toThrow(
      /'ignitionConfigOverride' is not JSON \(got <redacted>\)/,
    );
    expect(() => build(props({ ignitionConfigOverride: '{}' }))).toThrow(
      /'ignitionConfigOverride' has no ignition.version/,
    );
  });

  test('fails on a proxy that is no URL or embeds credentials', () => {
    expect(() => build(props({ proxy: { httpProxy: 'proxy:3128' } }))).toThrow(
      /'proxy.httpProxy' is not an http\(s\) URL/,
    );
    expect(() => build(props({ proxy: { httpProxy: 'http://u:p@proxy:3128' } }))).toThrow(
      /'proxy.httpProxy' embeds credentials \(got <redacted>\)/,
    );
    expect(() => build(props({ proxy: {} }))).toThrow(/'proxy' names no proxy/);
  });

  test('fails on osImageVersion together with clusterRef', () => {
    expect(() => build(props({ osImageVersion: '4.19', clusterRef: { name: 'a', namespace: 'a' } }))).toThrow(
      /'osImageVersion' cannot be given with clusterRef/,
    );
  });

  test('fails on a kernel argument with spaces', () => {
    expect(() => build(props({ kernelArguments: [{ operation: 'append', value: 'a b' }] }))).toThrow(
      /'kernelArguments\[0\].value' is not one kernel argument/,
    );
  });

  test('fails on a trust bundle without a certificate', () => {
    expect(() => build(props({ additionalTrustBundle: 'nothing' }))).toThrow(
      /'additionalTrustBundle' holds no PEM certificate/,
    );
  });
});

describe('InfraEnv properties', () => {
  test('random InfraEnvs and hosts give valid output or the library error, never a TypeError', () => {
    checkConstruct(
      fc.record({
        name: mostly(label),
        ssh: fc.option(mostly(fc.constant(SSH)), { nil: undefined }),
        arch: fc.option(mostly(fc.constantFrom('x86_64', 'aarch64')), { nil: undefined }),
        ntp: fc.option(fc.array(mostly(fc.constantFrom('ntp.example.com', '10.0.0.1')), { maxLength: 2 }), {
          nil: undefined,
        }),
        hosts: fc.array(hostArb(10), { maxLength: 3 }),
      }),
      ({ name, ssh, arch, ntp, hosts }) => {
        const { app, chart } = testChart();
        const env = new InfraEnv(chart, 'InfraEnv', {
          name,
          pullSecret: SecretRef.fromName('pull-secret'),
          sshAuthorizedKey: ssh,
          cpuArchitecture: arch as never,
          additionalNTPSources: ntp,
        });
        hosts.forEach((h) => env.addHost(h));
        return app.synthYaml();
      },
    );
  });
});
