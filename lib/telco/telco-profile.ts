import { ButaneConfig } from '../butane/butane-config';
import { isDns1123Label } from '../net/dns';
import {
  At,
  child,
  expectArray,
  expectInteger,
  expectNonEmptyString,
  expectObject,
  expectOptionalBoolean,
  fail,
} from '../private/errors';
import { RKE2_MANIFESTS_DIR } from '../rke2/cni';
import { ChartPlacement, HelmChartSource, helmChartManifest, validateHelmChartSource } from '../rke2/helm-chart';
import { PERFORMANCE_SETTINGS_PATH, SRIOV_AUTO_FILLER_PATH } from '../eib/edge-image-definition';
import { CpuSet } from './cpu-set';
import {
  DEFAULT_SRIOV_OPERATOR_NAMESPACE,
  sriovCustomAutoConfigManifests,
  sriovCustomAutoConfigProbe,
} from './sriov-operator';
import { validateInterfaceName } from '../net/interface-name';

/** Huge page sizes x86_64 and aarch64 kernels accept on the command line. */
export type HugePageSize = '2M' | '1G';

/** Huge pages of one size reserved at boot. */
export interface HugePages {
  /** Page size. */
  readonly size: HugePageSize;
  /** Number of pages (0 reserves none but keeps the size available). */
  readonly count: number;
}

/** Latency-related kernel arguments; each is on in the SUSE Edge telco preset. */
export interface LatencyOptions {
  /** `idle=poll`: no C-states, lowest wake-up latency, highest power use. @default true */
  readonly idlePoll?: boolean;
  /** `mce=off`: no machine-check polling interrupts. @default true */
  readonly mceOff?: boolean;
  /** `rcu_nocb_poll`: RCU callback threads poll instead of being woken. @default true */
  readonly rcuNocbPoll?: boolean;
  /** `nosoftlockup`: no soft-lockup detector. @default true */
  readonly noSoftLockup?: boolean;
  /** `nowatchdog` and `nmi_watchdog=0`: no watchdogs. @default true */
  readonly noWatchdog?: boolean;
  /** `nohz=on`: tickless idle. @default true */
  readonly nohz?: boolean;
  /** `skew_tick=1`: stagger timer ticks across CPUs. @default true */
  readonly skewTick?: boolean;
  /** `quiet`. @default true */
  readonly quiet?: boolean;
}

/** VF drivers the SR-IOV network operator binds. */
export type SriovDriver = 'vfio-pci' | 'iavf' | 'ixgbevf' | 'i40evf' | 'mlx5_core' | 'netdevice';

/** The VF drivers accepted. */
export const SRIOV_DRIVERS: readonly SriovDriver[] = [
  'vfio-pci',
  'iavf',
  'ixgbevf',
  'i40evf',
  'mlx5_core',
  'netdevice',
];

/** One SR-IOV physical function and the VFs to create on it. */
export interface SriovDevice {
  /** Resource name pods request (`rancher.io/<resourceName>`). DNS-1123 label. */
  readonly resourceName: string;
  /** Name of the PF interface on the host, for example `eth0`. */
  readonly interface: string;
  /** Number of VFs to create on the PF. */
  readonly numVfs: number;
  /** Driver the VFs are bound to (`vfio-pci` for DPDK). */
  readonly driver: SriovDriver;
  /**
   * Use only these VFs for this resource, `[first, last]` (the `eth0#2-5` filter).
   * @default - all VFs of the PF
   */
  readonly vfRange?: [number, number];
}

