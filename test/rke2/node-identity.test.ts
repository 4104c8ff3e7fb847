import { parse } from 'yaml';
import { ButaneConfig } from '../../lib/butane/butane-config';
import { addMetal3NodeIdentity, METAL3_PROVIDER_ID_ARG } from '../../lib/rke2/node-identity';

describe('addMetal3NodeIdentity', () => {
  const doc = () => {
    const config = new ButaneConfig();
    addMetal3NodeIdentity(config);
    return parse(config.render());
  };

  test('the kubelet argument carries the placeholder the script replaces', () => {
    expect(METAL3_PROVIDER_ID_ARG).toBe('provider-id=metal3://BAREMETALHOST_UUID');
    const script = doc().storage.files[0].contents.inline as string;
    expect(script).toContain('s/BAREMETALHOST_UUID/$uuid/');
  });

  test('the unit runs once before the RKE2 install and only until bootstrap succeeded', () => {
    const unit = doc().systemd.units[0];
    expect(unit.name).toBe('rke2-preinstall.service');
    expect(unit.enabled).toBe(true);
    expect(unit.contents).toMatch(/^Before=rke2-install.service$/m);
    expect(unit.contents).toMatch(/^ConditionPathExists=!\/run\/cluster-api\/bootstrap-success.complete$/m);
    expect(unit.contents).toMatch(/^Type=oneshot$/m);
    expect(unit.contents).toMatch(/^ExecStart=\/bin\/bash \/etc\/rancher\/rke2\/metal3-node-identity.sh$/m);
  });

  test('the script reads the config drive by label, fails on missing metadata and is idempotent', () => {
    const file = doc().storage.files[0];
    expect(file.mode).toBe(0o700);
    expect(file.path).toBe('/etc/rancher/rke2/metal3-node-identity.sh');
    const script = file.contents.inline as string;
    expect(script).toMatch(/^set -euo pipefail$/m);
    expect(script).toContain('mount -o ro -L config-2');
    expect(script).toContain('jq -er .uuid');
    expect(script).toContain("grep -q '^node-name:'");
  });
});
