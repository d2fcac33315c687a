// Charts drawn on the server as SVG: no script, nothing fetched, nothing the CSP has to allow. Each chart is an
// image with a title and a description for screen readers, a tooltip per mark, and its figures as a table.
import type { PropsWithChildren } from '@elysiajs/html'
import { Html } from './html'

export interface Point {
  /** Full label, for tooltips and the table ("Wed 25 Nov"). */
  label: string
  /** Axis label ("25"), shown for a few points only. */
  tick: string
  value: number
}

interface ChartProps {
  id: string
  title: string
  desc: string
  /** The table's value column ("Completed"). */
  unit: string
}


// No viewBox: across the chart, positions are percentages of its width and heights are pixels, so the text
// keeps its size from a 375 px phone to a desktop instead of shrinking with the drawing.
const H = 170
const TOP = 8
const BOTTOM = 22
const PLOT_H = H - TOP - BOTTOM
/** The plot's left and right edges, in % of the width (the gridline values sit left of it). */
const LEFT = 8
const RIGHT = 99
const pc = (n: number) => `${n.toFixed(2)}%`

/** The smallest of 1, 2, 5 × 10^k at or above `max`, so gridlines fall on round numbers. */
export function niceMax(max: number): number {
  if (max <= 1) return 1
  const base = 10 ** Math.floor(Math.log10(max))
  return [1, 2, 5, 10].map((m) => m * base).find((m) => m >= max)!
}

const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1))

/** The frame both time charts share: gridlines at 0, half and the top, with their values. */
function Grid({ top }: { top: number }) {
  return (
    <g class="grid" aria-hidden="true">
      {[0, top / 2, top].map((v) => {
        const y = TOP + PLOT_H - (v / top) * PLOT_H
        return (
          <>
            <line x1={pc(LEFT)} x2={pc(RIGHT)} y1={y} y2={y} />
            <text x={pc(LEFT - 1)} y={y + 4} text-anchor="end" safe>
              {fmt(v)}
            </text>
          </>
        )
      })}
    </g>
  )
}

/** About six evenly spaced axis labels, the last point always among them. */
function Ticks({ points, x }: { points: Point[]; x: (i: number) => number }) {
  const step = Math.max(1, Math.ceil(points.length / 6))
  return (
    <g class="ticks" aria-hidden="true">
      {points.map((p, i) =>
        (points.length - 1 - i) % step === 0 ? (
          <text x={pc(x(i))} y={H - 6} text-anchor={i === points.length - 1 && points.length > 1 ? 'end' : 'middle'} safe>
            {p.tick}
          </text>
        ) : (
          ''
        ),
      )}
    </g>
  )
}

