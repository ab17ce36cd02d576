/**
 * Text both databases store and give back unchanged: no U+0000 (PostgreSQL refuses it in `text`
 * and `jsonb`) and no unpaired UTF-16 surrogate (it has no UTF-8 form). Code units are matched
 * on purpose (no `u` flag): that is where an unpaired surrogate shows.
 */
// eslint-disable-next-line no-control-regex -- U+0000 is exactly what this looks for
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/** Whether `text` can be stored and read back unchanged by both databases. */
export const isStorableText = (text: string): boolean => !UNSTORABLE.test(text)

/** `text` made storable: NUL as `\0`, unpaired surrogates as U+FFFD (for messages Parley writes itself). */
export const toStorableText = (text: string): string =>
  text.replace(new RegExp(UNSTORABLE.source, 'g'), (match) => (match === '\u0000' ? '\\0' : '\uFFFD'))
