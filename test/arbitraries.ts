import * as fc from 'fast-check';
import { SecretRef } from '../lib/core/secret-ref';
import { BaremetalValidationError } from '../lib/errors';
import { Bmc } from '../lib/metal3/bmc';
import { NetworkData } from '../lib/metal3/network-data';
import { OsImage } from '../lib/metal3/os-image';

/** Runs per property: a few in `npm test`, many in `npm run fuzz` (FUZZ_RUNS). */
export const RUNS = Number(process.env.FUZZ_RUNS ?? 200);

/** A fixed seed in `npm test` keeps the suite deterministic; `npm run fuzz` explores new seeds. */
export const SEED = process.env.FUZZ_RUNS ? undefined : 20261122;

/** A value of any type, to stand in for what a careless caller or an inventory file may pass. */
export const garbage = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.integer(),
  fc.string(),
  fc.object(),
  fc.array(fc.string(), { maxLength: 3 }),
);

/** Mostly plausible, sometimes wrong. */
export function mostly<T>(good: fc.Arbitrary<T>, oneIn = 20): fc.Arbitrary<T> {
  return fc.oneof({ weight: oneIn - 1, arbitrary: good }, { weight: 1, arbitrary: garbage as fc.Arbitrary<T> });
}

const octet = fc.integer({ min: 0, max: 255 });
export const ipv4 = fc
  .tuple(fc.constantFrom(10, 172, 192), octet, octet, fc.integer({ min: 1, max: 254 }))
  .map((p) => p.join('.'));
export const ipv6 = fc
  .tuple(fc.constantFrom('fd00', 'fd00:bad', '2001:db8'), fc.integer({ min: 1, max: 0xffff }))
  .map(([p, x]) => `${p}::${x.toString(16)}`);
export const mac = fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 6, maxLength: 6 }).map((bytes: number[]) => {
  const b = [...bytes];
  b[0] = b[0] & 0xfe; // unicast
  if (!b.some((x) => x !== 0)) b[5] = 1;
  return b.map((x) => x.toString(16).padStart(2, '0')).join(':');
});
export const label = fc.stringMatching(/^[a-z]([a-z0-9-]{0,20}[a-z0-9])?$/);
export const cidr = fc.constantFrom(
  '192.168.0.0/18',
  '10.96.0.0/12',
  '10.42.0.0/16',
  '172.16.0.0/16',
  'fd00:bad:cafe::/48',
  'fd00:bad:bad:cafe::/112',
  '10.0.0.0/8',
  '10.0.0.1/8',
);
/** Pod and service CIDR lists: mostly a consistent pair (single or dual stack), sometimes anything. */
export const clusterNetworks = fc.oneof(
  { weight: 3, arbitrary: fc.constant({}) },
  {
    weight: 5,
    arbitrary: fc.constantFrom(
      { podCidrs: ['192.168.0.0/18'], serviceCidrs: ['10.96.0.0/12'] },
      { podCidrs: ['10.42.0.0/16'], serviceCidrs: ['10.43.0.0/16'] },
      { podCidrs: ['192.168.0.0/18', 'fd00:bad:cafe::/48'], serviceCidrs: ['10.96.0.0/12', 'fd00:bad:bad:cafe::/112'] },
    ),
  },
  {
    weight: 2,
    arbitrary: fc.record(
      { podCidrs: fc.array(cidr, { maxLength: 3 }), serviceCidrs: fc.array(cidr, { maxLength: 3 }) },
      { requiredKeys: [] },
    ),
  },
);
export const rke2Version = mostly(fc.constantFrom('v1.32.4+rke2r1', 'v1.31.1+rke2r2', 'v1.33.0+rke2r1'));

/** A BMC built by the library, or (one in `oneIn`) anything. */
export function bmcArb(oneIn = 20): fc.Arbitrary<Bmc> {
  return mostly(
    fc
      .tuple(ipv4, fc.constantFrom('1', 'System.Embedded.1'))
      .map(([h, id]) => Bmc.redfishVirtualMedia(h, id, SecretRef.fromName('bmc'))),
    oneIn,
  );
}

/** Host facts, sometimes with static networking on the boot NIC; each field wrong one in `oneIn`. */
export function hostArb(oneIn = 20): fc.Arbitrary<any> {
  const hints = fc.oneof(fc.constant({ deviceName: '/dev/sda' }), fc.constant({ minSizeGigabytes: 100 }));
  return fc
    .record({
      name: mostly(label, oneIn),
      bootMACAddress: mostly(mac, oneIn),
      bmc: bmcArb(oneIn),
      address: fc.option(fc.tuple(ipv4, fc.integer({ min: 8, max: 30 })), { nil: undefined }),
      rootDeviceHints: fc.option(mostly(hints, oneIn), { nil: undefined }),
      bootMode: fc.option(mostly(fc.constantFrom('UEFI', 'UEFISecureBoot', 'legacy'), oneIn), { nil: undefined }),
    })
    .map(({ address, ...h }) => {
      let networkData: NetworkData | undefined;
      if (address && typeof h.bootMACAddress === 'string') {
        try {
          networkData = NetworkData.nmstate({
            interfaces: [
              {
                type: 'ethernet',
                name: 'eth0',
                macAddress: h.bootMACAddress,
                ipv4: { addresses: [`${address[0]}/${address[1]}`] },
              },
            ],
          });
        } catch (e) {
          if (!(e instanceof BaremetalValidationError)) throw e;
        }
      }
      return { ...h, ...(networkData ? { networkData } : {}) };
    });
}

