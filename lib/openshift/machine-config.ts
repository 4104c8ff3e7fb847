import { Chart, JsonPatch, Lazy } from 'cdk8s';
import * as k8s from 'cdk8s-plus-29/lib/imports/k8s';
import { Construct } from 'constructs';
import { stringifyManifest } from '../core/yaml-writer';
import { MachineConfig as MachineConfigResource } from '../../imports/machineconfigs-machineconfiguration.openshift.io';
import { BaremetalValidationError } from '../errors';
import { IgnitionConfig } from '../ignition/ignition-config';
import { IGNITION_SPEC_VERSIONS, IgnitionSpecVersion } from '../ignition/ignition-schema';
import { validateDns1123Label, validateDns1123Subdomain } from '../net/dns';
import {
  At,
  at,
  child,
  expectArray,
  expectInteger,
  expectNonEmptyString,
  expectOptionalBoolean,
  fail,
} from '../private/errors';
import { SECRET_MATERIAL_ANNOTATION } from '../core/secret-ref';
import { formatIssue, validateManifest } from '../validation/schema-validator';
import { findSecretMaterial } from '../validation/secret-safety';

/** The label that ties a MachineConfig to the pools that select its role. */
export const MACHINE_CONFIG_ROLE_LABEL = 'machineconfiguration.openshift.io/role';

/**
 * The Ignition spec a MachineConfig is written in when none is given: 3.2.0, which every OpenShift
 * release from 4.8 on reads (4.14–4.18 also read 3.4.0, 4.19+ also 3.5.0).
 */
export const DEFAULT_MACHINE_CONFIG_IGNITION_VERSION: IgnitionSpecVersion = '3.2.0';

/**
 * The Ignition spec version an OpenShift release writes its MachineConfigs in (what Butane's
 * `openshift` variant emits for it, and the newest its Machine Config Operator reads): 3.2.0 for
 * 4.8–4.13, 3.4.0 for 4.14–4.18, 3.5.0 from 4.19.
 *
 * @param openshiftVersion the release, `4.<minor>` or `4.<minor>.<patch>`
 */
export function ignitionVersionForOpenShift(
  openshiftVersion: string,
  where: At = { path: 'ignitionVersionForOpenShift', prop: 'openshiftVersion' },
): IgnitionSpecVersion {
  const text = expectNonEmptyString(openshiftVersion, where, 'pass a release such as "4.16"');
  const m = /^4\.(\d{1,3})(\.\d{1,4})?$/.exec(text);
  if (!m) fail(where, 'is not an OpenShift 4 release', text, 'write 4.<minor> or 4.<minor>.<patch>, such as "4.16"');
  const minor = Number(m[1]);
  if (minor < 8) {
    fail(where, 'is older than 4.8, which reads Ignition 3.1 at most', text, 'use 4.8 or later');
  }
  return minor <= 13 ? '3.2.0' : minor <= 18 ? '3.4.0' : '3.5.0';
}

/**
 * The RHCOS extensions the Machine Config Operator installs (it refuses any other name), with
 * the packages each one brings.
 */
export const MACHINE_CONFIG_EXTENSIONS: { readonly [name: string]: readonly string[] } = {
  'two-node-ha': ['pacemaker', 'pcs', 'fence-agents-all'],
  wasm: ['crun-wasm'],
  ipsec: ['NetworkManager-libreswan', 'libreswan'],
  usbguard: ['usbguard'],
  kerberos: ['krb5-workstation', 'libkadm5'],
  'kernel-devel': ['kernel-devel', 'kernel-headers'],
  'sandboxed-containers': ['kata-containers'],
  sysstat: ['sysstat'],
};

/** The kernels a MachineConfig can ask for (`64k-pages` on aarch64 only). */
export type MachineConfigKernelType = 'default' | 'realtime' | '64k-pages';

const KERNEL_TYPES: readonly string[] = ['default', 'realtime', '64k-pages'];

/**
 * The pool role a MachineConfig is for: the `machineconfiguration.openshift.io/role` label that
 * a MachineConfigPool selects. `worker` and `master` exist on every cluster; a custom pool (such
 * as `infra`) must be named with {@link MachineConfigRole.customPool}, so that a typo in a role
 * is an error rather than a MachineConfig no pool ever selects.
 */
export class MachineConfigRole {
  /** The worker pool (on HyperShift, every NodePool). */
  public static readonly WORKER = new MachineConfigRole('worker', false);
  /** The control-plane pool. */
  public static readonly MASTER = new MachineConfigRole('master', false);

