import { parse } from 'yaml';
import { ButaneConfig } from '../../lib/butane/butane-config';
import { DEFAULT_SRIOV_OPERATOR_NAMESPACE as MULTUS_NAMESPACE } from '../../lib/multus/sriov';
import { RKE2_MANIFESTS_DIR } from '../../lib/rke2/cni';
import {
  checkSriovAutoFiller,
  DEFAULT_SRIOV_OPERATOR_NAMESPACE,
  SRIOV_CUSTOM_AUTO_CONFIG,
  sriovCustomAutoConfigManifests,
  sriovCustomAutoConfigProbe,
  sriovCustomAutoConfigReads,
} from '../../lib/telco/sriov-operator';
import { TelcoProfile } from '../../lib/telco/telco-profile';

/**
 * How SUSE's sriov-auto-filler.sh (installed by the EIB image, run by the VF unit) reads the
 * device list: the command as the issue and seed §42.9 quote it. The script decides the namespace.
 */
const AUTO_FILLER_READ = 'kubectl get cm sriov-custom-auto-config -n sriov-network-operator -ojson';

/** The namespace a `kubectl get cm|configmap <name> -n <namespace>` command reads from. */
function namespaceRead(command: string, name: string): string | undefined {
  return new RegExp(`get (?:cm|configmap) ${name} -n ([a-z0-9-]+)`).exec(command)?.[1];
}

function serverConfig(): ButaneConfig {
  const config = new ButaneConfig();
  TelcoProfile.suseEdgePreset({
    sriov: [{ resourceName: 'sriov-resource-du1', interface: 'eth0', driver: 'vfio-pci', numVfs: 8 }],
  }).applyTo(config, { server: true });
  return config;
}

describe('SR-IOV operator namespace', () => {
  test('the ConfigMap lies where the auto-filler script and the VF unit read it', () => {
    // GIVEN a telco server config with an SR-IOV device
    const config = serverConfig();
    // WHEN the ConfigMap file and the VF unit are read back
    const file = config.embeddedManifests().find((m) => m.path.endsWith('/configmap-sriov-custom-auto.yaml'))!;
    const configMap = file.objects.find((o: any) => o.kind === 'ConfigMap') as any;
    const unit = parse(config.render()).systemd.units.find((u: any) => u.name === 'sriov-custom-auto-vfs.service');
    // THEN the ConfigMap's namespace is the one the upstream script reads, and the one our unit waits for
    const scriptNamespace = namespaceRead(AUTO_FILLER_READ, SRIOV_CUSTOM_AUTO_CONFIG);
    expect(scriptNamespace).toBe('sriov-network-operator');
    expect(configMap.metadata).toEqual({ name: SRIOV_CUSTOM_AUTO_CONFIG, namespace: scriptNamespace });
    expect(namespaceRead(unit.contents, SRIOV_CUSTOM_AUTO_CONFIG)).toBe(scriptNamespace);
  });

  test('the charts install into the same namespace, and SR-IOV networks default to it', () => {
    const charts = serverConfig()
      .embeddedManifests()
      .flatMap((m) => [...m.objects])
      .filter((o: any) => o.kind === 'HelmChart') as any[];
    expect(charts.map((c) => c.spec.targetNamespace)).toEqual([
      DEFAULT_SRIOV_OPERATOR_NAMESPACE,
      DEFAULT_SRIOV_OPERATOR_NAMESPACE,
    ]);
    expect(MULTUS_NAMESPACE).toBe(DEFAULT_SRIOV_OPERATOR_NAMESPACE);
  });

  test('the Namespace comes first in the ConfigMap file, so RKE2 can apply it before the charts run', () => {
    const config = serverConfig();
    const file = config.embeddedManifests().find((m) => m.path.endsWith('/configmap-sriov-custom-auto.yaml'))!;
    expect(file.path).toBe(`${RKE2_MANIFESTS_DIR}/configmap-sriov-custom-auto.yaml`);
    expect(file.objects).toMatchObject([
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'sriov-network-operator' } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { namespace: 'sriov-network-operator' } },
    ]);
    const text = parse(config.render()).storage.files.find((f: any) => f.path === file.path).contents.inline;
    expect(text.indexOf('kind: Namespace')).toBeLessThan(text.indexOf('kind: ConfigMap'));
  });

  test('manifests carry the device list as config.json; the probe names the ConfigMap and namespace', () => {
    expect(sriovCustomAutoConfigManifests('[]\n')[1]).toMatchObject({ data: { 'config.json': '[]\n' } });
    expect(sriovCustomAutoConfigProbe('kubectl')).toBe(
      'kubectl get configmap sriov-custom-auto-config -n sriov-network-operator',
    );
  });

  test('finds the namespaces a script reads the ConfigMap from, in the forms kubectl takes', () => {
    expect(sriovCustomAutoConfigReads(AUTO_FILLER_READ)).toEqual(['sriov-network-operator']);
    expect(
      sriovCustomAutoConfigReads(
        'kubectl get configmap sriov-custom-auto-config --namespace=kube-system\nkubectl get cm sriov-custom-auto-config --namespace "x-1"',
      ),
    ).toEqual(['kube-system', 'x-1']);
    expect(() => checkSriovAutoFiller(AUTO_FILLER_READ, { path: 'site/Image', prop: 'contents' })).not.toThrow();
  });

  test("fails when an auto-filler script reads the ConfigMap from another namespace (seed §42.7's kube-system)", () => {
    expect(() =>
      checkSriovAutoFiller('input=$(kubectl get cm sriov-custom-auto-config -n kube-system -ojson)', {
        path: 'site/Image',
        prop: 'contents',
      }),
    ).toThrow(
      /\[site\/Image\] 'contents' reads sriov-custom-auto-config from kube-system, but the telco profile writes it to sriov-network-operator \(got "kube-system"\); make the script read it with -n sriov-network-operator/,
    );
  });
});
