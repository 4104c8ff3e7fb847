import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ObjectChange, planChanges } from '../../lib/validation/plan';
import { formatPlanMarkdown } from '../../lib/validation/plan-markdown';

const goldenFile = join(__dirname, '..', 'golden', 'plan', 'mac-change-and-rke2-bump.md');
const haMetallb = readFileSync(join(__dirname, '..', 'golden', 'ha-metallb.k8s.yaml'), 'utf8');
const objects = (yaml: string) => parseAllDocuments(yaml).map((d) => d.toJS());

const change = (id: string, risk: ObjectChange['risk'], extra: Partial<ObjectChange> = {}): ObjectChange => ({
  id,
  action: 'change',
  fields: [{ path: 'spec.x', before: 1, after: 2 }],
  risk,
  advice: risk === 'safe' ? [] : [`what to do about ${id}`],
  ...extra,
});

describe('formatPlanMarkdown', () => {
  test('GIVEN a boot MAC change and an RKE2 version bump THEN the comment is the golden file', () => {
    // GIVEN the ha-metallb example before and after
    const after = haMetallb
      .replace('bootMACAddress: 00:f3:65:8a:a3:b0', 'bootMACAddress: 00:f3:65:8a:a3:c0')
      .replace('version: v1.32.4+rke2r1', 'version: v1.33.1+rke2r1');
    // WHEN
    const md = formatPlanMarkdown(planChanges(objects(haMetallb), objects(after)));
    // THEN
    if (process.env.UPDATE_GOLDEN) {
      mkdirSync(join(goldenFile, '..'), { recursive: true });
      writeFileSync(goldenFile, md);
    }
    expect(md).toBe(existsSync(goldenFile) ? readFileSync(goldenFile, 'utf8') : `(no golden file: UPDATE_GOLDEN=1)`);
  });

  test('summary first; rejected, then disruptive, then the rest collapsed; by object within each', () => {
    const md = formatPlanMarkdown([
      change('Secret/ns/b', 'safe'),
      change('NodePool/ns/np', 'disruptive'),
      change('Cluster/ns/z', 'rejected'),
      change('BareMetalHost/ns/a', 'rejected'),
    ]);
    const lines = md.split('\n');
    expect(lines[0]).toBe('**Plan:** 4 object(s) differ: **2 rejected** by a controller, **1 disruptive**, 1 other.');
    const order = [
      '### Rejected by a controller (2)',
      'BareMetalHost/ns/a',
      'Cluster/ns/z',
      '### Disruptive (1)',
      'NodePool/ns/np',
      '<details><summary>Other changes (1)</summary>',
      'Secret/ns/b',
      '</details>',
    ];
    const positions = order.map((t) => md.indexOf(t));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(md).toContain('  - **What to do:** what to do about Cluster/ns/z');
    // the same changes in any order give the same comment
    expect(
      formatPlanMarkdown([
        change('Cluster/ns/z', 'rejected'),
        change('BareMetalHost/ns/a', 'rejected'),
        change('NodePool/ns/np', 'disruptive'),
        change('Secret/ns/b', 'safe'),
      ]),
    ).toBe(md);
  });

  test('old → new per field; absent values and backticks survive', () => {
    const md = formatPlanMarkdown([
      change('ConfigMap/ns/c', 'safe', {
        fields: [
          { path: 'data.a', before: undefined, after: 'x`y' },
          { path: 'data.b', before: 'old', after: undefined },
        ],
      }),
    ]);
    expect(md).toContain('  - `data.a`: _(absent)_ → ``"x`y"``');
    expect(md).toContain('  - `data.b`: `"old"` → _(absent)_');
  });

  test('Secret data never appears', () => {
    const md = formatPlanMarkdown(
      planChanges(
        [
          {
            apiVersion: 'v1',
            kind: 'Secret',
            metadata: { name: 's', namespace: 'n' },
            stringData: { password: 'hunter2' },
          },
        ],
        [
          {
            apiVersion: 'v1',
            kind: 'Secret',
            metadata: { name: 's', namespace: 'n' },
            stringData: { password: 'swordfish' },
          },
        ],
      ),
    );
    expect(md).toContain('`stringData.password`: _(Secret value changed; not shown)_');
    expect(md).not.toMatch(/hunter2|swordfish/);
  });

  test('GIVEN more changes than a comment holds THEN it stays under the limit and counts the rest', () => {
    const many = Array.from({ length: 2000 }, (_, i) =>
      change(`ConfigMap/ns/cm-${String(i).padStart(4, '0')}`, i < 5 ? 'rejected' : 'safe'),
    );
    const md = formatPlanMarkdown(many, { maxChars: 5000 });
    expect(md.length).toBeLessThanOrEqual(5000);
    expect(md).toContain('### Rejected by a controller (5)');
    const shown = (md.match(/^- \*\*change\*\*/gm) ?? []).length;
    expect(md).toContain(`_${2000 - shown} more change(s) not shown`);
    expect(md.indexOf('<details>') < 0 || md.includes('</details>')).toBe(true);
  });

  test('long values are cut', () => {
    const md = formatPlanMarkdown(
      [change('ConfigMap/ns/c', 'safe', { fields: [{ path: 'data.a', before: 'a'.repeat(500), after: 'b' }] })],
      { maxValueChars: 20 },
    );
    expect(md).toContain('`"aaaaaaaaaaaaaaaaaa…`');
  });

  test('no change, one line', () => {
    expect(formatPlanMarkdown([])).toBe('**Plan:** no object differs.\n');
  });
});
