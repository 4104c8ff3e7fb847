import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

/**
 * README and docs/ excerpts are copied from compiled examples and golden files. Each fenced block
 * preceded by `<!-- from <file> -->` must appear verbatim in that file, so the docs cannot drift.
 * Relative links must point at files that exist. Working notes (`docs/notes-*.md`) are not checked.
 */
const root = join(__dirname, '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');

/** README.md and every guide under docs/ (not docs/api/, which is generated, nor working notes). */
const pages = [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md') && !f.startsWith('notes-'))
    .sort()
    .map((f) => `docs/${f}`),
];

const excerpts = pages.flatMap((page) =>
  [...readFileSync(join(root, page), 'utf8').matchAll(/<!-- from (\S+) -->\n```[a-z]*\n([\s\S]*?)\n```/g)].map((m) => ({
    page,
    file: m[1],
    text: m[2],
  })),
);

test('the README and the guides have excerpts from examples and golden files', () => {
  expect(excerpts.filter((e) => e.file.startsWith('examples/')).length).toBeGreaterThanOrEqual(10);
  expect(excerpts.filter((e) => e.file.startsWith('test/golden/')).length).toBeGreaterThanOrEqual(10);
  expect(excerpts.filter((e) => e.page === 'README.md').length).toBeGreaterThanOrEqual(2);
});

test.each(excerpts.map((e, i) => [i, e.page, e.file, e.text] as const))(
  'excerpt %d of %s from %s is in that file verbatim',
  (_i, _page, file, text) => {
    const path = join(root, file);
    expect(existsSync(path)).toBe(true);
    expect(readFileSync(path, 'utf8')).toContain(text);
  },
);

test.each(pages)('the relative links of %s point at files that exist', (page) => {
  const text = readFileSync(join(root, page), 'utf8').replace(/```[\s\S]*?```/g, '');
  const targets = [...text.matchAll(/\]\(([^)\s#]+)(?:#[^)]*)?\)/g)]
    .map((m) => m[1])
    .filter((t) => !/^[a-z]+:/.test(t));
  const missing = targets.filter((t) => !existsSync(join(root, dirname(page), t)));
  expect(missing).toEqual([]);
});

test('the README stays a front page (at most 15 KB) and links every guide', () => {
  expect(Buffer.byteLength(readme)).toBeLessThanOrEqual(15 * 1024);
  const guides = pages.filter((p) => p !== 'README.md').map((p) => relative(root, join(root, p)));
  expect(guides.filter((g) => !readme.includes(`](${g})`))).toEqual([]);
});

test('the README states the test command that .ci/run runs', () => {
  const ci = readFileSync(join(root, '.ci', 'run'), 'utf8')
    .trim()
    .split('\n')
    .pop()!;
  expect(readme).toContain(ci);
});

test('every public construct is named in the README construct table', async () => {
  const lib: Record<string, unknown> = await import('../lib');
  const { Construct } = await import('constructs');
  const constructs = Object.entries(lib)
    .filter(([, v]) => typeof v === 'function' && (v as { prototype: unknown }).prototype instanceof Construct)
    .map(([name]) => name);
  expect(constructs.length).toBeGreaterThan(20);
  expect(constructs.filter((c) => !readme.includes(`\`${c}\``))).toEqual([]);
});
