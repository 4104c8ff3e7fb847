import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { GroupVersionKind } from 'cdk8s';
import { AgentClusterInstall } from '../imports/agentclusterinstalls-extensions.hive.openshift.io';
import { AgentServiceConfig } from '../imports/agentserviceconfigs-agent-install.openshift.io';
import { BareMetalHost } from '../imports/baremetalhosts-metal3.io';
import { CatalogSource } from '../imports/catalogsources-operators.coreos.com';
import { ClusterDeployment } from '../imports/clusterdeployments-hive.openshift.io';
import { ClusterImageSet } from '../imports/clusterimagesets-hive.openshift.io';
import { Cluster, ClusterV1Beta1 } from '../imports/clusters-cluster.x-k8s.io';
import { ExternalSecret } from '../imports/externalsecrets-external-secrets.io';
import { HelmChartConfig } from '../imports/helmchartconfigs-helm.cattle.io';
import { HelmChart } from '../imports/helmcharts-helm.cattle.io';
import { HostedCluster } from '../imports/hostedclusters-hypershift.openshift.io';
import { ImageContentSourcePolicy } from '../imports/imagecontentsourcepolicies-operator.openshift.io';
import { ImageDigestMirrorSet } from '../imports/imagedigestmirrorsets-config.openshift.io';
import { Image } from '../imports/images-config.openshift.io';
import { ImageTagMirrorSet } from '../imports/imagetagmirrorsets-config.openshift.io';
import { InfraEnv } from '../imports/infraenvs-agent-install.openshift.io';
import { IpAddressPool } from '../imports/ipaddresspools-metallb.io';
import { L2Advertisement } from '../imports/l2advertisements-metallb.io';
import { MachineConfig } from '../imports/machineconfigs-machineconfiguration.openshift.io';
import { MachineDeployment, MachineDeploymentV1Beta1 } from '../imports/machinedeployments-cluster.x-k8s.io';
import { Metal3Cluster } from '../imports/metal3clusters-infrastructure.cluster.x-k8s.io';
import { Metal3DataTemplate } from '../imports/metal3datatemplates-infrastructure.cluster.x-k8s.io';
import { Metal3MachineTemplate } from '../imports/metal3machinetemplates-infrastructure.cluster.x-k8s.io';
import { MultiClusterEngine } from '../imports/multiclusterengines-multicluster.openshift.io';
import { NetworkAttachmentDefinition } from '../imports/network-attachment-definitions-k8s.cni.cncf.io';
import { NmStateConfig } from '../imports/nmstateconfigs-agent-install.openshift.io';
import { NodePool } from '../imports/nodepools-hypershift.openshift.io';
import {
  Rke2ConfigTemplate,
  Rke2ConfigTemplateV1Beta1,
} from '../imports/rke2configtemplates-bootstrap.cluster.x-k8s.io';
import { Rke2ControlPlane, Rke2ControlPlaneV1Beta1 } from '../imports/rke2controlplanes-controlplane.cluster.x-k8s.io';
import { SriovNetworkNodePolicy } from '../imports/sriovnetworknodepolicies-sriovnetwork.openshift.io';
import { SriovNetwork } from '../imports/sriovnetworks-sriovnetwork.openshift.io';
import index from '../schemas/index.json';

/** A generated class: what the tests read of it. */
interface Generated {
  readonly name: string;
  readonly GVK: GroupVersionKind;
}

interface Row {
  readonly cls: Generated;
  /** The `cdk8s.yaml` import (and so the imports/ file) the class comes from. */
  readonly from: string;
  readonly apiVersion: string;
  readonly kind: string;
}

/**
 * Written by hand, one row per served CRD version in schemas/index.json: the class the library
 * must use for it. A regenerated import that renames or re-versions a class fails here.
 */
