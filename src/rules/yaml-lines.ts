// Line numbers for paths into a parsed YAML document, so a rule's errors point at the line to fix.
import { isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';

type Key = string | number;

const pairAt = (node: unknown, key: Key): { key: unknown; value: unknown } | undefined => {
  if (!isMap(node)) return undefined;
  return node.items.find((p) => isPair(p) && (isScalar(p.key) ? String(p.key.value) : String(p.key)) === String(key));
};

const childAt = (node: unknown, key: Key): unknown => {
  if (isSeq(node)) return typeof key === 'number' ? node.items[key] : undefined;
  return pairAt(node, key)?.value;
};

const lineOf = (node: unknown, lc: LineCounter): number | null => {
  const range = (node as Node | undefined)?.range;
  return range ? lc.linePos(range[0]).line : null;
};

/**
 * The line of the value at `path`, or of the key when `key` is set (a field spec, an unknown key);
 * falls back to the nearest ancestor that exists, then to line 1.
 */
export const lineAt = (doc: Document, lc: LineCounter, path: readonly PropertyKey[], key = false): number => {
  let node: unknown = doc.contents;
  let best = lineOf(node, lc) ?? 1;
  for (const [i, seg] of path.entries()) {
    if (typeof seg === 'symbol') break;
    if (key && i === path.length - 1) {
      const p = pairAt(node, seg);
      return lineOf(p?.key, lc) ?? best;
    }
    node = childAt(node, seg);
    const line = lineOf(node, lc);
    if (line === null) break;
    best = line;
  }
  return best;
};
