// Row virtualisation for the guest table: only the rows in the scroll container's view, plus a
// few either side, are in the DOM; spacer rows above and below keep the scroll height, so the
// scroll bar, keyboard scrolling and Tab (which scrolls the next row into view, and the overscan
// has it rendered already) behave as with every row present. Rows are assumed to be about the
// same height: the height is measured from the rows on screen, not guessed.
import { useLayoutEffect, useRef, useState, type RefObject } from 'react';

/** Rows rendered beyond each edge of the view. */
const OVERSCAN = 10;
/** Before anything is laid out (and in jsdom, which lays nothing out): this many rows. */
const UNMEASURED_ROWS = 60;
/** A compact PatternFly row with a checkbox, until one is measured. */
const ESTIMATED_ROW_PX = 37;

export interface VirtualRows {
  scrollRef: RefObject<HTMLDivElement | null>;
  tbodyRef: RefObject<HTMLTableSectionElement | null>;
  /** Rows [start, end) are rendered. */
  start: number;
  end: number;
  /** Heights of the spacer rows above and below, in px. */
  padTop: number;
  padBottom: number;
}

export function useVirtualRows(count: number): VirtualRows {
  const scrollRef = useRef<HTMLDivElement | null>(null);
  const tbodyRef = useRef<HTMLTableSectionElement | null>(null);
  const [view, setView] = useState({ top: 0, height: 0 });
  const [rowPx, setRowPx] = useState(ESTIMATED_ROW_PX);
  /** Where the rows start inside the scrolled content (below the header), measured. */
  const [headPx, setHeadPx] = useState(0);

  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const update = () => setView((v) => (v.top === el.scrollTop && v.height === el.clientHeight ? v : { top: el.scrollTop, height: el.clientHeight }));
    update();
    el.addEventListener('scroll', update, { passive: true });
    const ro = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(update);
    ro?.observe(el);
    return () => {
      el.removeEventListener('scroll', update);
      ro?.disconnect();
    };
  }, []);

  let start = 0;
  let end = Math.min(count, UNMEASURED_ROWS);
  if (view.height > 0) {
    start = Math.max(0, Math.floor((view.top - headPx) / rowPx) - OVERSCAN);
    end = Math.min(count, Math.ceil((view.top - headPx + view.height) / rowPx) + OVERSCAN);
    start = Math.min(start, end);
  }

  // Measure the real row height from what is rendered (average of the data rows) when the set of
  // rendered rows changes; not on every live update, where reading the layout would force one.
  useLayoutEffect(() => {
    const body = tbodyRef.current;
    if (!body) return;
    if (body.offsetTop !== headPx) setHeadPx(body.offsetTop);
    const data = body.querySelectorAll<HTMLTableRowElement>(':scope > tr[data-guest-id]');
    if (data.length < 2) return;
    const first = data[0].getBoundingClientRect();
    const last = data[data.length - 1].getBoundingClientRect();
    const measured = (last.bottom - first.top) / data.length;
    if (measured > 0 && Math.abs(measured - rowPx) > 0.5) setRowPx(measured);
  }, [start, end, count, view.height, rowPx, headPx]);

  return { scrollRef, tbodyRef, start, end, padTop: start * rowPx, padBottom: (count - end) * rowPx };
}
