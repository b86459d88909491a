/** One challenge of a WWW-Authenticate header: `Bearer realm="…",service="…",scope="…"`. */
export interface Challenge {
  /** Lowercase: `basic`, `bearer`. */
  readonly scheme: string;
  /** Parameter names lowercased, values unquoted. */
  readonly params: Readonly<Record<string, string>>;
}

const TOKEN = /[!#$%&'*+\-.^_`|~0-9A-Za-z]+/y;
const QUOTED = /"((?:[^"\\]|\\.)*)"/y;
const SPACE = /[\s,]*/y;

/**
 * Parses a WWW-Authenticate value, which may hold several challenges (node joins repeated headers
 * with ", "), so a comma can end a parameter or a challenge: a token followed by '=' is a parameter.
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-11.6.1
 */
export function parseChallenges(value: string): Challenge[] {
  const challenges: Array<{ scheme: string; params: Record<string, string> }> = [];
  let at = 0;
  const match = (re: RegExp): RegExpExecArray | null => {
    re.lastIndex = at;
    const m = re.exec(value);
    if (m) at = re.lastIndex;
    return m;
  };
  while (match(SPACE) && at < value.length) {
    const token = match(TOKEN);
    if (!token) break; // malformed from here on: keep what was understood
    match(/[ \t]*/y);
    const current = challenges[challenges.length - 1];
    if (value[at] !== '=' || !current) {
      challenges.push({ scheme: token[0].toLowerCase(), params: {} });
      continue;
    }
    at++;
    match(/[ \t]*/y);
    const quoted = match(QUOTED);
    const raw = quoted ? quoted[1].replace(/\\(.)/g, '$1') : match(TOKEN)?.[0] ?? '';
    current.params[token[0].toLowerCase()] = raw;
  }
  return challenges;
}
