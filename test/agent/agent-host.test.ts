import * as fc from 'fast-check';
import { checkConstruct, hostArb, mostly } from '../arbitraries';
import { AgentBareMetalHost, AgentBareMetalHostProps } from '../../lib/agent/agent-host';
import { SecretRef } from '../../lib/core/secret-ref';
import { Bmc } from '../../lib/metal3/bmc';
import { NetworkData } from '../../lib/metal3/network-data';
import { Manifest, testChart } from '../util';

function props(overrides: Partial<AgentBareMetalHostProps> = {}): AgentBareMetalHostProps {
  return {
    name: 'hosted-worker0',
    bootMACAddress: 'aa:aa:aa:aa:02:11',
    bmc: Bmc.fromAddress(
      'redfish-virtualmedia://[fd00::1]:9000/redfish/v1/Systems/hosted-worker0',
      SecretRef.fromName('hosted-worker0-bmc-secret'),
      { disableCertificateVerification: true },
    ),
    infraEnvName: 'hosted',
    namespace: 'clusters-hosted',
    ...overrides,
  };
}

function synth(p: AgentBareMetalHostProps): Manifest {
  const { chart } = testChart();
  new AgentBareMetalHost(chart, 'Host', p);
  return Manifest.of(chart);
}

function build(p: AgentBareMetalHostProps): void {
  const { chart } = testChart();
  new AgentBareMetalHost(chart, 'Host', p);
}

