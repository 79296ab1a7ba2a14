import { type ReactNode, useEffect, useId, useState } from 'react';
import { useBrownoutSelector, useStoreClient } from '../react/index.js';
import type { DegradationState } from '../store/index.js';
import { useUIText } from './BrownoutUIProvider.js';
import { type DeepPartialMessages, format } from './messages.js';
import { fill, RelativeTime } from './RelativeTime.js';

/** Props of {@link DependencyHealthPanel}. */
export interface DependencyHealthPanelProps {
  /** How often latency quantiles and retry rates are re-read, in ms. @default 5_000 */
  refreshMs?: number;
  /** How many recent transitions to list. @default 10 */
  transitions?: number;
  messages?: DeepPartialMessages;
}

const selectAll = (state: DegradationState): DegradationState => state;
const ms = (n: number): string => (Number.isFinite(n) && n > 0 ? `${Math.round(n)} ms` : '—');
const pct = (n: number): string => `${Math.round(n * 1000) / 10} %`;
const text = (v: unknown): string | undefined =>
  typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;

/**
 * The operator's view: per dependency its level, breaker state and since when, p95/p99 latency, error
 * and retry rates, queued writes and the last problem (title, status, correlation id), then the recent
 * transitions. A plain `<table>` with a caption and column headers, so screen readers can walk it. State:
 * `data-level`, `data-breaker` and `data-health` on each row.
 * @example
 * {import.meta.env.DEV && <DependencyHealthPanel />}
 */
export function DependencyHealthPanel({
  refreshMs = 5_000,
  transitions: shown = 10,
  messages,
}: DependencyHealthPanelProps): ReactNode {
  const client = useStoreClient();
  const state = useBrownoutSelector(selectAll);
  const { messages: m, locale, label } = useUIText(messages);
  const p = m.panel;
  const captionId = useId();
  const [, setTick] = useState(0);
  useEffect(() => {
    const { clock } = client;
    let timer: unknown;
    const tick = (): void => {
      setTick((t) => t + 1);
      timer = clock.setTimeout(tick, refreshMs);
    };
    timer = clock.setTimeout(tick, refreshMs);
    return () => clock.clearTimeout(timer);
  }, [client, refreshMs]);
  const recent = state.transitions.slice(-shown).reverse();
  return (
    <section className="brownout-panel" aria-labelledby={captionId}>
      <table className="brownout-panel__table">
        <caption id={captionId}>{p.title}</caption>
        <thead>
          <tr>
            <th scope="col">{p.dependency}</th>
            <th scope="col">{p.level}</th>
            <th scope="col">{p.breaker}</th>
            <th scope="col">{p.p95}</th>
            <th scope="col">{p.p99}</th>
            <th scope="col">{p.errorRate}</th>
            <th scope="col">{p.retryRate}</th>
            <th scope="col">{p.queued}</th>
            <th scope="col">{p.lastProblem}</th>
          </tr>
        </thead>
        <tbody>
          {Object.values(state.dependencies).map((d) => {
            const metrics = client.metrics(d.name);
            const queued = state.outbox.dependencies[d.name];
            const e = d.lastError;
            const problem = e
              ? [text(e.title), text(e.status), text(e.correlationId)].filter(Boolean).join(' · ')
              : p.none;
            return (
              <tr key={d.name} data-level={d.level} data-breaker={d.breaker} data-health={d.health}>
                <th scope="row">
                  {label(d.name)} <span className="brownout-panel__muted">({d.criticality})</span>
                </th>
                <td>
                  <span className="brownout-panel__level" data-level={d.level}>
                    {d.level}
                  </span>
                  {d.health === 'degraded' && (
                    <span className="brownout-panel__muted"> ({d.degradedBecause.join(', ')})</span>
                  )}
                </td>
                <td>
                  {d.breaker}{' '}
                  <span className="brownout-panel__muted">
                    {fill(p.since, { age: <RelativeTime at={d.breakerSince} locale={locale} /> })}
                  </span>
                </td>
                <td>{ms(metrics.latency.p95)}</td>
                <td>{ms(metrics.latency.p99)}</td>
                <td>{pct(d.errorRate)}</td>
                <td>{pct(metrics.retryRate)}</td>
                <td>
                  {queued
                    ? queued.queued + queued.sending + queued.needsAuth + queued.failed + queued.conflict
                    : p.none}
                </td>
                <td className="brownout-panel__problem">{problem}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <h2 className="brownout-panel__heading">{p.transitions}</h2>
      {recent.length === 0 ? (
        <p className="brownout-panel__muted">{p.noTransitions}</p>
      ) : (
        <ol className="brownout-panel__transitions">
          {recent.map((t) => (
            <li key={`${t.at}-${t.dependency}-${t.to.level}-${t.to.health}`}>
              <RelativeTime at={t.at} locale={locale} />:{' '}
              {format('{dependency} {from} → {to}', {
                dependency: label(t.dependency),
                from: `${t.from.health}/${t.from.level}`,
                to: `${t.to.health}/${t.to.level}`,
              })}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
