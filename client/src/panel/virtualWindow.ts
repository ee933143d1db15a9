/**
 * Virtual scrolling maths for a list of fixed-height rows: which rows to put in the DOM for a
 * scroll position, and where to scroll to bring one row into view. Pure numbers, no DOM.
 */

export interface VirtualWindow {
  /** First row position to render. */
  first: number;
  /** One past the last row position to render. */
  end: number;
  /** Height of the whole list in pixels (the spacer's height). */
  height: number;
}

/** Rows rendered above and below the viewport so a fast wheel does not show blank space. */
export const OVERSCAN = 6;

export function virtualWindow(count: number, rowHeight: number, scrollTop: number, viewportHeight: number, overscan = OVERSCAN): VirtualWindow {
  const height = Math.max(0, count) * rowHeight;
  if (count <= 0 || rowHeight <= 0) return { first: 0, end: 0, height };
  const top = Math.min(Math.max(0, scrollTop), Math.max(0, height - viewportHeight));
  const firstVisible = Math.floor(top / rowHeight);
  const lastVisible = Math.ceil((top + Math.max(0, viewportHeight)) / rowHeight);
  return {
    first: Math.max(0, firstVisible - overscan),
    end: Math.min(count, lastVisible + overscan),
    height,
  };
}

/** The scrollTop that shows row `pos` whole, moving as little as possible (unchanged if it already is). */
export function scrollToReveal(pos: number, rowHeight: number, scrollTop: number, viewportHeight: number): number {
  const top = pos * rowHeight;
  const bottom = top + rowHeight;
  if (top < scrollTop) return top;
  // A row taller than the viewport is shown from its top.
  if (bottom > scrollTop + viewportHeight) return Math.min(top, Math.max(0, bottom - viewportHeight));
  return scrollTop;
}

/** Rows a PageUp/PageDown moves: one viewport, less one row of context, at least one. */
export function pageRows(rowHeight: number, viewportHeight: number): number {
  return Math.max(1, Math.floor(viewportHeight / rowHeight) - 1);
}
