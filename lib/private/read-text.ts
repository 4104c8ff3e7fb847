// Large text files (a fleet's caches are tens of MB) read as strings, faster.
import { isAscii } from 'node:buffer';
import { readFileSync } from 'node:fs';

/**
 * `readFileSync(path, 'utf8')`, faster for a large file that is plain ASCII (the caches a fleet
 * writes are: JSON escapes nothing else there, but names may not be): decoded as Latin-1, which for
 * ASCII bytes is the same text without UTF-8 validation. Throws as `readFileSync` does.
 */
export function readText(path: string): string {
  const bytes = readFileSync(path);
  return isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
}
