// A small SVG chart of our own rather than a chart library: the service has no front-end build step, the console
// fetches nothing at run time, and a vendored minified library would be a blob no one here has reviewed. Drawing a
// few lines and bars is little code. Colours are SVG presentation attributes, which the page's CSP allows.
const NS = 'http://www.w3.org/2000/svg';
export const palette = ['#2458c5', '#1e7d3a', '#b3261e', '#c77700', '#7b3fb5', '#00838f', '#6d4c41', '#ad1457'];

function node(tag, attributes, parent) {
  const element = document.createElementNS(NS, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  parent?.append(element);
  return element;
}

// Stacked bars per minute: series are [{ label, counts }], all of one length; labels are the x positions' times.
export function stackedBars(series, start, { width = 960, height = 260 } = {}) {
  const minutes = series[0]?.counts.length ?? 0;
  const totals = Array.from({ length: minutes }, (_, i) => series.reduce((sum, s) => sum + s.counts[i], 0));
  // An even top, so the middle line is a whole number too.
  const max = Math.max(2, ...totals.map(t => t + (t % 2)));
  const left = 44;
  const bottom = 22;
  const plot = { w: width - left - 8, h: height - bottom - 8 };
  const svg = node('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': 'Lookups per minute' });
  for (const fraction of [0, 0.5, 1]) {
    const y = 8 + plot.h * (1 - fraction);
    node('line', { x1: left, x2: width - 8, y1: y, y2: y, class: 'axis' }, svg);
    node('text', { x: left - 6, y: y + 4, 'text-anchor': 'end' }, svg).textContent = String(Math.round(max * fraction));
  }
  const step = plot.w / Math.max(1, minutes);
  for (let i = 0; i < minutes; i++) {
    let base = 8 + plot.h;
    series.forEach((s, index) => {
      const value = s.counts[i];
      if (!value) return;
      const h = (value / max) * plot.h;
      base -= h;
      node('rect', { x: left + i * step + 0.5, y: base, width: Math.max(1, step - 1), height: h, fill: palette[index % palette.length] }, svg)
        .append(Object.assign(document.createElementNS(NS, 'title'), { textContent: `${s.label}: ${value}` }));
    });
  }
  const first = new Date(start);
  const ticks = Math.min(6, minutes);
  for (let t = 0; t < ticks; t++) {
    const i = Math.round((t * (minutes - 1)) / Math.max(1, ticks - 1));
    const at = new Date(first.getTime() + i * 60000);
    node('text', { x: left + i * step + step / 2, y: height - 6, 'text-anchor': 'middle' }, svg).textContent =
      at.toISOString().slice(11, 16);
  }
  return svg;
}

// A legend whose swatches are SVG rectangles (an inline style would be refused by the CSP).
export function legend(labels) {
  const list = document.createElement('div');
  list.className = 'legend';
  labels.forEach((label, index) => {
    const item = document.createElement('span');
    const swatch = node('svg', { width: 12, height: 12, class: 'swatch', 'aria-hidden': 'true' });
    node('rect', { width: 12, height: 12, rx: 2, fill: palette[index % palette.length] }, swatch);
    item.append(swatch, ' ', label);
    list.append(item);
  });
  return list;
}
