import fc from 'fast-check';
import { BaremetalValidationError } from '../../lib/errors';
import { fromDataUrl } from '../../lib/ignition/data-url';
import { IgnitionConfig } from '../../lib/ignition/ignition-config';
import { IGNITION_SPEC_VERSIONS, validateIgnition } from '../../lib/ignition/ignition-schema';
import { acceptsOrRefuses, garbage, mostly, RUNS, SEED } from '../arbitraries';

const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ7Zb3yQk0c8z0zv1rYy0fJ8m7o7v5qj3m9x4h2q1a0b core@site';
/** Seed 003's unit that makes the kmods-via-containers instance start at boot. */
const REQUIRE_UNIT =
  '[Unit]\nRequires=kmods-via-containers@simple-kmod.service\n[Service]\nType=oneshot\nExecStart=/usr/bin/true\n\n[Install]\nWantedBy=multi-user.target';

/** Seed 003's base config, in the model. */
function seedConfig(): IgnitionConfig {
  return new IgnitionConfig()
    .addUser({ name: 'core', groups: ['sudo'], sshAuthorizedKeys: [KEY] })
    .addUnit({ name: 'require-kvc-simple-kmod.service', enabled: true, contents: REQUIRE_UNIT })
    .addFile({ path: '/etc/kvc/simple-kmod.conf', contents: 'KMOD_NAMES="simple-kmod simple-procfs-kmod"\n' })
    .addFile({ path: '/usr/local/lib/kvc/simple-kmod-wrapper.sh', contents: '#!/bin/bash\n', mode: 0o755 })
    .addDirectory({ path: '/usr/local/lib/kvc', mode: 0o755 })
    .addLink({ path: '/usr/local/bin/spkut', target: '../lib/kvc/simple-kmod-wrapper.sh' });
}

function text(file: { contents: { source: string; compression: string } }): string {
  return Buffer.from(fromDataUrl(file.contents.source, file.contents.compression)).toString('utf8');
}

