import { parse } from 'yaml';
import { ButaneConfig } from '../../lib/butane/butane-config';
import { TelcoProfile, TelcoProfileProps } from '../../lib/telco/telco-profile';
import { formatIssue, validateManifests } from '../../lib/validation/schema-validator';

const devices: TelcoProfileProps['sriov'] = [
  { resourceName: 'sriov-resource-du1', interface: 'eth0', vfRange: [2, 5], driver: 'vfio-pci', numVfs: 8 },
  { resourceName: 'sriov-resource-du2', interface: 'eth1', driver: 'iavf', numVfs: 4 },
];

describe('TelcoProfile', () => {
  test('derives the seed kernel arguments from the CPU sets and huge pages', () => {
    expect(TelcoProfile.suseEdgePreset().kernelArguments()).toEqual([
      'intel_iommu=on',
      'iommu=pt',
      'idle=poll',
      'mce=off',
      'hugepagesz=1G hugepages=40',
      'hugepagesz=2M hugepages=0',
      'default_hugepagesz=1G',
      'irqaffinity=0,31,32,63',
      'isolcpus=domain,nohz,managed_irq,1-30,33-62',
      'nohz_full=1-30,33-62',
      'rcu_nocbs=1-30,33-62',
      'rcu_nocb_poll',
      'nosoftlockup',
      'nowatchdog',
      'nohz=on',
      'nmi_watchdog=0',
      'skew_tick=1',
      'quiet',
    ]);
  });

  test('latency flags, IOMMU kind and extra arguments are typed options', () => {
    const args = new TelcoProfile({
      isolatedCpus: '2-7',
      housekeepingCpus: '0-1',
      iommu: 'amd',
      latency: { idlePoll: false, noWatchdog: false },
      extraKernelArguments: ['processor.max_cstate=1'],
    }).kernelArguments();
    expect(args).toEqual(
      expect.arrayContaining(['amd_iommu=on', 'iommu=pt', 'irqaffinity=0,1', 'processor.max_cstate=1']),
    );
    expect(args).not.toContain('idle=poll');
    expect(args).not.toContain('nowatchdog');
    expect(args).not.toContain('nmi_watchdog=0');
    expect(args.some((a) => a.startsWith('hugepage') || a.startsWith('default_hugepagesz'))).toBe(false);
  });

  test('renders the SR-IOV device list the auto-filler reads', () => {
    const json = JSON.parse(TelcoProfile.suseEdgePreset({ sriov: devices }).sriovConfigJson());
    expect(json).toEqual([
      {
        resourceName: 'sriov-resource-du1',
        interface: 'eth0',
        pfname: 'eth0#2-5',
        driver: 'vfio-pci',
        numVFsToCreate: 8,
      },
      { resourceName: 'sriov-resource-du2', interface: 'eth1', pfname: 'eth1', driver: 'iavf', numVFsToCreate: 4 },
    ]);
  });

  test('loads vfio-pci before RKE2 only when a device uses it', () => {
    expect(TelcoProfile.suseEdgePreset({ sriov: devices }).preRke2Commands()).toEqual([
      'modprobe vfio-pci enable_sriov=1 disable_idle_d3=1',
    ]);
    expect(TelcoProfile.suseEdgePreset({ sriov: [devices[1]] }).preRke2Commands()).toEqual([]);
  });

  test('adds units and, on servers, the SR-IOV charts and ConfigMap, all schema-valid', () => {
    const server = new ButaneConfig();
    TelcoProfile.suseEdgePreset({ sriov: devices }).applyTo(server, { server: true });
    const doc = parse(server.render());
    expect(doc.systemd.units.map((u: { name: string }) => u.name)).toEqual([
      'cpu-partitioning.service',
      'performance-settings.service',
      'sriov-custom-auto-vfs.service',
    ]);
    expect(doc.systemd.units[0].contents).toContain('isolated_cores=1-30,33-62');
    const objects = server.embeddedManifests().flatMap((e) => [...e.objects]);
    expect(objects.map((o: any) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'Namespace/sriov-network-operator',
      'ConfigMap/sriov-custom-auto-config',
      'HelmChart/sriov-crd',
      'HelmChart/sriov-network-operator',
    ]);
    expect(validateManifests(objects).map(formatIssue)).toEqual([]);

    const worker = new ButaneConfig();
    TelcoProfile.suseEdgePreset({ sriov: devices, performanceSettings: false }).applyTo(worker, { server: false });
    expect(parse(worker.render()).systemd.units.map((u: { name: string }) => u.name)).toEqual([
      'cpu-partitioning.service',
    ]);
    expect(worker.embeddedManifests()).toEqual([]);
  });

  describe('the SR-IOV VF unit', () => {
    function vfUnit(props: Partial<TelcoProfileProps>, airGapped?: boolean): string {
      const config = new ButaneConfig();
      TelcoProfile.suseEdgePreset({ sriov: devices, ...props }).applyTo(config, { server: true, airGapped });
      return parse(config.render()).systemd.units.find(
        (u: { name: string }) => u.name === 'sriov-custom-auto-vfs.service',
      ).contents;
    }

    test('waits 900 s on connected clusters, 1800 s with kubectl wait --timeout=30m air-gapped (seed §42.9)', () => {
      const connected = vfUnit({});
      expect(connected).toContain('TimeoutStartSec=900\n');
      expect(connected).not.toContain('--timeout=');
      const airGapped = vfUnit({}, true);
      expect(airGapped).toContain('TimeoutStartSec=1800\n');
      expect(airGapped).toMatch(
        /kubectl --kubeconfig=\S+ wait --for condition=ready nodes --timeout=30m --all; do sleep 10; done/,
      );
    });

    test('timeoutSeconds sets the unit timeout, and air-gapped the kubectl wait timeout too', () => {
      expect(vfUnit({ vfUnit: { timeoutSeconds: 1200 } })).toContain('TimeoutStartSec=1200\n');
      const airGapped = vfUnit({ vfUnit: { timeoutSeconds: 2430 } }, true);
      expect(airGapped).toContain('TimeoutStartSec=2430\n');
      expect(airGapped).toContain('--timeout=2430s');
    });

    test('contents replaces the unit of the same name', () => {
      const contents =
        '[Unit]\nDescription=mine\n\n[Service]\nType=oneshot\nExecStart=/bin/sh /opt/sriov/sriov-auto-filler.sh\n';
      expect(vfUnit({ vfUnit: { contents } }, true)).toBe(contents);
    });

    test('fails when timeoutSeconds is out of range', () => {
      expect(() => TelcoProfile.suseEdgePreset({ sriov: devices, vfUnit: { timeoutSeconds: 10 } })).toThrow(
        /'telco.vfUnit.timeoutSeconds' must be an integer/,
      );
    });

    test('fails when contents has no [Service] section with an ExecStart', () => {
      expect(() =>
        TelcoProfile.suseEdgePreset({ sriov: devices, vfUnit: { contents: '[Unit]\nDescription=x\n' } }),
      ).toThrow(
        /'telco.vfUnit.contents' has no \[Service\] section with an ExecStart \(got "\[Unit\]"\); write a whole unit file/,
      );
    });

    test('fails when contents and timeoutSeconds are both given', () => {
      expect(() =>
        TelcoProfile.suseEdgePreset({
          sriov: devices,
          vfUnit: { timeoutSeconds: 1200, contents: '[Service]\nExecStart=/bin/true\n' },
        }),
      ).toThrow(/'telco.vfUnit.timeoutSeconds' only applies to the library unit, which contents replaces \(got 1200\)/);
    });

    test('fails when vfUnit is given without SR-IOV devices', () => {
      expect(() => TelcoProfile.suseEdgePreset({ vfUnit: { timeoutSeconds: 1200 } })).toThrow(
        /'telco.vfUnit' is given without SR-IOV devices, so there is no VF unit/,
      );
    });
  });

  test('fails when isolated and housekeeping CPUs overlap', () => {
    expect(() => new TelcoProfile({ isolatedCpus: '1-8', housekeepingCpus: '0-2' })).toThrow(
      /'telco.housekeepingCpus' overlaps the isolated CPUs in 1,2 \(got "0-2"\)/,
    );
  });

  test('fails when a set is outside the host', () => {
    expect(() => new TelcoProfile({ isolatedCpus: '1-70', cpuCount: 64 })).toThrow(
      /'telco.isolatedCpus' names CPU 70 but the host has 64/,
    );
  });

  test('fails when housekeeping cannot be derived or is empty', () => {
    expect(() => new TelcoProfile({ isolatedCpus: '1-7' })).toThrow(
      /'telco.housekeepingCpus' cannot be derived without cpuCount/,
    );
    expect(() => new TelcoProfile({ isolatedCpus: '0-7', cpuCount: 8 })).toThrow(
      /'telco.isolatedCpus' leaves no CPU for housekeeping/,
    );
  });

  test('fails when huge pages are malformed', () => {
    const base = { isolatedCpus: '1-7', cpuCount: 8 };
    expect(() => new TelcoProfile({ ...base, hugePages: [{ size: '4K' as never, count: 1 }] })).toThrow(
      /'telco.hugePages\[0\].size' is not a huge page size/,
    );
    expect(
      () =>
        new TelcoProfile({
          ...base,
          hugePages: [
            { size: '1G', count: 1 },
            { size: '1G', count: 2 },
          ],
        }),
    ).toThrow(/'telco.hugePages\[1\].size' is listed twice/);
    expect(() => new TelcoProfile({ ...base, hugePages: [{ size: '1G', count: -1 }] })).toThrow(
      /'telco.hugePages\[0\].count' must be an integer/,
    );
    expect(
      () => new TelcoProfile({ ...base, hugePages: [{ size: '1G', count: 1 }], defaultHugePageSize: '2M' }),
    ).toThrow(/'telco.defaultHugePageSize' is not one of the reserved sizes/);
  });

  test('fails when an extra kernel argument repeats a derived one or has spaces', () => {
    expect(() => TelcoProfile.suseEdgePreset({ extraKernelArguments: ['isolcpus=2-4'] })).toThrow(
      /'telco.extraKernelArguments\[0\]' repeats the derived argument 'isolcpus=domain,nohz,managed_irq,1-30,33-62'/,
    );
    expect(() => TelcoProfile.suseEdgePreset({ extraKernelArguments: ['hugepages=8'] })).toThrow(
      /repeats the derived argument 'hugepagesz=1G hugepages=40'/,
    );
    expect(() => TelcoProfile.suseEdgePreset({ extraKernelArguments: ['a=1 b=2'] })).toThrow(/contains white space/);
  });

  test('fails when a latency option or IOMMU kind is unknown', () => {
    expect(() => TelcoProfile.suseEdgePreset({ latency: { turbo: true } as never })).toThrow(
      /'telco.latency.turbo' is not a latency option/,
    );
    expect(() => TelcoProfile.suseEdgePreset({ iommu: 'arm' as never })).toThrow(/'telco.iommu' is not an IOMMU kind/);
  });

  test('fails when SR-IOV devices are invalid', () => {
    const d = devices![0];
    expect(() => TelcoProfile.suseEdgePreset({ sriov: [d, { ...d, interface: 'eth2' }] })).toThrow(
      /'telco.sriov\[1\].resourceName' is used twice/,
    );
    expect(() => TelcoProfile.suseEdgePreset({ sriov: [{ ...d, resourceName: 'DU_1' }] })).toThrow(
      /is not a valid resource name/,
    );
    expect(() => TelcoProfile.suseEdgePreset({ sriov: [{ ...d, driver: 'e1000' as never }] })).toThrow(
      /'telco.sriov\[0\].driver' is not a known VF driver/,
    );
    expect(() => TelcoProfile.suseEdgePreset({ sriov: [{ ...d, numVfs: 0 }] })).toThrow(
      /'telco.sriov\[0\].numVfs' must be an integer from 1 to 256/,
    );
    expect(() => TelcoProfile.suseEdgePreset({ sriov: [{ ...d, vfRange: [2, 9] }] })).toThrow(
      /'telco.sriov\[0\].vfRange' is not a range within the 8 VFs/,
    );
    expect(() => TelcoProfile.suseEdgePreset({ sriov: [{ ...d, interface: 'a very long name' }] })).toThrow(
      /is not a Linux interface name/,
    );
  });

  test('fails when a chart source is malformed', () => {
    expect(() => TelcoProfile.suseEdgePreset({ sriovCrdChart: { chart: 'sriov-crd', version: '1' } })).toThrow(
      /'telco.sriovCrdChart.chart'/,
    );
  });
});