const TABLE: readonly Row[] = [
  {
    cls: AgentServiceConfig,
    from: 'agentserviceconfigs',
    apiVersion: 'agent-install.openshift.io/v1beta1',
    kind: 'AgentServiceConfig',
  },
  { cls: InfraEnv, from: 'infraenvs', apiVersion: 'agent-install.openshift.io/v1beta1', kind: 'InfraEnv' },
  {
    cls: NmStateConfig,
    from: 'nmstateconfigs',
    apiVersion: 'agent-install.openshift.io/v1beta1',
    kind: 'NMStateConfig',
  },
  {
    cls: Rke2ConfigTemplate,
    from: 'rke2configtemplates',
    apiVersion: 'bootstrap.cluster.x-k8s.io/v1alpha1',
    kind: 'RKE2ConfigTemplate',
  },
  {
    cls: Rke2ConfigTemplateV1Beta1,
    from: 'rke2configtemplates',
    apiVersion: 'bootstrap.cluster.x-k8s.io/v1beta1',
    kind: 'RKE2ConfigTemplate',
  },
  { cls: ClusterV1Beta1, from: 'clusters', apiVersion: 'cluster.x-k8s.io/v1beta1', kind: 'Cluster' },
  {
    cls: MachineDeploymentV1Beta1,
    from: 'machinedeployments',
    apiVersion: 'cluster.x-k8s.io/v1beta1',
    kind: 'MachineDeployment',
  },
  { cls: Image, from: 'images', apiVersion: 'config.openshift.io/v1', kind: 'Image' },
  {
    cls: ImageDigestMirrorSet,
    from: 'imagedigestmirrorsets',
    apiVersion: 'config.openshift.io/v1',
    kind: 'ImageDigestMirrorSet',
  },
  {
    cls: ImageTagMirrorSet,
    from: 'imagetagmirrorsets',
    apiVersion: 'config.openshift.io/v1',
    kind: 'ImageTagMirrorSet',
  },
  {
    cls: Rke2ControlPlane,
    from: 'rke2controlplanes',
    apiVersion: 'controlplane.cluster.x-k8s.io/v1alpha1',
    kind: 'RKE2ControlPlane',
  },
  {
    cls: Rke2ControlPlaneV1Beta1,
    from: 'rke2controlplanes',
    apiVersion: 'controlplane.cluster.x-k8s.io/v1beta1',
    kind: 'RKE2ControlPlane',
  },
  {
    cls: AgentClusterInstall,
    from: 'agentclusterinstalls',
    apiVersion: 'extensions.hive.openshift.io/v1beta1',
    kind: 'AgentClusterInstall',
  },
  { cls: ExternalSecret, from: 'externalsecrets', apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret' },
  { cls: HelmChart, from: 'helmcharts', apiVersion: 'helm.cattle.io/v1', kind: 'HelmChart' },
  { cls: HelmChartConfig, from: 'helmchartconfigs', apiVersion: 'helm.cattle.io/v1', kind: 'HelmChartConfig' },
  { cls: ClusterDeployment, from: 'clusterdeployments', apiVersion: 'hive.openshift.io/v1', kind: 'ClusterDeployment' },
  { cls: ClusterImageSet, from: 'clusterimagesets', apiVersion: 'hive.openshift.io/v1', kind: 'ClusterImageSet' },
  { cls: HostedCluster, from: 'hostedclusters', apiVersion: 'hypershift.openshift.io/v1beta1', kind: 'HostedCluster' },
  { cls: NodePool, from: 'nodepools', apiVersion: 'hypershift.openshift.io/v1beta1', kind: 'NodePool' },
  {
    cls: Metal3Cluster,
    from: 'metal3clusters',
    apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1',
    kind: 'Metal3Cluster',
  },
  {
    cls: Metal3DataTemplate,
    from: 'metal3datatemplates',
    apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1',
    kind: 'Metal3DataTemplate',
  },
  {
    cls: Metal3MachineTemplate,
    from: 'metal3machinetemplates',
    apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1',
    kind: 'Metal3MachineTemplate',
  },
  {
    cls: NetworkAttachmentDefinition,
    from: 'network-attachment-definitions',
    apiVersion: 'k8s.cni.cncf.io/v1',
    kind: 'NetworkAttachmentDefinition',
  },
  {
    cls: MachineConfig,
    from: 'machineconfigs',
    apiVersion: 'machineconfiguration.openshift.io/v1',
    kind: 'MachineConfig',
  },
  { cls: BareMetalHost, from: 'baremetalhosts', apiVersion: 'metal3.io/v1alpha1', kind: 'BareMetalHost' },
  { cls: IpAddressPool, from: 'ipaddresspools', apiVersion: 'metallb.io/v1beta1', kind: 'IPAddressPool' },
  { cls: L2Advertisement, from: 'l2advertisements', apiVersion: 'metallb.io/v1beta1', kind: 'L2Advertisement' },
  {
    cls: MultiClusterEngine,
    from: 'multiclusterengines',
    apiVersion: 'multicluster.openshift.io/v1',
    kind: 'MultiClusterEngine',
  },
  {
    cls: ImageContentSourcePolicy,
    from: 'imagecontentsourcepolicies',
    apiVersion: 'operator.openshift.io/v1alpha1',
    kind: 'ImageContentSourcePolicy',
  },
  { cls: CatalogSource, from: 'catalogsources', apiVersion: 'operators.coreos.com/v1alpha1', kind: 'CatalogSource' },
  { cls: SriovNetwork, from: 'sriovnetworks', apiVersion: 'sriovnetwork.openshift.io/v1', kind: 'SriovNetwork' },
  {
    cls: SriovNetworkNodePolicy,
    from: 'sriovnetworknodepolicies',
    apiVersion: 'sriovnetwork.openshift.io/v1',
    kind: 'SriovNetworkNodePolicy',
  },
];

type IndexEntry = { apiVersion: string; kind: string; scope: string; file: string; import: string };
const INDEX = index as Record<string, IndexEntry>;
const IMPORTS_DIR = join(__dirname, '..', 'imports');

/** The generated ApiObject classes of one imports/ file: every export with a static GVK. */
function generatedClasses(file: string): Generated[] {
  const mod = require(join(IMPORTS_DIR, file)) as Record<string, unknown>;
  return Object.values(mod).filter(
    (v): v is Generated => typeof v === 'function' && (v as unknown as Generated).GVK !== undefined,
  );
}

describe('generated classes', () => {
  test.each(TABLE.map((row) => [row.cls.name, row] as const))('%s has the pinned apiVersion and kind', (_name, row) => {
    // GIVEN the class the library uses for a served version
    // WHEN its GVK is read / THEN it is the pinned one
    expect(row.cls.GVK).toEqual({ apiVersion: row.apiVersion, kind: row.kind });
  });

  test('the table has exactly one row per entry of schemas/index.json', () => {
    // GIVEN the served versions the import shipped
    const served = Object.keys(INDEX).sort();
    // WHEN compared with the table / THEN none is missing and none is extra
    expect(TABLE.map((r) => `${r.apiVersion}/${r.kind}`).sort()).toEqual(served);
    expect(new Set(TABLE.map((r) => r.cls)).size).toBe(TABLE.length);
  });

  test('each class comes from the imports/ file of the CRD that schemas/index.json names', () => {
    // GIVEN each row's index entry
    for (const row of TABLE) {
      const entry = INDEX[`${row.apiVersion}/${row.kind}`];
      const group = row.apiVersion.split('/')[0];
      // WHEN the file named for its import is loaded / THEN it exports this very class
      expect({ key: `${row.apiVersion}/${row.kind}`, import: entry?.import }).toEqual({
        key: `${row.apiVersion}/${row.kind}`,
        import: row.from,
      });
      const mod = require(join(IMPORTS_DIR, `${row.from}-${group}`)) as Record<string, unknown>;
      expect(mod[row.cls.name]).toBe(row.cls);
    }
  });

  test('every generated class of a served version is in the table; the others are unserved', () => {
    // GIVEN every class with a GVK in every imports/ file
    const files = readdirSync(IMPORTS_DIR).filter((f) => f.endsWith('.ts'));
    const all = files.flatMap((f) => generatedClasses(f));
    const inTable = new Set<Generated>(TABLE.map((r) => r.cls));
    // WHEN sorted by whether the index serves them
    const servedNotInTable = all.filter((c) => INDEX[`${c.GVK.apiVersion}/${c.GVK.kind}`] && !inTable.has(c));
    const unserved = all.filter((c) => !INDEX[`${c.GVK.apiVersion}/${c.GVK.kind}`]).map((c) => c.name);
    // THEN every served class is pinned, and the rest are the known unserved versions
    expect(files).toHaveLength(new Set(Object.values(INDEX).map((e) => e.import)).size);
    expect(servedNotInTable.map((c) => c.name)).toEqual([]);
    expect(unserved.sort()).toEqual(
      ['Cluster', 'ClusterV1Alpha4', 'ExternalSecretV1Beta1', 'MachineDeployment', 'MachineDeploymentV1Alpha4'].sort(),
    );
  });

  test('the unsuffixed Cluster and MachineDeployment are the unserved v1alpha3, so the library uses suffixed classes', () => {
    // GIVEN the classes cdk8s names after the first version the CRD lists
    // WHEN their GVK is read / THEN it is v1alpha3, which schemas/index.json does not serve
    expect(Cluster.GVK).toEqual({ apiVersion: 'cluster.x-k8s.io/v1alpha3', kind: 'Cluster' });
    expect(MachineDeployment.GVK).toEqual({ apiVersion: 'cluster.x-k8s.io/v1alpha3', kind: 'MachineDeployment' });
    expect(INDEX['cluster.x-k8s.io/v1alpha3/Cluster']).toBeUndefined();
    expect(INDEX['cluster.x-k8s.io/v1alpha3/MachineDeployment']).toBeUndefined();
  });
});
