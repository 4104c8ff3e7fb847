import {
  DEFAULT_DISABLED_UNITS,
  EIB_API_VERSIONS,
  EIB_IMAGE_TYPES,
  REQUIRED_PACKAGES,
  TELCO_PACKAGES,
} from '../../lib/eib/edge-image-options';
import * as definition from '../../lib/eib/edge-image-definition';

describe('EdgeImageDefinition options and defaults', () => {
  test("are the seed's (§42.2.2.1, §42.2.2.5)", () => {
    expect(DEFAULT_DISABLED_UNITS).toEqual([
      'rebootmgr',
      'transactional-update.timer',
      'transactional-update-cleanup.timer',
      'fstrim',
      'time-sync.target',
    ]);
    expect(REQUIRED_PACKAGES).toEqual(['jq']);
    expect(TELCO_PACKAGES).toEqual(['dpdk', 'dpdk-tools', 'libdpdk-23', 'pf-bb-config']);
    expect(EIB_API_VERSIONS).toContain('1.2');
    expect(EIB_IMAGE_TYPES).toEqual(['raw', 'iso']);
  });

  test('stay importable from the definition module, as before the split', () => {
    expect(definition.DEFAULT_DISABLED_UNITS).toBe(DEFAULT_DISABLED_UNITS);
    expect(definition.TELCO_PACKAGES).toBe(TELCO_PACKAGES);
  });
});
