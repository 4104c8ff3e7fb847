import { DNS1123_LABEL, K8S_FORMATS } from '../../lib/validation/k8s-formats';

function check(format: string, value: string): boolean {
  const validate = K8S_FORMATS[format].validate as RegExp | ((s: string) => boolean);
  return validate instanceof RegExp ? validate.test(value) : validate(value);
}

describe('Kubernetes formats', () => {
  test.each([
    ['cidr', '10.0.0.0/8', true],
    ['cidr', '10.0.0.0/33', false],
    ['ipv4', '192.168.0.1', true],
    ['ipv4', '192.168.000.1', false],
    ['k8sipsloppy', '192.168.000.1', true],
    ['duration', '1h30m', true],
    ['duration', '3 days', true],
    ['duration', 'soon', false],
    ['datetime', '2024-02-29T10:00:00Z', true],
    ['datetime', '2023-02-29T10:00:00Z', false],
    ['mac', '00:0c:29:3e:3e:3e', true],
    ['mac', '00:0c:29:3e:3e', false],
  ])('%s accepts %s: %s', (format, value, ok) => {
    expect(check(format, value)).toBe(ok);
  });

  test('the DNS-1123 label pattern refuses upper case and a trailing dash', () => {
    expect(new RegExp(DNS1123_LABEL).test('site-1')).toBe(true);
    expect(new RegExp(DNS1123_LABEL).test('Site')).toBe(false);
    expect(new RegExp(DNS1123_LABEL).test('site-')).toBe(false);
  });
});
