import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import busboy from 'busboy';
import { S3Error } from './s3-error.js';

/** S3 refuses a POST whose fields before the file exceed 20 KB. */
const MAX_PRE_DATA_BYTES = 20 * 1024;

export const malformedForm = () =>
  new S3Error(
    'MalformedPOSTRequest',
    'The body of your POST request is not well-formed multipart/form-data.',
  );

export interface FormHead {
  /** The fields that came before the file, names lower-cased. */
  fields: Map<string, string>;
  /** The file's bytes, not yet read: the caller decides whether to read them. */
  file: Readable;
  /** The file name the browser sent, for `${filename}`. */
  filename: string;
}

/**
 * Reads a multipart/form-data POST up to the start of its `file` part and stops there, so the
 * policy can be checked before a single byte of the file is read. Fields after the file are
 * ignored, as S3 ignores them.
 */
export function readFormHead(req: IncomingMessage): Promise<FormHead> {
  return new Promise((resolve, reject) => {
    if (!(req.headers['content-type'] ?? '').toLowerCase().startsWith('multipart/form-data')) {
      reject(
        new S3Error('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', {
          Condition: 'Bucket POST must be of the enclosure-type multipart/form-data',
        }),
      );
      return;
    }
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        limits: { fieldSize: MAX_PRE_DATA_BYTES + 1, fieldNameSize: 1024 },
      });
    } catch {
      // e.g. no boundary in the Content-Type
      reject(malformedForm());
      return;
    }

    const fields = new Map<string, string>();
    let preDataBytes = 0;
    let settled = false;
    const fail = (error: S3Error) => {
      if (settled) return;
      settled = true;
      reject(error);
    };
    const found = (head: FormHead) => {
      settled = true;
      resolve(head);
    };

    parser.on('field', (name, value, info) => {
      if (settled) return;
      preDataBytes += Buffer.byteLength(name) + Buffer.byteLength(value);
      if (info.valueTruncated || preDataBytes > MAX_PRE_DATA_BYTES) {
        fail(
          new S3Error(
            'MaxPostPreDataLengthExceeded',
            'Your POST request fields preceding the upload file were too large.',
          ),
        );
        return;
      }
      const field = name.toLowerCase();
      // S3 takes a plain `file` field as the file's content.
      if (field === 'file') {
        found({ fields, file: Readable.from([Buffer.from(value, 'utf8')]), filename: '' });
        return;
      }
      // One value per field: the value checked against the policy must be the value used.
      if (fields.has(field)) {
        fail(
          new S3Error('InvalidArgument', `POST form field ${name} appears more than once.`, {
            ArgumentName: name,
          }),
        );
        return;
      }
      fields.set(field, value);
    });

    parser.on('file', (name, stream, info) => {
      if (settled) {
        stream.resume();
        return;
      }
      if (name.toLowerCase() !== 'file') {
        stream.resume();
        fail(
          new S3Error('InvalidArgument', 'POST requires exactly one file upload per request.', {
            ArgumentName: 'file',
            ArgumentValue: name,
          }),
        );
        return;
      }
      found({ fields, file: stream, filename: info.filename ?? '' });
    });

    parser.on('error', () => fail(malformedForm()));
    parser.on('close', () =>
      fail(
        new S3Error('InvalidArgument', 'POST requires exactly one file upload per request.', {
          ArgumentName: 'file',
          ArgumentValue: '0',
        }),
      ),
    );
    req.pipe(parser);
  });
}

/**
 * Stops reading a form we have answered: the rest of the body is read and dropped, so the
 * browser still receives our answer instead of a reset connection.
 */
export function discardRest(req: IncomingMessage, file?: Readable): void {
  req.unpipe();
  req.resume();
  if (file && !file.destroyed) {
    file.on('error', () => {});
    file.resume();
  }
}
