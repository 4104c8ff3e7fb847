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

describe('validateClusterNetwork: network boundaries', () => {
  test('fails when the endpoint is inside a service CIDR', () => {
    // GIVEN an endpoint outside the pod CIDR but inside the service CIDR
    // WHEN / THEN it is refused, naming the service block
    expect(() => validateClusterNetwork({}, '10.96.0.1', 6443, where)).toThrow(
      /'controlPlaneEndpoint' is inside the cluster CIDR 10\.96\.0\.0\/12/,
    );
    // AND the address just past the service block is accepted
    expect(validateClusterNetwork({}, '10.112.0.0', 6443, where).endpointHost).toBe('10.112.0.0');
  });

  test('fails when the endpoint is inside a pod CIDR, at its last address', () => {
    expect(() => validateClusterNetwork({}, '192.168.63.255', 6443, where)).toThrow(
      /'controlPlaneEndpoint' is inside the cluster CIDR 192\.168\.0\.0\/18/,
    );
    expect(validateClusterNetwork({}, '192.168.64.0', 6443, where).endpointHost).toBe('192.168.64.0');
  });

  test('fails when the endpoint is inside the second-family service CIDR of a dual stack', () => {
    const dual = { podCidrs: ['10.42.0.0/16', 'fd00:42::/56'], serviceCidrs: ['10.43.0.0/16', 'fd00:43::/112'] };
    expect(() => validateClusterNetwork(dual, 'fd00:43::10', 6443, where)).toThrow(
      /'controlPlaneEndpoint' is inside the cluster CIDR fd00:43::\/112/,
    );
  });

  test('fails when pod and service networks overlap', () => {
    // GIVEN a service block inside the pod block
    expect(() =>
      validateClusterNetwork({ podCidrs: ['10.42.0.0/16'], serviceCidrs: ['10.42.128.0/17'] }, '10.0.0.1', 6443, where),
    ).toThrow(/'serviceCidrs' 10\.42\.128\.0\/17 overlaps the pod CIDR 10\.42\.0\.0\/16/);
    // AND adjacent, disjoint blocks are accepted
    expect(
      validateClusterNetwork(
        { podCidrs: ['10.42.0.0/16'], serviceCidrs: ['10.43.0.0/16'] },
        '10.0.0.1',
        6443,
        where,
      ).serviceCidrs.map(String),
    ).toEqual(['10.43.0.0/16']);
  });

  test('fails when the IPv6 blocks of a dual stack overlap', () => {
    expect(() =>
      validateClusterNetwork(
        { podCidrs: ['10.42.0.0/16', 'fd00:42::/56'], serviceCidrs: ['10.43.0.0/16', 'fd00:42::/112'] },
        '10.0.0.1',
        6443,
        where,
      ),
    ).toThrow(/'serviceCidrs' fd00:42::\/112 overlaps the pod CIDR fd00:42::\/56/);
  });

  test('fails when a list holds two blocks of one family', () => {
    expect(() =>
      validateClusterNetwork({ podCidrs: ['10.42.0.0/16', '10.44.0.0/16'] }, '10.0.0.1', 6443, where),
    ).toThrow(/'podCidrs' holds two blocks of the same family/);
    expect(() =>
      validateClusterNetwork(
        { podCidrs: ['10.42.0.0/16', 'fd00:42::/56'], serviceCidrs: ['fd00:43::/112', 'fd00:44::/112'] },
        '10.0.0.1',
        6443,
        where,
      ),
    ).toThrow(/'serviceCidrs' holds two blocks of the same family/);
  });

  test('fails when the lists differ in length or family order', () => {
    expect(() =>
      validateClusterNetwork(
        { podCidrs: ['10.42.0.0/16', 'fd00:42::/56'], serviceCidrs: ['10.43.0.0/16'] },
        '10.0.0.1',
        6443,
        where,
      ),
    ).toThrow(/'serviceCidrs' has 1 block\(s\) while podCidrs has 2/);
    expect(() =>
      validateClusterNetwork(
        { podCidrs: ['10.42.0.0/16', 'fd00:42::/56'], serviceCidrs: ['fd00:43::/112', '10.43.0.0/16'] },
        '10.0.0.1',
        6443,
        where,
      ),
    ).toThrow(/'serviceCidrs' lists ipv6 where podCidrs lists ipv4 at position 0/);
  });

  test('fails when the endpoint is of the wrong family', () => {
    // GIVEN an IPv4-primary dual stack and an IPv6 endpoint
    const dual = { podCidrs: ['10.42.0.0/16', 'fd00:42::/56'], serviceCidrs: ['10.43.0.0/16', 'fd00:43::/112'] };
    expect(() => validateClusterNetwork(dual, 'fd00:1::10', 6443, where)).toThrow(
      /'controlPlaneEndpoint' is ipv6 but the primary cluster family is ipv4/,
    );
    // AND the single-stack IPv4 default with an IPv6 endpoint
    expect(() => validateClusterNetwork({}, 'fd00:1::10', 6443, where)).toThrow(
      /'controlPlaneEndpoint' is ipv6 but the primary cluster family is ipv4/,
    );
    expect(validateClusterNetwork(dual, '10.0.0.1', 6443, where)).toMatchObject({
      primaryFamily: 'ipv4',
      dualStack: true,
    });
  });

  test('fails when the endpoint is neither an address nor a DNS name', () => {
    expect(() => validateClusterNetwork({}, 'api_server!', 6443, where)).toThrow(
      /'controlPlaneEndpoint' is neither an IP address nor a DNS name/,
    );
  });

  test('accepts the port limits and refuses one step past them', () => {
    expect(validateClusterNetwork({}, '192.168.200.80', 1, where).endpointPort).toBe(1);
    expect(validateClusterNetwork({}, '192.168.200.80', 65535, where).endpointPort).toBe(65535);
    expect(() => validateClusterNetwork({}, '192.168.200.80', 0, where)).toThrow(/'controlPlaneEndpointPort'/);
    expect(() => validateClusterNetwork({}, '192.168.200.80', 65536, where)).toThrow(/'controlPlaneEndpointPort'/);
  });
});

