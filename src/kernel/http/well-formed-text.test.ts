import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeUtf8, malformedIn } from './well-formed-text.js';

const isUtf8 = (bytes: Uint8Array) => {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
};

describe('decoding a body as UTF-8', () => {
  it('decodes well-formed UTF-8 exactly as the platform does', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (text) => {
        expect(decodeUtf8(Buffer.from(text, 'utf8'))).toBe(text);
      }),
    );
  });

  it('gives well-formed text exactly when the bytes are UTF-8, and keeps every valid character', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const text = decodeUtf8(bytes);
        expect(text.isWellFormed()).toBe(isUtf8(bytes));
        // Each escaped byte is one unpaired surrogate; the rest re-encodes to the bytes it came from.
        const back = Buffer.concat(
          [...text].map((ch) => {
            const code = ch.charCodeAt(0);
            return ch.length === 1 && code >= 0xdc80 && code <= 0xdcff
              ? Buffer.from([code - 0xdc00])
              : Buffer.from(ch, 'utf8');
          }),
        );
        expect(back).toEqual(Buffer.from(bytes));
      }),
      { numRuns: 2000 },
    );
  });

  it('escapes an encoded surrogate, an overlong form and a truncated sequence byte by byte', () => {
    expect(decodeUtf8(new Uint8Array([0x61, 0xed, 0xa0, 0x80]))).toBe('a\udced\udca0\udc80');
    expect(decodeUtf8(new Uint8Array([0xc0, 0xaf]))).toBe('\udcc0\udcaf');
    expect(decodeUtf8(new Uint8Array([0xe2, 0x82]))).toBe('\udce2\udc82');
  });
});

describe('finding text that is not well-formed', () => {
  it('names each string and key by its JSON pointer', () => {
    expect(
      malformedIn(
        { name: 'ok\ud800', list: ['fine', '\udc00x'], nested: { 'a/b~\ud83d': 1, good: '😀' } },
        '',
      ),
    ).toEqual([
      { path: '/name', message: expect.stringContaining('not well-formed') },
      { path: '/list/1', message: expect.stringContaining('not well-formed') },
      { path: '/nested/a~1b~0\ud83d', message: expect.stringContaining('the name') },
    ]);
    expect(malformedIn('\ud800', '')).toEqual([{ path: '/', message: expect.any(String) }]);
    expect(malformedIn({ id: 'x' }, '/params')).toEqual([]);
  });
});
