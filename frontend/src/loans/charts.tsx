/**
 * Two small hand-drawn SVG charts: a bank's exposure by commodity, and one
 * loan's loan-to-value against the price of its collateral. Amounts become
 * numbers here only to place marks on the page; every figure shown as text
 * is the decimal string the node sent.
 */

import { useTranslation } from 'react-i18next';
import { formatTime } from '../app/format';
import type { LtvPointFieldsFragment } from '../gql/graphql';
import { groupDigits, percent } from './rules';

export interface ExposureRow {
  hsCode: string;
  commodity: string;
  loans: number;
  principal: { currency: string; value: string };
  market: { currency: string; value: string };
  value: { currency: string; value: string };
}

const BAR_ROW = 34;
const LABEL_W = 170;
const CHART_W = 640;

/** Market value, lending value and principal outstanding per commodity, on one scale. */
export function ExposureChart({ rows }: { rows: readonly ExposureRow[] }) {
  const { t } = useTranslation();
  if (rows.length === 0) return <p className="muted">{t('lending.portfolio.noExposure')}</p>;
  const max = Math.max(...rows.map((r) => Math.max(Number(r.market.value), Number(r.value.value), Number(r.principal.value))), 1);
  const barW = CHART_W - LABEL_W - 10;
  const w = (v: string) => Math.max(0, (Number(v) / max) * barW);
  const height = rows.length * BAR_ROW + 24;
  return (
    <figure className="chart" data-testid="exposure-chart">
      <svg viewBox={`0 0 ${CHART_W} ${height}`} width="100%" role="img" aria-label={t('lending.portfolio.exposureTitle')}>
        {rows.map((r, i) => {
          const y = i * BAR_ROW + 4;
          return (
            <g key={r.hsCode} data-testid={`exposure-bar-${r.hsCode}`}>
              <text x={0} y={y + 14} className="chart-label">
                {r.commodity}
              </text>
              <text x={0} y={y + 27} className="chart-sublabel">
                HS {r.hsCode} · {t('lending.portfolio.loansN', { n: r.loans })}
              </text>
              <rect x={LABEL_W} y={y} width={w(r.market.value)} height={26} className="bar-market">
                <title>{`${t('loan.valuation.market')}: ${r.market.currency} ${groupDigits(r.market.value)}`}</title>
              </rect>
              <rect x={LABEL_W} y={y + 4} width={w(r.value.value)} height={18} className="bar-value">
                <title>{`${t('loan.valuation.value')}: ${r.value.currency} ${groupDigits(r.value.value)}`}</title>
              </rect>
              <rect x={LABEL_W} y={y + 8} width={w(r.principal.value)} height={10} className="bar-principal">
                <title>{`${t('lending.portfolio.principal')}: ${r.principal.currency} ${groupDigits(r.principal.value)}`}</title>
              </rect>
            </g>
          );
        })}
      </svg>
      <figcaption className="chart-legend">
        <span className="key key-market" /> {t('loan.valuation.market')} <span className="key key-value" /> {t('loan.valuation.value')}{' '}
        <span className="key key-principal" /> {t('lending.portfolio.principal')}
      </figcaption>
    </figure>
  );
}

export interface LtvLevels {
  maxLtv: string;
  marginCallLtv: string;
  liquidationLtv: string;
}

const LTV_W = 700;
const LTV_H = 240;
const PAD = { left: 46, right: 120, top: 12, bottom: 28 };
const PRICE_COLOURS = ['#b86e00', '#6a3fa0', '#2d8a8a'];

/** One polyline's points: `x,y x,y …`. */
function path(points: readonly [number, number][]): string {
  return points.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(' ');
}

/**
 * The loan-to-value at each published price since disbursement, with the
 * loan's maximum, margin-call and liquidation levels, and each collateral
 * commodity's price on its own scale at the right.
 */
