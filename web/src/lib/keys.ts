// Single-key shortcuts (j, k, o, c, /) like a code-review tool: ignored while typing in a field or with a
// modifier held, so they never steal a keystroke meant for text.
import { useEffect, useRef } from 'react';

const NOT_TEXT = new Set(['range', 'checkbox', 'radio', 'button', 'submit', 'reset', 'color', 'file', 'image']);

export const isTyping = (t: EventTarget | null): boolean => {
  if (!(t instanceof HTMLElement)) return false;
  if (t.isContentEditable || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT') return true;
  // A focused slider, checkbox or button takes no letters: the shortcuts still work after using one.
  return t instanceof HTMLInputElement && !NOT_TEXT.has(t.type);
};

/** Calls handlers[key] on keydown anywhere on the page (not while typing); a handler returning false lets the key through. */
export const useShortcuts = (handlers: Readonly<Record<string, (e: KeyboardEvent) => boolean | void>>, enabled = true): void => {
  const ref = useRef(handlers);
  ref.current = handlers;
  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return;
      if (document.querySelector('dialog[open]') !== null) return;
      const h = ref.current[e.key];
      if (h === undefined) return;
      if (h(e) !== false) e.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [enabled]);
};
