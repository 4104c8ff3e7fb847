import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { IgnitionSpecVersion, validateIgnition } from '../lib/ignition/ignition-schema';
import { findUnresolvedReferences, ManifestObject } from '../lib/validation/references';
import { formatIssue, validateManifests } from '../lib/validation/schema-validator';

/**
 * One golden file per example: test/golden/<example>.k8s.yaml, compared byte for byte.
 * Update deliberately with `npm run golden`.
 */
const root = join(__dirname, '..');
const examples = readdirSync(join(root, 'examples')).filter((d) => existsSync(join(root, 'examples', d, 'main.ts')));

/** Secrets each example refers to but leaves to the user's secret manager. */
const EXTERNAL: Record<string, string[]> = {
  'single-node': ['Secret/example-demo-credentials'],
  'single-node-static': ['Secret/example-demo-credentials'],
  'telco-sno': ['Secret/example-demo-credentials'],
  'airgap-sno': [
    'Secret/example-demo-credentials',
    'Secret/private-registry-auth',
    'Secret/private-registry-chart-pull',
  ],
  'ha-metallb': [1, 2, 3, 4, 5].map((n) => `Secret/node${n}-example-credentials`),
  fleet: ['berlin-01', 'munich-01', 'hamburg-01'].map((s) => `Secret/site-${s}/${s}-node1-bmc`),
  'disconnected-hub': [],
  'assisted-cn2': [
    'Secret/mycluster/mycluster-pull-secret',
    ...[1, 2, 3, 4, 5].map((n) => `Secret/mycluster/ocp${n}-bmc`),
  ],
  'hosted-cluster-agent': [
    'Secret/clusters/hosted-pull-secret',
    'Secret/clusters/hosted-etcd-encryption-key',
    'Secret/clusters-hosted/pull-secret',
    ...[0, 1, 2].map((n) => `Secret/clusters-hosted/hosted-worker${n}-bmc-secret`),
    'ConfigMap/multicluster-engine/assisted-service-config',
  ],
  'fleet-inventory': ['Secret/site-berlin-01/berlin-01-node1-bmc', 'Secret/site-munich-01/munich-bmc'],
};

function synth(example: string): string {
  const { build } = require(join(root, 'examples', example, 'main.ts')) as { build: (app: App) => unknown };
  const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'golden-')) });
  build(app);
  return app.synthYaml();
}

function objectsOf(yaml: string): ManifestObject[] {
  return parseAllDocuments(yaml).map((d) => d.toJS());
}

test('every example has a golden file and every golden file an example', () => {
  const goldens = readdirSync(join(root, 'test', 'golden')).filter((f) => f.endsWith('.k8s.yaml'));
  expect(goldens.sort()).toEqual(examples.map((e) => `${e}.k8s.yaml`).sort());
});

describe.each(examples)('example %s', (example) => {
  const golden = join(root, 'test', 'golden', `${example}.k8s.yaml`);
  const yaml = synth(example);

  test('matches its golden file byte for byte', () => {
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(golden, yaml);
    expect(yaml).toBe(readFileSync(golden, 'utf8'));
  });

  test('synthesizes byte-identically a second time', () => {
    expect(synth(example)).toBe(yaml);
  });

  test('every object passes its upstream schema, unknown fields included', () => {
    expect(validateManifests(objectsOf(yaml)).map(formatIssue)).toEqual([]);
  });

  test('every Ignition config of a MachineConfig fits the schema of its spec version', () => {
    for (const o of objectsOf(yaml).filter((x) => x.kind === 'MachineConfig')) {
      const config = (o as any).spec.config;
      expect(validateIgnition(config, config.ignition.version as IgnitionSpecVersion)).toEqual([]);
    }
  });

  test('every reference resolves and every host selector finds its hosts', () => {
    expect(findUnresolvedReferences(objectsOf(yaml), { external: EXTERNAL[example] ?? [] })).toEqual([]);
  });

  test('runs on its own (compiled) and writes the golden output', () => {
    const compiled = join(root, 'build', 'examples', example, 'main.js');
    if (!existsSync(compiled)) throw new Error(`${compiled} is missing; run 'npm run build' first (npm test does)`);
    const out = mkdtempSync(join(tmpdir(), 'example-'));
    try {
      execFileSync(process.execPath, [compiled], { env: { ...process.env, CDK8S_OUTDIR: out }, stdio: 'pipe' });
      // One file per chart; together they hold exactly the golden documents.
      const manifests = readdirSync(out).filter((f) => f.endsWith('.k8s.yaml'));
      const docs = manifests
        .flatMap((f) => objectsOf(readFileSync(join(out, f), 'utf8')))
        .map((o) => JSON.stringify(o))
        .sort();
      expect(docs).toEqual(
        objectsOf(yaml)
          .map((o) => JSON.stringify(o))
          .sort(),
      );
      if (manifests.length === 1) expect(readFileSync(join(out, `${example}.k8s.yaml`), 'utf8')).toBe(yaml);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
