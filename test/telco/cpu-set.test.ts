import * as fc from 'fast-check';
import { BaremetalValidationError } from '../../lib/errors';
import { CpuSet } from '../../lib/telco/cpu-set';
import { RUNS, SEED } from '../arbitraries';

describe('CpuSet', () => {
  test('parses ranges and singles and prints the canonical form', () => {
    expect(CpuSet.parse('33-62, 1-30').toString()).toBe('1-30,33-62');
    expect(CpuSet.parse('63,0,31,32').toString()).toBe('0,31,32,63');
    expect(CpuSet.parse('5,4,3').toString()).toBe('3-5');
  });

  test('set operations', () => {
    const a = CpuSet.parse('0-7');
    const b = CpuSet.parse('4-11');
    expect(a.union(b).toString()).toBe('0-11');
    expect(a.difference(b).toString()).toBe('0-3');
    expect(a.intersection(b).toString()).toBe('4-7');
    expect(a.isDisjoint(CpuSet.parse('8-9'))).toBe(true);
    expect(a.contains(CpuSet.parse('1,2'))).toBe(true);
    expect(a.contains(b)).toBe(false);
    expect(CpuSet.range(64).difference(CpuSet.parse('1-30,33-62')).toString()).toBe('0,31,32,63');
    expect(a.size).toBe(8);
    expect(a.max).toBe(7);
  });

  test('fails when the list is empty, malformed, reversed or beyond any host', () => {
    expect(() => CpuSet.parse('')).toThrow(/'cpus' is empty/);
    expect(() => CpuSet.parse('1-')).toThrow(/has a malformed part '1-'/);
    expect(() => CpuSet.parse('9-3')).toThrow(/has a reversed range 9-3 .*; write 3-9/);
    expect(() => CpuSet.parse('0-9000')).toThrow(/beyond any real host/);
    expect(() => CpuSet.parse(12 as never)).toThrow(/must be a string/);
  });

  test('round-trips and never throws anything but the library error', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 300 }), { minLength: 1, maxLength: 40 }), (cpus) => {
        const set = CpuSet.parse(cpus.join(','));
        expect(CpuSet.parse(set.toString()).toArray()).toEqual([...new Set(cpus)].sort((x, y) => x - y));
      }),
      { numRuns: RUNS, seed: SEED },
    );
    fc.assert(
      fc.property(fc.string(), (s) => {
        try {
          CpuSet.parse(s);
        } catch (e) {
          expect(e).toBeInstanceOf(BaremetalValidationError);
        }
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });
});
