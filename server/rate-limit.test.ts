import { describe, expect, it } from 'vitest';
import { noticeDue, refill, spend, WindowCounter, type MessageBudget } from './rate-limit';

const limit = { perSecond: 3, burst: 5, floodSeconds: 2 };
const full = (): MessageBudget => ({ tokens: limit.burst, overBudget: false, secondsOverBudget: 0, noticeSent: false });

describe('message budget', () => {
  it('lets a burst through, drops the excess, and refills by the rate up to the burst', () => {
    const budget = full();
    expect(Array.from({ length: 7 }, () => spend(budget))).toEqual([true, true, true, true, true, false, false]);
    refill(budget, limit);
    expect(Array.from({ length: 4 }, () => spend(budget))).toEqual([true, true, true, false]);
    refill(budget, limit);
    refill(budget, limit);
    expect(budget.tokens).toBe(limit.burst);
  });

  it('tells the client once a second at most', () => {
    const budget = full();
    expect([noticeDue(budget), noticeDue(budget)]).toEqual([true, false]);
    refill(budget, limit);
    expect(noticeDue(budget)).toBe(true);
  });

  it('calls it a flood only after floodSeconds over budget in a row', () => {
    const budget = full();
    const overspend = () => {
      while (spend(budget));
    };
    overspend();
    expect(refill(budget, limit)).toBe(false);
    refill(budget, limit); // a calm second resets the count
    overspend();
    expect(refill(budget, limit)).toBe(false);
    overspend();
    expect(refill(budget, limit)).toBe(true);
  });
});

describe('WindowCounter', () => {
  it('counts only the events inside the window', () => {
    const counter = new WindowCounter(1000);
    expect([counter.add(0), counter.add(500), counter.add(999), counter.add(1500)]).toEqual([1, 2, 3, 2]);
  });
});
