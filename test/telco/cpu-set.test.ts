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

describe('CpuSet: limits', () => {
  test('accepts CPU 8191 and refuses 8192, one past the largest CPU number', () => {
    expect(CpuSet.parse('8191').max).toBe(8191);
    expect(() => CpuSet.parse('8192')).toThrow(
      `[CpuSet.parse] 'cpus' names CPU 8192, beyond any real host (got "8192"); use CPU numbers up to 8191`,
    );
    expect(() => CpuSet.parse('8190-8192')).toThrow(/names CPU 8192, beyond any real host/);
  });

  test('a range of one CPU is accepted; a range one step reversed is refused', () => {
    expect(CpuSet.parse('3-3').toArray()).toEqual([3]);
    expect(() => CpuSet.parse('4-3')).toThrow(`[CpuSet.parse] 'cpus' has a reversed range 4-3 (got "4-3"); write 3-4`);
  });

  test('messages of empty and malformed lists say how to write one', () => {
    expect(() => CpuSet.parse('  ')).toThrow(/'cpus' is empty \(got .*\); write a cpu list such as '1-30,33-62'$/);
    expect(() => CpuSet.parse('1,,2')).toThrow(
      `'cpus' has a malformed part '' (got "1,,2"); write numbers and ranges separated by commas, such as '1-30,33-62'`,
    );
    expect(() => CpuSet.parse('1;2')).toThrow(/has a malformed part '1;2'/);
    expect(() => CpuSet.parse('a1')).toThrow(/has a malformed part 'a1'/);
    expect(() => CpuSet.parse('1a')).toThrow(/has a malformed part '1a'/);
    expect(() => CpuSet.parse(7 as never)).toThrow(/must be a string .*; write a cpu list such as '1-30,33-62'/);
  });

  test('the construct path and prop given are named', () => {
    expect(() => CpuSet.parse('x', { path: 'site/T', prop: 'isolatedCpus' })).toThrow(/^\[site\/T\] 'isolatedCpus'/);
  });

  test('parts may carry spaces around them', () => {
    expect(CpuSet.parse(' 1 , 3-4 ').toString()).toBe('1,3,4');
  });

  test('runs of two print as two numbers, runs of three as a range', () => {
    expect(CpuSet.parse('0,1').toString()).toBe('0,1');
    expect(CpuSet.parse('0-2').toString()).toBe('0-2');
    expect(CpuSet.parse('0,1,3,4,5,7').toString()).toBe('0,1,3-5,7');
    expect(CpuSet.parse('0,2,4').toString()).toBe('0,2,4');
  });

  test('the empty set: size 0, max -1, empty; equality compares CPUs', () => {
    const none = CpuSet.range(0);
    expect(none).toMatchObject({ size: 0, max: -1, isEmpty: true });
    expect(none.toString()).toBe('');
    expect(CpuSet.range(1)).toMatchObject({ size: 1, max: 0, isEmpty: false });
    expect(CpuSet.parse('0-3').equals(CpuSet.parse('3,2,1,0'))).toBe(true);
    expect(CpuSet.parse('0-3').equals(CpuSet.parse('0-4'))).toBe(false);
    expect(CpuSet.parse('0-3').isDisjoint(CpuSet.parse('3-5'))).toBe(false);
    expect(CpuSet.parse('0-3').contains(CpuSet.parse('0-3'))).toBe(true);
    expect(CpuSet.parse('0-3').contains(CpuSet.parse('4'))).toBe(false);
  });

  test('toArray is a copy', () => {
    const s = CpuSet.parse('1-3');
    s.toArray().push(9);
    expect(s.toArray()).toEqual([1, 2, 3]);
  });
});
