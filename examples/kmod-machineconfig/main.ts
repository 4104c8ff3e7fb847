// Seed 003: a kernel module for the workers of an OpenShift cluster, delivered by a MachineConfig.
// The seed installs kmods-via-containers and the simple-kmod bundle into a fake root
// (`make install DESTDIR=$FAKEROOT/usr/local CONFDIR=$FAKEROOT/etc/`) and turns it into Ignition
// with filetranspiler; here the fake root under this folder is read at synth, links dereferenced
// (the path is relative to the project root, where `cdk8s synth` and the tests run).
// Apply the output with `oc create -f` (day 2), or set applyDirectly: false and embed
// `kmod.machineConfig.toYaml()` in the installation's extra manifests (day 1).
import { App, Chart } from 'cdk8s';
import { KernelModule } from '../../lib/openshift/kernel-module';

export function build(app: App): Chart {
  // MachineConfigs are cluster-scoped: the chart sets no namespace.
  const site = new Chart(app, 'kmod-machineconfig');

  // The out-of-tree module of the seed: 10-worker-kvc-simple-kmod.
  new KernelModule(site, 'SimpleKmod', {
    role: 'worker',
    name: 'simple-kmod',
    outOfTree: { tree: 'examples/kmod-machineconfig/fakeroot' },
  });

  // An in-tree module with a parameter: 50-worker-kmod-ip-vs.
  new KernelModule(site, 'IpVs', {
    role: 'worker',
    name: 'ip_vs',
    options: { conn_tab_bits: 15 },
  });

  return site;
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
