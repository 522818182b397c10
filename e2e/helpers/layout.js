// Boxes on the page, for the layout tests (modes, present): where an element is drawn,
// whether it is shown, inside another or over it.

/** A box as plain numbers. */
export function box(r) {
  return { left: r.left, top: r.top, right: r.right, bottom: r.bottom, width: r.width, height: r.height };
}

/** Whether box `a` lies inside box `b` (to within a pixel). */
export const inside = (a, b) => a.left >= b.left - 1 && a.top >= b.top - 1 && a.right <= b.right + 1 && a.bottom <= b.bottom + 1;

/** Whether two boxes overlap by more than a pixel. */
export const overlap = (a, b) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1 && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1;

/** The box of what `selector` finds, and whether it is shown (null when it is absent). */
export async function shown(app, selector) {
  return app.page.evaluate((selector) => {
    const el = document.querySelector(selector);
    if (!el || el.getClientRects().length === 0) return null;
    const style = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    return {
      visible: style.visibility !== 'hidden' && style.display !== 'none' && Number(style.opacity) > 0 && r.width > 0 && r.height > 0,
      box: { left: r.left, top: r.top, right: r.right, bottom: r.bottom, width: r.width, height: r.height },
    };
  }, selector);
}

/** The window as a box. */
export function viewport(app) {
  return app.page.evaluate(() => ({ left: 0, top: 0, right: innerWidth, bottom: innerHeight, width: innerWidth, height: innerHeight }));
}
