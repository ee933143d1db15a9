import * as http from 'node:http';
import * as https from 'node:https';
import { cancelledError, DownloadError, networkError, safeHost } from './downloadError';

/** A GET over node's own http/https: redirects followed, an idle timeout, cancellation. */

export interface HttpGetOptions {
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** longest silence allowed (connecting, waiting for headers, between body chunks) */
  timeoutMs: number;
  maxRedirects?: number;
}

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** the URL that answered, after redirects */
  url: string;
  /** the body; it errors with a DownloadError on timeout or cancellation */
  body: http.IncomingMessage;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const USER_AGENT = 'refusal-lens (model download)';

export async function httpGet(url: string, options: HttpGetOptions): Promise<HttpResponse> {
  const maxRedirects = options.maxRedirects ?? 8;
  let current = url;
  for (let hop = 0; ; hop++) {
    const res = await requestOnce(current, options);
    const location = res.headers.location;
    if (!REDIRECTS.has(res.status) || !location) return res;
    res.body.resume();
    if (hop >= maxRedirects) throw new DownloadError('protocol', `too many redirects starting at ${url}`, { url });
    // The hub answers with a relative redirect for renamed repos and an absolute one to its CDN
    // for large files; the Range header (if any) goes along, the CDN honours it.
    current = new URL(location, current).toString();
  }
}

function requestOnce(url: string, options: HttpGetOptions): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const { signal } = options;
    if (signal?.aborted) return reject(cancelledError());
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      return reject(new DownloadError('protocol', `not a valid URL: ${url}`, { url }));
    }
    const transport = u.protocol === 'https:' ? https : u.protocol === 'http:' ? http : null;
    if (!transport) return reject(new DownloadError('protocol', `unsupported URL scheme ${u.protocol} in ${url}`, { url }));

    let response: http.IncomingMessage | null = null;
    const timeoutError = () => new DownloadError('timeout', `${safeHost(url)} sent nothing for ${Math.round(options.timeoutMs / 1000)} s`, { url });
    const onAbort = () => {
      const e = cancelledError();
      if (response) response.destroy(e);
      req.destroy(e);
    };
    const cleanup = () => signal?.removeEventListener('abort', onAbort);

    const req = transport.get(u, { headers: { 'user-agent': USER_AGENT, ...options.headers } }, (res) => {
      response = res;
      res.setTimeout(options.timeoutMs, () => res.destroy(timeoutError()));
      res.once('close', cleanup);
      resolve({ status: res.statusCode ?? 0, headers: res.headers, url, body: res });
    });
    req.setTimeout(options.timeoutMs, () => req.destroy(timeoutError()));
    req.on('error', (e) => {
      cleanup();
      if (!response) reject(signal?.aborted ? cancelledError() : networkError(e, url));
    });
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Reads a (small) body whole, as text. */
export async function readText(res: HttpResponse, limitBytes = 32 * 1024 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let n = 0;
  try {
    for await (const chunk of res.body as AsyncIterable<Buffer>) {
      n += chunk.length;
      if (n > limitBytes) {
        res.body.destroy();
        throw new DownloadError('protocol', `answer from ${res.url} is larger than ${limitBytes} bytes`, { url: res.url });
      }
      chunks.push(chunk);
    }
  } catch (e) {
    throw networkError(e, res.url);
  }
  return Buffer.concat(chunks).toString('utf8');
}
