import type { Bilingual } from '../../i18n.js';

/**
 * Sends one file straight to S3 with the presigned POST the API gave: the policy's fields
 * first, the file last (S3 reads fields up to the file). XMLHttpRequest rather than fetch,
 * because only XHR reports upload progress; listening to it makes the request CORS-preflighted,
 * which the uploads bucket's CORS rule allows.
 */
export class UploadFailed extends Error {
  constructor(readonly reason: Bilingual) {
    super(reason.en);
  }
}

export function postToStorage(
  policy: { url: string; fields: Record<string, string> },
  file: Blob,
  fileName: string,
  onProgress: (percent: number) => void,
  signal?: AbortSignal,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const body = new FormData();
    for (const [name, value] of Object.entries(policy.fields)) body.append(name, value);
    body.append('file', file, fileName);
    const xhr = new XMLHttpRequest();
    xhr.open('POST', policy.url);
    xhr.upload.addEventListener('progress', (event) => {
      if (event.lengthComputable && event.total > 0) {
        onProgress(Math.min(99, Math.floor((event.loaded / event.total) * 100)));
      }
    });
    xhr.addEventListener('load', () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(100);
        resolve();
        return;
      }
      const code = /<Code>([^<]+)<\/Code>/.exec(xhr.responseText ?? '')?.[1] ?? `HTTP ${xhr.status}`;
      reject(
        new UploadFailed(
          code === 'EntityTooSmall' || code === 'EntityTooLarge'
            ? {
                zh: '存储服务拒收：文件大小不符合要求',
                en: 'Storage refused the file: its size is outside the limits',
              }
            : code === 'AccessDenied'
              ? {
                  zh: '上传授权已失效或文件类型不符，请重新选择文件上传',
                  en: 'The upload permission expired or the file type does not match; choose the file again',
                }
              : code === 'SlowDown' || xhr.status >= 500
                ? {
                    zh: '存储服务暂时繁忙，上传未完成，请稍候片刻再选择文件上传',
                    en: 'The storage service is busy and the upload did not finish; wait a moment and choose the file again',
                  }
                : { zh: '上传失败，请重新选择文件上传', en: 'The upload failed; choose the file again' },
        ),
      );
    });
    xhr.addEventListener('error', () =>
      reject(
        new UploadFailed({
          zh: '网络中断，上传未完成，请重试',
          en: 'The network failed before the upload finished; try again',
        }),
      ),
    );
    xhr.addEventListener('abort', () =>
      reject(new UploadFailed({ zh: '已取消上传', en: 'Upload cancelled' })),
    );
    signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(body);
  });
}
