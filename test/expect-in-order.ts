/** Test helper: each of `parts` occurs in `text`, in this order (each after the one before). */
import { expect } from 'vitest';

export function expectInOrder(text: string, parts: readonly string[]): void {
  let from = 0;
  for (const part of parts) {
    const at = text.indexOf(part, from);
    expect(at, `"${part}" after position ${from}\n${text}`).toBeGreaterThan(-1);
    from = at;
  }
}