/** Props of {@link TelcoProfile}. */
export interface TelcoProfileProps {
  /** CPUs reserved for the workload, for example `1-30,33-62`. */
  readonly isolatedCpus: string;
  /**
   * CPUs for the kernel, interrupts and housekeeping.
   * @default - every CPU of the host not isolated (needs `cpuCount`)
   */
  readonly housekeepingCpus?: string;
  /**
   * Number of CPUs of the host; refuses sets beyond it and lets housekeeping be derived.
   * @default - not checked
   */
  readonly cpuCount?: number;
  /**
   * Huge pages to reserve at boot, in this order.
   * @default - none
   */
  readonly hugePages?: HugePages[];
  /**
   * `default_hugepagesz`.
   * @default - the first size in `hugePages`
   */
  readonly defaultHugePageSize?: HugePageSize;
  /**
   * IOMMU for VFIO (DPDK and SR-IOV VFs): `intel` (`intel_iommu=on iommu=pt`), `amd`
   * (`amd_iommu=on iommu=pt`) or `none`.
   * @default 'intel'
   */
  readonly iommu?: 'intel' | 'amd' | 'none';
  /**
   * Latency kernel arguments.
   * @default - all on, as in the SUSE Edge telco preset
   */
  readonly latency?: LatencyOptions;
  /**
   * More kernel arguments; each must not repeat a derived one.
   * @default - none
   */
  readonly extraKernelArguments?: string[];
  /**
   * SR-IOV devices: rendered into the `sriov-custom-auto-config` ConfigMap, with the SR-IOV
   * operator charts and the unit that creates the VFs once the node is ready.
   * @default - no SR-IOV
   */
  readonly sriov?: SriovDevice[];
  /**
   * SR-IOV CRD chart.
   * @default - SUSE Edge's chart 303.0.2+up1.5.0
   */
  readonly sriovCrdChart?: HelmChartSource;
  /**
   * SR-IOV network operator chart.
   * @default - SUSE Edge's chart 303.0.2+up1.5.0
   */
  readonly sriovOperatorChart?: HelmChartSource;
  /**
   * Run the image's performance settings script (`/opt/performance-settings/performance-settings.sh`,
   * put there by the Edge Image Builder definition) after CPU partitioning.
   * @default true
   */
  readonly performanceSettings?: boolean;
  /**
   * The unit that creates the SR-IOV VFs (`sriov-custom-auto-vfs.service`): its timeout, or a
   * whole unit of that name in its place.
   * @default - the library's unit, with a 900 s timeout on connected clusters and 1800 s with
   *   `kubectl wait --timeout=30m` on air-gapped ones (seed §42.9)
   */
  readonly vfUnit?: SriovVfUnitOptions;
}

/** The SR-IOV VF unit of {@link TelcoProfile}. */
export interface SriovVfUnitOptions {
  /**
   * `TimeoutStartSec` of the unit, in seconds (60 to 86400); on air-gapped clusters also the
   * `--timeout` of its `kubectl wait` for the node. Charts pulled from a mirror take longer.
   * @default - 900 connected, 1800 air-gapped
   */
  readonly timeoutSeconds?: number;
  /**
   * The whole text of a unit that replaces the library's `sriov-custom-auto-vfs.service`; it must
   * have a `[Service]` section with an `ExecStart`. Run the auto-filler at
   * `/opt/sriov/sriov-auto-filler.sh` from it, once `sriov-custom-auto-config` is readable in
   * `sriov-network-operator`.
   * @default - the library's unit
   */
  readonly contents?: string;
}

/** Name of the unit that creates the SR-IOV VFs. */
export const SRIOV_VF_UNIT = 'sriov-custom-auto-vfs.service';

/** `TimeoutStartSec` of the VF unit on connected clusters. */
export const SRIOV_VF_UNIT_TIMEOUT_CONNECTED = 900;

/** `TimeoutStartSec` of the VF unit on air-gapped clusters (seed §42.9), also kubectl wait's `--timeout`. */
export const SRIOV_VF_UNIT_TIMEOUT_AIR_GAPPED = 1800;

/** SUSE Edge 3.3's SR-IOV CRD chart. */
export const DEFAULT_SRIOV_CRD_CHART: HelmChartSource = {
  chart: 'oci://registry.suse.com/edge/charts/sriov-crd',
  version: '303.0.2+up1.5.0',
};
/** SUSE Edge 3.3's SR-IOV network operator chart. */
export const DEFAULT_SRIOV_OPERATOR_CHART: HelmChartSource = {
  chart: 'oci://registry.suse.com/edge/charts/sriov-network-operator',
  version: '303.0.2+up1.5.0',
};

const KUBECTL = '/var/lib/rancher/rke2/bin/kubectl --kubeconfig=/etc/rancher/rke2/rke2.yaml';

/**
 * Telco tuning of RKE2 nodes (seed §42.7): CPU isolation, huge pages, IOMMU and latency kernel
 * arguments derived from typed inputs, the CPU partitioning and performance units, and SR-IOV VF
 * creation. Pass it to a cluster (`telco`) or a worker pool; the same profile can serve many.
 */
