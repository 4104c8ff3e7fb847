import { Document, isScalar, visit } from 'yaml';
import { At, child, expectNonEmptyString, fail } from '../private/errors';

/** A file written by Ignition at first boot. */
export interface ButaneFileOptions {
  /** Absolute path of the file on the node, for example `/etc/sysctl.d/90-telco.conf`. */
  readonly path: string;
  /** Text of the file, embedded inline. */
  readonly contents: string;
  /**
   * Permission bits, as an octal number literal (`0o644`).
   * @default 0o644
   */
  readonly mode?: number;
  /**
   * Owner of the file.
   * @default 'root'
   */
  readonly user?: string;
  /**
   * Group of the file.
   * @default 'root'
   */
  readonly group?: string;
  /**
   * Replace a file that already exists at the path (Ignition fails on an existing file otherwise).
   * @default true
   */
  readonly overwrite?: boolean;
}

/** A drop-in that amends a systemd unit. */
export interface ButaneDropin {
  /** File name of the drop-in, ending in `.conf`. */
  readonly name: string;
  /** Text of the drop-in. */
  readonly contents: string;
}

/** A systemd unit written (and optionally enabled) by Ignition at first boot. */
export interface ButaneUnitOptions {
  /** Unit name with its type suffix, for example `rke2-preinstall.service`. */
  readonly name: string;
  /**
   * Text of the unit file.
   * @default - no unit file (only drop-ins, or enabling a unit the image ships)
   */
  readonly contents?: string;
  /**
   * Enable the unit (its `[Install]` section) at first boot.
   * @default true when contents has an [Install] section, else unset
   */
  readonly enabled?: boolean;
  /**
   * Mask the unit.
   * @default false
   */
  readonly mask?: boolean;
  /**
   * Drop-ins amending the unit.
   * @default - none
   */
  readonly dropins?: ButaneDropin[];
}

/** Props of {@link ButaneConfig}. */
export interface ButaneConfigProps {
  /**
   * Butane fcos spec version. The Cluster API RKE2 provider parses `additionalUserData.config`
   * as fcos 1.4.0 (Ignition 3.3.0).
   * @default '1.4.0'
   */
  readonly version?: '1.4.0' | '1.5.0';
  /**
   * Where this config is used, for error messages.
   * @default - `ButaneConfig`
   */
  readonly where?: At;
}

const UNIT_NAME = /^[A-Za-z0-9:_.\\@-]+\.(service|socket|device|mount|automount|swap|target|path|timer|slice|scope)$/;
const USER_NAME = /^[a-z_][a-z0-9_-]{0,31}$/;

interface FileEntry {
  readonly path: string;
  readonly contents: string;
  readonly mode: number;
  readonly user: string;
  readonly group: string;
  readonly overwrite: boolean;
}

/**
 * A typed Butane (`variant: fcos`) document: storage files, systemd units and kernel arguments.
 *
 * Constructs add to one config through `addFile`, `addUnit`, `addKernelArguments` and
 * `addManifests`; `render()` gives stable YAML for `additionalUserData.config`. Paths and unit
 * names must be unique, as Ignition refuses duplicate entries.
 */
export class ButaneConfig {
  /** The Butane spec version written as `version`. */
  public readonly version: string;
  private readonly where: At;
  private readonly files = new Map<string, FileEntry>();
  private readonly units = new Map<string, ButaneUnitOptions>();
  private readonly kernelArgs: string[] = [];
  private readonly manifests: { readonly path: string; readonly objects: readonly object[] }[] = [];

  constructor(props: ButaneConfigProps = {}) {
    this.version = props.version ?? '1.4.0';
    this.where = props.where ?? { path: 'ButaneConfig', prop: 'config' };
    if (this.version !== '1.4.0' && this.version !== '1.5.0') {
      fail(
        child(this.where, 'version'),
        'is not a supported Butane fcos version',
        props.version,
        "use '1.4.0' or '1.5.0'",
      );
    }
  }

  /** Adds a file; refuses a second entry for the same path. */
  public addFile(file: ButaneFileOptions): this {
    const where = child(this.where, 'files');
    const path = validateAbsolutePath(file?.path, child(where, 'path'));
    if (this.files.has(path)) {
      fail(child(where, 'path'), 'is written twice', path, 'give each file one entry; Ignition refuses duplicates');
    }
    if (typeof file.contents !== 'string')
      fail(child(where, 'contents'), 'must be a string', file.contents, 'pass text');
    const mode = file.mode ?? 0o644;
    if (!Number.isInteger(mode) || mode < 0 || mode > 0o7777) {
      fail(child(where, 'mode'), 'is not a permission mode', mode, 'write an octal literal such as 0o644');
    }
    const user = validateUser(file.user ?? 'root', child(where, 'user'));
    const group = validateUser(file.group ?? 'root', child(where, 'group'));
    this.files.set(path, { path, contents: file.contents, mode, user, group, overwrite: file.overwrite ?? true });
    return this;
  }

