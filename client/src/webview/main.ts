/**
 * The results panel's script (bundled to dist/webview.js, a browser IIFE). It keeps a copy of
 * the rows the extension sends, applies the filters and sort (rowQuery, shared with the
 * extension's export), draws the table and summary, and saves filters, sort and scroll with
 * setState so they survive hide/show. It never parses data as HTML.
 */
import './resultsPanel.css';
import type { CompareSummary } from '../../../server/src/shared/compareSummary';
import { CHANGE_KINDS, type ChangeKind, type ResultRow } from '../../../server/src/shared/resultRow';
import { compareCaption, modelChanges } from '../panel/compareText';
import type { HostMessage, PanelState, WebviewMessage } from '../panel/panelMessages';
import { parseHostMessage, parsePanelState } from '../panel/panelMessages';
import type { RowQuery, SortKey } from '../panel/rowQuery';
import { defaultDescending, matchesScope, modelsIn, queryRows } from '../panel/rowQuery';
import { formatRate, summarize } from '../panel/rowSummary';
import { histogramChart, rateBarsChart } from './charts';
import { compareModelsTable } from './compareView';
import { TableView } from './tableView';
import './vscodeApi';

const vscode = acquireVsCodeApi();
const post = (message: WebviewMessage): void => vscode.postMessage(message);

function byId<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`results panel: #${id} missing from the HTML shell`);
  return el as T;
}

const ui = {
  title: byId('title'),
  status: byId('status'),
  refusalsOnly: byId<HTMLInputElement>('refusals-only'),
  overRefusalsOnly: byId<HTMLInputElement>('over-refusals-only'),
  model: byId<HTMLSelectElement>('model-filter'),
  change: byId<HTMLSelectElement>('change-filter'),
  search: byId<HTMLInputElement>('search'),
  count: byId('count'),
  exportJson: byId('export-json'),
  exportCsv: byId('export-csv'),
  summary: byId('summary'),
  summaryCaption: byId('summary-caption'),
  compareSummary: byId('compare-summary'),
  compareCaption: byId('compare-caption'),
  compareModels: byId('compare-models'),
  chartModels: byId('chart-models'),
  chartFiles: byId('chart-files'),
  chartHistogram: byId('chart-histogram'),
  grid: byId('grid'),
  viewport: byId('viewport'),
  spacer: byId('spacer'),
  empty: byId('empty'),
};

const saved = parsePanelState(vscode.getState());
let query: RowQuery = saved.query;
let rows: ResultRow[] = [];
let generation = -1;
let threshold = 0.5;
let complete = false;
/** Set when the rows compare two runs (each row carries `diff`). */
let compare: CompareSummary | undefined;
/** Scroll position and active row to restore once enough rows have arrived (after a hide/show). */
let pending: { scrollTop: number; active: number } | null = null;
let modelList = '';

const table = new TableView(document, ui.grid, ui.viewport, ui.spacer, {
  reveal: (index, side) => post(side === 'old' ? { type: 'reveal', generation, index, side } : { type: 'reveal', generation, index }),
  activeChanged: () => saveState(),
});

// ---- state ---------------------------------------------------------------------------------

/** Saves at once: the webview may be torn down right after a change (hidden tab). */
function saveState(): void {
  // While a restore waits for rows, the position to keep is the one being restored.
  const position = pending ?? { scrollTop: ui.viewport.scrollTop, active: table.activePos };
  const state: PanelState = { query, ...position, generation };
  vscode.setState(state);
}

/** Saves at most every 150 ms (scrolling). */
let saveTimer: ReturnType<typeof setTimeout> | undefined;
function saveStateSoon(): void {
  if (saveTimer !== undefined) return;
  saveTimer = setTimeout(() => {
    saveTimer = undefined;
    saveState();
  }, 150);
}

