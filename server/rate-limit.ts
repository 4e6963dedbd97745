/**
 * A connection's message budget: `perSecond` messages a second, holding at most `burst`.
 *
 * The budget is refilled by one server-wide tick a second rather than from a clock read per
 * message, and its state is small integers and flags kept in the connection's own object: a
 * timestamp or a fractional token count would be a separate boxed number in V8, one more cache
 * miss on every message (measured on the signaling benchmark).
 */
export interface RateLimit {
  perSecond: number;
  burst: number;
  /** Seconds in a row over the budget that count as a flood. */
  floodSeconds: number;
}

/** Starts full: `tokens` = the burst. */
export interface MessageBudget {
  tokens: number;
  /** Some message was dropped since the last tick. */
  overBudget: boolean;
  /** Ticks in a row that found the connection over its budget. */
  secondsOverBudget: number;
  /** A RATE_LIMITED notice went out since the last tick. */
  noticeSent: boolean;
}

/** Spends a token on one message; false when there is none left (drop the message). */
export function spend(budget: MessageBudget): boolean {
  if (budget.tokens > 0) {
    budget.tokens--;
    return true;
  }
  budget.overBudget = true;
  return false;
}

/** Whether a drop should be told to the client: at most once a second. */
export function noticeDue(budget: MessageBudget): boolean {
  if (budget.noticeSent) return false;
  budget.noticeSent = true;
  return true;
}

/** The once-a-second refill; true when the connection has now been over budget for `floodSeconds` seconds in a row. */
export function refill(budget: MessageBudget, limit: RateLimit): boolean {
  budget.tokens = Math.min(limit.burst, budget.tokens + limit.perSecond);
  budget.secondsOverBudget = budget.overBudget ? budget.secondsOverBudget + 1 : 0;
  budget.overBudget = false;
  budget.noticeSent = false;
  return budget.secondsOverBudget >= limit.floodSeconds;
}

/** Counts events in a sliding window: "more than N in the last minute". */
export class WindowCounter {
  private times: number[] = [];

  constructor(private readonly windowMs: number) {}

  add(now = Date.now()): number {
    this.times.push(now);
    while (this.times.length > 0 && this.times[0]! <= now - this.windowMs) this.times.shift();
    return this.times.length;
  }
}
