import { pipeline, Transform } from 'node:stream';
import { errorCodes, type FastifyInstance, type FastifyRequest } from 'fastify';

/**
 * Lets the routes of `app` take `text/csv` bodies as a stream, unread: an import parses the file
 * as it arrives. Its errors (bytes that are not UTF-8, refused by the kernel's check) reach the
 * import through `csvUpload`'s pipeline; until the handler runs, nothing else must hear of them.
 */
export function acceptCsvUploads(
  app: Pick<FastifyInstance, 'hasContentTypeParser' | 'addContentTypeParser'>,
) {
  if (!app.hasContentTypeParser('text/csv'))
    app.addContentTypeParser('text/csv', (_request, payload, done) => {
      payload.on('error', () => {});
      done(null, payload);
    });
}

/**
 * The CSV body of the request as a stream that fails with the framework's 413 past `maxBytes`
 * (a declared length over it is refused before a byte is read); 415 when it is not `text/csv`.
 */
export function csvUpload(request: FastifyRequest, maxBytes: number): NodeJS.ReadableStream {
  const declared = Number(request.headers['content-length']);
  if (declared > maxBytes) throw new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE();
  const body = request.body as NodeJS.ReadableStream | undefined;
  if (typeof body?.pipe !== 'function')
    throw Object.assign(new Error('Send the file as text/csv.'), { statusCode: 415 });
  const limited = byteLimit(maxBytes);
  pipeline(body, limited, () => {});
  return limited;
}

/** Passes bytes through until `max`, then fails with the framework's 413 (a body without a declared length). */
function byteLimit(max: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      if (seen > max) callback(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE());
      else callback(null, chunk);
    },
  });
}
