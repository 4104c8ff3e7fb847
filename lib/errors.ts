/**
 * The one error type of this library. Its message always reads
 * `[<construct path>] '<prop>' <problem> (got <value>); <what to do>`.
 *
 * A secret value never appears in the message: callers pass `redacted()` as the value instead.
 */
export class BaremetalValidationError extends Error {
  /** Path of the construct (or the name of the value factory) that refused the input. */
  public readonly path: string;
  /** The prop (dotted for nested props: `host.bmc.address`) that holds the bad value. */
  public readonly prop: string;

  constructor(path: string, prop: string, problem: string, got: string, fix: string) {
    super(`[${path}] '${prop}' ${problem} (got ${got}); ${fix}`);
    this.name = 'BaremetalValidationError';
    this.path = path;
    this.prop = prop;
  }
}
