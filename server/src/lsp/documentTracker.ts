import * as path from 'node:path';
import { CancelledError } from '../classify/detector';
import { defaultExtractSettings, type Extraction } from '../engine/extract';
import { rateOf } from '../engine/summary';
import type { ParseErrorRecord } from '../formats/records';
import type { AnalysisState, DetectorInfo } from '../shared/protocol';
import type { Settings } from '../shared/settings';
import { makeVerdict, type Verdict } from '../verdicts/verdict';
import { DetectorHost, type Fallback } from './detectorHost';
import { parseErrorDiagnostics, refusalDiagnostics } from './diagnostics';
import { extractDocument } from './documentExtraction';
import { fileNameFor, fsPathOf } from './documentUri';
import { formatForPath } from './fileGlobs';
import type { SettingsCache } from './settingsCache';
import { errorMessage, type ProgressHandle, type ServerHost } from './serverHost';

/** An open document as the tracker needs it (vscode-languageserver's TextDocument fits). */
export interface OpenDocument {
  readonly uri: string;
  readonly version: number;
  readonly languageId: string;
  getText(): string;
}

/** A finished analysis of one document version. */
export interface DocumentResult {
  uri: string;
  version: number;
  format: string | null;
  verdicts: Verdict[];
  errors: ParseErrorRecord[];
  detector: DetectorInfo | null;
  fallback: Fallback;
  settings: Settings;
}

/** Quiet time after an edit before analysis starts: longer for larger documents (their analysis costs more). */
export function debounceDelay(chars: number): number {
  return Math.min(2000, 100 + Math.round(chars / 10_000));
}

/** Documents this large show editor progress while read; this many new texts while classified. */
const PROGRESS_CHARS = 2 * 1024 * 1024;
const PROGRESS_TEXTS = 500;
const STATS_INTERVAL_MS = 200;
/** Analyses shorter than this never show the classifying state. */
const SPINNER_DELAY_MS = 150;

interface DocState {
  doc: OpenDocument;
  timer: NodeJS.Timeout | null;
  /** Resolves the promise of a pending timer that was replaced (so idle() never waits on it). */
  cancelTimer: (() => void) | null;
  controller: AbortController | null;
  result: DocumentResult | null;
  /** The format some version of this document was read as: its parse errors keep being reported when it breaks. */
  lastFormat: string | null;
  /**
   * The records of a version and what decided how it was read: a settings change that reads it the
   * same way (threshold, severity) labels them again without reading the document again.
   */
  read: { version: number; how: string; extraction: Extraction } | null;
}

export interface TrackerOptions {
  host: ServerHost;
  detectors: DetectorHost;
  settings: SettingsCache;
  workspaceFolders: () => readonly string[];
  /** Debounce by document size (tests pass `() => 0`). */
  delay?: (chars: number) => number;
}

/**
 * Open documents: each edit schedules an analysis after a pause scaled by size; a newer version
 * cancels the running one (its token) and results of a version that is no longer the latest are
 * dropped, so stale diagnostics never replace fresh ones. Any failure becomes an error state,
 * cleared diagnostics and a log line with the stack.
 */
export class DocumentTracker {
  private readonly docs = new Map<string, DocState>();
  private readonly pending = new Set<Promise<void>>();
  private readonly delay: (chars: number) => number;

  constructor(private readonly o: TrackerOptions) {
    this.delay = o.delay ?? debounceDelay;
  }

  /** A document opened or changed. */
  update(doc: OpenDocument): void {
    let state = this.docs.get(doc.uri);
    const first = !state;
    if (!state) {
      state = { doc, timer: null, cancelTimer: null, controller: null, result: null, lastFormat: null, read: null };
      this.docs.set(doc.uri, state);
    }
    state.doc = doc;
    this.schedule(state, first ? 0 : this.delay(doc.getText().length));
  }

  close(uri: string): void {
    const state = this.docs.get(uri);
    if (!state) return;
    this.stop(state);
    this.docs.delete(uri);
    this.o.host.publishDiagnostics(uri, []);
  }

