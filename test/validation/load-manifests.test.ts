import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileDigests } from '../../lib/private/file-digests';
import {
  describeYamlError,
  listManifestFiles,
  loadManifestFile,
  loadManifests,
  placeOf,
} from '../../lib/validation/load-manifests';

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

describe('loadManifestFile', () => {
  const load = (text: string, file = 'x.yaml') => loadManifestFile(file, Buffer.from(text));

  test('reads the bytes given instead of the file, and hands them back', () => {
    const bytes = Buffer.from(configMap('a'));
    const r = loadManifestFile('/nowhere/x.yaml', bytes);
    expect(r.objects.map((o) => o.object.metadata.name)).toEqual(['a']);
    expect(r.bytes).toBe(bytes);
    expect(r.problems).toEqual([]);
  });

  test('a byte-order mark is not part of the first key', () => {
    const r = load(`\uFEFF${configMap('a')}`);
    expect(r.objects).toEqual([
      {
        file: 'x.yaml',
        object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } },
        document: 1,
        line: 1,
      },
    ]);
  });

  test('empty documents hold nothing but still count', () => {
    const r = load(`---\n---\n${configMap('a')}---\nnull\n`);
    expect(r.objects.map((o) => [o.document, o.line])).toEqual([[2, 3]]);
    expect(r.problems).toEqual([]);
  });

  test('a document that is a scalar, a list, or has a kind that is not text is not a Kubernetes object', () => {
    for (const text of ['hello\n', '- a\n', 'kind: 1\napiVersion: v1\n', 'kind: X\napiVersion: 2\n']) {
      expect(load(`${configMap('a')}---\n${text}`)).toMatchObject({
        objects: [{ document: 1 }],
        problems: [
          {
            file: 'x.yaml',
            check: 'yaml',
            message: 'document 2 is not a Kubernetes object (no apiVersion/kind)',
            line: 5,
          },
        ],
      });
    }
  });

  test('a kustomization.yaml is skipped; a Kustomization object with metadata is kept', () => {
    expect(
      load('kind: Kustomization\napiVersion: kustomize.config.k8s.io/v1beta1\nresources: [a.yaml]\n'),
    ).toMatchObject({
      objects: [],
      problems: [],
    });
    expect(load('kind: Kustomization\napiVersion: v1\nmetadata: {name: k}\n').objects).toHaveLength(1);
  });

  test('an alias without its anchor names the document and its line, not the alias', () => {
    expect(load(`${configMap('a')}---\n\nkind: *secret\n`).problems).toEqual([
      {
        file: 'x.yaml',
        check: 'yaml',
        message: 'document 2: Unresolved alias (the anchor must be set before the alias)',
        line: 6,
      },
    ]);
  });

  test('only a file named fleet.yaml or fleet.yml holding a mapping without apiVersion and kind is a Fleet bundle', () => {
    const bundle = 'defaultNamespace: site-a\n';
    expect(load(bundle, 'fleet.yaml').problems).toEqual([]);
    expect(load(bundle, join('site', 'fleet.yml')).problems).toEqual([]);
    expect(load(bundle, 'site\\fleet.yaml').problems).toEqual([]);
    for (const [text, file] of [
      [bundle, 'myfleet.yaml'],
      [bundle, 'fleet.yaml.bak'],
      [bundle, 'fleet.json'],
      ['- defaultNamespace: a\n', 'fleet.yaml'],
      ['kind: X\n', 'fleet.yaml'],
      ['apiVersion: v1\n', 'fleet.yaml'],
      ['just text\n', 'fleet.yaml'],
    ]) {
      expect([file, load(text, file).problems.map((p) => p.message)]).toEqual([
        file,
        ['document 1 is not a Kubernetes object (no apiVersion/kind)'],
      ]);
    }
    expect(load('apiVersion: v1\nkind: ConfigMap\n', 'fleet.yaml').objects).toHaveLength(1);
  });

  test('a file that cannot be read says why in words', () => {
    const dir = dirWith({ 'f.yaml': configMap('a') });
    const reason = (p: string) => loadManifestFile(p).problems.map((x) => x.message);
    expect(reason(dir)).toEqual(['is a folder']);
    expect(reason(join(dir, 'f.yaml', 'x.yaml'))).toEqual(['is not a folder but is used as one in the path']);
    expect(reason(join(dir, 'n'.repeat(300)))).toEqual(['cannot be read (ENAMETOOLONG)']);
    expect(loadManifestFile(dir)).toEqual({
      objects: [],
      problems: [{ file: dir, check: 'read', message: 'is a folder' }],
    });
  });
});

