import { Chart } from 'cdk8s';
import { AirgapRegistryMirror } from '../../lib/registry/airgap-registry-mirror';
import { AirgapRegistryMirrorProps } from '../../lib/registry/airgap-registry-mirror-props';
import { RegistryCa } from '../../lib/registry/registry-ca';
import { formatIssue, validateManifests } from '../../lib/validation/schema-validator';
import { findSecretMaterial } from '../../lib/validation/secret-safety';
import { Manifest } from '../util';
import { CA_1 } from './certificates';

// Shared by the test files of AirgapRegistryMirror and of its OpenShift outputs.

export const REGISTRY = 'registry.example.com:5000';
export const D = (c: string) => `sha256:${c.repeat(64)}`;

export function props(overrides: Partial<AirgapRegistryMirrorProps> = {}): AirgapRegistryMirrorProps {
  return {
    registry: REGISTRY,
    ca: RegistryCa.fromPem(CA_1),
    mirrors: [
      { source: 'quay.io/openshift-release-dev/ocp-v4.0-art-dev', mirror: 'openshift/release' },
      { source: 'quay.io/openshift-release-dev/ocp-release', mirror: 'openshift/release-images' },
      { source: 'registry.redhat.io/redhat' },
    ],
    operators: [
      { catalog: 'registry.redhat.io/redhat/redhat-operator-index:v4.19', packages: [{ name: 'lvms-operator' }] },
    ],
    ...overrides,
  };
}

export function mirrorIn(chart: Chart, p: AirgapRegistryMirrorProps = props()): AirgapRegistryMirror {
  return new AirgapRegistryMirror(chart, 'Mirror', p);
}

/** Synthesizes and checks every object against its schema and for secret material. */
export function synth(chart: Chart): Manifest {
  const m = Manifest.of(chart);
  expect(validateManifests(m.objects).map(formatIssue)).toEqual([]);
  expect(findSecretMaterial(m.objects)).toEqual([]);
  return m;
}
