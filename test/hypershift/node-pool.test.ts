import * as k8s from 'cdk8s-plus-29/lib/imports/k8s';
import { Construct } from 'constructs';
import * as fc from 'fast-check';
import { checkConstruct, mostly } from '../arbitraries';
import { AgentNodePool, AgentNodePoolProps } from '../../lib/hypershift/node-pool';
import { Manifest, testChart } from '../util';

const RELEASE =
  'registry.dns.base.domain.name:5000/openshift/release-images@sha256:e3ba11bd1e5e8ea5a0b36a75791c90f29afb0fdbe4125be4e48f69c76a5c47a0';

function props(overrides: Partial<AgentNodePoolProps> = {}): AgentNodePoolProps {
  return { clusterName: 'hosted', namespace: 'clusters', releaseImage: RELEASE, replicas: 2, ...overrides };
}

function build(p: AgentNodePoolProps): void {
  const { chart } = testChart();
  new AgentNodePool(chart, 'Pool', p);
}

describe('AgentNodePool', () => {
  test('defines the seed §6.3.12.2 NodePool: amd64, no auto repair, in-place upgrades, release by digest', () => {
    // GIVEN / WHEN
    const { chart } = testChart();
    new AgentNodePool(
      chart,
      'Pool',
      props({ agentLabelSelector: { 'infraenvs.agent-install.openshift.io': 'hosted' } }),
    );
    const pool = Manifest.of(chart).get('NodePool', 'hosted');
    // THEN
    expect(pool).toMatchObject({
      apiVersion: 'hypershift.openshift.io/v1beta1',
      metadata: { namespace: 'clusters' },
      spec: {
        arch: 'amd64',
        clusterName: 'hosted',
        management: { autoRepair: false, upgradeType: 'InPlace' },
        nodeDrainTimeout: '0s',
        platform: {
          type: 'Agent',
          agent: { agentLabelSelector: { matchLabels: { 'infraenvs.agent-install.openshift.io': 'hosted' } } },
        },
        release: { image: RELEASE },
        replicas: 2,
      },
    });
  });

  test('names node configuration ConfigMaps (by name or object), node labels and taints', () => {
    const { chart } = testChart();
    const mc = new k8s.KubeConfigMap(chart, 'Mc', { metadata: { name: 'worker-chrony' }, data: { config: '{}' } });
    new AgentNodePool(
      chart,
      'Pool',
      props({
        name: 'gpu',
        config: [mc, 'worker-kubelet'],
        nodeLabels: { pool: 'gpu' },
        taints: [{ key: 'gpu', value: 'true', effect: 'NoSchedule' }],
        upgradeType: 'Replace',
        autoRepair: true,
        arch: 'arm64',
      }),
    );
    expect(Manifest.of(chart).get('NodePool', 'gpu').spec).toMatchObject({
      arch: 'arm64',
      management: { autoRepair: true, upgradeType: 'Replace' },
      config: [{ name: 'worker-chrony' }, { name: 'worker-kubelet' }],
      nodeLabels: { pool: 'gpu' },
      taints: [{ key: 'gpu', value: 'true', effect: 'NoSchedule' }],
    });
  });

  test('keeps platform.agent without a selector, as the CRD requires for arm64 pools', () => {
    const { chart } = testChart();
    new AgentNodePool(chart, 'Pool', props({ arch: 'arm64' }));
    expect(Manifest.of(chart).get('NodePool', 'hosted').spec.platform).toEqual({ type: 'Agent', agent: {} });
  });

  test('fails on a release image given by tag', () => {
    expect(() => build(props({ releaseImage: 'quay.io/openshift-release-dev/ocp-release:4.14.0-x86_64' }))).toThrow(
      /\[test\/Pool\] 'releaseImage' is a tag, not a digest .*oc adm release info/,
    );
  });

  test('fails on negative or fractional replicas', () => {
    expect(() => build(props({ replicas: -1 }))).toThrow(/'replicas' must be an integer from 0 to 10000/);
    expect(() => build(props({ replicas: 1.5 }))).toThrow(/'replicas' must be an integer/);
  });

  test('fails on a config object that is no ConfigMap, or a ConfigMap named twice', () => {
    const { chart } = testChart();
    const secret = new k8s.KubeSecret(chart, 'S', { metadata: { name: 's' } });
    expect(() => new AgentNodePool(chart, 'Pool', props({ config: [secret] }))).toThrow(
      /'config\[0\]' is a Secret, not a ConfigMap/,
    );
    expect(() => build(props({ config: ['a', 'a'] }))).toThrow(/'config' names a ConfigMap twice/);
  });

  test('fails on a config construct that is not a ConfigMap, such as a MachineConfig, saying what to pass', () => {
    const { chart } = testChart();
    const mc = new Construct(chart, 'Mc');
    expect(() => new AgentNodePool(chart, 'Pool', props({ config: [mc as never] }))).toThrow(
      '[test/Pool] \'config[0]\' is a construct (test/Mc), not a ConfigMap (got "Construct"); pass a ConfigMap or its name, e.g. machineConfig.toNodePoolConfigMap({ namespace })',
    );
  });

  test('fails on an unknown arch, upgrade type, drain timeout or taint effect', () => {
    expect(() => build(props({ arch: 'x86_64' as never }))).toThrow(/'arch' is not a NodePool architecture/);
    expect(() => build(props({ upgradeType: 'Rolling' as never }))).toThrow(/'upgradeType' is not an upgrade type/);
    expect(() => build(props({ nodeDrainTimeout: '5 minutes' }))).toThrow(/'nodeDrainTimeout' is not a duration/);
    expect(() => build(props({ taints: [{ key: 'a', effect: 'Never' as never }] }))).toThrow(
      /'taints\[0\].effect' is not a taint effect/,
    );
  });

  test('fails on an invalid cluster name or selector label', () => {
    expect(() => build(props({ clusterName: 'Hosted' }))).toThrow(/'clusterName' is not a DNS-1123 label/);
    expect(() => build(props({ agentLabelSelector: { a: 'b c' } }))).toThrow(
      /'agentLabelSelector.a' is not a valid label value/,
    );
  });
});

describe('AgentNodePool properties', () => {
  test('random pools give valid output or the library error, never a TypeError', () => {
    checkConstruct(
      fc.record({
        replicas: mostly(fc.integer({ min: -1, max: 5 })),
        releaseImage: mostly(fc.constantFrom(RELEASE, 'quay.io/x/y:1')),
        nodeDrainTimeout: fc.option(mostly(fc.constantFrom('0s', '30m', '1h30m')), { nil: undefined }),
        config: fc.option(fc.array(mostly(fc.constantFrom('a', 'b', 'C')), { maxLength: 2 }), { nil: undefined }),
      }),
      (p) => {
        const { app, chart } = testChart();
        new AgentNodePool(chart, 'Pool', { clusterName: 'hosted', ...p });
        return app.synthYaml();
      },
    );
  });
});