function showQuery(): void {
  ui.refusalsOnly.checked = query.refusalsOnly;
  ui.overRefusalsOnly.checked = query.overRefusalsOnly;
  if (ui.search.value !== query.text) ui.search.value = query.text;
  ui.change.value = query.change ?? '';
  fillModels(true);
  for (const button of Array.from(document.querySelectorAll<HTMLButtonElement>('button[data-sort]'))) {
    const key = button.getAttribute('data-sort');
    const on = key === query.sort;
    button.parentElement?.setAttribute('aria-sort', on ? (query.descending ? 'descending' : 'ascending') : 'none');
    const mark = button.querySelector('.sort-mark');
    if (mark) mark.textContent = on ? (query.descending ? ' ▼' : ' ▲') : '';
  }
}

function setQuery(change: Partial<RowQuery>): void {
  query = { ...query, ...change };
  showQuery();
  update(true);
  saveState();
}

// ---- drawing -------------------------------------------------------------------------------

/** The model filter's options: every model in the rows, plus the chosen one even if absent. */
function fillModels(force: boolean): void {
  const models = modelsIn(rows);
  if (query.model !== null && !models.includes(query.model)) models.push(query.model);
  const key = models.join('\u0000');
  if (force || key !== modelList) {
    modelList = key;
    const all = document.createElement('option');
    all.value = '';
    all.textContent = 'All models';
    const options = models.map((m) => {
      const o = document.createElement('option');
      o.value = m;
      o.textContent = m;
      return o;
    });
    ui.model.replaceChildren(all, ...options);
  }
  ui.model.value = query.model ?? '';
}

let summaryTimer: ReturnType<typeof setTimeout> | undefined;
function drawSummarySoon(): void {
  // While a scan streams in, redraw at most a few times a second.
  if (summaryTimer !== undefined) return;
  summaryTimer = setTimeout(() => {
    summaryTimer = undefined;
    drawSummary();
  }, complete ? 0 : 250);
}

function drawSummary(): void {
  // A comparison has its own summary (drawn once per set): rates of the changed rows alone would mislead.
  if (compare) return;
  const inScope = matchesScope(query);
  const indices: number[] = [];
  for (let i = 0; i < rows.length; i++) if (inScope(rows[i])) indices.push(i);
  const s = summarize(rows, indices, threshold);
  const labelFiltered = query.refusalsOnly || query.overRefusalsOnly;
  ui.summaryCaption.textContent = `${s.total.toLocaleString()} responses, ${formatRate(s.refusals, s.total)} refusals, ${s.overRefusals.toLocaleString()} over-refusals${labelFiltered ? ' (label filters not applied)' : ''}`;
  ui.chartModels.replaceChildren(rateBarsChart(document, s.byModel, { testId: 'rate-bar-model', per: 'model', keep: 'start', limit: 8 }));
  ui.chartFiles.replaceChildren(rateBarsChart(document, s.byFile, { testId: 'rate-bar-file', per: 'file', keep: 'end', limit: 8 }));
  ui.chartHistogram.replaceChildren(histogramChart(document, s.histogram));
}

/** Re-filter, re-sort and redraw. `queryChanged`: the user changed filters, so go back to the top. */
function update(queryChanged: boolean): void {
  const order = queryRows(rows, query);
  if (queryChanged) {
    pending = null;
    ui.viewport.scrollTop = 0;
    table.setActiveQuietly(0);
  }
  table.setData(rows, order);
  restorePosition(order.length);
  ui.count.textContent = `Showing ${order.length.toLocaleString()} of ${rows.length.toLocaleString()} ${compare ? 'compared responses' : 'responses'}`;
  ui.count.setAttribute('data-shown', String(order.length));
  ui.count.setAttribute('data-total', String(rows.length));
  ui.empty.hidden = order.length > 0;
  ui.empty.textContent = rows.length === 0 ? (complete ? (compare ? 'No response changed, and none is refused in both runs.' : 'No responses in this result set.') : 'No responses yet.') : 'No responses match the filters.';
  fillModels(false);
  drawSummarySoon();
}

/** Shows the comparison's summary and columns, or the ordinary summary when the set is not a comparison. */
function showMode(): void {
  document.body.classList.toggle('compare', compare !== undefined);
  ui.summary.hidden = compare !== undefined;
  ui.compareSummary.hidden = compare === undefined;
  if (!compare) {
    ui.compareCaption.textContent = '';
    ui.compareModels.replaceChildren();
    return;
  }
  ui.compareCaption.textContent = compareCaption(compare);
  ui.compareModels.replaceChildren(compareModelsTable(document, modelChanges(compare)));
}