describe('IgnitionConfig', () => {
  describe('toIgnition', () => {
    test.each(IGNITION_SPEC_VERSIONS)('writes seed 003 base config that fits the %s schema', (version) => {
      // GIVEN
      const config = seedConfig();
      // WHEN
      const doc = config.toIgnition(version) as any;
      // THEN
      expect(validateIgnition(doc, version)).toEqual([]);
      expect(doc).toMatchObject({
        ignition: { version },
        passwd: { users: [{ name: 'core', groups: ['sudo'], sshAuthorizedKeys: [KEY] }] },
        systemd: { units: [{ name: 'require-kvc-simple-kmod.service', enabled: true, contents: REQUIRE_UNIT }] },
        storage: {
          directories: [{ path: '/usr/local/lib/kvc', mode: 0o755 }],
          files: [
            { path: '/etc/kvc/simple-kmod.conf', mode: 0o644, overwrite: true },
            { path: '/usr/local/lib/kvc/simple-kmod-wrapper.sh', mode: 0o755, overwrite: true },
          ],
          links: [{ path: '/usr/local/bin/spkut', target: '../lib/kvc/simple-kmod-wrapper.sh', overwrite: true }],
        },
      });
      expect(text(doc.storage.files[0])).toBe('KMOD_NAMES="simple-kmod simple-procfs-kmod"\n');
    });

    test('writes owners by name or id and leaves them out when not given', () => {
      const doc = new IgnitionConfig()
        .addFile({ path: '/a', contents: 'a', user: 'core', group: 0 })
        .addFile({ path: '/b', contents: 'b' })
        .toIgnition('3.2.0') as any;
      expect(doc.storage.files[0]).toMatchObject({ user: { name: 'core' }, group: { id: 0 } });
      expect(doc.storage.files[1]).not.toHaveProperty('user');
      expect(doc.storage.files[1]).not.toHaveProperty('group');
    });

    test('embeds bytes exactly', () => {
      const bytes = Uint8Array.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 255]);
      const doc = new IgnitionConfig()
        .addFile({ path: '/usr/local/bin/x', contents: bytes })
        .toIgnition('3.2.0') as any;
      const f = doc.storage.files[0];
      expect([...fromDataUrl(f.contents.source, f.contents.compression)]).toEqual([...bytes]);
    });

    test('enables a unit with an [Install] section unless told otherwise, and keeps drop-ins and masks', () => {
      const doc = new IgnitionConfig()
        .addUnit({
          name: 'a.service',
          contents: '[Service]\nExecStart=/bin/true\n[Install]\nWantedBy=multi-user.target\n',
        })
        .addUnit({ name: 'b.service', contents: '[Service]\nExecStart=/bin/true\n' })
        .addUnit({ name: 'c.service', contents: '[Install]\nWantedBy=x.target\n', enabled: false })
        .addUnit({ name: 'crio.service', dropins: [{ name: '10-x.conf', contents: '[Service]\nNice=1\n' }] })
        .addUnit({ name: 'd.service', mask: true })
        .toIgnition('3.4.0') as any;
      const units = Object.fromEntries(doc.systemd.units.map((u: any) => [u.name, u]));
      expect(units['a.service'].enabled).toBe(true);
      expect(units['b.service']).not.toHaveProperty('enabled');
      expect(units['c.service'].enabled).toBe(false);
      expect(units['crio.service']).toEqual({
        name: 'crio.service',
        dropins: [{ name: '10-x.conf', contents: '[Service]\nNice=1\n' }],
      });
      expect(units['d.service']).toEqual({ name: 'd.service', mask: true });
    });

    test('writes kernel arguments for 3.3.0 and later', () => {
      const doc = new IgnitionConfig()
        .addKernelArguments('nosmt', 'hugepagesz=1G hugepages=40')
        .removeKernelArguments('mitigations=auto')
        .toIgnition('3.3.0') as any;
      expect(doc.kernelArguments).toEqual({
        shouldExist: ['nosmt', 'hugepagesz=1G hugepages=40'],
        shouldNotExist: ['mitigations=auto'],
      });
    });

    test('writes a bare config when nothing was added', () => {
      const config = new IgnitionConfig();
      expect(config.isEmpty).toBe(true);
      expect(config.toIgnition('3.2.0')).toEqual({ ignition: { version: '3.2.0' } });
    });

    test('writes the same JSON twice', () => {
      expect(JSON.stringify(seedConfig().toIgnition('3.4.0'))).toBe(JSON.stringify(seedConfig().toIgnition('3.4.0')));
    });

    test('fails when kernel arguments are written for 3.2.0', () => {
      expect(() => new IgnitionConfig().addKernelArguments('nosmt').toIgnition('3.2.0')).toThrow(
        /'config.kernelArguments' need Ignition spec 3.3.0 or later \(got "3.2.0"\)/,
      );
    });

    test('fails when the spec version is unknown', () => {
      expect(() => new IgnitionConfig().toIgnition('3.1.0' as never)).toThrow(
        /'config.ignitionVersion' is not an Ignition spec version this library writes \(got "3.1.0"\); use one of 3.2.0/,
      );
    });
  });

  describe('toButane', () => {
    test('writes the fcos form in snake_case with inline text', () => {
      const doc = seedConfig().addKernelArguments('nosmt').toButane('1.5.0') as any;
      expect(doc).toMatchObject({
        variant: 'fcos',
        version: '1.5.0',
        passwd: { users: [{ name: 'core', ssh_authorized_keys: [KEY], groups: ['sudo'] }] },
        storage: { links: [{ path: '/usr/local/bin/spkut', target: '../lib/kvc/simple-kmod-wrapper.sh' }] },
        kernel_arguments: { should_exist: ['nosmt'] },
      });
      expect(doc.storage.files[0]).toEqual({
        path: '/etc/kvc/simple-kmod.conf',
        overwrite: true,
        contents: { inline: 'KMOD_NAMES="simple-kmod simple-procfs-kmod"\n' },
        mode: 0o644,
      });
    });

    test('writes bytes as a data URL source', () => {
      const doc = new IgnitionConfig().addFile({ path: '/x', contents: Uint8Array.from([0, 1]) }).toButane() as any;
      expect(doc.storage.files[0].contents).toEqual({ source: 'data:,%00%01', compression: '' });
    });

    test('fails when the Butane version is unknown', () => {
      expect(() => new IgnitionConfig().toButane('1.6.0' as never)).toThrow(/is not a supported Butane fcos version/);
    });
  });

  describe('nodes', () => {
    test('reports what sits at a path', () => {
      const config = seedConfig();
      expect(config.nodeAt('/usr/local/bin/spkut')).toBe('link');
      expect(config.nodeAt('/usr/local/lib/kvc')).toBe('directory');
      expect(config.nodeAt('/nowhere')).toBeUndefined();
    });

    test('adds a tree: directories, files, links', () => {
      const config = new IgnitionConfig().addTree({
        directories: [{ path: '/d' }],
        files: [{ path: '/d/f', contents: 'x' }],
        links: [{ path: '/d/l', target: 'f' }],
      });
      expect(config.directories).toEqual([{ path: '/d', mode: 0o755 }]);
      expect(config.files).toEqual([{ path: '/d/f', contents: 'x', mode: 0o644, overwrite: true }]);
      expect(config.links).toEqual([{ path: '/d/l', target: 'f', overwrite: true }]);
    });

    test('fails when a path is relative or has dot parts', () => {
      for (const path of ['etc/x', '/etc/../x', '/etc/./x', '/etc//x', '/etc/x/']) {
        expect(() => new IgnitionConfig().addFile({ path })).toThrow(
          /'config.files.path' is not an absolute file path/,
        );
      }
    });

    test('fails when a file is written twice', () => {
      const config = new IgnitionConfig().addFile({ path: '/a' });
      expect(() => config.addFile({ path: '/a' })).toThrow(/'config.files.path' is written twice \(got "\/a"\)/);
    });

    test('fails when a path is both a file and a link', () => {
      const config = new IgnitionConfig().addFile({ path: '/a' });
      expect(() => config.addLink({ path: '/a', target: '/b' })).toThrow(
        /'config.links.path' is also a file of this config/,
      );
    });

    test('fails when a directory is created twice', () => {
      const config = new IgnitionConfig().addDirectory({ path: '/d' });
      expect(() => config.addDirectory({ path: '/d' })).toThrow(/'config.directories.path' is created twice/);
    });

    test('fails when a link is created twice', () => {
      const config = new IgnitionConfig().addLink({ path: '/l', target: 'x' });
      expect(() => config.addLink({ path: '/l', target: 'y' })).toThrow(/'config.links.path' is created twice/);
    });

    test('fails when a node is below a file or a link', () => {
      const config = new IgnitionConfig().addFile({ path: '/a' }).addLink({ path: '/l', target: '/x' });
      expect(() => config.addFile({ path: '/a/b' })).toThrow(/is below \/a, which is a file of this config/);
      expect(() => config.addDirectory({ path: '/l/d' })).toThrow(/is below \/l, which is a link of this config/);
    });

    test('fails when a file or link is above nodes already added', () => {
      const config = new IgnitionConfig().addFile({ path: '/a/b/c' });
      expect(() => config.addFile({ path: '/a/b' })).toThrow(/is a file above \/a\/b\/c of this config/);
      expect(() => config.addLink({ path: '/a', target: '/x' })).toThrow(/is a link above \/a\/b\/c of this config/);
      expect(() => config.addDirectory({ path: '/a' })).not.toThrow();
    });

    test('fails when contents are neither text nor bytes', () => {
      expect(() => new IgnitionConfig().addFile({ path: '/a', contents: 42 as never })).toThrow(
        /'config.files.contents' must be a string or a Uint8Array \(got 42\)/,
      );
    });

    test('fails when a mode is not permission bits', () => {
      for (const mode of [-1, 0o10000, 1.5, '0644']) {
        expect(() => new IgnitionConfig().addFile({ path: '/a', mode: mode as never })).toThrow(
          /'config.files.mode' is not a permission mode/,
        );
      }
      expect(() => new IgnitionConfig().addDirectory({ path: '/d', mode: 0o20000 })).toThrow(
        /'config.directories.mode' is not a permission mode/,
      );
    });

    test('fails when an owner is neither a name nor an id', () => {
      expect(() => new IgnitionConfig().addFile({ path: '/a', user: 'Root User' })).toThrow(
        /'config.files.user' is not a user or group name/,
      );
      expect(() => new IgnitionConfig().addFile({ path: '/a', group: -1 })).toThrow(
        /'config.files.group' is not a numeric id/,
      );
      expect(() => new IgnitionConfig().addLink({ path: '/a', target: 'b', user: '' })).toThrow(
        /'config.links.user' must not be empty/,
      );
    });

    test('fails when overwrite is not a boolean', () => {
      expect(() => new IgnitionConfig().addFile({ path: '/a', overwrite: 'yes' as never })).toThrow(
        /'config.files.overwrite' must be true or false/,
      );
    });

    test('fails when a link has no target or a target with a newline', () => {
      expect(() => new IgnitionConfig().addLink({ path: '/a', target: '' })).toThrow(
        /'config.links.target' must not be empty/,
      );
      expect(() => new IgnitionConfig().addLink({ path: '/a', target: 'x\ny' })).toThrow(
        /'config.links.target' holds a NUL or newline/,
      );
    });

    test('fails when a hard link has a relative target', () => {
      expect(() => new IgnitionConfig().addLink({ path: '/a', target: 'b', hard: true })).toThrow(
        /'config.links.target' of a hard link is not absolute/,
      );
    });

    test('fails when a tree is not a tree', () => {
      expect(() => new IgnitionConfig().addTree({ files: [] } as never)).toThrow(
        /'config.tree' is not a tree of files/,
      );
    });
  });

  describe('units', () => {
    test('fails when a unit name has no type suffix', () => {
      expect(() => new IgnitionConfig().addUnit({ name: 'kvc' })).toThrow(
        /'config.units.name' is not a systemd unit name \(got "kvc"\)/,
      );
    });

    test('fails when a unit is defined twice', () => {
      const config = new IgnitionConfig().addUnit({ name: 'a.service' });
      expect(() => config.addUnit({ name: 'a.service' })).toThrow(/'config.units.name' is defined twice/);
    });

    test('fails when unit contents are not text', () => {
      expect(() => new IgnitionConfig().addUnit({ name: 'a.service', contents: {} as never })).toThrow(
        /'config.units.contents' must be a string/,
      );
    });

    test('fails when enabled or mask is not a boolean', () => {
      expect(() => new IgnitionConfig().addUnit({ name: 'a.service', enabled: 1 as never })).toThrow(
        /'config.units.enabled' must be true or false/,
      );
      expect(() => new IgnitionConfig().addUnit({ name: 'a.service', mask: 'no' as never })).toThrow(
        /'config.units.mask' must be true or false/,
      );
    });

    test('fails when drop-ins are not a list, badly named, doubled or not text', () => {
      const add = (dropins: unknown) => () =>
        new IgnitionConfig().addUnit({ name: 'a.service', dropins: dropins as never });
      expect(add('x')).toThrow(/'config.units.dropins' must be a list/);
      expect(add([{ name: 'x.txt', contents: '' }])).toThrow(/'config.units.dropins\[0\]' is not a drop-in file name/);
      expect(add([{ name: 'a/x.conf', contents: '' }])).toThrow(/is not a drop-in file name/);
      expect(add([{ name: 'x\0.conf', contents: '' }])).toThrow(
        /'config.units.dropins\[0\]' holds a NUL or newline \(got "x\\u0000.conf"\); use a plain file name ending in ".conf"/,
      );
      expect(add([{ name: 'x\n.conf', contents: '' }])).toThrow(/holds a NUL or newline \(got "x\\n.conf"\)/);
      expect(
        add([
          { name: 'x.conf', contents: '' },
          { name: 'x.conf', contents: '' },
        ]),
      ).toThrow(/'config.units.dropins\[1\]' is defined twice/);
      expect(add([{ name: 'x.conf', contents: 1 }])).toThrow(/'config.units.dropins\[0\].contents' must be a string/);
    });
  });

  describe('users', () => {
    test('writes every user field', () => {
      const doc = new IgnitionConfig()
        .addUser({
          name: 'ops',
          uid: 1500,
          groups: ['wheel'],
          homeDir: '/var/home/ops',
          shell: '/bin/bash',
          passwordHash: '$y$j9T$abc$def',
          sshAuthorizedKeys: [KEY],
        })
        .toIgnition('3.2.0') as any;
      expect(doc.passwd.users[0]).toEqual({
        name: 'ops',
        uid: 1500,
        groups: ['wheel'],
        homeDir: '/var/home/ops',
        shell: '/bin/bash',
        passwordHash: '$y$j9T$abc$def',
        sshAuthorizedKeys: [KEY],
      });
    });

    test('fails when a user name is not a login name', () => {
      expect(() => new IgnitionConfig().addUser({ name: 'Core' })).toThrow(/'config.users.name' is not a user name/);
    });

    test('fails when a user is defined twice', () => {
      const config = new IgnitionConfig().addUser({ name: 'core' });
      expect(() => config.addUser({ name: 'core' })).toThrow(/'config.users.name' is defined twice/);
    });

    test('fails when an SSH key is not a public key', () => {
      expect(() => new IgnitionConfig().addUser({ name: 'core', sshAuthorizedKeys: ['AAAA'] })).toThrow(
        /'config.users.sshAuthorizedKeys\[0\]' is not an SSH public key/,
      );
    });

    test('fails without echoing it when an SSH key is a private key', () => {
      const key = '-----BEGIN OPENSSH PRIVATE KEY-----\nsecretbytes\n-----END OPENSSH PRIVATE KEY-----';
      let message = '';
      try {
        new IgnitionConfig().addUser({ name: 'core', sshAuthorizedKeys: [key] });
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).toMatch(/is a private key \(got <redacted>\)/);
      expect(message).not.toContain('secretbytes');
    });

    test('fails when a key is listed twice', () => {
      expect(() => new IgnitionConfig().addUser({ name: 'core', sshAuthorizedKeys: [KEY, KEY] })).toThrow(
        /'config.users.sshAuthorizedKeys' lists a key twice/,
      );
    });

    test('fails without echoing it when a password is not a hash', () => {
      let message = '';
      try {
        new IgnitionConfig().addUser({ name: 'core', passwordHash: 'hunter2' });
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).toMatch(/'config.users.passwordHash' is not a crypt\(3\) password hash \(got <redacted>\)/);
      expect(message).not.toContain('hunter2');
    });

    test('fails when a group, uid, home or shell is wrong', () => {
      expect(() => new IgnitionConfig().addUser({ name: 'a', groups: ['Wheel Group'] })).toThrow(
        /'config.users.groups\[0\]' is not a group name/,
      );
      expect(() => new IgnitionConfig().addUser({ name: 'a', groups: 'wheel' as never })).toThrow(
        /'config.users.groups' must be a list/,
      );
      expect(() => new IgnitionConfig().addUser({ name: 'a', uid: -5 })).toThrow(
        /'config.users.uid' is not a numeric id/,
      );
      expect(() => new IgnitionConfig().addUser({ name: 'a', homeDir: 'home/a' })).toThrow(
        /'config.users.homeDir' is not an absolute file path/,
      );
      expect(() => new IgnitionConfig().addUser({ name: 'a', shell: 'bash' })).toThrow(
        /'config.users.shell' is not an absolute file path/,
      );
    });
  });

  describe('kernel arguments', () => {
    test('keeps the order and reports them', () => {
      const config = new IgnitionConfig().addKernelArguments('a=1', 'b').removeKernelArguments('c');
      expect(config.kernelArguments).toEqual({ shouldExist: ['a=1', 'b'], shouldNotExist: ['c'] });
    });

    test('fails when an argument has stray white space, showing it', () => {
      for (const [arg, shown] of [
        [' a', '" a"'],
        ['a  b', '"a  b"'],
        ['a\tb', '"a\\tb"'],
        ['a ', '"a "'],
        ['a\u00a0 b', '"a\\u00a0 b"'],
      ]) {
        expect(() => new IgnitionConfig().addKernelArguments(arg)).toThrow(
          `[IgnitionConfig] 'config.kernelArguments' has stray white space (got ${shown}); separate the arguments`,
        );
      }
    });

    test('fails when an argument is given twice, even as one to remove', () => {
      expect(() => new IgnitionConfig().addKernelArguments('a', 'a')).toThrow(
        /'config.kernelArguments' is given twice/,
      );
      expect(() => new IgnitionConfig().addKernelArguments('a').removeKernelArguments('a')).toThrow(
        /'config.kernelArgumentsToRemove' is given twice/,
      );
    });
  });

  test('names the construct and prop it serves in errors', () => {
    const config = new IgnitionConfig({ where: { path: 'site/Kmod', prop: 'ignition' } });
    expect(() => config.addFile({ path: 'x' })).toThrow(/^\[site\/Kmod\] 'ignition.files.path'/);
  });

  describe('properties', () => {
    const path = mostly(fc.stringMatching(/^(\/[a-z0-9._-]{1,8}){1,4}$/));
    const owner = fc.option(mostly(fc.oneof(fc.constantFrom('root', 'core'), fc.nat({ max: 70000 }))), {
      nil: undefined,
    });
    const op = fc.oneof(
      fc.record({
        kind: fc.constant('file' as const),
        path,
        contents: fc.option(mostly(fc.oneof(fc.string({ maxLength: 80 }), fc.uint8Array({ maxLength: 80 }))), {
          nil: undefined,
        }),
        mode: fc.option(mostly(fc.integer({ min: 0, max: 0o7777 })), { nil: undefined }),
        user: owner,
      }),
      fc.record({ kind: fc.constant('directory' as const), path, group: owner }),
      fc.record({
        kind: fc.constant('link' as const),
        path,
        target: mostly(fc.stringMatching(/^\.?\.?\/?[a-z]{1,6}$/)),
      }),
      fc.record({
        kind: fc.constant('unit' as const),
        name: mostly(fc.stringMatching(/^[a-z@-]{1,10}\.(service|timer)$/)),
        contents: fc.option(mostly(fc.string({ maxLength: 40 })), { nil: undefined }),
      }),
      fc.record({
        kind: fc.constant('karg' as const),
        arg: mostly(fc.stringMatching(/^[a-z_]{1,8}(=[a-z0-9]{1,4})?$/)),
      }),
      fc.record({
        kind: fc.constant('user' as const),
        name: mostly(fc.constantFrom('core', 'ops')),
        keys: fc.constant([KEY]),
      }),
      fc.record({ kind: fc.constant('garbage' as const), value: garbage }),
    );

    test('any sequence of additions either builds a config valid for every spec version or throws the library error', () => {
      fc.assert(
        fc.property(fc.array(op, { maxLength: 8 }), fc.constantFrom(...IGNITION_SPEC_VERSIONS), (ops, version) => {
          acceptsOrRefuses(() => {
            const config = new IgnitionConfig();
            for (const o of ops) {
              if (o.kind === 'file') config.addFile(o);
              else if (o.kind === 'directory') config.addDirectory(o);
              else if (o.kind === 'link') config.addLink(o);
              else if (o.kind === 'unit') config.addUnit(o);
              else if (o.kind === 'karg') config.addKernelArguments(o.arg);
              else if (o.kind === 'user') config.addUser({ name: o.name, sshAuthorizedKeys: [...o.keys] });
              else config.addFile(o.value as never);
            }
            const doc = config.toIgnition(version);
            expect(validateIgnition(doc, version)).toEqual([]);
            for (const f of config.files) {
              const written = (doc as any).storage.files.find((x: any) => x.path === f.path);
              const bytes = typeof f.contents === 'string' ? Buffer.from(f.contents) : Buffer.from(f.contents!);
              expect(
                Buffer.from(fromDataUrl(written.contents.source, written.contents.compression)).equals(bytes),
              ).toBe(true);
            }
            config.toButane();
            return JSON.stringify(doc);
          });
        }),
        { numRuns: RUNS, seed: SEED },
      );
    });

    test('errors are always the library error', () => {
      fc.assert(
        fc.property(garbage, (value) => {
          for (const add of [
            (c: IgnitionConfig) => c.addFile(value as never),
            (c: IgnitionConfig) => c.addDirectory(value as never),
            (c: IgnitionConfig) => c.addLink(value as never),
            (c: IgnitionConfig) => c.addUnit(value as never),
            (c: IgnitionConfig) => c.addUser(value as never),
            (c: IgnitionConfig) => c.addTree(value as never),
            (c: IgnitionConfig) => c.addKernelArguments(value as never),
          ]) {
            try {
              add(new IgnitionConfig());
            } catch (e) {
              expect(e).toBeInstanceOf(BaremetalValidationError);
            }
          }
        }),
        { numRuns: RUNS, seed: SEED },
      );
    });
  });
});
