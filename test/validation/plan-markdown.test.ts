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

  describe('at the length limit', () => {
    const three = [change('C/ns/c', 'safe'), change('B/ns/b', 'disruptive'), change('A/ns/a', 'rejected')];
    const summary = '**Plan:** 3 object(s) differ: **1 rejected** by a controller, **1 disruptive**, 1 other.';
    const entryOf = (id: string, advice: boolean) =>
      `- **change** \`${id}\`\n  - \`spec.x\`: \`1\` → \`2\`` +
      (advice ? `\n  - **What to do:** what to do about ${id}` : '');
    const more = (n: number) =>
      `\n_${n} more change(s) not shown: the comment would be too long. Run \`cdk8s-baremetal plan\` for all of them._\n`;
    const rejected = `\n### Rejected by a controller (1)\n\n${entryOf('A/ns/a', true)}\n`;
    const disruptive = `\n### Disruptive (1)\n\n${entryOf('B/ns/b', true)}\n`;
    const other = `\n<details><summary>Other changes (1)</summary>\n\n${entryOf('C/ns/c', false)}\n\n</details>\n`;

    test('everything fits: every section in full, nothing counted', () => {
      expect(formatPlanMarkdown(three)).toBe(`${summary}\n${rejected}${disruptive}${other}`);
      expect(formatPlanMarkdown(three, { maxChars: 60000 })).toBe(formatPlanMarkdown(three));
    });

    test.each([
      [200, `${summary}\n${more(3)}`],
      [337, `${summary}\n${more(3)}`],
      [338, `${summary}\n${rejected}${more(2)}`],
      [448, `${summary}\n${rejected}${more(2)}`],
      [449, `${summary}\n${rejected}${disruptive}${more(1)}`],
      [542, `${summary}\n${rejected}${disruptive}${more(1)}`],
      [543, `${summary}\n${rejected}${disruptive}${other}`],
    ])('with maxChars %d the shown sections are whole, each heading with its changes', (maxChars, expected) => {
      const md = formatPlanMarkdown(three, { maxChars });
      expect(md).toBe(expected);
      expect(md.length).toBeLessThanOrEqual(maxChars);
    });

    test('within a section, a change is shown only while it fits, and none after one that did not', () => {
      const two = [change('A/ns/a', 'rejected'), change('A/ns/b', 'rejected')];
      expect(formatPlanMarkdown(two, { maxChars: 427 })).not.toContain('`A/ns/b`');
      expect(formatPlanMarkdown(two, { maxChars: 428 })).toContain('`A/ns/b`');
      const long = {
        fields: Array.from({ length: 6 }, (_, i) => ({
          path: `spec.field${i}`,
          before: 'a'.repeat(30),
          after: 'b'.repeat(30),
        })),
      };
      const md = formatPlanMarkdown(
        [change('A/ns/a', 'rejected'), change('A/ns/b', 'rejected', long), change('A/ns/c', 'rejected')],
        {
          maxChars: 700,
        },
      );
      expect(md).toContain('`A/ns/a`');
      expect(md).not.toContain('`A/ns/b`');
      expect(md).not.toContain('`A/ns/c`');
      expect(md).toContain('_2 more change(s) not shown');
    });

    test('past the limit within a section, the rest of it and every later section are counted', () => {
      const rejects = [change('A/ns/a', 'rejected'), change('A/ns/b', 'rejected'), change('B/ns/b', 'disruptive')];
      const md = formatPlanMarkdown(rejects, { maxChars: 400 });
      expect(md).toContain('### Rejected by a controller (2)');
      expect(md).toContain('`A/ns/a`');
      expect(md).not.toContain('`A/ns/b`');
      expect(md).not.toContain('### Disruptive');
      expect(md).toContain('_2 more change(s) not shown');
    });
  });

  test('code spans pad text that starts or ends with a backtick and outgrow the longest run in it', () => {
    const md = formatPlanMarkdown([
      change('ConfigMap/ns/c', 'safe', {
        fields: [
          { path: '`a', before: 1, after: 2 },
          { path: 'b`', before: 1, after: 2 },
          { path: 'c``d', before: 1, after: 2 },
          { path: '', before: 1, after: 2 },
        ],
      }),
    ]);
    expect(md).toContain('  - `` `a ``: `1` → `2`');
    expect(md).toContain('  - `` b` ``: `1` → `2`');
    expect(md).toContain('  - ```c``d```: `1` → `2`');
    expect(md).toContain('  - `  `: `1` → `2`');
  });

  test('values: runs of white space shown as one space, cut past maxValueChars (120 by default)', () => {
    const field = (after: unknown) => ({ path: 'data.a', before: 1, after });
    const md = (after: unknown, maxValueChars?: number) =>
      formatPlanMarkdown([change('ConfigMap/ns/c', 'safe', { fields: [field(after)] })], { maxValueChars });
    expect(md('a   b')).toContain('→ `"a b"`');
    expect(md('abc', 5)).toContain('→ `"abc"`');
    expect(md('abcd', 5)).toContain('→ `"abc…`');
    expect(md('x'.repeat(118))).toContain(`→ \`"${'x'.repeat(118)}"\``);
    expect(md('x'.repeat(119))).toContain(`→ \`"${'x'.repeat(118)}…\``);
  });

  test('only the data and stringData of a Secret are hidden', () => {
    const fields = ['data', 'data.k', 'stringData.k', 'dataX', 'metadata.labels.a'].map((path) => ({
      path,
      before: 'old',
      after: 'new',
    }));
    const secret = formatPlanMarkdown([change('Secret/ns/s', 'safe', { fields })]);
    expect(secret).toContain('`data`: _(Secret value changed; not shown)_');
    expect(secret).toContain('`data.k`: _(Secret value changed; not shown)_');
    expect(secret).toContain('`stringData.k`: _(Secret value changed; not shown)_');
    expect(secret).toContain('`dataX`: `"old"` → `"new"`');
    expect(secret).toContain('`metadata.labels.a`: `"old"` → `"new"`');
    const other = formatPlanMarkdown([
      change('SecretStore/ns/s', 'safe', { fields }),
      change('ConfigMap/ns/Secret/', 'safe', { fields }),
    ]);
    expect(other).not.toContain('not shown');
  });

  test('advice on several lines is one line; the action is named', () => {
    const md = formatPlanMarkdown([
      change('Cluster/ns/z', 'rejected', { action: 'remove', advice: ['first\nsecond'] }),
    ]);
    expect(md).toContain('- **remove** `Cluster/ns/z`');
    expect(md).toContain('  - **What to do:** first second\n');
  });
});
