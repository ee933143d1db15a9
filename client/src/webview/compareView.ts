/**
 * A comparison's per-model table (Compare With...): each model's refusal rate before and after,
 * as text and as two small bars. Built with createElement and textContent only: model names are
 * data and only ever become text.
 */
import type { ModelChange } from '../panel/compareText';

function cell(doc: Document, tag: 'th' | 'td', text: string, className?: string): HTMLElement {
  const el = doc.createElement(tag);
  el.textContent = text;
  if (className) el.className = className;
  return el;
}

/** A rate as text with a bar under it (width from the rate; no bar where the model has no responses). */
function rateCell(doc: Document, text: string, rate: number | null, side: 'before' | 'after'): HTMLElement {
  const td = doc.createElement('td');
  td.className = `rate ${side}`;
  const label = doc.createElement('span');
  label.textContent = text;
  td.appendChild(label);
  if (rate !== null) {
    const track = doc.createElement('span');
    track.className = 'mini-bar';
    track.setAttribute('aria-hidden', 'true');
    const fill = doc.createElement('span');
    fill.className = `mini-fill ${side}`;
    fill.style.width = `${(Math.min(1, Math.max(0, rate)) * 100).toFixed(1)}%`;
    track.appendChild(fill);
    td.appendChild(track);
  }
  return td;
}

export function compareModelsTable(doc: Document, changes: readonly ModelChange[]): HTMLElement {
  const table = doc.createElement('table');
  table.className = 'compare-models';
  table.setAttribute('aria-label', 'Refusal rate per model, before and after');
  const head = doc.createElement('thead');
  const hr = doc.createElement('tr');
  for (const h of ['Model', 'Before', 'After', 'Change']) hr.appendChild(cell(doc, 'th', h));
  head.appendChild(hr);
  const body = doc.createElement('tbody');
  for (const c of changes) {
    const tr = doc.createElement('tr');
    tr.setAttribute('data-testid', 'compare-model');
    tr.setAttribute('data-model', c.model);
    tr.appendChild(cell(doc, 'th', c.model, 'model'));
    tr.appendChild(rateCell(doc, c.before, c.beforeRate, 'before'));
    tr.appendChild(rateCell(doc, c.after, c.afterRate, 'after'));
    tr.appendChild(cell(doc, 'td', c.change, 'change'));
    body.appendChild(tr);
  }
  table.append(head, body);
  return table;
}
