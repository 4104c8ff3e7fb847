import { SECRET_MATERIAL_ANNOTATION } from '../../lib/core/secret-material';
import { SECRET_MATERIAL_ANNOTATION as FROM_SECRET_REF, SecretRef } from '../../lib/core/secret-ref';
import { findSecretMaterial } from '../../lib/validation/secret-safety';
import { Manifest, testChart } from '../util';

describe('SECRET_MATERIAL_ANNOTATION', () => {
  test('is the annotation users write to opt in, and the one secret-ref re-exports', () => {
    expect(SECRET_MATERIAL_ANNOTATION).toBe('cdk8s-baremetal/secret-material');
    expect(FROM_SECRET_REF).toBe(SECRET_MATERIAL_ANNOTATION);
  });

  test('a literal Secret carries it, and the secret check accepts that Secret only with it', () => {
    const { chart } = testChart();
    SecretRef.fromLiteral({ username: 'u', password: 'p' }, { writeSecretMaterialToManifests: true }).bind(
      chart,
      'Creds',
      { defaultName: 'node1-bmc', requiredKeys: ['username', 'password'], where: { path: 'site/Host', prop: 'bmc' } },
    );
    const secret = Manifest.of(chart).get('Secret', 'node1-bmc') as { metadata: { annotations?: object } };
    expect(secret.metadata.annotations).toEqual({ [SECRET_MATERIAL_ANNOTATION]: 'opted-in' });
    expect(findSecretMaterial([secret])).toEqual([]);
    const unmarked = { ...secret, metadata: { ...secret.metadata, annotations: {} } };
    expect(findSecretMaterial([unmarked])).toHaveLength(1);
  });
});