export class TelcoProfile {
  /** The seed's profile for a 64-CPU host: CPUs 1-30 and 33-62 isolated, 40 × 1 GiB pages. */
  public static suseEdgePreset(overrides: Partial<TelcoProfileProps> = {}): TelcoProfile {
    return new TelcoProfile({
      isolatedCpus: '1-30,33-62',
      cpuCount: 64,
      hugePages: [
        { size: '1G', count: 40 },
        { size: '2M', count: 0 },
      ],
      defaultHugePageSize: '1G',
      ...overrides,
    });
  }

  /** Isolated CPUs. */
  public readonly isolatedCpus: CpuSet;
  /** Housekeeping CPUs. */
  public readonly housekeepingCpus: CpuSet;
  /** SR-IOV devices. */
  public readonly sriov: readonly SriovDevice[];
  private readonly props: TelcoProfileProps;
  private readonly vfUnit: SriovVfUnitOptions;
  private readonly kernelArgs: string[];

  constructor(props: TelcoProfileProps, where: At = { path: 'TelcoProfile', prop: 'telco' }) {
    expectObject(props, where, 'pass { isolatedCpus, ... }');
    this.props = props;
    this.isolatedCpus = CpuSet.parse(props.isolatedCpus, child(where, 'isolatedCpus'));
    const count =
      props.cpuCount === undefined ? undefined : expectInteger(props.cpuCount, child(where, 'cpuCount'), 2, 8192);
    if (props.housekeepingCpus !== undefined) {
      this.housekeepingCpus = CpuSet.parse(props.housekeepingCpus, child(where, 'housekeepingCpus'));
    } else if (count !== undefined) {
      this.housekeepingCpus = CpuSet.range(count).difference(this.isolatedCpus);
    } else {
      fail(
        child(where, 'housekeepingCpus'),
        'cannot be derived without cpuCount',
        undefined,
        'give housekeepingCpus or the host cpuCount',
      );
    }
    if (!this.isolatedCpus.isDisjoint(this.housekeepingCpus)) {
      fail(
        child(where, 'housekeepingCpus'),
        `overlaps the isolated CPUs in ${this.isolatedCpus.intersection(this.housekeepingCpus)}`,
        this.housekeepingCpus.toString(),
        'give each CPU to one side only',
      );
    }
    if (this.housekeepingCpus.isEmpty) {
      fail(
        child(where, 'isolatedCpus'),
        'leaves no CPU for housekeeping',
        props.isolatedCpus,
        'keep at least one CPU (usually 0) out of the isolated set',
      );
    }
    if (count !== undefined) {
      for (const [name, set] of [
        ['isolatedCpus', this.isolatedCpus],
        ['housekeepingCpus', this.housekeepingCpus],
      ] as const) {
        if (set.max >= count) {
          fail(
            child(where, name),
            `names CPU ${set.max} but the host has ${count} (0-${count - 1})`,
            set.toString(),
            'use CPUs the host has',
          );
        }
      }
    }
    this.kernelArgs = this.deriveKernelArguments(where);
    this.sriov = this.validateSriov(props.sriov, child(where, 'sriov'));
    if (props.sriovCrdChart) validateHelmChartSource(props.sriovCrdChart, child(where, 'sriovCrdChart'));
    if (props.sriovOperatorChart) validateHelmChartSource(props.sriovOperatorChart, child(where, 'sriovOperatorChart'));
    expectOptionalBoolean(props.performanceSettings, child(where, 'performanceSettings'));
    this.vfUnit = this.validateVfUnit(props.vfUnit, child(where, 'vfUnit'));
  }

  /** Kernel arguments, in order; a huge page size and its count form one space-joined group. */
  public kernelArguments(): string[] {
    return [...this.kernelArgs];
  }

  /** Commands to run before RKE2 installs: load vfio-pci with SR-IOV when a device uses it. */
  public preRke2Commands(): string[] {
    return this.sriov.some((d) => d.driver === 'vfio-pci')
      ? ['modprobe vfio-pci enable_sriov=1 disable_idle_d3=1']
      : [];
  }

  /** The `sriov-custom-auto-config` JSON. */
  public sriovConfigJson(): string {
    const entries = this.sriov.map((d) => ({
      resourceName: d.resourceName,
      interface: d.interface,
      pfname: d.vfRange ? `${d.interface}#${d.vfRange[0]}-${d.vfRange[1]}` : d.interface,
      driver: d.driver,
      numVFsToCreate: d.numVfs,
    }));
    return JSON.stringify(entries, null, 2) + '\n';
  }