describe('AgentBareMetalHost', () => {
  test('defines the seed §6.3.12.4 BareMetalHost for the Agent platform', () => {
    // GIVEN / WHEN
    const bmh = synth(props()).get('BareMetalHost', 'hosted-worker0');
    // THEN
    expect(bmh).toMatchObject({
      metadata: {
        namespace: 'clusters-hosted',
        labels: { 'infraenvs.agent-install.openshift.io': 'hosted' },
        annotations: {
          'inspect.metal3.io': 'disabled',
          'bmac.agent-install.openshift.io/hostname': 'hosted-worker0',
        },
      },
      spec: {
        automatedCleaningMode: 'disabled',
        online: true,
        bootMACAddress: 'aa:aa:aa:aa:02:11',
        bmc: {
          address: 'redfish-virtualmedia://[fd00::1]:9000/redfish/v1/Systems/hosted-worker0',
          credentialsName: 'hosted-worker0-bmc-secret',
          disableCertificateVerification: true,
        },
      },
    });
    expect(Object.keys(bmh.metadata.annotations)).toHaveLength(2);
  });

  test('writes role, hostname, installer args, pool, Ignition overrides, node and agent labels as BMAC annotations', () => {
    const annotations = synth(
      props({
        hostname: 'worker-0.example.com',
        role: 'worker',
        installerArgs: ['--append-karg', 'ip=dhcp'],
        machineConfigPool: 'infra',
        ignitionConfigOverrides: '{"ignition":{"version":"3.2.0"}}',
        nodeLabels: { 'node-role.kubernetes.io/infra': '', zone: 'a' },
        agentLabels: { pool: 'gpu' },
      }),
    ).get('BareMetalHost', 'hosted-worker0').metadata.annotations;
    expect(annotations).toEqual({
      'inspect.metal3.io': 'disabled',
      'bmac.agent-install.openshift.io/hostname': 'worker-0.example.com',
      'bmac.agent-install.openshift.io/role': 'worker',
      'bmac.agent-install.openshift.io/installer-args': '["--append-karg","ip=dhcp"]',
      'bmac.agent-install.openshift.io/machine-config-pool': 'infra',
      'bmac.agent-install.openshift.io/ignition-config-overrides': '{"ignition":{"version":"3.2.0"}}',
      'bmac.agent-install.openshift.io.node-label.node-role.kubernetes.io/infra': '',
      'bmac.agent-install.openshift.io.node-label.zone': 'a',
      'bmac.agent-install.openshift.io.agent-label.pool': 'gpu',
    });
  });

  test('defines the BMC credentials in the host namespace only on opt-in', () => {
    const creds = SecretRef.fromLiteral(
      { username: 'admin', password: 'admin' },
      { writeSecretMaterialToManifests: true },
    );
    const m = synth(props({ bmc: Bmc.redfishVirtualMedia('192.168.126.1', '1', creds) }));
    expect(m.get('Secret', 'hosted-worker0-bmc')).toMatchObject({ metadata: { namespace: 'clusters-hosted' } });
  });

  test('keeps static networking off the BareMetalHost (the InfraEnv carries it as NMStateConfig)', () => {
    const networkData = NetworkData.nmstate({
      interfaces: [
        { type: 'ethernet', name: 'eth0', macAddress: 'aa:aa:aa:aa:02:11', ipv4: { addresses: ['10.0.0.5/24'] } },
      ],
    });
    const m = synth(props({ networkData }));
    expect(m.all('Secret')).toEqual([]);
    expect(m.get('BareMetalHost', 'hosted-worker0').spec).not.toHaveProperty('preprovisioningNetworkDataName');
  });

  test('fails on a static IP another host claims', () => {
    const { chart } = testChart();
    const nd = (macAddress: string) =>
      NetworkData.nmstate({
        interfaces: [{ type: 'ethernet', name: 'eth0', macAddress, ipv4: { addresses: ['10.0.0.5/24'] } }],
      });
    new AgentBareMetalHost(chart, 'A', props({ networkData: nd('aa:aa:aa:aa:02:11') }));
    expect(
      () =>
        new AgentBareMetalHost(
          chart,
          'B',
          props({
            name: 'other',
            bootMACAddress: 'aa:aa:aa:aa:02:12',
            bmc: Bmc.redfishVirtualMedia('192.168.126.9', '1', SecretRef.fromName('x')),
            networkData: nd('aa:aa:aa:aa:02:12'),
          }),
        ),
    ).toThrow(/'host.networkData' is also the IP address of \[test\/A\]/);
  });

  test('fails on an unknown role', () => {
    expect(() => build(props({ role: 'bootstrap' as never }))).toThrow(/'host.role' is not an Agent role/);
  });

  test('fails on a node label key too long for the annotation', () => {
    expect(() => build(props({ nodeLabels: { ['a'.repeat(30)]: 'x' } }))).toThrow(
      /'host.nodeLabels.a+' makes the annotation key .* longer than 63 characters/,
    );
  });

  test('fails on an invalid node label value', () => {
    expect(() => build(props({ nodeLabels: { zone: 'a b' } }))).toThrow(
      /'host.nodeLabels.zone' is not a valid label value/,
    );
  });

  test('fails on installer args that are not strings', () => {
    expect(() => build(props({ installerArgs: '--append-karg' as never }))).toThrow(
      /'host.installerArgs' must be a list/,
    );
    expect(() => build(props({ installerArgs: [''] }))).toThrow(/'host.installerArgs\[0\]' is empty/);
  });

  test('fails on Ignition overrides that are not an Ignition config', () => {
    expect(() => build(props({ ignitionConfigOverrides: '[1]' }))).toThrow(
      /'host.ignitionConfigOverrides' is not a JSON object/,
    );
  });

  test('fails on an invalid InfraEnv name or hostname', () => {
    expect(() => build(props({ infraEnvName: 'Hosted' }))).toThrow(/'infraEnvName' is not a DNS-1123 subdomain/);
    expect(() => build(props({ hostname: 'Worker_0' }))).toThrow(/'host.hostname' is not a DNS-1123 subdomain/);
  });

  test('fails on invalid host facts, reusing the BareMetalHost checks', () => {
    expect(() => build(props({ bootMACAddress: 'nope' }))).toThrow(/'host.bootMACAddress'/);
  });
});

describe('AgentBareMetalHost properties', () => {
  test('random Agent hosts give valid output or the library error, never a TypeError', () => {
    checkConstruct(
      fc.record({
        host: hostArb(10),
        role: fc.option(mostly(fc.constantFrom('master', 'worker', 'auto-assign')), { nil: undefined }),
        nodeLabels: fc.option(fc.dictionary(fc.string(), fc.string(), { maxKeys: 2 }), { nil: undefined }),
        installerArgs: fc.option(mostly(fc.array(fc.string(), { maxLength: 2 })), { nil: undefined }),
      }),
      ({ host, role, nodeLabels, installerArgs }) => {
        const { app, chart } = testChart();
        new AgentBareMetalHost(chart, 'Host', {
          ...host,
          role: role as never,
          nodeLabels,
          installerArgs,
          infraEnvName: 'env',
        });
        return app.synthYaml();
      },
    );
  });
});