describe('TelcoProfile: CPU numbers at the host limit', () => {
  test('fails when an isolated CPU number equals cpuCount', () => {
    // GIVEN a host with 8 CPUs (0-7) WHEN the isolated set names CPU 8 THEN it is refused
    expect(() => new TelcoProfile({ isolatedCpus: '1-8', cpuCount: 8 })).toThrow(
      /'telco.isolatedCpus' names CPU 8 but the host has 8 \(0-7\)/,
    );
  });

  test('accepts the last CPU of the host', () => {
    const p = new TelcoProfile({ isolatedCpus: '1-7', cpuCount: 8 });
    expect(p.housekeepingCpus.toString()).toBe('0');
    expect(p.kernelArguments()).toContain('isolcpus=domain,nohz,managed_irq,1-7');
  });

  test('fails when a housekeeping CPU number equals cpuCount', () => {
    expect(() => new TelcoProfile({ isolatedCpus: '1-6', housekeepingCpus: '0,8', cpuCount: 8 })).toThrow(
      /'telco.housekeepingCpus' names CPU 8 but the host has 8/,
    );
    expect(
      new TelcoProfile({ isolatedCpus: '1-6', housekeepingCpus: '0,7', cpuCount: 8 }).housekeepingCpus.toString(),
    ).toBe('0,7');
  });

  test('accepts cpuCount at its limits and refuses one step past them', () => {
    expect(new TelcoProfile({ isolatedCpus: '1', cpuCount: 2 }).housekeepingCpus.toString()).toBe('0');
    expect(new TelcoProfile({ isolatedCpus: '1', cpuCount: 8192 }).housekeepingCpus.toString()).toBe('0,2-8191');
    expect(() => new TelcoProfile({ isolatedCpus: '1', cpuCount: 1 })).toThrow(
      /'telco.cpuCount' must be an integer from 2 to 8192/,
    );
    expect(() => new TelcoProfile({ isolatedCpus: '1', cpuCount: 8193 })).toThrow(
      /'telco.cpuCount' must be an integer from 2 to 8192/,
    );
  });
});

