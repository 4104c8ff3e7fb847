import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { Cidr } from '../../lib/net/cidr';
import { IpAddress } from '../../lib/net/ip-address';
import {
  claimObjectName,
  compareAddresses,
  formatInterfaceAddress,
  lastAddress,
  parseInterfaceAddress,
  validateDomainName,
} from '../../lib/multus/internal';
import { testChart } from '../util';

const where = { path: 'test', prop: 'x' };

describe('validateDomainName', () => {
  test('accepts domains, with or without the trailing dot', () => {
    expect(validateDomainName('example.com', where)).toBe('example.com');
    expect(validateDomainName('cluster.local.', where)).toBe('cluster.local.');
  });

  test('fails when a label is bad or the name is empty', () => {
    for (const d of ['', 'a..b', '-a.com', 'a_b.com']) {
      expect(() => validateDomainName(d, where)).toThrow(/'x' is not a domain name/);
    }
  });
});

describe('parseInterfaceAddress', () => {
  test('parses address and prefix, and formats them back', () => {
    const a = parseInterfaceAddress('10.0.10.93/24', where);
    expect(a.prefixLength).toBe(24);
    expect(a.subnet.toString()).toBe('10.0.10.0/24');
    expect(formatInterfaceAddress(a)).toBe('10.0.10.93/24');
    expect(formatInterfaceAddress(parseInterfaceAddress('fd00::5/64', where))).toBe('fd00::5/64');
  });

  test('fails without a prefix or with a bad one', () => {
    expect(() => parseInterfaceAddress('10.0.10.93', where)).toThrow(/has no prefix length/);
    expect(() => parseInterfaceAddress('10.0.10.93/33', where)).toThrow(
      /prefix length that is not a whole number from 0 to 32/,
    );
    expect(() => parseInterfaceAddress('10.0.10.93/024', where)).toThrow(/prefix length/);
  });

  test('fails for addresses an interface cannot own', () => {
    expect(() => parseInterfaceAddress('0.0.0.0/0', where)).toThrow(/is not an address an interface can own/);
    expect(() => parseInterfaceAddress('127.0.0.1/8', where)).toThrow(/is not an address an interface can own/);
    expect(() => parseInterfaceAddress('224.0.0.1/4', where)).toThrow(/is not an address an interface can own/);
    expect(() => parseInterfaceAddress('10.0.10.0/24', where)).toThrow(/is the network address of 10.0.10.0\/24/);
    expect(() => parseInterfaceAddress('10.0.10.255/24', where)).toThrow(/is the broadcast address of 10.0.10.0\/24/);
  });
});

describe('compareAddresses and lastAddress', () => {
  test('order addresses numerically', () => {
    expect(compareAddresses(IpAddress.parse('10.0.0.9'), IpAddress.parse('10.0.0.10'))).toBeLessThan(0);
    expect(compareAddresses(IpAddress.parse('10.0.0.10'), IpAddress.parse('10.0.0.10'))).toBe(0);
    expect(compareAddresses(IpAddress.parse('fd00::2'), IpAddress.parse('fd00::1'))).toBeGreaterThan(0);
  });

  test('give the last address of a network', () => {
    expect(lastAddress(Cidr.parse('10.0.10.0/24')).toString()).toBe('10.0.10.255');
    expect(lastAddress(Cidr.parse('fd00::/120')).toString()).toBe('fd00::ff');
  });
});

describe('claimObjectName', () => {
  test('lets the same owner claim twice and refuses another owner', () => {
    const { chart } = testChart();
    const a = new Construct(chart, 'A');
    claimObjectName(a, 'ConfigMap/ns/x', { path: 'test/A', prop: 'name' }, 'A');
    expect(() => claimObjectName(a, 'ConfigMap/ns/x', { path: 'test/A', prop: 'name' }, 'A')).not.toThrow();
    expect(() => claimObjectName(chart, 'ConfigMap/ns/x', { path: 'test/B', prop: 'name' }, 'B')).toThrow(
      /\[test\/B\] 'name' names the same object as \[test\/A\] 'name'/,
    );
  });

  test('keeps charts apart', () => {
    const { app, chart } = testChart();
    claimObjectName(chart, 'ConfigMap/ns/x', where, 'A');
    expect(() => claimObjectName(new Chart(app, 'other'), 'ConfigMap/ns/x', where, 'B')).not.toThrow();
  });
});