  /**
   * A custom pool: a MachineConfigPool (created on the cluster) whose `machineConfigSelector`
   * selects this role, usually together with `worker`.
   *
   * @param name the role, a DNS-1123 label such as `infra`
   */
  public static customPool(name: string): MachineConfigRole {
    const where: At = { path: 'MachineConfigRole.customPool', prop: 'name' };
    const role = validateDns1123Label(name, where);
    if (role === 'worker' || role === 'master') {
      fail(where, 'is a built-in pool', role, `use MachineConfigRole.${role.toUpperCase()}`);
    }
    return new MachineConfigRole(role, true);
  }

  /** A role given as `'worker'`, `'master'` or a {@link MachineConfigRole}. */
  public static of(value: unknown, where: At): MachineConfigRole {
    if (value instanceof MachineConfigRole) return value;
    if (value === 'worker') return MachineConfigRole.WORKER;
    if (value === 'master') return MachineConfigRole.MASTER;
    return fail(
      where,
      'is not a pool role of the cluster',
      value,
      "use 'worker', 'master', or MachineConfigRole.customPool(name) for a custom MachineConfigPool",
    );
  }

  private constructor(
    /** The label value, for example `worker`. */
    public readonly name: string,
    /** True for a custom pool. */
    public readonly custom: boolean,
  ) {}

  /** The label value. */
  public toString(): string {
    return this.name;
  }
}

/** Props of {@link MachineConfig}. */
export interface MachineConfigProps {
  /** Pool role: `'worker'`, `'master'` or `MachineConfigRole.customPool('infra')`. */
  readonly role: MachineConfigRole | 'worker' | 'master';
  /**
   * What the config does, the part of the object name after the ordering prefix and the role:
   * `simple-kmod` gives `99-worker-simple-kmod`. Lower-case letters, digits, `-` and `.`.
   * @default - required unless `machineConfigName` is given
   */
  readonly name?: string;
  /**
   * The exact object name, such as `10-kvc-simple-kmod` (seed 003), instead of
   * `<order>-<role>-<name>`; a DNS-1123 subdomain. Not with `name` or `order`. The Machine
   * Config Operator merges a pool's configs in name order, so the prefix still decides which wins.
   * @default - `<order>-<role>-<name>`
   */
  readonly machineConfigName?: string;
  /**
   * Ordering prefix, 0–99. The Machine Config Operator merges the configs of a pool in name order,
   * later ones winning, and the cluster's own configs are `00-` and `01-`: keep yours at 50 and up.
   * @default 99
   */
  readonly order?: number;
  /**
   * Files, systemd units and the `core` user's SSH keys, written into `spec.config`. More can be
   * added later through {@link MachineConfig.config}. Links and directory entries are refused:
   * the Machine Config Operator cannot change them after installation (read trees with
   * `symlinks: 'dereference'`); kernel arguments go in `kernelArguments`.
   * @default - an empty config
   */
  readonly config?: IgnitionConfig;
  /**
   * The OpenShift release of the cluster (`4.16` or `4.16.3`): chooses the Ignition spec version
   * of `spec.config` ({@link ignitionVersionForOpenShift}) and refuses a newer `ignitionVersion`.
   * @default - unknown: `ignitionVersion` decides
   */
  readonly openshiftVersion?: string;
  /**
   * Ignition spec version of `spec.config`.
   * @default - the release's version when `openshiftVersion` is given, else
   * DEFAULT_MACHINE_CONFIG_IGNITION_VERSION ('3.2.0', read by OpenShift 4.8 and later)
   */
  readonly ignitionVersion?: IgnitionSpecVersion;
  /**
   * Kernel arguments the pool's nodes boot with (`spec.kernelArguments`), one argument per entry.
   * @default - none
   */
  readonly kernelArguments?: string[];
  /**
   * RHCOS extensions to install (`spec.extensions`), for example `kernel-devel` for out-of-tree
   * module builds; see {@link MACHINE_CONFIG_EXTENSIONS}.
   * @default - none
   */
  readonly extensions?: string[];
  /**
   * The kernel to run (`spec.kernelType`).
   * @default - unset: the pool keeps the kernel other configs choose (the default kernel)
   */
  readonly kernelType?: MachineConfigKernelType;
  /**
   * Enable FIPS mode (`spec.fips`). Honoured only at installation (day 1): the Machine Config
   * Operator refuses to change it on a running cluster.
   * @default - unset (FIPS off)
   */
  readonly fips?: boolean;
  /**
   * Allow files that hold a private key or registry credentials (such as RHEL entitlement keys
   * for out-of-tree module builds). A MachineConfig has no way to reference a Secret: the
   * material is written into the object, readable by whoever can read MachineConfigs and kept
   * with the manifests. `true` marks the object with the `cdk8s-baremetal/secret-material`
   * annotation of an explicit opt-in.
   * @default false - such files are refused at synth
   */
  readonly secretMaterial?: boolean;
  /**
   * Emit the MachineConfig as an object of the chart, to apply to the cluster it configures
   * (day 2). Set `false` for a MachineConfig that another object carries: an installation's extra
   * manifests (day 1, see {@link MachineConfig.toManifest}) or a HyperShift NodePool's config
   * ConfigMap ({@link MachineConfig.toNodePoolConfigMap}); applying those to the management
   * cluster would reconfigure its own nodes.
   * @default true
   */
  readonly applyDirectly?: boolean;
}