describe('TelcoProfile: what the node runs, exactly', () => {
  const KUBECTL = '/var/lib/rancher/rke2/bin/kubectl --kubeconfig=/etc/rancher/rke2/rke2.yaml';
  function units(props: Partial<TelcoProfileProps> = {}): { name: string; enabled: boolean; contents: string }[] {
    const config = new ButaneConfig();
    TelcoProfile.suseEdgePreset({ sriov: [devices![1]], ...props }).applyTo(config, { server: true });
    return parse(config.render()).systemd.units;
  }

  test('the three units are enabled, with the exact systemd text', () => {
    const [cpu, perf, vfs] = units();
    expect([cpu.enabled, perf.enabled, vfs.enabled]).toEqual([true, true, true]);
    expect(cpu.contents).toBe(
      [
        '[Unit]',
        'Description=Isolate the workload CPUs with the tuned cpu-partitioning profile',
        'After=network-online.target',
        'Wants=network-online.target',
        '',
        '[Service]',
        'Type=oneshot',
        'RemainAfterExit=yes',
        "ExecStart=/bin/sh -c 'echo isolated_cores=1-30,33-62 > /etc/tuned/cpu-partitioning-variables.conf'",
        'ExecStart=/usr/sbin/tuned-adm profile cpu-partitioning',
        'ExecStart=/usr/bin/systemctl enable tuned.service',
        '',
        '[Install]',
        'WantedBy=multi-user.target',
        '',
      ].join('\n'),
    );
    expect(perf.contents).toBe(
      [
        '[Unit]',
        'Description=Apply the image performance settings after CPU partitioning',
        'After=network-online.target cpu-partitioning.service',
        'Wants=network-online.target',
        'ConditionPathExists=/opt/performance-settings/performance-settings.sh',
        '',
        '[Service]',
        'Type=oneshot',
        'RemainAfterExit=yes',
        'ExecStart=/bin/sh /opt/performance-settings/performance-settings.sh',
        '',
        '[Install]',
        'WantedBy=multi-user.target',
        '',
      ].join('\n'),
    );
    expect(vfs.contents).toBe(
      [
        '[Unit]',
        'Description=Create the SR-IOV VFs of sriov-custom-auto-config once the node and the operator are ready',
        'Wants=network-online.target rke2-server.service',
        'After=network-online.target rke2-server.service',
        '',
        '[Service]',
        'Type=oneshot',
        'RemainAfterExit=yes',
        'TimeoutStartSec=900',
        `ExecStart=/bin/sh -c 'until ${KUBECTL} wait --for condition=ready nodes --all; do sleep 2; done'`,
        `ExecStart=/bin/sh -c 'until [ -n "$(${KUBECTL} get sriovnetworknodestates.sriovnetwork.openshift.io -A --no-headers --ignore-not-found)" ]; do sleep 2; done'`,
        `ExecStart=/bin/sh -c 'until ${KUBECTL} get configmap sriov-custom-auto-config -n sriov-network-operator; do sleep 2; done'`,
        'ExecStart=/bin/sh /opt/sriov/sriov-auto-filler.sh',
        '',
        '[Install]',
        'WantedBy=multi-user.target',
        '',
      ].join('\n'),
    );
  });

  test('the SR-IOV charts default to the SUSE Edge OCI charts of one release', () => {
    const config = new ButaneConfig();
    TelcoProfile.suseEdgePreset({ sriov: [devices![1]] }).applyTo(config, { server: true });
    const charts = config
      .embeddedManifests()
      .flatMap((e) => [...e.objects])
      .filter((o: any) => o.kind === 'HelmChart')
      .map((o: any) => [o.spec.chart, o.spec.version]);
    expect(charts).toEqual([
      ['oci://registry.suse.com/edge/charts/sriov-crd', '303.0.2+up1.5.0'],
      ['oci://registry.suse.com/edge/charts/sriov-network-operator', '303.0.2+up1.5.0'],
    ]);
  });

  test('without SR-IOV devices a server gets no VF unit and no charts', () => {
    const config = new ButaneConfig();
    TelcoProfile.suseEdgePreset().applyTo(config, { server: true });
    expect(parse(config.render()).systemd.units.map((u: { name: string }) => u.name)).toEqual([
      'cpu-partitioning.service',
      'performance-settings.service',
    ]);
    expect(config.embeddedManifests()).toEqual([]);
  });

  test.each([
    ['idlePoll', 'idle=poll'],
    ['mceOff', 'mce=off'],
    ['rcuNocbPoll', 'rcu_nocb_poll'],
    ['noSoftLockup', 'nosoftlockup'],
    ['nohz', 'nohz=on'],
    ['skewTick', 'skew_tick=1'],
    ['quiet', 'quiet'],
  ])('latency.%s: false drops %s and nothing else', (flag, arg) => {
    const all = TelcoProfile.suseEdgePreset().kernelArguments();
    const without = TelcoProfile.suseEdgePreset({ latency: { [flag]: false } }).kernelArguments();
    expect(all).toContain(arg);
    expect(without).toEqual(all.filter((a) => a !== arg));
  });

  test("iommu 'none' writes no IOMMU argument", () => {
    const args = TelcoProfile.suseEdgePreset({ iommu: 'none' }).kernelArguments();
    expect(args.filter((a) => a.includes('iommu'))).toEqual([]);
  });

  test('no huge pages and no default size: no huge page argument at all', () => {
    const args = new TelcoProfile({ isolatedCpus: '2-7', housekeepingCpus: '0-1' }).kernelArguments();
    expect(args.filter((a) => a.includes('hugepage'))).toEqual([]);
  });

  test('each refusal names its place and says what to do', () => {
    const make = (p: Partial<TelcoProfileProps>) => () =>
      new TelcoProfile({ isolatedCpus: '2-7', ...p } as TelcoProfileProps);
    expect(make({})).toThrow(/'telco.housekeepingCpus' .*; give housekeepingCpus or the host cpuCount/);
    expect(make({ housekeepingCpus: '0-2' })).toThrow(/'telco.housekeepingCpus' .*; give each CPU to one side only/);
    expect(make({ iommu: 'arm' as never, housekeepingCpus: '0-1' })).toThrow(
      /'telco.iommu' is not an IOMMU kind \(got "arm"\); use 'intel', 'amd' or 'none'/,
    );
    expect(make({ latency: { turbo: true } as never, housekeepingCpus: '0-1' })).toThrow(
      /'telco.latency.turbo' .*; use idlePoll, mceOff, rcuNocbPoll, noSoftLockup, noWatchdog, nohz, skewTick or quiet/,
    );
    expect(make({ housekeepingCpus: '0-1', extraKernelArguments: ['a b'] })).toThrow(
      /'telco.extraKernelArguments\[0\]' contains white space \(got "a b"\); give one argument/,
    );
    expect(make({ housekeepingCpus: '0-1', defaultHugePageSize: '1G' } as never)).toThrow(
      /'telco.defaultHugePageSize' .*; use one of \(none: add hugePages\)/,
    );
    expect(() => new TelcoProfile('x' as never)).toThrow(/\[TelcoProfile\] 'telco' .*pass \{ isolatedCpus, \.\.\. \}/);
  });
});
