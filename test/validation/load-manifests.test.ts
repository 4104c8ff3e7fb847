import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileDigests } from '../../lib/private/file-digests';
import { listManifestFiles, loadManifests, placeOf } from '../../lib/validation/load-manifests';

const PASSWORD = 'CorrectHorseBatteryStaple';

function dirWith(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(join(tmpdir(), 'load-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const configMap = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}}\n`;

describe('loadManifests', () => {
  test('reads folders recursively in sorted order, .yaml/.yml files only, and names bad documents by file', () => {
    const dir = dirWith({ 'b.yaml': configMap('b'), 'a/a.yml': `${configMap('a')}---\nfoo: [\n`, 'c.txt': 'x' });
    const { objects, problems } = loadManifests([dir]);
    expect(objects.map((o) => o.object.metadata.name)).toEqual(['a', 'b']);
    expect(problems).toEqual([expect.objectContaining({ file: join(dir, 'a/a.yml'), check: 'yaml' })]);
  });

  test('reads a file named explicitly whatever its extension', () => {
    // GIVEN a valid ConfigMap in noext.txt
    const dir = dirWith({ 'noext.txt': configMap('cm') });
    // WHEN it is named, THEN it is read; in its folder it is not
    expect(loadManifests([join(dir, 'noext.txt')]).objects).toHaveLength(1);
    expect(loadManifests([dir]).objects).toHaveLength(0);
  });

  test('gives each object its document number and line', () => {
    const dir = dirWith({ 'm.yaml': `# comment\n${configMap('a')}---\n${configMap('b')}` });
    const { objects } = loadManifests([join(dir, 'm.yaml')]);
    expect(objects.map((o) => [o.document, o.line])).toEqual([
      [1, 2],
      [2, 6],
    ]);
    expect(placeOf(objects[1])).toBe(`${join(dir, 'm.yaml')} (document 2, line 6)`);
  });

  test('fails when a YAML document is broken, giving line, column and the kind of error but not the text', () => {
    // GIVEN a password on a broken line
    const dir = dirWith({ 's.yaml': `apiVersion: v1\nkind: Secret\nstringData:\n  password: "${PASSWORD}" : oops\n` });
    // WHEN
    const { problems } = loadManifests([dir]);
    // THEN
    expect(problems).toEqual([
      {
        file: join(dir, 's.yaml'),
        check: 'yaml',
        message:
          'YAML syntax error at line 4, column 13: a mapping is nested in a single-line key or value (a stray ": "?) (BLOCK_AS_IMPLICIT_KEY)',
        line: 4,
        column: 13,
      },
    ]);
    expect(JSON.stringify(problems)).not.toContain(PASSWORD);
  });

  test('fails when a key is repeated, without naming it', () => {
    const { problems } = loadManifests([dirWith({ 'd.yaml': `${configMap('a')}kind: ConfigMap\n` })]);
    expect(problems[0].message).toMatch(
      /^YAML syntax error at line 4, column 1: a mapping repeats a key \(DUPLICATE_KEY\)$/,
    );
  });

  test('fails when an alias has no anchor, without naming the alias', () => {
    const { objects, problems } = loadManifests([dirWith({ 'a.yaml': `kind: *${PASSWORD}\n` })]);
    expect(objects).toEqual([]);
    expect(problems).toEqual([
      expect.objectContaining({ check: 'yaml', message: expect.stringMatching(/Unresolved alias/) }),
    ]);
    expect(JSON.stringify(problems)).not.toContain(PASSWORD);
  });

  test('fails when a document is not a Kubernetes object', () => {
    const { problems } = loadManifests([dirWith({ 'x.yaml': 'just: data\n' })]);
    expect(problems[0].message).toBe('document 1 is not a Kubernetes object (no apiVersion/kind)');
  });

  test('fails when a .yaml file is binary, without printing its bytes', () => {
    const bytes = Buffer.concat([Buffer.from(`password: ${PASSWORD}\n`), Buffer.from([0, 0xff, 0xfe, 1])]);
    const dir = dirWith({ 'b.yaml': bytes, 'latin1.yaml': Buffer.from([0x61, 0x3a, 0x20, 0xe9, 0x0a]) });
    const { problems } = loadManifests([dir]);
    expect(problems).toEqual([
      {
        file: join(dir, 'b.yaml'),
        check: 'read',
        message: expect.stringMatching(/^not a text file \(a NUL byte at offset 36\)/),
      },
      { file: join(dir, 'latin1.yaml'), check: 'read', message: expect.stringMatching(/^not UTF-8 text/) },
    ]);
    expect(JSON.stringify(problems)).not.toContain(PASSWORD);
  });

  test('fails when a path does not exist or is a symbolic link loop', () => {
    const dir = dirWith({});
    symlinkSync(join(dir, 'loop.yaml'), join(dir, 'loop.yaml'));
    expect(loadManifests([join(dir, 'loop.yaml'), join(dir, 'nothing.yaml')]).problems).toEqual([
      { file: join(dir, 'loop.yaml'), check: 'read', message: 'is a symbolic link loop' },
      { file: join(dir, 'nothing.yaml'), check: 'read', message: 'does not exist (or is a symbolic link to nothing)' },
    ]);
  });

  test('fails when a folder links back to a folder it is in, and reads a folder reached twice once', () => {
    // GIVEN site/up -> site (a loop) and other -> site (the same folder again)
    const dir = dirWith({ 'site/a.yaml': configMap('a') });
    symlinkSync(join(dir, 'site'), join(dir, 'site', 'up'));
    symlinkSync(join(dir, 'site'), join(dir, 'z-other'));
    // WHEN
    const { objects, problems } = loadManifests([dir]);
    // THEN
    expect(objects).toHaveLength(1);
    expect(problems).toEqual([
      {
        file: join(dir, 'site', 'up'),
        check: 'read',
        message: 'is a symbolic link loop (it leads back to a folder it is in)',
      },
    ]);
  });
});

describe('listManifestFiles', () => {
  test('takes a folder listing when one is given: folders walked, links looked at, files by name', () => {
    // GIVEN a folder whose listing names a sub-folder, a file and a link, and says nothing of another folder
    const dir = dirWith({ 'a/x.yaml': configMap('x'), 'b/y.yaml': configMap('y'), 'c.yaml': configMap('c') });
    symlinkSync(join(dir, 'b'), join(dir, 'd-link'));
    const asked: string[] = [];
    const listing = (d: string) => {
      asked.push(d);
      // 'ghost.yaml' is not on disk: a listing is trusted as it is (a digest index keeps it exact)
      return d === dir ? ['a/', 'c.yaml', 'ghost.yaml', 'notes.txt', 'd-link?', 'b/'] : undefined;
    };
    // WHEN listed, THEN the listing's entries are used in name order, the others read from disk
    expect(listManifestFiles([dir], listing)).toEqual({
      files: [join(dir, 'a', 'x.yaml'), join(dir, 'b', 'y.yaml'), join(dir, 'c.yaml'), join(dir, 'ghost.yaml')],
      problems: [],
    });
    // (the link leads to b, already read: it is looked at, not listed)
    expect(asked).toEqual([dir, join(dir, 'a'), join(dir, 'b')]);
    // AND without a listing the same folder gives what is on disk
    expect(listManifestFiles([dir]).files).toEqual([
      join(dir, 'a', 'x.yaml'),
      join(dir, 'b', 'y.yaml'),
      join(dir, 'c.yaml'),
    ]);
  });

  test('a file digest index lists a folder again only when it changed', () => {
    const dir = dirWith({ 's/a.yaml': configMap('a') });
    const cache = mkdtempSync(join(tmpdir(), 'index-'));
    const first = FileDigests.open(cache);
    expect(listManifestFiles([dir], (d) => first.listing(d)).files).toEqual([join(dir, 's', 'a.yaml')]);
    first.save();
    writeFileSync(join(dir, 's', 'b.yaml'), configMap('b'));
    const again = FileDigests.open(cache);
    expect(listManifestFiles([dir], (d) => again.listing(d)).files).toEqual([
      join(dir, 's', 'a.yaml'),
      join(dir, 's', 'b.yaml'),
    ]);
  });
});

describe('Rancher Fleet bundle files', () => {
  test('a fleet.yaml without apiVersion and kind is not a problem and holds no object', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fleet-bundle-'));
    writeFileSync(join(dir, 'fleet.yaml'), 'defaultNamespace: site-a\nlabels: {a: b}\n');
    writeFileSync(join(dir, 'other.yaml'), 'defaultNamespace: site-a\n');
    const { objects, problems } = loadManifests([dir]);
    expect(objects).toEqual([]);
    expect(problems).toEqual([expect.objectContaining({ file: join(dir, 'other.yaml'), check: 'yaml' })]);
  });
});
