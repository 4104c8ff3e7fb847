import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BaremetalValidation } from '../../lib/validation/plugin';

function context(manifests: string[]) {
  const violations: any[] = [];
  const submitted: string[] = [];
  return {
    violations,
    submitted,
    ctx: {
      manifests,
      report: { addViolation: (v: any) => violations.push(v), submit: (s: 'success' | 'failure') => submitted.push(s) },
      logger: { log: (_m: string): void => undefined },
    },
  };
}

describe('BaremetalValidation (cdk8s plugin)', () => {
  const golden = join(__dirname, '..', 'golden', 'single-node.k8s.yaml');

  test('reports success for a valid app with its external Secret declared', async () => {
    const { ctx, violations, submitted } = context([golden]);
    await new BaremetalValidation({ external: ['Secret/example-demo-credentials'] }).validate(ctx);
    expect(violations).toEqual([]);
    expect(submitted).toEqual(['success']);
  });

  test('reports each problem as a violation and fails', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'plugin-')), 'x.yaml');
    writeFileSync(file, 'apiVersion: v1\nkind: Secret\nmetadata: {name: leak}\nstringData: {password: p}\n');
    const { ctx, violations, submitted } = context([golden, file]);
    await new BaremetalValidation().validate(ctx);
    expect(violations.map((v) => v.ruleName).sort()).toEqual(['cdk8s-baremetal/references', 'cdk8s-baremetal/secrets']);
    expect(submitted).toEqual(['failure']);
  });
});

describe('BaremetalValidation external patterns', () => {
  const golden = join(__dirname, '..', 'golden', 'single-node.k8s.yaml');

  test('accepts a pattern and logs declarations that matched nothing', async () => {
    const { ctx, violations, submitted } = context([golden]);
    const logged: string[] = [];
    ctx.logger.log = (m: string) => void logged.push(m);
    await new BaremetalValidation({ external: ['Secret/*-credentials', 'Secret/nothing-*'] }).validate(ctx);
    expect(violations).toEqual([]);
    expect(submitted).toEqual(['success']);
    expect(logged).toContain('cdk8s-baremetal: note: external Secret/nothing-* matched no reference');
  });

  test('fails with a config violation for a malformed declaration', async () => {
    const { ctx, violations } = context([golden]);
    await new BaremetalValidation({ external: ['Secret', 'Secret/*-credentials'] }).validate(ctx);
    expect(violations).toEqual([
      expect.objectContaining({
        ruleName: 'cdk8s-baremetal/config',
        recommendation: expect.stringMatching(/^'external' 'Secret' is not Kind\/name/),
      }),
    ]);
  });
});

describe('BaremetalValidation reports', () => {
  const golden = join(__dirname, '..', 'golden', 'single-node.k8s.yaml');

  function capture(manifests: string[]) {
    const out: unknown[] = [];
    const ctx = {
      manifests,
      report: {
        addViolation: (v: unknown) => void out.push(v),
        submit: (status: string, metadata?: Record<string, string>) => void out.push({ status, metadata }),
      },
      logger: { log: (m: string) => void out.push(m) },
    };
    return { out, ctx };
  }

  test('a violation names the rule, the message, the object from the message and the file', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'plugin-')), 'x.yaml');
    writeFileSync(file, 'apiVersion: v1\nkind: Secret\nmetadata: {name: leak}\nstringData: {password: p}\n');
    const { out, ctx } = capture([golden, file]);
    await new BaremetalValidation({ external: ['Secret/example-demo-credentials'] }).validate(ctx);
    expect(out).toEqual([
      {
        ruleName: 'cdk8s-baremetal/secrets',
        recommendation: expect.stringMatching(/^\[Secret\/leak\] writes literal data \(keys password\)/),
        fix: 'see the message; the construct props that produce the object are named in synth-time errors',
        violatingResources: [{ resourceName: 'Secret/leak', locations: [], manifestPath: file }],
      },
      'cdk8s-baremetal: 7 object(s) checked, 1 problem(s)',
      { status: 'failure', metadata: { objects: '7' } },
    ]);
  });

  test('a success logs the count and nothing else, and a problem without an object names none', async () => {
    const { out, ctx } = capture([golden]);
    await new BaremetalValidation({ external: ['Secret/example-demo-credentials'] }).validate(ctx);
    expect(out).toEqual([
      'cdk8s-baremetal: 6 object(s) checked, 0 problem(s)',
      { status: 'success', metadata: { objects: '6' } },
    ]);
    const bad = capture([golden]);
    await new BaremetalValidation({ external: ['Secret', 'Secret/example-demo-credentials'] }).validate(bad.ctx);
    expect(bad.out[0]).toMatchObject({ violatingResources: [{ resourceName: '', manifestPath: '' }] });
  });

  test('every unused declaration is named on one note line', async () => {
    const { out, ctx } = capture([golden]);
    await new BaremetalValidation({ external: ['Secret/example-demo-credentials', 'Secret/a', 'Secret/b*'] }).validate(
      ctx,
    );
    expect(out).toContain('cdk8s-baremetal: note: external Secret/a, Secret/b* matched no reference');
  });

  test('the namespace property places objects without one', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'plugin-')), 'x.yaml');
    writeFileSync(
      file,
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: site}\n',
    );
    const inSite = capture([file]);
    await new BaremetalValidation({ namespace: 'site' }).validate(inSite.ctx);
    expect(inSite.out).toContainEqual({ status: 'failure', metadata: { objects: '2' } });
    const inDefault = capture([file]);
    await new BaremetalValidation().validate(inDefault.ctx);
    expect(inDefault.out).toContainEqual({ status: 'success', metadata: { objects: '2' } });
  });
});

describe('BaremetalValidation resource names', () => {
  test('only a message that starts with [object] names a resource', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plugin-'));
    const file = join(dir, 'x.yaml');
    writeFileSync(
      file,
      [
        'apiVersion: extensions.hive.openshift.io/v1beta1',
        'kind: AgentClusterInstall',
        'metadata: {name: cn2, namespace: cn2}',
        'spec:',
        '  imageSetRef: {name: img}',
        '  clusterDeploymentRef: {name: cn2}',
        '  networking: {userManagedNetworking: false}',
        '  provisionRequirements: {controlPlaneAgents: 3}',
        '  manifestsConfigMapRefs: [{name: extra}]',
        '---',
        'apiVersion: v1',
        'kind: ConfigMap',
        'metadata: {name: extra, namespace: cn2}',
        "data: {a.yaml: 'kind: ['}",
        '',
      ].join('\n'),
    );
    const violations: { ruleName: string; violatingResources: { resourceName: string }[] }[] = [];
    await new BaremetalValidation({ external: ['ClusterImageSet/img', 'ClusterDeployment/cn2/cn2'] }).validate({
      manifests: [file],
      report: { addViolation: (v) => void violations.push(v), submit: () => undefined },
      logger: { log: () => undefined },
    });
    expect(violations.map((v) => [v.ruleName, v.violatingResources[0].resourceName])).toEqual([
      ['cdk8s-baremetal/embedded', ''],
    ]);
  });
});