/** A chart's figures as a table: the first column names each row. */
function Figures({ id, title, head, rows }: { id: string; title: string; head: string[]; rows: string[][] }) {
  return (
    <details class="chart-data">
      <summary>Show the figures</summary>
      <table id={`${id}-table`}>
        <caption safe>{title}</caption>
        <thead>
          <tr>
            {head.map((h) => (
              <th scope="col" safe>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map(([name, ...cells]) => (
            <tr>
              <th scope="row" safe>
                {name}
              </th>
              {cells.map((c) => (
                <td safe>{c}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  )
}

/** Time series figures: a row per day. */
const dayFigures = (id: string, title: string, unit: string, points: Point[]) => (
  <Figures id={id} title={title} head={['Day', unit]} rows={points.map((p) => [p.label, String(p.value)])} />
)

/** The image every chart is: named by its title, described by its summary, followed by its figures. */
function Frame({ id, title, desc, height, figures, children }: PropsWithChildren<{ id: string; title: string; desc: string; height: number; figures: JSX.Element }>) {
  return (
    <figure class="chart" id={id}>
      <svg width="100%" height={height} role="img" aria-labelledby={`${id}-title ${id}-desc`} class="chart-svg">
        <title id={`${id}-title`} safe>
          {title}
        </title>
        <desc id={`${id}-desc`} safe>
          {desc}
        </desc>
        {children}
      </svg>
      {figures}
    </figure>
  )
}

/** A column per point (a day), e.g. tasks completed per day. */
export function ColumnChart({ id, title, desc, unit, points }: ChartProps & { points: Point[] }) {
  const top = niceMax(Math.max(0, ...points.map((p) => p.value)))
  const slot = (RIGHT - LEFT) / Math.max(1, points.length)
  const x = (i: number) => LEFT + slot * i + slot / 2
  return (
    <Frame id={id} title={title} desc={desc} height={H} figures={dayFigures(id, title, unit, points)}>
      <Grid top={top} />
      <g class="marks">
        {points.map((p, i) => {
          const h = (p.value / top) * PLOT_H
          return (
            <rect class="bar" x={pc(x(i) - slot * 0.35)} y={TOP + PLOT_H - h} width={pc(slot * 0.7)} height={h} data-value={p.value}>
              <title safe>{`${p.label}: ${p.value} ${unit.toLowerCase()}`}</title>
            </rect>
          )
        })}
      </g>
      <Ticks points={points} x={(i) => (i === points.length - 1 ? RIGHT : x(i))} />
    </Frame>
  )
}

/** A line through the points, e.g. overdue tasks at the end of each day (segments, as percentages allow). */
export function LineChart({ id, title, desc, unit, points }: ChartProps & { points: Point[] }) {
  const top = niceMax(Math.max(0, ...points.map((p) => p.value)))
  const step = (RIGHT - 1 - LEFT) / Math.max(1, points.length - 1)
  const x = (i: number) => LEFT + 1 + step * i
  const y = (v: number) => TOP + PLOT_H - (v / top) * PLOT_H
  return (
    <Frame id={id} title={title} desc={desc} height={H} figures={dayFigures(id, title, unit, points)}>
      <Grid top={top} />
      <g class="marks">
        {points.slice(1).map((p, i) => (
          <line class="line" x1={pc(x(i))} y1={y(points[i]!.value)} x2={pc(x(i + 1))} y2={y(p.value)} />
        ))}
        {points.map((p, i) => (
          <circle class="dot" cx={pc(x(i))} cy={y(p.value)} r="3" data-value={p.value}>
            <title safe>{`${p.label}: ${p.value} ${unit.toLowerCase()}`}</title>
          </circle>
        ))}
      </g>
      <Ticks points={points} x={(i) => (i === points.length - 1 ? RIGHT : x(i))} />
    </Frame>
  )
}

export interface Share {
  label: string
  done: number
  open: number
}

/**
 * A bar per group split into done and open: completion by tag or priority. The two parts count different
 * things (tasks done in a period, tasks open now), so each figure says which it is, in words, rather than
 * as a fraction or a share: `period` is e.g. "the last 30 days".
 */
export function ShareChart({ id, title, desc, rows, period }: { id: string; title: string; desc: string; rows: Share[]; period: string }) {
  const ROW = 26
  // Label column, bars, then the figure: in % of the width.
  const LABEL = 27
  const BAR = 29
  const SPAN = 36
  const height = Math.max(1, rows.length) * ROW + 4
  const widest = Math.max(1, ...rows.map((r) => r.done + r.open))
  const figures = <Figures id={id} title={title} head={['', `Done in ${period}`, 'Open now']} rows={rows.map((r) => [r.label, String(r.done), String(r.open)])} />
  return (
    <>
      <p class="hint legend">
        <span class="key done" aria-hidden="true"></span> <span safe>{`done in ${period}`}</span> <span class="key open" aria-hidden="true"></span> open now
      </p>
      <Frame id={id} title={title} desc={desc} height={height} figures={figures}>
        {rows.map((r, i) => {
          const y = 2 + i * ROW
          const done = (r.done / widest) * SPAN
          const open = (r.open / widest) * SPAN
          return (
            <g class="share">
              <text class="label" x={pc(LABEL)} y={y + 17} text-anchor="end" safe>
                {r.label.length > 14 ? `${r.label.slice(0, 13)}…` : r.label}
              </text>
              <rect class="done" x={pc(BAR)} y={y + 4} width={pc(done)} height={ROW - 8} data-value={r.done}>
                <title safe>{`${r.label}: ${r.done} done in ${period}`}</title>
              </rect>
              <rect class="open" x={pc(BAR + done)} y={y + 4} width={pc(open)} height={ROW - 8} data-value={r.open}>
                <title safe>{`${r.label}: ${r.open} open now`}</title>
              </rect>
              <text class="figure" x={pc(BAR + SPAN + 1.5)} y={y + 17} safe>
                {`${r.done} done · ${r.open} open`}
              </text>
            </g>
          )
        })}
      </Frame>
    </>
  )
}