  /**
   * Adds the profile to a node's first-boot config: kernel arguments and the CPU partitioning and
   * performance units; with `server`, also the SR-IOV charts, device ConfigMap and VF unit (they
   * are applied from the RKE2 server manifests folder). `airGapped` picks the VF unit's longer
   * default timeout.
   */
  public applyTo(
    config: ButaneConfig,
    options: { readonly server: boolean; readonly charts?: ChartPlacement; readonly airGapped?: boolean },
  ): void {
    config.addKernelArguments(...this.kernelArgs);
    config.addUnit({
      name: 'cpu-partitioning.service',
      enabled: true,
      contents: [
        '[Unit]',
        'Description=Isolate the workload CPUs with the tuned cpu-partitioning profile',
        'After=network-online.target',
        'Wants=network-online.target',
        '',
        '[Service]',
        'Type=oneshot',
        'RemainAfterExit=yes',
        `ExecStart=/bin/sh -c 'echo isolated_cores=${this.isolatedCpus} > /etc/tuned/cpu-partitioning-variables.conf'`,
        'ExecStart=/usr/sbin/tuned-adm profile cpu-partitioning',
        'ExecStart=/usr/bin/systemctl enable tuned.service',
        '',
        '[Install]',
        'WantedBy=multi-user.target',
        '',
      ].join('\n'),
    });
    if (this.props.performanceSettings ?? true) {
      config.addUnit({
        name: 'performance-settings.service',
        enabled: true,
        contents: [
          '[Unit]',
          'Description=Apply the image performance settings after CPU partitioning',
          'After=network-online.target cpu-partitioning.service',
          'Wants=network-online.target',
          `ConditionPathExists=${PERFORMANCE_SETTINGS_PATH}`,
          '',
          '[Service]',
          'Type=oneshot',
          'RemainAfterExit=yes',
          `ExecStart=/bin/sh ${PERFORMANCE_SETTINGS_PATH}`,
          '',
          '[Install]',
          'WantedBy=multi-user.target',
          '',
        ].join('\n'),
      });
    }
    if (!options.server || this.sriov.length === 0) return;
    config.addManifests(
      `${RKE2_MANIFESTS_DIR}/configmap-sriov-custom-auto.yaml`,
      sriovCustomAutoConfigManifests(this.sriovConfigJson()),
    );
    config.addManifests(`${RKE2_MANIFESTS_DIR}/sriov-crd.yaml`, [
      helmChartManifest({
        name: 'sriov-crd',
        targetNamespace: DEFAULT_SRIOV_OPERATOR_NAMESPACE,
        source: this.props.sriovCrdChart ?? DEFAULT_SRIOV_CRD_CHART,
        placement: options.charts,
      }),
    ]);
    config.addManifests(`${RKE2_MANIFESTS_DIR}/sriov-network-operator.yaml`, [
      helmChartManifest({
        name: 'sriov-network-operator',
        targetNamespace: DEFAULT_SRIOV_OPERATOR_NAMESPACE,
        source: this.props.sriovOperatorChart ?? DEFAULT_SRIOV_OPERATOR_CHART,
        placement: options.charts,
      }),
    ]);
    config.addUnit({ name: SRIOV_VF_UNIT, enabled: true, contents: this.vfUnitContents(options.airGapped ?? false) });
  }

  /** The VF unit: the one given in `vfUnit.contents`, or the library's. */
  private vfUnitContents(airGapped: boolean): string {
    if (this.vfUnit.contents !== undefined) return this.vfUnit.contents;
    const timeout =
      this.vfUnit.timeoutSeconds ?? (airGapped ? SRIOV_VF_UNIT_TIMEOUT_AIR_GAPPED : SRIOV_VF_UNIT_TIMEOUT_CONNECTED);
    // Air-gapped (seed §42.9): the node waits longer for its images, so kubectl wait gets the whole budget.
    const waitNode = airGapped
      ? `until ${KUBECTL} wait --for condition=ready nodes --timeout=${duration(timeout)} --all; do sleep 10; done`
      : `until ${KUBECTL} wait --for condition=ready nodes --all; do sleep 2; done`;
    return [
      '[Unit]',
      'Description=Create the SR-IOV VFs of sriov-custom-auto-config once the node and the operator are ready',
      'Wants=network-online.target rke2-server.service',
      'After=network-online.target rke2-server.service',
      '',
      '[Service]',
      'Type=oneshot',
      'RemainAfterExit=yes',
      `TimeoutStartSec=${timeout}`,
      `ExecStart=/bin/sh -c '${waitNode}'`,
      `ExecStart=/bin/sh -c 'until [ -n "$(${KUBECTL} get sriovnetworknodestates.sriovnetwork.openshift.io -A --no-headers --ignore-not-found)" ]; do sleep 2; done'`,
      `ExecStart=/bin/sh -c 'until ${sriovCustomAutoConfigProbe(KUBECTL)}; do sleep 2; done'`,
      `ExecStart=/bin/sh ${SRIOV_AUTO_FILLER_PATH}`,
      '',
      '[Install]',
      'WantedBy=multi-user.target',
      '',
    ].join('\n');
  }

