import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * README excerpts are copied from compiled examples and golden files. Each fenced block preceded by
 * `<!-- from <file> -->` must appear verbatim in that file, so the docs cannot drift.
 */
const root = join(__dirname, '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const excerpts = [...readme.matchAll(/<!-- from (\S+) -->\n```[a-z]*\n([\s\S]*?)\n```/g)].map((m) => ({
  file: m[1],
  text: m[2],
}));

test('the README has excerpts from examples and golden files', () => {
  expect(excerpts.filter((e) => e.file.startsWith('examples/')).length).toBeGreaterThanOrEqual(3);
  expect(excerpts.filter((e) => e.file.startsWith('test/golden/')).length).toBeGreaterThanOrEqual(3);
});

test.each(excerpts.map((e, i) => [i, e.file, e.text] as const))(
  'excerpt %d from %s is in that file verbatim',
  (_i, file, text) => {
    const path = join(root, file);
    expect(existsSync(path)).toBe(true);
    expect(readFileSync(path, 'utf8')).toContain(text);
  },
);

test('the README states the test command that .ci/run runs', () => {
  const ci = readFileSync(join(root, '.ci', 'run'), 'utf8')
    .trim()
    .split('\n')
    .pop()!;
  expect(readme).toContain(ci);
});