export function LtvChart({ points, levels }: { points: readonly LtvPointFieldsFragment[]; levels: LtvLevels | null }) {
  const { t, i18n } = useTranslation();
  if (points.length === 0) return <p className="muted" data-testid="ltv-chart-empty">{t('loan.ltvChart.none')}</p>;
  const innerW = LTV_W - PAD.left - PAD.right;
  const innerH = LTV_H - PAD.top - PAD.bottom;
  const ltvs = points.map((p) => (p.ltv === null ? null : Number(p.ltv)));
  const levelValues = levels ? [levels.maxLtv, levels.marginCallLtv, levels.liquidationLtv].map(Number) : [];
  const top = Math.max(1, ...ltvs.map((v) => v ?? 0), ...levelValues) * 1.05;
  const x = (i: number) => PAD.left + (points.length === 1 ? innerW / 2 : (i / (points.length - 1)) * innerW);
  const yLtv = (v: number) => PAD.top + innerH - (v / top) * innerH;
  const ltvLine = ltvs.flatMap((v, i) => (v === null ? [] : [[x(i), yLtv(v)] as [number, number]]));

  const codes = [...new Set(points.map((p) => p.hsCode))];
  const prices = codes.map((code, k) => {
    const own = points.flatMap((p, i) => (p.hsCode === code ? [{ i, v: Number(p.price.value), text: p.price.value }] : []));
    const sorted = [...own].sort((a, b) => a.v - b.v);
    const lo = sorted[0] ?? { v: 0, text: '0' };
    const hi = sorted[sorted.length - 1] ?? lo;
    const span = hi.v - lo.v || Math.max(hi.v, 1);
    const y = (v: number) => PAD.top + innerH - ((v - lo.v) / span) * innerH * 0.8 - innerH * 0.1;
    const line = own.map((o) => [x(o.i), y(o.v)] as [number, number]);
    return { code, colour: PRICE_COLOURS[k % PRICE_COLOURS.length] as string, line, lo: lo.text, hi: hi.text };
  });
  const first = points[0];
  const last = points[points.length - 1];
  const levelLines: { key: string; value: number; cls: string; label: string }[] = levels
    ? [
        { key: 'max', value: Number(levels.maxLtv), cls: 'level-max', label: t('loan.ltvChart.max', { ltv: percent(levels.maxLtv) }) },
        { key: 'call', value: Number(levels.marginCallLtv), cls: 'level-call', label: t('loan.ltvChart.call', { ltv: percent(levels.marginCallLtv) }) },
        { key: 'liquidation', value: Number(levels.liquidationLtv), cls: 'level-liquidation', label: t('loan.ltvChart.liquidation', { ltv: percent(levels.liquidationLtv) }) },
      ]
    : [];

  return (
    <figure className="chart" data-testid="ltv-chart">
      <svg viewBox={`0 0 ${LTV_W} ${LTV_H}`} width="100%" role="img" aria-label={t('loan.ltvChart.title')}>
        <line x1={PAD.left} y1={PAD.top + innerH} x2={PAD.left + innerW} y2={PAD.top + innerH} className="axis" />
        <line x1={PAD.left} y1={PAD.top} x2={PAD.left} y2={PAD.top + innerH} className="axis" />
        {[0, 0.25, 0.5, 0.75, 1].map((f) => (
          <text key={f} x={PAD.left - 6} y={yLtv(f * top) + 4} className="chart-tick" textAnchor="end">
            {`${Math.round(f * top * 100)}%`}
          </text>
        ))}
        {levelLines.map((l) => (
          <g key={l.key} data-testid={`ltv-level-${l.key}`}>
            <line x1={PAD.left} x2={PAD.left + innerW} y1={yLtv(l.value)} y2={yLtv(l.value)} className={`level ${l.cls}`} />
            <text x={PAD.left + innerW + 4} y={yLtv(l.value) + 4} className="chart-tick">
              {l.label}
            </text>
          </g>
        ))}
        {prices.map((p) => (
          <polyline key={p.code} points={path(p.line)} className="price-line" stroke={p.colour} data-testid={`price-line-${p.code}`} />
        ))}
        <polyline points={path(ltvLine)} className="ltv-line" data-testid="ltv-line" />
        {points.map((p, i) =>
          p.ltv === null ? null : (
            <circle key={p.at} cx={x(i)} cy={yLtv(Number(p.ltv))} r={3.5} className="ltv-point" data-testid={`ltv-point-${p.at}`}>
              <title>
                {`${formatTime(p.time, i18n.language)} · LTV ${percent(p.ltv)} · ${p.price.currency} ${groupDigits(p.price.value)} (HS ${p.hsCode})`}
              </title>
            </circle>
          ),
        )}
        {first && (
          <text x={PAD.left} y={LTV_H - 8} className="chart-tick">
            {formatTime(first.time, i18n.language)}
          </text>
        )}
        {last && points.length > 1 && (
          <text x={PAD.left + innerW} y={LTV_H - 8} className="chart-tick" textAnchor="end">
            {formatTime(last.time, i18n.language)}
          </text>
        )}
      </svg>
      <figcaption className="chart-legend">
        <span className="key key-ltv" /> {t('loan.ltvChart.ltv')}{' '}
        {prices.map((p) => (
          <span key={p.code}>
            <span className="key" style={{ background: p.colour }} />{' '}
            {t('loan.ltvChart.price', { hs: p.code, lo: groupDigits(p.lo), hi: groupDigits(p.hi) })}{' '}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