  private validateVfUnit(value: SriovVfUnitOptions | undefined, where: At): SriovVfUnitOptions {
    if (value === undefined) return {};
    const unit = expectObject<SriovVfUnitOptions>(value, where, 'pass { timeoutSeconds } or { contents }');
    if (this.sriov.length === 0) {
      fail(
        where,
        'is given without SR-IOV devices, so there is no VF unit',
        '{...}',
        'add sriov devices, or drop vfUnit',
      );
    }
    const timeoutSeconds =
      unit.timeoutSeconds === undefined
        ? undefined
        : expectInteger(unit.timeoutSeconds, child(where, 'timeoutSeconds'), 60, 86_400);
    if (unit.contents === undefined) return { timeoutSeconds };
    const contents = expectNonEmptyString(unit.contents, child(where, 'contents'), 'pass the text of the unit');
    if (timeoutSeconds !== undefined) {
      fail(
        child(where, 'timeoutSeconds'),
        'only applies to the library unit, which contents replaces',
        timeoutSeconds,
        'write TimeoutStartSec into contents, or drop contents',
      );
    }
    if (!/^\[Service\]\s*$/m.test(contents) || !/^ExecStart=\S/m.test(contents)) {
      fail(
        child(where, 'contents'),
        'has no [Service] section with an ExecStart',
        contents.split('\n')[0],
        `write a whole unit file that runs ${SRIOV_AUTO_FILLER_PATH}`,
      );
    }
    return { contents };
  }

  private deriveKernelArguments(where: At): string[] {
    const p = this.props;
    const args: string[] = [];
    const iommu = p.iommu ?? 'intel';
    if (!['intel', 'amd', 'none'].includes(iommu))
      fail(child(where, 'iommu'), 'is not an IOMMU kind', iommu, "use 'intel', 'amd' or 'none'");
    if (iommu !== 'none') args.push(`${iommu}_iommu=on`, 'iommu=pt');
    const latency = p.latency === undefined ? {} : expectObject<LatencyOptions>(p.latency, child(where, 'latency'));
    for (const key of Object.keys(latency)) {
      if (
        !['idlePoll', 'mceOff', 'rcuNocbPoll', 'noSoftLockup', 'noWatchdog', 'nohz', 'skewTick', 'quiet'].includes(key)
      ) {
        fail(
          child(child(where, 'latency'), key),
          'is not a latency option',
          key,
          'use idlePoll, mceOff, rcuNocbPoll, noSoftLockup, noWatchdog, nohz, skewTick or quiet',
        );
      }
      expectOptionalBoolean((latency as Record<string, unknown>)[key], child(child(where, 'latency'), key));
    }
    const on = (k: keyof LatencyOptions) => latency[k] ?? true;
    if (on('idlePoll')) args.push('idle=poll');
    if (on('mceOff')) args.push('mce=off');

    const pagesWhere = child(where, 'hugePages');
    const pages = expectArray<HugePages>(p.hugePages ?? [], pagesWhere);
    const sizes = new Set<string>();
    pages.forEach((hp, i) => {
      expectObject(hp, child(pagesWhere, i));
      if (hp.size !== '2M' && hp.size !== '1G')
        fail(child(child(pagesWhere, i), 'size'), 'is not a huge page size', hp.size, "use '2M' or '1G'");
      if (sizes.has(hp.size))
        fail(child(child(pagesWhere, i), 'size'), 'is listed twice', hp.size, 'give each size once');
      sizes.add(hp.size);
      expectInteger(hp.count, child(child(pagesWhere, i), 'count'), 0, 1_000_000);
      args.push(`hugepagesz=${hp.size} hugepages=${hp.count}`);
    });
    if (pages.length > 0 || p.defaultHugePageSize !== undefined) {
      const def = p.defaultHugePageSize ?? pages[0]?.size;
      if (!sizes.has(def as string)) {
        fail(
          child(where, 'defaultHugePageSize'),
          'is not one of the reserved sizes',
          p.defaultHugePageSize,
          `use one of ${[...sizes].join(', ') || '(none: add hugePages)'}`,
        );
      }
      args.push(`default_hugepagesz=${def}`);
    }

    args.push(
      `irqaffinity=${this.housekeepingCpus}`,
      `isolcpus=domain,nohz,managed_irq,${this.isolatedCpus}`,
      `nohz_full=${this.isolatedCpus}`,
      `rcu_nocbs=${this.isolatedCpus}`,
    );
    if (on('rcuNocbPoll')) args.push('rcu_nocb_poll');
    if (on('noSoftLockup')) args.push('nosoftlockup');
    if (on('noWatchdog')) args.push('nowatchdog');
    if (on('nohz')) args.push('nohz=on');
    if (on('noWatchdog')) args.push('nmi_watchdog=0');
    if (on('skewTick')) args.push('skew_tick=1');
    if (on('quiet')) args.push('quiet');

    const extraWhere = child(where, 'extraKernelArguments');
    const keyOf = (a: string) => a.split('=')[0];
    expectArray<string>(p.extraKernelArguments ?? [], extraWhere).forEach((a, i) => {
      const arg = expectNonEmptyString(a, child(extraWhere, i));
      if (/\s/.test(arg)) fail(child(extraWhere, i), 'contains white space', arg, 'give one argument per entry');
      const clash = args.find((d) => d.split(' ').some((t) => keyOf(t) === keyOf(arg)));
      if (clash)
        fail(
          child(extraWhere, i),
          `repeats the derived argument '${clash}'`,
          arg,
          'change the typed option instead, or drop the duplicate',
        );
      args.push(arg);
    });
    return args;
  }

