// A fleet from an inventory file. The command-line tool does this for a whole fleet, one folder
// per site, on every core:
//
//   cdk8s-baremetal synth --inventory examples/fleet-inventory/sites.csv --output dist
//
// In code, each site of the inventory becomes a chart (namespace site-<name>) built by its kind.
import { join } from 'node:path';
import { App, Chart } from 'cdk8s';
import { buildSite, loadInventory } from '../../lib';
import { packageRoot } from '../../lib/private/package-root';

export function build(app: App): Chart[] {
  const sites = loadInventory([join(packageRoot(), 'examples', 'fleet-inventory', 'sites.yaml')]);
  return sites.map((site) => buildSite(app, site));
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
