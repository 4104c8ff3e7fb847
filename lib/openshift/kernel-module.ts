import { Construct } from 'constructs';
import { IgnitionConfig, IgnitionFileOptions } from '../ignition/ignition-config';
import { IgnitionFiles } from '../ignition/ignition-files';
import { IgnitionSpecVersion } from '../ignition/ignition-schema';
import {
  At,
  at,
  child,
  expectArray,
  expectNonEmptyString,
  expectObject,
  expectOptionalBoolean,
  fail,
} from '../private/errors';
import { MachineConfig, MachineConfigRole } from './machine-config';

/** The kmods-via-containers config of one module bundle (`/etc/kvc/<instance>.conf`). */
export interface KvcConfig {
  /** Where the module container is built from (`KMOD_CONTAINER_BUILD_CONTEXT`), a git URL or a path on the node. */
  readonly buildContext: string;
  /**
   * The Dockerfile in the build context (`KMOD_CONTAINER_BUILD_FILE`).
   * @default 'Dockerfile'
   */
  readonly buildFile?: string;
  /** Version of the module software, a tag of the build (`KMOD_SOFTWARE_VERSION`), for example a commit. */
  readonly softwareVersion: string;
  /** The kernel modules the container builds and loads (`KMOD_NAMES`), for example `['simple-kmod', 'simple-procfs-kmod']`. */
  readonly kmodNames: string[];
}

/** The out-of-tree flow of seed 003: a module bundle built and loaded by kmods-via-containers. */
export interface KmodsViaContainersOptions {
  /**
   * The build tree, laid out as on the node: the folder that `make install
   * DESTDIR=<tree>/usr/local CONFDIR=<tree>/etc/` of kmods-via-containers and of the module's
   * repository filled (the seed's `FAKEROOT`). Read with `IgnitionFiles.fromDirectory`, links
   * dereferenced (the Machine Config Operator refuses links) and modes normalized (0755 for
   * executables, 0644 otherwise); pass `IgnitionFiles` to read it otherwise.
   */
  readonly tree: string | IgnitionFiles;
  /**
   * The bundle's config, written as `/etc/kvc/<instance>.conf` in place of the tree's.
   * @default - the tree's `/etc/kvc/<instance>.conf`, which must exist
   */
  readonly config?: KvcConfig;
}

/** Props of {@link KernelModule}. */
export interface KernelModuleProps {
  /** Pool role of the nodes that load the module: `'worker'`, `'master'` or a custom pool. */
  readonly role: MachineConfigRole | 'worker' | 'master';
  /**
   * In-tree: the kernel module, for example `ip_vs`. Out-of-tree: the kmods-via-containers
   * instance, the name of the bundle's config file (`simple-kmod` for `/etc/kvc/simple-kmod.conf`).
   */
  readonly name: string;
  /**
   * Build and load the module with kmods-via-containers (seed 003). Without it, the module ships
   * with the kernel and is loaded through `/etc/modules-load.d`.
   * @default - in-tree module
   */
  readonly outOfTree?: KmodsViaContainersOptions;
  /**
   * Module parameters, written as `options <module> key=value …` to `/etc/modprobe.d/<name>.conf`
   * (in-tree modules only). `true`/`false` are written as 1/0; a number must be a safe integer
   * (written as typed); give anything else, such as `'0x1f'` or a large value, as a string.
   * @default - no options file
   */
  readonly options?: { readonly [parameter: string]: string | number | boolean };
  /**
   * Load the in-tree module at every boot (`/etc/modules-load.d/<name>.conf`); turn off to only
   * set options for a module something else loads.
   * @default true
   */
  readonly loadAtBoot?: boolean;
  /**
   * More files for the nodes, for example RHEL entitlement certificates under
   * `/etc/pki/entitlement` that the module build needs. Paths must be absolute.
   * @default - none
   */
  readonly files?: IgnitionFileOptions[];
  /**
   * Allow files holding private keys, such as the RHEL entitlement key (see
   * `MachineConfig.secretMaterial`: the key is then written into the MachineConfig).
   * @default false
   */
  readonly secretMaterial?: boolean;
  /**
   * Ordering prefix of the MachineConfig.
   * @default 10 for out-of-tree modules (as in seed 003), 50 for in-tree modules
   */
  readonly order?: number;
  /**
   * The exact name of the MachineConfig, such as seed 003's `10-kvc-simple-kmod`; a DNS-1123
   * subdomain. Not with `order`.
   * @default - `<order>-<role>-kvc-<module>` (out-of-tree) or `<order>-<role>-kmod-<module>`
   */
  readonly machineConfigName?: string;
  /**
   * The OpenShift release of the cluster, which chooses the Ignition spec version.
   * @default - unknown: `ignitionVersion` decides
   */
  readonly openshiftVersion?: string;
  /**
   * Ignition spec version of the MachineConfig.
   * @default - the release's, else DEFAULT_MACHINE_CONFIG_IGNITION_VERSION
   */
  readonly ignitionVersion?: IgnitionSpecVersion;
  /**
   * Apply the MachineConfig directly (day 2); `false` to embed it in an installation's extra
   * manifests or a NodePool ConfigMap (see `MachineConfig.applyDirectly`).
   * @default true
   */
  readonly applyDirectly?: boolean;
}