  /**
   * Adds Kubernetes manifests as one multi-document YAML file, for example in RKE2's
   * auto-deploy folder `/var/lib/rancher/rke2/server/manifests/`. The objects are kept so that
   * they are schema-validated like top-level objects (see `embeddedManifests()`).
   */
  public addManifests(path: string, objects: readonly object[]): this {
    if (!Array.isArray(objects) || objects.length === 0) {
      fail(child(this.where, 'manifests'), 'must hold at least one object', objects, 'pass the objects to embed');
    }
    const contents = objects.map((o) => new Document(o).toString({ lineWidth: 0 })).join('---\n');
    this.addFile({ path, contents, mode: 0o600 });
    this.manifests.push({ path, objects });
    return this;
  }

  /** Adds a systemd unit; refuses a second entry for the same unit name. */
  public addUnit(unit: ButaneUnitOptions): this {
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
    if (this.units.has(name)) fail(child(where, 'name'), 'is defined twice', name, 'merge the two definitions');
    if (unit.contents !== undefined && typeof unit.contents !== 'string') {
      fail(child(where, 'contents'), 'must be a string', unit.contents, 'pass the unit file text');
    }
    const dropinNames = new Set<string>();
    for (const [i, d] of (unit.dropins ?? []).entries()) {
      const dn = expectNonEmptyString(d?.name, child(child(where, `dropins`), i));
      if (!dn.endsWith('.conf') || dn.includes('/')) {
        fail(
          child(child(where, 'dropins'), i),
          'is not a drop-in file name',
          dn,
          'use a plain file name ending in ".conf"',
        );
      }
      if (dropinNames.has(dn))
        fail(child(child(where, 'dropins'), i), 'is defined twice', dn, 'merge the two drop-ins');
      dropinNames.add(dn);
    }
    this.units.set(name, unit);
    return this;
  }

  /**
   * Adds kernel arguments that must be present; refuses duplicates. An entry may be a group of
   * arguments separated by single spaces that must stay together and in order, such as
   * `hugepagesz=1G hugepages=40` (Ignition's `shouldExist` semantics).
   */
  public addKernelArguments(...args: string[]): this {
    const where = child(this.where, 'kernelArguments');
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
      if (this.kernelArgs.includes(a)) fail(where, 'is given twice', a, 'remove the duplicate');
      this.kernelArgs.push(a);
    }
    return this;
  }

  /** Kubernetes objects embedded through `addManifests`, with the file that holds them. */
  public embeddedManifests(): { readonly path: string; readonly objects: readonly object[] }[] {
    return [...this.manifests];
  }

  /** True when nothing was added. */
  public get isEmpty(): boolean {
    return this.files.size === 0 && this.units.size === 0 && this.kernelArgs.length === 0;
  }

  /** The Butane document as a plain object (snake_case keys, as Butane reads them). */
  public toObject(): Record<string, unknown> {
    const doc: Record<string, unknown> = { variant: 'fcos', version: this.version };
    if (this.units.size > 0) {
      doc.systemd = {
        units: [...this.units.values()].map((u) => ({
          name: u.name,
          ...(unitEnabled(u) !== undefined ? { enabled: unitEnabled(u) } : {}),
          ...(u.mask ? { mask: true } : {}),
          ...(u.contents !== undefined ? { contents: u.contents } : {}),
          ...(u.dropins && u.dropins.length > 0
            ? { dropins: u.dropins.map((d) => ({ name: d.name, contents: d.contents })) }
            : {}),
        })),
      };
    }
    if (this.files.size > 0) {
      doc.storage = {
        files: [...this.files.values()].map((f) => ({
          path: f.path,
          overwrite: f.overwrite,
          contents: { inline: f.contents },
          mode: f.mode,
          user: { name: f.user },
          group: { name: f.group },
        })),
      };
    }
    if (this.kernelArgs.length > 0) doc.kernel_arguments = { should_exist: [...this.kernelArgs] };
    return doc;
  }

  /** Stable YAML; file modes are written in decimal with their octal form as a comment. */
  public render(): string {
    const doc = new Document(this.toObject());
    visit(doc, {
      Pair(_, pair) {
        if (isScalar(pair.key) && pair.key.value === 'mode' && isScalar(pair.value)) {
          pair.value.comment = ` 0${(pair.value.value as number).toString(8)}`;
        }
      },
    });
    return doc.toString({ lineWidth: 0 });
  }
}

function unitEnabled(unit: ButaneUnitOptions): boolean | undefined {
  if (unit.enabled !== undefined) return unit.enabled;
  return unit.contents !== undefined && /^\[Install\]/m.test(unit.contents) ? true : undefined;
}

function validateAbsolutePath(value: unknown, where: At): string {
  const path = expectNonEmptyString(value, where, 'pass an absolute path such as "/etc/motd"');
  if (!path.startsWith('/') || path.endsWith('/') || path.split('/').some((seg) => seg === '..' || seg === '.')) {
    fail(where, 'is not an absolute file path', path, 'use a path such as "/etc/motd" without "." or ".." parts');
  }
  return path;
}

function validateUser(value: unknown, where: At): string {
  const name = expectNonEmptyString(value, where);
  if (!USER_NAME.test(name)) fail(where, 'is not a user or group name', name, 'use a name such as "root"');
  return name;
}
