import { validateClusterNetwork } from '../../lib/clusters/cluster-network';
import { BaremetalValidationError } from '../../lib/errors';

const where = { path: 'site/C', prop: 'props' };

describe('validateClusterNetwork', () => {
  test('uses the SUSE Edge defaults and the endpoint port', () => {
    const n = validateClusterNetwork({}, '192.168.200.80', 6443, where);
    expect(n.podCidrs.map(String)).toEqual(['192.168.0.0/18']);
    expect(n.serviceCidrs.map(String)).toEqual(['10.96.0.0/12']);
    expect(n).toMatchObject({
      primaryFamily: 'ipv4',
      dualStack: false,
      endpointHost: '192.168.200.80',
      endpointPort: 6443,
    });
  });

  test('accepts an IPv6-primary dual stack with an IPv6 endpoint in canonical form', () => {
    const n = validateClusterNetwork(
      { podCidrs: ['fd00:bad:cafe::/48', '192.168.0.0/18'], serviceCidrs: ['fd00:bad:bad:cafe::/112', '10.96.0.0/12'] },
      'FD00:0100::0010',
      6443,
      where,
    );
    expect(n).toMatchObject({ primaryFamily: 'ipv6', dualStack: true, endpointHost: 'fd00:100::10' });
  });

  test('accepts a DNS name as endpoint', () => {
    expect(validateClusterNetwork({}, 'api.edge-01.example.com', 6443, where).endpointAddress).toBeUndefined();
  });

  test('fails when a list is empty or too long', () => {
    expect(() => validateClusterNetwork({ podCidrs: [] }, '10.0.0.1', 6443, where)).toThrow(
      /'podCidrs' must hold one CIDR/,
    );
    expect(() =>
      validateClusterNetwork({ podCidrs: ['10.1.0.0/16', 'fd00::/48', '10.2.0.0/16'] }, '10.0.0.1', 6443, where),
    ).toThrow(/'podCidrs' must hold one CIDR/);
  });

  test('fails when a CIDR has host bits set, naming its position', () => {
    expect(() => validateClusterNetwork({ podCidrs: ['10.1.0.1/16'] }, '10.0.0.1', 6443, where)).toThrow(
      /'podCidrs\[0\]'/,
    );
  });

  test('fails when the port is out of range', () => {
    expect(() => validateClusterNetwork({}, '192.168.200.80', 70000, where)).toThrow(
      /'controlPlaneEndpointPort' must be an integer from 1 to 65535/,
    );
  });

  test('fails with its own error type for non-string input', () => {
    expect(() => validateClusterNetwork({ podCidrs: 'x' as never }, '1.1.1.1', 6443, where)).toThrow(
      BaremetalValidationError,
    );
    expect(() => validateClusterNetwork({}, 42, 6443, where)).toThrow(/'controlPlaneEndpoint' must be a string/);
  });
});
