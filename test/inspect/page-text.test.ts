/**
 * The inspector page shows outside text (wallet names and accounts in payloads, a live app's
 * states) the way the terminal does: src/inspect/page/dom.js's copy of the rule agrees with
 * src/text/terminal-safe.ts on every code point and on any string, and el() shows text children
 * and titles escaped while attribute values (a filter option's value) keep the data as it is.
 */
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { terminalSafe, terminalSafeLines } from '../../src/text/terminal-safe.ts';

interface PageDom {
  shown(text: string): string;
  shownLines(text: string): string;
  el(tag: string, attrs?: Record<string, unknown>, ...children: unknown[]): FakeElement;
}

/** The page module is plain JavaScript served as it is; it is loaded as the browser would. */
const PAGE_DOM = '../../src/inspect/page/dom.js';
const page = (await import(PAGE_DOM)) as PageDom;

/** Just enough of the DOM for el(): elements with attributes and children, text nodes. */
class FakeNode {}
class FakeText extends FakeNode {
  constructor(readonly data: string) {
    super();
  }
}
class FakeElement extends FakeNode {
  readonly attributes = new Map<string, string>();
  readonly children: FakeNode[] = [];
  className = '';
  constructor(readonly tag: string) {
    super();
  }
  setAttribute(key: string, value: string) {
    this.attributes.set(key, value);
  }
  addEventListener() {}
  append(...nodes: FakeNode[]) {
    this.children.push(...nodes);
  }
  get text(): string {
    return this.children.map((c) => (c instanceof FakeText ? c.data : (c as FakeElement).text)).join('');
  }
}

const globals = globalThis as Record<string, unknown>;
beforeEach(() => {
  globals.Node = FakeNode;
  globals.document = { createElement: (tag: string) => new FakeElement(tag), createTextNode: (data: string) => new FakeText(data) };
});
afterEach(() => {
  delete globals.Node;
  delete globals.document;
});

const anyText = fc
  .array(fc.oneof(fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }), fc.integer({ min: 0xd800, max: 0xdfff }).map((u) => String.fromCharCode(u)), fc.constantFrom('\n', '\x1b', '\u202e', '\u200d', '\x9b')), { maxLength: 30 })
  .map((parts) => parts.join(''));

describe('the inspector page shows outside text as the terminal does', () => {
  it('shown and shownLines agree with terminalSafe and terminalSafeLines on every code point', () => {
    const differ: string[] = [];
    for (let cp = 0; cp <= 0x10ffff && differ.length < 20; cp++) {
      const char = cp >= 0xd800 && cp <= 0xdfff ? String.fromCharCode(cp) : String.fromCodePoint(cp);
      if (page.shown(char) !== terminalSafe(char) || page.shownLines(char) !== terminalSafeLines(char)) differ.push(`U+${cp.toString(16)}`);
    }
    expect(differ).toEqual([]);
  });

  it('shown and shownLines agree with terminalSafe and terminalSafeLines on any string', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        expect(page.shown(text)).toBe(terminalSafe(text));
        expect(page.shownLines(text)).toBe(terminalSafeLines(text));
      }),
      { numRuns: 2000 },
    );
  });

  it('el() shows text children escaped as fields, a title as lines, and keeps attribute values as data', () => {
    const name = 'Travel \u202Etxt.exe\x1b[2J\nBackup OK';
    const option = page.el('option', { value: name, title: `first line\n${name}` }, name, page.el('b', {}, 'acct\u2066'));
    expect(option.text).toBe('Travel \\u202etxt.exe\\x1b[2J\\nBackup OKacct\\u2066');
    // A title's own line breaks stay (a caller escapes each field it puts in, as replay.js does).
    expect(option.attributes.get('title')).toBe('first line\nTravel \\u202etxt.exe\\x1b[2J\nBackup OK');
    expect(option.attributes.get('value')).toBe(name);
  });
});