  /** Settings changed: analyse every open document again (its records and the classification cache make it cheap). */
  refreshAll(): void {
    for (const state of this.docs.values()) this.schedule(state, 0);
  }

  /** The analysis of the document's current version, if finished. */
  result(uri: string): DocumentResult | null {
    const state = this.docs.get(uri);
    return state?.result && state.result.version === state.doc.version ? state.result : null;
  }

  isOpen(uri: string): boolean {
    return this.docs.has(uri);
  }

  /** Resolves when no analysis is scheduled or running (tests wait on this, never on sleeps). */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  dispose(): void {
    for (const state of this.docs.values()) this.stop(state);
    this.docs.clear();
  }

  private stop(state: DocState): void {
    if (state.timer) clearTimeout(state.timer);
    state.timer = null;
    state.cancelTimer?.();
    state.cancelTimer = null;
    state.controller?.abort();
    state.controller = null;
  }

  private schedule(state: DocState, delay: number): void {
    // the running analysis is for an older version (or older settings): drop it now
    this.stop(state);
    const doc = state.doc;
    const p = new Promise<void>((resolve) => {
      state.cancelTimer = resolve;
      state.timer = setTimeout(() => {
        state.timer = null;
        state.cancelTimer = null;
        this.run(state, doc).then(resolve, resolve);
      }, delay);
    });
    this.track(p);
  }

  private track(p: Promise<void>): void {
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
  }

  private async run(state: DocState, doc: OpenDocument): Promise<void> {
    const controller = new AbortController();
    state.controller = controller;
    const { signal } = controller;
    const { host, detectors } = this.o;
    const uri = doc.uri;
    const current = () => !signal.aborted && this.docs.get(uri) === state && state.doc.version === doc.version;
    const progress = new LazyProgress(host);
    try {
      const settings = await this.o.settings.get(uri);
      if (!current()) return;
      const text = doc.getText();
      const limit = settings.maxFileSizeMb * 1024 * 1024;
      if (text.length > limit) {
        this.fail(state, doc, `This document is ${(text.length / 1024 / 1024).toFixed(1)} MB, over refusalLens.maxFileSizeMb (${settings.maxFileSizeMb}): not analysed`);
        return;
      }
      const fileName = fileNameFor(uri, doc.languageId);
      const fsPath = fsPathOf(uri);
      const forced = formatForPath(settings.files, fsPath ?? fileName, this.o.workspaceFolders());
      const how = JSON.stringify([settings.fields, forced]);
      let extraction = state.read?.version === doc.version && state.read.how === how ? state.read.extraction : null;
      if (!extraction) {
        if (text.length > PROGRESS_CHARS) progress.start(`Refusal Lens: ${path.basename(fileName)}`);
        extraction = await extractDocument(text, fileName, { ...defaultExtractSettings, fields: settings.fields, inputFormat: forced }, signal);
        if (!current()) return;
        state.read = { version: doc.version, how, extraction };
      }
      const format = extraction.format ?? forced ?? state.lastFormat;
      if (!format) {
        // not a file we read (a package.json, a README): no diagnostics, no status
        this.finish(state, { uri, version: doc.version, format: null, verdicts: [], errors: [], detector: null, fallback: { kind: 'none' }, settings }, { kind: 'ready' });
        return;
      }
      state.lastFormat = format;
      if (!detectors.current) this.sendStats(state, doc.version, { kind: 'loading-model' }, format, null);
      const active = await detectors.get();
      if (!current()) return;
      // the spinner shows only for analyses that take a while: no flicker on small documents
      let latest = { done: 0, total: extraction.responses.length };
      let lastStats = 0;
      const showClassifying = () => {
        if (!current() || latest.done >= latest.total) return;
        lastStats = Date.now();
        this.sendStats(state, doc.version, { kind: 'classifying', ...latest }, format, active.info);
      };
      const spinner = setTimeout(showClassifying, SPINNER_DELAY_MS);
      let classes;
      try {
        classes = await active.detector.classify(
          extraction.responses.map((r) => r.text),
          {
            signal,
            onProgress: (done, total) => {
              latest = { done, total };
              if (done >= total || !current()) return;
              if (total - done >= PROGRESS_TEXTS) progress.start(`Refusal Lens: ${path.basename(fileName)}`);
              progress.report(Math.floor((done / total) * 100), `${done}/${total} responses`);
              if (lastStats > 0 && Date.now() - lastStats >= STATS_INTERVAL_MS) showClassifying();
            },
          },
        );
      } finally {
        clearTimeout(spinner);
      }
      if (!current()) return;
      const verdicts = extraction.responses.map((r, i) => makeVerdict(r, classes[i], active.detector, settings));
      const result: DocumentResult = { uri, version: doc.version, format, verdicts, errors: extraction.errors, detector: active.info, fallback: active.fallback, settings };
      this.finish(state, result, finishedState(active.fallback));
    } catch (e) {
      if (e instanceof CancelledError || signal.aborted) return;
      host.log.error(`Analysis of ${uri} (version ${doc.version}) failed; its diagnostics are cleared`, e);
      if (this.docs.get(uri) === state && state.doc.version === doc.version) this.fail(state, doc, errorMessage(e));
    } finally {
      progress.done();
      if (state.controller === controller) state.controller = null;
    }
  }

