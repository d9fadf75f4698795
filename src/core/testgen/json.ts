// JSON as models write it: inside a ```json fence or bare between prose, with trailing commas,
// raw newlines inside strings (code!), // comments, or cut off by the token limit. Strict JSON is
// tried first; repairs only touch what is outside valid JSON, never the content of strings.
import { extractCodeBlocks, stripThinking } from '../llm/codeBlocks';

export type JsonFound = { ok: true; value: unknown; repaired: boolean; text: string } | { ok: false; text: string; reason: string };

/**
 * The JSON object of a reply. Tries each ```json / untagged block, then the span from the first
 * `{` to the last `}`; each strictly, then repaired. `text` is the best candidate text, for
 * salvage when nothing parses.
 */
export function findJsonObject(reply: string): JsonFound {
  const cleaned = stripThinking(reply);
  const candidates: string[] = [];
  for (const block of extractCodeBlocks(cleaned)) {
    if (block.tag === '' || block.tag === 'json' || block.tag === 'jsonc' || block.tag === 'json5') candidates.push(block.code);
  }
  const first = cleaned.indexOf('{');
  const last = cleaned.lastIndexOf('}');
  if (first >= 0) candidates.push(last > first ? cleaned.slice(first, last + 1) : cleaned.slice(first));
  if (first >= 0 && last > first && last < cleaned.length - 1) candidates.push(cleaned.slice(first)); // maybe truncated after a nested }
  for (const text of candidates) {
    const strict = tryParse(text);
    if (strict !== undefined && isObject(strict)) return { ok: true, value: strict, repaired: false, text };
    const repaired = tryParse(repairJson(text));
    if (repaired !== undefined && isObject(repaired)) return { ok: true, value: repaired, repaired: true, text };
  }
  if (candidates.length === 0) return { ok: false, text: cleaned, reason: 'the reply contains no JSON object' };
  // For salvage: the longest candidate keeps the entry a cut-off reply ended in.
  const longest = candidates.reduce((a, b) => (b.length > a.length ? b : a));
  return { ok: false, text: longest, reason: 'the JSON in the reply does not parse (cut off or malformed)' };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function tryParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Repairs outside strings: drops // and /* comments and trailing commas; inside strings: escapes
 * raw control characters (newlines, tabs) that JSON forbids but models emit in code.
 */
export function repairJson(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') {
        out += c + (text[i + 1] ?? '');
        i++;
      } else if (c === '"') {
        inString = false;
        out += c;
      } else if (c === '\n') out += '\\n';
      else if (c === '\r') out += '';
      else if (c === '\t') out += '\\t';
      else if (c < ' ') out += '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0');
      else out += c;
      continue;
    }
    if (c === '"') {
      inString = true;
      out += c;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 1;
    } else if (c === ',') {
      let j = i + 1;
      while (j < text.length && /\s/.test(text[j])) j++;
      if (text[j] === '}' || text[j] === ']') continue; // trailing comma
      out += c;
    } else out += c;
  }
  return out;
}

export interface SalvagedArray {
  /** Entries that parsed, with their position in the array. */
  entries: Array<{ index: number; value: unknown }>;
  /** Entries that did not parse, with the reason. */
  broken: Array<{ index: number; text: string; reason: string }>;
  /** Whether the key was found at all. */
  found: boolean;
}

/**
 * Reads the elements of the array under `"key"` one by one from possibly broken JSON text
 * (a reply cut off mid-way, one malformed entry): every complete element that parses is kept.
 */
export function salvageArray(text: string, key: string): SalvagedArray {
  const result: SalvagedArray = { entries: [], broken: [], found: false };
  const keyAt = findKey(text, key);
  if (keyAt < 0) return result;
  let i = keyAt;
  while (i < text.length && text[i] !== '[') {
    if (!/[\s:]/.test(text[i])) return result;
    i++;
  }
  if (text[i] !== '[') return result;
  result.found = true;
  i++;
  let index = 0;
  for (;;) {
    while (i < text.length && /[\s,]/.test(text[i])) i++;
    if (i >= text.length || text[i] === ']') return result;
    const end = elementEnd(text, i);
    const piece = text.slice(i, end);
    const value = tryParse(piece) ?? tryParse(repairJson(piece));
    if (value === undefined)
      result.broken.push({ index, text: piece, reason: end >= text.length ? 'cut off: the reply ended inside this entry' : 'not valid JSON' });
    else result.entries.push({ index, value });
    index++;
    i = end;
  }
}

/** Position right after `"key"` at any depth, outside other strings' content; -1 if absent. */
function findKey(text: string, key: string): number {
  const needle = JSON.stringify(key);
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') {
      if (text.startsWith(needle, i)) {
        let j = i + needle.length;
        while (j < text.length && /\s/.test(text[j])) j++;
        if (text[j] === ':') return j;
      }
      inString = true;
    }
  }
  return -1;
}

/** End of the JSON value starting at `start` (one past it), string- and nesting-aware. */
function elementEnd(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') {
        inString = false;
        if (depth === 0) return i + 1;
      }
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      if (depth === 0) return i; // the enclosing array closes
      depth--;
      if (depth === 0) return i + 1;
    } else if (c === ',' && depth === 0) return i;
  }
  return text.length;
}
