/**
 * The value of a parsed YAML document, or the reason it has none: the parser accepts an alias
 * without its anchor or an alias bomb, building the value does not. The reason is the first line
 * of the yaml package's message.
 */
export function documentValue<T = unknown>(doc: { toJS(): unknown }): { value?: T; error?: string } {
  try {
    return { value: doc.toJS() as T };
  } catch (e) {
    return { error: (e as Error).message.split('\n')[0] };
  }
}
