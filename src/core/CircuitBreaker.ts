import type { Clock } from './clock.js';
import { RollingWindow } from './RollingWindow.js';
import { drawUnit, type Random } from './random.js';

/** When a breaker trips and how long it stays open. `Infinity` turns a rule off. */
export interface BreakerOptions {
  /**
   * Consecutive failures that open the breaker.
   * @default 5
   */
  consecutiveFailures?: number;
  /**
   * Share of failed calls over `windowMs` that opens the breaker (once `minimumCalls` were made).
   * @default 0.5
   */
  failureRate?: number;
  /**
   * The rolling window of the failure-rate rule, in ms.
   * @default 60_000
   */
  windowMs?: number;
  /**
   * Calls in the window before the failure-rate rule applies.
   * @default 10
   */
  minimumCalls?: number;
  /**
   * How long the breaker stays open before it lets one probe through, in ms.
   * @default 30_000
   */
  openMs?: number;
  /**
   * When above `openMs`, each re-open after a failed probe doubles the open time (with jitter) up to this.
   * @default openMs (no growth)
   */
  maxOpenMs?: number;
  /**
   * A probe that has not finished after this long gives its permit back, so half-open never sticks.
   * @default min(timeouts.totalMs, 10_000)
   */
  halfOpenTimeoutMs?: number;
}

/** Why a breaker opened. */
export type BreakReason = 'consecutive-failures' | 'failure-rate' | 'probe-failed' | 'isolated' | 'restored';

/** A breaker's state: a discriminated union, serializable as it is. */
export type BreakerState =
  | { readonly state: 'closed' }
  | {
      readonly state: 'open';
      readonly openedAt: number;
      /** When a probe will be let through (epoch ms); `Infinity` while isolated. */
      readonly retryAt: number;
      readonly reason: BreakReason;
      /** Re-opens in a row after failed probes (drives the growing open time). */
      readonly reopens: number;
    }
  | { readonly state: 'half-open'; readonly since: number; readonly reopens: number };

/** Emitted on every change of state. */
export interface BreakerTransition {
  readonly from: BreakerState['state'];
  readonly to: BreakerState;
  /** Why: the rule that tripped, or what closed it (`probe-succeeded`, `reset`, `open-elapsed`). */
  readonly reason: BreakReason | 'probe-succeeded' | 'reset' | 'open-elapsed';
}

/** What an attempt reports back to the breaker when it ends. */
export type Outcome = 'success' | 'failure' | 'neutral';

/**
 * Leave to make one attempt. Report how it ended once; later reports are ignored, except that a
 * `success` may be corrected once to a `failure` (headers came, then the body stalled or broke).
 */
export interface Permit {
  readonly probe: boolean;
  done(outcome: Outcome): void;
}

/** The breaker's answer when it refuses a call. */
export interface Refusal {
  /** When a call may go through again (epoch ms); `Infinity` while isolated. */
  readonly retryAt: number;
  /** `open`, `probing` (half-open with its one probe in flight), or `held` (a Retry-After hold). */
  readonly why: 'open' | 'probing' | 'held';
}

/** The breaker options after validation. Internal. */
export type BreakerPolicy = Readonly<Required<BreakerOptions>>;

/**
 * A circuit breaker for one dependency, on an injected clock: it trips on consecutive failures or on a
 * failure rate over a bucketed rolling window, stays open for `openMs`, then admits exactly one probe.
 * Open → half-open happens lazily on the next call, so an idle breaker holds no timer.
 */
