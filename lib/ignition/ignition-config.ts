import { BaremetalValidationError } from '../errors';
import { At, child, expectNonEmptyString, expectOptionalBoolean, fail, redacted } from '../private/errors';
import { validateAbsolutePath } from '../private/node-path';
import { toDataUrl } from './data-url';
import { IGNITION_SPEC_VERSIONS, IgnitionSpecVersion, validateIgnition } from './ignition-schema';
import {
  ButaneFcosVersion,
  IgnitionConfigProps,
  IgnitionDirectoryOptions,
  IgnitionDropin,
  IgnitionFileOptions,
  IgnitionKernelArguments,
  IgnitionLinkOptions,
  IgnitionOwner,
  IgnitionUnitOptions,
  IgnitionUserOptions,
} from './ignition-config-options';

export * from './ignition-config-options';

const UNIT_NAME = /^[A-Za-z0-9:_.\\@-]+\.(service|socket|device|mount|automount|swap|target|path|timer|slice|scope)$/;
const USER_NAME = /^[a-z_][a-z0-9_-]{0,31}$/;
const SSH_PUBLIC_KEY =
  /^(ssh-(rsa|ed25519|dss)|ecdsa-sha2-nistp(256|384|521)|sk-(ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com) [A-Za-z0-9+/]+={0,3}( [^\n\r]*)?$/;
const CRYPT_HASH = /^\$[0-9a-z]+\$[^\s:]+$/;
const MAX_ID = 0xfffffffe;

type Node = { readonly kind: 'file' | 'directory' | 'link'; readonly path: string };

/**
 * A typed Ignition config: files, directories, links, systemd units and drop-ins, users with SSH
 * keys, and kernel arguments, checked as they are added, with two emitters: Ignition spec 3.x
 * JSON (`toIgnition`, checked against the mirrored schema of that spec) and the Butane fcos form
 * (`toButane`). `ButaneConfig` and `MachineConfig` build on it.
 *
 * Node paths must be unique across files, directories and links, no node may sit below a file or
 * a link of the same config, and unit and user names must be unique: Ignition refuses all of these.
 */
export class IgnitionConfig {
  /** Where this config is used, for error messages. */
  protected readonly where: At;
  /** Owner given to nodes that name none; `ButaneConfig` writes root explicitly. */
  protected readonly defaultOwner: string | undefined = undefined;
  private readonly nodes = new Map<string, Node>();
  /** Every proper ancestor of every node, for the check that files and links have nothing below. */
  private readonly ancestors = new Map<string, string>();
  private readonly fileEntries = new Map<string, IgnitionFileOptions>();
  private readonly directoryEntries = new Map<string, IgnitionDirectoryOptions>();
  private readonly linkEntries = new Map<string, IgnitionLinkOptions>();
  private readonly unitEntries = new Map<string, IgnitionUnitOptions>();
  private readonly userEntries = new Map<string, IgnitionUserOptions>();
  private readonly kargs: string[] = [];
  private readonly kargsAbsent: string[] = [];

  constructor(props: IgnitionConfigProps = {}) {
    this.where = props?.where ?? { path: 'IgnitionConfig', prop: 'config' };
  }

  /** Adds a file; refuses a second node at the same path. */
  public addFile(file: IgnitionFileOptions): this {
    const where = child(this.where, 'files');
    const path = this.claimPath(file?.path, where, 'file', 'is written twice');
    const contents = file.contents ?? '';
    if (typeof contents !== 'string' && !(contents instanceof Uint8Array)) {
      fail(child(where, 'contents'), 'must be a string or a Uint8Array', file.contents, 'pass text or bytes');
    }
    const entry: IgnitionFileOptions = {
      path,
      contents,
      mode: validateMode(file.mode ?? 0o644, child(where, 'mode')),
      ...this.owners(file, where),
      overwrite: expectOptionalBoolean(file.overwrite, child(where, 'overwrite')) ?? true,
    };
    this.commit(path, 'file');
    this.fileEntries.set(path, entry);
    return this;
  }

  /** Adds a directory; refuses a second node at the same path. */
  public addDirectory(directory: IgnitionDirectoryOptions): this {
    const where = child(this.where, 'directories');
    const path = this.claimPath(directory?.path, where, 'directory', 'is created twice');
    const overwrite = expectOptionalBoolean(directory.overwrite, child(where, 'overwrite'));
    const entry: IgnitionDirectoryOptions = {
      path,
      mode: validateMode(directory.mode ?? 0o755, child(where, 'mode')),
      ...this.owners(directory, where),
      ...(overwrite !== undefined ? { overwrite } : {}),
    };
    this.commit(path, 'directory');
    this.directoryEntries.set(path, entry);
    return this;
  }

  /** Adds a symbolic or hard link; refuses a second node at the same path. */
  public addLink(link: IgnitionLinkOptions): this {
    const where = child(this.where, 'links');
    const path = this.claimPath(link?.path, where, 'link', 'is created twice');
    const target = expectNonEmptyString(link.target, child(where, 'target'), 'pass the path the link points to');
    if (/[\0\n]/.test(target)) {
      fail(child(where, 'target'), 'holds a NUL or newline', target, 'pass a plain path');
    }
    const hard = expectOptionalBoolean(link.hard, child(where, 'hard')) ?? false;
    if (hard && !target.startsWith('/')) {
      fail(child(where, 'target'), 'of a hard link is not absolute', target, 'give the absolute path of the file');
    }
    const entry: IgnitionLinkOptions = {
      path,
      target,
      ...(hard ? { hard } : {}),
      ...this.owners(link, where),
      overwrite: expectOptionalBoolean(link.overwrite, child(where, 'overwrite')) ?? true,
    };
    this.commit(path, 'link');
    this.linkEntries.set(path, entry);
    return this;
  }

  /**
   * Adds every directory, file and link of a tree, for example one read by
   * `IgnitionFiles.fromDirectory()`, in the tree's order.
   */
  public addTree(tree: {
    readonly directories: readonly IgnitionDirectoryOptions[];
    readonly files: readonly IgnitionFileOptions[];
    readonly links: readonly IgnitionLinkOptions[];
  }): this {
    if (tree === null || typeof tree !== 'object' || ![tree.directories, tree.files, tree.links].every(Array.isArray)) {
      fail(child(this.where, 'tree'), 'is not a tree of files', tree, 'pass IgnitionFiles.fromDirectory(path)');
    }
    tree.directories.forEach((d) => this.addDirectory(d));
    tree.files.forEach((f) => this.addFile(f));
    tree.links.forEach((l) => this.addLink(l));
    return this;
  }

  /** Adds a systemd unit; refuses a second entry for the same unit name. */
  public addUnit(unit: IgnitionUnitOptions): this {
    const where = child(this.where, 'units');
    const name = expectNonEmptyString(unit?.name, child(where, 'name'));
    if (!UNIT_NAME.test(name)) {
      fail(
        child(where, 'name'),
        'is not a systemd unit name',
        name,
        'use a name with a type suffix such as "foo.service"',
      );
    }
    if (this.unitEntries.has(name)) fail(child(where, 'name'), 'is defined twice', name, 'merge the two definitions');
    if (unit.contents !== undefined && typeof unit.contents !== 'string') {
      fail(child(where, 'contents'), 'must be a string', unit.contents, 'pass the unit file text');
    }
    const enabled = expectOptionalBoolean(unit.enabled, child(where, 'enabled'));
    const mask = expectOptionalBoolean(unit.mask, child(where, 'mask'));
    if (unit.dropins !== undefined && !Array.isArray(unit.dropins)) {
      fail(child(where, 'dropins'), 'must be a list', unit.dropins, 'pass a list of { name, contents }');
    }
    const dropinNames = new Set<string>();
    const dropins: IgnitionDropin[] = [];
    for (const [i, d] of (unit.dropins ?? []).entries()) {
      const dw = child(child(where, 'dropins'), i);
      const dn = expectNonEmptyString(d?.name, dw);
      if (/[\0\n\r]/.test(dn)) fail(dw, 'holds a NUL or newline', dn, 'use a plain file name ending in ".conf"');
      if (!dn.endsWith('.conf') || dn.includes('/')) {
        fail(dw, 'is not a drop-in file name', dn, 'use a plain file name ending in ".conf"');
      }
      if (dropinNames.has(dn)) fail(dw, 'is defined twice', dn, 'merge the two drop-ins');
      if (typeof d.contents !== 'string') fail(child(dw, 'contents'), 'must be a string', d.contents, 'pass text');
      dropinNames.add(dn);
      dropins.push({ name: dn, contents: d.contents });
    }
    this.unitEntries.set(name, {
      name,
      ...(unit.contents !== undefined ? { contents: unit.contents } : {}),
      ...(enabled !== undefined ? { enabled } : {}),
      ...(mask !== undefined ? { mask } : {}),
      ...(unit.dropins !== undefined ? { dropins } : {}),
    });
    return this;
  }

  /**
   * Adds a user, or SSH keys for an existing one such as `core`; refuses a second entry for the
   * same name. Messages never show a password hash.
   */
  public addUser(user: IgnitionUserOptions): this {
    const where = child(this.where, 'users');
    const name = expectNonEmptyString(user?.name, child(where, 'name'));
    if (!USER_NAME.test(name)) fail(child(where, 'name'), 'is not a user name', name, 'use a name such as "core"');
    if (this.userEntries.has(name)) fail(child(where, 'name'), 'is defined twice', name, 'merge the two entries');
    const keys = optionalStrings(user.sshAuthorizedKeys, child(where, 'sshAuthorizedKeys'));
    keys?.forEach((key, i) => validateSshKey(key, child(child(where, 'sshAuthorizedKeys'), i)));
    if (keys && new Set(keys).size !== keys.length) {
      fail(child(where, 'sshAuthorizedKeys'), 'lists a key twice', keys.length, 'remove the duplicate');
    }
    if (user.passwordHash !== undefined) {
      if (typeof user.passwordHash !== 'string' || !CRYPT_HASH.test(user.passwordHash)) {
        fail(
          child(where, 'passwordHash'),
          'is not a crypt(3) password hash',
          redacted(),
          'pass the output of `mkpasswd --method=yescrypt`, never the password itself',
        );
      }
    }
    const groups = optionalStrings(user.groups, child(where, 'groups'));
    groups?.forEach((g, i) => {
      if (!USER_NAME.test(g))
        fail(child(child(where, 'groups'), i), 'is not a group name', g, 'use a name such as "wheel"');
    });
    if (user.uid !== undefined) validateId(user.uid, child(where, 'uid'));
    const homeDir =
      user.homeDir === undefined ? undefined : validateAbsolutePath(user.homeDir, child(where, 'homeDir'));
    const shell = user.shell === undefined ? undefined : validateAbsolutePath(user.shell, child(where, 'shell'));
    this.userEntries.set(name, {
      name,
      ...(keys ? { sshAuthorizedKeys: [...keys] } : {}),
      ...(user.passwordHash !== undefined ? { passwordHash: user.passwordHash } : {}),
      ...(groups ? { groups: [...groups] } : {}),
      ...(user.uid !== undefined ? { uid: user.uid } : {}),
      ...(homeDir !== undefined ? { homeDir } : {}),
      ...(shell !== undefined ? { shell } : {}),
    });
    return this;
  }

  /**
   * Adds kernel arguments that must be present; refuses duplicates. An entry may be a group of
   * arguments separated by single spaces that must stay together and in order, such as
   * `hugepagesz=1G hugepages=40` (Ignition's `shouldExist` semantics). Needs Ignition 3.3.0+.
   */
  public addKernelArguments(...args: string[]): this {
    this.pushKernelArguments(args, this.kargs, child(this.where, 'kernelArguments'));
    return this;
  }

  /** Adds kernel arguments that must be absent (Ignition's `shouldNotExist`). Needs Ignition 3.3.0+. */
  public removeKernelArguments(...args: string[]): this {
    this.pushKernelArguments(args, this.kargsAbsent, child(this.where, 'kernelArgumentsToRemove'));
    return this;
  }

  /** The files, in the order added, with defaults filled in. */
  public get files(): readonly IgnitionFileOptions[] {
    return [...this.fileEntries.values()];
  }

  /** The directories, in the order added, with defaults filled in. */
  public get directories(): readonly IgnitionDirectoryOptions[] {
    return [...this.directoryEntries.values()];
  }

  /** The links, in the order added, with defaults filled in. */
  public get links(): readonly IgnitionLinkOptions[] {
    return [...this.linkEntries.values()];
  }

  /** The systemd units, in the order added. */
  public get units(): readonly IgnitionUnitOptions[] {
    return [...this.unitEntries.values()];
  }

  /** The users, in the order added. */
  public get users(): readonly IgnitionUserOptions[] {
    return [...this.userEntries.values()];
  }

  /** The kernel arguments to ensure and to remove. */
  public get kernelArguments(): IgnitionKernelArguments {
    return { shouldExist: [...this.kargs], shouldNotExist: [...this.kargsAbsent] };
  }

  /** The node (file, directory or link) at `path`, if any. */
  public nodeAt(path: string): 'file' | 'directory' | 'link' | undefined {
    return this.nodes.get(path)?.kind;
  }

  /** True when nothing was added. */
  public get isEmpty(): boolean {
    return (
      this.nodes.size === 0 &&
      this.unitEntries.size === 0 &&
      this.userEntries.size === 0 &&
      this.kargs.length === 0 &&
      this.kargsAbsent.length === 0
    );
  }

  /**
   * The config as Ignition spec `version` JSON, checked against that spec's schema. File
   * contents become `data:` URLs (gzip-compressed when shorter). Kernel arguments need 3.3.0+.
   */
  public toIgnition(version: IgnitionSpecVersion): Record<string, unknown> {
    if (!IGNITION_SPEC_VERSIONS.includes(version)) {
      fail(
        child(this.where, 'ignitionVersion'),
        'is not an Ignition spec version this library writes',
        version,
        `use one of ${IGNITION_SPEC_VERSIONS.join(', ')}`,
      );
    }
    const hasKargs = this.kargs.length > 0 || this.kargsAbsent.length > 0;
    if (hasKargs && version === '3.2.0') {
      fail(
        child(this.where, 'kernelArguments'),
        'need Ignition spec 3.3.0 or later',
        version,
        'write a later spec version (for a MachineConfig, use its kernelArguments prop)',
      );
    }
    const doc: Record<string, unknown> = { ignition: { version } };
    if (this.userEntries.size > 0) {
      doc.passwd = { users: this.users.map((u) => ({ ...u })) };
    }
    if (this.nodes.size > 0) {
      const storage: Record<string, unknown> = {};
      if (this.directoryEntries.size > 0) {
        storage.directories = this.directories.map((d) => ({
          path: d.path,
          mode: d.mode,
          ...(d.overwrite !== undefined ? { overwrite: d.overwrite } : {}),
          ...ownerJson(d),
        }));
      }
      if (this.fileEntries.size > 0) {
        storage.files = this.files.map((f) => ({
          path: f.path,
          mode: f.mode,
          overwrite: f.overwrite,
          ...ownerJson(f),
          contents: toDataUrl(f.contents ?? ''),
        }));
      }
      if (this.linkEntries.size > 0) {
        storage.links = this.links.map((l) => ({
          path: l.path,
          target: l.target,
          ...(l.hard ? { hard: true } : {}),
          overwrite: l.overwrite,
          ...ownerJson(l),
        }));
      }
      doc.storage = storage;
    }
    if (this.unitEntries.size > 0) doc.systemd = { units: this.units.map(unitJson) };
    if (hasKargs) {
      doc.kernelArguments = {
        ...(this.kargs.length > 0 ? { shouldExist: [...this.kargs] } : {}),
        ...(this.kargsAbsent.length > 0 ? { shouldNotExist: [...this.kargsAbsent] } : {}),
      };
    }
    const issues = validateIgnition(doc, version);
    if (issues.length > 0) {
      throw new BaremetalValidationError(
        this.where.path,
        this.where.prop,
        `does not fit the Ignition ${version} schema`,
        issues.map((i) => `'${i.path || '/'}' ${i.message}`).join('; '),
        'report this as a bug of cdk8s-baremetal',
      );
    }
    return doc;
  }

  /**
   * The config as a Butane `variant: fcos` document (snake_case keys, as Butane reads them).
   * Text contents stay `inline`; bytes become a `data:` URL `source`.
   */
  public toButane(version: ButaneFcosVersion = '1.4.0'): Record<string, unknown> {
    if (version !== '1.4.0' && version !== '1.5.0') {
      fail(child(this.where, 'version'), 'is not a supported Butane fcos version', version, "use '1.4.0' or '1.5.0'");
    }
    const doc: Record<string, unknown> = { variant: 'fcos', version };
    if (this.unitEntries.size > 0) doc.systemd = { units: this.units.map(unitJson) };
    if (this.nodes.size > 0) {
      const storage: Record<string, unknown> = {};
      if (this.fileEntries.size > 0) {
        storage.files = this.files.map((f) => ({
          path: f.path,
          overwrite: f.overwrite,
          contents: typeof f.contents === 'string' ? { inline: f.contents } : toDataUrl(f.contents ?? ''),
          mode: f.mode,
          ...ownerJson(f),
        }));
      }
      if (this.directoryEntries.size > 0) {
        storage.directories = this.directories.map((d) => ({
          path: d.path,
          ...(d.overwrite !== undefined ? { overwrite: d.overwrite } : {}),
          mode: d.mode,
          ...ownerJson(d),
        }));
      }
      if (this.linkEntries.size > 0) {
        storage.links = this.links.map((l) => ({
          path: l.path,
          overwrite: l.overwrite,
          target: l.target,
          ...(l.hard ? { hard: true } : {}),
          ...ownerJson(l),
        }));
      }
      doc.storage = storage;
    }
    if (this.userEntries.size > 0) {
      doc.passwd = {
        users: this.users.map((u) => ({
          name: u.name,
          ...(u.passwordHash !== undefined ? { password_hash: u.passwordHash } : {}),
          ...(u.sshAuthorizedKeys ? { ssh_authorized_keys: [...u.sshAuthorizedKeys] } : {}),
          ...(u.uid !== undefined ? { uid: u.uid } : {}),
          ...(u.groups ? { groups: [...u.groups] } : {}),
          ...(u.homeDir !== undefined ? { home_dir: u.homeDir } : {}),
          ...(u.shell !== undefined ? { shell: u.shell } : {}),
        })),
      };
    }
    if (this.kargs.length > 0 || this.kargsAbsent.length > 0) {
      doc.kernel_arguments = {
        ...(this.kargs.length > 0 ? { should_exist: [...this.kargs] } : {}),
        ...(this.kargsAbsent.length > 0 ? { should_not_exist: [...this.kargsAbsent] } : {}),
      };
    }
    return doc;
  }

  /** Validates a node path and refuses clashes with nodes already added (nothing is recorded yet). */
  private claimPath(value: unknown, where: At, kind: Node['kind'], twice: string): string {
    const path = validateAbsolutePath(value, child(where, 'path'));
    const taken = this.nodes.get(path);
    if (taken) {
      const problem = taken.kind === kind ? twice : `is also a ${taken.kind} of this config`;
      fail(child(where, 'path'), problem, path, 'give each file one entry; Ignition refuses duplicates');
    }
    // Ignition refuses a node below a file or a link of the same config, and a file or link
    // above nodes already added.
    for (let i = path.lastIndexOf('/'); i > 0; i = path.lastIndexOf('/', i - 1)) {
      const parent = this.nodes.get(path.slice(0, i));
      if (parent && parent.kind !== 'directory') {
        fail(
          child(where, 'path'),
          `is below ${parent.path}, which is a ${parent.kind} of this config`,
          path,
          'put nodes only below directories',
        );
      }
    }
    const below = this.ancestors.get(path);
    if (kind !== 'directory' && below !== undefined) {
      fail(
        child(where, 'path'),
        `is a ${kind} above ${below} of this config`,
        path,
        'put nodes only below directories',
      );
    }
    return path;
  }

  private commit(path: string, kind: Node['kind']): void {
    this.nodes.set(path, { kind, path });
    for (let i = path.lastIndexOf('/'); i > 0; i = path.lastIndexOf('/', i - 1)) {
      const parent = path.slice(0, i);
      if (this.ancestors.has(parent)) break;
      this.ancestors.set(parent, path);
    }
  }

  private owners(node: { readonly user?: unknown; readonly group?: unknown }, where: At) {
    const user = node.user ?? this.defaultOwner;
    const group = node.group ?? this.defaultOwner;
    return {
      ...(user !== undefined ? { user: validateOwner(user, child(where, 'user')) } : {}),
      ...(group !== undefined ? { group: validateOwner(group, child(where, 'group')) } : {}),
    };
  }

  private pushKernelArguments(args: readonly string[], into: string[], where: At): void {
    for (const arg of args) {
      const a = expectNonEmptyString(arg, where);
      if (a.split(' ').some((t) => t.length === 0 || /\s/.test(t))) {
        fail(
          where,
          'has stray white space',
          a,
          'separate the arguments of a group by single spaces, or pass them separately',
        );
      }
      if (this.kargs.includes(a) || this.kargsAbsent.includes(a))
        fail(where, 'is given twice', a, 'remove the duplicate');
      into.push(a);
    }
  }
}

function unitJson(u: IgnitionUnitOptions): Record<string, unknown> {
  const enabled = unitEnabled(u);
  return {
    name: u.name,
    ...(enabled !== undefined ? { enabled } : {}),
    ...(u.mask ? { mask: true } : {}),
    ...(u.contents !== undefined ? { contents: u.contents } : {}),
    ...(u.dropins && u.dropins.length > 0
      ? { dropins: u.dropins.map((d) => ({ name: d.name, contents: d.contents })) }
      : {}),
  };
}

function unitEnabled(unit: IgnitionUnitOptions): boolean | undefined {
  if (unit.enabled !== undefined) return unit.enabled;
  return unit.contents !== undefined && /^\[Install\]/m.test(unit.contents) ? true : undefined;
}

function ownerJson(node: { readonly user?: IgnitionOwner; readonly group?: IgnitionOwner }): Record<string, unknown> {
  const one = (o: IgnitionOwner) => (typeof o === 'number' ? { id: o } : { name: o });
  return {
    ...(node.user !== undefined ? { user: one(node.user) } : {}),
    ...(node.group !== undefined ? { group: one(node.group) } : {}),
  };
}

function validateMode(mode: unknown, where: At): number {
  if (typeof mode !== 'number' || !Number.isInteger(mode) || mode < 0 || mode > 0o7777) {
    fail(where, 'is not a permission mode', mode, 'write an octal literal such as 0o644');
  }
  return mode;
}

function validateOwner(value: unknown, where: At): IgnitionOwner {
  if (typeof value === 'number') return validateId(value, where);
  const name = expectNonEmptyString(value, where, 'pass a name such as "root" or a numeric id');
  if (!USER_NAME.test(name)) fail(where, 'is not a user or group name', name, 'use a name such as "root"');
  return name;
}

function validateId(value: unknown, where: At): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_ID) {
    fail(where, 'is not a numeric id', value, `pass a whole number from 0 to ${MAX_ID}`);
  }
  return value;
}

function optionalStrings(value: unknown, where: At): readonly string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) fail(where, 'must be a list', value, 'pass a list of strings');
  value.forEach((v, i) => expectNonEmptyString(v, child(where, i)));
  return value as string[];
}

function validateSshKey(key: string, where: At): void {
  if (/PRIVATE KEY/.test(key)) {
    fail(where, 'is a private key', redacted(), 'pass the public key (the .pub file), and keep the private key secret');
  }
  if (!SSH_PUBLIC_KEY.test(key)) {
    fail(where, 'is not an SSH public key', key, 'pass one line of an authorized_keys file');
  }
}
