import { ChangeRisk, FieldChange, ObjectChange } from './plan';

/** Options of {@link formatPlanMarkdown}. */
export interface PlanMarkdownOptions {
  /**
   * Most characters of the comment; changes past it are counted, not shown. GitHub takes 65,536
   * characters in a pull-request comment, GitLab 1,000,000.
   * @default 60000
   */
  readonly maxChars?: number;
  /**
   * Most characters of one old or new value.
   * @default 120
   */
  readonly maxValueChars?: number;
}

const TITLES: Record<ChangeRisk, string> = {
  rejected: 'Rejected by a controller',
  disruptive: 'Disruptive',
  safe: 'Other changes',
};

/** A Markdown code span that survives backticks in the text. */
function code(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((t) => t.length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') || text === '' ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** Secret values never reach a comment: a Secret's `data` and `stringData` show as changed, not their contents. */
function isSecretValue(change: ObjectChange, field: FieldChange): boolean {
  return change.id.startsWith('Secret/') && /^(data|stringData)(\.|$)/.test(field.path);
}

function value(v: unknown, max: number): string {
  if (v === undefined) return '_(absent)_';
  const text = JSON.stringify(v).replace(/\s+/g, ' ');
  return code(text.length > max ? `${text.slice(0, max - 1)}…` : text);
}

function entry(c: ObjectChange, max: number): string {
  const lines = [`- **${c.action}** ${code(c.id)}`];
  for (const f of c.fields) {
    lines.push(
      isSecretValue(c, f)
        ? `  - ${code(f.path)}: _(Secret value changed; not shown)_`
        : `  - ${code(f.path)}: ${value(f.before, max)} → ${value(f.after, max)}`,
    );
  }
  for (const a of c.advice) lines.push(`  - **What to do:** ${a.replace(/\n/g, ' ')}`);
  return lines.join('\n');
}

/**
 * The plan as Markdown for a pull-request comment: a summary line, then the changes a controller
 * would reject, then the disruptive ones, then the rest in a collapsed list; each with the object,
 * the fields (old → new) and what to do. Ordered by risk, then object, then field, so that the same
 * change always reads the same. Past `maxChars` the remaining changes are counted, not shown. Secret
 * data never appears.
 */
export function formatPlanMarkdown(changes: readonly ObjectChange[], options: PlanMarkdownOptions = {}): string {
  const maxChars = options.maxChars ?? 60000;
  const maxValue = options.maxValueChars ?? 120;
  const count = (r: ChangeRisk) => changes.filter((c) => c.risk === r).length;
  const summary =
    changes.length === 0
      ? '**Plan:** no object differs.'
      : `**Plan:** ${changes.length} object(s) differ: **${count('rejected')} rejected** by a controller, ` +
        `**${count('disruptive')} disruptive**, ${count('safe')} other.`;
  const out: string[] = [summary];
  let size = summary.length;
  let hidden = 0;
  const tail = (n: number) =>
    `\n_${n} more change(s) not shown: the comment would be too long. Run \`cdk8s-baremetal plan\` for all of them._`;
  // Room kept for the closing lines (the truncation note and a closing </details>).
  const reserve = tail(changes.length).length + 20;
  for (const risk of ['rejected', 'disruptive', 'safe'] as const) {
    const group = changes.filter((c) => c.risk === risk).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    if (group.length === 0) continue;
    const collapsed = risk === 'safe';
    const head = collapsed
      ? `\n<details><summary>${TITLES[risk]} (${group.length})</summary>\n`
      : `\n### ${TITLES[risk]} (${group.length})\n`;
    // A heading is shown only with at least its first change under it.
    if (hidden > 0 || size + head.length + 1 + entry(group[0], maxValue).length + 1 + reserve > maxChars) {
      hidden += group.length;
      continue;
    }
    out.push(head);
    size += head.length + 1;
    for (const c of group) {
      const text = entry(c, maxValue);
      if (hidden > 0 || size + text.length + 1 + reserve > maxChars) {
        hidden++;
        continue;
      }
      out.push(text);
      size += text.length + 1;
    }
    if (collapsed) out.push('\n</details>');
  }
  if (hidden > 0) out.push(tail(hidden));
  return `${out.join('\n')}\n`;
}