/** Linux module names: letters, digits, `_` and `-` (the kernel treats the two alike). */
const MODULE_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,55}$/;
const PARAMETER = /^[A-Za-z0-9_]{1,64}$/;
const VALUE = /^[^\s"'\\#]+$/;
const KVC_UNIT = 'kmods-via-containers@.service';
const KVC_UNIT_DIRS = ['/etc/systemd/system', '/usr/local/lib/systemd/system'];

/**
 * A kernel module on the nodes of a pool, delivered by a {@link MachineConfig}.
 *
 * Out-of-tree (seed 003): the files of a kmods-via-containers build tree (the framework, its
 * `kmods-via-containers@.service` template, the bundle's library, wrapper and
 * `/etc/kvc/<instance>.conf`), read at synth instead of with filetranspiler, and the unit
 * `require-kvc-<instance>.service` that pulls in `kmods-via-containers@<instance>.service` at
 * boot, which builds the module for the running kernel and loads it. The MachineConfig is
 * `10-<role>-kvc-<instance>`.
 *
 * In-tree: `/etc/modules-load.d/<module>.conf` and, with options, `/etc/modprobe.d/<module>.conf`,
 * in the MachineConfig `50-<role>-kmod-<module>`.
 */
export class KernelModule extends Construct {
  /** The MachineConfig that delivers the module. */
  public readonly machineConfig: MachineConfig;
  /** The kernel modules loaded: the module itself, or the bundle's `KMOD_NAMES`. */
  public readonly moduleNames: readonly string[];

  constructor(scope: Construct, id: string, props: KernelModuleProps) {
    super(scope, id);
    const where = (prop: string) => at(this, prop);
    expectObject(props, where('props'), 'pass the props');
    const role = MachineConfigRole.of(props.role, where('role'));
    const name = validateModuleName(props.name, where('name'));
    const config = new IgnitionConfig({ where: where('machineConfig') });
    const outOfTree = props.outOfTree;
    if (outOfTree !== undefined) {
      expectObject(outOfTree, where('outOfTree'), 'pass { tree }');
      if (props.options !== undefined) {
        fail(
          where('options'),
          'cannot be set for an out-of-tree module here',
          props.options,
          'set module parameters in the bundle (its wrapper loads the modules)',
        );
      }
      if (props.loadAtBoot !== undefined) {
        fail(
          where('loadAtBoot'),
          'is for in-tree modules',
          props.loadAtBoot,
          'leave it out: kmods-via-containers loads the bundle',
        );
      }
      this.moduleNames = this.addKmodsViaContainers(config, name, outOfTree, where('outOfTree'));
    } else {
      this.moduleNames = [name];
      this.addInTree(config, name, props, where);
    }
    if (props.files !== undefined) {
      expectArray(props.files, where('files'), 'pass a list of { path, contents }').forEach((f) =>
        config.addFile(f as IgnitionFileOptions),
      );
    }
    this.machineConfig = new MachineConfig(this, 'MachineConfig', {
      role,
      ...(props.machineConfigName !== undefined
        ? { machineConfigName: props.machineConfigName, order: props.order }
        : {
            name: outOfTree
              ? `kvc-${name.toLowerCase().replace(/_/g, '-')}`
              : `kmod-${name.toLowerCase().replace(/_/g, '-')}`,
            order: props.order ?? (outOfTree ? 10 : 50),
          }),
      config,
      openshiftVersion: props.openshiftVersion,
      ignitionVersion: props.ignitionVersion,
      applyDirectly: props.applyDirectly,
      secretMaterial: props.secretMaterial,
    });
  }

  private addInTree(config: IgnitionConfig, name: string, props: KernelModuleProps, where: (p: string) => At): void {
    const load = expectOptionalBoolean(props.loadAtBoot, where('loadAtBoot')) ?? true;
    const options =
      props.options === undefined ? {} : expectObject<Record<string, unknown>>(props.options, where('options'));
    const pairs = Object.keys(options)
      .sort()
      .map((key) => {
        const ow = child(where('options'), key);
        if (!PARAMETER.test(key)) fail(ow, 'is not a module parameter name', key, 'use letters, digits and "_"');
        const v = options[key];
        if (typeof v === 'number' && !Number.isSafeInteger(v)) {
          // String(1e21) is '1e+21', String(0.1 + 0.2) '0.30000000000000004': not what was typed.
          fail(
            ow,
            'is a number that is not a whole number JavaScript holds exactly',
            v,
            'module parameters are integers or text: pass the value as a string, as the module expects it',
          );
        }
        const value = typeof v === 'boolean' ? (v ? '1' : '0') : typeof v === 'number' ? String(v) : v;
        if (typeof value !== 'string' || !VALUE.test(value)) {
          fail(
            ow,
            'is not a module parameter value',
            v,
            'pass a number, a boolean or text without spaces, quotes or "#"',
          );
        }
        return `${key}=${value}`;
      });
    if (!load && pairs.length === 0) {
      fail(
        where('loadAtBoot'),
        'is false and no options are set, so the module config would do nothing',
        false,
        'load the module or set options',
      );
    }
    if (load) config.addFile({ path: `/etc/modules-load.d/${name}.conf`, contents: `${name}\n` });
    if (pairs.length > 0) {
      config.addFile({ path: `/etc/modprobe.d/${name}.conf`, contents: `options ${name} ${pairs.join(' ')}\n` });
    }
  }

  private addKmodsViaContainers(
    config: IgnitionConfig,
    instance: string,
    o: KmodsViaContainersOptions,
    where: At,
  ): string[] {
    const tree =
      o.tree instanceof IgnitionFiles
        ? o.tree
        : IgnitionFiles.fromDirectory(
            expectNonEmptyString(o.tree, child(where, 'tree'), 'pass the path of the build tree'),
            {
              symlinks: 'dereference',
              modes: 'normalize',
            },
          );
    const confPath = `/etc/kvc/${instance}.conf`;
    if (!KVC_UNIT_DIRS.some((d) => tree.file(`${d}/${KVC_UNIT}`))) {
      fail(
        child(where, 'tree'),
        `holds no ${KVC_UNIT} in ${KVC_UNIT_DIRS.join(', ')}`,
        tree.paths.slice(0, 5),
        'run make install of kmods-via-containers with DESTDIR=<tree>/usr/local CONFDIR=<tree>/etc/',
      );
    }
    let confText: string;
    if (o.config !== undefined) {
      confText = kvcConfigText(o.config, child(where, 'config'));
      config.addTree({ directories: [], files: tree.files.filter((f) => f.path !== confPath), links: tree.links });
      config.addFile({ path: confPath, contents: confText });
    } else {
      const file = tree.file(confPath);
      if (file === undefined) {
        fail(
          child(where, 'tree'),
          `holds no ${confPath}, the config of instance ${instance}`,
          tree.paths.filter((p) => p.startsWith('/etc/kvc/')),
          `run make install of the module with CONFDIR=<tree>/etc/, pass outOfTree.config, or name the instance after its config file`,
        );
      }
      if (typeof file.contents !== 'string') {
        fail(
          child(where, 'tree'),
          `holds a ${confPath} that is not text`,
          confPath,
          'write the config as shell variables',
        );
      }
      confText = file.contents;
      config.addTree({ directories: [], files: tree.files, links: tree.links });
    }
    const names = /^KMOD_NAMES=("([^"]*)"|'([^']*)'|(\S*))\s*$/m.exec(confText);
    const list = (names?.[2] ?? names?.[3] ?? names?.[4] ?? '').split(/\s+/).filter(Boolean);
    if (list.length === 0) {
      fail(
        child(where, 'tree'),
        `has a ${confPath} that names no module in KMOD_NAMES`,
        confPath,
        'set KMOD_NAMES="<module> …"',
      );
    }
    list.forEach((m) => validateModuleName(m, child(where, `${confPath} KMOD_NAMES`)));
    config.addUnit({
      name: `require-kvc-${instance}.service`,
      enabled: true,
      contents: [
        '[Unit]',
        `Requires=kmods-via-containers@${instance}.service`,
        '[Service]',
        'Type=oneshot',
        'ExecStart=/usr/bin/true',
        '',
        '[Install]',
        'WantedBy=multi-user.target',
      ].join('\n'),
    });
    return list;
  }
}

