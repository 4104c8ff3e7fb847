import { SecretRef } from '../../lib/core/secret-ref';
import { BaremetalValidationError } from '../../lib/errors';
import { Manifest, testChart } from '../util';

const bindOptions = {
  defaultName: 'node1-bmc',
  requiredKeys: ['username', 'password'],
  where: { path: 'site/Host', prop: 'bmc.credentials' },
};

describe('SecretRef', () => {
  test('fromName refers to an existing Secret and defines nothing', () => {
    const { chart } = testChart();
    const ref = SecretRef.fromName('example-demo-credentials');
    expect(ref.isLiteral).toBe(false);
    expect(ref.bind(chart, 'Creds', bindOptions)).toBe('example-demo-credentials');
    expect(Manifest.of(chart).objects).toEqual([]);
  });

  test('fromLiteral defines an Opaque Secret under the consumer name', () => {
    const { chart } = testChart();
    const ref = SecretRef.fromLiteral({ username: 'u', password: 'p' }, { writeSecretMaterialToManifests: true });
    expect(ref.isLiteral).toBe(true);
    expect(ref.bind(chart, 'Creds', bindOptions)).toBe('node1-bmc');
    expect(Manifest.of(chart).get('Secret', 'node1-bmc')).toMatchObject({
      type: 'Opaque',
      stringData: { username: 'u', password: 'p' },
    });
  });

  test('fromLiteral honours an explicit name', () => {
    const { chart } = testChart();
    const ref = SecretRef.fromLiteral(
      { username: 'u', password: 'p' },
      { writeSecretMaterialToManifests: true, name: 'lab-bmc' },
    );
    expect(ref.bind(chart, 'Creds', bindOptions)).toBe('lab-bmc');
  });

  test('a literal Secret and an ExternalSecret take the consumer namespace when it is given', () => {
    const { chart } = testChart();
    SecretRef.fromLiteral({ username: 'u', password: 'p' }, { writeSecretMaterialToManifests: true }).bind(
      chart,
      'Lit',
      { ...bindOptions, namespace: 'clusters-hosted' },
    );
    SecretRef.fromExternalSecret({ storeName: 'vault', remoteKey: 'k' }).bind(chart, 'Ext', {
      ...bindOptions,
      defaultName: 'other',
      namespace: 'clusters-hosted',
    });
    const m = Manifest.of(chart);
    expect(m.get('Secret', 'node1-bmc').metadata.namespace).toBe('clusters-hosted');
    expect(m.get('ExternalSecret', 'other').metadata.namespace).toBe('clusters-hosted');
  });

  test('fromExternalSecret defines an ExternalSecret whose target is the consumer Secret', () => {
    const { chart } = testChart();
    const ref = SecretRef.fromExternalSecret({
      storeName: 'vault',
      remoteKey: 'sites/berlin-01/node1-bmc',
      properties: { username: 'user' },
    });
    expect(ref.isLiteral).toBe(false);
    expect(ref.bind(chart, 'Creds', bindOptions)).toBe('node1-bmc');
    const m = Manifest.of(chart);
    expect(m.all('Secret')).toEqual([]);
    expect(m.get('ExternalSecret', 'node1-bmc')).toMatchObject({
      apiVersion: 'external-secrets.io/v1',
      spec: {
        refreshInterval: '1h',
        secretStoreRef: { name: 'vault', kind: 'ClusterSecretStore' },
        target: { name: 'node1-bmc' },
        data: [
          { secretKey: 'username', remoteRef: { key: 'sites/berlin-01/node1-bmc', property: 'user' } },
          { secretKey: 'password', remoteRef: { key: 'sites/berlin-01/node1-bmc', property: 'password' } },
        ],
      },
    });
  });

  test('fails when fromExternalSecret options are invalid', () => {
    expect(() => SecretRef.fromExternalSecret({ storeName: 'Vault Store', remoteKey: 'k' })).toThrow(
      /'storeName' is not a DNS-1123 subdomain/,
    );
    expect(() => SecretRef.fromExternalSecret({ storeName: 'v', remoteKey: '' })).toThrow(
      /'remoteKey' must be a non-empty string/,
    );
    expect(() => SecretRef.fromExternalSecret({ storeName: 'v', remoteKey: 'k', storeKind: 'Vault' as never })).toThrow(
      /'storeKind' is not a store kind/,
    );
    expect(() => SecretRef.fromExternalSecret({ storeName: 'v', remoteKey: 'k', refreshInterval: 'hourly' })).toThrow(
      /'refreshInterval' is not a duration/,
    );
    expect(() =>
      SecretRef.fromExternalSecret({ storeName: 'v', remoteKey: 'k', properties: { password: '' } }),
    ).toThrow(/'properties.password'/);
    expect(() => SecretRef.fromExternalSecret(null as never)).toThrow(/'options' must be an object/);
  });

  test('fails when an ExternalSecret maps a key the consumer does not read', () => {
    const { chart } = testChart();
    const ref = SecretRef.fromExternalSecret({ storeName: 'v', remoteKey: 'k', properties: { token: 't' } });
    expect(() => ref.bind(chart, 'Creds', bindOptions)).toThrow(/maps key 'token', which the consumer does not read/);
  });

  test('fails when fromName gets an invalid name', () => {
    expect(() => SecretRef.fromName('Node1 BMC')).toThrow(/\[SecretRef.fromName\] 'name' is not a DNS-1123 subdomain/);
  });

  test('fails when fromLiteral is used without the explicit opt-in', () => {
    expect(() => SecretRef.fromLiteral({ password: 'p' }, { writeSecretMaterialToManifests: false })).toThrow(
      /'options.writeSecretMaterialToManifests' must be true to write secret material into the manifests/,
    );
    expect(() => SecretRef.fromLiteral({ password: 'p' }, undefined as never)).toThrow(BaremetalValidationError);
  });

  test('fails when a literal value is not a string, without echoing values', () => {
    let message = '';
    try {
      SecretRef.fromLiteral({ password: { nested: 'hunter2' } } as never, { writeSecretMaterialToManifests: true });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/'data.password' must be a string \(got <redacted>\)/);
    expect(message).not.toContain('hunter2');
  });

  test('fails when a literal Secret lacks a required key, naming keys but never values', () => {
    const { chart } = testChart();
    const ref = SecretRef.fromLiteral({ username: 'root', pass: 'hunter2' }, { writeSecretMaterialToManifests: true });
    expect(() => ref.bind(chart, 'Creds', bindOptions)).toThrow(
      /\[site\/Host\] 'bmc.credentials' has no key 'password'/,
    );
    try {
      ref.bind(chart, 'Creds2', bindOptions);
    } catch (e) {
      expect((e as Error).message).not.toContain('hunter2');
    }
  });
});
