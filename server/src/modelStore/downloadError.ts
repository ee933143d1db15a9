/**
 * Why a download failed, as a kind callers can act on, with a message meant for people
 * (it names the file and the URL where there is one).
 * - offline: the host could not be reached (refused, no DNS, no route)
 * - timeout: the host stopped answering
 * - http: an unexpected status (404, 401, 5xx after retries)
 * - verify: wrong size or checksum
 * - protocol: an answer we cannot use (bad JSON, missing files, too many redirects)
 * - cancelled: the AbortSignal fired
 * - io: the local disk (permissions, space)
 */
export type DownloadErrorKind = 'offline' | 'timeout' | 'http' | 'verify' | 'protocol' | 'cancelled' | 'io';

export class DownloadError extends Error {
  constructor(
    readonly kind: DownloadErrorKind,
    message: string,
    readonly details: { url?: string; file?: string; status?: number } = {},
  ) {
    super(message);
    this.name = 'DownloadError';
  }
}

const OFFLINE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'ENETDOWN', 'EHOSTDOWN']);

const DISK_CODES = new Set(['EACCES', 'EPERM', 'ENOSPC', 'EROFS', 'EDQUOT', 'EISDIR', 'ENOTDIR', 'EMFILE']);

/** A network (or local disk) error met while downloading, as a DownloadError. */
export function networkError(e: unknown, url: string): DownloadError {
  if (e instanceof DownloadError) return e;
  const code = (e as NodeJS.ErrnoException)?.code ?? '';
  if (DISK_CODES.has(code)) return new DownloadError('io', `cannot write the download: ${(e as Error).message}`, { url });
  const host = safeHost(url);
  if (OFFLINE_CODES.has(code)) return new DownloadError('offline', `cannot reach ${host} (${describeCode(code)})`, { url });
  if (code === 'ETIMEDOUT') return new DownloadError('timeout', `${host} did not answer in time`, { url });
  return new DownloadError('http', `connection to ${host} failed: ${(e as Error)?.message ?? String(e)}`, { url });
}

function describeCode(code: string): string {
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host name not found';
    default:
      return `network unreachable, ${code}`;
  }
}

export function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

export function cancelledError(): DownloadError {
  return new DownloadError('cancelled', 'download cancelled');
}
