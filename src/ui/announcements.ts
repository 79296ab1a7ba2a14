import type { Clock } from '../core/index.js';
import type { Situation, Summary } from './situations.js';

/** What the live region is told to say about one subject: a dependency, or the device's connection. */
export interface Change {
  /** A dependency's name, or `'@connection'` for online/offline. */
  readonly subject: string;
  /** What it was last said to be (`normal`: nothing to tell). */
  readonly from: Situation | 'normal';
  readonly to: Situation | 'normal';
}

/** Options of {@link AnnouncementPlanner}. */
export interface AnnouncementPlannerOptions {
  /** The least time between two announcements about one subject, in ms. @default 5_000 */
  spacingMs?: number;
  /**
   * How long a recovery must hold before it is said, in ms. It doubles (up to 8×) each time the subject
   * relapses soon after a recovery, so a flapping dependency is not told as "working again" each time.
   * @default 5_000
   */
  recoveryHoldMs?: number;
  /** The least time between any two announcements, in ms: one is never cut off by the next. @default 2_000 */
  minGapMs?: number;
}

/** The connection's subject in a {@link Change}. */
export const CONNECTION = '@connection';

/**
 * Decides when the live region speaks, per subject: a worsening at once, a recovery only once it has held
 * `recoveryHoldMs`, never two announcements about one subject within `spacingMs`, and nothing said twice.
 * Changes due at the same moment are said together. Framework-free; timers on the client's clock.
 * @example
 * const planner = new AnnouncementPlanner(client.clock, {}, (changes) => region.say(changes));
 * store.subscribe((s) => planner.update(summarize(s)));
 */
export class AnnouncementPlanner {
  private readonly spacingMs: number;
  private readonly recoveryHoldMs: number;
  private readonly minGapMs: number;
  private lastSaidAt = Number.NEGATIVE_INFINITY;
  /** Per subject, how many times it relapsed soon after a recovery (the hold doubles each time). */
  private readonly relapses = new Map<string, number>();
  /** Per subject, when its last recovery was said. */
  private readonly recoveredAt = new Map<string, number>();
  private readonly current = new Map<string, Situation | 'normal'>();
  private readonly said = new Map<string, Situation | 'normal'>();
  private readonly saidAt = new Map<string, number>();
  /** Since when each subject is back to normal while something else was said (a recovery's hold). */
  private readonly sinceBetter = new Map<string, number>();
  private timer: unknown;
  private timerAt = Number.POSITIVE_INFINITY;
  private started = false;

  constructor(
    private readonly clock: Clock,
    options: AnnouncementPlannerOptions,
    private readonly say: (changes: readonly Change[]) => void,
  ) {
    this.spacingMs = options.spacingMs ?? 5_000;
    this.recoveryHoldMs = options.recoveryHoldMs ?? 5_000;
    this.minGapMs = options.minGapMs ?? 2_000;
  }

  /** Takes the store's summary now. The first one is what was on screen already: it is not announced. */
  update(summary: Summary, online: boolean): void {
    const next = new Map<string, Situation | 'normal'>(Object.entries(summary.byDependency));
    next.set(CONNECTION, online ? 'normal' : 'offline');
    for (const subject of this.current.keys()) if (!next.has(subject)) next.set(subject, 'normal');
    if (!this.started) {
      this.started = true;
      for (const [subject, s] of next) {
        this.current.set(subject, s);
        this.said.set(subject, s);
      }
      return;
    }
    for (const [subject, s] of next) this.current.set(subject, s);
    this.plan();
  }

  /** Stops its timer. */
  dispose(): void {
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** When `subject`'s change may be said, or undefined when there is nothing to say. */
  private dueAt(subject: string): number | undefined {
    const now = this.current.get(subject) ?? 'normal';
    const before = this.said.get(subject) ?? 'normal';
    if (now === before) return undefined;
    const spaced = (this.saidAt.get(subject) ?? Number.NEGATIVE_INFINITY) + this.spacingMs;
    // A trouble (worse, or another one): at once. A recovery: once it has held; a relapse meanwhile cancels it.
    const held =
      now !== 'normal'
        ? this.clock.now()
        : (this.sinceBetter.get(subject) ?? this.clock.now()) + this.holdFor(subject);
    return Math.max(spaced, held, this.lastSaidAt + this.minGapMs);
  }

  private holdFor(subject: string): number {
    return this.recoveryHoldMs * 2 ** Math.min(3, this.relapses.get(subject) ?? 0);
  }

  private plan(): void {
    const t = this.clock.now();
    for (const [subject, s] of this.current) {
      const before = this.said.get(subject) ?? 'normal';
      if (s === 'normal' && before !== 'normal') {
        if (!this.sinceBetter.has(subject)) this.sinceBetter.set(subject, t);
      } else {
        // Back in trouble while its recovery was held, or soon after one was said: a flapping subject.
        const soon = t - (this.recoveredAt.get(subject) ?? Number.NEGATIVE_INFINITY) < 60_000;
        if (s !== 'normal' && (this.sinceBetter.has(subject) || (before === 'normal' && soon))) {
          this.relapses.set(subject, (this.relapses.get(subject) ?? 0) + 1);
        }
        this.sinceBetter.delete(subject);
      }
    }
    const due: string[] = [];
    let next = Number.POSITIVE_INFINITY;
    for (const subject of this.current.keys()) {
      const at = this.dueAt(subject);
      if (at === undefined) continue;
      if (at <= t) due.push(subject);
      else next = Math.min(next, at);
    }
    if (due.length > 0) {
      const changes = due.map((subject) => ({
        subject,
        from: this.said.get(subject) ?? 'normal',
        to: this.current.get(subject) ?? 'normal',
      }));
      for (const subject of due) {
        const to = this.current.get(subject) ?? 'normal';
        this.said.set(subject, to);
        this.saidAt.set(subject, t);
        this.sinceBetter.delete(subject);
        if (to === 'normal') this.recoveredAt.set(subject, t);
      }
      this.lastSaidAt = t;
      this.say(changes);
    }
    if (next !== this.timerAt) {
      this.clock.clearTimeout(this.timer);
      this.timerAt = next;
      this.timer = Number.isFinite(next)
        ? this.clock.setTimeout(() => {
            this.timer = undefined;
            this.timerAt = Number.POSITIVE_INFINITY;
            this.plan();
          }, next - t)
        : undefined;
    }
  }
}
