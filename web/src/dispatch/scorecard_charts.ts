// Inline SVG charts of the carrier scorecards (docs/analytics.md): a trend line of a rate per period
// per carrier, and ranking bars. Each chart is one <svg role="img"> with a <title> naming what it shows;
// the numbers themselves are also in the comparison table, so the charts add no information a screen
// reader would miss.
const NS = 'http://www.w3.org/2000/svg';

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number> = {}, ...children: (Node | string)[]): SVGElementTagNameMap[K] {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  for (const c of children) e.append(c);
  return e;
}

// Distinct colours for up to 8 series, then repeated (the legend names each line).
const COLOURS = ['#0a7d5a', '#1f5fbf', '#c2410c', '#7c3aed', '#b91c1c', '#0e7490', '#a16207', '#4b5563'];
export const seriesColour = (i: number): string => COLOURS[i % COLOURS.length];

export interface Series {
  name: string;
  points: (number | null)[]; // one per period, 0–100; null: no figure that period
}

// Lines of 0–100 values over `periods`, with gridlines at 0, 50 and 100 and the target (when set) dashed.
export function trendChart(title: string, periods: string[], series: Series[], target: number | null): SVGSVGElement {
  const w = 560, h = 220, left = 36, right = 12, top = 12, bottom = 28;
  const x = (i: number) => left + (periods.length <= 1 ? (w - left - right) / 2 : (i * (w - left - right)) / (periods.length - 1));
  const y = (v: number) => top + ((100 - v) * (h - top - bottom)) / 100;
  const chart = svg('svg', { viewBox: `0 0 ${w} ${h}`, role: 'img', class: 'chart trend', 'data-testid': 'trend-chart' }, svg('title', {}, title));
  for (const v of [0, 50, 100]) {
    chart.append(svg('line', { x1: left, x2: w - right, y1: y(v), y2: y(v), class: 'grid' }));
    chart.append(svg('text', { x: left - 6, y: y(v) + 4, 'text-anchor': 'end', class: 'axis' }, `${v}`));
  }
  if (target !== null) chart.append(svg('line', { x1: left, x2: w - right, y1: y(target), y2: y(target), class: 'target', 'data-testid': 'trend-target' }));
  const step = Math.max(1, Math.ceil(periods.length / 6));
  periods.forEach((p, i) => {
    if (i % step === 0 || i === periods.length - 1) chart.append(svg('text', { x: x(i), y: h - 8, 'text-anchor': 'middle', class: 'axis' }, p));
  });
  series.forEach((s, k) => {
    let d = '';
    s.points.forEach((v, i) => {
      if (v === null) return;
      d += `${d ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)}`;
      chart.append(svg('circle', { cx: x(i), cy: y(v), r: 3, fill: seriesColour(k) }, svg('title', {}, `${s.name} ${periods[i]}: ${v}`)));
    });
    if (d) chart.append(svg('path', { d, fill: 'none', stroke: seriesColour(k), 'stroke-width': 2, 'data-series': s.name }));
  });
  return chart;
}

export interface Bar {
  name: string;
  value: number | null; // 0–100
  highlight: boolean;   // below target
}

// Horizontal bars, best first, the value written at the end of each bar.
export function rankingChart(title: string, bars: Bar[]): SVGSVGElement {
  const sorted = [...bars].sort((a, b) => (b.value ?? -1) - (a.value ?? -1));
  const rowH = 26, w = 560, labelW = 170, h = Math.max(1, sorted.length) * rowH + 8;
  const chart = svg('svg', { viewBox: `0 0 ${w} ${h}`, role: 'img', class: 'chart ranking', 'data-testid': 'ranking-chart' }, svg('title', {}, title));
  sorted.forEach((b, i) => {
    const yy = 4 + i * rowH;
    const len = ((b.value ?? 0) * (w - labelW - 60)) / 100;
    chart.append(svg('text', { x: labelW - 8, y: yy + 17, 'text-anchor': 'end', class: 'label' }, b.name));
    chart.append(svg('rect', { x: labelW, y: yy + 4, width: Math.max(0, len), height: rowH - 10, class: b.highlight ? 'bar below' : 'bar', 'data-name': b.name }));
    chart.append(svg('text', { x: labelW + len + 6, y: yy + 17, class: 'value' }, b.value === null ? '–' : `${b.value}`));
  });
  return chart;
}
