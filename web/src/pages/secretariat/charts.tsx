import { formatDate, t, tr } from '../../i18n.js';
import { type CampaignOverview, categoryName, percent } from './common.js';

/**
 * The list page's three charts, drawn with CSS and SVG (no chart library): each has a heading,
 * the numbers as text beside the bars, and a description for screen readers.
 */

type Stats = NonNullable<CampaignOverview['stats']>;

export function CategoryChart(props: { stats: Stats }) {
  const rows = props.stats.byCategory;
  const max = Math.max(1, ...rows.map((r) => r.submitted));
  return (
    <figure class="chart" aria-labelledby="chart-category-title">
      <figcaption id="chart-category-title">
        <h3>{t('各类别推荐数', 'Submissions per category')}</h3>
      </figcaption>
      <div class="bar-chart">
        {rows.map((r) => (
          <div class="bar-row" key={r.category}>
            <span class="bar-label">{categoryName(r.category)}</span>
            <span class="bar-track" aria-hidden="true">
              <span
                class="bar"
                style={{ width: r.submitted ? `max(2px, ${(r.submitted / max) * 100}%)` : '0' }}
              />
            </span>
            <span class="bar-value">{r.submitted}</span>
          </div>
        ))}
      </div>
    </figure>
  );
}

export function PerDayChart(props: { stats: Stats }) {
  const days = props.stats.submissionsPerDay;
  const title = t('每日提交数', 'Submissions per day');
  if (days.length === 0) {
    return (
      <figure class="chart">
        <figcaption>
          <h3>{title}</h3>
        </figcaption>
        <p class="muted">{t('尚无提交。', 'Nothing submitted yet.')}</p>
      </figure>
    );
  }
  const max = Math.max(1, ...days.map((d) => d.count));
  const width = 320;
  const height = 140;
  const pad = { top: 16, bottom: 24, left: 8, right: 8 };
  const slot = (width - pad.left - pad.right) / days.length;
  const barWidth = Math.max(2, Math.min(28, slot * 0.7));
  const plot = height - pad.top - pad.bottom;
  const first = days[0]?.date ?? '';
  const last = days.at(-1)?.date ?? '';
  const described = days
    .filter((d) => d.count > 0)
    .map((d) => `${formatDate(`${d.date}T12:00:00+08:00`)}：${d.count}`)
    .join('；');
  return (
    <figure class="chart" aria-labelledby="chart-day-title">
      <figcaption id="chart-day-title">
        <h3>{title}</h3>
      </figcaption>
      <svg
        class="day-chart"
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-labelledby="chart-day-svg-title"
        preserveAspectRatio="xMidYMid meet"
      >
        <title id="chart-day-svg-title">{`${title}：${described}`}</title>
        <line
          x1={pad.left}
          x2={width - pad.right}
          y1={height - pad.bottom}
          y2={height - pad.bottom}
          class="axis"
        />
        {days.map((d, i) => {
          const h = (d.count / max) * plot;
          const x = pad.left + i * slot + (slot - barWidth) / 2;
          const y = height - pad.bottom - h;
          return (
            <g key={d.date}>
              <rect x={x} y={y} width={barWidth} height={h} class="column" />
              {d.count > 0 && (days.length <= 20 || d.count === max) && (
                <text x={x + barWidth / 2} y={y - 3} text-anchor="middle" class="column-value">
                  {d.count}
                </text>
              )}
            </g>
          );
        })}
        {first === last ? (
          <text x={width / 2} y={height - 6} text-anchor="middle" class="axis-label">
            {first.slice(5)}
          </text>
        ) : (
          <>
            <text x={pad.left} y={height - 6} class="axis-label">
              {first.slice(5)}
            </text>
            <text x={width - pad.right} y={height - 6} text-anchor="end" class="axis-label">
              {last.slice(5)}
            </text>
          </>
        )}
      </svg>
    </figure>
  );
}

export function Funnel(props: { stats: Stats }) {
  const stages = props.stats.funnel;
  const top = Math.max(1, stages[0]?.count ?? 0);
  return (
    <figure class="chart" aria-labelledby="chart-funnel-title">
      <figcaption id="chart-funnel-title">
        <h3>{t('各环节数量', 'Funnel by stage')}</h3>
      </figcaption>
      <ol class="funnel">
        {stages.map((s) => (
          <li key={s.stage}>
            <span
              class="funnel-bar"
              style={{ width: `${Math.max(4, (s.count / top) * 100)}%` }}
              aria-hidden="true"
            />
            <span class="funnel-text">
              {tr(s.name)} <strong>{s.count}</strong>
              <span class="muted small"> · {percent(s.count, top)}%</span>
            </span>
          </li>
        ))}
      </ol>
    </figure>
  );
}