describe('validateClusterNetwork: every refusal says what to do', () => {
  const dual = { podCidrs: ['10.42.0.0/16', 'fd00:42::/56'], serviceCidrs: ['10.43.0.0/16', 'fd00:43::/112'] };
  test.each([
    [
      'podCidrs not a list',
      { podCidrs: 'x' as never },
      '10.0.0.1',
      /'podCidrs' must be a list .*; pass a list of one or two CIDR blocks$/,
    ],
    ['podCidrs empty', { podCidrs: [] }, '10.0.0.1', /; give one IPv4 or IPv6 block, or one of each$/],
    [
      'two IPv4 pod blocks',
      { podCidrs: ['10.42.0.0/16', '10.44.0.0/16'] },
      '10.0.0.1',
      /; dual stack needs one IPv4 and one IPv6 block$/,
    ],
    [
      'lists of different length',
      { podCidrs: dual.podCidrs, serviceCidrs: ['10.43.0.0/16'] },
      '10.0.0.1',
      /; give both lists one block per family \(one for single stack, two for dual stack\)$/,
    ],
    [
      'lists in different family order',
      { podCidrs: dual.podCidrs, serviceCidrs: ['fd00:43::/112', '10.43.0.0/16'] },
      '10.0.0.1',
      /; order both lists by the same family, primary family first$/,
    ],
    [
      'overlapping networks',
      { podCidrs: ['10.42.0.0/16'], serviceCidrs: ['10.42.0.0/17'] },
      '10.0.0.1',
      /; pick disjoint pod and service networks$/,
    ],
    [
      'endpoint not a string',
      {},
      42,
      /'controlPlaneEndpoint' must be a string .*; pass the IP address or DNS name of the API server$/,
    ],
    ['endpoint inside a CIDR', {}, '10.96.0.1', /; pick an address in the machine network$/],
    [
      'endpoint of the wrong family',
      dual,
      'fd00:1::1',
      /; use an endpoint of the family listed first in podCidrs and serviceCidrs$/,
    ],
    [
      'endpoint neither address nor name',
      {},
      'api_server!',
      /; pass an address such as 192\.168\.200\.80 or a name such as api\.edge\.example$/,
    ],
  ])('%s', (_case, options, endpoint, message) => {
    expect(() => validateClusterNetwork(options, endpoint, 6443, where)).toThrow(message);
  });
});
