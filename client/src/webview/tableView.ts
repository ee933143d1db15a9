/**
 * The virtualised table: only the rows in (and just around) the viewport are in the DOM, each
 * absolutely placed at a fixed height, so 50,000 rows cost what 40 do. Rows are built with
 * createElement/setAttribute/textContent only: response text never reaches an HTML parser.
 * Keyboard: roving tabindex over the rows; arrows, Page Up/Down, Home/End move; Enter or
 * Space reveals; a click reveals. Rows of compared runs reveal their OLD response on a click in
 * the Before cell, or Shift+Enter.
 */
import type { ResultRow } from '../../../server/src/shared/resultRow';
import type { RevealSide } from '../panel/panelMessages';
import { rowCells, rowLabel } from '../panel/rowCells';
import { pageRows, scrollToReveal, virtualWindow } from '../panel/virtualWindow';

/** Must match `.row { height }` in resultsPanel.css. */
export const ROW_HEIGHT = 24;

/** The element for rows[index] shown at display position `pos`. */
export function renderRow(doc: Document, row: ResultRow, index: number, pos: number): HTMLElement {
  const el = doc.createElement('div');
  const label = rowLabel(row);
  el.className = `row ${label}`;
  el.id = `row-${pos}`;
  el.setAttribute('role', 'row');
  el.setAttribute('aria-rowindex', String(pos + 2));
  el.setAttribute('tabindex', '-1');
  el.setAttribute('data-testid', 'result-row');
  el.setAttribute('data-index', String(index));
  el.setAttribute('data-pos', String(pos));
  el.setAttribute('data-label', row.label);
  el.setAttribute('data-over-refusal', String(row.overRefusal));
  el.setAttribute('data-id', row.id);
  if (row.diff) el.setAttribute('data-change', row.diff.change);
  el.style.transform = `translateY(${pos * ROW_HEIGHT}px)`;
  for (const cell of rowCells(row)) {
    const c = doc.createElement('div');
    c.className = `cell c-${cell.column}`;
    c.setAttribute('role', 'gridcell');
    c.setAttribute('data-testid', `cell-${cell.column}`);
    c.setAttribute('title', cell.title);
    c.textContent = cell.text;
    if (cell.column === 'before') c.setAttribute('data-reveal', 'old');
    el.appendChild(c);
  }
  return el;
}

export interface TableCallbacks {
  /** The user asked to open rows[index] (`old`: the OLD response of a compared pair). */
  reveal(index: number, side: RevealSide): void;
  /** The keyboard-active position changed (to save it). */
  activeChanged(pos: number): void;
}

interface Rendered {
  el: HTMLElement;
  row: ResultRow;
}

export class TableView {
  private rows: readonly ResultRow[] = [];
  private order: readonly number[] = [];
  private readonly rendered = new Map<number, Rendered>();
  private active = 0;

  constructor(
    private readonly doc: Document,
    private readonly grid: HTMLElement,
    private readonly viewport: HTMLElement,
    private readonly spacer: HTMLElement,
    private readonly callbacks: TableCallbacks,
  ) {
    viewport.addEventListener('click', (e) => this.onClick(e));
    viewport.addEventListener('keydown', (e) => this.onKeyDown(e));
    viewport.addEventListener('focus', (e) => {
      if (e.target === viewport && this.order.length > 0) this.setActive(this.visibleActive(), true);
    });
  }

  get activePos(): number {
    return this.active;
  }

  /** Rows currently in the DOM (for tests and the e2e notes' claims). */
  get renderedCount(): number {
    return this.rendered.size;
  }

  /** Show `order` (indices into `rows`, display order). */
  setData(rows: readonly ResultRow[], order: readonly number[]): void {
    this.rows = rows;
    this.order = order;
    this.active = Math.min(this.active, Math.max(0, order.length - 1));
    this.spacer.style.height = `${order.length * ROW_HEIGHT}px`;
    this.grid.setAttribute('aria-rowcount', String(order.length + 1));
    this.render();
  }

  setActiveQuietly(pos: number): void {
    this.active = Math.max(0, Math.min(pos, this.order.length - 1));
  }

