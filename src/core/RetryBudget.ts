import type { Clock } from './clock.js';
import { RETRY_BUDGET_DEFAULTS as DEFAULTS } from './defaults.js';
import { RollingWindow } from './RollingWindow.js';

/** How many retries a client may make, shared by all its dependencies. */
export interface RetryBudgetOptions {
  /**
   * Retries allowed as a share of the calls made in the window.
   * @default 0.1
   */
  ratio?: number;
  /**
   * Retries per second always allowed, so a quiet app can still retry.
   * @default 1
   */
  minPerSecond?: number;
  /**
   * The rolling window the ratio is measured over, in ms.
   * @default 10_000
   */
  windowMs?: number;
}

/**
 * A retry budget (after Finagle's `RetryBudget` and the Google SRE book, "Handling Overload"): each call
 * deposits `ratio` of a retry, each retry withdraws one, and `minPerSecond · window` retries are always
 * allowed. Under a long outage retries stay near `ratio` of traffic instead of multiplying it; as calls go
 * through again, the budget refills.
 */
export class RetryBudget {
  readonly ratio: number;
  readonly minPerSecond: number;
  readonly windowMs: number;
  private readonly window: RollingWindow<'calls' | 'retries'>;

  constructor(clock: Clock, options: RetryBudgetOptions = {}) {
    this.ratio = options.ratio ?? DEFAULTS.ratio;
    this.minPerSecond = options.minPerSecond ?? DEFAULTS.minPerSecond;
    this.windowMs = options.windowMs ?? DEFAULTS.windowMs;
    this.window = new RollingWindow(clock, this.windowMs, ['calls', 'retries']);
  }

  /** Records a new call (a first attempt). */
  recordCall(): void {
    this.window.add('calls');
  }

  /** Takes one retry from the budget; false (and nothing taken) when it is spent. */
  tryRetry(): boolean {
    if (this.available() < 1) return false;
    this.window.add('retries');
    return true;
  }

  /** Retries left in the current window (may be fractional). */
  available(): number {
    const floor = (this.minPerSecond * this.windowMs) / 1000;
    return this.window.sum('calls') * this.ratio + floor - this.window.sum('retries');
  }

  /** Forgets all recorded calls and retries. */
  reset(): void {
    this.window.reset();
  }
}
