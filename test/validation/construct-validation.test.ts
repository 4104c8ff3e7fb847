import { ApiObject, App, Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { validateOutput } from '../../lib/validation/construct-validation';

/** A BareMetalHost with `online` of the wrong type: the schema says boolean. */
function badHost(scope: Construct, id: string) {
  return new ApiObject(scope, id, {
    apiVersion: 'metal3.io/v1alpha1',
    kind: 'BareMetalHost',
    metadata: { name: id },
    spec: { online: 'yes' },
  });
}

function synthErrors(app: App): string {
  try {
    app.synth();
  } catch (e) {
    return (e as Error).message;
  }
  return '';
}

describe('validateOutput', () => {
  test('fails synth on an object under the scope that breaks its CRD schema, naming the construct path', () => {
    // GIVEN
    const app = Testing.app();
    const chart = new Chart(app, 'site');
    const scope = new Construct(chart, 'Cluster');
    badHost(scope, 'node1');
    // WHEN
    validateOutput(scope);
    // THEN
    expect(synthErrors(app)).toMatch(/\[site\/Cluster\/node1\] BareMetalHost\/node1 '\/spec\/online' must be boolean/);
  });

  test('checks objects outside the scope only when something registers them', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'site');
    badHost(chart, 'stray');
    validateOutput(new Construct(chart, 'Empty'));
    expect(synthErrors(app)).toBe('');
  });

  test('leaves a nested scope that validates itself to do so, so each object is reported once', () => {
    // GIVEN a cluster scope holding a worker-pool scope, both validated, with one bad host in the pool
    const app = Testing.app();
    const chart = new Chart(app, 'site');
    const cluster = new Construct(chart, 'Cluster');
    const pool = new Construct(cluster, 'Pool');
    badHost(pool, 'worker1');
    validateOutput(cluster);
    validateOutput(pool);
    // WHEN synthesized, THEN the problem appears once
    expect(synthErrors(app).match(/BareMetalHost\/worker1/g)).toHaveLength(1);
  });

  test('validates embedded manifests with where they are written', () => {
    const app = Testing.app();
    const scope = new Construct(new Chart(app, 'site'), 'Cluster');
    validateOutput(scope, () => [
      {
        path: '/var/lib/rancher/rke2/server/manifests/pool.yaml',
        objects: [
          { apiVersion: 'metallb.io/v1beta1', kind: 'IPAddressPool', metadata: { name: 'p' }, spec: { addresses: 7 } },
        ],
      },
    ]);
    expect(synthErrors(app)).toMatch(
      /embedded in \/var\/lib\/rancher\/rke2\/server\/manifests\/pool\.yaml: .*IPAddressPool\/p/,
    );
  });

  test('refuses literal secret material under the scope without printing it', () => {
    const app = Testing.app();
    const scope = new Construct(new Chart(app, 'site'), 'Cluster');
    new ApiObject(scope, 'bmc', {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'bmc' },
      stringData: { password: 'hunter2' },
    });
    validateOutput(scope);
    const message = synthErrors(app);
    expect(message).toMatch(/Secret\/bmc/);
    expect(message).not.toContain('hunter2');
  });
});