describe('describeYamlError', () => {
  const words: Record<string, string> = {
    ALIAS_PROPS: 'an alias cannot have an anchor or a tag',
    BAD_ALIAS: 'an alias names no anchor',
    BAD_DIRECTIVE: 'a directive is not valid',
    BAD_DQ_ESCAPE: 'a double-quoted string has an invalid escape sequence',
    BAD_INDENT: 'the indentation is wrong',
    BAD_PROP_ORDER: 'an anchor or tag is misplaced',
    BAD_SCALAR_START: 'a plain value starts with a reserved character',
    BLOCK_AS_IMPLICIT_KEY: 'a mapping is nested in a single-line key or value (a stray ": "?)',
    BLOCK_IN_FLOW: 'a block collection is inside a flow collection',
    DUPLICATE_KEY: 'a mapping repeats a key',
    IMPOSSIBLE: 'the parser reached an impossible state',
    MISSING_CHAR: 'a closing quote, bracket or brace is missing',
    MULTILINE_IMPLICIT_KEY: 'a key spans several lines',
    MULTIPLE_ANCHORS: 'a node has two anchors',
    MULTIPLE_DOCS: 'several documents where one is expected',
    MULTIPLE_TAGS: 'a node has two tags',
    NON_STRING_KEY: 'a key is not a string',
    RESOURCE_EXHAUSTION: 'aliases expand beyond any reasonable size (an alias bomb?)',
    TAB_AS_INDENT: 'a tab is used for indentation',
    TAG_RESOLVE_FAILED: 'a value does not fit its tag',
    UNEXPECTED_TOKEN: 'unexpected content',
    BAD_COLLECTION_TYPE: 'a collection does not fit its tag',
  };

  test.each(Object.entries(words))('%s is told as "%s", with its place', (code, what) => {
    const e = { code, message: 'quoted: secret', linePos: [{ line: 3, col: 7 }] } as never;
    expect(describeYamlError(e)).toEqual({
      message: `YAML syntax error at line 3, column 7: ${what} (${code})`,
      line: 3,
      column: 7,
    });
  });

  test('a code it does not know, or an error without a place, is still one line without the source', () => {
    expect(describeYamlError({ code: 'NEW_CODE', message: 'secret' } as never)).toEqual({
      message: 'YAML syntax error: not valid YAML (NEW_CODE)',
    });
    expect(describeYamlError({ code: 'BAD_INDENT', message: 'secret', linePos: [] } as never)).toEqual({
      message: 'YAML syntax error: the indentation is wrong (BAD_INDENT)',
    });
  });

  test('real parse errors of a file come with their place', () => {
    expect(loadManifestFile('x.yaml', Buffer.from('"a\n')).problems).toEqual([
      {
        file: 'x.yaml',
        check: 'yaml',
        message: 'YAML syntax error at line 2, column 1: a closing quote, bracket or brace is missing (MISSING_CHAR)',
        line: 2,
        column: 1,
      },
    ]);
  });
});

describe('placeOf', () => {
  test('document 1 and no line when unknown', () => {
    expect(placeOf({ file: 'a.yaml', object: {} })).toBe('a.yaml (document 1)');
    expect(placeOf({ file: 'a.yaml', object: {}, document: 3 })).toBe('a.yaml (document 3)');
    expect(placeOf({ file: 'a.yaml', object: {}, line: 0 })).toBe('a.yaml (document 1, line 0)');
  });
});

