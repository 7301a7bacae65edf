import type { VNode } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { html } from 'htm/preact';
import uPlot from 'uplot';
import { DataTable } from '../ui';
import { formatCount, formatRate, formatTime } from './format';
import type { LadderMoveRow, RatePoint, RateThresholds } from './types';

export type RateMetric = 'errorRate' | 'optOutRate';

const CHART_HEIGHT = 240;

/** A Pico colour of the page's scheme (light or dark), so lines keep their contrast in both; the fallback is the light one. */
function picoColor(name: string, fallback: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

/** The thresholds as dashed lines across the plot, and the ladder's moves as dotted verticals. */
function drawLadder(u: uPlot, thresholds: RateThresholds, moves: readonly LadderMoveRow[]): void {
  const { ctx, bbox } = u;
  const ratio = window.devicePixelRatio || 1;
  ctx.save();
  ctx.lineWidth = 2 * ratio;
  ctx.font = `${12 * ratio}px system-ui, sans-serif`;
  // uPlot leaves the context as its last axis drew it (right-aligned): labels go at the plot's right edge, above their line.
  ctx.textAlign = 'right';
  ctx.textBaseline = 'bottom';
  const lines: Array<[number, string, string]> = [
    [thresholds.approachingAbove, picoColor('--pico-muted-color', '#646b79'), 'approaching'],
    [thresholds.badAbove, picoColor('--pico-del-color', '#883935'), 'bad'],
  ];
  for (const [value, color, label] of lines) {
    const y = u.valToPos(value * 100, 'y', true);
    ctx.strokeStyle = color;
    ctx.fillStyle = color;
    ctx.setLineDash([6 * ratio, 4 * ratio]);
    ctx.beginPath();
    ctx.moveTo(bbox.left, y);
    ctx.lineTo(bbox.left + bbox.width, y);
    ctx.stroke();
    ctx.fillText(`${label} > ${formatRate(value)}`, bbox.left + bbox.width - 4 * ratio, y - 3 * ratio);
  }
  ctx.setLineDash([2 * ratio, 3 * ratio]);
  ctx.strokeStyle = picoColor('--pico-color', '#373c44');
  for (const move of moves) {
    const x = u.valToPos(Date.parse(move.at) / 1000, 'x', true);
    if (x < bbox.left || x > bbox.left + bbox.width) continue;
    ctx.beginPath();
    ctx.moveTo(x, bbox.top);
    ctx.lineTo(x, bbox.top + bbox.height);
    ctx.stroke();
  }
  ctx.restore();
}

/**
 * What the chart shows, in words: the thresholds, the latest and the highest hour, the moves. One
 * string, because htm drops the whitespace at a template's line breaks.
 */
function captionText(points: readonly RatePoint[], metric: RateMetric, thresholds: RateThresholds, moves: readonly LadderMoveRow[]): string {
  const withTraffic = points.filter((p) => p[metric] !== null);
  const latest = withTraffic[withTraffic.length - 1];
  const worst = withTraffic.reduce<RatePoint | undefined>((w, p) => (!w || (p[metric] ?? 0) > (w[metric] ?? 0) ? p : w), undefined);
  const parts = [
    `since ${formatTime(points[0]?.hour)}.`,
    `Approaching above ${formatRate(thresholds.approachingAbove)}, bad above ${formatRate(thresholds.badAbove)}.`,
    latest && worst
      ? `Latest hour with traffic (${formatTime(latest.hour)}): ${formatRate(latest[metric])}; highest: ${formatRate(worst[metric])} (${formatTime(worst.hour)}).`
      : 'No traffic in this period.',
  ];
  if (moves.length) parts.push(`${moves.length} ladder move${moves.length > 1 ? 's' : ''} (dotted lines).`);
  return parts.join(' ');
}

interface RateChartProps {
  metric: RateMetric;
  /** 'Error rate', 'Opt-out rate'. */
  name: string;
  /** What the rate divides, for the table ('final messages', 'deliveries'). */
  over: string;
  points: readonly RatePoint[];
  thresholds: RateThresholds;
  moves: readonly LadderMoveRow[];
}

const numeratorOf = (p: RatePoint, metric: RateMetric) => (metric === 'errorRate' ? p.errors : p.optOuts);
const denominatorOf = (p: RatePoint, metric: RateMetric) => (metric === 'errorRate' ? p.delivered + p.errors : p.delivered);

/**
 * One rate hour by hour (uPlot, as wide as its container), the ladder's thresholds drawn across
 * it. The canvas is an image labelled by the caption, which says in words what it shows; the
 * hours with traffic are in a table below for anyone who cannot see the chart.
 */
export function RateChart({ metric, name, over, points, thresholds, moves }: RateChartProps): VNode {
  const holder = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const target = holder.current;
    if (!target) return undefined;
    const data: uPlot.AlignedData = [points.map((p) => Date.parse(p.hour) / 1000), points.map((p) => (p[metric] === null ? null : p[metric] * 100))];
    const chart = new uPlot(
      {
        width: Math.max(target.clientWidth, 200),
        height: CHART_HEIGHT,
        legend: { show: false },
        // The last point is the current hour's start: the axis runs to its end, so a move made this hour is drawn.
        scales: {
          x: { time: true, range: (_u, min, max) => [min, max + 3600] },
          y: { range: (_u, _min, max) => [0, Math.max(max ?? 0, thresholds.badAbove * 100 * 1.3)] },
        },
        series: [{}, { label: name, stroke: picoColor('--pico-primary', '#0172ad'), width: 2, spanGaps: false, points: { show: true, size: 4 } }],
        axes: [{}, { values: (_u, ticks) => ticks.map((t) => `${+t.toFixed(2)} %`), size: 60 }],
        hooks: { draw: [(u) => drawLadder(u, thresholds, moves)] },
      },
      data,
      target,
    );
    const resized = new ResizeObserver(([entry]) => chart.setSize({ width: Math.max(entry.contentRect.width, 200), height: CHART_HEIGHT }));
    resized.observe(target);
    return () => {
      resized.disconnect();
      chart.destroy();
    };
  }, [points, thresholds, moves, metric, name]);

  const withTraffic = points.filter((p) => p[metric] !== null);
  const captionId = `chart-${metric}-caption`;
  return html`<figure class="rate-chart">
    <div ref=${holder} role="img" aria-labelledby=${captionId}></div>
    <figcaption id=${captionId}><strong>${name} per hour</strong> ${captionText(points, metric, thresholds, moves)}</figcaption>
    <details>
      <summary>${name}: hourly figures</summary>
      <${DataTable}
        caption=${`${name} by hour (hours with traffic)`}
        empty="No traffic in this period."
        rows=${withTraffic}
        rowKey=${(p: RatePoint) => p.hour}
        columns=${[
          { header: 'Hour', cell: (p: RatePoint) => formatTime(p.hour) },
          { header: name, cell: (p: RatePoint) => formatRate(p[metric]), numeric: true },
          { header: metric === 'errorRate' ? 'Errors' : 'Opt-outs', cell: (p: RatePoint) => formatCount(numeratorOf(p, metric)), numeric: true },
          { header: `Of ${over}`, cell: (p: RatePoint) => formatCount(denominatorOf(p, metric)), numeric: true },
        ]}
      />
    </details>
  </figure>`;
}
