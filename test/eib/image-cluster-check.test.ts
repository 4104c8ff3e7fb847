import { Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { checkImageCarries } from '../../lib/eib/image-cluster-check';
import { Rke2AirGapArtifacts } from '../../lib/eib/rke2-airgap-artifacts';
import { Rke2Version } from '../../lib/rke2/rke2-version';

const cluster = new Construct(Testing.chart(), 'Cluster');
const v = (text: string) => Rke2Version.parse(text);
const airGapImage = {
  description: 'the image of [site/Image] (x.raw)',
  artifacts: Rke2AirGapArtifacts.forRelease('v1.32.4+rke2r1', { cni: { plugin: 'calico', multus: true } }),
};
const facts = { rke2Version: v('v1.32.4+rke2r1'), cni: 'calico', multus: true, airGapped: true } as const;

describe('checkImageCarries', () => {
  test('accepts a cluster that installs what the image carries, and a connected pair', () => {
    expect(() => checkImageCarries(airGapImage, facts, cluster)).not.toThrow();
    expect(() =>
      checkImageCarries(
        { description: 'connected' },
        { ...facts, rke2Version: v('v1.31.7+rke2r2'), airGapped: false },
        cluster,
      ),
    ).not.toThrow();
  });

  test('fails on another release, naming the image', () => {
    expect(() => checkImageCarries(airGapImage, { ...facts, rke2Version: v('v1.32.5+rke2r1') }, cluster)).toThrow(
      /\[test\/Cluster\] 'rke2Version' is v1.32.5\+rke2r1, but the image of \[site\/Image\] \(x.raw\) carries the RKE2 v1.32.4\+rke2r1 artifacts/,
    );
  });

  test('fails on another CNI plugin or Multus setting', () => {
    expect(() => checkImageCarries(airGapImage, { ...facts, cni: 'cilium' }, cluster)).toThrow(
      /'cni' is cilium with Multus, but the image of \[site\/Image\] \(x.raw\) carries the image archives of calico with Multus/,
    );
    expect(() => checkImageCarries(airGapImage, { ...facts, multus: false }, cluster)).toThrow(
      /'cni' is calico without Multus/,
    );
  });

  test('fails when only one side is air-gapped', () => {
    expect(() => checkImageCarries(airGapImage, { ...facts, airGapped: false }, cluster)).toThrow(
      /'airGapped' is false, but the image of \[site\/Image\] \(x.raw\) is the air-gapped variant/,
    );
    expect(() => checkImageCarries({ description: 'the image' }, facts, cluster)).toThrow(
      /'airGapped' is true, but the image is the connected variant and carries no RKE2 artifacts to install from/,
    );
  });
});
