// A clock whose sleeps return at once and move time forward, so follow loops run instantly.
import type { Clock } from '../../../lib/follow/clock';

export class FakeClock implements Clock {
  time = 0;
  readonly sleeps: number[] = [];
  /** Runs before each sleep returns, with the new time: tests change the world "while we wait". */
  onSleep: (time: number) => void = () => {};

  now(): number {
    return this.time;
  }

  /** What random() returns: the backoff's jitter (low: many quick retries). */
  randomValue = 0.5;

  random(): number {
    return this.randomValue;
  }

  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.time += ms;
    this.onSleep(this.time);
  }
}
