import { findUnresolvedReferences, ManifestObject } from '../../lib/validation/references';

const ns = 'site';
function obj(
  kind: string,
  name: string,
  spec: object = {},
  labels?: Record<string, string>,
  apiVersion = 'v1',
): ManifestObject {
  return { apiVersion, kind, metadata: { name, namespace: ns, ...(labels ? { labels } : {}) }, spec };
}

function site(): ManifestObject[] {
  return [
    obj('Cluster', 'c1', {
      controlPlaneRef: { apiVersion: 'controlplane.cluster.x-k8s.io/v1beta1', kind: 'RKE2ControlPlane', name: 'c1' },
      infrastructureRef: { apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1', kind: 'Metal3Cluster', name: 'c1' },
    }),
    obj('Metal3Cluster', 'c1', {}, undefined, 'infrastructure.cluster.x-k8s.io/v1beta1'),
    obj(
      'RKE2ControlPlane',
      'c1',
      { replicas: 1, machineTemplate: { infrastructureRef: { kind: 'Metal3MachineTemplate', name: 'c1-cp' } } },
      undefined,
      'controlplane.cluster.x-k8s.io/v1beta1',
    ),
    obj('Metal3MachineTemplate', 'c1-cp', {
      template: { spec: { dataTemplate: { name: 'c1-cp-template' }, hostSelector: { matchLabels: { role: 'cp' } } } },
    }),
    obj('Metal3DataTemplate', 'c1-cp-template', { clusterName: 'c1' }),
    obj(
      'BareMetalHost',
      'h1',
      { bmc: { credentialsName: 'h1-bmc' }, preprovisioningNetworkDataName: 'h1-net' },
      { role: 'cp' },
    ),
    obj('Secret', 'h1-net'),
  ];
}

describe('findUnresolvedReferences', () => {
  test('a complete site resolves when the credentials Secret is declared external', () => {
    expect(findUnresolvedReferences(site(), { external: ['Secret/h1-bmc'] })).toEqual([]);
  });

  test('reports an undeclared credentials Secret', () => {
    expect(findUnresolvedReferences(site())).toEqual([
      "[BareMetalHost/h1] 'spec.bmc.credentialsName' names Secret/h1-bmc, which is neither emitted nor declared external",
    ]);
  });

  test('reports a control plane reference with the wrong apiVersion', () => {
    const objects = site().map((o) =>
      o.kind === 'Metal3Cluster' ? { ...o, apiVersion: 'infrastructure.cluster.x-k8s.io/v1alpha5' } : o,
    );
    expect(findUnresolvedReferences(objects, { external: ['Secret/h1-bmc'] })).toEqual([
      "[Cluster/c1] 'spec.infrastructureRef' names Metal3Cluster/c1, which is neither emitted nor declared external",
    ]);
  });

  test('reports a missing data template and an unknown cluster', () => {
    const objects = site().filter((o) => o.kind !== 'Metal3DataTemplate' && o.kind !== 'Cluster');
    objects.push(obj('Metal3DataTemplate', 'other', { clusterName: 'ghost' }));
    const problems = findUnresolvedReferences(objects, { external: ['Secret/h1-bmc'] });
    expect(problems).toContain(
      "[Metal3MachineTemplate/c1-cp] 'spec.template.spec.dataTemplate' names Metal3DataTemplate/c1-cp-template, which is neither emitted nor declared external",
    );
    expect(problems).toContain(
      "[Metal3DataTemplate/other] 'spec.clusterName' names Cluster/ghost, which is neither emitted nor declared external",
    );
  });

  test('reports a host selector that matches fewer hosts than machines', () => {
    const objects = site().map((o) => (o.kind === 'RKE2ControlPlane' ? { ...o, spec: { ...o.spec, replicas: 3 } } : o));
    expect(findUnresolvedReferences(objects, { external: ['Secret/h1-bmc'] })).toEqual([
      "[Metal3MachineTemplate/c1-cp] 'spec.template.spec.hostSelector' matches 1 BareMetalHost(s) but 3 machine(s) use it",
    ]);
  });

  test('does not count hosts of another namespace', () => {
    const objects = site().map((o) =>
      o.kind === 'BareMetalHost' ? { ...o, metadata: { ...o.metadata, namespace: 'elsewhere' } } : o,
    );
    expect(findUnresolvedReferences(objects, { external: ['Secret/h1-bmc', 'Secret/elsewhere/h1-net'] })).toContain(
      "[Metal3MachineTemplate/c1-cp] 'spec.template.spec.hostSelector' matches 0 BareMetalHost(s) but 1 machine(s) use it",
    );
  });

  test('counts MachineDeployment replicas and checks their bootstrap reference', () => {
    const objects = [
      ...site(),
      obj('MachineDeployment', 'c1-workers', {
        replicas: 2,
        template: {
          spec: {
            infrastructureRef: { kind: 'Metal3MachineTemplate', name: 'c1-cp' },
            bootstrap: { configRef: { kind: 'RKE2ConfigTemplate', name: 'c1-workers' } },
          },
        },
      }),
    ];
    const problems = findUnresolvedReferences(objects, { external: ['Secret/h1-bmc'] });
    expect(problems).toContain(
      "[MachineDeployment/c1-workers] 'spec.template.spec.bootstrap.configRef' names RKE2ConfigTemplate/c1-workers, which is neither emitted nor declared external",
    );
    expect(problems).toContain(
      "[Metal3MachineTemplate/c1-cp] 'spec.template.spec.hostSelector' matches 1 BareMetalHost(s) but 3 machine(s) use it",
    );
  });
});

describe('Secrets made by the External Secrets Operator', () => {
  const host = obj(
    'BareMetalHost',
    'h1',
    { bmc: { address: 'redfish://10.0.0.1/x', credentialsName: 'h1-bmc' } },
    {},
    'metal3.io/v1alpha1',
  );

  test('GIVEN an ExternalSecret whose target is the credentials Secret THEN the reference resolves', () => {
    const es = obj('ExternalSecret', 'h1-creds', { target: { name: 'h1-bmc' } }, undefined, 'external-secrets.io/v1');
    expect(findUnresolvedReferences([host, es])).toEqual([]);
  });

  test('GIVEN an ExternalSecret without a target name THEN the Secret is named as the ExternalSecret', () => {
    const es = obj('ExternalSecret', 'h1-bmc', {}, undefined, 'external-secrets.io/v1');
    expect(findUnresolvedReferences([host, es])).toEqual([]);
  });

  test('fails when the ExternalSecret fills another Secret', () => {
    const es = obj('ExternalSecret', 'h1-bmc', { target: { name: 'other' } }, undefined, 'external-secrets.io/v1');
    expect(findUnresolvedReferences([host, es])).toEqual([
      "[BareMetalHost/h1] 'spec.bmc.credentialsName' names Secret/h1-bmc, which is neither emitted nor declared external",
    ]);
  });
});