/** Host facts with the default noise. */
export const host = hostArb();

export const image: fc.Arbitrary<OsImage> = mostly(
  fc.constant(OsImage.fromUrl('http://imagecache.local:8080/eibimage-output-telco.raw')),
);

/**
 * The property every public construct must have: building it either succeeds, and then synthesis
 * passes every schema check and writes no `undefined`, or it throws the library's own error.
 */
export function acceptsOrRefuses(build: () => string, refusals?: Map<string, number>): 'accepted' | 'refused' {
  let yaml: string;
  try {
    yaml = build();
  } catch (e) {
    if (e instanceof BaremetalValidationError) {
      const key = `'${e.prop}' ${e.message.replace(/^\[[^\]]*\] '[^']*' /, '').replace(/ \(got[\s\S]*$/, '')}`;
      refusals?.set(key, (refusals.get(key) ?? 0) + 1);
      return 'refused';
    }
    throw e;
  }
  if (/\bundefined\b|\bNaN\b|\[object Object\]/.test(yaml)) {
    throw new Error(`output holds undefined/NaN/[object Object]:\n${yaml}`);
  }
  return 'accepted';
}

/**
 * Checks {@link acceptsOrRefuses} over `arb`, and that enough inputs were accepted for the
 * property to prove something about valid output.
 */
export function checkConstruct<T>(arb: fc.Arbitrary<T>, build: (props: T) => string, minAccepted = 0.05): void {
  const outcomes = { accepted: 0, refused: 0 };
  const refusals = new Map<string, number>();
  fc.assert(
    fc.property(arb, (p) => {
      outcomes[acceptsOrRefuses(() => build(p), refusals)]++;
    }),
    { numRuns: RUNS, seed: SEED },
  );
  if (process.env.FUZZ_REPORT) {
    const top = [...refusals.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8);
    console.log(
      `${expect.getState().currentTestName}: ${JSON.stringify(outcomes)}\n${top.map(([k, v]) => `  ${v} ${k}`).join('\n')}`,
    );
  }
  if (outcomes.accepted < minAccepted * RUNS) {
    throw new Error(
      `only ${outcomes.accepted} of ${RUNS} random inputs were accepted; the generator proves too little`,
    );
  }
}

/**
 * Strings that YAML 1.1 (Kubernetes, go-yaml v2) or YAML 1.2 (Kustomize, nmstate) read as
 * something else when written plain, with other text around them.
 */
export const yamlHostileString = fc.oneof(
  fc.constantFrom(
    ...['on', 'off', 'yes', 'no', 'y', 'n', 'Y', 'N', 'On', 'OFF', 'Yes', 'NO', 'true', 'False', 'TRUE'],
    ...['null', 'Null', '~', '', '1_000', '+685_230', '1:30', '190:20:30', '52:54:00:16:00:11', '0o17', '017'],
    ...[
      '0x1F',
      '0b1010',
      '.inf',
      '-.Inf',
      '.NaN',
      '1e3',
      '6.8523015e+5',
      '.5',
      '2001-12-14',
      '2001-12-14t21:59:43.10-05:00',
    ],
    ...['<<', '=', '- a', '? x', '#c', 'a: b', '"q"', "'s'", 'x\n', ' lead', 'trail ', '0', '-0', '+1'],
  ),
  fc.string({ maxLength: 12 }),
  fc
    .array(fc.constantFrom('o', 'n', 'y', 'e', 's', 'f', '0', '1', '_', ':', '.', '-', '+', 'x', 'b', 'i'), {
      maxLength: 8,
    })
    .map((a) => a.join('')),
);

/** A map of YAML-hostile strings, nested maps and lists of them, as keys and values. */
export const yamlStringMap: fc.Arbitrary<Record<string, unknown>> = fc.letrec((tie) => ({
  map: fc.dictionary(yamlHostileString, tie('value'), { maxKeys: 5 }),
  value: fc.oneof({ depthSize: 'small' }, yamlHostileString, tie('map'), fc.array(yamlHostileString, { maxLength: 3 })),
})).map as fc.Arbitrary<Record<string, unknown>>;

/** A ConfigMap whose data are YAML-hostile strings. */
export const hostileConfigMap = fc.dictionary(yamlHostileString, yamlHostileString, { maxKeys: 8 }).map((data) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'hostile', namespace: 'default' },
  data: { ...data }, // a plain prototype, as user code builds objects
}));