export class CircuitBreaker {
  private current: BreakerState = { state: 'closed' };
  private consecutive = 0;
  private readonly window: RollingWindow<'calls' | 'failures'>;
  // Bumped on every opening: permits from before it can no longer move the state (late failures).
  private generation = 0;
  private probeTimer: unknown;
  private probeInFlight = false;
  // Ends of the hold and of the open period on the monotonic clock: a wall-clock step moves neither.
  private heldUntil = Number.NEGATIVE_INFINITY;
  private openUntil = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly policy: BreakerPolicy,
    private readonly clock: Clock,
    private readonly random: Random,
    private readonly onTransition: (transition: BreakerTransition) => void,
  ) {
    this.window = new RollingWindow(clock, policy.windowMs, ['calls', 'failures']);
  }

  /** The current state (open → half-open is applied when its time has come). */
  get state(): BreakerState {
    this.tick();
    const s = this.current;
    // After a wall-clock step, `retryAt` is told again in the new wall time (the wait itself is unchanged).
    if (s.state === 'open' && Math.abs(this.wall(this.openUntil) - s.retryAt) > 1_000) {
      this.current = { ...s, retryAt: this.wall(this.openUntil) };
    }
    return this.current;
  }

  /** When calls were held by a `Retry-After`, the end of the hold (epoch ms), else `undefined`. */
  get heldUntilMs(): number | undefined {
    return this.heldUntil > this.mono() ? this.wall(this.heldUntil) : undefined;
  }

  /** Asks to make one attempt: a permit, or a refusal saying until when. */
  acquire(): Permit | Refusal {
    const now = this.clock.now();
    if (this.mono() < this.heldUntil) return { retryAt: this.wall(this.heldUntil), why: 'held' };
    this.tick();
    const s = this.current;
    if (s.state === 'open') return { retryAt: this.wall(this.openUntil), why: 'open' };
    if (s.state === 'half-open') {
      if (this.probeInFlight) return { retryAt: now + this.policy.halfOpenTimeoutMs, why: 'probing' };
      return this.probe();
    }
    const generation = this.generation;
    let reported: Outcome | undefined;
    let before = 0;
    return {
      probe: false,
      done: (outcome) => {
        if (reported === undefined) {
          reported = outcome;
          before = this.consecutive;
          this.record(outcome, generation);
        } else if (reported === 'success' && outcome === 'failure') {
          // A stall after the headers: the success that reset the run of failures was not one.
          reported = outcome;
          this.consecutive = Math.max(this.consecutive, before);
          this.record('failure', generation, false);
        }
      },
    };
  }

  /** Holds every call until `untilMs` (a server's `Retry-After`), whatever the state. */
  hold(untilMs: number): void {
    const until = this.mono() + (untilMs - this.clock.now());
    if (until > this.heldUntil) this.heldUntil = until;
  }

  /** Opens the breaker until {@link CircuitBreaker.reset} (an operator's switch). */
  isolate(): void {
    const s = this.current;
    // Isolated already: a second switch changes nothing and tells no one.
    if (s.state === 'open' && s.reason === 'isolated') return;
    this.open('isolated', Number.POSITIVE_INFINITY, 0);
  }

  /**
   * Lets the next call probe now instead of at `retryAt` (a user's "Retry now"): an open breaker turns
   * half-open, so exactly one call goes out, as when its open period ends. It does not skip a server's
   * `Retry-After` hold, an isolated breaker, or a probe already in flight. Returns whether a probe may go.
   */
  probeNow(): boolean {
    if (this.mono() < this.heldUntil) return false;
    const s = this.current;
    if (s.state === 'open') {
      if (!Number.isFinite(s.retryAt)) return false;
      this.current = { ...s, retryAt: this.clock.now() };
      this.openUntil = this.mono();
      this.tick();
    }
    return this.current.state !== 'half-open' || !this.probeInFlight;
  }

  /** Closes the breaker and forgets every count and hold (an operator's switch). */
  reset(): void {
    this.heldUntil = Number.NEGATIVE_INFINITY;
    this.close('reset');
  }

  /** The state as JSON, for {@link CircuitBreaker.restore}. */
  toJSON(): BreakerState {
    return this.state;
  }

  /** Restores a saved state (e.g. after a reload): an open breaker stays open until its `retryAt`. */
  restore(saved: BreakerState): void {
    if (saved.state === 'open' && Number.isFinite(saved.openedAt)) {
      const from = this.current.state;
      this.generation++;
      this.current = { ...saved };
      this.openUntil = this.mono() + (saved.retryAt - this.clock.now());
      if (from !== 'open') this.onTransition({ from, to: this.current, reason: 'restored' });
    }
    // A saved half-open or closed breaker restarts closed: its probe cannot have survived the reload.
  }

  /** Stops the probe timer. */
  dispose(): void {
    this.clock.clearTimeout(this.probeTimer);
  }

  private mono(): number {
    return this.clock.monotonic ? this.clock.monotonic() : this.clock.now();
  }

  /** A monotonic instant in wall-clock time (epoch ms), as of now. */
  private wall(mono: number): number {
    return Number.isFinite(mono) ? this.clock.now() + (mono - this.mono()) : mono;
  }

  private tick(): void {
    const s = this.current;
    if (s.state === 'open' && this.mono() >= this.openUntil) {
      this.current = { state: 'half-open', since: this.clock.now(), reopens: s.reopens };
      this.probeInFlight = false;
      this.onTransition({ from: 'open', to: this.current, reason: 'open-elapsed' });
    }
  }

  private probe(): Permit {
    this.probeInFlight = true;
    const generation = this.generation;
    const reopens = this.current.state === 'half-open' ? this.current.reopens : 0;
    let reported: Outcome | undefined;
    let closedGeneration = -1;
    const finish = (outcome: Outcome): void => {
      if (reported !== undefined) {
        // Its headers closed the breaker, then its body stalled or broke: the probe did not succeed after
        // all, and the breaker opens again as after a failed probe (nothing else has changed it since).
        if (
          reported === 'success' &&
          outcome === 'failure' &&
          this.generation === closedGeneration &&
          this.current.state === 'closed'
        ) {
          reported = outcome;
          this.reopen(reopens);
        }
        return;
      }
      reported = outcome;
      this.clock.clearTimeout(this.probeTimer);
      if (generation !== this.generation || this.current.state !== 'half-open') return;
      this.probeInFlight = false;
      if (outcome === 'success') {
        this.close('probe-succeeded');
        closedGeneration = this.generation;
      } else if (outcome === 'failure') this.reopen(reopens);
      // neutral (aborted, unreadable): the permit is back, the next caller probes.
    };
    // A probe that hangs gives its permit back (resilience4j#903: half-open stuck forever).
    this.probeTimer = this.clock.setTimeout(() => finish('neutral'), this.policy.halfOpenTimeoutMs);
    return { probe: true, done: finish };
  }

  private record(outcome: Outcome, generation: number, newCall = true): void {
    // Calls that began before the breaker opened and fail late must not re-arm it or count again.
    if (outcome === 'neutral' || generation !== this.generation || this.current.state !== 'closed') return;
    if (newCall) this.window.add('calls');
    if (outcome === 'success') {
      this.consecutive = 0;
      return;
    }
    this.window.add('failures');
    this.consecutive++;
    const p = this.policy;
    const calls = this.window.sum('calls');
    if (this.consecutive >= p.consecutiveFailures) this.open('consecutive-failures', p.openMs, 0);
    else if (calls >= p.minimumCalls && this.window.sum('failures') / calls >= p.failureRate) {
      this.open('failure-rate', p.openMs, 0);
    }
  }

  /** Opens again after a failed probe: the open period grows with `previous` re-opens. */
  private reopen(previous: number): void {
    const reopens = previous + 1;
    const { openMs, maxOpenMs } = this.policy;
    let ms = openMs;
    if (maxOpenMs > openMs) {
      // Grow ×2 per re-open, with jitter in [½, 1] of the ceiling so many clients do not probe in step.
      const ceiling = Math.min(maxOpenMs, openMs * 2 ** Math.min(reopens, 30));
      ms = Math.max(openMs, ceiling / 2 + (ceiling / 2) * drawUnit(this.random));
    }
    this.open('probe-failed', ms, reopens);
  }

  private open(reason: BreakReason, ms: number, reopens: number): void {
    const from = this.current.state;
    const now = this.clock.now();
    this.generation++;
    this.probeInFlight = false;
    this.clock.clearTimeout(this.probeTimer);
    this.current = { state: 'open', openedAt: now, retryAt: now + ms, reason, reopens };
    this.openUntil = this.mono() + ms;
    this.onTransition({ from, to: this.current, reason });
  }

  private close(reason: 'probe-succeeded' | 'reset'): void {
    const from = this.current.state;
    this.generation++;
    this.probeInFlight = false;
    this.clock.clearTimeout(this.probeTimer);
    this.consecutive = 0;
    this.window.reset();
    this.current = { state: 'closed' };
    if (from !== 'closed') this.onTransition({ from, to: this.current, reason });
  }
}
