import { Transform } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError, type ErrorDetail } from '../errors.js';

declare global {
  interface String {
    /** ES2024, in Node 20: false when the string holds an unpaired surrogate. */
    isWellFormed(): boolean;
  }
}

const MESSAGE = 'is not well-formed Unicode text (an unpaired surrogate, or bytes that are not UTF-8)';

/** Content types whose bodies are text, other than JSON (which has its own parser below). */
const OTHER_TEXT = /^\s*(text\/|application\/(x-)?yaml\b|application\/[^;\s]*\+json\b)/i;

/**
 * Refuses, with 400 `validation-failed` naming each place, every request whose text is not
 * well-formed Unicode: a string or object key of a JSON body, a query parameter, a path parameter,
 * or the bytes of any text body. Databases and encoders otherwise turn such text into U+FFFD, so
 * what is stored would silently differ from what was sent.
 *
 * A JSON body is decoded here rather than by the framework: invalid UTF-8 bytes become unpaired
 * surrogates (as Python's `surrogateescape` does) instead of U+FFFD, so the check after parsing
 * names the field they are in, exactly as for a `\ud800` escape.
 */
export function refuseMalformedText(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) =>
    parseJson(request, decodeUtf8(body as Buffer), done),
  );

  app.addHook('preParsing', async (request, _reply, payload) => {
    if (!OTHER_TEXT.test(request.headers['content-type'] ?? '')) return payload;
    return payload.pipe(utf8Check());
  });

  app.addHook('preValidation', async (request) => {
    const errors = [
      ...malformedQuery(request),
      ...malformedIn(request.params, '/params'),
      ...malformedIn(request.body, ''),
    ];
    if (errors.length > 0)
      throw new AppError(
        'validation_failed',
        'The request holds text that is not well-formed Unicode.',
        errors,
      );
  });
}

/** The JSON pointers (under `prefix`) of every string and key in `value` that is not well-formed. */
export function malformedIn(value: unknown, prefix: string): ErrorDetail[] {
  const found: ErrorDetail[] = [];
  const visit = (node: unknown, path: string) => {
    if (typeof node === 'string') {
      if (!node.isWellFormed()) found.push({ path: path || '/', message: MESSAGE });
    } else if (Array.isArray(node)) {
      for (const [index, item] of node.entries()) visit(item, `${path}/${index}`);
    } else if (typeof node === 'object' && node !== null) {
      for (const [key, item] of Object.entries(node)) {
        const at = `${path}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`;
        if (!key.isWellFormed()) found.push({ path: at, message: `the name ${MESSAGE}` });
        else visit(item, at);
      }
    }
  };
  visit(value, prefix);
  return found;
}

/**
 * Query parameters whose percent-escapes are not UTF-8: the query parser keeps them as the raw
 * escapes, so they are found in the URL as sent. A `%` that starts no escape is a plain character
 * to the parser, and is left alone here too.
 */
function malformedQuery(request: FastifyRequest): ErrorDetail[] {
  const start = request.url.indexOf('?');
  if (start < 0 || !request.url.includes('%', start)) return [];
  const found: ErrorDetail[] = [];
  for (const pair of request.url.slice(start + 1).split('&')) {
    const [key = '', ...rest] = pair.split('=');
    const decodedKey = percentDecoded(key);
    if (decodedKey === null || percentDecoded(rest.join('=')) === null) {
      const name = decodedKey ?? key;
      found.push({
        path: `/querystring/${name.replaceAll('~', '~0').replaceAll('/', '~1')}`,
        message: MESSAGE,
      });
    }
  }
  return found;
}

/** The text a query part stands for, or null when its escapes spell bytes that are not UTF-8. */
function percentDecoded(part: string): string | null {
  const bytes: number[] = [];
  for (let i = 0; i < part.length; i++) {
    const hex = part[i] === '%' ? /^[0-9a-f]{2}$/i.exec(part.slice(i + 1, i + 3)) : null;
    if (hex) {
      bytes.push(Number.parseInt(hex[0], 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(part[i] === '+' ? ' ' : (part[i] as string), 'utf8'));
    }
  }
  const text = decodeUtf8(Uint8Array.from(bytes));
  return text.isWellFormed() ? text : null;
}

/** A pass-through stream that fails with 400 at the first byte sequence that is not UTF-8. */
function utf8Check(): Transform {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const refuse = () =>
    new AppError('validation_failed', 'The body is not well-formed UTF-8 text.', [
      { path: '/', message: MESSAGE },
    ]);
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      try {
        decoder.decode(chunk, { stream: true });
        callback(null, chunk);
      } catch {
        callback(refuse());
      }
    },
    flush(callback) {
      try {
        decoder.decode();
        callback();
      } catch {
        callback(refuse());
      }
    },
  });
}

const strict = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes UTF-8; each byte that is not part of a well-formed sequence becomes the unpaired
 * surrogate U+DC00 + byte, so a later check can tell where it was. Well-formed input (the usual
 * case) is decoded natively in one call.
 */
export function decodeUtf8(bytes: Uint8Array): string {
  try {
    return strict.decode(bytes);
  } catch {
    return decodeEscapingInvalid(bytes);
  }
}

/** The length of the UTF-8 sequence a lead byte starts, and the range its second byte must be in. */
function sequenceOf(lead: number): [length: number, low: number, high: number] {
  if (lead < 0x80) return [1, 0, 0];
  if (lead >= 0xc2 && lead <= 0xdf) return [2, 0x80, 0xbf];
  if (lead === 0xe0) return [3, 0xa0, 0xbf]; // no overlong forms
  if (lead === 0xed) return [3, 0x80, 0x9f]; // no surrogates (D800–DFFF)
  if (lead >= 0xe1 && lead <= 0xef) return [3, 0x80, 0xbf];
  if (lead === 0xf0) return [4, 0x90, 0xbf]; // no overlong forms
  if (lead >= 0xf1 && lead <= 0xf3) return [4, 0x80, 0xbf];
  if (lead === 0xf4) return [4, 0x80, 0x8f]; // nothing above U+10FFFF
  return [0, 0, 0];
}

function decodeEscapingInvalid(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i] as number;
    const [length, low, high] = sequenceOf(lead);
    let valid = length > 0 && i + length <= bytes.length;
    for (let k = 1; valid && k < length; k++) {
      const byte = bytes[i + k] as number;
      valid = k === 1 ? byte >= low && byte <= high : byte >= 0x80 && byte <= 0xbf;
    }
    if (!valid) {
      out += String.fromCharCode(0xdc00 + lead);
      i += 1;
      continue;
    }
    let code = length === 1 ? lead : lead & (0xff >> (length + 1));
    for (let k = 1; k < length; k++) code = (code << 6) | ((bytes[i + k] as number) & 0x3f);
    out += String.fromCodePoint(code);
    i += length;
  }
  return out;
}
