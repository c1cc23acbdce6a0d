// Kubernetes' $(VAR) expansion (upstream third_party/forked/golang/expansion), used for env
// values, command and args: `$(NAME)` becomes the variable's value when NAME is defined and is
// left untouched otherwise; `$$` escapes a `$` (so `$$(NAME)` yields the literal `$(NAME)`).
// A `$` followed by anything else is kept as is. Pure.
export function expand(input: string, lookup: (name: string) => string | undefined): string {
  let out = '';
  for (let i = 0; i < input.length; i++) {
    const ch = input[i]!;
    if (ch !== '$' || i + 1 >= input.length) { out += ch; continue; }
    const next = input[i + 1]!;
    if (next === '$') { out += '$'; i++; continue; }
    if (next === '(') {
      const close = input.indexOf(')', i + 2);
      if (close < 0) { out += input.slice(i); break; }
      const name = input.slice(i + 2, close);
      const value = lookup(name);
      out += value !== undefined ? value : `$(${name})`;
      i = close;
      continue;
    }
    out += ch;
  }
  return out;
}

/** A lookup over `NAME=value` pairs where later entries win. */
export function envLookup(env: { name: string; value: string }[]): (name: string) => string | undefined {
  const m = new Map<string, string>();
  for (const e of env) m.set(e.name, e.value);
  return (name) => m.get(name);
}