  private validateSriov(devices: SriovDevice[] | undefined, where: At): SriovDevice[] {
    const list = expectArray<SriovDevice>(devices ?? [], where);
    const names = new Set<string>();
    return list.map((d, i) => {
      const device = validateSriovDevice(d, child(where, i));
      if (names.has(device.resourceName))
        fail(
          child(child(where, i), 'resourceName'),
          'is used twice',
          device.resourceName,
          'give each device its own resource name',
        );
      names.add(device.resourceName);
      return device;
    });
  }
}

/**
 * Checks one SR-IOV device description (resource name, PF interface, VF count, driver, VF range),
 * as `TelcoProfile.sriov` and `SriovDeviceNetwork` take it; returns a copy.
 */
export function validateSriovDevice(device: SriovDevice, where: At): SriovDevice {
  expectObject(device, where, 'pass { resourceName, interface, numVfs, driver }');
  const name = expectNonEmptyString(device.resourceName, child(where, 'resourceName'));
  if (!isDns1123Label(name)) {
    fail(
      child(where, 'resourceName'),
      'is not a valid resource name',
      name,
      'use a DNS-1123 label such as sriov-resource-du1',
    );
  }
  validateInterfaceName(device.interface, child(where, 'interface'), 'eth0');
  const numVfs = expectInteger(device.numVfs, child(where, 'numVfs'), 1, 256);
  if (!SRIOV_DRIVERS.includes(device.driver)) {
    fail(child(where, 'driver'), 'is not a known VF driver', device.driver, `use one of ${SRIOV_DRIVERS.join(', ')}`);
  }
  if (device.vfRange !== undefined) {
    const r = expectArray<number>(device.vfRange, child(where, 'vfRange'));
    if (r.length !== 2) fail(child(where, 'vfRange'), 'must be [first, last]', device.vfRange, 'give two VF indexes');
    const first = expectInteger(r[0], child(where, 'vfRange'), 0, 255);
    const last = expectInteger(r[1], child(where, 'vfRange'), 0, 255);
    if (last < first || last >= numVfs) {
      fail(
        child(where, 'vfRange'),
        `is not a range within the ${numVfs} VFs (0-${numVfs - 1})`,
        device.vfRange,
        'give first <= last < numVfs',
      );
    }
  }
  return { ...device };
}

/** Seconds as a kubectl duration: whole minutes as `30m`, else seconds as `90s`. */
function duration(seconds: number): string {
  return seconds % 60 === 0 ? `${seconds / 60}m` : `${seconds}s`;
}
