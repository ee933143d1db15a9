import type { DownloadModelParams, DownloadModelResult, InitializationOptions } from '../shared/protocol';
import { errorMessage, type ServerHost } from './serverHost';

/** The model store's download, as the server calls it (modelStore/download.ts `downloadModel` fits). */
export type DownloadFn = (options: {
  cacheDir: string;
  signal?: AbortSignal;
  onProgress?: (p: { file: string; bytesDone: number; bytesTotal: number }) => void;
}) => Promise<{ path: string }>;

const PROGRESS_INTERVAL_MS = 100;

/** Download Model: into the extension's global storage, with progress, cancellable; never throws. */
export class ModelDownloads {
  constructor(
    private readonly host: ServerHost,
    private readonly init: InitializationOptions,
    private readonly download: DownloadFn | null,
  ) {}

  async run(params: DownloadModelParams, signal: AbortSignal): Promise<DownloadModelResult> {
    if (!this.download) return { ok: false, message: 'Downloading the model is not available in this build.', path: null };
    if (!this.init.storagePath) return { ok: false, message: 'The editor gave no storage folder to download the model into.', path: null };
    let last = 0;
    try {
      const folder = await this.download({
        cacheDir: this.init.storagePath,
        signal,
        onProgress: (p) => {
          const now = Date.now();
          if (now - last < PROGRESS_INTERVAL_MS && p.bytesDone < p.bytesTotal) return;
          last = now;
          this.host.sendDownloadProgress({ downloadId: params.downloadId, received: p.bytesDone, total: p.bytesTotal > 0 ? p.bytesTotal : null, file: p.file });
        },
      });
      this.host.log.info(`Model downloaded to ${folder.path}`);
      return { ok: true, message: `The model is in ${folder.path}. Restart the server to use it.`, path: folder.path };
    } catch (e) {
      if (signal.aborted) return { ok: false, message: 'Download cancelled.', path: null };
      this.host.log.error('Model download failed', e);
      return { ok: false, message: `Download failed: ${errorMessage(e)}`, path: null };
    }
  }
}
