import { At, expectString, fail } from '../private/errors';

/** Largest CPU number accepted (Linux's NR_CPUS upper bound on common kernels). */
const MAX_CPU = 8191;

/**
 * A set of CPU numbers in the Linux cpu-list form (`1-30,33-62`), as `isolcpus`, `nohz_full`,
 * `rcu_nocbs`, `irqaffinity` and tuned's `isolated_cores` take it.
 */
export class CpuSet {
  /** Parses a cpu list such as `0,31-32,63`; refuses empty sets, reversed ranges and junk. */
  public static parse(value: unknown, where: At = { path: 'CpuSet.parse', prop: 'cpus' }): CpuSet {
    const text = expectString(value, where, "write a cpu list such as '1-30,33-62'").trim();
    if (text.length === 0) fail(where, 'is empty', value, "write a cpu list such as '1-30,33-62'");
    const cpus = new Set<number>();
    for (const part of text.split(',')) {
      const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
      if (!m)
        fail(
          where,
          `has a malformed part '${part}'`,
          value,
          "write numbers and ranges separated by commas, such as '1-30,33-62'",
        );
      const first = Number(m[1]);
      const last = m[2] === undefined ? first : Number(m[2]);
      if (last < first) fail(where, `has a reversed range ${part}`, value, `write ${last}-${first}`);
      if (last > MAX_CPU)
        fail(where, `names CPU ${last}, beyond any real host`, value, `use CPU numbers up to ${MAX_CPU}`);
      for (let c = first; c <= last; c++) cpus.add(c);
    }
    return new CpuSet(cpus);
  }

  /** CPUs `0` to `count - 1`. */
  public static range(count: number): CpuSet {
    return new CpuSet(Array.from({ length: count }, (_, i) => i));
  }

  private readonly cpus: readonly number[];

  private constructor(cpus: Iterable<number>) {
    this.cpus = [...new Set(cpus)].sort((a, b) => a - b);
  }

  /** Number of CPUs in the set. */
  public get size(): number {
    return this.cpus.length;
  }

  /** Highest CPU number, or -1 for the empty set. */
  public get max(): number {
    return this.cpus.length === 0 ? -1 : this.cpus[this.cpus.length - 1];
  }

  /** True when the set holds no CPU. */
  public get isEmpty(): boolean {
    return this.cpus.length === 0;
  }

  /** The CPU numbers, ascending. */
  public toArray(): number[] {
    return [...this.cpus];
  }

  /** CPUs in either set. */
  public union(other: CpuSet): CpuSet {
    return new CpuSet([...this.cpus, ...other.cpus]);
  }

  /** CPUs in this set and not in `other`. */
  public difference(other: CpuSet): CpuSet {
    const drop = new Set(other.cpus);
    return new CpuSet(this.cpus.filter((c) => !drop.has(c)));
  }

  /** CPUs in both sets. */
  public intersection(other: CpuSet): CpuSet {
    const keep = new Set(other.cpus);
    return new CpuSet(this.cpus.filter((c) => keep.has(c)));
  }

  /** True when no CPU is in both sets. */
  public isDisjoint(other: CpuSet): boolean {
    return this.intersection(other).isEmpty;
  }

  /** True when every CPU of `other` is in this set. */
  public contains(other: CpuSet): boolean {
    return other.difference(this).isEmpty;
  }

  /** True when both sets hold the same CPUs. */
  public equals(other: CpuSet): boolean {
    return this.toString() === other.toString();
  }

  /** Canonical cpu list: ascending, ranges for runs of three or more (`0,2-5,7,8`). */
  public toString(): string {
    const parts: string[] = [];
    let i = 0;
    while (i < this.cpus.length) {
      let j = i;
      while (j + 1 < this.cpus.length && this.cpus[j + 1] === this.cpus[j] + 1) j++;
      if (j - i >= 2) parts.push(`${this.cpus[i]}-${this.cpus[j]}`);
      else for (let k = i; k <= j; k++) parts.push(String(this.cpus[k]));
      i = j + 1;
    }
    return parts.join(',');
  }
}
