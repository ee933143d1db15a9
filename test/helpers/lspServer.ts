import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Detector } from '../../server/src/classify/detector';
import { LexicalDetector } from '../../server/src/classify/lexical/lexicalDetector';
import type { DetectorFactory } from '../../server/src/lsp/detectorHost';
import { RefusalServer, type RefusalServerOptions } from '../../server/src/lsp/refusalServer';
import { FakeServerHost } from './fakeServerHost';

export const FIXTURES = path.resolve(__dirname, '../fixtures/lsp');

export function fixtureText(name: string): string {
  return fs.readFileSync(path.join(FIXTURES, name), 'utf8');
}

export function fileUri(p: string): string {
  return pathToFileURL(p).toString();
}

export function factoryOf(detector: Detector, notice: string | null = null): DetectorFactory {
  return async () => ({ detector, notice });
}

/** A server driven without a transport: no debounce, the lexical detector unless told otherwise. */
export function makeServer(options: { trusted?: boolean; config?: unknown } & RefusalServerOptions = {}): { host: FakeServerHost; server: RefusalServer } {
  const host = new FakeServerHost();
  if (options.config !== undefined) host.config[''] = options.config;
  const server = new RefusalServer(host, { trusted: options.trusted ?? true, storagePath: null, extensionPath: null }, {
    delay: () => 0,
    detectorFactory: factoryOf(new LexicalDetector()),
    ...options,
  });
  return { host, server };
}
