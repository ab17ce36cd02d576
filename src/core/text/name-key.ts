/**
 * The one rule by which Parley compares the names people type: skill names, login names and
 * survey names (docs/live-chat.md, "Names"). Two names are the same name when their keys are
 * equal: Unicode NFC (a browser sends `Café` composed, a configuration tool may have stored it
 * decomposed), surrounding white space removed, lower case. The database stores the key of
 * skill and login names (`skills.name_key`, `users.login_key`), so a lookup by name is an
 * equality on the key; repositories take a `NameKey`, never a raw name, so a caller cannot skip
 * the rule.
 */
export type NameKey = string & { readonly __brand: 'NameKey' }

/** The key of a name (see `NameKey`). */
export function nameKey(name: string): NameKey {
  return name.normalize('NFC').trim().toLowerCase() as NameKey
}

/** Whether two names are the same name under `nameKey`. */
export const sameName = (a: string, b: string): boolean => nameKey(a) === nameKey(b)
