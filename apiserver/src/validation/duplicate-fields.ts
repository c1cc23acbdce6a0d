// A small streaming scan of raw JSON text that lists every object key with its path, in
// document order, marking keys already seen in the same object. JSON.parse silently keeps the
// last of duplicate keys; Kubernetes' strict decoding reports them (`duplicate field
// "spec.paused"`), so the raw text is needed.
//
// Contract: paths look like the ones upstream prints — `spec.template.spec.containers[0].name`
// (no leading dot, array indexes in brackets, every object key, struct field or map entry,
// joined with '.'). The scan is linear and allocation-light; it assumes text that JSON.parse
// accepted (on malformed input it returns what it found so far and never throws).

export interface JsonKeyOccurrence {
  path: string;
  /** true when the same key appeared earlier in the same object */
  duplicate: boolean;
}

type Frame =
  | { kind: 'object'; path: string; keys: Set<string>; pendingPath: string }
  | { kind: 'array'; path: string; index: number };

const childPath = (parent: string, key: string): string => (parent ? `${parent}.${key}` : key);

/** Every key occurrence in `raw`, in document order. */
export function scanJsonKeys(raw: string): JsonKeyOccurrence[] {
  const out: JsonKeyOccurrence[] = [];
  const stack: Frame[] = [];
  let expectKey = false;
  let i = 0;
  const n = raw.length;

  const valuePath = (): string => {
    const top = stack[stack.length - 1];
    if (!top) return '';
    return top.kind === 'object' ? top.pendingPath : `${top.path}[${top.index}]`;
  };

  while (i < n) {
    const c = raw.charCodeAt(i);
    if (c === 0x22 /* " */) {
      const end = stringEnd(raw, i);
      if (end < 0) return out;
      const top = stack[stack.length - 1];
      if (expectKey && top?.kind === 'object') {
        const key = decodeKey(raw.slice(i, end + 1));
        const path = childPath(top.path, key);
        out.push({ path, duplicate: top.keys.has(key) });
        top.keys.add(key);
        top.pendingPath = path;
        expectKey = false;
      }
      i = end + 1;
      continue;
    }
    switch (c) {
      case 0x7b /* { */:
        stack.push({ kind: 'object', path: valuePath(), keys: new Set(), pendingPath: '' });
        expectKey = true;
        break;
      case 0x5b /* [ */:
        stack.push({ kind: 'array', path: valuePath(), index: 0 });
        expectKey = false;
        break;
      case 0x7d /* } */:
      case 0x5d /* ] */:
        stack.pop();
        expectKey = false;
        break;
      case 0x2c /* , */: {
        const top = stack[stack.length - 1];
        if (top?.kind === 'array') top.index++;
        else if (top?.kind === 'object') expectKey = true;
        break;
      }
      default:
        break; // whitespace, ':', numbers, literals
    }
    i++;
  }
  return out;
}

/** Paths of duplicate keys in `raw`, in document order (e.g. `["spec.paused"]`). */
export function findDuplicateFields(raw: string): string[] {
  return scanJsonKeys(raw).filter((k) => k.duplicate).map((k) => k.path);
}

/** Index of the closing quote of the string starting at `start`, or -1. */
function stringEnd(raw: string, start: number): number {
  for (let i = start + 1; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c === 0x5c /* \ */) i++;
    else if (c === 0x22) return i;
  }
  return -1;
}

function decodeKey(token: string): string {
  if (!token.includes('\\')) return token.slice(1, -1);
  try {
    return JSON.parse(token) as string;
  } catch {
    return token.slice(1, -1);
  }
}