function validateModuleName(value: unknown, where: At): string {
  const name = expectNonEmptyString(value, where, 'pass a module name such as "simple-kmod"');
  if (!MODULE_NAME.test(name)) {
    fail(where, 'is not a kernel module name', name, 'use letters, digits, "_" and "-", at most 56 characters');
  }
  return name;
}

function kvcConfigText(c: KvcConfig, where: At): string {
  expectObject(c, where, 'pass { buildContext, softwareVersion, kmodNames }');
  const plain = (v: unknown, prop: string, example: string): string => {
    const s = expectNonEmptyString(v, child(where, prop), `pass a value such as "${example}"`);
    if (!VALUE.test(s)) fail(child(where, prop), 'holds spaces, quotes, "#" or a backslash', s, 'pass one word');
    return s;
  };
  const context = plain(c.buildContext, 'buildContext', 'https://github.com/kmods-via-containers/kvc-simple-kmod.git');
  const file = plain(c.buildFile ?? 'Dockerfile', 'buildFile', 'Dockerfile.rhel');
  const version = plain(c.softwareVersion, 'softwareVersion', 'dd1a7d4');
  const names = expectArray<unknown>(c.kmodNames, child(where, 'kmodNames'), 'pass the module names');
  if (names.length === 0) fail(child(where, 'kmodNames'), 'is empty', names, 'name the modules the bundle loads');
  names.forEach((n, i) => validateModuleName(n, child(child(where, 'kmodNames'), i)));
  return [
    `KMOD_CONTAINER_BUILD_CONTEXT="${context}"`,
    `KMOD_CONTAINER_BUILD_FILE=${file}`,
    `KMOD_SOFTWARE_VERSION=${version}`,
    `KMOD_NAMES="${names.join(' ')}"`,
    '',
  ].join('\n');
}