describe('listManifestFiles in detail', () => {
  test('names in a folder are sorted by code point, files named explicitly are kept in the order given', () => {
    const dir = dirWith({
      'b.yaml': 'x',
      'B.yaml': 'x',
      'a.yml': 'x',
      'a.yaml.txt': 'x',
      'c.YAML': 'x',
      '_.yaml': 'x',
    });
    expect(listManifestFiles([dir]).files.map((f) => f.slice(dir.length + 1))).toEqual([
      'B.yaml',
      '_.yaml',
      'a.yml',
      'b.yaml',
    ]);
    expect(listManifestFiles([join(dir, 'b.yaml'), join(dir, 'a.yaml.txt')]).files).toEqual([
      join(dir, 'b.yaml'),
      join(dir, 'a.yaml.txt'),
    ]);
  });

  test('a folder that cannot be listed is a problem; a link to a file in a folder is read when it names YAML', () => {
    const dir = dirWith({ 'a/x.yaml': configMap('x'), 'file.yaml': configMap('f') });
    symlinkSync(join(dir, 'file.yaml'), join(dir, 'a', 'link.yaml'));
    symlinkSync(join(dir, 'file.yaml'), join(dir, 'a', 'link.txt'));
    // A listing that calls a regular file a folder: reading it as one fails
    const listing = (d: string) => (d === dir ? ['file.yaml/', 'a/'] : undefined);
    expect(listManifestFiles([dir], listing)).toEqual({
      files: [join(dir, 'a', 'link.yaml'), join(dir, 'a', 'x.yaml')],
      problems: [
        { file: join(dir, 'file.yaml'), check: 'read', message: 'is not a folder but is used as one in the path' },
      ],
    });
  });
});

describe('loadManifestFile at the edges', () => {
  test('a NUL byte as the very first byte makes a binary file', () => {
    expect(loadManifestFile('x.yaml', Buffer.from([0, 0x61])).problems).toEqual([
      {
        file: 'x.yaml',
        check: 'read',
        message: 'not a text file (a NUL byte at offset 0); name YAML files or folders',
      },
    ]);
  });

  test('only a leading byte-order mark is dropped', () => {
    const r = loadManifestFile(
      'x.yaml',
      Buffer.from(`apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {k: "a\uFEFFb"}\n`),
    );
    expect(r.objects[0].object.data.k).toBe('a\uFEFFb');
  });

  test('a file that cannot be read for want of permission, or for another reason, says so', () => {
    const fs = require('node:fs') as typeof import('node:fs');
    for (const [code, words] of [
      ['EACCES', 'cannot be read (permission denied)'],
      ['EPERM', 'cannot be read (permission denied)'],
      ['EIO', 'cannot be read (EIO)'],
      [undefined, 'cannot be read (unknown error)'],
    ] as const) {
      const spy = jest.spyOn(fs, 'readFileSync').mockImplementation(() => {
        throw Object.assign(new Error('secret path'), code ? { code } : {});
      });
      try {
        expect(loadManifestFile('x.yaml').problems).toEqual([{ file: 'x.yaml', check: 'read', message: words }]);
      } finally {
        spy.mockRestore();
      }
    }
  });

  test('links in a folder are read when their own name ends in .yaml or .yml', () => {
    const dir = dirWith({ 'target.txt': configMap('t'), 'sub/x.txt': 'x' });
    for (const name of ['l.yml', 'l.yaml', 'l.yaml.bak', 'l.txt'])
      symlinkSync(join(dir, 'target.txt'), join(dir, 'sub', name));
    expect(listManifestFiles([join(dir, 'sub')]).files).toEqual([
      join(dir, 'sub', 'l.yaml'),
      join(dir, 'sub', 'l.yml'),
    ]);
  });

  test('a listing entry ending in ? is looked at on disk: a link to a folder is walked', () => {
    const dir = dirWith({ 'real/x.yaml': configMap('x') });
    mkdirSync(join(dir, 'top'));
    symlinkSync(join(dir, 'real'), join(dir, 'top', 'link'));
    const listing = (d: string) => (d === join(dir, 'top') ? ['link?'] : undefined);
    expect(listManifestFiles([join(dir, 'top')], listing).files).toEqual([join(dir, 'top', 'link', 'x.yaml')]);
  });
});

describe('listManifestFiles with a listing', () => {
  test('a virtual root that only a listing knows is walked as a folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'virtual-'));
    writeFileSync(join(dir, 'a.yaml'), 'a: 1\n');
    const virtual = `${dir}@previous`;
    const listing = (p: string) => (p === virtual ? ['a.yaml'] : undefined);
    expect(listManifestFiles([virtual], listing)).toEqual({ files: [join(virtual, 'a.yaml')], problems: [] });
    // Without the listing it is a path that cannot be read.
    expect(listManifestFiles([virtual]).problems).toMatchObject([{ file: virtual, check: 'read' }]);
  });
});