  render(): void {
    const w = virtualWindow(this.order.length, ROW_HEIGHT, this.viewport.scrollTop, this.viewport.clientHeight);
    let lostFocus = false;
    for (const [pos, r] of this.rendered) {
      const index = this.order[pos];
      if (pos < w.first || pos >= w.end || this.rows[index] !== r.row || r.el.getAttribute('data-index') !== String(index)) {
        if (this.doc.activeElement === r.el) lostFocus = true;
        r.el.remove();
        this.rendered.delete(pos);
      }
    }
    for (let pos = w.first; pos < w.end; pos++) {
      if (this.rendered.has(pos)) continue;
      const index = this.order[pos];
      const row = this.rows[index];
      const el = renderRow(this.doc, row, index, pos);
      this.viewport.appendChild(el);
      this.rendered.set(pos, { el, row });
    }
    for (const [pos, r] of this.rendered) {
      const on = pos === this.active;
      r.el.setAttribute('tabindex', on ? '0' : '-1');
      r.el.setAttribute('aria-selected', on ? 'true' : 'false');
    }
    // The viewport is the tab stop only while the active row is not in the DOM.
    this.viewport.setAttribute('tabindex', this.rendered.has(this.active) ? '-1' : '0');
    if (lostFocus) this.viewport.focus({ preventScroll: true });
  }

  /** Make `pos` active, scroll it into view, and focus it when asked. */
  setActive(pos: number, focus: boolean): void {
    if (this.order.length === 0) return;
    this.active = Math.max(0, Math.min(pos, this.order.length - 1));
    const top = scrollToReveal(this.active, ROW_HEIGHT, this.viewport.scrollTop, this.viewport.clientHeight);
    if (top !== this.viewport.scrollTop) this.viewport.scrollTop = top;
    this.render();
    if (focus) this.rendered.get(this.active)?.el.focus({ preventScroll: true });
    this.callbacks.activeChanged(this.active);
  }

  /** The active row if it is on screen, else the first row that is. */
  private visibleActive(): number {
    const first = Math.ceil(this.viewport.scrollTop / ROW_HEIGHT);
    const last = Math.floor((this.viewport.scrollTop + this.viewport.clientHeight) / ROW_HEIGHT) - 1;
    return this.active >= first && this.active <= last ? this.active : first;
  }

  private posOf(target: EventTarget | null): number | undefined {
    const el = (target as Element | null)?.closest?.('[role="row"][data-pos]');
    if (!el) return undefined;
    const pos = Number(el.getAttribute('data-pos'));
    return Number.isInteger(pos) && pos >= 0 && pos < this.order.length ? pos : undefined;
  }

  private onClick(e: MouseEvent): void {
    const pos = this.posOf(e.target);
    if (pos === undefined) return;
    this.setActive(pos, true);
    const old = (e.target as Element | null)?.closest?.('[data-reveal="old"]') && this.rows[this.order[pos]].diff;
    this.callbacks.reveal(this.order[pos], old ? 'old' : 'new');
  }

  private onKeyDown(e: KeyboardEvent): void {
    if (this.order.length === 0) return;
    // Keys on the body itself (the active row was scrolled away) continue from what is on screen.
    if (e.target === this.viewport && !this.rendered.has(this.active)) this.active = this.visibleActive();
    const page = pageRows(ROW_HEIGHT, this.viewport.clientHeight);
    const moves: Record<string, number> = {
      ArrowDown: this.active + 1,
      ArrowUp: this.active - 1,
      PageDown: this.active + page,
      PageUp: this.active - page,
      Home: 0,
      End: this.order.length - 1,
    };
    if (e.key in moves) {
      e.preventDefault();
      this.setActive(moves[e.key], true);
    } else if (e.key === 'Enter' || e.key === ' ') {
      const pos = this.posOf(e.target) ?? this.active;
      e.preventDefault();
      this.setActive(pos, true);
      const old = e.key === 'Enter' && e.shiftKey && this.rows[this.order[pos]].diff;
      this.callbacks.reveal(this.order[pos], old ? 'old' : 'new');
    }
  }
}
