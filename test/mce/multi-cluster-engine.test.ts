import * as fc from 'fast-check';
import { checkConstruct, garbage, mostly } from '../arbitraries';
import { MultiClusterEngine, MultiClusterEngineProps } from '../../lib/mce/multi-cluster-engine';
import { Manifest, testChart } from '../util';

function synth(p?: MultiClusterEngineProps): Manifest {
  const { chart } = testChart();
  new MultiClusterEngine(chart, 'Engine', p);
  return Manifest.of(chart);
}

function build(p: MultiClusterEngineProps): void {
  const { chart } = testChart();
  new MultiClusterEngine(chart, 'Engine', p);
}

describe('MultiClusterEngine', () => {
  test('a second, identical engine shares the one MultiClusterEngine of the chart', () => {
    const { chart } = testChart();
    const a = new MultiClusterEngine(chart, 'A');
    const b = new MultiClusterEngine(chart, 'B');
    expect(b.apiObject).toBe(a.apiObject);
    expect(Manifest.of(chart).all('MultiClusterEngine')).toHaveLength(1);
  });

  test('fails when two engines of one chart have different specs, naming both', () => {
    const { chart } = testChart();
    new MultiClusterEngine(chart, 'A');
    expect(() => new MultiClusterEngine(chart, 'B', { availabilityConfig: 'Basic' })).toThrow(
      /^\[test\/B\] 'props' needs 'spec.availabilityConfig' in the one MultiClusterEngine\/multiclusterengine of test that \[test\/A\] 'props' already set otherwise \(got "Basic"\); a cluster has one multicluster engine/,
    );
  });

  test('enables HyperShift (with local-cluster) and Assisted Service by default, cluster-scoped', () => {
    // GIVEN / WHEN
    const mce = synth().get('MultiClusterEngine', 'multiclusterengine');
    // THEN
    expect(mce.metadata).not.toHaveProperty('namespace');
    expect(mce.spec).toEqual({
      targetNamespace: 'multicluster-engine',
      overrides: {
        components: [
          { name: 'assisted-service', enabled: true },
          { name: 'hypershift', enabled: true },
          { name: 'hypershift-local-hosting', enabled: true },
          { name: 'local-cluster', enabled: true },
        ],
      },
    });
  });

  test('switches further components, availability, pull secret and node selector', () => {
    const spec = synth({
      assistedService: false,
      components: { 'cluster-api-provider-metal3-preview': true, hive: false },
      availabilityConfig: 'Basic',
      imagePullSecret: 'mce-pull',
      nodeSelector: { 'node-role.kubernetes.io/infra': '' },
    }).get('MultiClusterEngine', 'multiclusterengine').spec;
    expect(spec.overrides.components).toEqual([
      { name: 'cluster-api-provider-metal3-preview', enabled: true },
      { name: 'hive', enabled: false },
      { name: 'hypershift', enabled: true },
      { name: 'hypershift-local-hosting', enabled: true },
      { name: 'local-cluster', enabled: true },
    ]);
    expect(spec).toMatchObject({
      availabilityConfig: 'Basic',
      imagePullSecret: 'mce-pull',
      nodeSelector: { 'node-role.kubernetes.io/infra': '' },
    });
  });

  test('fails on an unknown component', () => {
    expect(() => build({ components: { hypershfit: true } as never })).toThrow(
      /\[test\/Engine\] 'components.hypershfit' is not a multicluster engine component/,
    );
  });

  test('fails when HyperShift is on but local-cluster off', () => {
    expect(() => build({ components: { 'local-cluster': false } })).toThrow(
      /'components.local-cluster' is off while hypershift is on/,
    );
  });

  test('fails when hypershift-local-hosting is on but hypershift off', () => {
    expect(() =>
      build({ hostedControlPlanes: false, components: { 'hypershift-local-hosting': true, hypershift: false } }),
    ).toThrow(/'components.hypershift' is off while hypershift-local-hosting is on/);
  });

  test('fails on a non-boolean component state or an unknown availability', () => {
    expect(() => build({ components: { hive: 'yes' as never } })).toThrow(/'components.hive' must be true or false/);
    expect(() => build({ availabilityConfig: 'Full' as never })).toThrow(/'availabilityConfig' is not an availability/);
  });

  test('fails on an invalid target namespace', () => {
    expect(() => build({ targetNamespace: 'MCE' })).toThrow(/'targetNamespace' is not a DNS-1123 label/);
  });
});

describe('MultiClusterEngine properties', () => {
  test('random engines give valid output or the library error, never a TypeError', () => {
    checkConstruct(
      fc.record(
        {
          hostedControlPlanes: mostly(fc.boolean()),
          assistedService: mostly(fc.boolean()),
          components: mostly(
            fc.dictionary(fc.constantFrom('hive', 'local-cluster', 'hypershift', 'nope'), fc.boolean(), { maxKeys: 2 }),
          ),
          availabilityConfig: mostly(fc.constantFrom('High', 'Basic')),
          targetNamespace: fc.option(garbage, { nil: undefined }),
        },
        { requiredKeys: [] },
      ),
      (p) => {
        const { app, chart } = testChart();
        new MultiClusterEngine(chart, 'Engine', p as MultiClusterEngineProps);
        return app.synthYaml();
      },
    );
  });
});