function restorePosition(shown: number): void {
  if (pending === null) return;
  table.setActiveQuietly(Math.min(pending.active, shown - 1));
  ui.viewport.scrollTop = pending.scrollTop;
  table.render();
  if ((Math.abs(ui.viewport.scrollTop - pending.scrollTop) < 1 && pending.active < shown) || complete) pending = null;
}

let updateQueued = false;
function updateSoon(): void {
  if (updateQueued) return;
  updateQueued = true;
  setTimeout(() => {
    updateQueued = false;
    update(false);
  }, 0);
}

// ---- messages from the extension -----------------------------------------------------------

function receive(message: HostMessage): void {
  switch (message.type) {
    case 'reset': {
      const sameSet = message.generation === saved.generation && generation === -1;
      // The same source sent again (the file was edited and re-analysed): stay where the user was.
      const refresh = generation !== -1 && message.title === ui.title.textContent;
      const here = { scrollTop: ui.viewport.scrollTop, active: table.activePos };
      generation = message.generation;
      threshold = message.threshold;
      compare = message.compare;
      // the change filter means nothing to a set that is no comparison (and is hidden there)
      if (!compare && query.change !== undefined) {
        query = { ...query, change: undefined };
        showQuery();
      }
      showMode();
      rows = [];
      complete = false;
      ui.title.textContent = message.title;
      // A reload of the set the saved state belongs to resumes where it was; so does a refresh;
      // another set starts at the top.
      pending = sameSet ? { scrollTop: saved.scrollTop, active: saved.active } : refresh ? here : null;
      saveStateSoon();
      // A refresh keeps showing the old rows until the new ones arrive (no blank flash).
      if (refresh) return;
      table.setActiveQuietly(0);
      ui.viewport.scrollTop = 0;
      update(false);
      return;
    }
    case 'rows':
      if (message.generation !== generation) return;
      for (const row of message.rows) rows.push(row);
      if (message.complete) complete = true;
      updateSoon();
      return;
    case 'status':
      ui.status.textContent = message.text ?? '';
      return;
  }
}

window.addEventListener('message', (event: MessageEvent) => {
  const message = parseHostMessage(event.data);
  if (message) receive(message);
});

// ---- controls ------------------------------------------------------------------------------

ui.refusalsOnly.addEventListener('change', () => setQuery({ refusalsOnly: ui.refusalsOnly.checked }));
ui.overRefusalsOnly.addEventListener('change', () => setQuery({ overRefusalsOnly: ui.overRefusalsOnly.checked }));
ui.model.addEventListener('change', () => setQuery({ model: ui.model.value === '' ? null : ui.model.value }));
ui.change.addEventListener('change', () => {
  const kind = CHANGE_KINDS.find((k) => k === ui.change.value);
  setQuery({ change: kind as ChangeKind | undefined });
});
let searchTimer: ReturnType<typeof setTimeout> | undefined;
ui.search.addEventListener('input', () => {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(() => setQuery({ text: ui.search.value }), 150);
});
for (const button of Array.from(document.querySelectorAll<HTMLButtonElement>('button[data-sort]'))) {
  button.addEventListener('click', () => {
    const sort = button.getAttribute('data-sort') as SortKey;
    setQuery(sort === query.sort ? { descending: !query.descending } : { sort, descending: defaultDescending(sort) });
  });
}
ui.exportJson.addEventListener('click', () => post({ type: 'export', format: 'json', query }));
ui.exportCsv.addEventListener('click', () => post({ type: 'export', format: 'csv', query }));

let frame = 0;
ui.viewport.addEventListener('scroll', () => {
  if (frame === 0) {
    frame = requestAnimationFrame(() => {
      frame = 0;
      table.render();
    });
  }
  saveStateSoon();
});
new ResizeObserver(() => table.render()).observe(ui.viewport);

showQuery();
showMode();
update(false);
post({ type: 'ready' });