  private finish(state: DocState, result: DocumentResult, analysisState: AnalysisState): void {
    state.result = result;
    const diagnostics = [...refusalDiagnostics(result.uri, result.verdicts, result.settings.severity), ...parseErrorDiagnostics(result.errors)];
    this.o.host.publishDiagnostics(result.uri, diagnostics);
    this.sendStats(state, result.version, analysisState, result.format, result.detector);
  }

  private fail(state: DocState, doc: OpenDocument, message: string): void {
    state.result = null;
    this.o.host.publishDiagnostics(doc.uri, []);
    this.sendStats(state, doc.version, { kind: 'error', message }, state.lastFormat, this.o.detectors.current?.info ?? null);
  }

  private sendStats(state: DocState, version: number, analysisState: AnalysisState, format: string | null, detector: DetectorInfo | null): void {
    // while classifying, the numbers of the last finished analysis stay on show
    const r = analysisState.kind === 'classifying' || analysisState.kind === 'loading-model' ? state.result : state.result?.version === version ? state.result : null;
    let refusals = 0;
    let overRefusals = 0;
    for (const v of r?.verdicts ?? []) {
      if (v.label === 'refusal') refusals++;
      if (v.overRefusal) overRefusals++;
    }
    const responses = r?.verdicts.length ?? 0;
    this.o.host.sendStats({
      uri: state.doc.uri,
      version,
      format,
      responses,
      refusals,
      overRefusals,
      rate: rateOf(refusals, responses),
      parseErrors: r ? parseErrorDiagnostics(r.errors).length : 0,
      state: analysisState,
      detector,
    });
  }
}

function finishedState(fallback: Fallback): AnalysisState {
  if (fallback.kind === 'fallback') return { kind: 'lexical-fallback', reason: fallback.reason };
  if (fallback.kind === 'restricted') return { kind: 'restricted' };
  return { kind: 'ready' };
}

/** Work-done progress begun only when work turns out to be long; created once, ended once. */
class LazyProgress {
  private handle: Promise<ProgressHandle | null> | null = null;
  private ended = false;

  constructor(private readonly host: ServerHost) {}

  start(title: string): void {
    if (this.handle || this.ended) return;
    this.handle = this.host.startProgress(title).catch(() => null);
  }

  report(percentage: number, message: string): void {
    void this.handle?.then((h) => {
      if (!this.ended) h?.report(percentage, message);
    });
  }

  done(): void {
    if (this.ended) return;
    this.ended = true;
    void this.handle?.then((h) => h?.done());
  }
}
