import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { BaremetalValidationError } from '../../lib/errors';
import { fromDataUrl } from '../../lib/ignition/data-url';
import { IgnitionConfig } from '../../lib/ignition/ignition-config';
import { IgnitionFiles } from '../../lib/ignition/ignition-files';
import { validateIgnition } from '../../lib/ignition/ignition-schema';
import { garbage, RUNS, SEED } from '../arbitraries';

let root: string;

function put(rel: string, contents: string | Buffer, mode = 0o644): void {
  const p = join(root, rel);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, contents);
  chmodSync(p, mode);
}

function link(rel: string, target: string): void {
  mkdirSync(dirname(join(root, rel)), { recursive: true });
  symlinkSync(target, join(root, rel));
}

/** Seed 003's fake root after both `make install DESTDIR=$FAKEROOT/usr/local CONFDIR=$FAKEROOT/etc/`. */
function seedFakeRoot(): void {
  put('etc/systemd/system/kmods-via-containers@.service', '[Unit]\nDescription=Load kernel modules for %i\n');
  put('etc/kvc/kmods-via-containers.conf', 'KVC_SOFTWARE_NAME=kmods-via-containers\n');
  put('etc/kvc/simple-kmod.conf', 'KMOD_NAMES="simple-kmod simple-procfs-kmod"\n');
  put('usr/local/etc/kvc/bin/kmods-via-containers', '#!/bin/bash\n', 0o755);
  put('usr/local/lib/kvc/simple-kmod-lib.sh', '# lib\n');
  put('usr/local/lib/kvc/simple-kmod-wrapper.sh', '#!/bin/bash\n', 0o755);
  link('usr/local/bin/spkut', '../lib/kvc/simple-kmod-wrapper.sh');
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'ignition-files-'));
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('IgnitionFiles.fromDirectory', () => {
  test('reads seed 003 fake root: files in path order, modes kept, links kept by default', () => {
    // GIVEN
    seedFakeRoot();
    // WHEN
    const tree = IgnitionFiles.fromDirectory(root);
    // THEN
    expect(tree.files.map((f) => [f.path, f.mode])).toEqual([
      ['/etc/kvc/kmods-via-containers.conf', 0o644],
      ['/etc/kvc/simple-kmod.conf', 0o644],
      ['/etc/systemd/system/kmods-via-containers@.service', 0o644],
      ['/usr/local/etc/kvc/bin/kmods-via-containers', 0o755],
      ['/usr/local/lib/kvc/simple-kmod-lib.sh', 0o644],
      ['/usr/local/lib/kvc/simple-kmod-wrapper.sh', 0o755],
    ]);
    expect(tree.links).toEqual([
      { path: '/usr/local/bin/spkut', target: '../lib/kvc/simple-kmod-wrapper.sh', overwrite: true },
    ]);
    expect(tree.directories).toEqual([]);
    expect(tree.file('/etc/kvc/simple-kmod.conf')?.contents).toBe('KMOD_NAMES="simple-kmod simple-procfs-kmod"\n');
  });

  test('dereferences links as filetranspile --dereference-symlinks does', () => {
    // GIVEN
    seedFakeRoot();
    // WHEN
    const tree = IgnitionFiles.fromDirectory(root, { symlinks: 'dereference' });
    // THEN the link's path holds the target's contents and mode
    expect(tree.links).toEqual([]);
    expect(tree.file('/usr/local/bin/spkut')).toEqual({
      path: '/usr/local/bin/spkut',
      contents: '#!/bin/bash\n',
      mode: 0o755,
      overwrite: true,
    });
  });

  test('dereferences a link to a folder by copying the folder', () => {
    put('opt/real/a.txt', 'a\n');
    link('opt/alias', 'real');
    const tree = IgnitionFiles.fromDirectory(root, { symlinks: 'dereference' });
    expect(tree.paths).toEqual(['/opt/alias/a.txt', '/opt/real/a.txt']);
  });

  test('resolves an absolute link target as a node path below target', () => {
    // GIVEN a build tree installed for /usr/local with an absolute link
    put('lib/kvc/w.sh', '#!/bin/sh\n', 0o755);
    link('bin/w', '/usr/local/lib/kvc/w.sh');
    // WHEN
    const tree = IgnitionFiles.fromDirectory(root, { target: '/usr/local', symlinks: 'dereference' });
    // THEN
    expect(tree.file('/usr/local/bin/w')).toMatchObject({ contents: '#!/bin/sh\n', mode: 0o755 });
  });

  test('places the tree below target', () => {
    put('bin/x', 'x');
    expect(IgnitionFiles.fromDirectory(root, { target: '/usr/local' }).paths).toEqual(['/usr/local/bin/x']);
  });

  test('writes directory entries, parents first, with their modes, when asked', () => {
    put('etc/kvc/a.conf', 'a');
    mkdirSync(join(root, 'var/empty'), { recursive: true });
    chmodSync(join(root, 'etc/kvc'), 0o750);
    const tree = IgnitionFiles.fromDirectory(root, { directories: true });
    expect(tree.directories.map((d) => [d.path, d.mode])).toEqual([
      ['/etc', 0o755],
      ['/etc/kvc', 0o750],
      ['/var', 0o755],
      ['/var/empty', 0o755],
    ]);
  });

  test('keeps setuid, setgid and sticky bits', () => {
    put('usr/bin/s', 'x', 0o4755);
    mkdirSync(join(root, 'tmp'));
    chmodSync(join(root, 'tmp'), 0o1777);
    const tree = IgnitionFiles.fromDirectory(root, { directories: true });
    expect(tree.file('/usr/bin/s')?.mode).toBe(0o4755);
    expect(tree.directories.find((d) => d.path === '/tmp')?.mode).toBe(0o1777);
  });

  test('normalizes modes to 0755 and 0644 when asked, then applies overrides', () => {
    put('a', 'a', 0o664);
    put('b', 'b', 0o775);
    put('c', 'c', 0o640);
    const tree = IgnitionFiles.fromDirectory(root, { modes: 'normalize', modeOverrides: { '/c': 0o600 } });
    expect(tree.files.map((f) => f.mode)).toEqual([0o644, 0o755, 0o600]);
  });

  test('gives the same entries whatever order the files were made in', () => {
    put('b/2', '2');
    put('a/1', '1');
    put('B', 'B');
    put('a/0', '0');
    const first = IgnitionFiles.fromDirectory(root);
    expect(first.files.map((f) => f.path)).toEqual(['/B', '/a/0', '/a/1', '/b/2']);
    expect(IgnitionFiles.fromDirectory(root)).toEqual(first);
  });

  test('keeps text as text and anything else as bytes', () => {
    put('text', 'h\u00e9llo\n');
    put('nul', Buffer.from([104, 0, 105]));
    put('latin1', Buffer.from([0xe9]));
    const tree = IgnitionFiles.fromDirectory(root);
    expect(tree.file('/text')?.contents).toBe('h\u00e9llo\n');
    expect(tree.file('/nul')?.contents).toEqual(Uint8Array.from([104, 0, 105]));
    expect(tree.file('/latin1')?.contents).toEqual(Uint8Array.from([0xe9]));
  });

  test('keeps numeric owners only when asked', () => {
    put('a', 'a');
    expect(IgnitionFiles.fromDirectory(root).files[0]).not.toHaveProperty('user');
    expect(IgnitionFiles.fromDirectory(root, { preserveOwners: true }).files[0]).toMatchObject({
      user: process.getuid!(),
      group: process.getgid!(),
    });
  });

  test('sets overwrite false on every file and link when asked', () => {
    seedFakeRoot();
    const tree = IgnitionFiles.fromDirectory(root, { overwrite: false });
    expect([...tree.files, ...tree.links].every((n) => n.overwrite === false)).toBe(true);
  });

  test('yields an Ignition config valid against the schema, compressing only what shrinks', () => {
    // GIVEN a small file and a large repetitive one
    seedFakeRoot();
    put('etc/big.conf', 'option simple_kmod verbose=1\n'.repeat(200));
    // WHEN
    const doc = new IgnitionConfig()
      .addTree(IgnitionFiles.fromDirectory(root, { symlinks: 'dereference' }))
      .toIgnition('3.2.0') as any;
    // THEN
    expect(validateIgnition(doc, '3.2.0')).toEqual([]);
    const byPath = Object.fromEntries(doc.storage.files.map((f: any) => [f.path, f]));
    expect(byPath['/etc/big.conf'].contents.compression).toBe('gzip');
    expect(byPath['/etc/kvc/simple-kmod.conf'].contents.compression).toBe('');
    const big = byPath['/etc/big.conf'].contents;
    expect(Buffer.from(fromDataUrl(big.source, big.compression)).toString()).toBe(
      'option simple_kmod verbose=1\n'.repeat(200),
    );
  });

  test('fails when the path is not a folder', () => {
    put('file', 'x');
    expect(() => IgnitionFiles.fromDirectory(join(root, 'file'))).toThrow(
      /\[IgnitionFiles.fromDirectory\] 'path' is not a folder/,
    );
    expect(() => IgnitionFiles.fromDirectory(join(root, 'missing'))).toThrow(/'path' is not a folder/);
  });

  test('fails when an option is wrong', () => {
    expect(() => IgnitionFiles.fromDirectory(root, { target: 'usr/local' })).toThrow(
      /'options.target' is not an absolute file path/,
    );
    expect(() => IgnitionFiles.fromDirectory(root, { symlinks: 'follow' as never })).toThrow(
      /'options.symlinks' is not a way to handle links/,
    );
    expect(() => IgnitionFiles.fromDirectory(root, { modes: 'umask' as never })).toThrow(
      /'options.modes' is not a way to take permission bits/,
    );
    expect(() => IgnitionFiles.fromDirectory(root, { directories: 'yes' as never })).toThrow(
      /'options.directories' must be true or false/,
    );
  });

  test('fails when a mode override names no node, names a link or is no mode', () => {
    seedFakeRoot();
    expect(() => IgnitionFiles.fromDirectory(root, { modeOverrides: { '/etc/nope': 0o600 } })).toThrow(
      /'options.modeOverrides.\/etc\/nope' names no file or folder of the tree/,
    );
    expect(() => IgnitionFiles.fromDirectory(root, { modeOverrides: { '/usr/local/bin/spkut': 0o600 } })).toThrow(
      /names a link, which has no permission bits/,
    );
    expect(() =>
      IgnitionFiles.fromDirectory(root, { modeOverrides: { '/etc/kvc/simple-kmod.conf': 0o20000 } }),
    ).toThrow(/is not a permission mode/);
  });

  test('fails when a dereferenced link leads outside the tree', () => {
    put('a', 'a');
    link('up', '../../etc/passwd');
    link('abs', '/opt/elsewhere');
    expect(() => IgnitionFiles.fromDirectory(root, { symlinks: 'dereference', target: '/usr/local' })).toThrow(
      /cannot follow \/usr\/local\/abs: \/opt\/elsewhere is outside the tree/,
    );
    rmSync(join(root, 'abs'));
    expect(() => IgnitionFiles.fromDirectory(root, { symlinks: 'dereference', target: '/usr/local' })).toThrow(
      /cannot follow \/usr\/local\/up: \/usr\/local\/\.\. is outside the tree/,
    );
  });

  test('fails when a dereferenced link points to nothing', () => {
    link('dangling', 'missing');
    expect(() => IgnitionFiles.fromDirectory(root, { symlinks: 'dereference' })).toThrow(
      /cannot follow \/dangling: \/missing is not in the tree/,
    );
  });

  test('fails when dereferenced links loop', () => {
    link('a', 'b');
    link('b', 'a');
    expect(() => IgnitionFiles.fromDirectory(root, { symlinks: 'dereference' })).toThrow(/too many levels of links/);
    rmSync(join(root, 'a'));
    rmSync(join(root, 'b'));
    mkdirSync(join(root, 'd'));
    link('d/self', '..');
    expect(() => IgnitionFiles.fromDirectory(root, { symlinks: 'dereference' })).toThrow(
      /cannot follow \/d\/self: it leads back into a folder it is in/,
    );
  });

  test('fails when the tree holds a special file', () => {
    execFileSync('mkfifo', [join(root, 'pipe')]);
    expect(() => IgnitionFiles.fromDirectory(root)).toThrow(/holds a node that is neither a file, a folder nor a link/);
  });

  describe('properties', () => {
    test('any options either read the tree or throw the library error', () => {
      seedFakeRoot();
      fc.assert(
        fc.property(
          fc.record({
            target: fc.option(fc.oneof(fc.constantFrom('/', '/usr/local', '/opt'), garbage), { nil: undefined }),
            symlinks: fc.option(fc.oneof(fc.constantFrom('keep', 'dereference'), garbage), { nil: undefined }),
            modes: fc.option(fc.oneof(fc.constantFrom('preserve', 'normalize'), garbage), { nil: undefined }),
            directories: fc.option(fc.oneof(fc.boolean(), garbage), { nil: undefined }),
            modeOverrides: fc.option(
              fc.oneof(fc.constant({ '/etc/kvc/simple-kmod.conf': 0o600 }), fc.dictionary(fc.string(), garbage)),
              { nil: undefined },
            ),
          }),
          (options) => {
            try {
              const tree = IgnitionFiles.fromDirectory(root, options as never);
              const doc = new IgnitionConfig().addTree(tree).toIgnition('3.2.0');
              expect(validateIgnition(doc, '3.2.0')).toEqual([]);
            } catch (e) {
              expect(e).toBeInstanceOf(BaremetalValidationError);
            }
          },
        ),
        { numRuns: Math.min(RUNS, 100), seed: SEED },
      );
    });
  });
});
