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
