// Seed 003: a kernel module for the workers of an OpenShift cluster, delivered by a MachineConfig.
// The seed installs kmods-via-containers and the simple-kmod bundle into a fake root
// (`make install DESTDIR=$FAKEROOT/usr/local CONFDIR=$FAKEROOT/etc/`) and turns it into Ignition
// with filetranspiler; here the fake root under this folder is read at synth, links dereferenced.
// Apply the output with `oc create -f` (day 2), or set applyDirectly: false and embed
// `kmod.machineConfig.toYaml()` in the installation's extra manifests (day 1).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { App, Chart } from 'cdk8s';
import { KernelModule } from '../../lib/openshift/kernel-module';

/** The fake root next to this file, found from the sources or from the compiled example. */
const FAKEROOT = [
  join(__dirname, 'fakeroot'),
  join(__dirname, '..', '..', '..', 'examples', 'kmod-machineconfig', 'fakeroot'),
].find((d) => existsSync(d))!;

export function build(app: App): Chart {
  // MachineConfigs are cluster-scoped: the chart sets no namespace.
  const site = new Chart(app, 'kmod-machineconfig');

  // The out-of-tree module of the seed: 10-worker-kvc-simple-kmod.
  new KernelModule(site, 'SimpleKmod', {
    role: 'worker',
    name: 'simple-kmod',
    outOfTree: { tree: FAKEROOT },
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
