import { InvalidArgumentError } from 'commander';
import { ExternalPatterns } from '../validation/external-patterns';

/** One `--external` declaration, checked for its form and collected (the option repeats and takes several). */
export function externalArgument(value: string, previous: string[] = []): string[] {
  const problem = ExternalPatterns.problemOf(value);
  if (problem !== undefined) throw new InvalidArgumentError(`${problem}; for example Secret/*-bmc`);
  return [...previous, value];
}
