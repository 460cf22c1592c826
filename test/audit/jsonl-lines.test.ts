/**
 * Reading a JSONL export back line by line (src/audit/jsonl.ts): lines come back exactly however
 * the bytes are chunked, a line over the cap is refused as soon as its bytes arrive (not after the
 * whole line was held), and bytes that are not UTF-8 are an unreadable row, never decoded lossily.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonlLineTooLongError, jsonlBytesToRow, jsonlLines } from '../../src/audit/jsonl.ts';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

async function* chunksOf(bytes: Uint8Array, cuts: readonly number[]): AsyncGenerator<Uint8Array> {
  let start = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    if (cut <= start || cut >= bytes.length) continue;
    yield bytes.slice(start, cut);
    start = cut;
  }
  yield bytes.slice(start);
}

async function linesOf(chunks: AsyncIterable<Uint8Array>, cap: number): Promise<string[]> {
  const found: string[] = [];
  for await (const line of jsonlLines(chunks, cap)) found.push(decoder.decode(line.bytes));
  return found;
}

describe('jsonlLines', () => {
  it('gives back every line (LF or CRLF ends, a last line without one) whatever the chunk boundaries, with the byte offset of each end', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.string({ unit: fc.constantFrom('a', 'é', '{', '"', ' ', '\r'), maxLength: 20 }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.nat(200), { maxLength: 10 }),
        fc.boolean(),
        async (lines, cuts, crlf) => {
          // A '\r' right before the line end is part of the end, so the lines themselves may not end with one.
          const clean = lines.map((line) => line.replace(/\r+$/, ''));
          const text = clean.join(crlf ? '\r\n' : '\n');
          const bytes = encoder.encode(text);
          expect(await linesOf(chunksOf(bytes, cuts), 1000)).toEqual(clean.at(-1) === '' ? clean.slice(0, -1) : clean);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('reports where each line ends in the input, for the progress bar', async () => {
    const ends: number[] = [];
    for await (const line of jsonlLines(chunksOf(encoder.encode('ab\r\ncde\nf'), [1, 5]), 10)) ends.push(line.endOffset);
    expect(ends).toEqual([4, 8, 9]);
  });

  it('a line of exactly the cap passes; one byte more is refused naming its line number and the cap', async () => {
    expect(await linesOf(chunksOf(encoder.encode('ok\n12345\r\nx'), [3, 6]), 5)).toEqual(['ok', '12345', 'x']);
    const refused = await linesOf(chunksOf(encoder.encode('ok\n123456\nx'), [4]), 5).then(
      () => null,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(JsonlLineTooLongError);
    expect(refused).toMatchObject({ line: 2, maxBytes: 5, message: 'line 2 is longer than 5 bytes, the most one row of the log may take' });
  });

  it('an endless line is refused after at most the cap (plus one chunk) was read, not at its end', async () => {
    let served = 0;
    async function* endless(): AsyncGenerator<Uint8Array> {
      for (;;) {
        served += 1024;
        yield new Uint8Array(1024).fill(0x61);
      }
    }
    await expect(linesOf(endless(), 64 * 1024)).rejects.toBeInstanceOf(JsonlLineTooLongError);
    expect(served).toBeLessThanOrEqual(64 * 1024 + 2 * 1024);
  });

  it('a line that is not UTF-8 is an unreadable row, a blank one is skipped, a JSON row is read', () => {
    expect(jsonlBytesToRow(Uint8Array.of(0x7b, 0xff, 0x7d))).toEqual({ unreadable: true, problem: 'not UTF-8 text' });
    expect(jsonlBytesToRow(encoder.encode('   '))).toBeNull();
    expect(jsonlBytesToRow(encoder.encode('[]'))).toEqual({ unreadable: true, problem: 'not a JSON object' });
  });
});
