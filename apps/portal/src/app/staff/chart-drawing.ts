import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartConfiguration,
} from 'chart.js';

import type { ChartSpec } from './report-data';

// Only what the reports draw: bars and lines on a category and a linear axis, with a legend
// and tooltips. chart.js/auto would bring every controller, scale and plugin.
Chart.register(
  BarController,
  BarElement,
  LineController,
  LineElement,
  PointElement,
  CategoryScale,
  LinearScale,
  Legend,
  Tooltip,
);

export interface ChartOptions {
  /** prefers-reduced-motion: no animation at all. */
  reducedMotion: boolean;
  /** A value as the table beside the chart writes it. */
  format: (value: number) => string;
}

export interface DrawnChart {
  destroy(): void;
}

type Kind = ChartSpec['kind'];

/**
 * Draws one chart of the reports page on its canvas. Loaded with the reports page only (a
 * dynamic import), so chart.js never reaches the sign-in page's JavaScript.
 */
export function drawChart(
  canvas: HTMLCanvasElement,
  spec: ChartSpec,
  options: ChartOptions,
): DrawnChart {
  const rate = spec.unit === 'rate';
  const config: ChartConfiguration<Kind, (number | null)[], string> = {
    type: spec.kind,
    data: {
      labels: [...spec.days],
      datasets: spec.series.map((series) => ({
        label: series.label,
        data: [...series.values],
        backgroundColor: series.colour,
        borderColor: series.colour,
        borderWidth: spec.kind === 'line' ? 2 : 0,
        pointRadius: 3,
        spanGaps: false,
        // A point at 100 % would be cut in half by the chart area's edge.
        clip: false,
      })),
    },
    options: {
      animation: options.reducedMotion ? false : { duration: 400 },
      responsive: true,
      maintainAspectRatio: false,
      plugins: {
        legend: { display: spec.series.length > 1, position: 'bottom' },
        tooltip: {
          callbacks: {
            label: (item) =>
              `${item.dataset.label ?? ''}: ${item.parsed.y === null ? '—' : options.format(item.parsed.y)}`,
          },
        },
      },
      scales: {
        x: { grid: { display: false }, ticks: { autoSkip: true, maxRotation: 0 } },
        y: {
          beginAtZero: true,
          ...(rate ? { max: 1 } : {}),
          ticks: rate ? { callback: (value) => options.format(Number(value)) } : { precision: 0 },
        },
      },
    },
  };
  Chart.defaults.color = '#4a5568';
  Chart.defaults.font.family = getComputedStyle(canvas).fontFamily || Chart.defaults.font.family;
  return new Chart(canvas, config);
}