/** Options of {@link MachineConfig.toNodePoolConfigMap}. */
export interface NodePoolConfigMapOptions {
  /** Namespace of the NodePool (and of its HostedCluster); the ConfigMap must be there. */
  readonly namespace: string;
  /**
   * Name of the ConfigMap, which the NodePool's `spec.config` names.
   * @default - the MachineConfig's name
   */
  readonly name?: string;
}

const ORDER_DEFAULT = 99;
const KARG = /^[^\s"']+$/;

/**
 * A MachineConfig (machineconfiguration.openshift.io/v1): files and units from the
 * {@link IgnitionConfig} model, kernel arguments, extensions and the kernel type, for one pool
 * role, named `<order>-<role>-<name>` so that its place among the pool's configs is explicit.
 *
 * Three uses: applied directly (day 2, the default); embedded in an installation's extra manifests
 * (day 1: `applyDirectly: false`, then {@link toManifest} or {@link toYaml}); or as the `config`
 * ConfigMap of a HyperShift NodePool ({@link toNodePoolConfigMap}). In each, the Ignition config
 * is checked against the schema of its spec version and the object against the MachineConfig CRD,
 * and what the Machine Config Operator refuses is refused here: users other than `core`, links,
 * directory entries, Ignition kernel arguments, unknown extensions.
 */
export class MachineConfig extends Construct {
  /** The object name, for example `99-worker-simple-kmod`. */
  public readonly machineConfigName: string;
  /** The pool role. */
  public readonly role: MachineConfigRole;
  /** The Ignition config written into `spec.config`; add files and units to it. */
  public readonly config: IgnitionConfig;
  /** The Ignition spec version of `spec.config`. */
  public readonly ignitionVersion: IgnitionSpecVersion;
  /** The MachineConfig object, when applied directly. */
  public readonly resource?: MachineConfigResource;
  private readonly kernelArguments: readonly string[];
  private readonly extensions: readonly string[];
  private readonly kernelType?: MachineConfigKernelType;
  private readonly fips?: boolean;
  private readonly metadata: { name: string; labels: Record<string, string>; annotations?: Record<string, string> };

  constructor(scope: Construct, id: string, props: MachineConfigProps) {
    super(scope, id);
    const where = (prop: string) => at(this, prop);
    if (props === null || typeof props !== 'object') fail(where('props'), 'must be an object', props, 'pass the props');
    this.role = MachineConfigRole.of(props.role, where('role'));
    if (props.machineConfigName !== undefined) {
      for (const other of ['name', 'order'] as const) {
        if (props[other] !== undefined) {
          fail(
            where(other),
            'is given with machineConfigName, which is the whole object name',
            props[other],
            `leave ${other} out, or machineConfigName`,
          );
        }
      }
      this.machineConfigName = validateDns1123Subdomain(props.machineConfigName, where('machineConfigName'));
    } else {
      const order = expectInteger(props.order ?? ORDER_DEFAULT, where('order'), 0, 99);
      const name = expectNonEmptyString(
        props.name,
        where('name'),
        'pass what the config does, such as "simple-kmod", or the whole machineConfigName',
      );
      this.machineConfigName = validateDns1123Subdomain(
        `${String(order).padStart(2, '0')}-${this.role.name}-${name}`,
        where('name'),
      );
    }
    if (props.config !== undefined && !(props.config instanceof IgnitionConfig)) {
      fail(where('config'), 'is not an IgnitionConfig', props.config, 'pass new IgnitionConfig() with files and units');
    }
    this.config = props.config ?? new IgnitionConfig({ where: where('config') });
    const newest =
      props.openshiftVersion === undefined
        ? undefined
        : ignitionVersionForOpenShift(props.openshiftVersion, where('openshiftVersion'));
    this.ignitionVersion = props.ignitionVersion ?? newest ?? DEFAULT_MACHINE_CONFIG_IGNITION_VERSION;
    if (!IGNITION_SPEC_VERSIONS.includes(this.ignitionVersion)) {
      fail(
        where('ignitionVersion'),
        'is not an Ignition spec version this library writes',
        this.ignitionVersion,
        `use one of ${IGNITION_SPEC_VERSIONS.join(', ')}`,
      );
    }
    if (
      newest !== undefined &&
      IGNITION_SPEC_VERSIONS.indexOf(this.ignitionVersion) > IGNITION_SPEC_VERSIONS.indexOf(newest)
    ) {
      fail(
        where('ignitionVersion'),
        `is newer than ${newest}, the newest OpenShift ${props.openshiftVersion} reads`,
        this.ignitionVersion,
        `use ${newest} or older, or leave it out`,
      );
    }
    this.kernelArguments = validateKernelArguments(props.kernelArguments, where('kernelArguments'));
    this.extensions = validateExtensions(props.extensions, where('extensions'));
    if (props.kernelType !== undefined && !KERNEL_TYPES.includes(props.kernelType)) {
      fail(where('kernelType'), 'is not a kernel type', props.kernelType, `use one of ${KERNEL_TYPES.join(', ')}`);
    }
    this.kernelType = props.kernelType;
    this.fips = expectOptionalBoolean(props.fips, where('fips'));
    const secretMaterial = expectOptionalBoolean(props.secretMaterial, where('secretMaterial')) ?? false;
    this.metadata = {
      name: this.machineConfigName,
      labels: { [MACHINE_CONFIG_ROLE_LABEL]: this.role.name },
      ...(secretMaterial ? { annotations: { [SECRET_MATERIAL_ANNOTATION]: 'opted-in' } } : {}),
    };
    const applyDirectly = expectOptionalBoolean(props.applyDirectly, where('applyDirectly')) ?? true;
    if (applyDirectly) {
      this.resource = new MachineConfigResource(this, 'Resource', {
        metadata: this.metadata,
        spec: Lazy.any({ produce: () => this.renderSpec() }) as never,
      });
      // Cluster-scoped: no namespace, whatever the chart's.
      if (Chart.of(this).namespace !== undefined) this.resource.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
    }
    this.node.addValidation({
      validate: () => {
        try {
          return findSecretMaterial([this.toManifest()]);
        } catch (e) {
          if (e instanceof BaremetalValidationError) return [e.message];
          throw e;
        }
      },
    });
  }

  /**
   * The MachineConfig as a plain object, checked against the MachineConfig CRD, for an
   * installation's extra manifests (day 1) or any other carrier.
   */
  public toManifest(): Record<string, unknown> {
    const manifest = MachineConfigResource.manifest({
      metadata: this.metadata,
      spec: this.renderSpec(),
    }) as Record<string, unknown>;
    const issues = validateManifest(manifest);
    if (issues.length > 0) {
      fail(
        at(this, 'config'),
        'does not fit the MachineConfig CRD',
        issues.map(formatIssue).join('; '),
        'report this as a bug of cdk8s-baremetal',
      );
    }
    return manifest;
  }

  /**
   * File name of the MachineConfig in an installation's manifests, `<name>.yaml`: the key of an
   * extra-manifests ConfigMap entry, or the file in `openshift-install`'s `openshift/` folder.
   */
  public get fileName(): string {
    return `${this.machineConfigName}.yaml`;
  }

  /** The MachineConfig as YAML (one document), as `oc create -f` and extra-manifest folders take it. */
  public toYaml(): string {
    return stringifyManifest(this.toManifest(), { version: '1.2' });
  }

  /**
   * A ConfigMap holding this MachineConfig under the key `config`, for a HyperShift NodePool
   * (`spec.config: [{ name }]`) in the same namespace. Needs `applyDirectly: false` and the
   * `worker` role (every NodePool is a worker pool).
   */
  public toNodePoolConfigMap(scope: Construct, id: string, options: NodePoolConfigMapOptions): k8s.KubeConfigMap {
    const where = (prop: string) => at(this, `toNodePoolConfigMap.${prop}`);
    if (this.resource) {
      fail(
        at(this, 'applyDirectly'),
        'is true, so this MachineConfig would also be applied to the management cluster',
        true,
        'set applyDirectly: false for a MachineConfig that a NodePool carries',
      );
    }
    if (this.role !== MachineConfigRole.WORKER) {
      fail(at(this, 'role'), 'is not worker, the only role of a NodePool', this.role.name, "use role 'worker'");
    }
    if (options === null || typeof options !== 'object') {
      fail(where('options'), 'must be an object', options, 'pass { namespace }');
    }
    const namespace = validateDns1123Label(options.namespace, where('namespace'));
    const name = validateDns1123Subdomain(options.name ?? this.machineConfigName, where('name'));
    return new k8s.KubeConfigMap(scope, id, {
      metadata: { name, namespace },
      data: { config: Lazy.any({ produce: () => this.toYaml() }) as never },
    });
  }

  private renderSpec(): Record<string, unknown> {
    const cw = at(this, 'config');
    if (this.config.links.length > 0) {
      fail(
        child(cw, 'links'),
        'cannot be written by a MachineConfig: the Machine Config Operator cannot change links after installation',
        this.config.links[0].path,
        "write the target's contents at the path instead (IgnitionFiles.fromDirectory with symlinks: 'dereference')",
      );
    }
    if (this.config.directories.length > 0) {
      fail(
        child(cw, 'directories'),
        'cannot be written by a MachineConfig: the Machine Config Operator cannot change directory entries after installation',
        this.config.directories[0].path,
        'leave them out; Ignition creates the parent folders of files',
      );
    }
    for (const file of this.config.files) {
      if (file.path.startsWith('/usr/') && !file.path.startsWith('/usr/local/')) {
        fail(
          child(cw, 'files.path'),
          'is below /usr, which is read-only on RHCOS (only /usr/local, a link into /var, is writable)',
          file.path,
          'install below /usr/local or /etc (for example /etc/systemd/system for units)',
        );
      }
    }
    for (const file of this.config.files) {
      if ((file.mode ?? 0) & 0o7000) {
        fail(
          child(cw, 'files.mode'),
          `of ${file.path} has setuid, setgid or sticky bits, which the Machine Config Operator refuses`,
          `0${(file.mode ?? 0).toString(8)}`,
          "drop them (IgnitionFiles.fromDirectory with modes: 'normalize' does)",
        );
      }
    }
    for (const user of this.config.users) {
      if (user.name !== 'core') {
        fail(
          child(cw, 'users'),
          'names a user other than core, which the Machine Config Operator refuses',
          user.name,
          'give SSH keys to core; create other users with a systemd unit or an image',
        );
      }
      const extra = Object.keys(user).filter((k) => !['name', 'sshAuthorizedKeys', 'passwordHash'].includes(k));
      if (extra.length > 0) {
        fail(
          child(cw, 'users'),
          'sets fields of core other than sshAuthorizedKeys and passwordHash, which the Machine Config Operator refuses',
          extra,
          'leave them out',
        );
      }
    }
    const karg = this.config.kernelArguments;
    if (karg.shouldExist.length > 0 || karg.shouldNotExist.length > 0) {
      fail(
        child(cw, 'kernelArguments'),
        'are set in the Ignition config, which the Machine Config Operator ignores',
        [...karg.shouldExist, ...karg.shouldNotExist],
        'pass them as the kernelArguments prop of the MachineConfig',
      );
    }
    return {
      config: this.config.toIgnition(this.ignitionVersion),
      ...(this.kernelArguments.length > 0 ? { kernelArguments: [...this.kernelArguments] } : {}),
      ...(this.extensions.length > 0 ? { extensions: [...this.extensions] } : {}),
      ...(this.kernelType !== undefined ? { kernelType: this.kernelType } : {}),
      ...(this.fips !== undefined ? { fips: this.fips } : {}),
    };
  }
}

function validateKernelArguments(value: unknown, where: At): readonly string[] {
  if (value === undefined) return [];
  const args = expectArray<unknown>(value, where, 'pass a list of kernel arguments');
  const seen = new Set<string>();
  return args.map((a, i) => {
    const arg = expectNonEmptyString(a, child(where, i), 'pass one argument such as "nosmt"');
    if (!KARG.test(arg)) {
      fail(child(where, i), 'is not one kernel argument', arg, 'pass one argument per entry, without spaces or quotes');
    }
    if (seen.has(arg)) fail(child(where, i), 'is given twice', arg, 'remove the duplicate');
    seen.add(arg);
    return arg;
  });
}

function validateExtensions(value: unknown, where: At): readonly string[] {
  if (value === undefined) return [];
  const list = expectArray<unknown>(value, where, 'pass a list of extension names');
  const known = Object.keys(MACHINE_CONFIG_EXTENSIONS);
  const seen = new Set<string>();
  return list.map((e, i) => {
    if (typeof e !== 'string' || !known.includes(e)) {
      fail(
        child(where, i),
        'is not an RHCOS extension the Machine Config Operator installs',
        e,
        `use one of ${known.join(', ')}`,
      );
    }
    if (seen.has(e)) fail(child(where, i), 'is given twice', e, 'remove the duplicate');
    seen.add(e);
    return e;
  });
}
