// Boxes on the page, for the layout tests (modes, compact, present): where an element is drawn,
// whether it is shown, inside another or over it, and where the ring's servers and labels are.

/** A box as plain numbers. */
export function box(r) {
  return { left: r.left, top: r.top, right: r.right, bottom: r.bottom, width: r.width, height: r.height };
}

/** Whether box `a` lies inside box `b` (to within a pixel). */
export const inside = (a, b) => a.left >= b.left - 1 && a.top >= b.top - 1 && a.right <= b.right + 1 && a.bottom <= b.bottom + 1;
/** Whether two boxes overlap by more than a pixel. */
export const overlap = (a, b) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1 && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1;

/**
 * In the page: the viewport, the ring (its element and the square it is drawn in: the SVG keeps
 * its shape, centred), every server's body and label (its name, role and details, each text's
 * glyph box) on screen.
 */
export function ringLayout() {
  const b = (el) => {
    const r = el.getBoundingClientRect();
    return { left: r.left, top: r.top, right: r.right, bottom: r.bottom, width: r.width, height: r.height };
  };
  const svg = document.querySelector('svg.ring');
  const ring = b(svg);
  const side = Math.min(ring.width, ring.height);
  const cx = ring.left + ring.width / 2;
  const cy = ring.top + ring.height / 2;
  return {
    viewport: { left: 0, top: 0, right: innerWidth, bottom: innerHeight, width: innerWidth, height: innerHeight },
    ring,
    drawn: { left: cx - side / 2, top: cy - side / 2, right: cx + side / 2, bottom: cy + side / 2, width: side, height: side },
    nodes: [...document.querySelectorAll('svg.ring [data-node-id][data-role] .body')].map(b),
    labels: [...document.querySelectorAll('svg.ring .node-label')].map((g) => ({
      box: b(g),
      name: b(g.querySelector('.name')),
      role: b(g.querySelector('.role-label')),
      lines: [...g.querySelectorAll('text')].map(b),
      text: g.textContent,
    })),
  };
}

/** The box of what `selector` finds, and whether it is shown (null when it is absent or not laid out). */
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
