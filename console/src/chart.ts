import { t } from './i18n.js';

const NS = 'http://www.w3.org/2000/svg';

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>, text?: string): SVGElementTagNameMap[K] {
  const element = document.createElementNS(NS, tag);
  for (const [name, value] of Object.entries(attrs)) element.setAttribute(name, String(value));
  if (text !== undefined) element.textContent = text;
  return element;
}

/** A small line chart as inline SVG: one series over labelled points (months); null = no data that month. */
export function lineChart(title: string, labels: string[], values: (number | null)[], options: { percent?: boolean; testId?: string } = {}): SVGSVGElement {
  const width = 320, height = 160, left = 36, right = 10, top = 24, bottom = 28;
  const known = values.filter((v): v is number => v !== null);
  const max = options.percent ? 1 : Math.max(1, ...known);
  const x = (i: number) => left + (labels.length <= 1 ? 0 : (i * (width - left - right)) / (labels.length - 1));
  const y = (v: number) => top + (height - top - bottom) * (1 - v / max);
  const chart = svg('svg', { viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', 'aria-label': title, class: 'chart', ...(options.testId ? { 'data-testid': options.testId } : {}) });
  chart.append(svg('text', { x: left, y: 14, class: 'chart-title' }, title));
  for (const tick of [0, 0.5, 1]) {
    const value = tick * max;
    chart.append(svg('line', { x1: left, x2: width - right, y1: y(value), y2: y(value), class: 'grid' }));
    chart.append(svg('text', { x: left - 4, y: y(value) + 4, class: 'tick', 'text-anchor': 'end' }, options.percent ? `${Math.round(value * 100)}%` : String(Number.isInteger(value) ? value : value.toFixed(1))));
  }
  labels.forEach((label, i) => chart.append(svg('text', { x: x(i), y: height - 8, class: 'tick', 'text-anchor': 'middle' }, label.slice(2))));
  const points = values.map((v, i) => (v === null ? null : `${x(i)},${y(v)}`)).filter((p): p is string => p !== null);
  if (points.length) chart.append(svg('polyline', { points: points.join(' '), class: 'series' }));
  values.forEach((v, i) => {
    if (v === null) return;
    const dot = svg('circle', { cx: x(i), cy: y(v), r: 3, class: 'dot' });
    dot.append(svg('title', {}, `${labels[i]}: ${options.percent ? `${(v * 100).toFixed(1)}%` : v}`));
    chart.append(dot);
  });
  if (!known.length) chart.append(svg('text', { x: width / 2, y: height / 2, 'text-anchor': 'middle', class: 'tick' }, t('none')));
  return chart;
}
